//! Function signatures written like the PHP stub, turned into Zend arginfo.
//!
//! Every PHP-visible function and method is declared once, in the file of
//! its class, as a [`Func`] whose parameter list and return type read exactly
//! like `gearman.stub.php`. At module startup they become
//! `zend_function_entry` tables with full arginfo (names, union and class
//! types, nullability, default values), so Reflection shows what it shows for
//! pecl/gearman. The tables live for the life of the process.

use std::collections::HashMap;
use std::ffi::CStr;
use std::os::raw::c_char;
use std::sync::Mutex;

use super::ffi::{
    zend_function_entry, zend_internal_arg_info, zend_type, _ZEND_TYPE_NULLABLE_BIT, MAY_BE_ANY,
    MAY_BE_ARRAY, MAY_BE_BOOL, MAY_BE_CALLABLE, MAY_BE_DOUBLE, MAY_BE_FALSE, MAY_BE_LONG,
    MAY_BE_NULL, MAY_BE_OBJECT, MAY_BE_STRING, MAY_BE_TRUE, MAY_BE_VOID, TYPE_LITERAL_NAME_BIT,
    ZEND_ACC_PUBLIC,
};

/// An internal function handler, as Zend calls it.
pub type Handler = unsafe extern "C" fn(*mut super::ffi::zend_execute_data, *mut super::ffi::zval);

/// One PHP function, optionally also a method.
///
/// `method` is the method name on the class (None: function only);
/// `function` the procedural name (None: method only). The procedural form
/// takes the object as a leading `$obj` parameter.
#[derive(Clone, Copy)]
pub struct Func {
    pub method: Option<&'static str>,
    pub function: Option<&'static str>,
    pub params: &'static str,
    pub ret: &'static str,
    pub handler: Handler,
}

/// Shorthand for a method with a procedural alias.
pub const fn both(
    method: &'static str,
    function: &'static str,
    params: &'static str,
    ret: &'static str,
    handler: Handler,
) -> Func {
    Func {
        method: Some(method),
        function: Some(function),
        params,
        ret,
        handler,
    }
}

/// Shorthand for a method without a procedural alias.
pub const fn method(
    method: &'static str,
    params: &'static str,
    ret: &'static str,
    handler: Handler,
) -> Func {
    Func {
        method: Some(method),
        function: None,
        params,
        ret,
        handler,
    }
}

/// Shorthand for a plain function.
pub const fn function(
    function: &'static str,
    params: &'static str,
    ret: &'static str,
    handler: Handler,
) -> Func {
    Func {
        method: None,
        function: Some(function),
        params,
        ret,
        handler,
    }
}

/// The C strings of the tables (function, parameter and class names,
/// default values), kept for the life of the process: each distinct text
/// once, packed into page-sized blocks. One `CString` per use was 758 small
/// allocations for 243 distinct texts (`$obj`, `$context`, class names ...
/// repeat) of 4.4 KB; each process kept them on its heap, where pecl/gearman
/// has them in its read-only data.
struct CStrings {
    /// The unused end of the current block.
    free: &'static mut [u8],
    /// Texts already stored; only needed while the tables are built
    /// ([`tables_done`] drops it).
    seen: HashMap<&'static str, &'static CStr>,
}

/// Block size: a 4 KiB page with room for the allocator's header.
const BLOCK: usize = 4096 - 16;

static CSTRINGS: Mutex<Option<CStrings>> = Mutex::new(None);

/// `s` as a C string that lives as long as the process.
fn leak_cstr(s: &str) -> *const c_char {
    assert!(!s.contains('\0'), "signature text has no NUL: {s}");
    let mut guard = CSTRINGS.lock().unwrap_or_else(|e| e.into_inner());
    let strings = guard.get_or_insert_with(|| CStrings {
        free: &mut [],
        seen: HashMap::new(),
    });
    if let Some(c) = strings.seen.get(s) {
        return c.as_ptr();
    }
    let len = s.len() + 1;
    if strings.free.len() < len {
        let block = vec![0u8; BLOCK.max(len)].into_boxed_slice();
        strings.free = Box::leak(block);
    }
    let (bytes, rest) = std::mem::take(&mut strings.free).split_at_mut(len);
    strings.free = rest;
    bytes[..s.len()].copy_from_slice(s.as_bytes());
    bytes[s.len()] = 0;
    let bytes: &'static [u8] = bytes;
    let c = CStr::from_bytes_with_nul(bytes).expect("one NUL, at the end");
    // The key is the stored text itself (without its NUL): no other copy.
    let text = std::str::from_utf8(&bytes[..s.len()]).expect("copied from a str");
    strings.seen.insert(text, c);
    c.as_ptr()
}

/// Drops the index of the C strings once all tables are built (module
/// startup): the strings stay, a later table stores its own again.
pub fn tables_done() {
    if let Some(strings) = CSTRINGS.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        strings.seen = HashMap::new();
    }
}

/// Parse a type such as `?string`, `GearmanTask|false`, `mixed`, `callable`.
/// Empty means "no type".
fn parse_type(t: &str) -> zend_type {
    let t = t.trim();
    let mut ty = zend_type {
        ptr: std::ptr::null_mut(),
        type_mask: 0,
    };
    if t.is_empty() {
        return ty;
    }
    let (nullable, t) = match t.strip_prefix('?') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    for part in t.split('|') {
        let bits = match part.trim() {
            "string" => MAY_BE_STRING,
            "int" => MAY_BE_LONG,
            "float" => MAY_BE_DOUBLE,
            "bool" => MAY_BE_BOOL,
            "false" => MAY_BE_FALSE,
            "true" => MAY_BE_TRUE,
            "null" => MAY_BE_NULL,
            "array" => MAY_BE_ARRAY,
            "object" => MAY_BE_OBJECT,
            "callable" => MAY_BE_CALLABLE,
            "void" => MAY_BE_VOID,
            "mixed" => MAY_BE_ANY,
            class => {
                // A C string, as ZEND_ARG_OBJ_INFO writes it; the engine turns
                // it into an interned zend_string when registering the function.
                assert!(ty.ptr.is_null(), "one class name per type: {t}");
                ty.ptr = leak_cstr(class) as *mut _;
                TYPE_LITERAL_NAME_BIT
            }
        };
        ty.type_mask |= bits;
    }
    if nullable {
        ty.type_mask |= _ZEND_TYPE_NULLABLE_BIT;
    }
    ty
}

/// One parsed parameter: `type $name = default`.
struct Param {
    name: String,
    ty: zend_type,
    default: Option<String>,
}

fn parse_params(params: &str) -> Vec<Param> {
    params
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (decl, default) = match p.split_once('=') {
                Some((d, v)) => (d.trim(), Some(v.trim().to_string())),
                None => (p, None),
            };
            let dollar = decl
                .find('$')
                .unwrap_or_else(|| panic!("parameter without $name: {p}"));
            Param {
                ty: parse_type(&decl[..dollar]),
                name: decl[dollar + 1..].to_string(),
                default,
            }
        })
        .collect()
}

/// Build the `zend_internal_arg_info` array for a parameter list and return
/// type. Element 0 describes the function (required count, return type).
fn arg_info(params: &str, ret: &str) -> (*const zend_internal_arg_info, u32) {
    let params = parse_params(params);
    let required = params.iter().take_while(|p| p.default.is_none()).count();
    let mut infos = Vec::with_capacity(params.len() + 1);
    infos.push(zend_internal_arg_info {
        name: required as *const c_char,
        type_: parse_type(ret),
        default_value: std::ptr::null(),
    });
    for p in &params {
        infos.push(zend_internal_arg_info {
            name: leak_cstr(&p.name),
            type_: p.ty,
            default_value: p.default.as_deref().map_or(std::ptr::null(), leak_cstr),
        });
    }
    let n = params.len() as u32;
    (Box::leak(infos.into_boxed_slice()).as_ptr(), n)
}

/// `ZEND_FE`/`ZEND_ME`. The entry's shape changes with PHP (8.4 added
/// `frameless_function_infos` and `doc_comment`, 8.6 widened `flags` to 64
/// bits), so it starts from the all-zero entry — the terminator, and what
/// the C macros leave in fields they do not name — and sets only the
/// fields every version has.
fn entry(name: &str, params: &str, ret: &str, handler: Handler, flags: u32) -> zend_function_entry {
    let (arg_info, num_args) = arg_info(params, ret);
    let mut e = end();
    e.fname = leak_cstr(name);
    e.handler = Some(handler);
    e.arg_info = arg_info;
    e.num_args = num_args;
    // A no-op conversion before PHP 8.6, u32 → u64 from 8.6 on.
    #[allow(clippy::useless_conversion)]
    {
        e.flags = flags.into();
    }
    e
}

/// `ZEND_FE_END`: all fields null/zero.
fn end() -> zend_function_entry {
    // SAFETY: every field is a raw pointer, an `Option` of a function pointer
    // or an integer, for all of which all-zero bytes are a valid value.
    unsafe { std::mem::zeroed() }
}

fn terminate(mut v: Vec<zend_function_entry>) -> *const zend_function_entry {
    v.push(end());
    Box::leak(v.into_boxed_slice()).as_ptr()
}

/// The method table of a class.
pub fn method_table(funcs: &[Func]) -> *const zend_function_entry {
    terminate(
        funcs
            .iter()
            .filter_map(|f| {
                f.method
                    .map(|m| entry(m, f.params, f.ret, f.handler, ZEND_ACC_PUBLIC))
            })
            .collect(),
    )
}

/// The procedural functions of several classes, in order. `obj_type` names
/// the class each group's `$obj` parameter must be.
pub fn function_table(groups: &[(Option<&str>, &[Func])]) -> *const zend_function_entry {
    let mut v = Vec::new();
    for (obj_type, funcs) in groups {
        for f in funcs.iter() {
            let Some(name) = f.function else { continue };
            let params = match (obj_type, f.method) {
                (Some(class), Some(_)) if f.params.is_empty() => format!("{class} $obj"),
                (Some(class), Some(_)) => format!("{class} $obj, {}", f.params),
                _ => f.params.to_string(),
            };
            v.push(entry(name, &params, f.ret, f.handler, 0));
        }
    }
    terminate(v)
}
