//! The browser side of CORS: the Fetch standard's algorithm as browsers run it.
//!
//! The doctor needs to say what Chrome would say about a cross-origin request, without a
//! browser. This module is that browser, minus the network: pure functions and plain data, no
//! I/O. It follows the WHATWG Fetch standard and, where they differ, what Chromium 156 does
//! (checked against a real Chromium 156 and recorded as the test vectors in
//! `tests/data/chromium_156_vectors.json`), with
//! Firefox ESR 153's wording and verdict attached.
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
//! # Modules, one job each
//!
//! - [`request`]: the page's call and what `fetch()`/XHR make of it (exceptions, dropped
//!   headers, body `Content-Type`); [`method`], [`forbidden`], [`url`] support it.
//! - [`safelist`] and [`mime`]: which request headers are CORS-safelisted, the unsafe names,
//!   `Access-Control-Request-Headers`.
//! - [`preflight`]: whether to preflight, the `OPTIONS` request, reading its response, cache
//!   lifetime.
//! - [`check`]: the CORS check every response must pass, in Chrome's order.
//! - [`redirect`]: following redirects (limit, credentials, `null` origin).
//! - [`expose`]: which response headers script can read.
//! - [`cors_error`], [`message`], [`firefox`], [`explain`]: what went wrong, in Chrome's
//!   words, Firefox's words, plain English, and as a structured server fix.
//! - [`flow`]: the state machine tying it together ([`Flow`], [`simulate`]).
//!
//! # Driving it over real HTTP
//!
//! Create a [`Flow`], send [`Flow::next_request`] without following redirects (and with
//! cookies only if `send_credentials`), feed each response to [`Flow::on_response`], and send
//! whatever [`Step::Send`] asks for next until it answers [`Step::Allowed`] or
//! [`Step::Blocked`].

pub mod check;
pub mod cors_error;
pub mod engine;
pub mod explain;
pub mod expose;
pub mod firefox;
pub mod flow;
pub mod forbidden;
pub mod message;
pub mod method;
pub mod mime;
pub mod preflight;
pub mod redirect;
pub mod request;
pub mod response;
pub mod safelist;
mod token;
pub mod url;

pub use cors_error::CorsErrorKind;
pub use engine::Engine;
pub use explain::FixCause;
pub use expose::ResponseTainting;
pub use firefox::{FirefoxReason, FirefoxReport};
pub use flow::{
    plan, response, simulate, Allowed, Blocked, Flow, Outcome, OutgoingRequest, Plan, Purpose,
    Stage, Step,
};
pub use preflight::{PreflightOutcome, PreflightReason};
pub use request::{Body, CorsRequest, CredentialsMode, Initiator, Refused, RequestMode, Warning};
pub use response::ResponseInfo;
pub use url::{Url, WebOrigin};
