//! GearmanJob.
use crate::zend::object::{ClassSlot, PhpClass};
use crate::zend::sig::{self, Func};
use crate::zend::{class, object};

pub struct Job {}
static SLOT: ClassSlot = ClassSlot::new();
impl PhpClass for Job {
    fn slot() -> &'static ClassSlot { &SLOT }
    fn create() -> Self { Job {} }
}
pub const FUNCS: &[Func] = &[];
pub unsafe fn register() {
    let ce = class::register("GearmanJob", sig::method_table(FUNCS), std::ptr::null_mut());
    object::bind::<Job>(ce);
}
