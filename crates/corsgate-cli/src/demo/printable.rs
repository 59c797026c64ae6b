//! What came from the network, made safe to print on a terminal ([`printable`]).

use std::fmt::Write as _;

/// `bytes` as text that is safe to print on a terminal: control characters — C0 (`\x00` to
/// `\x1f`, tab included), DEL (`\x7f`) and C1 (`\u{80}` to `\u{9f}`) — and bytes that are not
/// UTF-8 (`\xff`) are escaped, and so is the backslash (`\\`) that starts every escape, so a
/// client can neither move the cursor, recolour the terminal nor fake a log line. Everything
/// else is printed as it came.
///
/// (Through hyper, a request can carry C1 characters as UTF-8 in its path and header values,
/// tabs and bytes that are not UTF-8 in its header values.)
pub(crate) fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\0'..='\x1f' | '\x7f' => {
                    let _ = write!(out, "\\x{:02x}", u32::from(c));
                }
                '\u{80}'..='\u{9f}' => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}
