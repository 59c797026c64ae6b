//! Origin patterns as written in `allow_origins`.
//!
//! These forms, and nothing else (no regular expressions: they are where allow-lists go
//! wrong, with an unescaped `.` or a missing anchor):
//!
//! | pattern | matches |
//! |---|---|
//! | `*` | any origin |
//! | `https://app.example.com` | that origin only |
//! | `https://*.example.com` | `https://a.example.com`, `https://a.b.example.com`; never `https://example.com` itself |
//! | `http://localhost:*` | `http://localhost` on any port, or none |
//! | `https://*.example.com:*` | both combined |
//! | `https://*.example.com:8443` | subdomains, on port 8443 only |
//!
//! The scheme always matches exactly, and a pattern without a port matches only origins
//! without one (that is, on the scheme's default port). Everything after the `*` is held to
//! the same spelling rules as an [`Origin`]: lower case, no default port, no path; every
//! error names the fix. The base of a `*.` wildcard must be a domain name, not an IP address.

use std::fmt;

use super::origin::{
    ends_in_number, host_is_loopback, trim, validate, Origin, OriginError, OriginErrorKind,
};

/// Which ports a wildcard pattern matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PortPattern {
    /// Exactly this explicit port, or (`None`) no port: the scheme's default.
    Exact(Option<u16>),
    /// `:*`: any port, or none.
    Any,
}

impl PortPattern {
    /// Does an origin with this port (`None`: the default) match?
    pub(crate) fn matches(self, port: Option<u16>) -> bool {
        match self {
            PortPattern::Any => true,
            PortPattern::Exact(p) => p == port,
        }
    }

    fn covers(self, other: PortPattern) -> bool {
        self == PortPattern::Any || self == other
    }
}

/// A pattern with a `*`: a subdomain wildcard (`https://*.example.com`), a port wildcard
/// (`http://localhost:*`), or both.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct WildcardPattern {
    text: String,
    scheme: String,
    /// With `subdomains`, the base domain under `*.`; otherwise the exact host.
    host: String,
    subdomains: bool,
    port: PortPattern,
}

impl WildcardPattern {
    #[cfg(any(test, fuzzing))]
    /// The pattern as written, e.g. `https://*.example.com:*`.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme the pattern requires.
    pub(crate) fn scheme(&self) -> &str {
        &self.scheme
    }

    /// For `*.` patterns the base domain (`example.com`), otherwise the exact host.
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// Whether the pattern matches the subdomains (`*.`) of [`host`](Self::host), rather
    /// than that host itself.
    pub(crate) fn subdomains(&self) -> bool {
        self.subdomains
    }

    #[cfg(any(test, fuzzing))]
    /// The ports matched.
    pub(crate) fn port(&self) -> PortPattern {
        self.port
    }

    /// Does `origin` match?
    pub(crate) fn matches(&self, origin: &Origin<'_>) -> bool {
        origin.scheme() == self.scheme
            && self.port.matches(origin.port())
            && self.host_matches(origin.host())
    }

    /// [`matches`](Self::matches) without the host check, for an index that has done it.
    #[inline]
    pub(crate) fn matches_scheme_and_port(&self, scheme: &[u8], port: Option<u16>) -> bool {
        self.port.matches(port) && scheme == self.scheme.as_bytes()
    }

    /// Is `host` (or, for `*.` patterns, every name under it) matched by the host part?
    fn host_matches(&self, host: &str) -> bool {
        if self.subdomains {
            is_proper_subdomain(host, &self.host)
        } else {
            host == self.host
        }
    }

    /// Does this pattern match every origin `other` matches?
    pub(crate) fn covers(&self, other: &WildcardPattern) -> bool {
        self.scheme == other.scheme
            && self.port.covers(other.port)
            && if self.subdomains {
                // `*.a.com` covers `*.b.a.com`, `b.a.com:*` and `*.a.com` (other ports).
                self.host_matches(&other.host) || (other.subdomains && self.host == other.host)
            } else {
                !other.subdomains && self.host == other.host
            }
    }
}

/// `host` is `<one or more labels>.base`.
fn is_proper_subdomain(host: &str, base: &str) -> bool {
    host.len() > base.len() + 1
        && host.ends_with(base)
        && host.as_bytes()[host.len() - base.len() - 1] == b'.'
}

/// One entry of `allow_origins`, validated.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OriginPattern {
    /// `*`: any origin.
    Any,
    /// An exact origin, as browsers serialize it.
    Exact(String),
    /// `scheme://*.base[:port|:*]` or `scheme://host:*`.
    Wildcard(WildcardPattern),
}

impl OriginPattern {
    /// Parses one `allow_origins` entry. Errors say what is wrong and what to write instead.
    pub fn parse(s: &str) -> Result<OriginPattern, OriginError> {
        Self::parse_kind(s).map_err(|kind| OriginError::for_input(kind, s))
    }

    /// [`parse`](Self::parse), reporting only the kind of error (no suggestion computed).
    pub(crate) fn parse_kind(s: &str) -> Result<OriginPattern, OriginErrorKind> {
        use OriginErrorKind::*;
        if s == "*" {
            return Ok(OriginPattern::Any);
        }
        if !s.contains('*') {
            let origin = validate(s)?;
            if !punycode_ok(origin.host()) {
                return Err(InvalidPunycode);
            }
            return Ok(OriginPattern::Exact(s.to_owned()));
        }
        if trim(s).len() != s.len() {
            return Err(Whitespace);
        }
        let Some((scheme, rest)) = s.split_once("://") else {
            return Err(InvalidWildcard);
        };
        if scheme.contains('*') {
            return Err(InvalidWildcard);
        }
        let (rest, subdomains) = match rest.strip_prefix("*.") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        // The authority ends at the first `/`, `\`, `?` or `#`; a `:*` port must end it.
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (authority, any_port) = match authority.strip_suffix(":*") {
            Some(a) => (a, true),
            None => (authority, false),
        };
        if authority.contains('*') {
            return Err(InvalidWildcard);
        }
        if !(subdomains || any_port) {
            // The only `*` is in the path, query or fragment: that is the problem to report.
            return Err(validate(s).err().unwrap_or(InvalidWildcard));
        }
        if subdomains {
            let host = authority.split(':').next().unwrap_or("");
            if authority.starts_with('[') || ends_in_number(host) {
                return Err(WildcardBase);
            }
        }
        // Everything but the wildcard parts must be a valid origin (which reports paths,
        // case, default ports...).
        let candidate = format!("{scheme}://{authority}{tail}");
        let origin = validate(&candidate)?;
        if any_port && origin.port().is_some() {
            return Err(InvalidWildcard); // `http://localhost:3000:*`
        }
        if !punycode_ok(origin.host()) {
            return Err(InvalidPunycode);
        }
        Ok(OriginPattern::Wildcard(WildcardPattern {
            text: s.to_owned(),
            scheme: origin.scheme().to_owned(),
            host: origin.host().to_owned(),
            subdomains,
            port: if any_port {
                PortPattern::Any
            } else {
                PortPattern::Exact(origin.port())
            },
        }))
    }

    #[cfg(any(test, fuzzing))]
    /// Does `origin` match this pattern?
    pub fn matches(&self, origin: &Origin<'_>) -> bool {
        match self {
            OriginPattern::Any => true,
            OriginPattern::Exact(e) => e == origin.as_str(),
            OriginPattern::Wildcard(w) => w.matches(origin),
        }
    }

    /// The pattern's config text. Already normalised: parsing accepts no other spelling.
    pub fn as_str(&self) -> &str {
        match self {
            OriginPattern::Any => "*",
            OriginPattern::Exact(e) => e,
            OriginPattern::Wildcard(w) => &w.text,
        }
    }

    /// Plain `http:` or `ws:` (or `ftp:`) on a host that is not loopback: anyone on the
    /// network path can impersonate such an origin, which matters when credentials are
    /// allowed. `*` is not "insecure" in this sense (it is refused with credentials anyway).
    pub(crate) fn is_insecure(&self) -> bool {
        let (scheme, host) = match self {
            OriginPattern::Any => return false,
            OriginPattern::Exact(e) => match validate(e) {
                Ok(o) => (o.scheme(), o.host()),
                Err(_) => return false,
            },
            OriginPattern::Wildcard(w) => (w.scheme.as_str(), w.host.as_str()),
        };
        matches!(scheme, "http" | "ws" | "ftp") && !host_is_loopback(host)
    }

    /// A `*.` pattern directly under a public suffix (`https://*.com`, `https://*.github.io`,
    /// `https://*.co.uk`): it matches names anyone can register. Uses the Public Suffix List
    /// (ICANN and private sections) compiled into the `psl` crate; a base the list does not
    /// know (`*.internal`, `*.localhost`) is not counted.
    pub(crate) fn is_public_suffix_wildcard(&self) -> bool {
        match self {
            OriginPattern::Wildcard(w) if w.subdomains && !host_is_loopback(&w.host) => {
                psl::suffix(w.host.as_bytes())
                    .is_some_and(|s| s.is_known() && s.as_bytes() == w.host.as_bytes())
            }
            _ => false,
        }
    }

    #[cfg(any(test, fuzzing))]
    /// Does this pattern match every origin `other` matches? (Used to drop redundant
    /// entries from the normalised list.) Every pattern covers itself.
    pub(crate) fn covers(&self, other: &OriginPattern) -> bool {
        match (self, other) {
            (OriginPattern::Any, _) => true,
            (_, OriginPattern::Any) => false,
            (OriginPattern::Exact(a), OriginPattern::Exact(b)) => a == b,
            // An exact origin never covers a wildcard: each wildcard matches many origins.
            (OriginPattern::Exact(_), OriginPattern::Wildcard(_)) => false,
            (OriginPattern::Wildcard(w), OriginPattern::Exact(e)) => {
                validate(e).is_ok_and(|o| w.matches(&o))
            }
            (OriginPattern::Wildcard(a), OriginPattern::Wildcard(b)) => a.covers(b),
        }
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Are the host's punycode (`xn--`) labels, if any, valid IDNA as browsers check it? A host
/// without such labels passes without any work.
pub(crate) fn punycode_ok(host: &str) -> bool {
    if !host.split('.').any(|label| label.starts_with("xn--")) {
        return true;
    }
    idna::domain_to_ascii(host).is_ok_and(|ascii| ascii == host)
}

/// Strategies shared by the property tests of this module and of `origin_set`.
#[cfg(test)]
pub(crate) mod strategies {
    use proptest::prelude::*;

    fn scheme() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("https"), Just("http")]
    }

    fn domain() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof![Just("a"), Just("b"), Just("c")], 1..=3)
            .prop_map(|labels| labels.join("."))
    }

    fn host() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => domain(),
            1 => Just("localhost".to_owned()),
            1 => Just("127.0.0.1".to_owned()),
            1 => Just("[::1]".to_owned()),
        ]
    }

    fn port() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(":3000"), Just(":8443")]
    }

    /// Valid origins over a small alphabet, so that patterns and origins often meet.
    pub(crate) fn origin() -> impl Strategy<Value = String> {
        (scheme(), host(), port()).prop_map(|(s, h, p)| format!("{s}://{h}{p}"))
    }

    /// Valid patterns of every form over the same alphabet.
    pub(crate) fn pattern() -> impl Strategy<Value = String> {
        let wildcard_port = prop_oneof![Just(""), Just(":3000"), Just(":*")];
        prop_oneof![
            1 => Just("*".to_owned()),
            4 => origin(),
            4 => (scheme(), domain(), wildcard_port)
                .prop_map(|(s, d, p)| format!("{s}://*.{d}{p}")),
            2 => (scheme(), host()).prop_map(|(s, h)| format!("{s}://{h}:*")),
        ]
    }
}

#[cfg(test)]
mod tests {
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
}
