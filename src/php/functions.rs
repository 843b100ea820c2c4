//! The module-level functions that belong to no class.

use crate::handler;
use crate::php::{client, worker};
use crate::zend::sig::{function, Func};
use crate::zend::{object, value};

/// What `gearman_version()` reports: the libgearman version the reference is
/// built against, so version checks written for it keep passing.
pub const LIBGEARMAN_VERSION: &str = "1.1.20";

pub const FUNCS: &[Func] = &[
    function("gearman_version", "", "string", gearman_version),
    function("gearman_bugreport", "", "string", gearman_bugreport),
    function(
        "gearman_verbose_name",
        "int $verbose",
        "?string",
        gearman_verbose_name,
    ),
    function(
        "gearman_client_create",
        "",
        "GearmanClient|false",
        gearman_client_create,
    ),
    function(
        "gearman_worker_create",
        "",
        "GearmanWorker|false",
        gearman_worker_create,
    ),
];

handler!(gearman_version(ex, rv) {
    if zpp!(ex, "") {
        value::set_bytes(rv, LIBGEARMAN_VERSION.as_bytes());
    }
});

handler!(gearman_bugreport(ex, rv) {
    if zpp!(ex, "") {
        value::set_bytes(rv, b"https://github.com/gearman/gearmand/issues");
    }
});

/// Name of a libgearman verbose level.
pub fn verbose_name(level: i64) -> &'static str {
    match level {
        0 => "NEVER",
        1 => "FATAL",
        2 => "ERROR",
        3 => "INFO",
        4 => "DEBUG",
        5 => "CRAZY",
        _ => "UNKNOWN",
    }
}

handler!(gearman_verbose_name(ex, rv) {
    let mut level: i64 = 0;
    if !zpp!(ex, "l", &mut level as *mut i64) {
        value::warn("Unable to parse parameters.");
        return;
    }
    if level < 0 {
        value::warn("Input must be an integer greater than 0.");
        value::set_null(rv);
        return;
    }
    value::set_bytes(rv, verbose_name(level).as_bytes());
});

handler!(gearman_client_create(ex, rv) {
    if zpp!(ex, "") {
        object::instantiate::<client::Client>(rv);
    }
});

handler!(gearman_worker_create(ex, rv) {
    if zpp!(ex, "") {
        object::instantiate::<worker::Worker>(rv);
    }
});
