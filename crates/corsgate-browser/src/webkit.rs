//! What WebKit (Safari's engine) checks and says: its own CORS checks with their texts, the
//! console lines of a blocked request and the exceptions of calls that throw, as observed in a
//! real WebKit (WebKitGTK 2.50.6, Debian's MiniBrowser; `corsgate-cli`'s `tests/webkit.rs` and
//! the differential suite assert each of them byte for byte; `docs/check.md`, "WebKit", has
//! the table). The check order and the texts' shapes are facts from WebKit's
//! `CrossOriginAccessControl.cpp` and `CrossOriginPreflightResultCache.cpp`, confirmed in the
//! real browser.
//!
//! WebKit prints two lines for a blocked request: the reason (`CONSOLE SECURITY ERROR`), then
//! which URL could not be loaded (`CONSOLE JS ERROR`: `Fetch API cannot load URL due to access
//! control checks.`, or `XMLHttpRequest cannot load ...`); `fetch()` rejects with
//! `TypeError: Load failed` ([`crate::Engine::fetch_rejection`]).
//!
//! Its checks differ from Chrome's in their order and wording, not in their verdicts on the
//! cases observed: a preflight's status comes first (`Preflight response is not successful.
//! Status code: 404`), an `Access-Control-Allow-Origin` that is not the origin is "not
//! allowed" whatever is wrong with it (missing, invalid, another origin), unless it is `*`
//! with credentials or holds a comma; the header it names is the first not allowed in its own
//! order (headers WebKit knows by name first, with their canonical spelling, then the others,
//! each in the order the page set them).
//!
//! [`crate::Engine::WebKit`] drives a flow with these checks, Chrome's `Origin` (`null` on the
//! preflight too after a redirect to another origin), Firefox's redirect rule (a request once
//! preflighted is preflighted again on every later CORS hop, even as a simple `GET`), and its
//! own redirect rule for body headers: a redirect that turns the request into a `GET` sends it
//! without `Content-Type`, yet the new preflight still asks for `content-type`.

use crate::chrome::{self, ChromeException};
use crate::normalize::Exception;
use crate::request::Initiator;
use crate::response::ResponseInfo;
use crate::safelist::is_cors_safelisted_request_header;
use crate::token::latin1;
use crate::Engine;

/// A WebKit check failure: the reason line, or `None` when WebKit blocks for a reason whose
/// text no real WebKit has shown (the report then says WebKit blocks without quoting it).
pub(crate) type WebKitFail = Option<String>;

/// The header names WebKit knows (`HTTPHeaderNames.in`), spelled as WebKit prints them: such
/// a header is named this way whatever case the page used (`authorization` is printed
/// `Authorization`; observed), and comes before the headers WebKit does not know, which keep
/// the page's spelling (`x-requested-with` stays so; observed).
const KNOWN_HEADERS: [&str; 83] = [
    "Accept",
    "Accept-Charset",
    "Accept-Language",
    "Accept-Encoding",
    "Accept-Ranges",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Request-Headers",
    "Access-Control-Request-Method",
    "Age",
    "Alternate-Protocol",
    "Authorization",
    "Cache-Control",
    "Connection",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Range",
    "Cookie",
    "Cookie2",
    "Date",
    "DNT",
    "Default-Style",
    "ETag",
    "Expect",
    "Expires",
    "Host",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Keep-Alive",
    "Last-Event-ID",
    "Last-Modified",
    "Location",
    "Origin",
    "Ping-From",
    "Ping-To",
    "Purpose",
    "Pragma",
    "Range",
    "Referer",
    "Refresh",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Extensions",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Version",
    "Server",
    "Set-Cookie",
    "Set-Cookie2",
    "TE",
    "Timing-Allow-Origin",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "User-Agent",
    "Vary",
    "Via",
    "X-Check-Cacheable",
    "X-Content-Type-Options",
    "X-DNS-Prefetch-Control",
    "X-Frame-Options",
    "X-Powered-By",
    "X-WebKit-CSP",
    "X-WebKit-CSP-Report-Only",
    "X-XSS-Protection",
    "Icy-Genre",
    "Icy-MetaInt",
    "Icy-Metadata",
    "Icy-Name",
    "Icy-Title",
    "Icy-URL",
];

/// A request header's name as WebKit holds it: the canonical spelling of a known name, the
/// page's own otherwise; and whether it is known.
fn held_name(name: &str) -> (String, bool) {
    match KNOWN_HEADERS.iter().find(|k| k.eq_ignore_ascii_case(name)) {
        Some(k) => ((*k).to_owned(), true),
        None => (name.to_owned(), false),
    }
}

/// The request's headers in the order WebKit holds them (`HTTPHeaderMap`: known names first,
/// then the others, each group in the order the page set them), names spelled as it prints
/// them.
pub(crate) fn header_order(headers: &[(String, Vec<u8>)]) -> Vec<(String, &[u8])> {
    let held: Vec<(String, bool, &[u8])> = headers
        .iter()
        .map(|(n, v)| {
            let (name, known) = held_name(n);
            (name, known, v.as_slice())
        })
        .collect();
    held.iter()
        .filter(|(_, known, _)| *known)
        .chain(held.iter().filter(|(_, known, _)| !*known))
        .map(|(n, _, v)| (n.clone(), *v))
        .collect()
}

/// WebKit's access check on a response (`passesAccessControlCheck`): `*` passes without
/// credentials; anything else but the exact origin fails, worded by what it is; then, with
/// credentials, `Access-Control-Allow-Credentials` must be `true`.
pub(crate) fn access_check(
    resp: &ResponseInfo,
    origin: &str,
    include: bool,
) -> Result<(), WebKitFail> {
    let acao = resp
        .combined("access-control-allow-origin")
        .map(|v| latin1(&v))
        .unwrap_or_default();
    if acao == "*" && !include {
        return Ok(());
    }
    if acao != origin {
        return Err(Some(if acao == "*" {
            "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                .to_owned()
        } else if acao.contains(',') {
            "Access-Control-Allow-Origin cannot contain more than one origin.".to_owned()
        } else {
            format!(
                "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {}",
                resp.status.as_u16()
            )
        }));
    }
    if include
        && resp
            .combined("access-control-allow-credentials")
            .is_none_or(|v| v != b"true")
    {
        return Err(Some(
            "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
                .to_owned(),
        ));
    }
    Ok(())
}

/// A comma-separated allow list as WebKit parses it (`parseAccessControlAllowList`): empty
/// entries skipped, each trimmed of ASCII whitespace and an HTTP token; `None` when one is not.
fn allow_list(value: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for entry in value.split(',') {
        let entry = entry.trim_matches([' ', '\t', '\r', '\n']);
        if entry.is_empty() {
            continue;
        }
        if !entry.bytes().all(crate::token::is_tchar) {
            return None;
        }
        out.push(entry);
    }
    Some(out)
}

/// WebKit's check of a preflight's response (`validatePreflightResponse`), in its order: an ok
/// status, the access check, both allow lists parsed, the method (case-sensitive; `*` without
/// credentials; `GET`, `HEAD` and `POST` always), then the first request header, in WebKit's
/// order, that is neither safelisted nor allowed.
pub(crate) fn preflight_check(
    resp: &ResponseInfo,
    origin: &str,
    include: bool,
    method: &str,
    headers: &[(String, Vec<u8>)],
) -> Result<(), WebKitFail> {
    let status = resp.status.as_u16();
    if !(200..300).contains(&status) {
        return Err(Some(format!(
            "Preflight response is not successful. Status code: {status}"
        )));
    }
    access_check(resp, origin, include)?;
    let raw = |name: &str| resp.combined(name).map(|v| latin1(&v)).unwrap_or_default();
    let (methods_raw, headers_raw) = (
        raw("access-control-allow-methods"),
        raw("access-control-allow-headers"),
    );
    let Some(methods) = allow_list(&methods_raw) else {
        return Err(Some(format!(
            "Header Access-Control-Allow-Methods has an invalid value: {methods_raw}"
        )));
    };
    let Some(allowed) = allow_list(&headers_raw) else {
        return Err(Some(format!(
            "Header Access-Control-Allow-Headers has an invalid value: {headers_raw}"
        )));
    };
    let method_ok = methods.contains(&method)
        || (methods.contains(&"*") && !include)
        || matches!(method, "GET" | "HEAD" | "POST");
    if !method_ok {
        return Err(Some(format!(
            "Method {method} is not allowed by Access-Control-Allow-Methods."
        )));
    }
    let wildcard = allowed.contains(&"*") && !include;
    for (name, value) in header_order(headers) {
        if is_cors_safelisted_request_header(&name, value, Engine::WebKit) {
            continue;
        }
        if !wildcard && !allowed.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
            return Err(Some(format!(
                "Request header field {name} is not allowed by Access-Control-Allow-Headers."
            )));
        }
    }
    Ok(())
}

/// The reason line of a redirect whose response failed the access check: WebKit names the
/// target, then the check's reason.
pub(crate) fn redirect_denied(target: &str, reason: &str) -> String {
    format!(
        "Cross-origin redirection to {target} denied by Cross-Origin Resource Sharing policy: \
         {reason}"
    )
}

/// More redirects than the limit (20).
pub(crate) const TOO_MANY_REDIRECTS: &str = "Load cannot follow more than 20 redirections";

/// A redirect to an `ftp:` URL.
pub(crate) const FTP_DISABLED: &str = "FTP URLs are disabled";

/// A redirect to a URL with a username or password: WebKit names the target without them, then
/// with them.
pub(crate) fn redirect_with_credentials(target: &str, bare: &str) -> String {
    redirect_denied(bare, &format!("redirection URL {target} has credentials"))
}

/// A redirect to a scheme CORS does not allow (`data:` ...).
pub(crate) fn redirect_to_non_cors_scheme(target: &str) -> String {
    redirect_denied(
        target,
        "not allowed to follow a cross-origin CORS redirection with non CORS scheme",
    )
}

/// WebKit's second line: the URL of the request that failed (the hop that redirected, for a
/// redirect that failed).
pub fn webkit_cannot_load(initiator: Initiator, url: &str) -> String {
    let api = match initiator {
        Initiator::Fetch => "Fetch API",
        Initiator::XmlHttpRequest => "XMLHttpRequest",
    };
    format!("{api} cannot load {url} due to access control checks.")
}

/// The exception a call WebKit refuses throws: its own text where observed (`verified`),
/// otherwise Chrome's words marked unverified.
pub(crate) fn exception(exception: &Exception<'_>, initiator: Initiator) -> ChromeException {
    let observed = |message: String| ChromeException {
        class: "TypeError",
        message,
        verified: true,
    };
    match (*exception, initiator) {
        (Exception::ForbiddenMethod { .. }, Initiator::Fetch) => {
            observed("Method is forbidden.".to_owned())
        }
        // `open()`: the DOM's generic SecurityError text.
        (Exception::ForbiddenMethod { .. }, Initiator::XmlHttpRequest) => ChromeException {
            class: "SecurityError",
            message: "The operation is insecure.".to_owned(),
            verified: true,
        },
        (Exception::BodyWithGetOrHead { method }, Initiator::Fetch) => observed(format!(
            "Request has method '{method}' and cannot have a body"
        )),
        _ => {
            let mut text = chrome::exception(exception, initiator);
            text.verified = false;
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::response;

    const PAGE: &str = "http://127.0.0.1:5500";

    fn check(headers: &[(&'static str, &str)], include: bool) -> Result<(), WebKitFail> {
        access_check(&response(200, headers), PAGE, include)
    }

    #[test]
    fn the_access_check_words_what_is_wrong() {
        let acao = "access-control-allow-origin";
        let not_allowed = Err(Some(
            "Origin http://127.0.0.1:5500 is not allowed by Access-Control-Allow-Origin. \
             Status code: 200"
                .to_owned(),
        ));
        assert_eq!(check(&[], false), not_allowed);
        assert_eq!(check(&[(acao, "nope")], false), not_allowed);
        assert_eq!(check(&[(acao, "http://x.example")], false), not_allowed);
        assert_eq!(check(&[(acao, "*")], false), Ok(()));
        assert_eq!(check(&[(acao, PAGE)], false), Ok(()));
        assert_eq!(
            check(&[(acao, PAGE), (acao, PAGE)], false),
            Err(Some(
                "Access-Control-Allow-Origin cannot contain more than one origin.".to_owned()
            ))
        );
        assert_eq!(
            check(&[(acao, "*")], true),
            Err(Some(
                "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                    .to_owned()
            ))
        );
        assert_eq!(
            check(
                &[(acao, PAGE), ("access-control-allow-credentials", "True")],
                true
            ),
            Err(Some(
                "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
                    .to_owned()
            ))
        );
    }

    #[test]
    fn the_preflight_check_goes_status_origin_lists_method_headers() {
        let acao = ("access-control-allow-origin", PAGE);
        let h = |n: &str, v: &str| (n.to_owned(), v.as_bytes().to_vec());
        let pf = |status, headers: &[(&'static str, &str)], method: &str, req: &[_]| {
            preflight_check(&response(status, headers), PAGE, false, method, req)
                .err()
                .flatten()
        };
        assert_eq!(
            pf(404, &[], "PUT", &[]).as_deref(),
            Some("Preflight response is not successful. Status code: 404")
        );
        assert_eq!(
            pf(
                204,
                &[acao, ("access-control-allow-methods", "PUT, (GET)")],
                "PUT",
                &[]
            )
            .as_deref(),
            Some("Header Access-Control-Allow-Methods has an invalid value: PUT, (GET)")
        );
        assert_eq!(
            pf(204, &[acao], "patch", &[]).as_deref(),
            Some("Method patch is not allowed by Access-Control-Allow-Methods.")
        );
        // Known names first, spelled WebKit's way; then the others in the page's order.
        let req = [
            h("x-zed", "1"),
            h("X-Ace", "1"),
            h("content-type", "application/json"),
        ];
        assert_eq!(
            pf(204, &[acao], "POST", &req).as_deref(),
            Some(
                "Request header field Content-Type is not allowed by Access-Control-Allow-Headers."
            )
        );
        assert_eq!(
            pf(
                204,
                &[acao, ("access-control-allow-headers", "content-type")],
                "POST",
                &req
            )
            .as_deref(),
            Some("Request header field x-zed is not allowed by Access-Control-Allow-Headers.")
        );
        assert_eq!(
            pf(
                204,
                &[acao, ("access-control-allow-headers", "*")],
                "POST",
                &req
            ),
            None
        );
    }

    #[test]
    fn redirect_and_cannot_load_lines() {
        assert_eq!(
            redirect_with_credentials("http://u:p@a.test/x", "http://a.test/x"),
            "Cross-origin redirection to http://a.test/x denied by Cross-Origin Resource \
             Sharing policy: redirection URL http://u:p@a.test/x has credentials"
        );
        assert_eq!(
            webkit_cannot_load(Initiator::XmlHttpRequest, "http://a.test/x"),
            "XMLHttpRequest cannot load http://a.test/x due to access control checks."
        );
        assert_eq!(
            crate::Engine::WebKit.fetch_rejection(),
            "TypeError: Load failed"
        );
    }

    #[test]
    fn exceptions_observed_and_not() {
        let forbidden = exception(
            &Exception::ForbiddenMethod { method: "TRACE" },
            Initiator::Fetch,
        );
        assert_eq!(
            (
                forbidden.class,
                forbidden.message.as_str(),
                forbidden.verified
            ),
            ("TypeError", "Method is forbidden.", true)
        );
        let body = exception(
            &Exception::BodyWithGetOrHead { method: "HEAD" },
            Initiator::Fetch,
        );
        assert_eq!(
            body.message,
            "Request has method 'HEAD' and cannot have a body"
        );
        let open = exception(
            &Exception::ForbiddenMethod { method: "CONNECT" },
            Initiator::XmlHttpRequest,
        );
        assert_eq!(
            (open.class, open.message.as_str()),
            ("SecurityError", "The operation is insecure.")
        );
        assert!(!exception(&Exception::InvalidUrl { url: "x" }, Initiator::Fetch).verified);
    }
}
