//! Refusing to load beside another `gearman` module.
//!
//! pecl/gearman and gearman-rs both register the module `gearman`. When both
//! are enabled, PHP keeps whichever it loaded first and prints only
//! `Module "gearman" is already loaded` for the other, so which implementation
//! runs silently depends on ini file order. The same happens with two copies of
//! gearman-rs (say `gearman.so` from PIE and `gearman_rs.so` from
//! scripts/install.sh).
//!
//! PHP calls our `get_module()` before it looks at the module name, so that is
//! where we look: if another shared object in the process already provides a
//! module named `gearman`, start-up stops with one fatal line that names both
//! files. (The other order, gearman-rs first, is only possible by hand; PHP's
//! own warning then applies and gearman-rs is the one loaded.)

use std::ffi::{c_char, c_int, c_void, CStr, CString};

use ext_php_rs::ffi::{php_error_docref, zend_module_entry, E_CORE_ERROR};

type GetModule = unsafe extern "C" fn() -> *mut zend_module_entry;

/// Exported so that a second copy of gearman-rs recognises this one without
/// calling its `get_module` (which would run this check again, and again).
#[unsafe(no_mangle)]
pub static GEARMAN_RS_MODULE: u8 = 1;

/// An address inside this library that no other object can stand in for: it is
/// not exported. (The address of an exported function such as `get_module` is
/// looked up through the GOT, so when PHP loads extensions without
/// RTLD_DEEPBIND it resolves to the first copy loaded.)
static ANCHOR: u8 = 0;

/// Stop PHP start-up with a clear message if another `gearman` module is loaded.
pub fn refuse_if_already_loaded() {
    let Some(our_path) = object_of(&ANCHOR as *const u8 as *const c_void) else {
        return;
    };
    let Some(other) = loaded_objects()
        .into_iter()
        .find(|p| *p != our_path && provides_gearman(p))
    else {
        return;
    };
    let msg = format!(
        "gearman-rs: not loading {}: the gearman extension is already loaded from {}; enable only one of them",
        our_path.to_string_lossy(),
        other.to_string_lossy()
    );
    let msg = CString::new(msg).unwrap_or_default();
    // E_CORE_ERROR during start-up: PHP prints the line and exits (status 254),
    // the way it treats any other broken module at start-up.
    unsafe {
        php_error_docref(
            std::ptr::null(),
            E_CORE_ERROR as c_int,
            c"%s".as_ptr(),
            msg.as_ptr(),
        )
    };
}

/// The file of the shared object that contains `addr`.
fn object_of(addr: *const c_void) -> Option<CString> {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    if unsafe { libc::dladdr(addr, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    Some(unsafe { CStr::from_ptr(info.dli_fname) }.to_owned())
}

/// Paths of every shared object mapped into the process.
fn loaded_objects() -> Vec<CString> {
    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: usize,
        data: *mut c_void,
    ) -> c_int {
        let paths = &mut *(data as *mut Vec<CString>);
        let name: *const c_char = (*info).dlpi_name;
        if !name.is_null() && *name != 0 {
            paths.push(CStr::from_ptr(name).to_owned());
        }
        0
    }
    let mut paths: Vec<CString> = Vec::new();
    unsafe { libc::dl_iterate_phdr(Some(each), &mut paths as *mut Vec<CString> as *mut c_void) };
    paths
}

/// Whether the already-loaded object at `path` is a PHP extension whose module
/// is named `gearman`: its own `get_module` (what PHP calls; it returns a
/// pointer to a static entry) says so.
fn provides_gearman(path: &CStr) -> bool {
    // RTLD_NOLOAD: only a handle to what is already mapped, never a new load.
    let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_LAZY | libc::RTLD_NOLOAD) };
    if handle.is_null() {
        return false;
    }
    // dlsym also searches the object's dependencies: a symbol must be its own.
    let own = |name: &CStr| {
        let sym = unsafe { libc::dlsym(handle, name.as_ptr()) };
        (!sym.is_null() && object_of(sym).as_deref() == Some(path)).then_some(sym)
    };
    let is_gearman = own(c"GEARMAN_RS_MODULE").is_some()
        || own(c"get_module").is_some_and(|sym| unsafe {
            let get_module: GetModule = std::mem::transmute::<*mut c_void, GetModule>(sym);
            let entry = get_module();
            !entry.is_null()
                && !(*entry).name.is_null()
                && CStr::from_ptr((*entry).name) == c"gearman"
        });
    unsafe { libc::dlclose(handle) };
    is_gearman
}
