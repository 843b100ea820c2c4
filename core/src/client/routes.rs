//! Job handle → attached tasks, per connection: how WORK_* packets find
//! their tasks.
//!
//! A connection usually has one foreground job or a handful in flight (a
//! do* call, a small runTasks): a short list compared byte by byte is then
//! cheaper than hashing the handle for every lookup, insert and removal.
//! A batch with many foreground jobs moves its routes into a hash map once
//! the list reaches [`LIST_MAX`], and uses the map until the connection
//! has none left.

use crate::fast_hash::FastMap;

use super::{Route, TaskId};

/// What [`Routes::deal`] found: the task (and attempt) the packet is for,
/// and a route it left without tasks (key and route, for reuse).
pub(crate) type Dealt = (Option<(TaskId, u32)>, Option<(Vec<u8>, Route)>);

impl Route {
    /// See [`Routes::deal`]; also says whether the route is now empty.
    fn deal(&mut self, terminal: bool) -> (Option<(TaskId, u32)>, bool) {
        if self.tasks.is_empty() {
            return (None, true);
        }
        let idx = self.cursor % self.tasks.len();
        let task = self.tasks[idx];
        if terminal {
            self.tasks.remove(idx);
            self.cursor = idx;
        } else {
            self.cursor = (idx + 1) % self.tasks.len();
        }
        (Some(task), self.tasks.is_empty())
    }
}

/// Most routes kept in the list before the map takes over.
const LIST_MAX: usize = 8;

#[derive(Default)]
pub(crate) struct Routes {
    list: Vec<(Vec<u8>, Route)>,
    map: FastMap<Vec<u8>, Route>,
}

impl Routes {
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.map.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.list.clear();
        self.map.clear();
    }

    /// Removes every route.
    pub(crate) fn drain(&mut self) -> Vec<Route> {
        let mut out: Vec<Route> = self.list.drain(..).map(|(_, r)| r).collect();
        out.extend(self.map.drain().map(|(_, r)| r));
        out
    }

    pub(crate) fn get_mut(&mut self, handle: &[u8]) -> Option<&mut Route> {
        if self.map.is_empty() {
            self.list
                .iter_mut()
                .find(|(k, _)| k.as_slice() == handle)
                .map(|(_, r)| r)
        } else {
            self.map.get_mut(handle)
        }
    }

    /// Adds a route for a handle that has none.
    pub(crate) fn insert(&mut self, key: Vec<u8>, route: Route) {
        if !self.map.is_empty() {
            self.map.insert(key, route);
        } else if self.list.len() < LIST_MAX {
            self.list.push((key, route));
        } else {
            self.map.extend(self.list.drain(..));
            self.map.insert(key, route);
        }
    }

    /// The task the next packet for `handle` goes to (attached tasks take
    /// turns; a `terminal` packet detaches its task), found with one search.
    /// A route left without tasks is removed and returned for reuse.
    pub(crate) fn deal(&mut self, handle: &[u8], terminal: bool) -> Dealt {
        if self.map.is_empty() {
            let Some(p) = self.list.iter().position(|(k, _)| k.as_slice() == handle) else {
                return (None, None);
            };
            let (task, emptied) = self.list[p].1.deal(terminal);
            (task, emptied.then(|| self.list.swap_remove(p)))
        } else {
            let Some(route) = self.map.get_mut(handle) else {
                return (None, None);
            };
            let (task, emptied) = route.deal(terminal);
            let freed = if emptied {
                self.map.remove_entry(handle)
            } else {
                None
            };
            (task, freed)
        }
    }

    #[cfg(test)]
    pub(crate) fn remove_entry(&mut self, handle: &[u8]) -> Option<(Vec<u8>, Route)> {
        if self.map.is_empty() {
            let i = self.list.iter().position(|(k, _)| k.as_slice() == handle)?;
            Some(self.list.swap_remove(i))
        } else {
            self.map.remove_entry(handle)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(n: u32) -> Route {
        Route {
            tasks: vec![(TaskId(n, 0), 1)],
            cursor: 0,
        }
    }

    #[test]
    fn list_then_map_then_list_again() {
        let mut r = Routes::default();
        assert!(r.is_empty());
        for n in 0..20u32 {
            r.insert(format!("H:x:{n}").into_bytes(), route(n));
            for m in 0..=n {
                let got = r.get_mut(format!("H:x:{m}").as_bytes()).unwrap();
                assert_eq!(got.tasks[0].0, TaskId(m, 0));
            }
            assert!(r.get_mut(b"H:x:99").is_none());
        }
        assert!(!r.map.is_empty() && r.list.is_empty());
        for n in (0..20u32).rev() {
            let (k, v) = r.remove_entry(format!("H:x:{n}").as_bytes()).unwrap();
            assert_eq!(
                (k, v.tasks[0].0),
                (format!("H:x:{n}").into_bytes(), TaskId(n, 0))
            );
            assert!(r.remove_entry(format!("H:x:{n}").as_bytes()).is_none());
        }
        assert!(r.is_empty());
        r.insert(b"H:y:1".to_vec(), route(1));
        r.insert(b"H:y:2".to_vec(), route(2));
        assert_eq!(r.list.len(), 2);
        assert!(r.remove_entry(b"H:y:1").is_some());
        assert_eq!(r.get_mut(b"H:y:2").unwrap().tasks[0].0, TaskId(2, 0));
        assert_eq!(r.drain().len(), 1);
        assert!(r.is_empty());
    }

    #[test]
    fn deal_takes_turns_and_frees_the_emptied_route() {
        for attached in [1usize, 3, 12] {
            let mut r = Routes::default();
            // More routes than the list holds for 12: the map path.
            for n in 0..attached as u32 {
                r.insert(format!("H:z:{n}").into_bytes(), route(n));
            }
            let mut shared = route(100);
            shared.tasks.push((TaskId(101, 0), 1));
            r.insert(b"H:s".to_vec(), shared);
            let (t, freed) = r.deal(b"H:none", false);
            assert!(t.is_none() && freed.is_none());
            // Two tasks on one handle: non-terminal packets alternate.
            assert_eq!(r.deal(b"H:s", false).0, Some((TaskId(100, 0), 1)));
            assert_eq!(r.deal(b"H:s", false).0, Some((TaskId(101, 0), 1)));
            assert_eq!(r.deal(b"H:s", false).0, Some((TaskId(100, 0), 1)));
            // Terminal: detaches the task whose turn it is; the last one
            // frees the route.
            let (t, freed) = r.deal(b"H:s", true);
            assert_eq!((t, freed.is_none()), (Some((TaskId(101, 0), 1)), true));
            let (t, freed) = r.deal(b"H:s", true);
            assert_eq!(t, Some((TaskId(100, 0), 1)));
            assert_eq!(
                freed.map(|(k, v)| (k, v.tasks.len())),
                Some((b"H:s".to_vec(), 0))
            );
            let (t, freed) = r.deal(b"H:s", true);
            assert!(t.is_none() && freed.is_none());
            let (t, freed) = r.deal(b"H:z:0", true);
            assert_eq!((t, freed.is_some()), (Some((TaskId(0, 0), 1)), true));
        }
    }
}
