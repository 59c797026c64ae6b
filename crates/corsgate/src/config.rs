//! The policy schema: one [`Config`] for the library, the gateway's TOML and `--policy` files.
//!
//! Fields are named after the headers they control. A `Config` is plain data; nothing is
//! checked until [`Config::build`], which validates everything at once and turns the config
//! into a [`Cors`](crate::Cors) handle with every header value rendered ahead of time.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::policy::origin::Origin;

/// A CORS policy as written by a user.
///
/// Deserialize it from TOML or JSON (unknown keys are errors), or build it in code:
///
/// ```
/// use corsgate::Config;
///
/// let cors = Config::new()
///     .allow_origins(["https://app.example.com", "http://localhost:*"])
///     .allow_methods(["GET", "POST", "PUT"])
///     .allow_headers(["content-type", "authorization"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()
///     .expect("valid policy");
/// # let _ = cors;
/// ```
///
/// Every list accepts `*` (any). Defaults: no origin (a config must allow at least one),
/// only the CORS-safelisted methods (GET, HEAD, POST, which browsers never preflight), no
/// request header, no exposed header, no credentials, no `Access-Control-Max-Age`,
/// `preflight_status = 204`.
///
/// Limits, far above any real policy, that bound the work of validating a generated or
/// hostile config: at most 10,000 `allow_origins`, 100 `allow_methods`, and 1,000 each of
/// `allow_headers` and `expose_headers` (a longer list is one
/// [`ErrorKind::TooManyEntries`](crate::ErrorKind::TooManyEntries) error). Validation is
/// linear in the size of the config.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Origins allowed to read responses: exact origins as browsers send them
    /// (`https://app.example.com`), `*` (any origin), subdomain patterns
    /// (`https://*.example.com`: one or more labels, never the apex), and any-port patterns
    /// (`http://localhost:*`), which combine (`https://*.example.com:*`). Nothing else: no
    /// regular expressions.
    pub allow_origins: Vec<String>,
    /// Methods allowed in preflights (`Access-Control-Allow-Methods`). GET, HEAD and POST are
    /// always allowed because browsers never preflight them. Case matters for methods other
    /// than the six `fetch()` normalises (DELETE GET HEAD OPTIONS POST PUT): `PATCH` ≠ `patch`.
    pub allow_methods: Vec<String>,
    /// Request headers allowed in preflights (`Access-Control-Allow-Headers`), compared
    /// case-insensitively. `*` allows any.
    pub allow_headers: Vec<String>,
    /// Response headers scripts may read (`Access-Control-Expose-Headers`). `*` (without
    /// credentials only) exposes all but `Set-Cookie`.
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`, letting pages send cookies and read the
    /// answer. Forbids `*` origins and (without the `dangerously_*` switches) insecure origins
    /// and public-suffix wildcards.
    pub allow_credentials: bool,
    /// `Access-Control-Max-Age` in seconds: -1 sends `0` (do not cache), 0..=86400 is sent as
    /// is, absent sends nothing (browsers then cache 5 s). Chrome caps the value at 7200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i64>,
    /// Answer `Access-Control-Request-Private-Network: true` preflights with
    /// `Access-Control-Allow-Private-Network: true` (Private Network Access).
    pub allow_private_network: bool,
    /// Status of a successful preflight: 200 or 204 (default 204).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preflight_status: Option<u16>,
    /// Pass preflights on to the inner service (with the CORS headers added) instead of
    /// answering them.
    pub preflight_continue: bool,
    /// Make rejected preflights explain themselves: a preflight from an allowed origin that
    /// fails a later check is answered with an ok status and the allowed methods and headers,
    /// so the browser's console names the exact method or header that is not allowed. This
    /// discloses the policy to any allowed origin; leave it off in production.
    pub debug: bool,
    /// Allow plain-`http` origins (other than loopback) together with credentials. Anyone on
    /// the network path can impersonate such an origin.
    pub dangerously_allow_insecure_origins: bool,
    /// Allow `*.` patterns directly under a public suffix (`https://*.github.io`) together
    /// with credentials. Anyone can register a name there.
    pub dangerously_allow_public_suffix_wildcards: bool,
    /// A code-only escape hatch: origins this predicate accepts are allowed in addition to
    /// `allow_origins`. Not part of the schema (it is never serialized). See
    /// [`Config::allow_origin_predicate`].
    #[serde(skip)]
    pub allow_origin_predicate: Option<OriginPredicate>,
}

/// The signature of an origin predicate.
pub type OriginPredicateFn = dyn Fn(&Origin<'_>, &http::request::Parts) -> bool + Send + Sync;

/// A shared origin predicate (see [`Config::allow_origin_predicate`]).
#[derive(Clone)]
pub struct OriginPredicate(pub(crate) Arc<OriginPredicateFn>);

impl OriginPredicate {
    /// Wraps a closure.
    pub fn new(
        f: impl Fn(&Origin<'_>, &http::request::Parts) -> bool + Send + Sync + 'static,
    ) -> Self {
        OriginPredicate(Arc::new(f))
    }
}

impl fmt::Debug for OriginPredicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OriginPredicate(..)")
    }
}

impl PartialEq for OriginPredicate {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("allow_origins", &self.allow_origins)
            .field("allow_methods", &self.allow_methods)
            .field("allow_headers", &self.allow_headers)
            .field("expose_headers", &self.expose_headers)
            .field("allow_credentials", &self.allow_credentials)
            .field("max_age", &self.max_age)
            .field("allow_private_network", &self.allow_private_network)
            .field("preflight_status", &self.preflight_status)
            .field("preflight_continue", &self.preflight_continue)
            .field("debug", &self.debug)
            .field(
                "dangerously_allow_insecure_origins",
                &self.dangerously_allow_insecure_origins,
            )
            .field(
                "dangerously_allow_public_suffix_wildcards",
                &self.dangerously_allow_public_suffix_wildcards,
            )
            .field("allow_origin_predicate", &self.allow_origin_predicate)
            .finish()
    }
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl Config {
    /// An empty config (see the type's defaults). Add at least one origin before building.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one entry to `allow_origins`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.allow_origins.push(origin.into());
        self
    }

    /// Sets `allow_origins`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow_origins = strings(origins);
        self
    }

    /// Sets `allow_methods`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_methods<I, S>(mut self, methods: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow_methods = strings(methods);
        self
    }

    /// Sets `allow_headers`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow_headers = strings(headers);
        self
    }

    /// Sets `expose_headers`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn expose_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expose_headers = strings(headers);
        self
    }

    /// Sets `allow_credentials`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_credentials(mut self, yes: bool) -> Self {
        self.allow_credentials = yes;
        self
    }

    /// Sets `max_age` in seconds (0 tells browsers not to cache; at most 86400).
    #[must_use = "a Config builder method returns the changed config"]
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = Some(i64::from(seconds));
        self
    }

    /// Sets `allow_private_network`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_private_network(mut self, yes: bool) -> Self {
        self.allow_private_network = yes;
        self
    }

    /// Sets `preflight_status` (200 or 204).
    #[must_use = "a Config builder method returns the changed config"]
    pub fn preflight_status(mut self, status: http::StatusCode) -> Self {
        self.preflight_status = Some(status.as_u16());
        self
    }

    /// Sets `preflight_continue`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn preflight_continue(mut self, yes: bool) -> Self {
        self.preflight_continue = yes;
        self
    }

    /// Sets `debug`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn debug(mut self, yes: bool) -> Self {
        self.debug = yes;
        self
    }

    /// Sets `dangerously_allow_insecure_origins`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn dangerously_allow_insecure_origins(mut self, yes: bool) -> Self {
        self.dangerously_allow_insecure_origins = yes;
        self
    }

    /// Sets `dangerously_allow_public_suffix_wildcards`.
    #[must_use = "a Config builder method returns the changed config"]
    pub fn dangerously_allow_public_suffix_wildcards(mut self, yes: bool) -> Self {
        self.dangerously_allow_public_suffix_wildcards = yes;
        self
    }

    /// The escape hatch for origins no pattern can express (for example a tenant list in a
    /// database): origins the predicate accepts are allowed in addition to `allow_origins`.
    ///
    /// The predicate sees an origin already validated as a browser would serialize it, and
    /// the request's parts. It runs on every CORS request, so keep it fast and side-effect
    /// free; it must not allocate if you rely on corsgate's allocation-free hot path. It is
    /// your responsibility: corsgate cannot check it against the credentials rules.
    ///
    /// ```
    /// let cors = corsgate::Config::new()
    ///     .allow_origin_predicate(|origin, _parts| origin.host().ends_with(".tenant.example"))
    ///     .build()
    ///     .unwrap();
    /// # let _ = cors;
    /// ```
    #[must_use = "a Config builder method returns the changed config"]
    pub fn allow_origin_predicate(
        mut self,
        f: impl Fn(&Origin<'_>, &http::request::Parts) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.allow_origin_predicate = Some(OriginPredicate::new(f));
        self
    }
}
