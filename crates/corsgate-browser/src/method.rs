//! Request methods as `fetch()` and `XMLHttpRequest` see them.
//!
//! A page's method string goes through three rules before CORS looks at it: it must be an HTTP
//! token, it must not be a forbidden method, and six well-known names are upper-cased while
//! every other name keeps its case (so `patch` stays `patch`, and a server must list `patch`
//! in `Access-Control-Allow-Methods`: Chrome compares case-sensitively).

use crate::token::is_token;

/// Fetch's method normalisation: `DELETE GET HEAD OPTIONS POST PUT` matched case-insensitively
/// become upper case; any other method is returned unchanged.
pub fn normalize(method: &str) -> String {
    corsgate_fetch::normalize_method(method).to_owned()
}

/// `CONNECT`, `TRACE` and `TRACK` in any case: `fetch()` throws a `TypeError` and
/// `XMLHttpRequest.open()` a `SecurityError`, so no request is ever made.
pub fn is_forbidden(method: &str) -> bool {
    corsgate_fetch::is_forbidden_method(method)
}

/// `GET`, `HEAD` and `POST` (exact bytes: the method is normalised first): the methods that
/// never need a preflight and that a preflight response never has to list.
pub fn is_cors_safelisted(method: &str) -> bool {
    corsgate_fetch::is_safelisted_method(method.as_bytes())
}

/// Is `method` syntactically a method (a non-empty HTTP token)?
pub fn is_valid(method: &str) -> bool {
    is_token(method.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_only_the_six_names() {
        for (input, out) in [
            ("delete", "DELETE"),
            ("Get", "GET"),
            ("head", "HEAD"),
            ("options", "OPTIONS"),
            ("post", "POST"),
            ("pUt", "PUT"),
            ("patch", "patch"),
            ("Patch", "Patch"),
            ("PATCH", "PATCH"),
            ("foo", "foo"),
        ] {
            assert_eq!(normalize(input), out, "{input}");
        }
    }

    #[test]
    fn forbidden_methods_any_case() {
        for m in ["CONNECT", "connect", "Trace", "TRACK", "track"] {
            assert!(is_forbidden(m), "{m}");
        }
        for m in ["GET", "CONNECTX", "TRAC", "PATCH"] {
            assert!(!is_forbidden(m), "{m}");
        }
    }

    #[test]
    fn safelisted_methods_are_exact() {
        assert!(is_cors_safelisted("GET"));
        assert!(is_cors_safelisted("HEAD"));
        assert!(is_cors_safelisted("POST"));
        assert!(!is_cors_safelisted("PUT"));
        assert!(!is_cors_safelisted("get"));
        assert!(!is_cors_safelisted("OPTIONS"));
    }

    #[test]
    fn validity_is_token_syntax() {
        assert!(is_valid("PATCH"));
        assert!(is_valid("M-SEARCH"));
        assert!(!is_valid(""));
        assert!(!is_valid("GE T"));
        assert!(!is_valid("GET\n"));
        assert!(!is_valid("PÜT"));
    }
}
