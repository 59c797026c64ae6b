//! The README's library example is `examples/readme.rs`, word for word (cargo compiles the
//! example with the tests, so the README's code compiles too).

#[test]
fn readme_quotes_the_compiled_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("examples/readme.rs")).expect("the example");
    let readme = std::fs::read_to_string(root.join("../../README.md")).expect("README.md");
    let code = &example[example
        .find("use axum")
        .expect("the example's first line of code")..];
    assert!(
        readme.contains(&format!("```rust\n{code}```")),
        "README.md must quote crates/corsgate/examples/readme.rs from its first `use` to the end, \
         in a ```rust block; copy the example into it"
    );
}
