//! Which response headers JavaScript can read.
//!
//! A CORS response exposes only the CORS-safelisted response-header names (`Cache-Control`,
//! `Content-Language`, `Content-Length`, `Content-Type`, `Expires`, `Last-Modified`, `Pragma`)
//! and the names in `Access-Control-Expose-Headers`. `*` there means "every header" only when
//! the credentials mode is not `include` (with credentials it is a header literally named `*`).
//! `Set-Cookie` and `Set-Cookie2` are never readable. An `Access-Control-Expose-Headers` that
//! does not parse exposes nothing extra (verified: `X-A, [bad]` exposes only the safelisted
//! names in Chromium 156). A same-origin response exposes everything but `Set-Cookie(2)`; an
//! opaque one nothing.

use crate::preflight::parse_allow_list;
use crate::response::ResponseInfo;

/// The CORS-safelisted response-header names (lower case).
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] = corsgate_fetch::SAFELISTED_RESPONSE_HEADER_NAMES;

/// Forbidden response-header names: never readable by script.
pub const FORBIDDEN_RESPONSE_HEADERS: [&str; 2] = corsgate_fetch::FORBIDDEN_RESPONSE_HEADER_NAMES;

/// How the page sees the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseTainting {
    /// Same-origin: `response.type` is `"basic"`.
    Basic,
    /// Cross-origin CORS: `"cors"`.
    Cors,
    /// `no-cors` cross-origin: `"opaque"` (status 0, no headers, no body).
    Opaque,
}

impl ResponseTainting {
    /// The value of `response.type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseTainting::Basic => "basic",
            ResponseTainting::Cors => "cors",
            ResponseTainting::Opaque => "opaque",
        }
    }
}

/// The names `response.headers` lists (lower-case, sorted, de-duplicated — the order
/// `Headers` iterates in).
pub fn readable_headers(
    resp: &ResponseInfo,
    tainting: ResponseTainting,
    include: bool,
) -> Vec<String> {
    let mut present: Vec<String> = resp
        .headers
        .keys()
        .map(|k| k.as_str().to_ascii_lowercase())
        .collect();
    present.sort();
    present.dedup();
    present.retain(|n| !FORBIDDEN_RESPONSE_HEADERS.contains(&n.as_str()));
    match tainting {
        ResponseTainting::Opaque => Vec::new(),
        ResponseTainting::Basic => present,
        ResponseTainting::Cors => {
            let exposed: Vec<String> =
                parse_allow_list(resp.combined("access-control-expose-headers").as_deref())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|n| n.to_ascii_lowercase())
                    .collect();
            let all = !include && exposed.iter().any(|n| n == "*");
            present
                .into_iter()
                .filter(|n| {
                    all || SAFELISTED_RESPONSE_HEADERS.contains(&n.as_str()) || exposed.contains(n)
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    fn resp(aceh: &str) -> ResponseInfo {
        [
            ("access-control-allow-origin", "*"),
            ("x-a", "1"),
            ("x-b", "2"),
            ("set-cookie", "a=b"),
            ("cache-control", "no-store"),
            ("content-type", "text/plain"),
            ("content-language", "en"),
            ("expires", "0"),
            ("last-modified", "Tue, 15 Nov 1994 12:45:26 GMT"),
            ("pragma", "no-cache"),
            ("date", "x"),
            ("content-length", "5"),
            ("access-control-expose-headers", aceh),
        ]
        .iter()
        .fold(ResponseInfo::new(StatusCode::OK), |r, (n, v)| {
            r.header(n, v)
        })
    }

    fn names(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    // The expected lists are what `response.headers` listed in Chromium 156 for the same
    // headers (its own `Connection`/`Server` lines aside).

    #[test]
    fn listed_names() {
        assert_eq!(
            readable_headers(&resp("X-A, set-cookie"), ResponseTainting::Cors, false),
            names("cache-control,content-language,content-length,content-type,expires,last-modified,pragma,x-a")
        );
    }

    #[test]
    fn star_without_credentials_is_everything_but_set_cookie() {
        assert_eq!(
            readable_headers(&resp("*"), ResponseTainting::Cors, false),
            names("access-control-allow-origin,access-control-expose-headers,cache-control,content-language,content-length,content-type,date,expires,last-modified,pragma,x-a,x-b")
        );
    }

    #[test]
    fn star_with_credentials_is_a_name() {
        assert_eq!(
            readable_headers(&resp("*, x-b"), ResponseTainting::Cors, true),
            names("cache-control,content-language,content-length,content-type,expires,last-modified,pragma,x-b")
        );
    }

    #[test]
    fn unparsable_list_exposes_nothing_extra() {
        assert_eq!(
            readable_headers(&resp("X-A, [bad]"), ResponseTainting::Cors, false),
            names("cache-control,content-language,content-length,content-type,expires,last-modified,pragma")
        );
    }

    #[test]
    fn basic_and_opaque() {
        let b = readable_headers(&resp(""), ResponseTainting::Basic, false);
        assert!(b.contains(&"x-a".to_owned()));
        assert!(!b.contains(&"set-cookie".to_owned()));
        assert!(readable_headers(&resp("*"), ResponseTainting::Opaque, false).is_empty());
        assert_eq!(ResponseTainting::Cors.as_str(), "cors");
    }
}
