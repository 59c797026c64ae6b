//! Method and header name rules: the Fetch lists of [`corsgate_fetch`], and the policy's own.
//!
//! The policy adds which names can never be meaningful in `allow_headers` or `expose_headers`.

pub(crate) use corsgate_fetch::{
    is_forbidden_method, is_safelisted_method, is_tchar, is_token, normalize_method,
};
// `Set-Cookie`/`Set-Cookie2` (never readable by script) and the safelisted response headers
// (always readable): the same Fetch lists the browser core uses.
use corsgate_fetch::{is_forbidden_request_header_name, starts_with_ignore_case};
pub(crate) use corsgate_fetch::{
    is_forbidden_response_header_name as is_forbidden_response_header,
    is_safelisted_response_header_name as is_safelisted_response_header,
};

/// A header `fetch()` never lets a page set: listing it in `allow_headers` can't do anything.
pub(crate) fn is_forbidden_request_header(name: &str) -> bool {
    is_forbidden_request_header_name(name)
}

/// `Access-Control-*`: the protocol's own headers, never application headers.
pub(crate) fn is_cors_protocol_header(name: &str) -> bool {
    starts_with_ignore_case(name, "access-control-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_name_rules() {
        assert!(is_forbidden_request_header("Cookie"));
        assert!(is_cors_protocol_header("Access-Control-Allow-Origin"));
        assert!(!is_cors_protocol_header("access-control"));
        assert!(is_forbidden_response_header("Set-Cookie2"));
        assert!(is_safelisted_response_header("Content-Type"));
        assert!(!is_safelisted_response_header("x-total"));
    }
}
