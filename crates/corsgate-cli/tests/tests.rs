//! The `corsgate` binary and library tests, in one binary: `cargo test -p corsgate-cli --test
//! integration` (add a module path to run part of it, e.g. `-- check_http::`). One module per
//! subject; what they share is in `util`.
//!
//! The tests that run a real browser (`audit_real`, `demo_browser`, `differential`,
//! `export_browser`, `header_order`, `serve_browser`, `webkit`) take turns: one browser at a
//! time in the whole binary (`util::browser`).

mod util;

mod audit;
mod audit_real;
mod check_http;
mod check_https;
mod check_policy;
mod cli;
mod demo_browser;
mod demo_http;
mod differential;
mod export;
mod export_browser;
mod header_order;
mod serve_browser;
mod serve_process;
mod webkit;

/// Cargo builds only this binary from `tests/` (`autotests = false` in Cargo.toml): a file added
/// there but not declared above would never be compiled nor run. Every `.rs` file and directory
/// of `tests/` (but `data/`) must be a module of this binary.
#[test]
fn every_file_in_tests_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = std::fs::read_to_string(dir.join("tests.rs")).expect("tests/tests.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the tests directory") {
        let path = entry.expect("a directory entry").path();
        let name = if path.is_dir() {
            path.file_name()
        } else if path.extension().is_some_and(|e| e == "rs") {
            path.file_stem()
        } else {
            continue;
        };
        let name = name.and_then(|n| n.to_str()).unwrap_or_default();
        if name == "tests" || name == "data" {
            continue;
        }
        if !root.lines().any(|l| l.trim() == format!("mod {name};")) {
            missing.push(path.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not modules of tests/tests.rs, so never run: {missing:?}; declare each with `mod <name>;`"
    );
}
