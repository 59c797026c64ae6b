//! A running demo ([`Demo`]): its addresses, its live policy, and stopping it.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::live::LivePolicy;

/// How long [`Demo::shutdown`] waits for open connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// A running demo: both servers, until [`Demo::shutdown`] (or drop, which stops them
/// abruptly).
#[derive(Debug)]
pub struct Demo {
    pub(super) api_addrs: Vec<SocketAddr>,
    pub(super) page_addr: SocketAddr,
    pub(super) live: Arc<LivePolicy>,
    pub(super) stop: watch::Sender<bool>,
    pub(super) stopped: mpsc::UnboundedReceiver<(&'static str, io::Result<()>)>,
    pub(super) servers: Vec<JoinHandle<()>>,
    /// Whether the API logs each request (not `--quiet`).
    pub(super) logging: bool,
}

impl Demo {
    /// The API's port.
    pub fn api_port(&self) -> u16 {
        self.api_addrs[0].port()
    }

    /// Every address the API listens on (`127.0.0.1`, and `[::1]` where IPv6 exists).
    pub fn api_addrs(&self) -> &[SocketAddr] {
        &self.api_addrs
    }

    /// The page's port.
    pub fn page_port(&self) -> u16 {
        self.page_addr.port()
    }

    /// The page server's address (`127.0.0.1`).
    pub fn page_addr(&self) -> SocketAddr {
        self.page_addr
    }

    /// The API's origin as the page uses it: `http://localhost:<port>`.
    pub fn api_origin(&self) -> String {
        format!("http://localhost:{}", self.api_port())
    }

    /// The page's origin: `http://127.0.0.1:<port>`.
    pub fn page_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.page_port())
    }

    /// The URL to open: `http://127.0.0.1:<port>/`.
    pub fn page_url(&self) -> String {
        format!("{}/", self.page_origin())
    }

    /// The API's live policy (the same one the page's policy panel edits).
    pub fn policy(&self) -> &LivePolicy {
        &self.live
    }

    /// Resolves when a server stops on its own, which only happens on an error.
    pub async fn stopped(&mut self) -> (&'static str, io::Result<()>) {
        match self.stopped.recv().await {
            Some(stopped) => stopped,
            // Unreachable while `self` holds the servers' senders' tasks; be total anyway.
            None => ("demo", Ok(())),
        }
    }

    /// Stops both servers: no new connections, open ones get a few seconds to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for server in self.servers {
            let abort = server.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, server).await.is_err() {
                abort.abort();
            }
        }
    }
}
