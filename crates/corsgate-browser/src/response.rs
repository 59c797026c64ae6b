//! A response as the CORS checks need it: status and headers.
//!
//! The shell fills one in from a real HTTP response (or a simulation from a server policy).
//! Header values are read the way a browser's network stack reads them: surrounding spaces
//! and tabs trimmed, and repeated lines joined with `, ` into one value — which is why two
//! `Access-Control-Allow-Origin` lines become "multiple values" in Chrome's message.

use http::{HeaderMap, StatusCode};

use crate::token::trim_ows;

/// The status and headers of one response (a preflight, a redirect hop, or the final one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseInfo {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers, as received.
    pub headers: HeaderMap,
}

impl ResponseInfo {
    /// A response with `status` and no headers.
    pub fn new(status: StatusCode) -> Self {
        ResponseInfo {
            status,
            headers: HeaderMap::new(),
        }
    }

    /// Adds a header line (builder style; repeated names add lines). A value that is not a
    /// valid header value is ignored, as it could not have arrived over HTTP.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(v) = http::HeaderValue::from_str(value) {
            self.headers.append(name, v);
        }
        self
    }

    /// All lines of `name`, each trimmed, joined with `, ` (Chromium's `GetNormalizedHeader`);
    /// `None` when absent.
    pub fn combined(&self, name: &str) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for v in self.headers.get_all(name) {
            let v = trim_ows(v.as_bytes());
            match &mut out {
                None => out = Some(v.to_vec()),
                Some(o) => {
                    o.extend_from_slice(b", ");
                    o.extend_from_slice(v);
                }
            }
        }
        out
    }

    /// How many lines of `name` the response has.
    pub fn count(&self, name: &str) -> usize {
        self.headers.get_all(name).iter().count()
    }

    /// Is the status a redirect status (301, 302, 303, 307, 308)?
    pub fn is_redirect(&self) -> bool {
        matches!(self.status.as_u16(), 301 | 302 | 303 | 307 | 308)
    }

    /// Is the status an ok status (200–299)?
    pub fn is_ok(&self) -> bool {
        self.status.is_success()
    }

    /// The `Location` value (trimmed), if any.
    pub fn location(&self) -> Option<Vec<u8>> {
        self.combined("location")
    }
}

/// A server answer for tests and simulations: status plus header lines (an unknown status
/// becomes 500).
pub fn response(status: u16, headers: &[(&'static str, &str)]) -> ResponseInfo {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    headers
        .iter()
        .fold(ResponseInfo::new(status), |r, (n, v)| r.header(n, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_and_trims_like_a_network_stack() {
        let r = ResponseInfo::new(StatusCode::OK)
            .header("access-control-allow-origin", "http://a ")
            .header("access-control-allow-origin", "\thttp://b");
        assert_eq!(
            r.combined("Access-Control-Allow-Origin").unwrap(),
            b"http://a, http://b"
        );
        assert_eq!(r.count("access-control-allow-origin"), 2);
        assert_eq!(r.combined("x-missing"), None);
        assert!(r.is_ok());
        assert!(!r.is_redirect());
        let r = ResponseInfo::new(StatusCode::SEE_OTHER).header("location", "/x");
        assert!(r.is_redirect());
        assert_eq!(r.location().unwrap(), b"/x");
        let r = ResponseInfo::new(StatusCode::OK).header("x", "bad\nvalue");
        assert!(r.headers.is_empty());
    }
}
