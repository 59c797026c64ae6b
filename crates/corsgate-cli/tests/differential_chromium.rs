//! The differential suite in headless Chromium: every scenario's verdict and console line
//! against the table, the browser core and `corsgate check` (see `docs/differential.md`).

mod differential;

#[test]
fn chromium_agrees_with_the_table_the_core_and_check() {
    differential::run(differential::launch::Kind::Chromium);
}

#[test]
fn console_lines_are_read_exactly_from_chromium_stderr() {
    // The shape Chromium 156 prints with --enable-logging=stderr --v=0 (a real line, with a
    // quote inside the message to show the end is found from the right).
    let stderr = "[30947:30947:1123/023408.635143:INFO:CONSOLE:0] \"Access to fetch at \
                  'http://127.0.0.1:2/x' from origin 'http://127.0.0.1:1' has been blocked by \
                  CORS policy: value 'a\"b'.\", source: http://127.0.0.1:1/ (0)\n\
                  [30947:30960:1123/023408.640000:ERROR:some_file.cc(12)] unrelated\n";
    assert_eq!(
        differential::console_messages(stderr),
        [
            "Access to fetch at 'http://127.0.0.1:2/x' from origin 'http://127.0.0.1:1' has been \
          blocked by CORS policy: value 'a\"b'."
        ]
    );
}
