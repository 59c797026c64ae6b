//! The CORS lines of one response ([`CorsHeaders`]) and how they are written into its headers.
//!
//! A decision fills in a `CorsHeaders` (shared clones of the policy's rendered values, plus what
//! is echoed from the request); [`CorsHeaders::apply_to`] then owns those lines on the
//! response: it replaces or removes what the inner service set and merges `Vary`.

use http::header::{self, HeaderMap, HeaderName, HeaderValue, VARY};

use super::value::TRUE;

/// `Access-Control-Allow-Private-Network` (not in `http`'s constants).
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// A value a response gets: pre-rendered by the policy, or echoed from the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Value {
    /// A value from the fixed vocabulary (`*`, `*, authorization`): nothing to count or free.
    Static(&'static HeaderValue),
    /// A value the policy rendered: a shared clone (a reference count, no copy).
    Rendered(HeaderValue),
    /// Part of the request, validated (a matched origin, a requested method or header list):
    /// shares the request's bytes.
    Echoed(HeaderValue),
}

impl Value {
    #[inline]
    fn get(&self) -> &HeaderValue {
        match self {
            Value::Static(v) => v,
            Value::Rendered(v) => v,
            Value::Echoed(v) => v,
        }
    }
}

/// The CORS headers of one response: shared clones of pre-rendered values, plus the parts
/// echoed from the request. Small, so a decision is cheap to move and to drop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsHeaders {
    pub(super) preflight: bool,
    pub(super) allow_credentials: bool,
    pub(super) allow_private_network: bool,
    pub(super) allow_origin: Option<Value>,
    pub(super) allow_methods: Option<Value>,
    pub(super) allow_headers: Option<Value>,
    pub(super) expose_headers: Option<HeaderValue>,
    pub(super) max_age: Option<HeaderValue>,
    pub(super) vary: Option<&'static HeaderValue>,
}

impl CorsHeaders {
    /// `Access-Control-Allow-Origin`.
    pub fn allow_origin(&self) -> Option<&HeaderValue> {
        self.allow_origin.as_ref().map(Value::get)
    }

    /// `Vary` (merged into any `Vary` the response already has).
    pub fn vary(&self) -> Option<&HeaderValue> {
        self.vary
    }

    /// Writes these headers into `map`.
    ///
    /// corsgate owns the CORS response headers: a value the inner service set is replaced,
    /// and removed when the policy sends none, so a response never carries a combination the
    /// policy did not validate. On responses that are not preflights only the headers of
    /// actual responses (`-Allow-Origin`, `-Allow-Credentials`, `-Expose-Headers`) are owned.
    /// `Vary` is merged: never replaced, never duplicated, and left alone when it is `*`.
    pub fn apply_to(&self, map: &mut HeaderMap) {
        if map.is_empty() {
            // A response corsgate builds itself (a preflight's answer): nothing to replace,
            // remove or merge; allocate the map once, at its final size.
            map.reserve(self.len());
            self.append_to(map);
            return;
        }
        if !map.keys().any(is_cors_or_vary) {
            // The common case: the inner service set none of these. A look at each of its
            // few names costs less than a hashed probe for each of ours.
            self.append_to(map);
            return;
        }
        self.each_line(|name, value| set(map, name, value));
        if let Some(vary) = self.vary {
            merge_vary(map, vary);
        }
    }
}

impl CorsHeaders {
    /// Every line these headers own on this response, in the order they are written, with
    /// its value (`None`: not sent, so a line the inner service set must go); `Vary` aside.
    /// Inlined into each caller, so each gets straight-line code as if written out.
    #[inline(always)]
    fn each_line(&self, mut line: impl FnMut(HeaderName, Option<&HeaderValue>)) {
        line(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            self.allow_origin.as_ref().map(Value::get),
        );
        line(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            self.allow_credentials.then_some(&TRUE),
        );
        line(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            self.expose_headers.as_ref(),
        );
        if self.preflight {
            line(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                self.allow_methods.as_ref().map(Value::get),
            );
            line(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                self.allow_headers.as_ref().map(Value::get),
            );
            line(header::ACCESS_CONTROL_MAX_AGE, self.max_age.as_ref());
            line(
                ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
                self.allow_private_network.then_some(&TRUE),
            );
        }
    }

    /// [`CorsHeaders::apply_to`] for a map with no CORS header and no `Vary`: one append
    /// per line sent.
    #[inline]
    fn append_to(&self, map: &mut HeaderMap) {
        self.each_line(|name, value| {
            if let Some(v) = value {
                map.append(name, v.clone());
            }
        });
        if let Some(v) = self.vary {
            map.append(VARY, v.clone());
        }
    }

    /// How many header lines [`CorsHeaders::apply_to`] may add.
    fn len(&self) -> usize {
        let mut n = usize::from(self.vary.is_some());
        self.each_line(|_, value| n += usize::from(value.is_some()));
        n
    }
}

/// Whether `name` is a header [`CorsHeaders::apply_to`] may replace, remove or merge.
#[inline]
fn is_cors_or_vary(name: &HeaderName) -> bool {
    *name == VARY || name.as_str().starts_with("access-control-")
}

#[inline]
fn set(map: &mut HeaderMap, name: HeaderName, value: Option<&HeaderValue>) {
    match value {
        Some(v) => {
            map.insert(name, v.clone());
        }
        None => {
            if map.contains_key(&name) {
                map.remove(name);
            }
        }
    }
}

fn split_list(v: &HeaderValue) -> impl Iterator<Item = &[u8]> {
    v.as_bytes()
        .split(|&b| b == b',')
        .map(|s| s.trim_ascii())
        .filter(|s| !s.is_empty())
}

/// Adds the tokens of `ours` that `map`'s `Vary` does not already list.
fn merge_vary(map: &mut HeaderMap, ours: &HeaderValue) {
    // One probe in the common case (no `Vary` yet).
    if let header::Entry::Vacant(slot) = map.entry(VARY) {
        slot.insert(ours.clone());
        return;
    }
    let listed = |token: &[u8]| {
        map.get_all(VARY)
            .iter()
            .any(|line| split_list(line).any(|t| t == b"*" || t.eq_ignore_ascii_case(token)))
    };
    let missing = split_list(ours).filter(|t| !listed(t)).count();
    if missing == 0 {
        return;
    }
    if missing == split_list(ours).count() {
        map.append(VARY, ours.clone());
        return;
    }
    // Some tokens are there already: add the others one line each (multiple `Vary` lines
    // mean the same as one comma-joined line). The names come from a fixed vocabulary, so
    // their values are static.
    let to_add: [Option<&'static str>; 4] = {
        let mut out = [None; 4];
        let mut n = 0;
        for t in split_list(ours) {
            if !listed(t) && n < out.len() {
                out[n] = static_vary_token(t);
                n += 1;
            }
        }
        out
    };
    for t in to_add.into_iter().flatten() {
        map.append(VARY, HeaderValue::from_static(t));
    }
}

fn static_vary_token(t: &[u8]) -> Option<&'static str> {
    [
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
    ]
    .into_iter()
    .find(|s| s.as_bytes().eq_ignore_ascii_case(t))
}
