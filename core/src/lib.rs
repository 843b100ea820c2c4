//! gearman-core: the PHP-free heart of gearman-rs.
#![warn(missing_docs)]

pub mod error;
pub mod protocol;
pub mod return_code;

pub use error::Error;
pub use return_code::ReturnCode;
