//! The tutorial's axum app for load tests: with corsgate's layer, with tower-http's
//! `CorsLayer`, with no CORS layer, or with none but corsgate's header lines added statically
//! (`same-bytes`, the control). Used by `scripts/bench.sh`.
//!
//! Both CORS layers wrap the whole `Router` (`layer.layer(router)`), the placement corsgate's
//! docs recommend: outermost by construction, and without the boxing axum's `Router::layer`
//! adds to every route (two allocations per request, whatever the layer). `corsgate-route`
//! is corsgate added with `Router::layer` instead, to show what that placement costs.
//!
//! ```text
//! cargo run --release -p corsgate --example bench_server -- --layer corsgate --port 3100
//! wrk -t1 -c32 -d10s -H 'Origin: https://site1.example.org' http://127.0.0.1:3100/data
//! ```
//!
//! Options: `--layer corsgate|corsgate-route|tower-http|none|same-bytes` (default `corsgate`), `--port N` (default
//! 3100), `--origins 1|1000` (default 1: `https://site1.example.org`; 1000: 1,000 exact
//! origins `https://site{0..999}.example.org` plus 100 `https://*.tenant{0..99}.example.net`
//! patterns, which tower-http can only express as a predicate).
//!
//! One tokio worker (a current-thread runtime), so that the server and a one-thread `wrk`
//! share a two-core machine fairly. Listens on 127.0.0.1 only.

use std::convert::Infallible;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::ServiceExt;

// The benchmarks' app and policies, one copy; not every piece is used here.
#[allow(dead_code)]
#[path = "../benches/common/mod.rs"]
mod common;
use common::EXACT_SMALL;

#[derive(Clone, Copy, PartialEq)]
enum Layer {
    Corsgate,
    /// corsgate added with `Router::layer`.
    CorsgateRoute,
    TowerHttp,
    None,
    /// No CORS logic, but every response carries the same header lines corsgate adds to an
    /// allowed actual request: the control that separates the cost of deciding from the
    /// cost of sending a larger response.
    SameBytes,
}

struct Args {
    layer: Layer,
    port: u16,
    many: bool,
}

const USAGE: &str =
    "usage: bench_server [--layer corsgate|corsgate-route|tower-http|none|same-bytes] [--port N] [--origins 1|1000]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        layer: Layer::Corsgate,
        port: 3100,
        many: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--layer" => {
                args.layer = match value()?.as_str() {
                    "corsgate" => Layer::Corsgate,
                    "corsgate-route" => Layer::CorsgateRoute,
                    "tower-http" => Layer::TowerHttp,
                    "none" => Layer::None,
                    "same-bytes" => Layer::SameBytes,
                    other => return Err(format!("unknown layer {other:?}")),
                }
            }
            "--port" => {
                let v = value()?;
                args.port = v.parse().map_err(|_| format!("bad port {v:?}"))?;
            }
            "--origins" => {
                args.many = match value()?.as_str() {
                    "1" => false,
                    "1000" => true,
                    other => return Err(format!("--origins is 1 or 1000, not {other:?}")),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

/// The lines corsgate adds for an allowed `https://site1.example.org` (the 1-origin case),
/// added the cheapest way there is: constant names and values, appended without looking
/// for earlier lines. Whatever this costs is the floor for any layer that sends them.
fn same_bytes(mut response: axum::response::Response) -> axum::response::Response {
    const ORIGIN: HeaderValue = HeaderValue::from_static(EXACT_SMALL);
    const TRUE: HeaderValue = HeaderValue::from_static("true");
    const VARY: HeaderValue = HeaderValue::from_static("origin");
    let h = response.headers_mut();
    h.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN);
    h.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    h.append(header::VARY, VARY);
    response
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    match args.layer {
        Layer::Corsgate => serve(args.port, common::corsgate_around(args.many)),
        Layer::CorsgateRoute => serve(args.port, common::corsgate_app(args.many)),
        Layer::TowerHttp => serve(args.port, common::tower_around(args.many)),
        Layer::None => serve(args.port, common::app()),
        Layer::SameBytes => serve(
            args.port,
            tower::util::MapResponse::new(
                common::app(),
                same_bytes as fn(axum::response::Response) -> axum::response::Response,
            ),
        ),
    }
}

/// Serves `app` on 127.0.0.1:`port` with one tokio thread, until killed. Every variant goes
/// through this same generic path.
fn serve<S>(port: u16, app: S)
where
    S: tower::Service<Request, Response = axum::response::Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    rt.block_on(async move {
        let addr = ("127.0.0.1", port);
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                std::process::exit(2);
            }
        };
        println!("listening on http://127.0.0.1:{port}");
        if let Err(e) = axum::serve(listener, app.into_make_service()).await {
            eprintln!("server error: {e}");
            std::process::exit(1);
        }
    });
}
