//! What WebKit (Safari's engine) says: the console lines of a blocked `fetch()`, as observed in
//! a real WebKit (WebKitGTK 2.50.6, Debian's MiniBrowser; `corsgate-cli`'s `tests/webkit.rs`
//! asserts each of them byte for byte, and `docs/check.md` ("WebKit") has the table).
//!
//! WebKit prints two lines for a blocked request: the reason (`CONSOLE SECURITY ERROR`), then
//! which URL could not be loaded (`CONSOLE JS ERROR`); `fetch()` rejects with
//! `TypeError: Load failed` ([`crate::Engine::fetch_rejection`]). Only the kinds observed so
//! far have a text here; the others are `None` (unobserved) until a real WebKit has shown
//! them.
//!
//! [`crate::Engine::WebKit`] drives a flow with Chrome's checks, Chrome's `Origin` (`null` on
//! the preflight too after a redirect to another origin) and Firefox's redirect rule (a
//! request once preflighted is preflighted again on every later CORS hop, even as a simple
//! `GET`); the verdict's report takes [`webkit_console`] for its lines
//! ([`crate::Blocked::webkit`]).

use crate::cors_error::CorsErrorKind;

/// WebKit's reason line for a block of `kind`, or `None` when no real WebKit has shown it yet.
///
/// `origin` is the request's `Origin` as sent (`null` once a redirect to another origin has
/// tainted it), `hint` the failed parameter (the method), `status` the status of the response
/// that failed the check (the preflight's, for a preflight).
pub fn webkit_reason(kind: CorsErrorKind, origin: &str, hint: &str, status: u16) -> Option<String> {
    match kind {
        CorsErrorKind::AllowOriginMismatch | CorsErrorKind::PreflightAllowOriginMismatch => Some(
            format!(
                "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}"
            ),
        ),
        CorsErrorKind::MethodDisallowedByPreflightResponse => Some(format!(
            "Method {hint} is not allowed by Access-Control-Allow-Methods."
        )),
        _ => None,
    }
}

/// WebKit's second line: the URL of the response that failed (after redirects).
pub fn webkit_cannot_load(url: &str) -> String {
    format!("Fetch API cannot load {url} due to access control checks.")
}

/// Both console lines of a blocked `fetch()`, in the order WebKit prints them, or `None` when
/// the reason has not been observed.
pub fn webkit_console(
    kind: CorsErrorKind,
    url: &str,
    origin: &str,
    hint: &str,
    status: u16,
) -> Option<[String; 2]> {
    Some([
        webkit_reason(kind, origin, hint, status)?,
        webkit_cannot_load(url),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://127.0.0.1:5500";
    const API: &str = "http://127.0.0.1:3000";

    #[test]
    fn refused_origin() {
        assert_eq!(
            webkit_console(
                CorsErrorKind::AllowOriginMismatch,
                &format!("{API}/refused"),
                PAGE,
                "",
                200
            )
            .expect("observed"),
            [
                "Origin http://127.0.0.1:5500 is not allowed by Access-Control-Allow-Origin. \
                 Status code: 200",
                "Fetch API cannot load http://127.0.0.1:3000/refused due to access control checks.",
            ]
        );
    }

    #[test]
    fn preflight_without_the_method() {
        assert_eq!(
            webkit_console(
                CorsErrorKind::MethodDisallowedByPreflightResponse,
                &format!("{API}/preflight"),
                PAGE,
                "PUT",
                200
            )
            .expect("observed"),
            [
                "Method PUT is not allowed by Access-Control-Allow-Methods.",
                "Fetch API cannot load http://127.0.0.1:3000/preflight due to access control \
                 checks.",
            ]
        );
    }

    #[test]
    fn preflight_after_a_tainting_redirect() {
        assert_eq!(
            webkit_reason(CorsErrorKind::PreflightAllowOriginMismatch, "null", "", 204)
                .expect("observed"),
            "Origin null is not allowed by Access-Control-Allow-Origin. Status code: 204"
        );
    }

    #[test]
    fn unobserved_kinds_have_no_text() {
        assert_eq!(
            webkit_reason(CorsErrorKind::MissingAllowOriginHeader, PAGE, "", 200),
            None
        );
        assert_eq!(
            crate::Engine::WebKit.fetch_rejection(),
            "TypeError: Load failed"
        );
    }
}
