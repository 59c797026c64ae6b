//! What the test modules share, and nothing else:
//!
//! - [`run`]: the `corsgate` binary run with a deadline (killed past it);
//! - [`server`]: the scripted loopback server (plain HTTP or TLS, one or more listeners) that
//!   records every request and answers from a script or an axum router;
//! - [`raw`]: a raw loopback server writing bytes no HTTP library writes (floods, bodies cut
//!   short, slow answers);
//! - [`browser`]: the one real-browser harness: Chromium and Firefox ESR, launched straight at
//!   a page or driven over WebDriver, and WebKit (WebKitGTK's MiniBrowser under Xvfb) launched, fresh profiles, the rule that a missing browser fails
//!   under CI, and one browser at a time across the whole binary;
//! - [`demo`]: `corsgate demo` started in-process, and its page driven like a person;
//! - [`gateway`]: `corsgate serve` run as a process on a free port, killed when dropped;
//! - [`express`]: the seed tutorial's Express server (`tests/data/tutorial`), or a test's own
//!   Express app (with or without the npm `cors` package), run with node;
//! - [`edge`]: nginx, Caddy, HAProxy or Apache run from a whole `corsgate export` config, and
//!   their own syntax checks;
//! - [`nginx`]: Debian's nginx in the foreground on a loopback port, with a test's config;
//! - [`tls`]: a test CA and a TLS acceptor whose certificate it signed.

pub mod browser;
pub mod demo;
pub mod edge;
pub mod express;
pub mod gateway;
pub mod nginx;
pub mod raw;
pub mod run;
pub mod server;
pub mod tls;

use std::path::PathBuf;

pub use run::{audit_json, check_json, corsgate};
pub use server::{serve, serve_router, Seen};

/// The page origin the tests use when any will do (the tutorial's).
pub const PAGE: &str = "http://127.0.0.1:5500";

/// `<tmp>/corsgate-<purpose>-<pid>-<n>-<nanos>`, created and empty: a directory of its own
/// for one test (profiles, policy files, certificates).
pub fn fresh_dir(purpose: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "corsgate-{purpose}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a fresh temporary directory");
    dir
}

/// `<workspace>/test-artifacts/<name>` (gitignored): files a person may want to look at.
pub fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test-artifacts")
        .join(name)
}
