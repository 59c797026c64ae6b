//! Regular expressions for what a policy matches, written once for four regex dialects.
//!
//! The expressions are anchored (`^...$`) and use only what PCRE (nginx, HAProxy, Apache) and
//! RE2 (Caddy) both read the same way: `(?:...)`, `(?i)`, bracket classes and `\xHH`. Every
//! character that is not a letter, digit, `-`, `_`, `:` or `/` is written `[.]` (a dot) or as
//! `\xHH`, so no config file's own quoting (nginx's `"..."`, HAProxy's `'...'`, Caddy's
//! backticks, Apache's `/.../` inside `"..."`) ever changes what the engine reads.

use corsgate_fetch::default_port;

/// `s` as a regex matching exactly `s` (not anchored).
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | ':' | '/' => out.push(c),
            '.' => out.push_str("[.]"),
            c if c.is_ascii() => out.push_str(&format!("\\x{:02x}", c as u32)),
            // Validated policies hold ASCII only; anything else could never match a header.
            _ => out.push_str("\\x00"),
        }
    }
    out
}

/// The bytes of an HTTP token (RFC 9110 `tchar`), as a class.
pub const TCHAR: &str = "[!\\x23$%&\\x27*+.\\x5e_\\x60|~0-9A-Za-z-]";

/// Spaces and tabs (optional whitespace in a list).
const OWS: &str = "[\\x20\\x09]*";

/// A port as browsers write it (1 to 5 digits, no leading zero, `0` itself), never the
/// scheme's default port, which browsers leave out of an origin.
pub fn port(scheme: &str) -> String {
    let mut alts = vec!["0".to_owned()];
    let default = default_port(scheme).map(|p| p.to_string());
    let n = default.as_ref().map_or(0, String::len);
    for len in 1..=5usize {
        if len == n {
            continue;
        }
        alts.push(format!("[1-9]{}", repeat_digit(len - 1)));
    }
    if let Some(d) = default {
        let d = d.as_bytes();
        for i in 0..d.len() {
            let lowest = if i == 0 { b'1' } else { b'0' };
            let class: String = (lowest..=b'9')
                .filter(|&c| c != d[i])
                .map(char::from)
                .collect();
            let prefix = std::str::from_utf8(&d[..i]).unwrap_or_default();
            alts.push(format!(
                "{prefix}[{class}]{}",
                repeat_digit(d.len() - i - 1)
            ));
        }
    }
    format!("(?:{})", alts.join("|"))
}

fn repeat_digit(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "[0-9]".to_owned(),
        n => format!("[0-9]{{{n}}}"),
    }
}

/// The anchored regex for one validated `allow_origins` entry other than `*`: an exact
/// origin, `scheme://*.base[:port|:*]` or `scheme://host:*`.
pub fn origin(entry: &str) -> String {
    if !entry.contains('*') {
        return format!("^{}$", literal(entry));
    }
    let (scheme, rest) = entry.split_once("://").unwrap_or(("", entry));
    let (rest, subdomains) = match rest.strip_prefix("*.") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (host, port_part) = match rest.strip_suffix(":*") {
        Some(h) => (h, format!("(?::{})?", port(scheme))),
        None => (rest, String::new()),
    };
    // `host` may still carry an explicit port (`*.example.com:8443`): kept literally.
    let labels = if subdomains {
        // One or more labels of a-z 0-9 - _ (1 to 63 bytes each), as the library reads them.
        "(?:[a-z0-9_-]{1,63}[.])+"
    } else {
        ""
    };
    format!(
        "^{}://{labels}{}{port_part}$",
        literal(scheme),
        literal(host)
    )
}

/// `^(?:GET|HEAD|POST|...)$` for the methods a preflight may ask for (compared
/// case-sensitively, as the library does), or any token.
pub fn methods(listed: Option<&[String]>) -> String {
    match listed {
        None => format!("^{TCHAR}+$"),
        Some(list) => {
            let mut names: Vec<String> = ["GET", "HEAD", "POST"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            for m in list {
                if !names.contains(m) {
                    names.push(m.clone());
                }
            }
            let alts: Vec<String> = names.iter().map(|m| literal(m)).collect();
            format!("^(?:{})$", alts.join("|"))
        }
    }
}

/// A whole `Access-Control-Request-Headers` value whose every element (commas between,
/// optional whitespace, empty elements skipped) is one of `listed` (compared without case),
/// or, with `None`, any token.
///
/// Written so that a backtracking engine (PCRE in nginx, HAProxy and Apache) has one way to
/// match each byte: every element after the first starts at its comma, and whitespace is
/// read once (before a name, or after it), never by two neighbouring `[ \t]*` — with those, a
/// value of many empty elements (`"  ,  ,  , … x"`, which a client controls) takes a number
/// of steps exponential in its length.
pub fn header_list(listed: Option<&[String]>) -> String {
    let name = match listed {
        None => format!("{TCHAR}+"),
        Some([]) => return format!("^{OWS}(?:,{OWS})*$"),
        Some(list) => {
            let alts: Vec<String> = list.iter().map(|h| literal(h)).collect();
            format!("(?:{})", alts.join("|"))
        }
    };
    format!("(?i)^{OWS}(?:{name}{OWS})?(?:,{OWS}(?:{name}{OWS})?)*$")
}

/// `authorization` among the elements of a header list.
pub fn lists_authorization() -> String {
    format!("(?i)(?:^|,){OWS}authorization{OWS}(?:,|$)")
}

/// At least one name in a header list.
pub fn lists_a_name() -> String {
    TCHAR.to_owned()
}

/// `origin` (or `*`) among the elements of a `Vary` value.
pub fn vary_lists_origin() -> String {
    vary_lists("origin")
}

/// `name` (a lower-case token of letters and `-`) or `*` among the elements of a `Vary`
/// value, compared without case.
pub fn vary_lists(name: &str) -> String {
    format!("(?i)(?:^|,){OWS}(?:{}|\\x2a){OWS}(?:,|$)", literal(name))
}

/// For the append-then-drop merge (Caddy): a `Vary` value that lists `name` (or `*`)
/// before a final `, name` appended to it; group 1 is the value without that append.
pub fn vary_appended_twice(name: &str) -> String {
    format!(
        "(?i)^((?:.*,)?{OWS}(?:{n}|\\x2a){OWS}(?:,.*)?), {n}$",
        n = literal(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_everything_but_plain_characters() {
        assert_eq!(literal("https://a.b-c"), "https://a[.]b-c");
        assert_eq!(literal("x'^`$"), "x\\x27\\x5e\\x60\\x24");
        assert_eq!(literal("http://[::1]:8080"), "http://\\x5b::1\\x5d:8080");
    }

    #[test]
    fn ports_leave_out_the_default() {
        assert_eq!(
            port("http"),
            "(?:0|[1-9]|[1-9][0-9]{2}|[1-9][0-9]{3}|[1-9][0-9]{4}|[12345679][0-9]|8[123456789])"
        );
        assert!(port("foo").starts_with("(?:0|[1-9]|[1-9][0-9]|"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://app.example.com"),
            "^https://app[.]example[.]com$"
        );
        assert_eq!(
            origin("https://*.example.com"),
            "^https://(?:[a-z0-9_-]{1,63}[.])+example[.]com$"
        );
        assert!(origin("http://localhost:*").starts_with("^http://localhost(?::(?:0|"));
        assert_eq!(
            origin("https://*.example.com:8443"),
            "^https://(?:[a-z0-9_-]{1,63}[.])+example[.]com:8443$"
        );
    }
}
