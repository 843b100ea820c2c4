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

use super::Route;

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
    use crate::client::TaskId;

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
}
