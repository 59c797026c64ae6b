//! What every browser harness here shares (the demo's browser tests and the differential
//! suite include this file through `#[path]`): the project's Chromium flags, a fresh profile
//! directory per run, and the rule that a missing browser fails under CI.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Chromium's flags for this machine's closed network (from the project's rules); each
/// harness adds `--user-data-dir` and what it needs on top.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// `<tmp>/corsgate-<purpose>-<browser>-<pid>-<n>-<nanos>`, created.
pub fn fresh_dir(purpose: &str, browser: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "corsgate-{purpose}-{browser}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a fresh temporary directory");
    dir
}

/// Whether the CI environment variable is set (then a missing browser is a failure).
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A missing browser or driver: panics under CI; otherwise says so loudly (straight to the
/// process's stderr, past the test harness's capture) and the caller skips.
pub fn missing(message: &str) {
    if under_ci() {
        panic!("CI is set, so a missing browser fails the test: {message}");
    }
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {message} ***\n");
}
