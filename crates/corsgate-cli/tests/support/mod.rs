//! Shared by the browser test files: the WebDriver harness, the page driver and the
//! scenarios.
//!
//! One browser session serves every test of a test binary: starting Chromium costs more
//! than most scenarios, and two browsers at once on a small machine are slower than one
//! after the other. Tests hold the session through an `Arc` (the last one to finish ends
//! it, failed or not) and take turns on it; each scenario runs its own demo on its own
//! ports and starts by draining the console.
#![allow(dead_code)] // each test binary uses a different part

pub mod browser;
pub mod page;
pub mod scenarios;

use std::sync::{Arc, LazyLock, Weak};
use std::time::Duration;

use browser::{Browser, Kind};

/// How long one scenario may take.
pub const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// The runtime every test of the binary runs on: the browser session's WebDriver client
/// lives on it, so it must outlive any one test.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the browser tests")
    });
    &RUNTIME
}

/// The binary's browser session, started by the first test that needs it; `None` when the
/// browser is not installed (and CI is not set: then it fails).
pub fn shared_browser(kind: Kind) -> Option<Arc<Browser>> {
    static SLOT: tokio::sync::Mutex<Weak<Browser>> = tokio::sync::Mutex::const_new(Weak::new());
    runtime().block_on(async {
        let mut slot = SLOT.lock().await;
        if let Some(browser) = slot.upgrade() {
            if browser.kind == kind {
                return Some(browser);
            }
        }
        let browser = Arc::new(Browser::start(kind).await?);
        *slot = Arc::downgrade(&browser);
        Some(browser)
    })
}

/// Waits for this test's turn on the shared session.
pub async fn turn() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// One `#[test]` per scenario, all on the binary's one browser session, taking turns:
/// `browser_tests!(Kind::Chromium; no_cors_blocks_fetch, ...)`.
#[macro_export]
macro_rules! browser_tests {
    ($kind:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let Some(browser) = support::shared_browser($kind) else {
                    return;
                };
                support::runtime().block_on(async {
                    let _turn = support::turn().await;
                    browser.drain_console().await;
                    let scenario = support::scenarios::$name(&browser);
                    if tokio::time::timeout(support::SCENARIO_LIMIT, scenario).await.is_err() {
                        panic!(
                            "{} did not finish within {:?}",
                            stringify!($name),
                            support::SCENARIO_LIMIT
                        );
                    }
                });
                // Dropping the last handle (outside the runtime) ends the session.
                drop(browser);
            }
        )*
    };
}
