//! `corsgate serve` as a process: a gigabyte streamed each way with its memory flat, reloads on SIGHUP and on file change, a graceful exit on SIGTERM, its logs, and bad files and flags refused.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, SizeHint};

use crate::util::gateway::Gateway;
use crate::util::run;

const ALLOWED: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.com";

/// `left` bytes of `x`, in 256 KiB frames, made as they are read.
struct Stream {
    left: u64,
    chunk: Bytes,
}

impl Stream {
    fn new(len: u64) -> Self {
        Stream {
            left: len,
            chunk: Bytes::from(vec![b'x'; 256 << 10]),
        }
    }
}

impl Body for Stream {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(self.chunk.len() as u64);
        self.left -= n;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..n as usize)))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}

/// The upstream, streaming (the scripted server records bodies whole: not for a gigabyte):
/// `/download/N` streams N bytes, `/upload` answers the length of what it read, `/slow`
/// answers after a second, anything else at once. Its `origin()` is `http://127.0.0.1:PORT`.
struct Upstream(std::net::SocketAddr);

impl Upstream {
    fn origin(&self) -> String {
        format!("http://{}", self.0)
    }
}

async fn upstream() -> Upstream {
    use hyper::service::service_fn;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let service = service_fn(|req: http::Request<hyper::body::Incoming>| async move {
                let path = req.uri().path().to_owned();
                let body: axum::body::Body = if let Some(n) = path.strip_prefix("/download/") {
                    axum::body::Body::new(Stream::new(n.parse().unwrap_or(0)))
                } else if path == "/upload" {
                    let mut body = req.into_body();
                    let mut n = 0u64;
                    let mut failed = false;
                    while let Some(frame) = body.frame().await {
                        match frame {
                            Ok(f) => n += f.data_ref().map_or(0, |d| d.len() as u64),
                            Err(_) => {
                                failed = true;
                                break;
                            }
                        }
                    }
                    axum::body::Body::from(if failed {
                        "error".to_owned()
                    } else {
                        n.to_string()
                    })
                } else if path == "/slow" {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    axum::body::Body::from("slow")
                } else {
                    axum::body::Body::from(r#"{"message":"Hello from the API"}"#)
                };
                Ok::<_, std::convert::Infallible>(http::Response::new(body))
            });
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Upstream(addr)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn config_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn temp_dir(test: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("corsgate-serve-{test}-{}", std::process::id()))
}

fn gateway_toml(upstream: &str, origin: &str, extra_server: &str) -> String {
    format!(
        "[server]\nlisten = \"127.0.0.1:0\"\n{extra_server}\n[cors]\nallow_origins = [\"{origin}\"]\n\n[[route]]\npath_prefix = \"/\"\nupstream = \"{upstream}\"\n"
    )
}

async fn send(req: http::Request<http_body_util::Full<Bytes>>) -> (u16, http::HeaderMap, String) {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let res = tokio::time::timeout(Duration::from_secs(20), client.request(req))
        .await
        .expect("in time")
        .expect("response");
    let (parts, body) = res.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status.as_u16(),
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

async fn get_with_origin(url: &str, origin: &str) -> (u16, Option<String>) {
    let req = http::Request::get(url)
        .header("origin", origin)
        .body(http_body_util::Full::default())
        .unwrap();
    let (status, headers, _) = send(req).await;
    (
        status,
        headers
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gigabyte_streams_each_way_with_the_gateways_memory_flat() {
    const GIB: u64 = 1 << 30;
    let up = upstream().await;
    let dir = temp_dir("gib");
    let file = config_file(
        &dir,
        "gw.toml",
        &gateway_toml(&up.origin(), ALLOWED, "max_body_bytes = 2147483648\n"),
    );
    let gw = Gateway::start(&["--config", file.to_str().unwrap()]);
    let pid = gw.pid();
    // Warm up (pools, buffers), then note where memory stands.
    let (s, _) = get_with_origin(&gw.url("/data"), ALLOWED).await;
    assert_eq!(s, 200);
    let baseline = rss_kib(pid).unwrap();
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(baseline));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let t = Instant::now();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Stream>();
    let req = http::Request::post(gw.url("/upload"))
        .header("origin", ALLOWED)
        .body(Stream::new(GIB))
        .unwrap();
    let res = client.request(req).await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        body,
        GIB.to_string(),
        "the upstream read the whole gigabyte"
    );
    let upload = t.elapsed();

    let t = Instant::now();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<Bytes>>();
    let req = http::Request::get(gw.url(&format!("/download/{GIB}")))
        .header("origin", ALLOWED)
        .body(http_body_util::Empty::new())
        .unwrap();
    let res = client.request(req).await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
    let mut body = res.into_body();
    let mut got = 0u64;
    while let Some(frame) = body.frame().await {
        got += frame.unwrap().data_ref().map_or(0, |d| d.len() as u64);
    }
    assert_eq!(got, GIB);
    let download = t.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let peak = peak.load(Ordering::Relaxed);
    eprintln!(
        "1 GiB up in {upload:?}, down in {download:?}; gateway RSS {baseline} KiB before, peak {peak} KiB (+{} KiB)",
        peak - baseline
    );
    // Flat: a few buffers' worth, never a body's worth (a gigabyte buffered would be +1,048,576 KiB).
    assert!(
        peak - baseline < 16 * 1024,
        "RSS grew from {baseline} KiB to {peak} KiB"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Polls `check` every 50 ms for at most 10 s.
async fn eventually(what: &str, gw: &Gateway, mut check: impl AsyncFnMut() -> bool) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: not within 10 s; the gateway's log:\n{}", gw.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_file_is_reloaded_and_an_invalid_one_keeps_the_policy_in_force() {
    let up = upstream().await;
    let dir = temp_dir("watch");
    let file = config_file(&dir, "gw.toml", &gateway_toml(&up.origin(), ALLOWED, ""));
    let gw = Gateway::start(&[
        "--config",
        file.to_str().unwrap(),
        "--watch-interval-ms",
        "100",
    ]);
    let url = gw.url("/data");
    assert_eq!(get_with_origin(&url, OTHER).await.1, None);
    std::fs::write(&file, gateway_toml(&up.origin(), OTHER, "")).unwrap();
    eventually("the new policy", &gw, async || {
        get_with_origin(&url, OTHER).await.1.as_deref() == Some(OTHER)
    })
    .await;
    // An invalid file: logged, every problem with its line; the policy in force stays.
    std::fs::write(&file, format!("[cors]\nallow_origins = [\"*\"]\nallow_credentials = true\nmax_age = \"long\"\n\n[[route]]\npath_prefix = \"/\"\nupstream = \"{}\"\n", up.origin())).unwrap();
    eventually("the reload error", &gw, async || {
        gw.log()
            .contains("invalid, the configuration in force stays")
    })
    .await;
    let log = gw.log();
    assert!(log.contains("gw.toml:2:18: cors.allow_origins[0]"), "{log}");
    assert!(log.contains("gw.toml:4:11: cors.max_age"), "{log}");
    assert_eq!(get_with_origin(&url, OTHER).await.1.as_deref(), Some(OTHER));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_file() {
    let up = upstream().await;
    let dir = temp_dir("hup");
    let file = config_file(&dir, "gw.toml", &gateway_toml(&up.origin(), ALLOWED, ""));
    // The file is not watched here (an hour between looks): only the signal reloads it.
    let gw = Gateway::start(&[
        "--config",
        file.to_str().unwrap(),
        "--watch-interval-ms",
        "3600000",
    ]);
    let url = gw.url("/data");
    std::fs::write(&file, gateway_toml(&up.origin(), OTHER, "")).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        get_with_origin(&url, OTHER).await.1,
        None,
        "not reloaded without the signal"
    );
    gw.signal("HUP");
    eventually("the reload on SIGHUP", &gw, async || {
        get_with_origin(&url, OTHER).await.1.as_deref() == Some(OTHER)
    })
    .await;
    assert!(gw.log().contains("SIGHUP: reloading"), "{}", gw.log());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_requests_in_flight_then_exits_0() {
    let up = upstream().await;
    let mut gw = Gateway::start(&["--upstream", &up.origin(), "--allow-origin", ALLOWED]);
    let url = gw.url("/slow");
    let in_flight = tokio::spawn(async move { get_with_origin(&url, ALLOWED).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    gw.signal("TERM");
    let (status, acao) = in_flight.await.unwrap();
    assert_eq!((status, acao.as_deref()), (200, Some(ALLOWED)));
    let exit = gw.wait(Duration::from_secs(10));
    assert_eq!(exit.and_then(|s| s.code()), Some(0), "{}", gw.log());
    assert!(
        gw.log().contains("shut down: every connection finished"),
        "{}",
        gw.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_give_origin_route_and_reason_for_blocked_requests() {
    let up = upstream().await;
    let gw = Gateway::start(&[
        "--upstream",
        &up.origin(),
        "--allow-origin",
        ALLOWED,
        "--allow-method",
        "PUT",
        "--log-format",
        "json",
    ]);
    let req = http::Request::builder()
        .method("OPTIONS")
        .uri(gw.url("/data"))
        .header("origin", ALLOWED)
        .header("access-control-request-method", "DELETE")
        .body(http_body_util::Full::default())
        .unwrap();
    let (status, _, _) = send(req).await;
    assert_eq!(status, 403);
    assert_eq!(get_with_origin(&gw.url("/data"), OTHER).await, (200, None));
    assert_eq!(get_with_origin(&gw.url("/data"), ALLOWED).await.0, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines: Vec<serde_json::Value> = gw
        .log()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["target"] == "corsgate::access")
        .collect();
    assert_eq!(lines.len(), 3, "{}", gw.log());
    assert_eq!(lines[0]["level"], "WARN");
    assert_eq!(lines[0]["message"], "blocked by the CORS policy");
    assert_eq!(lines[0]["origin"], ALLOWED);
    assert_eq!(lines[0]["route"], "/");
    assert_eq!(lines[0]["cors"], "preflight_failed");
    assert_eq!(
        lines[0]["reason"],
        "the requested method is not allowed: the method DELETE is not in allow_methods"
    );
    assert_eq!(lines[1]["cors"], "actual_blocked");
    assert_eq!(lines[1]["origin"], OTHER);
    assert!(
        lines[1]["reason"]
            .as_str()
            .unwrap()
            .starts_with("the origin is not allowed"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["level"], "INFO");
    assert_eq!(lines[2]["cors"], "actual_allowed");
    assert_eq!(lines[2]["status"], 200);
}

#[test]
fn serve_refuses_an_invalid_file_with_the_report_validate_gives() {
    let dir = temp_dir("invalid");
    let file = config_file(&dir, "gw.toml", "[server]\nlisten = \"localhost:8080\"\n\n[cors]\nallow_origins = [\"https://a.example.com/\"]\n\n[[route]]\npath_prefix = \"api\"\nupstream = \"ftp://127.0.0.1\"\n");
    let path = file.to_str().unwrap();
    let serve = run::run_within(&["serve", "--config", path], &[], Duration::from_secs(20));
    let validate = run::run_within(&["validate", path], &[], Duration::from_secs(20));
    assert_eq!(serve.status.and_then(|s| s.code()), Some(2), "{serve:?}");
    assert_eq!(
        validate.status.and_then(|s| s.code()),
        Some(2),
        "{validate:?}"
    );
    assert_eq!(serve.stderr, validate.stderr);
    let lines: Vec<&str> = serve.stderr.lines().collect();
    assert!(
        lines[0].ends_with("gw.toml: invalid gateway file: 4 problems"),
        "{}",
        serve.stderr
    );
    for (line, at) in lines[1..].iter().zip([
        "gw.toml:2:10: server.listen",
        "gw.toml:5:18: cors.allow_origins[0]",
        "gw.toml:8:15: route[0].path_prefix",
        "gw.toml:9:12: route[0].upstream",
    ]) {
        assert!(
            line.contains(at),
            "{line} should be at {at}:\n{}",
            serve.stderr
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn quick_start_problems_name_their_flags() {
    let r = run::run_within(
        &[
            "serve",
            "--upstream",
            "ftp://127.0.0.1:1",
            "--allow-origin",
            "https://a.example.com",
            "--allow-origin",
            "https://b.example.com/",
        ],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(r.status.and_then(|s| s.code()), Some(2), "{r:?}");
    assert!(
        r.stderr
            .starts_with("corsgate serve: 2 problems with the flags:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\n  --allow-origin #2: "), "{}", r.stderr);
    assert!(r.stderr.contains("\n  --upstream: "), "{}", r.stderr);
    let r = run::run_within(
        &["serve", "--allow-method", "PUT"],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(r.status.and_then(|s| s.code()), Some(2), "{r:?}");
}

#[test]
fn the_example_gateway_file_is_valid_and_sets_every_key() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/gateway.toml");
    let path = file.to_str().unwrap();
    let r = run::run_within(&["validate", path], &[], Duration::from_secs(20));
    assert_eq!(r.status.and_then(|s| s.code()), Some(0), "{r:?}");
    assert!(
        r.stdout.contains("valid gateway file (2 routes"),
        "{}",
        r.stdout
    );
    // Every key of [server] and [[route]] appears in it (as a setting or a commented one).
    let text = std::fs::read_to_string(&file).unwrap();
    for key in [
        "listen",
        "admin_listen",
        "header_read_timeout_ms",
        "upstream_connect_timeout_ms",
        "upstream_response_timeout_ms",
        "idle_timeout_ms",
        "shutdown_grace_ms",
        "max_body_bytes",
        "max_header_bytes",
        "max_connections",
        "tls_cert",
        "tls_key",
        "path_prefix",
        "host",
        "upstream",
        "strip_prefix",
        "upstream_cors",
        "report_only",
        "[route.cors]",
    ] {
        assert!(
            text.contains(key),
            "examples/gateway.toml does not mention {key}"
        );
    }
}
