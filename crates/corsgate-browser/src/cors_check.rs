//! The CORS check on a response, in Chrome's order (`network::cors::CheckAccess`).
//!
//! Every response to a cross-origin CORS request — the preflight's, each redirect hop's and the
//! final one — must pass it. Chrome's order, verified with Chromium 156:
//!
//! 1. `Access-Control-Allow-Origin: *`: passes, unless credentials mode is `include`
//!    (wildcard error);
//! 2. no `Access-Control-Allow-Origin`: missing-header error;
//! 3. a value other than the request's serialised origin: "multiple values" if it contains a
//!    space or comma (two header lines are joined with `, `, so they land here too), else
//!    "not equal" if it is `null` or parses as a URL, else "invalid value";
//! 4. with credentials mode `include`, `Access-Control-Allow-Credentials` must be exactly
//!    `true` (case-sensitive; two lines `true, true` fail).
//!
//! The comparison is byte-exact: `HTTP://127.0.0.1:5500` and `http://127.0.0.1:5500/` are not
//! equal to the origin `http://127.0.0.1:5500`. After a cross-origin redirect the request's
//! origin is the opaque `null`, and only `null` or `*` passes.

use crate::cors_error::CorsErrorKind;
use crate::response::ResponseInfo;
use crate::url::Url;

/// A failed check: the kind and Chromium's "failed parameter" (the offending value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckFail {
    /// What failed.
    pub kind: CorsErrorKind,
    /// The offending value as received (`Access-Control-Allow-Origin`, `-Credentials`, method or
    /// header name), empty when there is none.
    pub hint: Vec<u8>,
}

impl CheckFail {
    /// A failure without a parameter.
    pub fn new(kind: CorsErrorKind) -> Self {
        CheckFail {
            kind,
            hint: Vec::new(),
        }
    }

    /// A failure with a parameter.
    pub fn with(kind: CorsErrorKind, hint: impl Into<Vec<u8>>) -> Self {
        CheckFail {
            kind,
            hint: hint.into(),
        }
    }
}

/// Chrome's CORS check. `origin` is the serialised origin the request carried (`null` when
/// tainted); `include` is credentials mode `include`.
pub fn cors_check(resp: &ResponseInfo, origin: &str, include: bool) -> Result<(), CheckFail> {
    let acao = resp.combined("access-control-allow-origin");
    match acao.as_deref() {
        Some(b"*") => {
            if include {
                return Err(CheckFail::new(CorsErrorKind::WildcardOriginNotAllowed));
            }
            return Ok(());
        }
        None => return Err(CheckFail::new(CorsErrorKind::MissingAllowOriginHeader)),
        Some(v) if v != origin.as_bytes() => {
            let kind = if v.iter().any(|&b| b == b' ' || b == b',') {
                CorsErrorKind::MultipleAllowOriginValues
            } else if v == b"null" {
                CorsErrorKind::AllowOriginMismatch
            } else {
                match std::str::from_utf8(v).ok().map(Url::parse) {
                    Some(Ok(_)) => CorsErrorKind::AllowOriginMismatch,
                    _ => CorsErrorKind::InvalidAllowOriginValue,
                }
            };
            return Err(CheckFail::with(kind, v));
        }
        Some(_) => {}
    }
    if include {
        let acac = resp.combined("access-control-allow-credentials");
        if acac.as_deref() != Some(b"true") {
            return Err(CheckFail::with(
                CorsErrorKind::InvalidAllowCredentials,
                acac.unwrap_or_default(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;
    use CorsErrorKind as K;

    const O: &str = "http://127.0.0.1:5500";

    fn r(h: &[(&'static str, &str)]) -> ResponseInfo {
        h.iter()
            .fold(ResponseInfo::new(StatusCode::OK), |r, (n, v)| {
                r.header(n, v)
            })
    }

    fn fail(h: &[(&'static str, &str)], include: bool) -> (K, String) {
        let f = cors_check(&r(h), O, include).unwrap_err();
        (f.kind, String::from_utf8_lossy(&f.hint).into_owned())
    }

    const ACAO: &str = "access-control-allow-origin";
    const ACAC: &str = "access-control-allow-credentials";

    #[test]
    fn passes() {
        assert_eq!(cors_check(&r(&[(ACAO, "*")]), O, false), Ok(()));
        assert_eq!(cors_check(&r(&[(ACAO, O)]), O, false), Ok(()));
        assert_eq!(
            cors_check(&r(&[(ACAO, "http://127.0.0.1:5500 ")]), O, false),
            Ok(())
        );
        assert_eq!(
            cors_check(&r(&[(ACAO, O), (ACAC, "true")]), O, true),
            Ok(())
        );
        assert_eq!(cors_check(&r(&[(ACAO, "null")]), "null", false), Ok(()));
        assert_eq!(cors_check(&r(&[(ACAO, "*")]), "null", false), Ok(()));
    }

    #[test]
    fn each_failure_as_chrome_156_reports_it() {
        assert_eq!(
            fail(&[], false),
            (K::MissingAllowOriginHeader, String::new())
        );
        assert_eq!(
            fail(&[(ACAO, "*")], true),
            (K::WildcardOriginNotAllowed, String::new())
        );
        assert_eq!(
            fail(&[(ACAO, "*"), (ACAC, "true")], true).0,
            K::WildcardOriginNotAllowed
        );
        assert_eq!(
            fail(&[(ACAO, O), (ACAO, "http://x.example")], false),
            (
                K::MultipleAllowOriginValues,
                "http://127.0.0.1:5500, http://x.example".into()
            )
        );
        assert_eq!(
            fail(&[(ACAO, "http://a.example,http://b.example")], false).0,
            K::MultipleAllowOriginValues
        );
        assert_eq!(
            fail(&[(ACAO, "*"), (ACAO, "*")], false),
            (K::MultipleAllowOriginValues, "*, *".into())
        );
        assert_eq!(
            fail(&[(ACAO, "not a url")], false).0,
            K::MultipleAllowOriginValues
        );
        assert_eq!(
            fail(&[(ACAO, "http://other.example")], false),
            (K::AllowOriginMismatch, "http://other.example".into())
        );
        assert_eq!(
            fail(&[(ACAO, "null")], false),
            (K::AllowOriginMismatch, "null".into())
        );
        assert_eq!(
            fail(&[(ACAO, "http://127.0.0.1:5500/")], false).0,
            K::AllowOriginMismatch
        );
        assert_eq!(
            fail(&[(ACAO, "HTTP://127.0.0.1:5500")], false).0,
            K::AllowOriginMismatch
        );
        assert_eq!(
            fail(&[(ACAO, "notaurl")], false),
            (K::InvalidAllowOriginValue, "notaurl".into())
        );
        assert_eq!(
            fail(&[(ACAO, "")], false),
            (K::InvalidAllowOriginValue, String::new())
        );
        assert_eq!(
            fail(&[(ACAO, O)], true),
            (K::InvalidAllowCredentials, String::new())
        );
        assert_eq!(
            fail(&[(ACAO, O), (ACAC, "True")], true),
            (K::InvalidAllowCredentials, "True".into())
        );
        assert_eq!(
            fail(&[(ACAO, O), (ACAC, "true"), (ACAC, "true")], true),
            (K::InvalidAllowCredentials, "true, true".into())
        );
        // A tainted request: the page's own origin no longer matches.
        let f = cors_check(&r(&[(ACAO, O)]), "null", false).unwrap_err();
        assert_eq!(f.kind, K::AllowOriginMismatch);
    }

    #[test]
    fn non_utf8_value_is_invalid() {
        let mut resp = ResponseInfo::new(StatusCode::OK);
        resp.headers.insert(
            ACAO,
            http::HeaderValue::from_bytes(b"http://\xe9.example").unwrap(),
        );
        let f = cors_check(&resp, O, false).unwrap_err();
        assert_eq!(f.kind, K::InvalidAllowOriginValue);
        assert_eq!(f.hint, b"http://\xe9.example");
    }
}
