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
/// there but not declared would never be compiled nor run. Every `.rs` file and directory of
/// `tests/` (but `data/`) must be a module of this binary: declared above, or, inside a module's
/// directory (`layer/` of `layer.rs`), by that module.
#[test]
fn every_file_in_tests_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut missing = Vec::new();
    undeclared(&dir, &dir.join("tests.rs"), true, &mut missing);
    assert!(
        missing.is_empty(),
        "not modules of this binary, so never run: {missing:?}; declare each with `mod <name>;` \
         in tests/tests.rs or in the module whose directory holds it"
    );
}

/// Adds to `missing` the `.rs` files and directories of `dir` that `module` (the file of the
/// module whose directory `dir` is) does not declare, then does the same inside each directory.
fn undeclared(
    dir: &std::path::Path,
    module: &std::path::Path,
    root: bool,
    missing: &mut Vec<String>,
) {
    let source = std::fs::read_to_string(module).unwrap_or_default();
    for entry in std::fs::read_dir(dir).expect("a directory of tests/") {
        let path = entry.expect("a directory entry").path();
        let name = if path.is_dir() {
            path.file_name()
        } else if path.extension().is_some_and(|e| e == "rs") {
            path.file_stem()
        } else {
            continue;
        };
        let name = name.and_then(|n| n.to_str()).unwrap_or_default();
        if (root && (name == "tests" || name == "data")) || (!root && name == "mod") {
            continue;
        }
        let declaration = format!("mod {name};");
        let declared = source.lines().any(|l| {
            l.trim()
                .strip_suffix(declaration.as_str())
                .is_some_and(|vis| vis.is_empty() || vis.starts_with("pub"))
        });
        if !declared {
            missing.push(path.display().to_string());
        } else if path.is_dir() {
            let file = dir.join(format!("{name}.rs"));
            let file = if file.exists() {
                file
            } else {
                path.join("mod.rs")
            };
            undeclared(&path, &file, false, missing);
        }
    }
}
