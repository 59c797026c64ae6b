//! The README's library example, as a program that compiles with the tests.
//!
//! ```text
//! cargo run -p corsgate --example readme
//! curl -i -H 'Origin: http://127.0.0.1:5500' http://127.0.0.1:3000/data
//! ```

use axum::{extract::Request, routing::get, Router, ServiceExt};
use corsgate::Config;
use tower::Layer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cors = Config::new()
        .allow_origins(["http://127.0.0.1:5500"]) // exact origins, "*", "https://*.example.com", "http://localhost:*"
        .allow_methods(["GET", "POST"])
        .build()?; // Err lists every problem, each with its fix
    let router = Router::new().route("/data", get(|| async { r#"{"name":"Bangladesh"}"# }));
    let app = cors.layer().layer(router); // around the router: every answer, 404s and preflights included

    // Later, from anywhere holding `cors`: a new policy, atomically, without a restart.
    cors.replace(
        Config::new().allow_origins(["http://127.0.0.1:5500", "https://app.example.com"]),
    )?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, ServiceExt::<Request>::into_make_service(app)).await?;
    Ok(())
}
