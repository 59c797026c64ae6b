//! Gateway files (`corsgate serve --config`): TOML parsed into a validated [`GatewayConfig`], or every problem with its place.
//!
//! The file has three parts: `[server]` (where to listen, timeouts and limits), `[cors]` (the
//! default policy, the same schema as a policy file) and `[[route]]` tables (where requests
//! go, each with its own `[route.cors]` policy or the default). See `docs/gateway.md`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use corsgate::Cors;

use crate::policy::{PolicyFileError, Problem};

mod parse;

/// A gateway file, validated: everything `corsgate serve` needs, with every policy built.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// `[server]`.
    pub server: ServerConfig,
    /// `[cors]`, built: the policy of routes without their own, and of the gateway's 404s.
    /// `None` when the file has no `[cors]` (every route then has its own).
    pub default_cors: Option<Cors>,
    /// `[[route]]`, in file order (at least one).
    pub routes: Vec<RouteConfig>,
}

/// `[server]`: listeners, timeouts and limits. Every key has a default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// `listen`: one address or a list (default `127.0.0.1:8080`).
    pub listen: Vec<SocketAddr>,
    /// `admin_listen`: `/metrics`, `/healthz`, `/policy` (default: none).
    pub admin_listen: Option<SocketAddr>,
    /// `header_read_timeout_ms`: the most a client may take to send a request's head
    /// (default 10 s).
    pub header_read_timeout: Duration,
    /// `upstream_connect_timeout_ms`: connecting to an upstream (default 5 s); past it, 502.
    pub upstream_connect_timeout: Duration,
    /// `upstream_response_timeout_ms`: from sending the request to the upstream's response
    /// head (default 60 s); past it, 504.
    pub upstream_response_timeout: Duration,
    /// `idle_timeout_ms`: a client connection with no request in flight is closed after this
    /// (default 60 s).
    pub idle_timeout: Duration,
    /// `shutdown_grace_ms`: on SIGTERM/SIGINT, the most in-flight requests get to finish
    /// (default 30 s).
    pub shutdown_grace: Duration,
    /// `max_body_bytes`: the largest request body passed on (default 100 MiB); past it, 413.
    pub max_body_bytes: u64,
    /// `max_header_bytes`: the largest request head, names and values of all headers
    /// together (default 32 KiB); past it, 431.
    pub max_header_bytes: usize,
    /// `max_connections`: client connections served at once (default 10,000); more wait to
    /// be accepted.
    pub max_connections: usize,
    /// `tls_cert` and `tls_key` (PEM files, both or neither): serve HTTPS (HTTP/2 and
    /// HTTP/1.1 by ALPN) instead of plain HTTP (HTTP/1.1 and h2c).
    pub tls: Option<TlsFiles>,
}

/// The certificate chain and key of an HTTPS listener, as paths (read when serving starts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// `tls_cert`: PEM certificate chain, leaf first.
    pub cert: PathBuf,
    /// `tls_key`: PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// One `[[route]]`.
#[derive(Clone, Debug)]
pub struct RouteConfig {
    /// `path_prefix`: starts with `/`; matches that path and the paths below it at a `/`
    /// (`/api` matches `/api` and `/api/x`, not `/apix`). The longest matching prefix wins.
    pub path_prefix: String,
    /// `host`: only requests for this host (lowercase, without port), when set.
    pub host: Option<String>,
    /// `upstream`: `http://` or `https://` host, optional port, optional base path (no
    /// query, no fragment, no userinfo).
    pub upstream: http::Uri,
    /// `strip_prefix`: remove `path_prefix` from the path before appending it to the
    /// upstream's base path (default false).
    pub strip_prefix: bool,
    /// `[route.cors]`, or the file's `[cors]`.
    pub cors: Cors,
    /// `upstream_cors`: `"strip"` (default) or `"keep"`.
    pub upstream_cors: UpstreamCors,
    /// `report_only`: the upstream's own CORS answers stay in force; where the route's policy
    /// would answer differently it is logged and counted (default false).
    pub report_only: bool,
}

/// What the gateway does with the upstream's own CORS headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpstreamCors {
    /// Remove the upstream's `Access-Control-*` headers and the `Origin` in its `Vary`; the
    /// gateway's policy answers.
    #[default]
    Strip,
    /// The upstream owns CORS: its answers pass unchanged and preflights reach it.
    Keep,
}

impl ServerConfig {
    /// The defaults of every `[server]` key.
    pub fn defaults() -> Self {
        ServerConfig {
            listen: vec![SocketAddr::from(([127, 0, 0, 1], 8080))],
            admin_listen: None,
            header_read_timeout: Duration::from_secs(10),
            upstream_connect_timeout: Duration::from_secs(5),
            upstream_response_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(30),
            max_body_bytes: 100 << 20,
            max_header_bytes: 32 << 10,
            max_connections: 10_000,
            tls: None,
        }
    }
}

/// Does this TOML text look like a gateway file rather than a policy file (it has a
/// `[server]` or a `[[route]]` table)? Decides which parser `corsgate validate` uses; a file
/// that does not parse as TOML at all is a policy file's problem.
pub fn is_gateway_file(src: &str) -> bool {
    parse::is_gateway_file(src)
}

/// Parses and validates a gateway file held in `src`; `Err` lists every problem, in file
/// order (those without a place last).
pub fn check(src: &str) -> Result<GatewayConfig, Vec<Problem>> {
    parse::check(src)
}

/// Reads the gateway file at `path` (at most [`crate::policy::MAX_FILE_BYTES`]) and
/// validates it.
pub fn load(path: &Path) -> Result<GatewayConfig, PolicyFileError> {
    let src = crate::policy::read_text(path)?;
    check(&src).map_err(|problems| PolicyFileError {
        file: path.to_owned(),
        unreadable: None,
        problems,
    })
}
