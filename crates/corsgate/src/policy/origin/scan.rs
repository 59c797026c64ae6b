//! The request path: a serialized origin checked in one pass, without allocating.
//!
//! Accept or refuse, nothing more: `diagnose` is the slower twin that says what is wrong. Also
//! the pieces the origin set reads a request's `Origin` with before (or instead of) parsing
//! it: [`split_unchecked`], [`labels_len`] and the port parser.

use super::ip::{canonical_ipv4, canonical_ipv6, is_ipv4_number};
use super::{default_port, Origin};

/// Validates a serialized origin in one pass without allocating.
///
/// Exactly the strings [`check`](super::diagnose::check) accepts (the tests hold the two to
/// that); `check` is the slower twin that also says what is wrong.
pub(super) fn scan(s: &str) -> Option<Origin<'_>> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_lowercase() {
        return None;
    }
    let mut i = 1;
    while i < b.len() && SCHEME_BYTE[usize::from(b[i])] {
        i += 1;
    }
    let scheme_len = i;
    if !b[i..].starts_with(b"://") || &b[..i] == b"file" {
        return None;
    }
    i += 3;
    let host_start = i;
    if b.get(i) == Some(&b'[') {
        // The canonical form is at most 39 bytes ("1111:...:8888").
        let inner_len = b[i + 1..].iter().take(40).position(|&c| c == b']')?;
        let inner = &s[i + 1..i + 1 + inner_len];
        if !canonical_ipv6(inner) {
            return None;
        }
        i += inner_len + 2;
    } else {
        i += labels_len(&b[i..])?;
        if i - host_start > 253 {
            return None;
        }
        let host = &b[host_start..i];
        let last_label = host
            .iter()
            .rposition(|&c| c == b'.')
            .map_or(0, |dot| dot + 1);
        if is_ipv4_number(&host[last_label..]) && !canonical_ipv4(host) {
            return None;
        }
    }
    let host_end = i;
    let port = match b.get(i) {
        None => None,
        Some(b':') => {
            let v = parse_port(&b[i + 1..])?;
            if default_port(&s[..scheme_len]) == Some(v) {
                return None;
            }
            Some(v)
        }
        Some(_) => return None,
    };
    Some(Origin {
        s,
        scheme_len,
        host_end,
        port,
    })
}

/// The scheme, host and explicit port of `raw` as [`scan`] would read them, without
/// validating anything, so that a request's `Origin` can be looked up in an index before it
/// is parsed (most are refused, and a refusal needs no parsing).
///
/// On a valid origin the parts are exactly those of the parsed [`Origin`] (the scheme ends
/// at the first `:`, which no scheme contains; the port is the digits after the last `:`).
/// On anything else they are unspecified, so a caller that accepts the origin because of
/// them must validate it afterwards. Bounded work whatever the input: the scheme is looked
/// for in the first `max_scheme_len + 1` bytes and the port in the last seven.
pub(crate) fn split_unchecked(
    raw: &[u8],
    max_scheme_len: usize,
) -> Option<(&[u8], &[u8], Option<u16>)> {
    let head = &raw[..raw.len().min(max_scheme_len + 1)];
    let scheme_len = head.iter().position(|&c| c == b':')?;
    let rest = raw[scheme_len..].strip_prefix(b"://")?;
    // The port: one to five digits after the last `:` (a sixth digit means there is none
    // that a valid origin could have).
    let digits = rest
        .iter()
        .rev()
        .take(6)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let (host, port) = match rest.len().checked_sub(digits + 1) {
        Some(colon) if digits <= 5 && rest[colon] == b':' => {
            (&rest[..colon], Some(parse_port(&rest[colon + 1..])?))
        }
        _ => (rest, None),
    };
    Some((&raw[..scheme_len], host, port))
}

/// The length of the dot-separated labels `b` starts with (each 1 to 63 bytes of
/// `a-z 0-9 - _`, single dots between them), up to the first byte that continues neither a
/// label nor the list; `None` when they are not well formed (an empty or long label).
pub(crate) fn labels_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && LABEL_BYTE[usize::from(b[i])] {
            i += 1;
        }
        if !(1..=63).contains(&(i - start)) {
            return None;
        }
        if b.get(i) != Some(&b'.') {
            return Some(i);
        }
        i += 1;
    }
}

/// The bytes allowed after a scheme's first letter: `a-z 0-9 + - .`.
static SCHEME_BYTE: [bool; 256] = byte_table(b"+-.");

/// The bytes allowed in a host label: `a-z 0-9 - _`.
static LABEL_BYTE: [bool; 256] = byte_table(b"-_");

/// Lower-case letters, digits and `extra`.
const fn byte_table(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c >= b'a' as usize && c <= b'z' as usize)
            || (c >= b'0' as usize && c <= b'9' as usize);
        c += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        t[extra[k] as usize] = true;
        k += 1;
    }
    t
}

/// A port as browsers write it: 1 to 5 digits, no leading zero (except `0` itself), at most
/// 65535.
pub(super) fn parse_port(p: &[u8]) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || (p.len() > 1 && p[0] == b'0') {
        return None;
    }
    let mut v: u32 = 0;
    for &c in p {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    u16::try_from(v).ok()
}
