//! The differential suite in headless Firefox ESR: every scenario's verdict against the table,
//! the browser core and `corsgate check`'s Firefox verdict (see `docs/differential.md`).

mod differential;

#[test]
fn firefox_agrees_with_the_table_the_core_and_check() {
    differential::run(differential::launch::Kind::Firefox);
}
