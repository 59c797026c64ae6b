//! corsgate-gateway's integration tests: one binary, real upstreams and clients on loopback.

mod util;

mod cors;
mod lifecycle;
mod proxying;
mod routing;

/// Every file in tests/ is a module of this binary (`autotests = false` would otherwise let
/// a new file be silently never compiled).
#[test]
fn every_test_file_is_a_module() {
    let src = include_str!("tests.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".rs") {
            if stem != "tests" {
                assert!(
                    src.contains(&format!("mod {stem};")),
                    "tests/{name} is not a module of tests.rs"
                );
            }
        }
    }
}
