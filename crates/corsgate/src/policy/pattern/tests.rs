//! Tests of origin patterns: the allowed forms, matching, covering, and the error messages.

use super::*;
use proptest::prelude::*;
use OriginErrorKind::*;

#[test]
fn parse_matches_and_suggests() {
    let p = OriginPattern::parse("https://*.example.com").unwrap();
    assert!(p.matches(&Origin::parse("https://api.example.com").unwrap()));
    assert!(!p.matches(&Origin::parse("https://example.com").unwrap()));

    let e = OriginPattern::parse("https://*.example.com/").unwrap_err();
    assert_eq!(
        e.to_string(),
        "origins have no path; use https://*.example.com"
    );
    assert_eq!(e.suggestion(), Some("https://*.example.com"));
}

fn o(s: &str) -> Origin<'_> {
    Origin::parse(s).unwrap()
}

fn p(s: &str) -> OriginPattern {
    OriginPattern::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn err(s: &str) -> (OriginErrorKind, Option<String>) {
    let e = OriginPattern::parse(s).unwrap_err();
    (e.kind(), e.suggestion().map(String::from))
}

#[test]
fn the_allowed_forms() {
    assert_eq!(p("*"), OriginPattern::Any);
    assert_eq!(
        p("https://a.com"),
        OriginPattern::Exact("https://a.com".into())
    );
    for (text, scheme, host, subdomains, port) in [
        (
            "https://*.example.com",
            "https",
            "example.com",
            true,
            PortPattern::Exact(None),
        ),
        (
            "https://*.example.com:8443",
            "https",
            "example.com",
            true,
            PortPattern::Exact(Some(8443)),
        ),
        (
            "https://*.example.com:*",
            "https",
            "example.com",
            true,
            PortPattern::Any,
        ),
        (
            "http://localhost:*",
            "http",
            "localhost",
            false,
            PortPattern::Any,
        ),
        (
            "http://127.0.0.1:*",
            "http",
            "127.0.0.1",
            false,
            PortPattern::Any,
        ),
        ("http://[::1]:*", "http", "[::1]", false, PortPattern::Any),
        (
            "capacitor://*.app",
            "capacitor",
            "app",
            true,
            PortPattern::Exact(None),
        ),
    ] {
        let OriginPattern::Wildcard(w) = p(text) else {
            panic!("{text}")
        };
        assert_eq!(
            (w.as_str(), w.scheme(), w.host(), w.subdomains(), w.port()),
            (text, scheme, host, subdomains, port)
        );
        assert_eq!(p(text).as_str(), text);
        assert_eq!(p(text).to_string(), text);
    }
}

#[test]
fn subdomain_wildcards_never_match_the_apex() {
    let pat = p("https://*.example.com");
    assert!(pat.matches(&o("https://a.example.com")));
    assert!(pat.matches(&o("https://a.b.example.com")));
    assert!(pat.matches(&o("https://x_y.example.com")));
    assert!(!pat.matches(&o("https://example.com")));
    assert!(!pat.matches(&o("https://aexample.com")));
    assert!(!pat.matches(&o("https://a.example.com.evil.com")));
    assert!(!pat.matches(&o("https://a.example.co")));
    assert!(!pat.matches(&o("http://a.example.com")));
    assert!(!pat.matches(&o("wss://a.example.com")));
    assert!(!pat.matches(&o("https://a.example.com:8443")));
}

#[test]
fn port_wildcards() {
    let pat = p("http://localhost:*");
    assert!(pat.matches(&o("http://localhost")));
    assert!(pat.matches(&o("http://localhost:5500")));
    assert!(pat.matches(&o("http://localhost:0")));
    assert!(!pat.matches(&o("http://a.localhost:5500")));
    assert!(!pat.matches(&o("https://localhost:5500")));
    assert!(!pat.matches(&o("http://127.0.0.1:5500")));
    let pat = p("https://*.example.com:*");
    assert!(pat.matches(&o("https://a.example.com:1")));
    assert!(pat.matches(&o("https://a.example.com")));
    assert!(!pat.matches(&o("https://example.com:1")));
    let pat = p("https://*.example.com:8443");
    assert!(pat.matches(&o("https://a.example.com:8443")));
    assert!(!pat.matches(&o("https://a.example.com")));
    assert!(!pat.matches(&o("https://a.example.com:8444")));
    let pat = p("http://[::1]:*");
    assert!(pat.matches(&o("http://[::1]:3000")));
    assert!(!pat.matches(&o("http://[::2]:3000")));
}

#[test]
fn exact_patterns_match_only_themselves() {
    let pat = p("http://localhost:3000");
    assert!(pat.matches(&o("http://localhost:3000")));
    assert!(!pat.matches(&o("http://localhost")));
    assert!(!pat.matches(&o("http://localhost:3001")));
    assert!(!pat.matches(&o("https://localhost:3000")));
    assert!(p("*").matches(&o("tauri://localhost")));
}

#[test]
fn other_wildcards_are_refused() {
    let cases: &[(&str, OriginErrorKind, Option<&str>)] = &[
        ("https://a.*.com", InvalidWildcard, None),
        ("https://*a.com", InvalidWildcard, None),
        ("https://a*.com", InvalidWildcard, None),
        ("https://*", InvalidWildcard, None),
        ("https://*:*", InvalidWildcard, None),
        ("*.example.com", InvalidWildcard, None),
        ("*://a.com", InvalidWildcard, None),
        ("https*://a.com", InvalidWildcard, None),
        ("https://example.*", InvalidWildcard, None),
        ("https://*.*.example.com", InvalidWildcard, None),
        ("https://*.example.com:8*", InvalidWildcard, None),
        ("https://*.example.com:*:*", InvalidWildcard, None),
        ("http://localhost:3000:*", InvalidWildcard, None),
        ("**", InvalidWildcard, None),
        ("*:*", InvalidWildcard, None),
        (" *", Whitespace, Some("*")),
        (
            "https://*.example.com ",
            Whitespace,
            Some("https://*.example.com"),
        ),
        ("https://*.127.0.0.1", WildcardBase, None),
        ("https://*.127.1", WildcardBase, None),
        ("https://*.[::1]", WildcardBase, None),
        ("https://*.[::1]:*", WildcardBase, None),
        ("https://*.", InvalidHost, None),
        ("https://*.:*", InvalidHost, None),
        ("https://*..com", InvalidHost, None),
        (
            "https://*.example.com.",
            InvalidHost,
            Some("https://*.example.com"),
        ),
        (
            "https://*.example.com/",
            HasPath,
            Some("https://*.example.com"),
        ),
        (
            "https://*.example.com:*/x",
            HasPath,
            Some("https://*.example.com:*"),
        ),
        ("http://localhost:*/", HasPath, Some("http://localhost:*")),
        ("https://a.com/*", HasPath, Some("https://a.com")),
        ("https://a.com?x=*", HasQuery, Some("https://a.com")),
        (
            "https://*.Example.com:443",
            UpperCase,
            Some("https://*.example.com"),
        ),
        (
            "HTTPS://*.EXAMPLE.COM",
            UpperCase,
            Some("https://*.example.com"),
        ),
        (
            "https://*.example.com:443",
            DefaultPort,
            Some("https://*.example.com"),
        ),
        (
            "https://*.example.com:08443",
            InvalidPort,
            Some("https://*.example.com:8443"),
        ),
        (
            "https://*.bücher.example",
            NonAsciiHost,
            Some("https://*.xn--bcher-kva.example"),
        ),
        (
            "https://*.u@example.com",
            HasUserInfo,
            Some("https://example.com"),
        ),
        ("file://*.a.com", File, None),
        ("https://*.xn--a.com", InvalidPunycode, None),
        ("https://xn--a.com", InvalidPunycode, None),
        ("http://xn--a.com:*", InvalidPunycode, None),
        ("https://xn--.com", InvalidPunycode, None),
        ("null", Null, None),
        ("https://a.com:443", DefaultPort, Some("https://a.com")),
    ];
    for (input, kind, sugg) in cases {
        assert_eq!(err(input), (*kind, sugg.map(String::from)), "{input:?}");
    }
    // Valid punycode is fine in every form.
    p("https://xn--bcher-kva.example");
    p("https://*.xn--bcher-kva.example:*");
}

#[test]
fn error_messages() {
    let m = |s: &str| OriginPattern::parse(s).unwrap_err().to_string();
    assert_eq!(
        m("https://a.*.com"),
        "a `*` may only stand alone (`*`), start the host (`https://*.example.com`), or be the port (`http://localhost:*`, `https://*.example.com:*`)"
    );
    assert_eq!(
        m("https://*.10.0.0.1"),
        "the base of a `*.` wildcard must be a domain name, not an IP address"
    );
    assert_eq!(
        m("https://*.example.com:443"),
        "browsers omit the scheme's default port; use https://*.example.com"
    );
    assert_eq!(
        m("https://*.bücher.example"),
        "non-ASCII host; browsers send the punycode form: https://*.xn--bcher-kva.example"
    );
    assert_eq!(
        m("https://xn--a.com"),
        "invalid punycode (xn--) label: browsers refuse this host"
    );
}

#[test]
fn insecure_and_public_suffix() {
    assert!(p("http://a.example").is_insecure());
    assert!(p("ws://a.example").is_insecure());
    assert!(p("http://10.0.0.1:8080").is_insecure());
    assert!(p("http://*.example.com").is_insecure());
    assert!(p("http://example.com:*").is_insecure());
    assert!(!p("http://localhost:*").is_insecure());
    assert!(!p("http://*.localhost").is_insecure());
    assert!(!p("http://app.localhost:3000").is_insecure());
    assert!(!p("http://127.0.0.1:5500").is_insecure());
    assert!(!p("http://[::1]:*").is_insecure());
    assert!(!p("https://a.example").is_insecure());
    assert!(!p("wss://*.a.example").is_insecure());
    assert!(!p("capacitor://localhost").is_insecure());
    assert!(!p("*").is_insecure());
    for psl in [
        "https://*.com",
        "https://*.github.io",
        "https://*.co.uk",
        "https://*.s3.amazonaws.com",
        "http://*.com:*",
    ] {
        assert!(p(psl).is_public_suffix_wildcard(), "{psl}");
    }
    for not in [
        "https://*.example.com",
        "https://*.a.github.io",
        "https://*.amazonaws.com",
        "http://*.localhost",
        "https://*.internal",
        "https://a.com",
        "https://com:*",
        "*",
    ] {
        assert!(!p(not).is_public_suffix_wildcard(), "{not}");
    }
}

#[test]
fn covers() {
    let yes = [
        ("*", "https://a.com"),
        ("*", "https://*.a.com:*"),
        ("*", "*"),
        ("https://a.com", "https://a.com"),
        ("https://*.example.com", "https://a.example.com"),
        ("https://*.example.com", "https://*.a.example.com"),
        ("https://*.example.com:*", "https://*.example.com"),
        ("https://*.example.com:*", "https://*.example.com:8080"),
        ("https://*.example.com:*", "https://*.a.example.com:8080"),
        ("https://*.example.com:*", "https://a.example.com:*"),
        (
            "https://*.example.com:8080",
            "https://*.foo.example.com:8080",
        ),
        ("https://*.example.com:8080", "https://foo.example.com:8080"),
        ("http://localhost:*", "http://localhost:3000"),
        ("http://localhost:*", "http://localhost"),
    ];
    for (a, b) in yes {
        assert!(p(a).covers(&p(b)), "{a} covers {b}");
    }
    let no = [
        ("https://a.com", "*"),
        ("https://*.a.com", "*"),
        ("https://a.com", "https://b.com"),
        ("http://localhost:3000", "http://localhost:*"),
        ("https://*.example.com", "https://example.com"),
        ("https://*.example.com", "https://*.example.com:*"),
        ("https://*.example.com", "https://a.example.com:*"),
        ("https://*.example.com", "http://a.example.com"),
        ("https://*.example.com", "https://a.example.com:8080"),
        ("https://*.example.com:8080", "https://*.example.com"),
        ("https://*.a.example.com", "https://*.example.com"),
        ("https://example.com:*", "https://*.example.com"),
        ("https://example.com:*", "https://a.example.com"),
        ("http://localhost:*", "http://a.localhost"),
        ("http://localhost:*", "https://localhost"),
    ];
    for (a, b) in no {
        assert!(!p(a).covers(&p(b)), "{a} does not cover {b}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `covers` is sound: whatever the covered pattern matches, the covering one does.
    #[test]
    fn covers_is_sound(
        a in strategies::pattern(),
        b in strategies::pattern(),
        origins in proptest::collection::vec(strategies::origin(), 1..16),
    ) {
        let (a, b) = (p(&a), p(&b));
        prop_assert!(a.covers(&a));
        if a.covers(&b) {
            for s in &origins {
                let origin = o(s);
                prop_assert!(!b.matches(&origin) || a.matches(&origin), "{} {} {}", a, b, s);
            }
        }
        // Only identical patterns cover each other.
        if a.covers(&b) && b.covers(&a) {
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn round_trips(s in strategies::pattern(), origin in strategies::origin()) {
        let pat = p(&s);
        prop_assert_eq!(pat.as_str(), s.as_str());
        prop_assert_eq!(OriginPattern::parse(pat.as_str()), Ok(pat.clone()));
        // Covering an exact pattern is matching its origin.
        let exact = p(&origin);
        prop_assert!(exact.matches(&o(&origin)));
        prop_assert_eq!(pat.covers(&exact), pat.matches(&o(&origin)));
    }

    #[test]
    fn never_panics(s in "[a-zA-Z0-9:/.*\\[\\]@?#_\\- ]{0,30}") {
        match OriginPattern::parse(&s) {
            Ok(pat) => prop_assert_eq!(pat.as_str(), s.as_str()),
            Err(e) => {
                prop_assert!(!e.to_string().contains('\n'));
                if let Some(fix) = e.suggestion() {
                    prop_assert_ne!(fix, s.as_str());
                    prop_assert!(OriginPattern::parse(fix).is_ok(), "{} for {:?}", fix, s);
                }
            }
        }
    }
}
