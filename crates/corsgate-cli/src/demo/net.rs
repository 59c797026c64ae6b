//! Listening sockets (API on `127.0.0.1` and `[::1]`) and HTTP/1.1 servers within [`Limits`].

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use super::holder::holder;
use super::DemoError;

/// How many ports to try when the OS picks one (port 0) and `[::1]` already holds it.
const EPHEMERAL_BIND_ATTEMPTS: usize = 8;

/// How long a client may take to send a request's head, and to start its next request on a
/// kept-alive connection, before the connection is closed ([`Limits::header_read_timeout`]).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the page server waits for a request's body ([`Limits::body_read_timeout`]).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections per listening socket ([`Limits::max_connections`]): a browser opens six
/// per server at most.
pub const MAX_CONNECTIONS: usize = 128;
/// How long to wait before accepting again after the OS refused to (out of file
/// descriptors, ...), instead of retrying in a busy loop.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How the demo's servers bound slow and numerous clients, so that none can hold a
/// connection, a task or a file descriptor for ever. [`Limits::default`] is what the command
/// uses; tests shorten the times.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A connection that has not sent a whole request head this long after it opened, or
    /// after its previous answer, is closed without an answer (hyper's
    /// `header_read_timeout`). [`HEADER_READ_TIMEOUT`] by default.
    pub header_read_timeout: Duration,
    /// The page server's endpoints that read a body (`PUT /api/policy`, `POST /api/check`)
    /// answer 408 when it has not arrived this long after the head. [`BODY_READ_TIMEOUT`] by
    /// default.
    pub body_read_timeout: Duration,
    /// Connections served at once per listening socket; the next ones wait in the OS's
    /// backlog until one closes. [`MAX_CONNECTIONS`] by default.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

pub(super) async fn bind(
    server: &'static str,
    addr: SocketAddr,
    flag: &'static str,
) -> Result<TcpListener, DemoError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| bind_error(server, addr, flag, source))
}

fn bind_error(
    server: &'static str,
    addr: SocketAddr,
    flag: &'static str,
    source: io::Error,
) -> DemoError {
    if source.kind() == io::ErrorKind::AddrInUse {
        DemoError::PortInUse {
            server,
            addr,
            flag,
            holder: holder(addr),
        }
    } else {
        DemoError::Bind {
            server,
            addr,
            flag,
            source,
        }
    }
}

pub(super) fn local_addr(
    listener: &TcpListener,
    server: &'static str,
    flag: &'static str,
) -> Result<SocketAddr, DemoError> {
    listener.local_addr().map_err(|source| DemoError::Bind {
        server,
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        flag,
        source,
    })
}

/// Binds the API on `127.0.0.1:port` and, where the machine has IPv6, `[::1]:port`: browsers
/// resolve `localhost` to either, so both must be this server. A taken `[::1]` port is an
/// error (another server would answer `localhost`); a missing IPv6 stack is not.
pub(super) async fn bind_api(port: u16) -> Result<Vec<TcpListener>, DemoError> {
    const FLAG: &str = "--api-port";
    let attempts = if port == 0 {
        EPHEMERAL_BIND_ATTEMPTS
    } else {
        1
    };
    let mut last_v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    for _ in 0..attempts {
        let v4 = bind("API", SocketAddr::from((Ipv4Addr::LOCALHOST, port)), FLAG).await?;
        let actual = local_addr(&v4, "API", FLAG)?.port();
        let v6_addr = SocketAddr::from((Ipv6Addr::LOCALHOST, actual));
        match TcpListener::bind(v6_addr).await {
            Ok(v6) => return Ok(vec![v4, v6]),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_v6 = v6_addr,
            Err(e) if ipv6_missing(&e) => return Ok(vec![v4]),
            Err(source) => return Err(bind_error("API", v6_addr, FLAG, source)),
        }
    }
    Err(DemoError::PortInUse {
        server: "API",
        addr: last_v6,
        flag: FLAG,
        holder: holder(last_v6),
    })
}

/// The errors a machine without IPv6 loopback gives for binding `[::1]`.
fn ipv6_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::AddrNotAvailable | io::ErrorKind::Unsupported
    ) || matches!(e.raw_os_error(), Some(97)) // EAFNOSUPPORT on Linux
}

pub(super) fn spawn_server(
    name: &'static str,
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    stop: watch::Receiver<bool>,
    stopped: mpsc::UnboundedSender<(&'static str, io::Result<()>)>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let result = serve(listener, app, limits, stop).await;
        let _ = stopped.send((name, result));
    })
}

/// Serves HTTP/1.1 on `listener` until `stop` turns true, then lets open connections finish.
///
/// Each connection runs in a task of a [`JoinSet`] owned here, so that aborting this task
/// (when the connections do not finish in time) ends them all. At most
/// `limits.max_connections` are open at once; a request head must arrive within
/// `limits.header_read_timeout`. HTTP/1.1 only: browsers speak HTTP/2 over TLS alone, and
/// detecting a cleartext HTTP/2 preface would wait for a silent client without a timeout.
async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        // Finished connections leave the set as they go.
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break, // never closed
            },
            () = stopping(&mut stop) => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    if !is_connection_error(&e) {
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
            () = stopping(&mut stop) => break,
        };
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Resolves once the demo is told to stop (or its sender is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// An accept error about one connection (the client gave up), not about the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
