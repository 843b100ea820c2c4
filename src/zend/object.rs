//! PHP objects backed by a Rust value.
//!
//! Layout is the classic C-extension one: the Rust value first, the
//! `zend_object` last (its trailing property slots follow it in the same
//! allocation), handlers with `offset` pointing back to the start. Our
//! handlers differ from the standard ones in three ways:
//! - `free_obj` drops the Rust value (which releases every zval it holds);
//! - `clone_obj` is absent, so `clone` throws PHP's own "Trying to clone an
//!   uncloneable object" Error instead of pecl/gearman's segfault;
//! - `get_gc` reports the zvals the Rust value holds (callbacks, contexts,
//!   task objects), so cycles through them are collectable. The table goes
//!   into the engine's shared `get_gc` buffer (`zend_get_gc_buffer`, as
//!   the engine's own classes do): the cycle collector reads a table before
//!   it asks the next object for one, and frees the buffer when a collection
//!   ends. A buffer per object would keep the room for a client's largest
//!   batch (16 bytes a task) for the object's whole life.

use std::mem::{offset_of, size_of};
use std::os::raw::c_int;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use super::ffi::*;

/// A Rust type exposed as a PHP class.
pub trait PhpClass: Sized + 'static {
    /// Where the class entry and handlers are kept once registered.
    fn slot() -> &'static ClassSlot;
    /// The state of a fresh object (`new`, `create_object`).
    fn create() -> Self;
    /// Push every zval this object holds (see [`gc_push`]), for the cycle
    /// collector. Must not call into PHP.
    fn gc(&self, _out: &mut GcBuffer) {}
}

/// The registered class entry and handlers of one class.
pub struct ClassSlot {
    ce: AtomicPtr<zend_class_entry>,
    handlers: AtomicPtr<zend_object_handlers>,
}

impl ClassSlot {
    pub const fn new() -> Self {
        Self {
            ce: AtomicPtr::new(ptr::null_mut()),
            handlers: AtomicPtr::new(ptr::null_mut()),
        }
    }
    pub fn ce(&self) -> *mut zend_class_entry {
        self.ce.load(Ordering::Relaxed)
    }
    pub(crate) fn set_ce(&self, ce: *mut zend_class_entry) {
        self.ce.store(ce, Ordering::Relaxed)
    }
}

impl Default for ClassSlot {
    fn default() -> Self {
        Self::new()
    }
}

#[repr(C)]
pub struct ZObj<T> {
    inner: T,
    std: zend_object,
}

unsafe extern "C" fn create_object<T: PhpClass>(ce: *mut zend_class_entry) -> *mut zend_object {
    // zend_object_alloc(): room for the property slots of `ce` (a user
    // subclass declares some, and `__get` & co. need a guard slot) after the
    // zend_object, computed by the engine's own inline function — the flag
    // that says "guards" moved between PHP versions. The Rust part is zeroed.
    let p = ext_php_rs_zend_object_alloc(size_of::<ZObj<T>>(), ce) as *mut ZObj<T>;
    ptr::write(ptr::addr_of_mut!((*p).inner), T::create());
    let std = ptr::addr_of_mut!((*p).std);
    zend_object_std_init(std, ce);
    object_properties_init(std, ce);
    (*std).handlers = T::slot().handlers.load(Ordering::Relaxed);
    std
}

/// `free_obj` handler.
unsafe extern "C" fn free_obj<T: PhpClass>(obj: *mut zend_object) {
    let p = container::<T>(obj);
    // Drop the Rust value first: it may release zvals that point back here.
    ptr::drop_in_place(ptr::addr_of_mut!((*p).inner));
    zend_object_std_dtor(obj);
}

/// `get_gc` handler.
unsafe extern "C" fn get_gc<T: PhpClass>(
    obj: *mut zend_object,
    table: *mut *mut zval,
    n: *mut c_int,
) -> *mut HashTable {
    // Emptied by create(); the table stays valid until the collector asks
    // the next object for one.
    let buf = zend_get_gc_buffer_create();
    (*container::<T>(obj)).inner.gc(&mut GcBuffer(buf));
    // zend_get_gc_buffer_use(): both null when nothing was pushed.
    *table = (*buf).start;
    *n = (*buf).cur.offset_from((*buf).start) as c_int;
    // Our classes declare no properties; dynamic ones live in `properties`.
    (*obj).properties
}

/// The `ZObj` around a `zend_object` (`zend_object` → its container, as the
/// `XtOffsetOf` idiom of C extensions). Only valid for objects of `T`.
#[inline]
unsafe fn container<T>(obj: *mut zend_object) -> *mut ZObj<T> {
    (obj as *mut u8).sub(offset_of!(ZObj<T>, std)) as *mut ZObj<T>
}

/// Install `create_object` and handlers for `T` on a registered class entry.
///
/// # Safety
/// MINIT only; `ce` must be a freshly registered internal class.
pub unsafe fn bind<T: PhpClass>(ce: *mut zend_class_entry) {
    let mut h: zend_object_handlers = std_object_handlers;
    // `int` before PHP 8.6, `size_t` from 8.6 on.
    h.offset = offset_of!(ZObj<T>, std)
        .try_into()
        .expect("object header offset fits");
    h.free_obj = Some(free_obj::<T>);
    h.clone_obj = None;
    h.get_gc = Some(get_gc::<T>);
    let h: *mut zend_object_handlers = Box::leak(Box::new(h));
    T::slot().handlers.store(h, Ordering::Relaxed);
    (*ce).__bindgen_anon_2.create_object = Some(create_object::<T>);
    // Since PHP 8.3 the class entry names its objects' handlers (subclasses
    // inherit them); `create_object` sets them on each object in any case.
    #[cfg(php83)]
    {
        (*ce).default_object_handlers = h;
    }
    T::slot().set_ce(ce);
}

/// The Rust value of a PHP object of class `T` (or a subclass).
///
/// # Safety
/// `obj` must be an object created by `T`'s `create_object` (zpp's `O`
/// check against `T::slot().ce()` guarantees it) and outlive the borrow.
pub unsafe fn inner<'a, T: PhpClass>(obj: *mut zend_object) -> &'a T {
    &(*container::<T>(obj)).inner
}

/// The Rust value behind an object zval (see [`inner`]).
///
/// # Safety
/// As [`inner`]; `zv` must hold an object.
pub unsafe fn inner_zv<'a, T: PhpClass>(zv: *mut zval) -> &'a T {
    inner::<T>((*zv).value.obj)
}

/// Create a new PHP object of class `T` in `zv` (`object_init_ex`).
///
/// # Safety
/// A request must be active.
pub unsafe fn instantiate<T: PhpClass>(zv: *mut zval) -> *mut zend_object {
    let ce = T::slot().ce();
    let obj = create_object::<T>(ce);
    (*zv).value.obj = obj;
    (*zv).u1.type_info = IS_OBJECT_EX;
    obj
}

/// Has Zend already called (or is it calling) `free_obj` for the object in
/// `zv`? Then its Rust value is being or has been dropped and must not be
/// used. This happens when the cycle collector frees objects that refer to
/// each other (a task and its client), in any order.
///
/// # Safety
/// `zv` must hold an object whose memory is still allocated (any object a
/// live zval points to).
pub unsafe fn is_freed(zv: *const zval) -> bool {
    (*(*zv).value.obj).gc.u.type_info & IS_OBJ_FREE_CALLED != 0
}

/// Add a reference to an object and return an owned zval for it.
///
/// # Safety
/// `obj` must be a live object.
pub unsafe fn zval_of(obj: *mut zend_object) -> zval {
    (*obj).gc.refcount += 1;
    let mut zv: zval = std::mem::zeroed();
    zv.value.obj = obj;
    zv.u1.type_info = IS_OBJECT_EX;
    zv
}

/// The engine's `get_gc` buffer while a [`get_gc`] handler fills it.
pub struct GcBuffer(*mut zend_get_gc_buffer);

/// Report a held zval to the cycle collector: a bitwise copy that is never
/// released (the collector neither owns nor frees it).
pub fn gc_push(out: &mut GcBuffer, zv: &zval) {
    let b = out.0;
    // SAFETY: `b` is the engine's buffer, handed out by
    // zend_get_gc_buffer_create for this get_gc call; grow makes room for
    // one more zval at `cur` (zend_get_gc_buffer_add_zval without its
    // refcounted filter: the collector skips the others itself).
    unsafe {
        if (*b).cur == (*b).end {
            zend_get_gc_buffer_grow(b);
        }
        ptr::copy_nonoverlapping(zv, (*b).cur, 1);
        (*b).cur = (*b).cur.add(1);
    }
}
