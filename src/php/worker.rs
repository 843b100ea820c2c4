//! GearmanWorker.
use crate::zend::object::{ClassSlot, PhpClass};
use crate::zend::sig::{self, Func};
use crate::zend::{class, object};

pub struct Worker {}
static SLOT: ClassSlot = ClassSlot::new();
impl PhpClass for Worker {
    fn slot() -> &'static ClassSlot { &SLOT }
    fn create() -> Self { Worker {} }
}
pub const FUNCS: &[Func] = &[];
pub unsafe fn register() {
    let ce = class::register("GearmanWorker", sig::method_table(FUNCS), std::ptr::null_mut());
    object::bind::<Worker>(ce);
}
