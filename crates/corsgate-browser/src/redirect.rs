//! Following a redirect in a CORS request (Fetch "HTTP-redirect fetch").
//!
//! The redirect response itself must first pass the CORS check (done by the caller). Then, in
//! order: the `Location` must resolve; it must be HTTP(S) (Chrome reports other schemes not on
//! its CORS list, such as `ftp:`, as a CORS error, and fails on listed ones such as `data:` as a
//! network error); at most 20 redirects are followed (the 21st fails with
//! `net::ERR_TOO_MANY_REDIRECTS`; verified); a target with a username or password fails when
//! the request is cross-origin. A redirect to another origin from a request that is already
//! cross-origin *taints* it: from then on its `Origin` is `null`, and the server must answer
//! `Access-Control-Allow-Origin: null` or `*` (verified, including the `localhost` →
//! `127.0.0.1` → `localhost` case, where the origin stays `null`). A 301/302 after `POST`, or a
//! 303 after anything but `GET`/`HEAD`, turns the request into a body-less `GET`. A redirect to
//! another origin drops `Authorization`. A preflighted request is preflighted again at the new
//! URL (verified: Chrome sends a new `OPTIONS`).

use crate::chrome::is_chrome_cors_enabled_scheme;
use crate::cors_check::CheckFail;
use crate::cors_error::CorsErrorKind;
use crate::request::{Body, RequestMode};
use crate::token::latin1;
use crate::url::{Url, WebOrigin};

/// The most redirects a request follows.
pub const MAX_REDIRECTS: u32 = 20;

/// Header names removed when a redirect turns the request into a body-less `GET`.
pub const REQUEST_BODY_HEADER_NAMES: [&str; 4] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

/// The state a redirect changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The current URL.
    pub url: Url,
    /// The current method.
    pub method: String,
    /// The current body.
    pub body: Body,
    /// Redirects followed so far.
    pub redirect_count: u32,
    /// Has a cross-origin redirect made the origin `null`?
    pub tainted: bool,
}

/// What to do with a redirect response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectOutcome {
    /// Follow it: the next hop, and the header names to remove from the request.
    Follow {
        /// The state after the redirect.
        next: Hop,
        /// Lower-case header names to remove.
        remove_headers: Vec<String>,
    },
    /// Fail. For [`CorsErrorKind::CorsDisabledScheme`] Chrome prints the target URL as the
    /// request URL, so it is given too.
    Fail {
        /// The failure.
        fail: CheckFail,
        /// The resolved target, when there is one.
        target: Option<Url>,
    },
}

/// Applies Fetch's redirect steps to a redirect response with `location` (its raw `Location`
/// value; a 3xx response without one is a final response, not a redirect).
///
/// `origin` is the page origin, `cors_flag` whether the current hop is a cross-origin CORS
/// request, `status` the redirect status.
pub fn follow(
    hop: &Hop,
    status: u16,
    location: &[u8],
    origin: &WebOrigin,
    mode: RequestMode,
    cors_flag: bool,
) -> RedirectOutcome {
    let Ok(target) = hop.url.join(&latin1(location)) else {
        return RedirectOutcome::Fail {
            fail: CheckFail::new(CorsErrorKind::UnsafeRedirect),
            target: None,
        };
    };
    if !target.is_http_or_https() {
        let kind = if is_chrome_cors_enabled_scheme(target.scheme()) {
            CorsErrorKind::UnsafeRedirect
        } else {
            CorsErrorKind::CorsDisabledScheme
        };
        return RedirectOutcome::Fail {
            fail: CheckFail::new(kind),
            target: Some(target),
        };
    }
    if hop.redirect_count >= MAX_REDIRECTS {
        return RedirectOutcome::Fail {
            fail: CheckFail::new(CorsErrorKind::TooManyRedirects),
            target: Some(target),
        };
    }
    if target.has_credentials()
        && ((mode == RequestMode::Cors && (hop.tainted || !origin.same_origin(&target.origin())))
            || cors_flag)
    {
        // Chrome passes no failed parameter here: its message reads `Redirect location ''`.
        return RedirectOutcome::Fail {
            fail: CheckFail::new(CorsErrorKind::RedirectContainsCredentials),
            target: Some(target),
        };
    }
    if hop.body == Body::Stream && status != 303 {
        return RedirectOutcome::Fail {
            fail: CheckFail::new(CorsErrorKind::UnsafeRedirect),
            target: Some(target),
        };
    }
    let mut remove_headers = Vec::new();
    let mut method = hop.method.clone();
    let mut body = hop.body.clone();
    if ((status == 301 || status == 302) && method == "POST")
        || (status == 303 && method != "GET" && method != "HEAD")
    {
        method = "GET".to_owned();
        body = Body::None;
        remove_headers.extend(REQUEST_BODY_HEADER_NAMES.iter().map(|s| (*s).to_owned()));
    }
    let current_origin = hop.url.origin();
    let target_origin = target.origin();
    if !current_origin.same_origin(&target_origin) {
        remove_headers.push("authorization".to_owned());
    }
    let tainted = hop.tainted
        || (!target_origin.same_origin(&current_origin) && !origin.same_origin(&current_origin));
    RedirectOutcome::Follow {
        next: Hop {
            url: target,
            method,
            body,
            redirect_count: hop.redirect_count + 1,
            tainted,
        },
        remove_headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> WebOrigin {
        WebOrigin::parse("http://127.0.0.1:5500").unwrap()
    }

    fn hop(url: &str) -> Hop {
        Hop {
            url: Url::parse(url).unwrap(),
            method: "GET".into(),
            body: Body::None,
            redirect_count: 0,
            tainted: false,
        }
    }

    fn go(h: &Hop, status: u16, loc: &str) -> RedirectOutcome {
        follow(h, status, loc.as_bytes(), &page(), RequestMode::Cors, true)
    }

    fn next(o: RedirectOutcome) -> (Hop, Vec<String>) {
        match o {
            RedirectOutcome::Follow {
                next,
                remove_headers,
            } => (next, remove_headers),
            other => panic!("{other:?}"),
        }
    }

    fn kind(o: RedirectOutcome) -> CorsErrorKind {
        match o {
            RedirectOutcome::Fail { fail, .. } => fail.kind,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn taint_rules_verified_in_chrome() {
        // localhost:3000 -> 127.0.0.1:3000: cross-origin from a cross-origin request: null.
        let (n, rm) = next(go(
            &hop("http://localhost:3000/r1"),
            302,
            "http://127.0.0.1:3000/r1b",
        ));
        assert!(n.tainted);
        assert_eq!(rm, vec!["authorization"]);
        // ... and back to localhost: stays null.
        let (n2, _) = next(go(&n, 302, "http://localhost:3000/r9c"));
        assert!(n2.tainted);
        // Redirect to the page's own origin: also tainted (request origin != current URL).
        let (n, _) = next(go(
            &hop("http://localhost:3000/r8"),
            302,
            "http://127.0.0.1:5500/same",
        ));
        assert!(n.tainted);
        // Same-origin redirect (relative): not tainted.
        let (n, rm) = next(go(&hop("http://localhost:3000/r12"), 302, "/r12b"));
        assert!(!n.tainted);
        assert!(rm.is_empty());
        assert_eq!(n.url.as_str(), "http://localhost:3000/r12b");
        // From a same-origin request to another origin: not tainted.
        let (n, _) = next(go(
            &hop("http://127.0.0.1:5500/a"),
            302,
            "http://localhost:3000/b",
        ));
        assert!(!n.tainted);
    }

    #[test]
    fn redirect_limit_is_twenty() {
        let mut h = hop("http://localhost:3000/0");
        for i in 0..20 {
            let (n, _) = next(go(&h, 302, &format!("/{}", i + 1)));
            h = n;
        }
        assert_eq!(h.redirect_count, 20);
        assert_eq!(kind(go(&h, 302, "/21")), CorsErrorKind::TooManyRedirects);
    }

    #[test]
    fn credentials_and_schemes() {
        assert_eq!(
            kind(go(
                &hop("http://localhost:3000/r4"),
                302,
                "http://u:p@localhost:3000/r4b"
            )),
            CorsErrorKind::RedirectContainsCredentials
        );
        assert_eq!(
            kind(go(
                &hop("http://localhost:3000/r5"),
                302,
                "ftp://localhost/x"
            )),
            CorsErrorKind::CorsDisabledScheme
        );
        assert_eq!(
            kind(go(
                &hop("http://localhost:3000/r5"),
                302,
                "data:text/plain,hi"
            )),
            CorsErrorKind::UnsafeRedirect
        );
        // A same-origin (non-CORS) hop to a same-origin URL with credentials is allowed.
        let h = hop("http://127.0.0.1:5500/a");
        let o = follow(
            &h,
            302,
            b"http://u:p@127.0.0.1:5500/b",
            &page(),
            RequestMode::Cors,
            false,
        );
        assert!(matches!(o, RedirectOutcome::Follow { .. }));
    }

    #[test]
    fn method_rewrites() {
        let mut post = hop("http://localhost:3000/a");
        post.method = "POST".into();
        post.body = Body::Text;
        for status in [301, 302, 303] {
            let (n, rm) = next(go(&post, status, "/b"));
            assert_eq!(n.method, "GET", "{status}");
            assert_eq!(n.body, Body::None);
            assert!(rm.contains(&"content-type".to_owned()));
        }
        for status in [307, 308] {
            let (n, rm) = next(go(&post, status, "/b"));
            assert_eq!(n.method, "POST");
            assert!(rm.is_empty());
        }
        let mut put = hop("http://localhost:3000/a");
        put.method = "PUT".into();
        assert_eq!(next(go(&put, 302, "/b")).0.method, "PUT");
        assert_eq!(next(go(&put, 303, "/b")).0.method, "GET");
        let mut stream = post.clone();
        stream.body = Body::Stream;
        assert_eq!(kind(go(&stream, 307, "/b")), CorsErrorKind::UnsafeRedirect);
        assert!(matches!(
            go(&stream, 303, "/b"),
            RedirectOutcome::Follow { .. }
        ));
    }
}
