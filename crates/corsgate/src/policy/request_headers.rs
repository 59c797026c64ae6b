//! A bounded parser for `Access-Control-Request-Headers`.
//!
//! Browsers send one line of lower-case, sorted, comma-separated names without spaces. Proxies
//! may split it over several lines or add optional whitespace, so both are tolerated. The value
//! comes from the network, so the work done on it is bounded: the total length of all lines is
//! checked first (O(number of lines)), and only then is each byte looked at, once. A policy with
//! an explicit header list also has a much smaller bound — a value longer than every allowed
//! name listed once can't be a browser's — so a hostile 64 KiB value is refused without being
//! read; with `*` a value is read only up to [`MAX_REQUEST_HEADERS_LEN`] (8 KiB).

use http::header::{GetAll, HeaderValue};

use super::bytes::same_bytes;
use super::token::is_tchar;

/// The most bytes of `Access-Control-Request-Headers` (all lines together) ever examined; a
/// longer list is refused (`request-headers-too-long`) without being read.
///
/// 8 KiB is about 400 custom header names, far beyond what a page sets, and the size at
/// which common servers refuse a header line anyway (Apache's `LimitRequestFieldSize` is
/// 8190 bytes, nginx's `large_client_header_buffers` 8 KiB; Node refuses 16 KiB of headers
/// in all), so no request a browser could get through them is refused here. Above it, a
/// value can only be an attack on the parser: refusing it by its length keeps the worst
/// case of a `*` policy, which must read every name, to 8 KiB.
pub const MAX_REQUEST_HEADERS_LEN: usize = 8 * 1024;

/// Why a requested header list was refused before any name was compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListError {
    /// Longer than the bound.
    TooLong,
    /// An element is not an HTTP token.
    Malformed,
}

/// What a well-formed list contained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// At least one name was requested.
    pub(crate) any: bool,
    /// `authorization` was among them.
    pub(crate) authorization: bool,
}

/// The lines of `Access-Control-Request-Headers` in a request.
#[derive(Debug)]
pub(crate) enum Lines<'a> {
    /// No such header.
    None,
    /// One line, as browsers send it.
    One(&'a HeaderValue),
    /// Several lines (split by an intermediary), read through the map.
    Many(GetAll<'a, HeaderValue>),
}

impl<'a> Lines<'a> {
    /// The lines, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a HeaderValue> + '_ {
        let (one, many) = match self {
            Lines::None => (None, None),
            Lines::One(v) => (Some(*v), None),
            Lines::Many(all) => (None, Some(all.iter())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

/// Total length of all lines, stopping early once over `limit`.
#[inline(always)]
fn total_len(lines: &Lines<'_>, limit: usize) -> Option<usize> {
    if let Lines::One(line) = lines {
        return (line.len() <= limit).then_some(line.len() + 1);
    }
    let mut total = 0usize;
    for line in lines.iter() {
        // A separator between lines counts like a comma.
        total += line.len() + 1;
        if total > limit + 1 {
            return None;
        }
    }
    Some(total)
}

/// The length of the name of `listed` that `rest` starts with as a whole element (the next
/// byte ends the name), if any. Such a name is a valid token and allowed, without reading it
/// byte by byte.
#[inline]
fn listed_at(rest: &[u8], listed: &[Box<str>]) -> Option<usize> {
    let first = *rest.first()?;
    listed.iter().map(|n| n.as_bytes()).find_map(|n| {
        (n.first() == Some(&first)
            && rest.len() >= n.len()
            && same_bytes(&rest[..n.len()], n)
            && !rest.get(n.len()).is_some_and(|&c| is_tchar(c)))
        .then_some(n.len())
    })
}

/// The common case, decided without reading names byte by byte: one line as browsers send
/// it, names of `listed` joined by commas and nothing else. `None` for anything else (which
/// the full parser then reads).
#[inline]
fn all_listed(mut rest: &[u8], listed: &[Box<str>]) -> Option<Summary> {
    let mut summary = Summary {
        any: true,
        authorization: false,
    };
    loop {
        let len = listed_at(rest, listed)?;
        summary.authorization |= same_bytes(&rest[..len], b"authorization");
        match rest.get(len) {
            None => return Some(summary),
            Some(b',') => rest = &rest[len + 1..],
            Some(_) => return None,
        }
    }
}

/// Calls `allowed` for every requested name (in order, empty elements skipped) until it
/// refuses one, which is returned as `Ok(Err(name))`.
///
/// `listed`: names known to be allowed, as browsers send them (lower case). An element that
/// is one of them is taken as it stands, without being read byte by byte or passed to
/// `allowed`; anything else is read, and passed to `allowed` (which sees every case
/// variant).
///
/// One pass over the bytes. Syntax is checked for the whole value even after a refusal, so
/// a malformed element anywhere is reported as malformed, whatever stands before it.
pub(crate) fn check<'a>(
    lines: &Lines<'a>,
    limit: usize,
    listed: &[Box<str>],
    mut allowed: impl FnMut(&[u8]) -> bool,
) -> Result<Result<Summary, &'a [u8]>, ListError> {
    if total_len(lines, limit.min(MAX_REQUEST_HEADERS_LEN)).is_none() {
        return Err(ListError::TooLong);
    }
    if let Lines::One(line) = lines {
        if let Some(summary) = all_listed(line.as_bytes(), listed) {
            return Ok(Ok(summary));
        }
    }
    let mut summary = Summary::default();
    let mut refused: Option<&'a [u8]> = None;
    for line in lines.iter() {
        let b = line.as_bytes();
        let mut i = 0;
        // One element per turn: optional whitespace, a name (possibly empty), optional
        // whitespace, then a comma or the end of the line.
        loop {
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            let start = i;
            let known = match listed_at(&b[i..], listed) {
                Some(len) => {
                    i += len;
                    true
                }
                None => {
                    while i < b.len() && is_tchar(b[i]) {
                        i += 1;
                    }
                    false
                }
            };
            let name = &b[start..i];
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            if i < b.len() && b[i] != b',' {
                return Err(ListError::Malformed);
            }
            if !name.is_empty() && refused.is_none() {
                summary.any = true;
                if name.eq_ignore_ascii_case(b"authorization") {
                    summary.authorization = true;
                }
                if !known && !allowed(name) {
                    refused = Some(name);
                }
            }
            if i == b.len() {
                break;
            }
            i += 1; // the comma
        }
    }
    Ok(match refused {
        Some(name) => Err(name),
        None => Ok(summary),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{HeaderMap, ACCESS_CONTROL_REQUEST_HEADERS as ACRH};

    fn map(lines: &[&str]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for l in lines {
            m.append(ACRH, HeaderValue::from_str(l).unwrap());
        }
        m
    }

    fn names(lines: &[&str], limit: usize) -> Result<Vec<String>, ListError> {
        let m = map(lines);
        let mut out = Vec::new();
        check(&Lines::Many(m.get_all(ACRH)), limit, &[], |n| {
            out.push(String::from_utf8(n.to_vec()).unwrap());
            true
        })
        .map(|r| {
            r.unwrap();
            out
        })
    }

    #[test]
    fn browser_form() {
        assert_eq!(
            names(&["content-type,x-a"], 100).unwrap(),
            ["content-type", "x-a"]
        );
    }

    #[test]
    fn split_lines_and_whitespace() {
        assert_eq!(
            names(&[" x-a ,\tx-b", "", "x-c,, "], 100).unwrap(),
            ["x-a", "x-b", "x-c"]
        );
    }

    #[test]
    fn malformed_anywhere_is_malformed() {
        assert_eq!(names(&["x-a", "x b"], 100), Err(ListError::Malformed));
        assert_eq!(names(&["x-a;q=1"], 100), Err(ListError::Malformed));
        // Even after a refused name.
        let m = map(&["x-no", "x-a, x b"]);
        assert_eq!(
            check(&Lines::Many(m.get_all(ACRH)), 100, &[], |n| n != b"x-no"),
            Err(ListError::Malformed)
        );
        assert_eq!(names(&["x-a/x"], 100), Err(ListError::Malformed));
    }

    #[test]
    fn too_long_is_refused_before_reading() {
        let long = "a".repeat(200);
        assert_eq!(names(&[&long], 100), Err(ListError::TooLong));
        assert_eq!(names(&[&long], 1000).unwrap().len(), 1);
        let huge = "a,".repeat(40_000);
        assert_eq!(names(&[&huge], usize::MAX), Err(ListError::TooLong));
    }

    #[test]
    fn listed_names_are_taken_whole_without_asking() {
        let listed: Vec<Box<str>> = ["x-a", "x-a-b", "authorization"].map(Box::from).into();
        let m = map(&["x-a-b, x-a,X-A,x-ab,authorization"]);
        let mut asked = Vec::new();
        let r = check(&Lines::Many(m.get_all(ACRH)), 100, &listed, |n| {
            asked.push(String::from_utf8(n.to_vec()).unwrap());
            n.eq_ignore_ascii_case(b"x-a")
        });
        // `x-a-b` is not `x-a` followed by more; `X-A` is not byte-equal; `x-ab` is refused.
        assert_eq!(r, Ok(Err(&b"x-ab"[..])));
        assert_eq!(asked, ["X-A", "x-ab"]);
        let m = map(&["x-a,authorization"]);
        let r = check(&Lines::Many(m.get_all(ACRH)), 100, &listed, |_| false);
        assert_eq!(
            r,
            Ok(Ok(Summary {
                any: true,
                authorization: true
            }))
        );
        // A listed name followed by a byte that cannot end a name is malformed.
        let m = map(&["x-a;", "x-a"]);
        assert_eq!(
            check(&Lines::Many(m.get_all(ACRH)), 100, &listed, |_| true),
            Err(ListError::Malformed)
        );
        let m = map(&["x-a x-a-b"]);
        assert_eq!(
            check(&Lines::Many(m.get_all(ACRH)), 100, &listed, |_| true),
            Err(ListError::Malformed)
        );
    }

    #[test]
    fn stops_at_first_refused_and_reports_authorization() {
        let m = map(&["authorization,x-no,x-yes"]);
        let r = check(&Lines::Many(m.get_all(ACRH)), 100, &[], |n| n != b"x-no").unwrap();
        assert_eq!(r, Err(&b"x-no"[..]));
        let r = check(&Lines::Many(m.get_all(ACRH)), 100, &[], |_| true)
            .unwrap()
            .unwrap();
        assert!(r.any && r.authorization);
        let empty = map(&[""]);
        let r = check(&Lines::Many(empty.get_all(ACRH)), 100, &[], |_| true)
            .unwrap()
            .unwrap();
        assert!(!r.any);
    }
}
