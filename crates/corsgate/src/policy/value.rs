//! Header values a policy renders once, at build time, and owns.
//!
//! A response's CORS lines are mostly the same bytes on every request (method and header
//! lists, max-age, `Vary`, an exact origin). They are rendered when the policy is built, into
//! buffers the policy owns: a request clones them (a reference-count increment, no copy and
//! no allocation) and the last clone — the policy, or a response still in flight after the
//! policy was replaced — frees them. Replacing a policy therefore costs no memory for good,
//! however many distinct policies a process builds over its life. `*` and `true` are static.

use bytes::Bytes;
use http::HeaderValue;

/// `*`.
pub(crate) static STAR: HeaderValue = HeaderValue::from_static("*");
/// `true`.
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");
/// `Access-Control-Allow-Headers` for a preflight asking for `Authorization` under `*`.
pub(crate) static STAR_AUTHORIZATION: HeaderValue = HeaderValue::from_static("*, authorization");
/// `Vary` on responses whose CORS lines depend on the origin.
pub(crate) static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("origin");
/// `Vary` on preflight answers: with `origin` (first two) or without, and with the Private
/// Network Access request header (second of each pair) or without. The vocabulary is fixed,
/// so these are static: no reference count to touch on a request, nothing to free.
pub(crate) static VARY_PREFLIGHT: [HeaderValue; 4] = [
    HeaderValue::from_static(
        "origin, access-control-request-method, access-control-request-headers",
    ),
    HeaderValue::from_static(
        "origin, access-control-request-method, access-control-request-headers, access-control-request-private-network",
    ),
    HeaderValue::from_static("access-control-request-method, access-control-request-headers"),
    HeaderValue::from_static(
        "access-control-request-method, access-control-request-headers, access-control-request-private-network",
    ),
];

/// A header value for `s`, which the caller has validated (tokens joined by `, `, digits,
/// `*`, an origin), owned by whoever holds it and shared by its clones. Anything else renders
/// as an empty value rather than panicking (never reached from a validated policy).
pub(crate) fn owned_value(s: &str) -> HeaderValue {
    // One spare byte of capacity makes `Bytes` share the buffer from the start: its clones
    // then only count references. (A buffer filled to capacity is shared lazily instead, and
    // its first clone, on some request, would allocate.)
    let mut buffer = Vec::with_capacity(s.len() + 1);
    buffer.extend_from_slice(s.as_bytes());
    HeaderValue::from_maybe_shared(Bytes::from(buffer))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shared_not_copied_and_bad_input_is_empty() {
        let a = owned_value(&String::from("GET, PUT"));
        let b = a.clone();
        assert_eq!(a, "GET, PUT");
        assert_eq!(
            a.as_bytes().as_ptr(),
            b.as_bytes().as_ptr(),
            "a clone shares the bytes"
        );
        assert_eq!(owned_value("bad\nvalue"), "");
    }
}
