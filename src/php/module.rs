//! The module entry: name `gearman`, startup (classes, constants), phpinfo.

use ext_php_rs::builders::ModuleBuilder;
use ext_php_rs::zend::{ModuleEntry, StaticModuleEntry};
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

use crate::php::constants::{C, CONSTANTS};
use crate::php::{admin, client, exception, functions, ini, job, load_guard, task, worker};
use crate::zend::ffi::*;
use crate::zend::sig;

/// The version `phpversion('gearman')` reports: the pecl/gearman release whose
/// behaviour we reproduce.
pub const EXTENSION_VERSION: &str = "2.1.0";

/// The source commit this binary was built from (set by build.rs when the
/// source is a git checkout).
const COMMIT: Option<&str> = option_env!("GEARMAN_RS_COMMIT");

#[unsafe(no_mangle)]
pub extern "C" fn get_module() -> *mut ModuleEntry {
    load_guard::refuse_if_already_loaded();
    static MODULE: StaticModuleEntry = StaticModuleEntry::new();
    MODULE.get_or_init(|| {
        let (mut entry, _startup, owned) = ModuleBuilder::new("gearman", EXTENSION_VERSION)
            .startup_function(startup)
            .request_startup_function(request_startup)
            .request_shutdown_function(request_shutdown)
            .info_function(info)
            .try_into()
            .expect("module entry");
        // Our own function table (see zend::sig), in pecl/gearman's order.
        entry.functions = sig::function_table(&[
            (None, functions::FUNCS),
            (Some("GearmanClient"), client::FUNCS),
            (Some("GearmanJob"), job::FUNCS),
            (Some("GearmanTask"), task::FUNCS),
            (Some("GearmanWorker"), worker::FUNCS),
        ]);
        (entry, owned)
    })
}

unsafe extern "C" fn startup(_type: i32, module_number: i32) -> i32 {
    ini::register(module_number);
    gearman_core::large_body::set_allocator(crate::zend::value::body_memory);
    client::register();
    task::register();
    worker::register();
    job::register();
    exception::register();
    admin::register();
    crate::zend::sig::tables_done();
    for (name, value) in CONSTANTS {
        match value {
            // Since PHP 8.5 these return the new constant; nothing to do with it.
            C::Int(v) => {
                zend_register_long_constant(
                    name.as_ptr() as _,
                    name.len(),
                    *v,
                    CONST_PERSISTENT as i32,
                    module_number,
                );
            }
            C::Str(s) => {
                let cs = std::ffi::CString::new(*s).expect("constant");
                zend_register_string_constant(
                    name.as_ptr() as _,
                    name.len(),
                    cs.as_ptr() as _,
                    CONST_PERSISTENT as i32,
                    module_number,
                );
            }
        }
    }
    0
}

/// RINIT: watch `pcntl_signal()` (see php::signal).
extern "C" fn request_startup(_type: i32, _module_number: i32) -> i32 {
    crate::php::signal::request_start();
    0
}

/// RSHUTDOWN: give signal handlers back to pcntl (worker stop-signal
/// counting, see gearman_core::stop_signal) before this object could be
/// unloaded.
extern "C" fn request_shutdown(_type: i32, _module_number: i32) -> i32 {
    gearman_core::stop_signal::disarm();
    crate::php::signal::forget();
    0
}

extern "C" fn info(module: *mut ModuleEntry) {
    info_table_start!();
    unsafe { php_info_print_table_header(2, c"gearman support".as_ptr(), c"enabled".as_ptr()) };
    info_table_row!("extension version", EXTENSION_VERSION);
    info_table_row!("libgearman version", functions::LIBGEARMAN_VERSION);
    info_table_row!("Default TCP Host", "localhost");
    info_table_row!("Default TCP Port", "4730");
    info_table_row!(
        "implementation",
        concat!(
            "gearman-rs ",
            env!("CARGO_PKG_VERSION"),
            " (native Rust, no libgearman)"
        )
    );
    // What this binary was built for (PHP refuses a mismatch, so also what runs it),
    // and which source it came from: what a bug report needs.
    let (api, zts) = unsafe { ((*module).zend_api, (*module).zts != 0) };
    info_table_row!("built for PHP API", api.to_string());
    info_table_row!(
        "thread safety",
        if zts {
            "ZTS (thread-safe build)"
        } else {
            "NTS (non-thread-safe build)"
        }
    );
    info_table_row!(
        "build",
        format!(
            "gearman-rs {}, commit {}",
            env!("CARGO_PKG_VERSION"),
            COMMIT.unwrap_or("unknown")
        )
    );
    info_table_end!();
}
