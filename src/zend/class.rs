//! Registering internal classes (INIT_CLASS_ENTRY + zend_register_internal_class_ex).

use ext_php_rs::types::ZendStr;

use super::ffi::*;

/// Register a class named `name` with the given method table, extending
/// `parent` (or nothing), and return its class entry.
///
/// # Safety
/// MINIT only (class registration is not thread-safe and must happen before
/// any request); `methods` must be a terminated table that lives forever and
/// `parent` a registered class entry or null.
pub unsafe fn register(
    name: &str,
    methods: *const zend_function_entry,
    parent: *mut zend_class_entry,
) -> *mut zend_class_entry {
    let mut ce: zend_class_entry = std::mem::zeroed();
    ce.name = ZendStr::new_interned(name, true).into_raw();
    ce.info.internal.builtin_functions = methods;
    // INIT_CLASS_ENTRY sets the default handlers since PHP 8.3.
    #[cfg(php83)]
    {
        ce.default_object_handlers = &raw const std_object_handlers;
    }
    let registered = zend_register_internal_class_ex(&mut ce, parent);
    assert!(
        !registered.is_null(),
        "class {name} could not be registered"
    );
    registered
}
