//! The config path: the origin grammar checked step by step, to say what is wrong.
//!
//! [`check`] accepts exactly what `scan` accepts (the tests hold the two to that) but reports
//! the first problem as an [`OriginErrorKind`]; it never allocates either, but makes several
//! passes. Also the pieces the pattern parser shares: [`validate`], [`trim`], [`ends_in_number`].

use std::net::Ipv6Addr;

use super::ip::{canonical_ipv4, canonical_ipv6, is_ipv4_number, whatwg_ipv4};
use super::scan::{parse_port, scan};
use super::{default_port, Origin, OriginErrorKind};

/// Validates `s` as a serialized origin: the [`Origin::parse`] grammar, but the error is only
/// its kind (no suggestion is computed, nothing is allocated).
pub(crate) fn validate(s: &str) -> Result<Origin<'_>, OriginErrorKind> {
    scan(s).ok_or_else(|| classify(s))
}

/// Without the spaces and control characters a browser's URL parser would strip.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
}

/// What is wrong with `s`, which [`scan`] refused.
pub(super) fn classify(s: &str) -> OriginErrorKind {
    match check(s) {
        Err(kind) => kind,
        // Unreachable while `scan` and `check` agree (the tests hold them to it); refuse
        // rather than accept if they ever do not.
        Ok(_) => {
            debug_assert!(false, "scan and check disagree on {s:?}");
            OriginErrorKind::InvalidHost
        }
    }
}

/// The same grammar as [`scan`], checked step by step to report the first problem. Never
/// allocates either, but makes several passes.
pub(super) fn check(s: &str) -> Result<Origin<'_>, OriginErrorKind> {
    use OriginErrorKind::*;
    if s.eq_ignore_ascii_case("null") {
        return Err(Null);
    }
    let trimmed = trim(s);
    if trimmed.len() != s.len() {
        return Err(if trimmed.eq_ignore_ascii_case("null") {
            Null
        } else {
            Whitespace
        });
    }
    let Some(scheme_len) = s.find("://") else {
        return Err(if starts_with_ignore_case(s, "file:") {
            File
        } else {
            MissingScheme
        });
    };
    let scheme = &s[..scheme_len];
    if scheme.eq_ignore_ascii_case("file") {
        return Err(File);
    }
    if !valid_scheme_any_case(scheme) {
        return Err(InvalidScheme);
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(UpperCase);
    }
    let rest = &s[scheme_len + 3..];
    let authority_len = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    if !authority.is_ascii() {
        return Err(NonAsciiHost);
    }
    match rest.as_bytes().get(authority_len) {
        Some(b'/' | b'\\') => return Err(HasPath),
        Some(_) => return Err(HasQuery),
        None => {}
    }
    if authority.contains('@') {
        return Err(HasUserInfo);
    }
    if authority.contains('*') {
        return Err(InvalidWildcard);
    }
    let (host, port) = if let Some(after) = authority.strip_prefix('[') {
        let Some((inner, tail)) = after.split_once(']') else {
            return Err(InvalidHost);
        };
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':').ok_or(InvalidHost)?),
        };
        if !canonical_ipv6(inner) {
            return Err(if inner.parse::<Ipv6Addr>().is_ok() {
                NonCanonicalIpv6
            } else {
                InvalidHost
            });
        }
        (&authority[..inner.len() + 2], port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() || host.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(InvalidHost);
        }
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(UpperCase);
        }
        if ends_in_number(host) {
            if !canonical_ipv4(host.as_bytes()) {
                return Err(if whatwg_ipv4(host).is_some() {
                    NonCanonicalIpv4
                } else {
                    InvalidHost
                });
            }
        } else if !valid_domain(host) {
            return Err(InvalidHost);
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            let v = parse_port(p.as_bytes()).ok_or(InvalidPort)?;
            if default_port(scheme) == Some(v) {
                return Err(DefaultPort);
            }
            Some(v)
        }
    };
    Ok(Origin {
        s,
        scheme_len,
        host_end: scheme_len + 3 + host.len(),
        port,
    })
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

pub(super) fn valid_scheme_any_case(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

/// The URL standard's "ends in a number" check: is the last label (ignoring one trailing
/// dot) a number, so that the host is parsed as IPv4?
pub(crate) fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    is_ipv4_number(host.rsplit('.').next().unwrap_or("").as_bytes())
}

fn valid_domain(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            matches!(label.len(), 1..=63)
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}
