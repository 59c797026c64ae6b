//! The tutorial's axum app for load tests: with corsgate's layer, with tower-http's
//! `CorsLayer`, with no CORS layer, or with none but corsgate's header lines added statically
//! (`same-bytes`, the control). Used by `scripts/bench.sh`.
//!
//! ```text
//! cargo run --release -p corsgate --example bench_server -- --layer corsgate --port 3100
//! wrk -t1 -c32 -d10s -H 'Origin: https://site1.example.org' http://127.0.0.1:3100/data
//! ```
//!
//! Options: `--layer corsgate|tower-http|none|same-bytes` (default `corsgate`), `--port N` (default
//! 3100), `--origins 1|1000` (default 1: `https://site1.example.org`; 1000: 1,000 exact
//! origins `https://site{0..999}.example.org` plus 100 `https://*.tenant{0..99}.example.net`
//! patterns, which tower-http can only express as a predicate).
//!
//! One tokio worker (a current-thread runtime), so that the server and a one-thread `wrk`
//! share a two-core machine fairly. Listens on 127.0.0.1 only.

use axum::http::HeaderValue;

// The benchmarks' app and policies, one copy; not every piece is used here.
#[allow(dead_code)]
#[path = "../benches/common/mod.rs"]
mod common;
use common::EXACT_SMALL;

#[derive(Clone, Copy, PartialEq)]
enum Layer {
    Corsgate,
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
    "usage: bench_server [--layer corsgate|tower-http|none|same-bytes] [--port N] [--origins 1|1000]";

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

/// The lines corsgate adds for an allowed `https://site1.example.org` (the 1-origin case).
async fn same_bytes<B>(mut response: axum::http::Response<B>) -> axum::http::Response<B> {
    let h = response.headers_mut();
    h.insert(
        "access-control-allow-origin",
        HeaderValue::from_static(EXACT_SMALL),
    );
    h.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    h.insert("vary", HeaderValue::from_static("origin"));
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
    let app = match args.layer {
        Layer::Corsgate => common::corsgate_app(args.many),
        Layer::TowerHttp if args.many => common::tower_large_hashset(),
        Layer::TowerHttp => common::tower_small(),
        Layer::None => common::app(),
        Layer::SameBytes => common::app().layer(axum::middleware::map_response(same_bytes)),
    };
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
        let addr = ("127.0.0.1", args.port);
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{}: {e}", args.port);
                std::process::exit(2);
            }
        };
        println!("listening on http://127.0.0.1:{}", args.port);
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("server error: {e}");
            std::process::exit(1);
        }
    });
}
