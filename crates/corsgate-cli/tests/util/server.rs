//! The scripted server: loopback listeners (plain HTTP, or TLS with a test certificate) on a
//! thread and runtime of their own, recording every request, body included, before answering
//! it from a script (`Fn(&Seen) -> Reply`) or an axum router. Dropping the [`Server`] stops
//! it.
//!
//! Header values of a [`Reply`] are sent as Latin-1 (one byte per character), and read back
//! the same way by [`Seen::header`], so a script can send any byte a real server could.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use bytes::Bytes;
use http::{
    HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Uri, Version,
};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The largest request body recorded.
const BODY_LIMIT: usize = 1 << 20;
/// How long a client may take over the TLS handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(5);

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Which listener it came in on (0 for a one-listener server).
    pub listener: usize,
    /// HTTP/1.1 or HTTP/2: over TLS, as the acceptor's ALPN list and the client agreed.
    pub version: Version,
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The header's lines joined with ", " (how a browser or an HTTP library combines them),
    /// read as Latin-1.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<String> = self
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.as_bytes().iter().map(|&b| char::from(b)).collect())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The request's `Origin`, or "".
    pub fn origin(&self) -> String {
        self.header("origin").unwrap_or_default()
    }
}

/// What a script answers: a status, header lines in order (several lines with one name are
/// sent as several lines) and a body.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Bytes>) -> Reply {
        self.body = body.into();
        self
    }

    fn into_response(self) -> Response<Body> {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = StatusCode::from_u16(self.status)
            .unwrap_or_else(|e| panic!("scripted status {}: {e}", self.status));
        for (name, value) in &self.headers {
            let bytes: Vec<u8> = value
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 header value"))
                .collect();
            let name = HeaderName::from_bytes(name.as_bytes())
                .unwrap_or_else(|e| panic!("scripted header name {name:?}: {e}"));
            let value = HeaderValue::from_bytes(&bytes)
                .unwrap_or_else(|e| panic!("scripted header {name}: {value:?}: {e}"));
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// `(status, [(name, value), ...])`, empty body.
impl From<(u16, Vec<(&'static str, String)>)> for Reply {
    fn from((status, headers): (u16, Vec<(&'static str, String)>)) -> Reply {
        Reply {
            status,
            headers: headers
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v))
                .collect(),
            body: Bytes::new(),
        }
    }
}

type Script = dyn Fn(&Seen) -> Reply + Send + Sync;

/// Who answers.
enum Answer {
    Script(Box<Script>),
    Router(Router),
}

struct Shared {
    seen: Mutex<Vec<Seen>>,
    answer: Answer,
}

impl Shared {
    fn seen(&self) -> MutexGuard<'_, Vec<Seen>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn handle(&self, listener: usize, request: Request<Incoming>) -> Response<Body> {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, BODY_LIMIT).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let seen = Seen {
            listener,
            version: parts.version,
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            body: body.clone(),
        };
        self.seen().push(seen.clone());
        match &self.answer {
            Answer::Script(script) => script(&seen).into_response(),
            Answer::Router(router) => match router
                .clone()
                .oneshot(Request::from_parts(parts, Body::from(body)))
                .await
            {
                Ok(response) => response,
                Err(never) => match never {},
            },
        }
    }
}

/// A running scripted server; stops when dropped.
pub struct Server {
    addrs: Vec<SocketAddr>,
    shared: Arc<Shared>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// The first listener's port.
    pub fn port(&self) -> u16 {
        self.addrs[0].port()
    }

    /// `http://127.0.0.1:PORT` of a listener.
    pub fn origin(&self, listener: usize) -> String {
        format!("http://127.0.0.1:{}", self.addrs[listener].port())
    }

    /// `http://127.0.0.1:PORT` + `path`, on the first listener.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin(0))
    }

    /// Every request received so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen().clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_seen(&self) {
        self.shared.seen().clear();
    }

    /// The methods received, in order.
    pub fn methods(&self) -> Vec<String> {
        self.shared
            .seen()
            .iter()
            .map(|r| r.method.to_string())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One loopback listener answering every request with `script(request)`.
pub fn serve<R: Into<Reply>>(script: impl Fn(&Seen) -> R + Send + Sync + 'static) -> Server {
    start(1, None, move |_| boxed(script))
}

/// One loopback listener serving `router`.
pub fn serve_router(router: Router) -> Server {
    start(1, None, |_| Answer::Router(router))
}

/// One loopback listener speaking TLS through `acceptor`, answering with `script(request)`:
/// HTTP/2 when the client and the acceptor's ALPN list (`alpn_protocols` of its
/// `ServerConfig`) agree on `h2`, HTTP/1.1 otherwise ([`Seen::version`] says which).
pub fn serve_tls<R: Into<Reply>>(
    acceptor: TlsAcceptor,
    script: impl Fn(&Seen) -> R + Send + Sync + 'static,
) -> Server {
    start(1, Some(acceptor), move |_| boxed(script))
}

/// `listeners` loopback listeners; `make` is given their origins (`http://127.0.0.1:PORT`,
/// in listener order) and returns the script that answers on all of them.
pub fn serve_many<R, S>(listeners: usize, make: impl FnOnce(&[String]) -> S) -> Server
where
    R: Into<Reply>,
    S: Fn(&Seen) -> R + Send + Sync + 'static,
{
    start(listeners, None, |addrs| {
        let origins: Vec<String> = addrs
            .iter()
            .map(|a| format!("http://127.0.0.1:{}", a.port()))
            .collect();
        boxed(make(&origins))
    })
}

fn boxed<R: Into<Reply>>(script: impl Fn(&Seen) -> R + Send + Sync + 'static) -> Answer {
    Answer::Script(Box::new(move |seen| script(seen).into()))
}

fn start(
    listeners: usize,
    tls: Option<TlsAcceptor>,
    answer: impl FnOnce(&[SocketAddr]) -> Answer,
) -> Server {
    let bound: Vec<std::net::TcpListener> = (0..listeners)
        .map(|_| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
            l.set_nonblocking(true).expect("a non-blocking listener");
            l
        })
        .collect();
    let addrs: Vec<SocketAddr> = bound
        .iter()
        .map(|l| l.local_addr().expect("a bound listener"))
        .collect();
    let shared = Arc::new(Shared {
        seen: Mutex::new(Vec::new()),
        answer: answer(&addrs),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let serving = shared.clone();
    let thread = std::thread::Builder::new()
        .name("scripted-server".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime for the scripted server");
            runtime.block_on(async move {
                let mut loops = Vec::new();
                for (index, listener) in bound.into_iter().enumerate() {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    loops.push(tokio::spawn(accept(
                        index,
                        listener,
                        tls.clone(),
                        serving.clone(),
                        stop_rx.clone(),
                    )));
                }
                for l in loops {
                    let _ = l.await;
                }
            });
            runtime.shutdown_timeout(Duration::from_secs(2));
        })
        .expect("a thread for the scripted server");
    Server {
        addrs,
        shared,
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// Accepts connections until told to stop.
async fn accept(
    index: usize,
    listener: tokio::net::TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                tokio::spawn(connection(index, tcp, tls.clone(), shared.clone()));
            }
        }
    }
}

/// Serves one connection (HTTP/1.1, or HTTP/2 when the client starts with its preface: over
/// TLS after agreeing on `h2` by ALPN, or in plain text with prior knowledge).
async fn connection(
    index: usize,
    tcp: tokio::net::TcpStream,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
) {
    let service = hyper::service::service_fn(move |request| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(shared.handle(index, request).await) }
    });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    match tls {
        None => {
            let _ = builder.serve_connection(TokioIo::new(tcp), service).await;
        }
        Some(acceptor) => {
            let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(tcp)).await
            else {
                return;
            };
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }
    }
}
