//! GearmanTask.
use crate::zend::object::{ClassSlot, PhpClass};
use crate::zend::sig::{self, Func};
use crate::zend::{class, object};

pub struct Task {}
static SLOT: ClassSlot = ClassSlot::new();
impl PhpClass for Task {
    fn slot() -> &'static ClassSlot { &SLOT }
    fn create() -> Self { Task {} }
}
pub const FUNCS: &[Func] = &[];
pub unsafe fn register() {
    let ce = class::register("GearmanTask", sig::method_table(FUNCS), std::ptr::null_mut());
    object::bind::<Task>(ce);
}
