//! The `corsgate` command's subcommands, as a library so tests can run them in-process.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod check;
pub mod cli;
pub mod demo;
pub mod export;
pub mod serve;
pub mod validate;

/// Exit status for bad flags, bad policies and ports in use (the same as clap's usage errors).
pub const EXIT_USAGE: u8 = 2;
/// Exit status for a failure while running (a server stopped with an error).
pub const EXIT_FAILURE: u8 = 1;
