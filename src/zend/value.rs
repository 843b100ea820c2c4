//! Building and reading zvals: return values, strings as bytes, arrays.

use std::ffi::CString;
use std::os::raw::c_char;

use ext_php_rs::types::ZendStr;
use gearman_core::huge_pages;
use gearman_core::large_body::{BodyMemory, LargeBody};
use std::ffi::c_void;
use std::ptr::NonNull;

use super::ffi::*;

/// The type code of a zval (`Z_TYPE_P`).
///
/// # Safety
/// `zv` must point to an initialised zval.
#[inline]
pub unsafe fn type_of(zv: *const zval) -> u32 {
    (*zv).u1.type_info & Z_TYPE_MASK
}

/// Follow a reference (`ZVAL_DEREF`).
///
/// # Safety
/// `zv` must point to an initialised zval; the result borrows from it.
#[inline]
pub unsafe fn deref(zv: *mut zval) -> *mut zval {
    if type_of(zv) == IS_REFERENCE {
        &mut (*(*zv).value.ref_).val
    } else {
        zv
    }
}

// The setters below overwrite `zv` without releasing what it held.
// Safety for all of them: `zv` must be writable and hold nothing that needs
// releasing (a fresh zval, or the return value slot of a handler).

/// `ZVAL_NULL`.
///
/// # Safety
/// See above.
#[inline]
pub unsafe fn set_null(zv: *mut zval) {
    (*zv).u1.type_info = IS_NULL;
}

/// `ZVAL_BOOL`.
///
/// # Safety
/// See above.
#[inline]
pub unsafe fn set_bool(zv: *mut zval, b: bool) {
    (*zv).u1.type_info = if b { IS_TRUE } else { IS_FALSE };
}

/// `ZVAL_LONG`.
///
/// # Safety
/// See above.
#[inline]
pub unsafe fn set_long(zv: *mut zval, v: i64) {
    (*zv).value.lval = v;
    (*zv).u1.type_info = IS_LONG;
}

/// A binary-safe PHP string holding a copy of `b`.
///
/// # Safety
/// See above; a request must be active (the string is request-allocated).
#[inline]
pub unsafe fn set_bytes(zv: *mut zval, b: &[u8]) {
    if b.len() >= 2 {
        return set_new_bytes(zv, b);
    }
    // Empty and one-char strings come back as PHP's interned (immutable)
    // strings, which must not be marked refcounted (ZVAL_STR does the same).
    let s = ZendStr::new(b, false).into_raw();
    (*zv).value.str_ = s;
    (*zv).u1.type_info = if (*s).gc.u.type_info & GC_IMMUTABLE != 0 {
        IS_STRING
    } else {
        IS_STRING_EX
    };
}

/// [`set_bytes`] for two bytes or more: `zend_string_init(b, len, 0)`
/// done here (through ext-php-rs's C wrapper it costs about twice as many
/// instructions, a do*'s result string included). A multi-megabyte string
/// (a job's workload, a task's result) is advised for huge pages before the
/// copy first writes it (see `gearman_core::huge_pages`: 8 page faults
/// instead of about 4,100 for 16 MiB); the engine's huge blocks are 2 MiB
/// aligned, so from the header on every region of the block qualifies.
#[inline]
unsafe fn set_new_bytes(zv: *mut zval, b: &[u8]) {
    let s = string_alloc(b.len());
    std::ptr::copy_nonoverlapping(b.as_ptr(), (*s).val.as_mut_ptr() as *mut u8, b.len());
    (*zv).value.str_ = s;
    (*zv).u1.type_info = IS_STRING_EX;
}

/// Bytes `zend_string_alloc(len, 0)` takes.
fn string_size(len: usize) -> usize {
    std::mem::offset_of!(zend_string, val) + len + 1
}

/// `zend_string_alloc(len, 0)` with its terminating NUL written and its
/// `len` bytes not yet: a string of [`huge_pages::ADVISE_FROM`] bytes or
/// more is advised for huge pages before anything writes them (see
/// [`set_new_bytes`]).
///
/// # Safety
/// A request must be active (the string is request-allocated).
#[inline]
unsafe fn string_alloc(len: usize) -> *mut zend_string {
    let size = string_size(len);
    let s = _emalloc(size) as *mut zend_string;
    if len >= huge_pages::ADVISE_FROM {
        huge_pages::advise(s as *const u8, size);
    }
    // GC_SET_REFCOUNT, GC_TYPE_INFO = GC_STRING, ZSTR_H, ZSTR_LEN: as
    // zend_string_alloc(len, 0).
    (*s).gc.refcount = 1;
    (*s).gc.u.type_info = GC_STRING;
    (*s).h = 0;
    (*s).len = len;
    *((*s).val.as_mut_ptr() as *mut u8).add(len) = 0;
    s
}

/// The allocator for `gearman_core::large_body` (registered at MINIT): a
/// large result or workload is received straight into a fresh PHP string
/// (`zend_string_alloc(len, 0)`, advised for huge pages as in
/// [`set_bytes`]), which [`set_large_body`] then returns without a copy.
/// Declines (the core keeps the bytes in its own buffer, and a copy is made
/// only when PHP asks for them, as before) when the string would not fit
/// under `memory_limit`: a large packet must not end a script that never
/// looks at its data.
pub fn body_memory(len: usize) -> Option<BodyMemory> {
    let size = string_size(len);
    let limit = crate::php::ini::memory_limit()?;
    // SAFETY: the core allocates while a PHP call runs it (a request).
    if unsafe { zend_memory_usage(false) }.saturating_add(size) > limit {
        return None;
    }
    unsafe fn release(owner: NonNull<c_void>) {
        // SAFETY: `owner` is the string `body_memory` made; this is the
        // core's reference to it.
        unsafe { ext_php_rs_zend_string_release(owner.as_ptr().cast()) };
    }
    // SAFETY: a request is active (above); the string's `len` bytes stay
    // valid until the core's reference is released, on the request's
    // thread.
    unsafe {
        // The core writes the `len` bytes.
        let s = string_alloc(len);
        let data = NonNull::new_unchecked((*s).val.as_mut_ptr() as *mut u8);
        Some(BodyMemory::new(
            data,
            len,
            NonNull::new_unchecked(s.cast()),
            release,
        ))
    }
}

/// A PHP string holding `b`, a body [`body_memory`] made: that very string,
/// with one more reference (no copy).
///
/// # Safety
/// See above.
unsafe fn set_large_body(zv: *mut zval, b: &LargeBody) {
    let s = b.owner().as_ptr() as *mut zend_string;
    debug_assert_eq!((*s).len, b.bytes().len());
    (*s).gc.refcount += 1;
    (*zv).value.str_ = s;
    (*zv).u1.type_info = IS_STRING_EX;
}

/// Sets `zv` to the PHP string received data is in, if it was received
/// into one (`large`: see [`body_memory`]; no copy), and says whether it
/// did; otherwise the caller copies the bytes (with [`set_bytes`], possibly
/// after its borrows have ended). The one place the PHP entry points that
/// return received data (do*, GearmanJob::workload, GearmanTask::data)
/// choose between the two.
///
/// # Safety
/// See above.
#[inline]
pub unsafe fn set_if_large(zv: *mut zval, large: Option<&LargeBody>) -> bool {
    match large {
        Some(b) => {
            set_large_body(zv, b);
            true
        }
        None => false,
    }
}

/// An owned zval holding a copy of `b`.
pub fn bytes_zval(b: &[u8]) -> zval {
    let mut zv = zval::new();
    unsafe { set_bytes(&mut zv, b) };
    zv
}

/// A packed PHP array built from owned zvals.
///
/// # Safety
/// As the setters above; a request must be active.
pub unsafe fn set_list(zv: *mut zval, items: Vec<zval>) {
    let ht = _zend_new_array(items.len() as u32);
    for item in items {
        let mut item = std::mem::ManuallyDrop::new(item);
        zend_hash_next_index_insert(ht, &mut *item);
    }
    (*zv).value.arr = ht;
    (*zv).u1.type_info = IS_ARRAY_EX;
}

/// A PHP array keyed by arbitrary bytes (e.g. gearmand function names),
/// keys as PHP array literals treat them (a "symtable"): a canonical
/// decimal integer string ("42", "-7", not "042") becomes an integer key,
/// anything else a string key. Later duplicates overwrite earlier ones.
///
/// # Safety
/// `zv` must point to a writable zval whose old value needs no release.
pub unsafe fn set_symtable(zv: *mut zval, entries: Vec<(Vec<u8>, zval)>) {
    let ht = _zend_new_array(entries.len() as u32);
    for (key, item) in entries {
        let mut item = std::mem::ManuallyDrop::new(item);
        match integer_key(&key) {
            Some(i) => zend_hash_index_update(ht, i as zend_ulong, &mut *item),
            None => zend_hash_str_update(ht, key.as_ptr() as *const c_char, key.len(), &mut *item),
        };
    }
    (*zv).value.arr = ht;
    (*zv).u1.type_info = IS_ARRAY_EX;
}

/// PHP's `ZEND_HANDLE_NUMERIC_STR` rule for array keys.
fn integer_key(key: &[u8]) -> Option<i64> {
    let digits = key.strip_prefix(b"-").unwrap_or(key);
    let canonical = match digits {
        [] => false,
        [b'0'] => key.len() == 1, // "0" yes, "-0" no
        [first, ..] => *first != b'0' && digits.iter().all(u8::is_ascii_digit),
    };
    if !canonical {
        return None;
    }
    std::str::from_utf8(key).ok()?.parse::<i64>().ok()
}

pub fn long_zval(v: i64) -> zval {
    let mut zv = zval::new();
    unsafe { set_long(&mut zv, v) };
    zv
}

pub fn bool_zval(b: bool) -> zval {
    let mut zv = zval::new();
    unsafe { set_bool(&mut zv, b) };
    zv
}

/// Borrow the bytes zpp's `s` produced.
///
/// # Safety
/// `p`/`len` must come from zpp (or be null/0) and the string must outlive `'a`
/// (zpp's strings live as long as the call's arguments).
#[inline]
pub unsafe fn slice<'a>(p: *const c_char, len: usize) -> &'a [u8] {
    if p.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(p as *const u8, len)
    }
}

/// Borrow the bytes of a string zval.
///
/// # Safety
/// `zv` must hold a string (`IS_STRING`) that outlives `'a`.
#[inline]
pub unsafe fn str_bytes<'a>(zv: *const zval) -> &'a [u8] {
    let s = (*zv).value.str_;
    std::slice::from_raw_parts((*s).val.as_ptr() as *const u8, (*s).len)
}

/// PHP's string conversion of any value (`zval_get_string`), as bytes:
/// 123 → "123", true → "1", null → "", arrays → "Array" with PHP's warning.
///
/// # Safety
/// `zv` must point to an initialised zval; a request must be active (it may
/// call `__toString()`, warn or throw).
pub unsafe fn to_bytes(zv: *mut zval) -> Vec<u8> {
    let s = zval_get_string_func(zv);
    let b = std::slice::from_raw_parts((*s).val.as_ptr() as *const u8, (*s).len).to_vec();
    ext_php_rs_zend_string_release(s);
    b
}

/// [`to_bytes`] without the copy: the converted string (a reference to
/// the zval's own string when it is one), released on drop.
pub struct ZStr(*mut zend_string);

impl ZStr {
    /// PHP's string conversion of `zv`.
    ///
    /// # Safety
    /// As [`to_bytes`].
    pub unsafe fn of(zv: *mut zval) -> ZStr {
        ZStr(zval_get_string_func(zv))
    }

    /// [`ZStr::of`] for a zval we own and no longer need (a callback's
    /// return value): a string is taken over with the zval's reference, no
    /// conversion call and no second release.
    ///
    /// # Safety
    /// As [`to_bytes`].
    pub unsafe fn take(mut zv: zval) -> ZStr {
        if type_of(&zv) == IS_STRING {
            let s = zv.value.str_;
            std::mem::forget(zv);
            ZStr(s)
        } else {
            ZStr::of(&mut zv)
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: we hold a reference to the string until drop.
        unsafe { std::slice::from_raw_parts((*self.0).val.as_ptr() as *const u8, (*self.0).len) }
    }
}

impl Drop for ZStr {
    fn drop(&mut self) {
        // SAFETY: releases the reference `of` took.
        unsafe { ext_php_rs_zend_string_release(self.0) };
    }
}

/// PHP's integer conversion (`zval_get_long`): "12abc" → 12, null → 0.
///
/// # Safety
/// As [`to_bytes`].
pub unsafe fn to_long(zv: *mut zval) -> i64 {
    zval_get_long_func(zv, false)
}

fn c_text(msg: &[u8]) -> CString {
    CString::new(msg.iter().copied().filter(|&c| c != 0).collect::<Vec<u8>>()).unwrap_or_default()
}

/// `php_error_docref(NULL, E_WARNING, "%s", msg)`: prefixed with the current
/// function's name, as PHP prints it for C extensions.
pub fn warn(msg: impl AsRef<[u8]>) {
    let m = c_text(msg.as_ref());
    unsafe {
        php_error_docref(
            std::ptr::null(),
            E_WARNING as i32,
            c"%s".as_ptr(),
            m.as_ptr(),
        )
    };
}

/// Throw PHP's ValueError "…: Argument #N ($name) <msg>" for the method's
/// argument `arg` (1-based); for a procedural alias, whose first argument
/// is the object, the number is shifted by one.
///
/// # Safety
/// `ex` must be the execute data of the running internal function.
pub unsafe fn argument_value_error(ex: *mut zend_execute_data, arg: u32, msg: &str) {
    let n = if this_ptr(ex).is_null() { arg + 1 } else { arg };
    let m = c_text(msg.as_bytes());
    zend_argument_value_error(n, c"%s".as_ptr(), m.as_ptr());
}

/// Throw an exception of class `ce` with `msg` and `code`.
///
/// # Safety
/// `ce` must be a registered class entry of a Throwable class; a request
/// must be active.
pub unsafe fn throw(ce: *mut zend_class_entry, msg: impl AsRef<[u8]>, code: i64) {
    let m = c_text(msg.as_ref());
    unsafe { zend_throw_exception(ce, m.as_ptr(), code) };
}

/// An associative PHP array (string keys, in order) built from owned zvals.
///
/// # Safety
/// `zv` must point to a writable zval that holds nothing to release.
pub unsafe fn set_assoc(zv: *mut zval, items: Vec<(&str, zval)>) {
    let ht = _zend_new_array(items.len() as u32);
    for (key, item) in items {
        let mut item = std::mem::ManuallyDrop::new(item);
        zend_hash_str_update(ht, key.as_ptr() as *const c_char, key.len(), &mut *item);
    }
    (*zv).value.arr = ht;
    (*zv).u1.type_info = IS_ARRAY_EX;
}

/// An owned zval holding an associative array.
pub fn assoc_zval(items: Vec<(&str, zval)>) -> zval {
    let mut zv = zval::new();
    unsafe { set_assoc(&mut zv, items) };
    zv
}

/// An owned zval holding a packed array.
pub fn list_zval(items: Vec<zval>) -> zval {
    let mut zv = zval::new();
    unsafe { set_list(&mut zv, items) };
    zv
}

pub fn null_zval() -> zval {
    let mut zv = zval::new();
    unsafe { set_null(&mut zv) };
    zv
}

pub fn double_zval(v: f64) -> zval {
    let mut zv = zval::new();
    zv.value.dval = v;
    zv.u1.type_info = IS_DOUBLE;
    zv
}

#[cfg(test)]
mod tests {
    #[test]
    fn integer_keys_as_php_sees_them() {
        use super::integer_key as k;
        assert_eq!(k(b"42"), Some(42));
        assert_eq!(k(b"-7"), Some(-7));
        assert_eq!(k(b"0"), Some(0));
        assert_eq!(k(b"9223372036854775807"), Some(i64::MAX));
        for s in [
            &b""[..],
            b"-0",
            b"042",
            b"4a",
            b" 4",
            b"+4",
            b"9223372036854775808",
            b"-",
            b"1.0",
        ] {
            assert_eq!(k(s), None, "{:?}", s);
        }
    }
}
