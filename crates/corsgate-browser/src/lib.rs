//! The browser side of CORS, sans I/O: the Fetch algorithm as Chrome, Firefox and WebKit run it.
//!
//! The doctor needs to say what Chrome would say about a cross-origin request, without a
//! browser. This crate is that browser, minus the network: pure functions and plain data, no
//! I/O. It follows the WHATWG Fetch standard and, where they differ, what Chromium 156 does
//! (checked against a real Chromium 156 and recorded as the test vectors in
//! `tests/data/chromium_156_vectors.json`), with Firefox ESR 153's wording and verdict attached,
//! and WebKit (WebKitGTK 2.50) as a third engine, its checks and texts as observed.
//!
//! ```
//! use corsgate_browser::{simulate, response, CorsRequest, Engine, Outcome};
//!
//! let req = CorsRequest::fetch("http://localhost:3000/data", "http://127.0.0.1:5500").method("PUT");
//! // A server that answers the preflight without Access-Control-Allow-Methods.
//! let (outcome, sent) = simulate(&req, Engine::Chrome, |r| {
//!     response(204, &[("access-control-allow-origin", "http://127.0.0.1:5500")])
//! });
//! let Outcome::Blocked(blocked) = outcome else { panic!() };
//! assert_eq!(sent[0].method, "OPTIONS");
//! assert_eq!(
//!     blocked.chrome_message.as_deref(),
//!     Some("Access to fetch at 'http://localhost:3000/data' from origin 'http://127.0.0.1:5500' \
//!           has been blocked by CORS policy: Method PUT is not allowed by \
//!           Access-Control-Allow-Methods in preflight response.")
//! );
//! ```
//!
//! # Public API
//!
//! Everything public is at the crate root:
//!
//! - the page's call: [`CorsRequest`] (with [`Body`], [`CredentialsMode`], [`RequestMode`],
//!   [`Initiator`]) and the [`Engine`] to model;
//! - running it: [`Flow`] step by step ([`Step`], [`OutgoingRequest`], [`Purpose`]), or
//!   [`simulate`] against a closure, or just [`plan`] it ([`Plan`]); a run takes at most
//!   [`MAX_REQUESTS`] requests;
//! - what the browser did before sending: [`NormalizedRequest`], [`Warning`]
//!   ([`WarningKind`], [`Forbidden`]), or the exception the call throws, in the engine's
//!   words: [`Refused`] ([`RefusalKind`]);
//! - the responses fed to it: [`ResponseInfo`] (or the [`response`] shorthand);
//! - how it ends: [`Outcome`], [`Allowed`] ([`ResponseTainting`], [`PreflightOutcome`]) or
//!   [`Blocked`] ([`Stage`], [`CorsErrorKind`], [`FirefoxReport`], [`FirefoxReason`],
//!   [`FixCause`]); why a preflight was needed: [`PreflightReason`];
//! - URLs and origins as the browser sees them: [`Url`], [`WebOrigin`], [`UrlError`];
//! - Chrome's preflight reading on its own, for servers that test against it:
//!   [`preflight_headers`] (the `OPTIONS` request's headers) and [`check_preflight_response`]
//!   ([`PreflightFail`], [`CheckFail`]).
//!
//! # Driving it over real HTTP
//!
//! Create a [`Flow`], send [`Flow::next_request`] without following redirects (and with
//! cookies only if `send_credentials`), feed each response to [`Flow::on_response`], and send
//! whatever [`Step::Send`] asks for next until it answers [`Step::Allowed`] or
//! [`Step::Blocked`].
//!
//! # Modules, one job each (all private)
//!
//! - `request`: the page's call, as its code writes it.
//! - `normalize`: the rules `fetch()`/XHR apply to the call before sending (throw, drop, add).
//! - `method`: method syntax, forbidden methods, normalisation, the safelisted three.
//! - `forbidden`: the request headers a page may not set.
//! - `safelist`: CORS-safelisted request headers, the unsafe names, `Access-Control-Request-Headers`.
//! - `mime`: the MIME type parser behind the `Content-Type` safelist.
//! - `token`: HTTP byte classes shared by the parsers.
//! - `url`: URLs and origins (the WHATWG URL standard, through the `url` crate).
//! - `response`: a response as the checks read it (status, combined header values).
//! - `cors_check`: the CORS check every response must pass, in Chrome's order.
//! - `header_order`: the order Chrome holds a request's headers in (Blink's hash map), which
//!   decides the one header its console names when several are not allowed.
//! - `preflight`: whether to preflight, the `OPTIONS` request, reading its answer, cache lifetime.
//! - `redirect`: following a redirect (limit, credentials, `null` origin, method rewrite).
//! - `expose`: which response headers script can read.
//! - `cors_error`: Chromium's `CorsError` kinds, the vocabulary of every block.
//! - `chrome`: Chrome's words, byte for byte: CORS console lines and exception texts.
//! - `firefox`: Firefox's reasons, console texts, exception texts and check order.
//! - `webkit`: WebKit's own checks, console texts and exceptions, as observed.
//! - `explain`: this model's plain English: why, and what to change ([`FixCause`]).
//! - `verdict`: how a flow ends, and the assembly of a block's report.
//! - `flow`: the state machine tying it together.
//! - `engine`: which browser is modelled.

mod chrome;
mod cors_check;
mod cors_error;
mod engine;
mod explain;
mod expose;
mod firefox;
mod flow;
mod forbidden;
mod header_order;
mod method;
mod mime;
mod normalize;
mod preflight;
mod redirect;
mod request;
mod response;
mod safelist;
mod token;
mod url;
mod verdict;
mod webkit;

pub use cors_check::CheckFail;
pub use cors_error::CorsErrorKind;
pub use engine::Engine;
pub use explain::FixCause;
pub use expose::ResponseTainting;
pub use firefox::{FirefoxReason, FirefoxReport};
pub use flow::{plan, simulate, Flow, OutgoingRequest, Plan, Purpose, Step, MAX_REQUESTS};
pub use forbidden::Forbidden;
pub use normalize::{NormalizedRequest, RefusalKind, Refused, Warning, WarningKind};
pub use preflight::{
    check_preflight_response, preflight_headers, PreflightFail, PreflightOutcome, PreflightReason,
};
pub use request::{Body, CorsRequest, CredentialsMode, Initiator, RequestMode};
pub use response::{response, ResponseInfo};
pub use url::{Url, UrlError, WebOrigin};
pub use verdict::{Allowed, Blocked, Outcome, Stage};
