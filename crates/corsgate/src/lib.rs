//! corsgate: CORS done right — spec-exact, validated when built, allocation-free per request.
//!
//! Browsers block a page from reading a response from another origin unless the server says
//! it may, with `Access-Control-*` headers. corsgate is the server side of that protocol for
//! tower (axum, hyper, tonic), plus a model of the browser side used by the `corsgate check`
//! doctor.
//!
//! ```
//! use axum::{routing::get, Router};
//! use corsgate::Config;
//!
//! // The finished state of the classic tutorial: one page origin, GET and POST.
//! let cors = Config::new()
//!     .allow_origin("http://127.0.0.1:5500")
//!     .allow_methods(["GET", "POST"])
//!     .build()?; // every mistake in the policy is reported here, all at once
//!
//! let app: Router = Router::new()
//!     .route("/data", get(|| async { r#"{"name":"Bangladesh"}"# }))
//!     .layer(cors.layer()); // outermost: see the `layer` module on ordering
//! # let _ = app;
//! # Ok::<(), corsgate::ConfigErrors>(())
//! ```
//!
//! # What it does with a request
//!
//! - No `Origin` header: not CORS; the request goes on untouched.
//! - `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a preflight. corsgate
//!   checks origin, method, headers and Private Network Access, in that order, and answers
//!   itself: `preflight_status` (204) with the allowed parts, or 403 with no CORS headers (see
//!   [`Config::debug`] for the explaining variant). With `preflight_continue` the inner
//!   service answers instead, with the headers added.
//! - Anything else with `Origin`: an actual request. It always reaches the inner service;
//!   `Access-Control-Allow-Origin` (and `-Credentials`, `-Expose-Headers`) are added only for
//!   allowed origins, on every status, errors included.
//! - `Vary: Origin` goes on every response whose headers depend on the origin, merged into
//!   the inner service's `Vary`.
//!
//! # The API
//!
//! Everything is at the crate root; the modules are private.
//!
//! - Policy, as written: [`Config`] (the one schema: builder methods, serde for TOML and
//!   JSON), [`OriginPredicate`] / [`OriginPredicateFn`] (the code-only escape hatch).
//! - Building it: [`Config::build`] → [`Cors`], or [`ConfigErrors`] listing every
//!   [`ConfigError`] at once (each with its [`Field`], entry, [`ErrorKind`] and fix).
//! - Serving it: [`Cors::layer`] → [`CorsLayer`] → [`CorsService`] (its future is
//!   [`ResponseFuture`]); [`Cors::replace`] swaps the policy live.
//! - Deciding without tower: [`Policy`] (validated, immutable), [`Policy::decide`] →
//!   [`Decision`] ([`Outcome`], [`Rejection`], the [`CorsHeaders`] to write).
//! - Origins: [`Origin`] (a validated serialized origin), [`OriginError`] /
//!   [`OriginErrorKind`] (what is wrong with one, and the spelling to use).
//! - Constants: [`MAX_REQUEST_HEADERS_LEN`] (the longest `Access-Control-Request-Headers`
//!   read), [`ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK`] and
//!   [`ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK`] (Private Network Access header names).
//!
//! The list is checked in as `public-api.txt` beside `Cargo.toml`; a test fails when the
//! API changes without it.
//!
//! # Allocation
//!
//! Header values are rendered when the policy is built, into buffers the policy owns; a
//! request only clones them (a reference-count increment) or, for an origin matched by a
//! pattern, the request's own `Origin` value (likewise). A replaced policy's values are freed
//! when the last response using them is done, so swapping policies costs no memory for good.
//! An allowed actual
//! request allocates nothing in corsgate; a preflight corsgate answers allocates only the
//! response's own header map. The test `tests/alloc.rs` counts this with a global allocator.
//! The origin predicate, if you set one, is your code and runs on the hot path.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod cors;
mod error;
mod layer;
mod policy;

pub use config::{Config, OriginPredicate, OriginPredicateFn};
pub use cors::Cors;
pub use error::{ConfigError, ConfigErrors, ErrorKind, Field};
pub use layer::{CorsLayer, CorsService, ResponseFuture};
pub use policy::origin::{Origin, OriginError, OriginErrorKind};
pub use policy::request_headers::MAX_REQUEST_HEADERS_LEN;
pub use policy::{
    CorsHeaders, Decision, Outcome, Policy, Rejection, ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
    ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK,
};

/// Internals the fuzz targets exercise directly; only compiled under `cargo fuzz`
/// (`--cfg fuzzing`), never part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::policy::origin_set::OriginSet;
    pub use crate::policy::pattern::OriginPattern;
}
