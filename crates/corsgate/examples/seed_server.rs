//! The tutorials' Express server, in axum with corsgate.
//!
//! ```text
//! cargo run -p corsgate --example seed_server [-- --port 3000]
//! curl -i -H 'Origin: http://127.0.0.1:5500' http://localhost:3000/data
//! ```
//!
//! Express version (from the tutorial):
//! `app.use(cors({ origin: "http://127.0.0.1:5500", methods: ["GET", "POST"] }))`.
//!
//! It listens on `127.0.0.1` and `::1` (browsers may resolve `localhost` to either), and
//! closes a connection that has not sent a whole request head within 10 seconds.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::{routing::get, Json, Router};
use corsgate::Config;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// How long a client may take to send a request head (slow or half-sent requests).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

async fn data() -> Json<Value> {
    Json(json!({ "name": "Bangladesh", "description": "Land of emotions" }))
}

fn port_from_args() -> Result<u16, String> {
    let mut args = std::env::args().skip(1);
    let mut port = 3000;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args
                    .next()
                    .ok_or("--port needs a value, e.g. --port 3000")?;
                port = value
                    .parse()
                    .map_err(|_| "--port takes a number from 0 to 65535".to_string())?;
            }
            "-h" | "--help" => {
                println!("usage: seed_server [--port PORT]   (default 3000)");
                std::process::exit(0);
            }
            _ => return Err("unknown argument; usage: seed_server [--port PORT]".into()),
        }
    }
    Ok(port)
}

async fn serve(listener: TcpListener, app: Router) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, most likely: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            // A client that goes away mid-request is not the server's error.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[tokio::main]
async fn main() {
    let port = port_from_args().unwrap_or_else(|e| {
        eprintln!("seed_server: {e}");
        std::process::exit(2);
    });
    let cors = Config::new()
        .allow_origins(["http://127.0.0.1:5500"])
        .allow_methods(["GET", "POST"])
        .build()
        .unwrap_or_else(|errors| {
            eprintln!("{errors}");
            std::process::exit(2);
        });
    let app = Router::new()
        .route("/data", get(data).put(data))
        .layer(cors.layer());
    let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .unwrap_or_else(|e| {
            eprintln!("seed_server: cannot listen on 127.0.0.1:{port}: {e} (try --port)");
            std::process::exit(2);
        });
    // The same port on ::1 (port 0 picks one for IPv4 first); a machine without IPv6
    // loopback still serves on 127.0.0.1.
    let port = v4.local_addr().map(|a| a.port()).unwrap_or(port);
    let v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await;
    if let Err(e) = &v6 {
        eprintln!("seed_server: not listening on [::1]:{port}: {e}");
    }
    println!("Server is running on http://localhost:{port}");
    match v6 {
        Ok(v6) => {
            tokio::join!(serve(v4, app.clone()), serve(v6, app));
        }
        Err(_) => serve(v4, app).await,
    }
}
