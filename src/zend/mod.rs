//! The thin layer between Rust and the Zend engine.
//!
//! ext-php-rs gives us the engine's types (bindgen) and the module entry; this
//! module adds what a drop-in replacement of a C extension needs and the
//! macros do not offer: arginfo identical to pecl/gearman's stub (union and
//! class types, defaults), argument parsing by Zend's own `zpp` (so weak-mode
//! coercion, deprecations and TypeError texts are native), objects with our
//! own handlers (no clone, GC-visible Rust-held zvals) and safe calls into PHP.

// First: its `zpp!` macro is used by the modules after it.
#[macro_use]
pub mod ffi;
pub mod args;
pub mod call;
pub mod class;
pub mod object;
pub mod sig;
pub mod value;
