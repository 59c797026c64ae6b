//! The API's live policy ([`LivePolicy`]): a corsgate [`Cors`] handle plus the "CORS on" switch.

use std::sync::atomic::{AtomicBool, Ordering};

use corsgate::{Config, ConfigErrors, Cors};

/// The API's policy as the demo runs it: a corsgate [`Cors`] handle plus the "CORS on"
/// switch (off = no CORS layer at all, the tutorial's starting point).
#[derive(Debug)]
pub struct LivePolicy {
    cors: Cors,
    enabled: AtomicBool,
}

impl LivePolicy {
    pub(super) fn new(cors: Cors, enabled: bool) -> Self {
        LivePolicy {
            cors,
            enabled: AtomicBool::new(enabled),
        }
    }

    /// The policy handle the API's CORS layer reads on every request.
    pub fn cors(&self) -> &Cors {
        &self.cors
    }

    /// Whether the API runs its CORS layer.
    pub fn cors_enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    /// The policy in force now.
    pub fn config(&self) -> Config {
        self.cors.config()
    }

    /// Validates `config` and swaps it in atomically, then sets the switch. The demo always
    /// runs in debug mode (a teaching tool), whatever `config.debug` says. On error nothing
    /// changes.
    pub fn set(&self, enabled: bool, mut config: Config) -> Result<(), ConfigErrors> {
        config.debug = true;
        self.cors.replace(config)?;
        self.enabled.store(enabled, Ordering::SeqCst);
        Ok(())
    }
}
