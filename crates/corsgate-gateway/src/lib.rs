//! `corsgate serve`: a CORS gateway — a reverse proxy that owns CORS for one or more upstreams, driven by a validated [`GatewayConfig`].
//!
//! [`Gateway::start`] binds the listeners and serves; the [`Gateway`] handle reloads a new
//! configuration (the routing table is swapped whole: requests in flight finish on the old
//! one, no request fails) and shuts down gracefully. [`serve`] is what the command runs: the
//! gateway until SIGTERM/SIGINT, reloading on SIGHUP and when the file changes.
//!
//! Built on hyper 1 (HTTP/1.1, HTTP/2, h2c; TLS with ALPN through rustls), hyper-util's
//! pooled client to the upstreams, the library's decision core ([`corsgate::Cors::decide`] and
//! [`corsgate::CorsHeaders`], what its tower layer runs), `prometheus-client` and `tracing`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use corsgate_config::gateway::GatewayConfig;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

mod admin;
mod body;
mod headers;
mod io;
mod log;
mod metrics;
mod proxy;
mod reload;
mod route;
mod server;
mod tls;

pub use admin::MAX_ADMIN_CONNECTIONS;
pub use log::{init as init_logging, LogFormat};
pub use metrics::Metrics;
pub use reload::serve;

use proxy::Shared;
use route::Table;

/// Why the gateway could not start: an address in use, a TLS file that does not load.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A running gateway.
#[derive(Debug)]
pub struct Gateway {
    shared: Arc<Shared>,
    listen: Vec<SocketAddr>,
    admin: Option<SocketAddr>,
    shutdown: watch::Sender<bool>,
    admin_stop: watch::Sender<bool>,
    permits: Arc<Semaphore>,
    max_connections: usize,
}

impl Gateway {
    /// Binds every listener of `config.server` (port 0 picks a free port: see
    /// [`Gateway::listen_addrs`]) and starts serving, on the current tokio runtime.
    pub async fn start(config: GatewayConfig) -> Result<Gateway, StartError> {
        let tls = match &config.server.tls {
            Some(files) => Some(tls::acceptor(files).map_err(StartError)?),
            None => None,
        };
        let mut listeners = Vec::new();
        for addr in &config.server.listen {
            let l = bind(*addr, "listen").await?;
            listeners.push(l);
        }
        let admin_listener = match config.server.admin_listen {
            Some(addr) => Some(bind(addr, "admin_listen").await?),
            None => None,
        };
        let listen: Vec<SocketAddr> = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();
        let admin = admin_listener.as_ref().and_then(|l| l.local_addr().ok());
        let max_connections = config
            .server
            .max_connections
            .clamp(1, Semaphore::MAX_PERMITS);
        let metrics = Arc::new(Metrics::new());
        let shared = Arc::new(Shared::new(config, metrics));
        let (shutdown, shutdown_rx) = watch::channel(false);
        let (admin_stop, admin_stop_rx) = watch::channel(false);
        let permits = Arc::new(Semaphore::new(max_connections));
        let accepting = server::Accepting {
            shared: Arc::clone(&shared),
            permits: Arc::clone(&permits),
            shutdown: shutdown_rx.clone(),
            builder: Arc::new(server::builder(&shared.server)),
            tls,
        };
        for l in listeners {
            tokio::spawn(server::accept_loop(l, accepting.clone()));
        }
        if let Some(l) = admin_listener {
            tokio::spawn(admin::run(
                l,
                Arc::clone(&shared),
                shutdown_rx,
                admin_stop_rx,
            ));
        }
        for addr in &listen {
            tracing::info!(target: "corsgate::server", "listening on {}://{addr}", if shared.server.tls.is_some() { "https" } else { "http" });
        }
        if let Some(a) = admin {
            tracing::info!(target: "corsgate::server", "admin on http://{a} (/metrics, /healthz, /policy)");
        }
        Ok(Gateway {
            shared,
            listen,
            admin,
            shutdown,
            admin_stop,
            permits,
            max_connections,
        })
    }

    /// The addresses it listens on, in `listen` order.
    pub fn listen_addrs(&self) -> &[SocketAddr] {
        &self.listen
    }

    /// The admin address, when there is one.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.shared.metrics
    }

    /// Puts `config`'s routes and policies in force. Requests already routed finish with the
    /// old ones. `[server]` is not reloaded (listeners, timeouts and limits stay as they
    /// started); a change there is logged as needing a restart.
    pub fn reload(&self, config: GatewayConfig) {
        if config.server != self.shared.server {
            tracing::warn!(target: "corsgate::reload", "[server] changed: its new values take effect on restart; routes and policies are reloaded now");
        }
        let table = Table::new(config, &self.shared.metrics);
        self.shared.table.store(Arc::new(table));
        self.shared.metrics.reload(true);
        tracing::info!(target: "corsgate::reload", "configuration reloaded");
    }

    /// Loads and validates `path`, then reloads it; when it is invalid, the configuration in
    /// force stays, every problem is logged, and the problems are returned.
    pub fn reload_file(&self, path: &Path) -> Result<(), corsgate_config::policy::PolicyFileError> {
        match corsgate_config::gateway::load(path) {
            Ok(config) => {
                self.reload(config);
                Ok(())
            }
            Err(e) => {
                self.shared.metrics.reload(false);
                tracing::error!(target: "corsgate::reload", "{}: invalid, the configuration in force stays", path.display());
                for line in e.to_string().lines() {
                    tracing::error!(target: "corsgate::reload", "{}", corsgate_config::text::printable(line));
                }
                Err(e)
            }
        }
    }

    /// The configuration in force, as `/policy` shows it.
    pub fn policy_json(&self) -> serde_json::Value {
        admin::policy_json(&self.shared.table.load())
    }

    /// Stops accepting, lets in-flight requests finish (at most `shutdown_grace`), then stops
    /// the admin listener. Returns whether every connection finished in time.
    pub async fn shutdown(self) -> bool {
        let _ = self.shutdown.send(true);
        let n = u32::try_from(self.max_connections).unwrap_or(u32::MAX);
        let drained = tokio::time::timeout(
            self.shared.server.shutdown_grace,
            self.permits.acquire_many(n),
        )
        .await
        .is_ok();
        let _ = self.admin_stop.send(true);
        if drained {
            tracing::info!(target: "corsgate::server", "shut down: every connection finished");
        } else {
            tracing::warn!(target: "corsgate::server", "shut down: shutdown_grace elapsed with connections still open");
        }
        drained
    }
}

async fn bind(addr: SocketAddr, key: &str) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).await.map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(": another program listens there; stop it or change {key}")
        } else {
            String::new()
        };
        StartError(format!("cannot listen on {addr} ({key}): {e}{hint}"))
    })
}

/// How [`serve`] runs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The file the configuration came from: reloaded on SIGHUP and when it changes.
    pub config_path: Option<PathBuf>,
    /// How often the file is looked at for changes.
    pub watch_interval: Duration,
}
