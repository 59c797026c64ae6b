//! A bounded parser for `Access-Control-Request-Headers`.
//!
//! Browsers send one line of lower-case, sorted, comma-separated names without spaces. Proxies
//! may split it over several lines or add optional whitespace, so both are tolerated. The value
//! comes from the network, so the work done on it is bounded: the total length of all lines is
//! checked first (O(number of lines)), and only then is each byte looked at once. A policy with
//! an explicit header list also has a much smaller bound — a value longer than every allowed
//! name listed once can't be a browser's — so a hostile 64 KiB value is refused without being
//! read.

use http::header::{GetAll, HeaderValue};

use super::token::is_tchar;
use crate::fetch::trim_ows;

/// The most bytes of `Access-Control-Request-Headers` (all lines together) ever examined.
pub const MAX_REQUEST_HEADERS_LEN: usize = 64 * 1024;

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

/// Total length of all lines, stopping early once over `limit`.
fn total_len(lines: &GetAll<'_, HeaderValue>, limit: usize) -> Option<usize> {
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

/// Is `line` a comma-separated list of tokens with optional whitespace around each element
/// (empty elements allowed)? One pass, no branch per character class.
fn well_formed(line: &[u8]) -> bool {
    // Within an element: before its name, in it, or after it (only whitespace may follow).
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Before,
        Name,
        After,
    }
    let mut at = At::Before;
    for &b in line {
        at = if is_tchar(b) {
            if at == At::After {
                return false; // whitespace inside a name
            }
            At::Name
        } else {
            match b {
                b',' => At::Before,
                b' ' | b'\t' if at == At::Before => At::Before,
                b' ' | b'\t' => At::After,
                _ => return false,
            }
        };
    }
    true
}

/// Calls `allowed` for every requested name (in order, empty elements skipped) and stops at
/// the first one it refuses, returning `Ok(Err(name))`.
///
/// Errors are checked for the whole value before any name is passed on, so the outcome does
/// not depend on where the bad element stands.
pub(crate) fn check<'a>(
    lines: &GetAll<'a, HeaderValue>,
    limit: usize,
    mut allowed: impl FnMut(&[u8]) -> bool,
) -> Result<Result<Summary, &'a [u8]>, ListError> {
    if total_len(lines, limit.min(MAX_REQUEST_HEADERS_LEN)).is_none() {
        return Err(ListError::TooLong);
    }
    // First pass: syntax only, so a malformed element anywhere is reported as malformed.
    for line in lines.iter() {
        if !well_formed(line.as_bytes()) {
            return Err(ListError::Malformed);
        }
    }
    let mut summary = Summary::default();
    for line in lines.iter() {
        for element in line.as_bytes().split(|&b| b == b',') {
            let name = trim_ows(element);
            if name.is_empty() {
                continue;
            }
            summary.any = true;
            if name.eq_ignore_ascii_case(b"authorization") {
                summary.authorization = true;
            }
            if !allowed(name) {
                return Ok(Err(name));
            }
        }
    }
    Ok(Ok(summary))
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
        check(&m.get_all(ACRH), limit, |n| {
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
    fn stops_at_first_refused_and_reports_authorization() {
        let m = map(&["authorization,x-no,x-yes"]);
        let r = check(&m.get_all(ACRH), 100, |n| n != b"x-no").unwrap();
        assert_eq!(r, Err(&b"x-no"[..]));
        let r = check(&m.get_all(ACRH), 100, |_| true).unwrap().unwrap();
        assert!(r.any && r.authorization);
        let empty = map(&[""]);
        let r = check(&empty.get_all(ACRH), 100, |_| true).unwrap().unwrap();
        assert!(!r.any);
    }
}
