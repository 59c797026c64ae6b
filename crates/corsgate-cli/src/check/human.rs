//! The report in plain words, for a terminal (colour only when asked for).
//!
//! Everything echoed from the network, a policy file or the command line goes through
//! [`printable`]: a hostile server's control bytes show as escapes (`\u{9b}`), never reach
//! the terminal raw.

use std::fmt::Write as _;

use corsgate_config::text::printable;

use super::fix::Side;
use super::report::{Api, Exchange, Purpose, Report, Stage, Verdict};

/// Said when WebKit blocks but its console text for the case has not been observed.
const UNOBSERVED_WEBKIT: &str =
    "(what it prints for this case has not been observed in a real WebKit yet)";

/// ANSI styles, or nothing.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn red(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    fn green(&self, s: &str) -> String {
        self.paint("1;32", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

/// Should output to stdout be coloured? Only on a terminal, and never with `NO_COLOR` set
/// to a non-empty value (<https://no-color.org>).
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

/// One text (a console line, an explanation) on its own line, indented by `by` and made
/// printable: a line break inside it is part of it (it came with a value) and shows as `\n`.
fn line(text: &str, by: &str) -> String {
    format!("{by}{}\n", printable(text))
}

/// `text` line by line (a fix snippet), each indented by `by` and made printable.
fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{}\n", printable(l)))
        .collect::<String>()
}

fn exchange(out: &mut String, n: usize, e: &Exchange, st: &Style) {
    let title = match e.purpose {
        Purpose::Preflight => "Preflight",
        Purpose::Actual => "Request",
    };
    let _ = writeln!(
        out,
        "{}",
        st.bold(&format!(
            "{n}. {title}: {} {}",
            printable(&e.request.method),
            printable(&e.request.url)
        ))
    );
    for h in &e.request.headers {
        let _ = writeln!(
            out,
            "   {} {}: {}",
            st.dim(">"),
            printable(&h.name),
            printable(&h.value)
        );
    }
    if e.request.body {
        let _ = writeln!(out, "   {} (body)", st.dim(">"));
    }
    if e.request.credentials {
        let _ = writeln!(
            out,
            "   {}",
            st.dim("(a browser would add its cookies here; corsgate sends none)")
        );
    }
    let reason = http::StatusCode::from_u16(e.response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    // The version as a status line has it (`HTTP/2 204 No Content`); offline, none.
    let version = e
        .http_version
        .map(|v| format!("{} ", v.as_str()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "   {} {version}{} {reason}",
        st.dim("<"),
        e.response.status
    );
    for h in &e.response.headers {
        let _ = writeln!(
            out,
            "   {} {}: {}",
            st.dim("<"),
            printable(&h.name),
            printable(&h.value)
        );
    }
}

/// One extra preflight on one line: what it asked for, and whether CORS headers came back.
fn diagnostic(e: &Exchange) -> String {
    let header = |name: &str| {
        e.request
            .headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.as_str())
    };
    let asked = match (
        header("access-control-request-method"),
        header("access-control-request-headers"),
    ) {
        (Some(m), Some(h)) => format!("{m} with the header {h}"),
        (Some(m), None) => format!("{m} and no headers"),
        (None, _) => "nothing".to_owned(),
    };
    let reason = http::StatusCode::from_u16(e.response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let cors = if e
        .response
        .headers
        .iter()
        .any(|h| h.name == "access-control-allow-origin")
    {
        "with Access-Control-Allow-Origin"
    } else {
        "without CORS headers"
    };
    format!(
        "   {} {} asking for {}: {}{reason}, {cors}\n",
        printable(&e.request.method),
        printable(&e.request.url),
        printable(&asked),
        e.response.status
    )
}

/// Renders the report.
pub fn render(r: &Report, color: bool) -> String {
    let st = Style { on: color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} from origin {} (fetch credentials: {}{})",
        st.bold(&printable(&r.request.method)),
        printable(&r.request.url),
        printable(&r.request.origin),
        r.request.credentials.as_str(),
        match r.request.initiator {
            Api::Xhr => ", XMLHttpRequest",
            Api::Fetch => "",
        }
    );
    if let Some(file) = &r.policy_file {
        let _ = writeln!(
            out,
            "checked offline against the corsgate policy {}",
            printable(file)
        );
    }
    out.push('\n');
    for w in &r.warnings {
        let _ = writeln!(out, "note: {}", printable(w));
    }
    let throws = r
        .blocked
        .as_ref()
        .is_some_and(|b| b.stage == Stage::Request);
    if throws {
        let _ = writeln!(
            out,
            "Nothing is sent: the page's call throws before any request.\n"
        );
    } else if r.request.same_origin {
        let _ = writeln!(out, "Same-origin request: CORS does not apply.\n");
    } else if r.request.preflight_reasons.is_empty() {
        let _ = writeln!(
            out,
            "No preflight: a simple request (safelisted method and headers).\n"
        );
    } else {
        let _ = writeln!(
            out,
            "The browser preflights it: {}.\n",
            printable(&r.request.preflight_reasons.join("; "))
        );
    }
    for (i, e) in r.exchanges.iter().enumerate() {
        exchange(&mut out, i + 1, e, &st);
        out.push('\n');
    }
    if let Some(d) = &r.diagnosis {
        let _ = writeln!(
            out,
            "To find the cause, corsgate also sent (a browser does not):"
        );
        for e in &d.exchanges {
            out.push_str(&diagnostic(e));
        }
        out.push('\n');
    }
    match r.verdict {
        Verdict::Allowed => {
            let _ = writeln!(
                out,
                "{} the page can read the response (type {}).",
                st.green("ALLOWED:"),
                printable(r.response_type.as_deref().unwrap_or("cors"))
            );
            if let Some(h) = &r.readable_headers {
                let _ = writeln!(
                    out,
                    "Script can read these response headers: {}",
                    if h.is_empty() {
                        "(none)".to_owned()
                    } else {
                        printable(&h.join(", ")).into_owned()
                    }
                );
            }
            if r.browsers.firefox.verdict == Verdict::Blocked {
                let _ = writeln!(out, "\n{} Firefox blocks it:", st.red("But"));
                if let Some(m) = &r.browsers.firefox.message {
                    out.push_str(&line(m, "  "));
                }
            }
            let webkit = &r.browsers.webkit;
            if webkit.verdict == Verdict::Blocked {
                let _ = writeln!(out, "\n{} WebKit (Safari) blocks it:", st.red("But"));
                match &webkit.message {
                    Some(m) => {
                        out.push_str(&line(m, "  "));
                        for f in &webkit.followups {
                            out.push_str(&line(f, "  "));
                        }
                    }
                    None => out.push_str(&line(UNOBSERVED_WEBKIT, "  ")),
                }
            }
        }
        Verdict::Blocked => {
            let _ = writeln!(
                out,
                "{} {}",
                st.red("BLOCKED"),
                match r.blocked.as_ref().map(|b| b.stage) {
                    Some(Stage::Preflight) => "at the preflight.",
                    Some(Stage::Redirect) => "at a redirect.",
                    Some(Stage::Request) => "before sending: the page's call throws.",
                    Some(Stage::Response) | None => "at the response.",
                }
            );
            if let Some(b) = &r.blocked {
                let _ = writeln!(out, "\n{}", st.bold("Why:"));
                out.push_str(&line(&b.explanation, "  "));
            }
            if let Some(m) = &r.message {
                let _ = writeln!(out, "\n{}", st.bold("Chrome's console:"));
                out.push_str(&line(m, "  "));
            }
            match (&r.browsers.firefox.verdict, &r.browsers.firefox.message) {
                (Verdict::Blocked, Some(m)) => {
                    let _ = writeln!(out, "\n{}", st.bold("Firefox's console:"));
                    out.push_str(&line(m, "  "));
                    for f in &r.browsers.firefox.followups {
                        out.push_str(&line(f, "  "));
                    }
                }
                (Verdict::Allowed, _) => {
                    let _ = writeln!(out, "\nFirefox would let this one through.");
                }
                _ => {}
            }
            let webkit = &r.browsers.webkit;
            match (&webkit.verdict, &webkit.message) {
                (Verdict::Blocked, Some(m)) => {
                    let _ = writeln!(out, "\n{}", st.bold("WebKit's (Safari's) console:"));
                    out.push_str(&line(m, "  "));
                    for f in &webkit.followups {
                        out.push_str(&line(f, "  "));
                    }
                }
                (Verdict::Blocked, None) => {
                    let _ = writeln!(out, "\nWebKit (Safari) blocks it too.");
                    out.push_str(&line(UNOBSERVED_WEBKIT, "  "));
                }
                (Verdict::Allowed, _) => {
                    let _ = writeln!(out, "\nWebKit (Safari) would let this one through.");
                }
            }
            if let Some(f) = &r.fix {
                let title = match f.side {
                    Side::Page => "Fix (in the page's code):",
                    Side::Server => "Fix (on the server):",
                };
                let _ = writeln!(out, "\n{}", st.bold(title));
                out.push_str(&line(&f.summary, "  "));
                let stacks = [
                    ("corsgate policy (TOML)", &f.corsgate),
                    ("npm cors (Express)", &f.npm_cors),
                    ("tower-http (axum, tonic)", &f.tower_http),
                    ("nginx", &f.nginx),
                ];
                for (name, snippet) in stacks {
                    if let Some(s) = snippet {
                        let _ = writeln!(out, "\n  {}", st.bold(&format!("{name}:")));
                        out.push_str(&indent(s, "    "));
                    }
                }
            }
        }
    }
    for n in &r.notes {
        let _ = writeln!(out, "\nnote: {}", printable(n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::report::{Header, HttpRequest, HttpResponse, HttpVersion};

    fn an_exchange(http_version: Option<HttpVersion>, headers: &[(&str, &str)]) -> Exchange {
        Exchange {
            purpose: Purpose::Preflight,
            http_version,
            request: HttpRequest {
                method: "OPTIONS".to_owned(),
                url: "https://api.example/data".to_owned(),
                headers: headers
                    .iter()
                    .map(|(n, v)| Header {
                        name: (*n).to_owned(),
                        value: (*v).to_owned(),
                    })
                    .collect(),
                credentials: false,
                body: false,
            },
            response: HttpResponse {
                status: 204,
                headers: Vec::new(),
            },
        }
    }

    #[test]
    fn the_status_line_names_the_http_version_when_there_is_one() {
        let st = Style { on: false };
        let h2 = an_exchange(
            Some(HttpVersion::Http2),
            &[
                (":method", "OPTIONS"),
                (":scheme", "https"),
                (":authority", "api.example"),
                (":path", "/data"),
                ("origin", "https://app.example"),
            ],
        );
        let mut out = String::new();
        exchange(&mut out, 1, &h2, &st);
        assert_eq!(
            out,
            "1. Preflight: OPTIONS https://api.example/data\n\
             \x20  > :method: OPTIONS\n\
             \x20  > :scheme: https\n\
             \x20  > :authority: api.example\n\
             \x20  > :path: /data\n\
             \x20  > origin: https://app.example\n\
             \x20  < HTTP/2 204 No Content\n"
        );
        let mut out = String::new();
        exchange(
            &mut out,
            1,
            &an_exchange(Some(HttpVersion::Http11), &[]),
            &st,
        );
        assert!(out.ends_with("   < HTTP/1.1 204 No Content\n"), "{out}");
        let mut out = String::new();
        exchange(&mut out, 1, &an_exchange(None, &[]), &st);
        assert!(out.ends_with("   < 204 No Content\n"), "{out}");
    }

    #[test]
    fn colour_only_when_asked() {
        let st = Style { on: true };
        assert_eq!(st.red("x"), "\x1b[1;31mx\x1b[0m");
        let st = Style { on: false };
        assert_eq!(st.red("x"), "x");
    }
}
