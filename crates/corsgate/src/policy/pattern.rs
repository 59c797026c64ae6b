//! Origin patterns as written in `allow_origins`.
//!
//! Exactly four forms, nothing else (no regular expressions — they are where allow-lists go
//! wrong, e.g. an unescaped `.` or a missing anchor):
//!
//! | pattern | matches |
//! |---|---|
//! | `*` | any origin |
//! | `https://app.example.com` | that origin only |
//! | `https://*.example.com` | `https://a.example.com`, `https://a.b.example.com`; never `https://example.com` |
//! | `http://localhost:*` | `http://localhost` on any port, or none |
//!
//! The last two combine (`https://*.example.com:*`), and a subdomain pattern may name a
//! port (`https://*.example.com:8443`).

use super::origin::{host_is_loopback, suggest, Origin, OriginError, OriginErrorKind};

/// Which ports a pattern matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// Exactly this explicit port, or no port at all (`None`: the scheme's default).
    Exact(Option<u16>),
    /// `:*` — any port, or none.
    Any,
}

impl PortPattern {
    fn matches(self, port: Option<u16>) -> bool {
        match self {
            PortPattern::Any => true,
            PortPattern::Exact(p) => p == port,
        }
    }

    fn covers(self, other: PortPattern) -> bool {
        self == PortPattern::Any || self == other
    }
}

/// A pattern with a `*`: a subdomain wildcard, a port wildcard, or both.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WildcardPattern {
    text: String,
    scheme: String,
    /// With `subdomains`, the base domain under `*.`; otherwise the exact host.
    host: String,
    subdomains: bool,
    port: PortPattern,
}

impl WildcardPattern {
    /// The scheme the pattern requires.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// For `*.` patterns the base domain, otherwise the exact host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the pattern matches subdomains (`*.`) of [`host`](Self::host).
    pub fn subdomains(&self) -> bool {
        self.subdomains
    }

    /// The ports matched.
    pub fn port(&self) -> PortPattern {
        self.port
    }

    /// Does `origin` match?
    pub fn matches(&self, origin: &Origin<'_>) -> bool {
        origin.scheme() == self.scheme
            && self.port.matches(origin.port())
            && self.host_matches(origin.host())
    }

    fn host_matches(&self, host: &str) -> bool {
        if self.subdomains {
            host.len() > self.host.len() + 1
                && host.ends_with(self.host.as_str())
                && host.as_bytes()[host.len() - self.host.len() - 1] == b'.'
        } else {
            host == self.host
        }
    }
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
    /// Parses one `allow_origins` entry. Errors say what to write instead.
    ///
    /// ```
    /// use corsgate::policy::pattern::OriginPattern;
    /// use corsgate::Origin;
    ///
    /// let p = OriginPattern::parse("https://*.example.com").unwrap();
    /// assert!(p.matches(&Origin::parse("https://api.example.com").unwrap()));
    /// assert!(!p.matches(&Origin::parse("https://example.com").unwrap()));
    /// assert_eq!(
    ///     OriginPattern::parse("https://*.example.com/").unwrap_err().to_string(),
    ///     "origins have no path; use https://*.example.com"
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<OriginPattern, OriginError> {
        Self::parse_strict(s).map_err(|kind| OriginError::new(kind, suggest(s)))
    }

    pub(crate) fn parse_strict(s: &str) -> Result<OriginPattern, OriginErrorKind> {
        if s == "*" {
            return Ok(OriginPattern::Any);
        }
        if !s.contains('*') {
            return match Origin::parse(s) {
                Ok(_) => Ok(OriginPattern::Exact(s.to_string())),
                Err(e) => Err(e.kind()),
            };
        }
        let Some((scheme, rest)) = s.split_once("://") else {
            return Err(OriginErrorKind::InvalidWildcard);
        };
        let (rest, subdomains) = match rest.strip_prefix("*.") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        // The authority ends at the first `/`, `?` or `#`; a `:*` port must end it.
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (authority, any_port) = match authority.strip_suffix(":*") {
            Some(a) => (a, true),
            None => (authority, false),
        };
        if authority.contains('*') || !(subdomains || any_port) {
            return Err(OriginErrorKind::InvalidWildcard);
        }
        // Validate the rest as an origin (which reports paths, case, default ports...).
        let candidate = format!("{scheme}://{authority}{tail}");
        let origin = Origin::parse(&candidate).map_err(|e| e.kind())?;
        if subdomains && (origin.host().starts_with('[') || host_is_ip(origin.host())) {
            return Err(OriginErrorKind::InvalidHost);
        }
        let port = if any_port {
            if origin.port().is_some() {
                return Err(OriginErrorKind::InvalidPort);
            }
            PortPattern::Any
        } else {
            PortPattern::Exact(origin.port())
        };
        Ok(OriginPattern::Wildcard(WildcardPattern {
            text: s.to_string(),
            scheme: origin.scheme().to_string(),
            host: origin.host().to_string(),
            subdomains,
            port,
        }))
    }

    /// Does `origin` match this pattern?
    pub fn matches(&self, origin: &Origin<'_>) -> bool {
        match self {
            OriginPattern::Any => true,
            OriginPattern::Exact(e) => e == origin.as_str(),
            OriginPattern::Wildcard(w) => w.matches(origin),
        }
    }

    /// The pattern as written (it is already normalised: parsing accepts no other spelling).
    pub fn as_str(&self) -> &str {
        match self {
            OriginPattern::Any => "*",
            OriginPattern::Exact(e) => e,
            OriginPattern::Wildcard(w) => &w.text,
        }
    }

    /// Plain `http:`/`ws:` on a host that is not loopback: anyone on the network path can
    /// impersonate it, which matters when credentials are allowed.
    pub fn is_insecure(&self) -> bool {
        let (scheme, host) = match self {
            OriginPattern::Any => return false,
            OriginPattern::Exact(e) => match Origin::parse(e) {
                Ok(o) => (o.scheme(), o.host()),
                Err(_) => return false,
            },
            OriginPattern::Wildcard(w) => (w.scheme.as_str(), w.host.as_str()),
        };
        matches!(scheme, "http" | "ws" | "ftp") && !host_is_loopback(host)
    }

    /// A `*.` pattern directly under a public suffix (`https://*.com`, `https://*.github.io`,
    /// `https://*.co.uk`): it matches names anyone can register. Uses the Public Suffix List
    /// compiled into the `psl` crate.
    pub fn is_public_suffix_wildcard(&self) -> bool {
        match self {
            OriginPattern::Wildcard(w) if w.subdomains && !host_is_loopback(&w.host) => {
                psl::suffix(w.host.as_bytes())
                    .is_some_and(|s| s.is_known() && s.as_bytes() == w.host.as_bytes())
            }
            _ => false,
        }
    }

    /// Does this pattern match every origin `other` matches? (Used to drop redundant
    /// entries from the normalised list.)
    pub fn covers(&self, other: &OriginPattern) -> bool {
        match (self, other) {
            (OriginPattern::Any, _) => true,
            (_, OriginPattern::Any) => false,
            (a, b) if a == b => true,
            (OriginPattern::Exact(_), _) => false,
            (OriginPattern::Wildcard(w), OriginPattern::Exact(e)) => {
                Origin::parse(e).is_ok_and(|o| w.matches(&o))
            }
            (OriginPattern::Wildcard(a), OriginPattern::Wildcard(b)) => {
                a.scheme == b.scheme
                    && a.port.covers(b.port)
                    && if a.subdomains {
                        a.host_matches(&b.host) || (b.subdomains && a.host == b.host)
                    } else {
                        !b.subdomains && a.host == b.host
                    }
            }
        }
    }
}

fn host_is_ip(host: &str) -> bool {
    host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Origin<'_> {
        Origin::parse(s).unwrap()
    }

    #[test]
    fn subdomain_wildcards_never_match_the_apex() {
        let p = OriginPattern::parse("https://*.example.com").unwrap();
        assert!(p.matches(&o("https://a.example.com")));
        assert!(p.matches(&o("https://a.b.example.com")));
        assert!(!p.matches(&o("https://example.com")));
        assert!(!p.matches(&o("https://aexample.com")));
        assert!(!p.matches(&o("http://a.example.com")));
        assert!(!p.matches(&o("https://a.example.com:8443")));
    }

    #[test]
    fn port_wildcards() {
        let p = OriginPattern::parse("http://localhost:*").unwrap();
        assert!(p.matches(&o("http://localhost")));
        assert!(p.matches(&o("http://localhost:5500")));
        assert!(!p.matches(&o("http://a.localhost:5500")));
        let p = OriginPattern::parse("https://*.example.com:*").unwrap();
        assert!(p.matches(&o("https://a.example.com:1")));
        assert!(p.matches(&o("https://a.example.com")));
        let p = OriginPattern::parse("https://*.example.com:8443").unwrap();
        assert!(p.matches(&o("https://a.example.com:8443")));
        assert!(!p.matches(&o("https://a.example.com")));
    }

    #[test]
    fn other_wildcards_are_refused() {
        for bad in [
            "https://a.*.com",
            "https://*a.com",
            "https://*",
            "*.example.com",
            "https://example.*",
            "https://*.*.example.com",
            "https://*.example.com:8*",
            "**",
            "https://*.127.0.0.1",
            "https://*.[::1]",
        ] {
            assert!(OriginPattern::parse(bad).is_err(), "{bad}");
        }
        let e = OriginPattern::parse("https://*.Example.com:443").unwrap_err();
        assert_eq!(e.suggestion(), Some("https://*.example.com"));
        let e = OriginPattern::parse("https://*.example.com:443").unwrap_err();
        assert_eq!(e.kind(), OriginErrorKind::DefaultPort);
    }

    #[test]
    fn insecure_and_public_suffix() {
        let p = |s| OriginPattern::parse(s).unwrap();
        assert!(p("http://a.example").is_insecure());
        assert!(p("http://*.example.com").is_insecure());
        assert!(!p("http://localhost:*").is_insecure());
        assert!(!p("http://*.localhost").is_insecure());
        assert!(!p("http://127.0.0.1:5500").is_insecure());
        assert!(!p("https://a.example").is_insecure());
        for psl in ["https://*.com", "https://*.github.io", "https://*.co.uk"] {
            assert!(p(psl).is_public_suffix_wildcard(), "{psl}");
        }
        for not in [
            "https://*.example.com",
            "https://*.a.github.io",
            "http://*.localhost",
            "https://a.com",
        ] {
            assert!(!p(not).is_public_suffix_wildcard(), "{not}");
        }
    }

    #[test]
    fn covers() {
        let p = |s| OriginPattern::parse(s).unwrap();
        assert!(p("*").covers(&p("https://a.com")));
        assert!(p("https://*.example.com").covers(&p("https://a.example.com")));
        assert!(!p("https://*.example.com").covers(&p("https://example.com")));
        assert!(p("https://*.example.com:*").covers(&p("https://*.a.example.com:8080")));
        assert!(p("https://*.example.com:8080").covers(&p("https://*.foo.example.com:8080")));
        assert!(!p("https://*.example.com").covers(&p("https://*.example.com:*")));
        assert!(p("http://localhost:*").covers(&p("http://localhost:3000")));
    }
}
