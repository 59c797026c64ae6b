//! Why a browser blocks a cross-origin response: Chromium's `CorsError` kinds.
//!
//! The names follow `network::mojom::CorsError` (`services/network/public/mojom/cors.mojom`)
//! without the `k` prefix, so a developer can search Chromium's source for them. Each
//! response-header failure exists twice, once for the actual response and once (`Preflight…`)
//! for the preflight's: Chrome then prefixes its message with "Response to preflight request
//! doesn't pass access control check: ". Two network errors the CORS flow can end in, which
//! are not `CorsError`s in Chromium, are included so a flow always ends in one kind.

/// A reason the browser refuses to hand a response to the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorsErrorKind {
    /// `mode: "same-origin"` with a cross-origin URL.
    DisallowedByMode,
    /// `Access-Control-Allow-Origin: *` while the request's credentials mode is `include`.
    WildcardOriginNotAllowed,
    /// No `Access-Control-Allow-Origin` on the response.
    MissingAllowOriginHeader,
    /// `Access-Control-Allow-Origin` has more than one value (a comma or space in it, or the
    /// header sent twice).
    MultipleAllowOriginValues,
    /// `Access-Control-Allow-Origin` is neither `*`, `null` nor a URL.
    InvalidAllowOriginValue,
    /// `Access-Control-Allow-Origin` is a single origin, but not the request's.
    AllowOriginMismatch,
    /// Credentials mode `include`, and `Access-Control-Allow-Credentials` is not exactly `true`.
    InvalidAllowCredentials,
    /// A redirect to a scheme CORS does not support (e.g. `ftp:`).
    CorsDisabledScheme,
    /// Preflight: `Access-Control-Allow-Origin: *` with credentials.
    PreflightWildcardOriginNotAllowed,
    /// Preflight: no `Access-Control-Allow-Origin`.
    PreflightMissingAllowOriginHeader,
    /// Preflight: several `Access-Control-Allow-Origin` values.
    PreflightMultipleAllowOriginValues,
    /// Preflight: `Access-Control-Allow-Origin` is not a valid value.
    PreflightInvalidAllowOriginValue,
    /// Preflight: `Access-Control-Allow-Origin` is another origin.
    PreflightAllowOriginMismatch,
    /// Preflight: `Access-Control-Allow-Credentials` is not `true` (credentials mode `include`).
    PreflightInvalidAllowCredentials,
    /// Preflight: the status is not 2xx.
    PreflightInvalidStatus,
    /// Preflight: the server redirected it.
    PreflightDisallowedRedirect,
    /// Preflight: `Access-Control-Allow-Methods` is not a comma-separated list of tokens.
    InvalidAllowMethodsPreflightResponse,
    /// Preflight: `Access-Control-Allow-Headers` is not a comma-separated list of tokens.
    InvalidAllowHeadersPreflightResponse,
    /// Preflight: the method is not in `Access-Control-Allow-Methods`.
    MethodDisallowedByPreflightResponse,
    /// Preflight: a request header is not in `Access-Control-Allow-Headers`.
    HeaderDisallowedByPreflightResponse,
    /// A cross-origin redirect to a URL with a username or password.
    RedirectContainsCredentials,
    /// Not a `CorsError` in Chromium: more than 20 redirects (`net::ERR_TOO_MANY_REDIRECTS`).
    TooManyRedirects,
    /// Not a `CorsError` in Chromium: a redirect to a non-HTTP(S) scheme that Chrome lists as
    /// CORS-enabled (such as `data:`); the fetch fails as a network error.
    UnsafeRedirect,
}

impl CorsErrorKind {
    /// Every kind, for exhaustive tests and documentation tables.
    pub const ALL: [CorsErrorKind; 23] = [
        CorsErrorKind::DisallowedByMode,
        CorsErrorKind::WildcardOriginNotAllowed,
        CorsErrorKind::MissingAllowOriginHeader,
        CorsErrorKind::MultipleAllowOriginValues,
        CorsErrorKind::InvalidAllowOriginValue,
        CorsErrorKind::AllowOriginMismatch,
        CorsErrorKind::InvalidAllowCredentials,
        CorsErrorKind::CorsDisabledScheme,
        CorsErrorKind::PreflightWildcardOriginNotAllowed,
        CorsErrorKind::PreflightMissingAllowOriginHeader,
        CorsErrorKind::PreflightMultipleAllowOriginValues,
        CorsErrorKind::PreflightInvalidAllowOriginValue,
        CorsErrorKind::PreflightAllowOriginMismatch,
        CorsErrorKind::PreflightInvalidAllowCredentials,
        CorsErrorKind::PreflightInvalidStatus,
        CorsErrorKind::PreflightDisallowedRedirect,
        CorsErrorKind::InvalidAllowMethodsPreflightResponse,
        CorsErrorKind::InvalidAllowHeadersPreflightResponse,
        CorsErrorKind::MethodDisallowedByPreflightResponse,
        CorsErrorKind::HeaderDisallowedByPreflightResponse,
        CorsErrorKind::RedirectContainsCredentials,
        CorsErrorKind::TooManyRedirects,
        CorsErrorKind::UnsafeRedirect,
    ];

    /// The Chromium enumerator (`kMissingAllowOriginHeader`), or the `net::` error name for the
    /// two network errors.
    pub const fn chromium_name(self) -> &'static str {
        match self {
            CorsErrorKind::DisallowedByMode => "kDisallowedByMode",
            CorsErrorKind::WildcardOriginNotAllowed => "kWildcardOriginNotAllowed",
            CorsErrorKind::MissingAllowOriginHeader => "kMissingAllowOriginHeader",
            CorsErrorKind::MultipleAllowOriginValues => "kMultipleAllowOriginValues",
            CorsErrorKind::InvalidAllowOriginValue => "kInvalidAllowOriginValue",
            CorsErrorKind::AllowOriginMismatch => "kAllowOriginMismatch",
            CorsErrorKind::InvalidAllowCredentials => "kInvalidAllowCredentials",
            CorsErrorKind::CorsDisabledScheme => "kCorsDisabledScheme",
            CorsErrorKind::PreflightWildcardOriginNotAllowed => {
                "kPreflightWildcardOriginNotAllowed"
            }
            CorsErrorKind::PreflightMissingAllowOriginHeader => {
                "kPreflightMissingAllowOriginHeader"
            }
            CorsErrorKind::PreflightMultipleAllowOriginValues => {
                "kPreflightMultipleAllowOriginValues"
            }
            CorsErrorKind::PreflightInvalidAllowOriginValue => "kPreflightInvalidAllowOriginValue",
            CorsErrorKind::PreflightAllowOriginMismatch => "kPreflightAllowOriginMismatch",
            CorsErrorKind::PreflightInvalidAllowCredentials => "kPreflightInvalidAllowCredentials",
            CorsErrorKind::PreflightInvalidStatus => "kPreflightInvalidStatus",
            CorsErrorKind::PreflightDisallowedRedirect => "kPreflightDisallowedRedirect",
            CorsErrorKind::InvalidAllowMethodsPreflightResponse => {
                "kInvalidAllowMethodsPreflightResponse"
            }
            CorsErrorKind::InvalidAllowHeadersPreflightResponse => {
                "kInvalidAllowHeadersPreflightResponse"
            }
            CorsErrorKind::MethodDisallowedByPreflightResponse => {
                "kMethodDisallowedByPreflightResponse"
            }
            CorsErrorKind::HeaderDisallowedByPreflightResponse => {
                "kHeaderDisallowedByPreflightResponse"
            }
            CorsErrorKind::RedirectContainsCredentials => "kRedirectContainsCredentials",
            CorsErrorKind::TooManyRedirects => "net::ERR_TOO_MANY_REDIRECTS",
            CorsErrorKind::UnsafeRedirect => "net::ERR_UNSAFE_REDIRECT",
        }
    }

    /// Does Chrome prefix the message with "Response to preflight request doesn't pass access
    /// control check: "? (Chromium's `IsPreflightError`.)
    pub const fn is_preflight_error(self) -> bool {
        matches!(
            self,
            CorsErrorKind::PreflightWildcardOriginNotAllowed
                | CorsErrorKind::PreflightMissingAllowOriginHeader
                | CorsErrorKind::PreflightMultipleAllowOriginValues
                | CorsErrorKind::PreflightInvalidAllowOriginValue
                | CorsErrorKind::PreflightAllowOriginMismatch
                | CorsErrorKind::PreflightInvalidAllowCredentials
                | CorsErrorKind::PreflightInvalidStatus
                | CorsErrorKind::PreflightDisallowedRedirect
        )
    }

    /// Did the failure come from the preflight (response or its allow-lists)?
    pub const fn is_from_preflight(self) -> bool {
        self.is_preflight_error()
            || matches!(
                self,
                CorsErrorKind::InvalidAllowMethodsPreflightResponse
                    | CorsErrorKind::InvalidAllowHeadersPreflightResponse
                    | CorsErrorKind::MethodDisallowedByPreflightResponse
                    | CorsErrorKind::HeaderDisallowedByPreflightResponse
            )
    }

    /// The preflight variant of an origin/credentials failure (the CORS check is the same
    /// algorithm on both responses; only the kind differs).
    pub const fn for_preflight(self) -> CorsErrorKind {
        match self {
            CorsErrorKind::WildcardOriginNotAllowed => {
                CorsErrorKind::PreflightWildcardOriginNotAllowed
            }
            CorsErrorKind::MissingAllowOriginHeader => {
                CorsErrorKind::PreflightMissingAllowOriginHeader
            }
            CorsErrorKind::MultipleAllowOriginValues => {
                CorsErrorKind::PreflightMultipleAllowOriginValues
            }
            CorsErrorKind::InvalidAllowOriginValue => {
                CorsErrorKind::PreflightInvalidAllowOriginValue
            }
            CorsErrorKind::AllowOriginMismatch => CorsErrorKind::PreflightAllowOriginMismatch,
            CorsErrorKind::InvalidAllowCredentials => {
                CorsErrorKind::PreflightInvalidAllowCredentials
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_classes() {
        assert_eq!(
            CorsErrorKind::MissingAllowOriginHeader.chromium_name(),
            "kMissingAllowOriginHeader"
        );
        assert!(CorsErrorKind::PreflightInvalidStatus.is_preflight_error());
        assert!(!CorsErrorKind::MethodDisallowedByPreflightResponse.is_preflight_error());
        assert!(CorsErrorKind::MethodDisallowedByPreflightResponse.is_from_preflight());
        assert_eq!(
            CorsErrorKind::AllowOriginMismatch.for_preflight(),
            CorsErrorKind::PreflightAllowOriginMismatch
        );
        let mut names: Vec<_> = CorsErrorKind::ALL
            .iter()
            .map(|k| k.chromium_name())
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CorsErrorKind::ALL.len());
    }
}
