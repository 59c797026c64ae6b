//! [`Cors`]: a validated policy behind an atomically swappable pointer, and how one is built.
//!
//! [`Config::build`] is the one way from a config to it; it lives here rather than in `config`
//! so that the config schema does not depend on the [`Policy`] built from it.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::layer::CorsLayer;
use crate::policy::{Decision, Policy};
use crate::{Config, ConfigErrors};

impl Config {
    /// Validates the whole config and renders every header value: the one place a config
    /// is checked (there is no separate "validate" step that would build and throw away).
    ///
    /// Returns every problem at once; never panics.
    ///
    /// ```
    /// let errors = corsgate::Config::new()
    ///     .allow_origins(["https://a.com:443", "*"])
    ///     .allow_credentials(true)
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(errors.len(), 2);
    /// assert!(errors.to_string().contains("use https://a.com"));
    /// ```
    pub fn build(self) -> Result<Cors, ConfigErrors> {
        Cors::new(self)
    }
}

/// A handle to a validated CORS policy, shared by every service built from it.
///
/// Cloning is cheap and every clone sees the same policy. [`Cors::replace`] swaps the policy
/// atomically while requests are being served: each request is decided entirely by the old
/// or entirely by the new policy, never a mix. A config that does not validate leaves the
/// current policy in force.
///
/// ```
/// use corsgate::Config;
///
/// let cors = Config::new().allow_origin("http://127.0.0.1:5500").build().unwrap();
/// let layer = cors.layer(); // add it to an axum Router, a tower ServiceBuilder, ...
/// # let _ = layer;
/// cors.replace(Config::new().allow_origin("https://app.example.com")).unwrap();
/// assert_eq!(cors.config().allow_origins, ["https://app.example.com"]);
/// ```
#[derive(Clone, Debug)]
pub struct Cors {
    policy: Arc<ArcSwap<Policy>>,
}

impl Cors {
    /// Validates `config` (same as [`Config::build`]).
    pub fn new(config: Config) -> Result<Cors, ConfigErrors> {
        Ok(Cors::from_policy(Policy::new(config)?))
    }

    /// Wraps an already validated policy.
    pub fn from_policy(policy: Policy) -> Cors {
        Cors {
            policy: Arc::new(ArcSwap::from_pointee(policy)),
        }
    }

    /// A tower layer applying this policy (and any later replacement of it).
    #[must_use = "a layer does nothing until it wraps a service"]
    pub fn layer(&self) -> CorsLayer {
        CorsLayer::new(self.clone())
    }

    /// Validates `config` and, if it is valid, makes it the policy for every request that
    /// starts from now on. On error nothing changes.
    pub fn replace(&self, config: Config) -> Result<(), ConfigErrors> {
        let policy = Policy::new(config)?;
        self.policy.store(Arc::new(policy));
        Ok(())
    }

    /// The policy in force now.
    pub fn policy(&self) -> Arc<Policy> {
        self.policy.load_full()
    }

    /// The config in force now, as the user wrote it.
    pub fn config(&self) -> Config {
        self.policy.load().config().clone()
    }

    /// The policy in force now, borrowed for one request (cheaper than [`Cors::policy`]:
    /// no reference count is touched in the common case).
    #[inline]
    pub(crate) fn load(&self) -> arc_swap::Guard<Arc<Policy>> {
        self.policy.load()
    }

    /// Decides one request with the policy in force (see [`Policy::decide`]).
    #[must_use]
    pub fn decide(&self, parts: &http::request::Parts) -> Decision {
        self.policy.load().decide(parts)
    }
}
