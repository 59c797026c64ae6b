//! Shared by the `check_*` tests: scripted loopback servers and running the binary.
#![allow(dead_code)] // each test binary uses a different part

use std::io::Read;
use std::net::SocketAddr;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use tokio::sync::oneshot;

/// How long one `corsgate` run may take.
pub const LIMIT: Duration = Duration::from_secs(30);

/// What a scripted server answers: status and header lines.
pub type Answer = (u16, Vec<(&'static str, String)>);

type Script = dyn Fn(&http::request::Parts) -> Answer + Send + Sync;

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: http::HeaderMap,
}

/// A loopback server running on its own thread; stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }

    /// `http://localhost:PORT` + `path` (another origin than the 127.0.0.1 one).
    pub fn localhost(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    /// The methods received, in order.
    pub fn methods(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.method.clone())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves `router` on 127.0.0.1:0 on a background thread.
pub fn serve_router(router: Router) -> Server {
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await;
        });
        rt.shutdown_timeout(Duration::from_secs(2));
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("server address");
    Server {
        addr,
        received: Arc::new(Mutex::new(Vec::new())),
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// A server answering every request with `script(parts)` and an empty body.
pub fn serve(script: impl Fn(&http::request::Parts) -> Answer + Send + Sync + 'static) -> Server {
    let script: Arc<Script> = Arc::new(script);
    let received: Arc<Mutex<Vec<Received>>> = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let router = Router::new().fallback(move |req: Request| {
        let script = script.clone();
        let log = log.clone();
        async move {
            let (parts, _) = req.into_parts();
            log.lock().unwrap().push(Received {
                method: parts.method.to_string(),
                path: parts.uri.path().to_owned(),
                headers: parts.headers.clone(),
            });
            let (status, headers) = script(&parts);
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
            for (n, v) in headers {
                resp.headers_mut()
                    .append(n, http::HeaderValue::from_str(&v).unwrap());
            }
            resp
        }
    });
    let mut server = serve_router(router);
    server.received = received;
    server
}

/// The request's `Origin`, or "".
pub fn origin_of(parts: &http::request::Parts) -> String {
    parts
        .headers
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Runs `corsgate ARGS` (bounded): exit code, stdout, stderr.
pub fn corsgate(args: &[&str], env: &[(&str, &str)]) -> (ExitStatus, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corsgate"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start corsgate");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("corsgate {args:?} did not exit within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status,
        out_thread.join().unwrap(),
        err_thread.join().unwrap(),
    )
}

/// Runs `corsgate check ARGS --json`: exit code and the parsed document.
pub fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push("--json");
    let (status, out, err) = corsgate(&all, &[]);
    let code = status.code().expect("exit code");
    let doc = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    (code, doc)
}

/// The page origin the tests use.
pub const PAGE: &str = "http://127.0.0.1:5500";
