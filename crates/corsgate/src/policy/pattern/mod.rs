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
pub(crate) mod strategies;
#[cfg(test)]
mod tests;
