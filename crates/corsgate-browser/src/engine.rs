//! Which browser's behaviour to model.
//!
//! Chrome, Firefox and WebKit agree on almost every verdict but word their errors differently,
//! check in slightly different orders, and differ in a few places that change the verdict
//! (Chrome safelists a few extra request headers such as `DPR`, and drops a page's
//! `User-Agent`; Firefox and WebKit preflight again after a redirect, WebKit with `Origin:
//! null` and still asking for `content-type`; the preflight cache lifetime is capped at 2 hours in Chrome,
//! 24 hours in Firefox, 10 minutes in WebKit). The flow is always driven by one engine; the
//! others' wording is attached where it applies.

/// A browser engine whose CORS behaviour is modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Chromium 156 (Chrome, Edge, Opera, ...): the browser the project tests against.
    #[default]
    Chrome,
    /// Firefox (ESR 153): Gecko's `nsCORSListenerProxy`.
    Firefox,
    /// WebKit (Safari's engine; observed in WebKitGTK 2.50): its own checks, order and
    /// console texts, its own redirect rules (`docs/check.md`, "WebKit").
    WebKit,
}

impl Engine {
    /// The longest preflight cache lifetime the engine honours, in seconds.
    ///
    /// Chrome caps `Access-Control-Max-Age` at 7,200 s (2 hours, `kMaxTimeout` in
    /// `services/network/cors/preflight_result.cc`); Firefox at 86,400 s (24 hours,
    /// `AddResultToCache` in `nsCORSListenerProxy.cpp`); WebKit at 600 s (10 minutes,
    /// `maxPreflightCacheTimeout` in `CrossOriginPreflightResultCache.cpp`; read from the
    /// source, not measured).
    pub const fn max_age_cap_secs(self) -> u64 {
        match self {
            Engine::Chrome => 7_200,
            Engine::Firefox => 86_400,
            Engine::WebKit => 600,
        }
    }

    /// What a `fetch()` the engine blocks rejects with, as the page's `catch` prints it
    /// (`String(error)`): verified in Chromium 156, Firefox ESR 153 and WebKitGTK 2.50.
    pub const fn fetch_rejection(self) -> &'static str {
        match self {
            Engine::Chrome => "TypeError: Failed to fetch",
            Engine::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
            Engine::WebKit => "TypeError: Load failed",
        }
    }

    /// A short human name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Engine::Chrome => "Chrome",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_names() {
        assert_eq!(Engine::default(), Engine::Chrome);
        assert_eq!(Engine::Chrome.max_age_cap_secs(), 7200);
        assert_eq!(Engine::Firefox.max_age_cap_secs(), 86400);
        assert_eq!(Engine::Firefox.name(), "Firefox");
        assert_eq!(Engine::WebKit.max_age_cap_secs(), 600);
        assert_eq!(Engine::WebKit.name(), "WebKit");
        assert_eq!(Engine::WebKit.fetch_rejection(), "TypeError: Load failed");
    }
}
