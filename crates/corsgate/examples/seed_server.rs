//! The tutorials' Express server, in axum with corsgate.
//!
//! ```text
//! cargo run -p corsgate --example seed_server
//! curl -i -H 'Origin: http://127.0.0.1:5500' http://localhost:3000/data
//! ```
//!
//! Express version (from the tutorial):
//! `app.use(cors({ origin: "http://127.0.0.1:5500", methods: ["GET", "POST"] }))`.

use axum::{routing::get, Json, Router};
use corsgate::Config;
use serde_json::{json, Value};

async fn data() -> Json<Value> {
    Json(json!({ "name": "Bangladesh", "description": "Land of emotions" }))
}

#[tokio::main]
async fn main() {
    let cors = match Config::new()
        .allow_origins(["http://127.0.0.1:5500"])
        .allow_methods(["GET", "POST"])
        .build()
    {
        Ok(cors) => cors,
        Err(errors) => {
            eprintln!("{errors}");
            std::process::exit(2);
        }
    };
    let app = Router::new()
        .route("/data", get(data).put(data))
        .layer(cors.layer());
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:3000").await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:3000: {e}");
            std::process::exit(2);
        }
    };
    println!("Server is running on http://localhost:3000");
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
