//! The `corsgate` binary and library tests, in one binary: `cargo test -p corsgate-cli --test
//! integration` (add a module path to run part of it, e.g. `-- check_http::`). One module per
//! subject; what they share is in `util`.
//!
//! The tests that run a real browser (`demo_browser`, `differential`) take turns: one browser
//! at a time in the whole binary (`util::browser`).

mod util;

mod check_http;
mod check_https;
mod check_policy;
mod cli;
mod demo_browser;
mod demo_http;
mod differential;

