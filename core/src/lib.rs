//! gearman-core: the PHP-free heart of gearman-rs.
#![warn(missing_docs)]

pub mod client;
mod connection;
pub mod error;
pub mod poll;
pub mod protocol;
pub mod return_code;
pub mod server;
mod sys;
pub mod unique;
pub mod worker;

pub use client::{Client, JobStatus, Priority, Scope, Step, Task, TaskEvent, TaskId, TaskKind};
pub use error::Error;
pub use poll::Readiness;
pub use return_code::ReturnCode;
pub use worker::{GrabMode, Job, WorkStep, Worker};
