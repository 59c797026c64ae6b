//! Text echoed from the network or a file, made safe for a terminal: every character that is
//! not printable becomes a visible escape.
//!
//! A hostile server's header bytes reach the human output (a C1 control such as 0x9B, which
//! Chrome shows as U+009B, is a terminal escape introducer), and so do a policy file's keys and
//! values in error messages. JSON output is exact instead (serde escapes what JSON needs).

use std::borrow::Cow;

/// `s` with every character that is not printable escaped: `\t`, `\n`, `\r`, and `\u{hex}`
/// for the other C0 controls, DEL, the C1 controls, format characters (zero-width and bidi
/// controls, the soft hyphen...), line and paragraph separators, spaces other than U+0020,
/// private-use characters and noncharacters. Backslashes stay as they are.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`printable`] line by line: the line breaks of `s` stay line breaks.
pub fn printable_lines(s: &str) -> String {
    s.split('\n').map(printable).collect::<Vec<_>>().join("\n")
}

/// Is `c` not safe to show as it is?
fn needs_escape(c: char) -> bool {
    let u = u32::from(c);
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || is_format(u)
        || (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF_0000
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// Unicode's format characters (general category Cf).
fn is_format(u: u32) -> bool {
    matches!(
        u,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisibles_are_escaped() {
        assert_eq!(printable("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(printable("\u{1b}[2J\u{7}\u{7f}"), "\\u{1b}[2J\\u{7}\\u{7f}");
        assert_eq!(printable("x\ty\r\n"), "x\\ty\\r\\n");
        assert_eq!(
            printable("\u{ad}\u{a0}\u{200b}\u{202e}\u{2028}\u{feff}\u{e000}\u{ffff}"),
            "\\u{ad}\\u{a0}\\u{200b}\\u{202e}\\u{2028}\\u{feff}\\u{e000}\\u{ffff}"
        );
        assert_eq!(printable_lines("a\u{9b}\nb"), "a\\u{9b}\nb");
    }

    #[test]
    fn printable_text_is_untouched() {
        let s =
            "GET http://localhost:3000/data — ‘Access-Control-Allow-Origin’ café 東京 \\ /^a\\.b$/";
        assert!(matches!(printable(s), Cow::Borrowed(_)));
    }
}
