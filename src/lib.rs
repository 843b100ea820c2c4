//! gearman-rs: a drop-in replacement for PECL's `gearman` extension.
//!
//! The protocol, connections, driver loop and the client/worker state
//! machines live in the PHP-free `gearman-core` crate. This crate is the thin
//! PHP layer: classes, functions, constants, argument parsing and callbacks.
//! - [`zend`]: the glue to the Zend engine (arginfo, zpp, objects, calls).
//! - [`php`]: the PHP-visible API, one file per class.

#[macro_use]
pub mod zend;
#[macro_use]
pub mod php;

pub use php::module::get_module;
