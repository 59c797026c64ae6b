//! Gateway files (`corsgate serve --config`): TOML parsed into a validated [`GatewayConfig`], or every problem with its place.
//!
//! The file has three parts: `[server]` (where to listen, timeouts and limits), `[cors]` (the
//! default policy, the same schema as a policy file) and `[[route]]` tables (where requests
//! go, each with its own `[route.cors]` policy or the default). See `docs/gateway.md`.
//!
//! ```toml
//! [server]
//! listen = "127.0.0.1:8080"          # or a list: ["127.0.0.1:8080", "[::1]:8080"]
//! admin_listen = "127.0.0.1:9090"    # optional
//! idle_timeout_ms = 60000
//!
//! [cors]                             # the default policy (the policy file's keys)
//! allow_origins = ["http://localhost:5173"]
//!
//! [[route]]
//! path_prefix = "/api"
//! upstream = "http://127.0.0.1:3000"
//! [route.cors]                       # optional: this route's own policy
//! allow_origins = ["https://app.example.com"]
//! ```
//!
//! Each key's meaning, default and limits are on the field it sets. Every problem is
//! reported at once, in file order, each with its line, column, key (`server.listen[1]`,
//! `route[0].upstream`, `route[1].cors.allow_origins[0]`) and the fix.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use corsgate::Cors;

use crate::policy::{FileKind, PolicyFileError, Problem};

mod parse;
mod route;
mod server;
#[cfg(test)]
mod tests;
mod values;

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
    /// `listen`: one address or a list (default `127.0.0.1:8080`), never empty and without
    /// repeats. IP socket addresses only, IPv6 in brackets (`[::1]:8080`): a host name such
    /// as `localhost:8080` is a problem (nothing is looked up). Port 0 asks the OS for a free
    /// port.
    pub listen: Vec<SocketAddr>,
    /// `admin_listen`: `/metrics`, `/healthz`, `/policy` (default: none). An IP socket
    /// address, other than every `listen` address.
    pub admin_listen: Option<SocketAddr>,
    /// `header_read_timeout_ms`: the most a client may take to send a request's head
    /// (default 10 s).
    ///
    /// Every `*_ms` key is a whole number of milliseconds, from 1 to 86,400,000 (one day).
    pub header_read_timeout: Duration,
    /// `upstream_connect_timeout_ms`: connecting to an upstream (default 5 s); past it, 504.
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
    ///
    /// `max_body_bytes`, `max_header_bytes` and `max_connections` are whole numbers, at
    /// least 1.
    pub max_body_bytes: u64,
    /// `max_header_bytes`: the largest request head, names and values of all headers
    /// together (default 32 KiB); past it, 431.
    pub max_header_bytes: usize,
    /// `max_connections`: client connections served at once (default 10,000); more wait to
    /// be accepted.
    pub max_connections: usize,
    /// `tls_cert` and `tls_key` (PEM files, both or neither): serve HTTPS (HTTP/2 and
    /// HTTP/1.1 by ALPN) instead of plain HTTP (HTTP/1.1 and h2c). A relative path is
    /// relative to the gateway file's directory: [`load`] resolves it, [`check`] (which has
    /// no file) keeps it as written.
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
    /// `path_prefix` (required): starts with `/`; matches that path and the paths below it
    /// at a `/` (`/api` matches `/api` and `/api/x`, not `/apix`). The longest matching
    /// prefix wins. A path only (no `?` or `#`), as clients send it: no `.` or `..` segment,
    /// no empty segment, characters outside URLs percent-encoded, and no trailing `/` but
    /// for the root `/` (which matches every path). No two routes have the same `host` and
    /// `path_prefix`.
    pub path_prefix: String,
    /// `host`: only requests for this host (lowercased here, without port), when set. A host
    /// name (`api.example.com`) or an IP address (`127.0.0.1`, `[::1]`), without scheme.
    pub host: Option<String>,
    /// `upstream` (required): `http://` or `https://` host, optional port, optional base
    /// path (no query, no fragment, no userinfo).
    pub upstream: http::Uri,
    /// `strip_prefix`: remove `path_prefix` from the path before appending it to the
    /// upstream's base path (default false).
    pub strip_prefix: bool,
    /// `[route.cors]` (the policy file's keys), or the file's `[cors]`.
    ///
    /// A route that uses no policy — `upstream_cors = "keep"` without `report_only` — needs
    /// neither: without both it holds [`allows_no_origin`], which is never consulted (the
    /// upstream answers CORS). Every other route without both is a problem.
    pub cors: Cors,
    /// `upstream_cors`: `"strip"` (default) or `"keep"`. Always [`UpstreamCors::Keep`] when
    /// `report_only` is set (the file may say `"keep"` or nothing; `"strip"` is a problem).
    pub upstream_cors: UpstreamCors,
    /// `report_only`: the upstream's own CORS answers stay in force (its headers are kept);
    /// where the route's policy would answer differently it is logged and counted (default
    /// false).
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

/// A gateway file that is valid, with what is worth a warning in it.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The configuration, every policy built.
    pub config: GatewayConfig,
    /// Valid, but worth a second look (a policy's wildcard under a public suffix, a route's
    /// policy that is never used...), each at its place, in file order.
    pub warnings: Vec<Problem>,
}

/// The policy of a route that uses none: it allows no origin (an origin predicate that
/// always says no stands in for `allow_origins`, which a policy cannot leave empty).
pub fn allows_no_origin() -> Cors {
    let policy = corsgate::Config::new().allow_origin_predicate(|_, _| false);
    match Cors::new(policy) {
        Ok(cors) => cors,
        // The library accepts a predicate in place of origins; should that ever change,
        // this says so at once in every test of a keep-route.
        Err(e) => unreachable!("a predicate-only policy is valid: {e}"),
    }
}

/// Does this TOML text look like a gateway file rather than a policy file? It does when it
/// has a `[server]` table or a `route` key at the top level, or, when it is not valid TOML,
/// a line that starts with `[server]` or `[[route]]` (its syntax errors are then reported
/// as a gateway file's). Decides which parser `corsgate validate` uses.
pub fn is_gateway_file(src: &str) -> bool {
    parse::is_gateway_file(src)
}

/// Whether a line of `src` starts with `[server]` or `[[route]]` (a look at the text
/// alone, for a file too large to parse).
pub(crate) fn mentions_gateway_tables(src: &str) -> bool {
    parse::mentions_gateway_tables(src)
}

/// Parses and validates a gateway file held in `src`; `Err` lists every problem, in file
/// order (those without a place last). Relative TLS paths stay as written.
pub fn check(src: &str) -> Result<GatewayConfig, Vec<Problem>> {
    check_with_warnings(src).map(|checked| checked.config)
}

/// [`check`], with the warnings: the policies' (as [`crate::policy::check`] gives them,
/// their keys prefixed with `cors.` or `route[N].cors.`) and the gateway's own.
pub fn check_with_warnings(src: &str) -> Result<Checked, Vec<Problem>> {
    parse::check(src)
}

/// Reads the gateway file at `path` (at most [`crate::policy::MAX_FILE_BYTES`]) and
/// validates it; relative TLS paths become relative to the file's directory.
pub fn load(path: &Path) -> Result<GatewayConfig, PolicyFileError> {
    load_checked(path).map(|checked| checked.config)
}

/// [`load`], with the warnings of [`check_with_warnings`].
pub fn load_checked(path: &Path) -> Result<Checked, PolicyFileError> {
    let (src, _) = crate::policy::read_text(path, Some(FileKind::Gateway))?;
    checked_at(path, &src)
}

/// The gateway file `src`, read from `path`, checked; relative TLS paths resolved.
pub(crate) fn checked_at(path: &Path, src: &str) -> Result<Checked, PolicyFileError> {
    let mut checked = check_with_warnings(src).map_err(|problems| PolicyFileError {
        file: path.to_owned(),
        kind: FileKind::Gateway,
        unreadable: None,
        problems,
    })?;
    if let Some(tls) = &mut checked.config.server.tls {
        let dir = path.parent().unwrap_or(Path::new(""));
        tls.cert = dir.join(&tls.cert);
        tls.key = dir.join(&tls.key);
    }
    Ok(checked)
}
