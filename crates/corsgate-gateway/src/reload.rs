//! Running until a signal: SIGTERM/SIGINT shut down gracefully, SIGHUP and a changed config file reload it.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::{Gateway, GatewayConfig, ServeOptions, StartError};

/// What identifies a version of the file: its modification time, size and bytes' hash. Reads
/// at most one byte more than a config file may have (a larger file is refused by the reload
/// anyway), so a wrong file swapped in is never read whole every second.
fn fingerprint(path: &Path) -> Option<(Option<SystemTime>, u64, u64)> {
    use std::hash::{Hash, Hasher};
    use std::io::Read as _;
    let meta = std::fs::metadata(path).ok()?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(corsgate_config::policy::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some((meta.modified().ok(), meta.len(), h.finish()))
}

/// Runs the gateway until SIGTERM or SIGINT, then shuts it down gracefully. With a config
/// file, SIGHUP reloads it and so does a change to it (looked at every
/// `options.watch_interval`). Returns whether every connection finished in time.
pub async fn serve(config: GatewayConfig, options: ServeOptions) -> Result<bool, StartError> {
    use tokio::signal::unix::{signal, SignalKind};
    let gateway = Gateway::start(config).await?;
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| StartError(format!("signals: {e}")))?;
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| StartError(format!("signals: {e}")))?;
    let mut hup = signal(SignalKind::hangup()).map_err(|e| StartError(format!("signals: {e}")))?;
    let path = options.config_path.clone();
    let mut seen = path.as_deref().and_then(fingerprint);
    let interval = options.watch_interval.max(Duration::from_millis(50));
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            _ = hup.recv() => {
                match &path {
                    Some(p) => {
                        tracing::info!(target: "corsgate::reload", "SIGHUP: reloading {}", p.display());
                        seen = fingerprint(p);
                        let _ = gateway.reload_file(p);
                    }
                    None => tracing::warn!(target: "corsgate::reload", "SIGHUP: no config file to reload (started with flags)"),
                }
            }
            _ = tokio::time::sleep(interval), if path.is_some() => {
                if let Some(p) = &path {
                    let now = fingerprint(p);
                    if now.is_some() && now != seen {
                        seen = now;
                        tracing::info!(target: "corsgate::reload", "{} changed: reloading", p.display());
                        let _ = gateway.reload_file(p);
                    }
                }
            }
        }
    }
    tracing::info!(target: "corsgate::server", "shutting down: no new connections; in-flight requests finish (a second SIGTERM/SIGINT stops at once)");
    tokio::select! {
        drained = gateway.shutdown() => Ok(drained),
        _ = term.recv() => Ok(false),
        _ = int.recv() => Ok(false),
    }
}
