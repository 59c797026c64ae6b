//! The suggestion engine: the spelling a browser would send for what the user meant.
//!
//! Only errors call it, so it may allocate; what it returns always parses and differs from
//! the input.

use std::net::Ipv6Addr;

use super::diagnose::{ends_in_number, trim, valid_scheme_any_case};
use super::ip::{serialize_ipv6, whatwg_ipv4};
use super::scan::scan;
use super::{default_port, host_is_loopback};
use crate::policy::pattern::{punycode_ok, OriginPattern};

/// The spelling a browser would send for what the user meant, when it can be worked out
/// from `input` (an origin or an origin pattern). The result always parses, and differs
/// from the input.
pub(super) fn suggest(input: &str) -> Option<String> {
    let s = trim(input);
    if s == "*" {
        return (s != input).then(|| s.to_owned());
    }
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "file" || !valid_scheme_any_case(&scheme) {
        return None;
    }
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(after) = authority.strip_prefix('[') {
        let (inner, tail) = after.split_once(']')?;
        let addr: Ipv6Addr = inner.parse().ok()?;
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':')?),
        };
        (format!("[{}]", serialize_ipv6(&addr)), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(base) => ("*.", base),
            None => ("", host),
        };
        let mut host = if host.is_ascii() {
            host.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(host).ok()?
        };
        if ends_in_number(&host) {
            let [a, b, c, d] = whatwg_ipv4(&host)?;
            host = format!("{a}.{b}.{c}.{d}");
        } else if host.ends_with('.') {
            host.pop();
        }
        (format!("{wildcard}{host}"), port)
    };
    let port = match port {
        None | Some("") => None,
        Some("*") => Some("*".to_owned()),
        Some(p) => {
            if !p.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let v: u16 = p.parse().ok()?;
            (default_port(&scheme) != Some(v)).then(|| v.to_string())
        }
    };
    let mut out = format!("{scheme}://{host}");
    if let Some(p) = port {
        out.push(':');
        out.push_str(&p);
    }
    let valid = if out.contains('*') {
        OriginPattern::parse_kind(&out).is_ok()
    } else {
        scan(&out).is_some() && punycode_ok(&host)
    };
    (valid && out != input).then_some(out)
}

/// For a missing scheme: the input with the scheme a browser would most likely send
/// (`http` for loopback hosts, `https` otherwise), if that makes a valid origin.
pub(super) fn with_guessed_scheme(input: &str) -> Option<String> {
    let rest = trim(input).trim_start_matches('/');
    if rest.is_empty() || rest.contains("://") {
        return None;
    }
    let host = rest.split([':', '/']).next().unwrap_or("");
    let scheme = if host_is_loopback(&host.to_ascii_lowercase()) {
        "http"
    } else {
        "https"
    };
    let guess = format!("{scheme}://{rest}");
    if scan(&guess).is_some() {
        Some(guess)
    } else {
        suggest(&guess).filter(|s| !s.contains('*'))
    }
}
