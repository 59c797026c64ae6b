//! Listening sockets and server tasks: the API on 127.0.0.1 and [::1], the page on 127.0.0.1.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::DemoError;

/// How many ports to try when the OS picks one (port 0) and `[::1]` already holds it.
const EPHEMERAL_BIND_ATTEMPTS: usize = 8;

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
        DemoError::PortInUse { server, addr, flag }
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
    mut stop: watch::Receiver<bool>,
    stopped: mpsc::UnboundedSender<(&'static str, io::Result<()>)>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stop| *stop).await;
            })
            .await;
        let _ = stopped.send((name, result));
    })
}
