//! The listeners: accepting client connections (plain HTTP/1.1 and h2c, or TLS with ALPN), serving each with hyper, closing idle ones, and draining them all on shutdown.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

use crate::io::Counted;
use crate::proxy::{self, Conn, Shared};

/// The hyper connection builder for the `[server]` limits.
pub fn builder(server: &corsgate_config::gateway::ServerConfig) -> auto::Builder<TokioExecutor> {
    let mut b = auto::Builder::new(TokioExecutor::new());
    b.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(server.header_read_timeout)
        // hyper's default of 100 header lines stays: it parses into an array on the stack,
        // where a configured count costs an allocation of that many slots per request.
        .keep_alive(true)
        // Room for a head somewhat over max_header_bytes, so the gateway itself answers
        // 431 with the CORS headers; a head past this gets hyper's bare 431.
        .max_buf_size((server.max_header_bytes + (64 << 10)).max(8192));
    b.http2()
        .timer(TokioTimer::new())
        .max_header_list_size(
            u32::try_from(server.max_header_bytes + (16 << 10)).unwrap_or(u32::MAX),
        )
        .max_concurrent_streams(256);
    b
}

/// What every accept loop shares.
#[derive(Clone)]
pub struct Accepting {
    /// Requests' shared state.
    pub shared: Arc<Shared>,
    /// `max_connections` permits.
    pub permits: Arc<Semaphore>,
    /// Flips to true on shutdown.
    pub shutdown: watch::Receiver<bool>,
    /// The HTTP builder.
    pub builder: Arc<auto::Builder<TokioExecutor>>,
    /// For HTTPS listeners.
    pub tls: Option<TlsAcceptor>,
}

/// Accepts connections on `listener` until shutdown.
pub async fn accept_loop(listener: TcpListener, acc: Accepting) {
    let mut shutdown = acc.shutdown.clone();
    loop {
        if *shutdown.borrow() {
            break;
        }
        let permit = tokio::select! {
            p = acc.permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = shutdown.changed() => break,
        };
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors and the like: wait a little, never spin.
                tracing::warn!(target: "corsgate::server", error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let acc = acc.clone();
        tokio::spawn(async move {
            serve(stream, peer, acc, permit).await;
        });
    }
}

async fn serve(stream: TcpStream, peer: SocketAddr, acc: Accepting, permit: OwnedSemaphorePermit) {
    let metrics = Arc::clone(&acc.shared.metrics);
    metrics.connections.inc();
    let moves = Arc::new(AtomicU64::new(0));
    let counted = Counted::new(stream, Arc::clone(&moves));
    match &acc.tls {
        None => drive(TokioIo::new(counted), peer, false, &acc, &moves).await,
        Some(tls) => {
            let handshake =
                tokio::time::timeout(acc.shared.server.header_read_timeout, tls.accept(counted))
                    .await;
            match handshake {
                Ok(Ok(s)) => drive(TokioIo::new(s), peer, true, &acc, &moves).await,
                Ok(Err(e)) => {
                    tracing::debug!(target: "corsgate::server", client = %peer, error = %e, "TLS handshake failed");
                }
                Err(_) => {
                    tracing::debug!(target: "corsgate::server", client = %peer, "TLS handshake timed out");
                }
            }
        }
    }
    metrics.connections.dec();
    drop(permit);
}

async fn drive<I>(io: I, peer: SocketAddr, tls: bool, acc: &Accepting, moves: &Arc<AtomicU64>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let busy = Arc::new(AtomicUsize::new(0));
    let conn = Arc::new(Conn {
        peer,
        tls,
        busy: Arc::clone(&busy),
        client_ip: crate::headers::client_ip_value(peer.ip()),
    });
    let shared = Arc::clone(&acc.shared);
    let service = service_fn(move |req| proxy::handle(Arc::clone(&shared), Arc::clone(&conn), req));
    let connection = acc.builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(connection);
    let shutdown = acc.shutdown.clone();
    let mut closing = *shutdown.borrow();
    if closing {
        connection.as_mut().graceful_shutdown();
    }
    // The idle timer and the shutdown signal are watched by a task of their own, which says
    // "close" once: polling them here would cost every wake-up of the connection.
    let (close, mut close_rx) = oneshot::channel::<()>();
    if !closing {
        let idle = acc.shared.server.idle_timeout;
        tokio::spawn(watch(close, shutdown, Arc::clone(moves), busy, idle));
    }
    loop {
        tokio::select! {
            biased;
            r = connection.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(target: "corsgate::server", client = %peer, error = %e, "connection ended with an error");
                }
                break;
            }
            _ = &mut close_rx, if !closing => {
                closing = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Says `close` when the gateway shuts down or the connection has been idle (no byte moved,
/// no request in flight) for `idle`; ends without a word when the connection ends first.
async fn watch(
    mut close: oneshot::Sender<()>,
    mut shutdown: watch::Receiver<bool>,
    moves: Arc<AtomicU64>,
    busy: Arc<AtomicUsize>,
    idle: Duration,
) {
    let tick = (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
    let mut seen = moves.load(Ordering::Relaxed);
    let mut quiet_since = Instant::now();
    loop {
        tokio::select! {
            _ = close.closed() => return,
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(tick) => {
                let now = moves.load(Ordering::Relaxed);
                if now != seen || busy.load(Ordering::Relaxed) > 0 {
                    seen = now;
                    quiet_since = Instant::now();
                } else if quiet_since.elapsed() >= idle {
                    break;
                }
            }
        }
    }
    let _ = close.send(());
}
