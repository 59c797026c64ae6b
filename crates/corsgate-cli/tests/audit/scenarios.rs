//! The scripted misconfigured servers, one scenario per class audit finds, and their answers.

use super::*;

/// An answer allowing `origin` (with credentials when `creds`), with `Vary: Origin`.
pub(super) fn allow(origin: &str, creds: bool) -> Reply {
    let mut r = Reply::new(if origin.is_empty() { 200 } else { 204 })
        .header("access-control-allow-origin", origin)
        .header("vary", "Origin")
        .header("access-control-allow-methods", "GET, POST, PUT");
    if creds {
        r = r.header("access-control-allow-credentials", "true");
    }
    r
}

/// An answer refusing: no CORS headers, `Vary: Origin`.
pub(super) fn refuse() -> Reply {
    Reply::new(200).header("vary", "Origin")
}

/// A server trusting the origins `trusts` accepts, with credentials.
pub(super) fn trusting(
    trusts: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> impl Fn(&Seen) -> Reply {
    move |seen: &Seen| {
        let origin = seen.origin();
        if trusts(&origin) {
            allow(&origin, true)
        } else {
            refuse()
        }
    }
}

/// `^https://app.example.com$` as a regex with its dots unescaped.
pub(super) fn unescaped_dots(origin: &str) -> bool {
    origin.len() == APP.len()
        && origin
            .bytes()
            .zip(APP.bytes())
            .all(|(o, p)| p == b'.' || o == p)
}

pub(super) type Script = Box<dyn Fn(&Seen) -> Reply + Send + Sync>;
/// A scenario: its name, the server's script, the findings expected.
pub(super) type Scenario = (&'static str, Script, Vec<(&'static str, &'static str)>);

pub(super) fn scenarios() -> Vec<Scenario> {
    vec![
        (
            "reflects any origin with credentials",
            Box::new(trusting(|_| true)),
            vec![("reflect-any-origin", "high")],
        ),
        (
            "reflects any origin without credentials",
            Box::new(|seen: &Seen| allow(&seen.origin(), false)),
            vec![("reflect-any-origin", "medium")],
        ),
        (
            "trusts null",
            Box::new(trusting(|o| o == APP || o == "null")),
            vec![("null-origin", "high")],
        ),
        (
            "startsWith",
            Box::new(trusting(|o| o.starts_with(APP))),
            vec![("prefix-match", "high")],
        ),
        (
            "endsWith example.com",
            Box::new(trusting(|o| o.ends_with("example.com"))),
            vec![("suffix-match", "high")],
        ),
        (
            "unescaped dots",
            Box::new(trusting(unescaped_dots)),
            vec![("unescaped-dot", "high")],
        ),
        (
            "special characters after the host",
            Box::new(trusting(|o| {
                o.strip_prefix(APP)
                    .is_some_and(|rest| !rest.starts_with('.'))
            })),
            vec![("special-chars", "high")],
        ),
        (
            "shared hosting",
            Box::new(trusting(|o| o == APP || o.ends_with(".github.io"))),
            vec![("third-party-host", "high")],
        ),
        (
            "any subdomain",
            Box::new(trusting(|o| {
                o.strip_prefix("https://")
                    .is_some_and(|h| h.ends_with(".example.com"))
            })),
            vec![("any-subdomain", "info")],
        ),
        (
            "star with credentials",
            Box::new(|_: &Seen| {
                Reply::new(200)
                    .header("access-control-allow-origin", "*")
                    .header("access-control-allow-credentials", "true")
            }),
            vec![("wildcard-with-credentials", "low")],
        ),
        (
            "reflected without Vary",
            Box::new(|seen: &Seen| {
                if seen.origin() == APP {
                    Reply::new(200).header("access-control-allow-origin", APP)
                } else {
                    Reply::new(200)
                }
            }),
            vec![("missing-vary", "low")],
        ),
        (
            "a refused preflight lists the methods",
            Box::new(|seen: &Seen| {
                if seen.origin() == APP {
                    allow(APP, false)
                } else if seen.method == http::Method::OPTIONS {
                    Reply::new(204)
                        .header("access-control-allow-methods", "GET, PUT, DELETE")
                        .header("access-control-allow-headers", "x-corsgate-audit")
                } else {
                    refuse()
                }
            }),
            vec![("preflight-disclosure", "low")],
        ),
        (
            "private network for anyone",
            Box::new(|seen: &Seen| {
                if seen
                    .header("access-control-request-private-network")
                    .is_some()
                {
                    Reply::new(204)
                        .header("access-control-allow-origin", "*")
                        .header("access-control-allow-private-network", "true")
                } else if seen.origin() == APP {
                    allow(APP, false)
                } else {
                    refuse()
                }
            }),
            vec![("private-network-any-origin", "medium")],
        ),
        (
            "no CORS at all",
            Box::new(|_: &Seen| Reply::new(200)),
            vec![("trusted-origin-refused", "low")],
        ),
        (
            "a preflight kept twenty days",
            Box::new(|seen: &Seen| {
                if seen.origin() == APP {
                    allow(APP, true).header("access-control-max-age", "1728000")
                } else {
                    refuse()
                }
            }),
            vec![("max-age-too-long", "low")],
        ),
        (
            "a redirect elsewhere",
            Box::new(|_: &Seen| Reply::new(301).header("location", "https://www.example.com/data")),
            vec![("trusted-origin-refused", "low"), ("redirect", "info")],
        ),
    ]
}
