//! A fresh, empty temporary directory per browser run (its profile or `--user-data-dir`),
//! shared by the demo's browser tests and the differential suite through `#[path]`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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
