//! Function signatures written like the PHP stub, turned into Zend arginfo.
//!
//! Every PHP-visible function and method is declared once, in the file of
//! its class, as a [`Func`] whose parameter list and return type read exactly
//! like `gearman.stub.php`. At module startup they become
//! `zend_function_entry` tables with full arginfo (names, union and class
//! types, nullability, default values), so Reflection shows what it shows for
//! pecl/gearman. The tables live for the life of the process.

use std::ffi::CString;
use std::os::raw::c_char;

use super::ffi::{code, zend_function_entry, zend_internal_arg_info, zend_type, MAY_BE_ANY, TYPE_NAME_BIT, TYPE_NULLABLE_BIT, ZEND_ACC_PUBLIC};

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
pub const fn both(method: &'static str, function: &'static str, params: &'static str, ret: &'static str, handler: Handler) -> Func {
    Func { method: Some(method), function: Some(function), params, ret, handler }
}

/// Shorthand for a method without a procedural alias.
pub const fn method(method: &'static str, params: &'static str, ret: &'static str, handler: Handler) -> Func {
    Func { method: Some(method), function: None, params, ret, handler }
}

/// Shorthand for a plain function.
pub const fn function(function: &'static str, params: &'static str, ret: &'static str, handler: Handler) -> Func {
    Func { method: None, function: Some(function), params, ret, handler }
}

/// Leak a string as a C string that lives as long as the process.
fn leak_cstr(s: &str) -> *const c_char {
    CString::new(s).expect("signature text has no NUL").into_raw()
}

/// Parse a type such as `?string`, `GearmanTask|false`, `mixed`, `callable`.
/// Empty means "no type".
fn parse_type(t: &str) -> zend_type {
    let t = t.trim();
    let mut ty = zend_type { ptr: std::ptr::null_mut(), type_mask: 0 };
    if t.is_empty() {
        return ty;
    }
    let (nullable, t) = match t.strip_prefix('?') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    for part in t.split('|') {
        let bits = match part.trim() {
            "string" => 1 << code::IS_STRING,
            "int" => 1 << code::IS_LONG,
            "float" => 1 << code::IS_DOUBLE,
            "bool" => (1 << code::IS_FALSE) | (1 << code::IS_TRUE),
            "false" => 1 << code::IS_FALSE,
            "true" => 1 << code::IS_TRUE,
            "null" => 1 << code::IS_NULL,
            "array" => 1 << code::IS_ARRAY,
            "object" => 1 << code::IS_OBJECT,
            "callable" => 1 << code::IS_CALLABLE,
            "void" => 1 << code::IS_VOID,
            "mixed" => MAY_BE_ANY,
            class => {
                assert!(ty.ptr.is_null(), "one class name per type: {t}");
                ty.ptr = leak_cstr(class) as *mut _;
                TYPE_NAME_BIT
            }
        };
        ty.type_mask |= bits;
    }
    if nullable {
        ty.type_mask |= TYPE_NULLABLE_BIT;
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
            let dollar = decl.find('$').unwrap_or_else(|| panic!("parameter without $name: {p}"));
            Param { ty: parse_type(&decl[..dollar]), name: decl[dollar + 1..].to_string(), default }
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

fn entry(name: &str, params: &str, ret: &str, handler: Handler, flags: u32) -> zend_function_entry {
    let (arg_info, num_args) = arg_info(params, ret);
    zend_function_entry {
        fname: leak_cstr(name),
        // SAFETY: same ABI; Zend declares the handler with non-null pointers.
        handler: Some(unsafe { std::mem::transmute::<Handler, _>(handler) }),
        arg_info,
        num_args,
        flags,
    }
}

fn terminate(mut v: Vec<zend_function_entry>) -> *const zend_function_entry {
    v.push(zend_function_entry { fname: std::ptr::null(), handler: None, arg_info: std::ptr::null(), num_args: 0, flags: 0 });
    Box::leak(v.into_boxed_slice()).as_ptr()
}

/// The method table of a class.
pub fn method_table(funcs: &[Func]) -> *const zend_function_entry {
    terminate(
        funcs
            .iter()
            .filter_map(|f| f.method.map(|m| entry(m, f.params, f.ret, f.handler, ZEND_ACC_PUBLIC)))
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
