//! GearmanClient.
use std::cell::RefCell;

use crate::handler;
use crate::zend::ffi::*;
use crate::zend::object::{ClassSlot, PhpClass};
use crate::zend::sig::{self, both, method, Func};
use crate::zend::{class, object, value};

pub struct Client {
    st: RefCell<State>,
}
struct State { ret: i64, options: i64, timeout: i64 }
static SLOT: ClassSlot = ClassSlot::new();
impl PhpClass for Client {
    fn slot() -> &'static ClassSlot { &SLOT }
    fn create() -> Self { Client { st: RefCell::new(State { ret: 0, options: 32, timeout: -1 }) } }
}
pub const FUNCS: &[Func] = &[
    method("__construct", "", "", construct),
    both("returnCode", "gearman_client_return_code", "", "int", return_code),
    both("setTimeout", "gearman_client_set_timeout", "int $timeout", "bool", set_timeout),
    both("timeout", "gearman_client_timeout", "", "int", timeout),
    both("addServer", "gearman_client_add_server", "?string $host = null, int $port = 0, bool $setupExceptionHandler = true", "bool", add_server),
];
pub unsafe fn register() {
    let ce = class::register("GearmanClient", sig::method_table(FUNCS), std::ptr::null_mut());
    object::bind::<Client>(ce);
}
fn this(zobj: *mut zval) -> &'static Client { unsafe { object::inner_zv::<Client>(zobj) } }
handler!(construct(ex, _rv) { let mut z: *mut zval = std::ptr::null_mut(); let _ = zpp!(ex, "O", &mut z, SLOT.ce()); });
handler!(return_code(ex, rv) {
    let mut z: *mut zval = std::ptr::null_mut();
    if zpp!(ex, "O", &mut z, SLOT.ce()) { value::set_long(rv, this(z).st.borrow().ret) }
});
handler!(set_timeout(ex, rv) {
    let mut z: *mut zval = std::ptr::null_mut(); let mut t: i64 = 0;
    if zpp!(ex, "Ol", &mut z, SLOT.ce(), &mut t as *mut i64) { this(z).st.borrow_mut().timeout = t; value::set_bool(rv, true) }
});
handler!(timeout(ex, rv) {
    let mut z: *mut zval = std::ptr::null_mut();
    if zpp!(ex, "O", &mut z, SLOT.ce()) { value::set_long(rv, this(z).st.borrow().timeout) }
});
handler!(add_server(ex, rv) {
    let mut z: *mut zval = std::ptr::null_mut();
    let mut h: *const std::os::raw::c_char = std::ptr::null(); let mut hl: usize = 0; let mut port: i64 = 0; let mut seh: bool = true;
    if zpp!(ex, "O|slb", &mut z, SLOT.ce(), &mut h, &mut hl, &mut port as *mut i64, &mut seh as *mut bool) {
        let host = value::slice(h, hl);
        value::warn(format!("host={:?} port={} seh={}", String::from_utf8_lossy(host), port, seh));
        value::set_bool(rv, true)
    }
});
