//! The server side of CORS: origins, patterns, the validated policy and its decisions.
//!
//! Pure: nothing here does I/O or knows about an async runtime. [`Policy::new`] validates a
//! [`Config`] and renders every header value once; [`Policy::decide`] classifies one request
//! and says which headers its response gets, as shared clones of pre-rendered values the
//! policy owns (an origin matched by a pattern is echoed as a shared clone of the request's
//! bytes), never allocating.

mod bytes;
pub(crate) mod decision;
pub(crate) mod origin;
pub(crate) mod origin_set;
pub(crate) mod pattern;
pub(crate) mod request_headers;
mod response;
pub(crate) mod token;
mod validate;
mod value;

use http::{HeaderValue, StatusCode};

use crate::config::{Config, OriginPredicate};
pub use decision::{Decision, Outcome, Rejection, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK};
use origin_set::OriginSet;
pub use response::{CorsHeaders, ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK};

/// Which preflight methods a policy allows.
#[derive(Clone, Debug)]
pub(crate) enum Methods {
    /// `*`: any method.
    Any,
    /// These, compared case-sensitively (after Fetch's normalisation at build time).
    List(Box<[Box<str>]>),
}

/// Which request headers a policy allows.
#[derive(Clone, Debug)]
pub(crate) enum Headers {
    /// `*`: any header.
    Any,
    /// These lower-case names; `max_request_len` bounds the longest list a browser could send.
    List {
        names: Box<[Box<str>]>,
        max_request_len: usize,
    },
}

/// Header values rendered once, at build time, and owned by the policy (see `value`): a
/// decision holds shared clones of them.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    pub(crate) allow_methods: Option<HeaderValue>,
    pub(crate) allow_headers: Option<HeaderValue>,
    pub(crate) allow_headers_with_authorization: &'static HeaderValue,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
    /// `Vary` for responses that are not preflights; `None` when no answer depends on Origin.
    pub(crate) vary: Option<&'static HeaderValue>,
    /// `Vary` for preflight responses.
    pub(crate) vary_preflight: &'static HeaderValue,
}

/// A validated CORS policy, ready to decide requests.
///
/// Build one with [`Config::build`] (which wraps it in a swappable [`Cors`](crate::Cors)
/// handle) or [`Policy::new`].
#[derive(Clone)]
pub struct Policy {
    pub(crate) config: Config,
    pub(crate) origins: OriginSet,
    pub(crate) predicate: Option<OriginPredicate>,
    pub(crate) credentials: bool,
    pub(crate) methods: Methods,
    pub(crate) headers: Headers,
    pub(crate) private_network: bool,
    pub(crate) preflight_status: StatusCode,
    pub(crate) preflight_continue: bool,
    pub(crate) debug: bool,
    pub(crate) rendered: Rendered,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// Validates `config` and renders its header values. Reports every problem at once.
    pub fn new(config: Config) -> Result<Policy, crate::ConfigErrors> {
        validate::build(config)
    }

    /// The config this policy was built from, as the user wrote it.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
