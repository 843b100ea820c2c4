//! Job handle → attached tasks, per connection: how WORK_* packets find
//! their tasks.
//!
//! A connection usually has one foreground job or a handful in flight (a
//! do* call, a small runTasks): a short list compared byte by byte is then
//! cheaper than hashing the handle for every lookup, insert and removal.
//! A list entry whose job ended stays in place, *vacant* (no tasks), with
//! its key and task vector, for the next job: a do* client then reuses one
//! entry for every call instead of moving a route out of the list and back
//! in each time. A batch with many foreground jobs moves its routes into a
//! hash map once the list reaches [`LIST_MAX`], and uses the map until the
//! connection has none left.

use crate::fast_hash::FastMap;

use super::{Route, TaskId};

/// What [`Routes::deal`] found: the task (and attempt) the packet is for,
/// and a route it left without tasks (key and route, for reuse; a vacant
/// list entry stays where it is and is not returned).
pub(crate) type Dealt = (Option<(TaskId, u32)>, Option<(Vec<u8>, Route)>);

/// A finished route's key and task vector, kept for the next route.
pub(crate) type Spare = (Vec<u8>, Route);

impl Route {
    /// See [`Routes::deal`]; also says whether the route is now empty.
    fn deal(&mut self, terminal: bool) -> (Option<(TaskId, u32)>, bool) {
        if self.tasks.is_empty() {
            return (None, true);
        }
        let idx = self.cursor % self.tasks.len();
        let task = self.tasks[idx];
        if terminal {
            if self.tasks.len() == 1 {
                // The usual case (one task per handle): nothing to shift.
                self.tasks.clear();
            } else {
                self.tasks.remove(idx);
            }
            self.cursor = idx;
        } else {
            self.cursor = (idx + 1) % self.tasks.len();
        }
        (Some(task), self.tasks.is_empty())
    }

    fn is_vacant(&self) -> bool {
        self.tasks.is_empty()
    }
}

/// Most routes kept in the list (vacant entries included) before the map
/// takes over.
const LIST_MAX: usize = 8;

#[derive(Default)]
pub(crate) struct Routes {
    list: Vec<(Vec<u8>, Route)>,
    /// Entries of `list` that are not vacant.
    live: usize,
    map: FastMap<Vec<u8>, Route>,
}

impl Routes {
    pub(crate) fn is_empty(&self) -> bool {
        self.live == 0 && self.map.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.list.clear();
        self.live = 0;
        self.map.clear();
    }

    /// Removes every route (vacant list entries are dropped).
    pub(crate) fn drain(&mut self) -> Vec<Route> {
        let mut out: Vec<Route> = self
            .list
            .drain(..)
            .filter(|(_, r)| !r.is_vacant())
            .map(|(_, r)| r)
            .collect();
        self.live = 0;
        out.extend(self.map.drain().map(|(_, r)| r));
        out
    }

    /// The list entry for `handle` (not a vacant one).
    fn find(&self, handle: &[u8]) -> Option<usize> {
        self.list
            .iter()
            .position(|(k, r)| !r.is_vacant() && k.as_slice() == handle)
    }

    #[cfg(test)]
    pub(crate) fn get_mut(&mut self, handle: &[u8]) -> Option<&mut Route> {
        if self.map.is_empty() {
            let p = self.find(handle)?;
            Some(&mut self.list[p].1)
        } else {
            self.map.get_mut(handle)
        }
    }

    /// Attaches `task` to `handle`'s route, which is made if there is none:
    /// in a vacant list entry, else from `spare` (a finished route's
    /// allocations), else new. One pass over the list finds both.
    pub(crate) fn attach(&mut self, handle: &[u8], task: (TaskId, u32), spare: &mut Vec<Spare>) {
        if self.map.is_empty() {
            let mut vacant = None;
            for (k, (key, r)) in self.list.iter_mut().enumerate() {
                if r.is_vacant() {
                    vacant.get_or_insert(k);
                } else if key.as_slice() == handle {
                    r.tasks.push(task);
                    r.cursor = 0;
                    return;
                }
            }
            if let Some(k) = vacant {
                let (key, r) = &mut self.list[k];
                key.clear();
                key.extend_from_slice(handle);
                r.tasks.push(task);
                r.cursor = 0;
                self.live += 1;
                return;
            }
        } else if let Some(r) = self.map.get_mut(handle) {
            r.tasks.push(task);
            r.cursor = 0;
            return;
        }
        let (mut key, mut route) = spare.pop().unwrap_or_default();
        key.extend_from_slice(handle);
        route.tasks.push(task);
        self.insert(key, route);
    }

    /// Adds a route for a handle that has none.
    fn insert(&mut self, key: Vec<u8>, route: Route) {
        if !self.map.is_empty() {
            self.map.insert(key, route);
        } else if self.list.len() < LIST_MAX {
            self.list.push((key, route));
            self.live += 1;
        } else {
            // (`attach` filled a vacant entry if there was one.)
            self.map
                .extend(self.list.drain(..).filter(|(_, r)| !r.is_vacant()));
            self.live = 0;
            self.map.insert(key, route);
        }
    }

    /// The task the next packet for `handle` goes to (attached tasks take
    /// turns; a `terminal` packet detaches its task), found with one search.
    /// A list entry left without tasks stays, vacant; a map entry is
    /// removed and returned for reuse.
    pub(crate) fn deal(&mut self, handle: &[u8], terminal: bool) -> Dealt {
        if self.map.is_empty() {
            let Some(p) = self.find(handle) else {
                return (None, None);
            };
            let (task, emptied) = self.list[p].1.deal(terminal);
            self.live -= emptied as usize;
            (task, None)
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
            let i = self.find(handle)?;
            self.live -= 1;
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
            // (A list entry stays in place, vacant; a map entry is
            // returned.)
            let map = attached + 1 > LIST_MAX;
            let (t, freed) = r.deal(b"H:s", true);
            assert_eq!(t, Some((TaskId(100, 0), 1)));
            assert_eq!(
                freed.map(|(k, v)| (k, v.tasks.len())),
                map.then(|| (b"H:s".to_vec(), 0))
            );
            let (t, freed) = r.deal(b"H:s", true);
            assert!(t.is_none() && freed.is_none());
            let (t, freed) = r.deal(b"H:z:0", true);
            assert_eq!((t, freed.is_some()), (Some((TaskId(0, 0), 1)), map));
        }
    }

    #[test]
    fn vacant_entries_are_reused_and_not_found() {
        let mut r = Routes::default();
        let mut spare = Vec::new();
        r.attach(b"H:a", (TaskId(1, 0), 1), &mut spare);
        r.attach(b"H:b", (TaskId(2, 0), 1), &mut spare);
        r.attach(b"H:a", (TaskId(3, 0), 1), &mut spare);
        assert_eq!(r.list.len(), 2);
        assert_eq!(r.get_mut(b"H:a").unwrap().tasks.len(), 2);
        let (t, freed) = r.deal(b"H:b", true);
        assert_eq!((t, freed.is_none()), (Some((TaskId(2, 0), 1)), true));
        // Vacant: not found, not counted.
        assert!(r.get_mut(b"H:b").is_none());
        let (t, freed) = r.deal(b"H:b", true);
        assert!(t.is_none() && freed.is_none());
        assert!(!r.is_empty());
        r.deal(b"H:a", true);
        r.deal(b"H:a", true);
        assert!(r.is_empty(), "all vacant");
        assert_eq!(r.drain().len(), 0);
        // A new handle (or the same one again) takes a vacant entry.
        r.attach(b"H:c", (TaskId(4, 0), 1), &mut spare);
        r.attach(b"H:d", (TaskId(5, 0), 1), &mut spare);
        assert_eq!(r.list.len(), 2);
        assert_eq!(r.deal(b"H:c", false).0, Some((TaskId(4, 0), 1)));
        r.deal(b"H:c", true);
        r.attach(b"H:c", (TaskId(6, 0), 1), &mut spare);
        assert_eq!((r.list.len(), r.live), (2, 2));
        let (t, freed) = r.deal(b"H:c", true);
        assert_eq!((t, freed.is_none()), (Some((TaskId(6, 0), 1)), true));
        // Moving to the map leaves vacant entries behind.
        for n in 0..LIST_MAX as u32 {
            r.attach(
                format!("H:m:{n}").as_bytes(),
                (TaskId(10 + n, 0), 1),
                &mut spare,
            );
        }
        assert!(r.list.is_empty() && r.live == 0);
        assert_eq!(r.map.len(), LIST_MAX + 1, "H:d and the new ones");
        assert_eq!(r.drain().len(), LIST_MAX + 1);
        assert!(r.is_empty());
        assert!(spare.is_empty(), "vacant entries served first");
    }
}
