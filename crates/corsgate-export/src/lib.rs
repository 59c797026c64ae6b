//! corsgate policies compiled into the configuration of the proxies people run at their edge.
//!
//! `corsgate export --to nginx|caddy|haproxy|apache` is this crate behind a thin shell. From a
//! validated policy ([`corsgate::Cors`]) it writes either a snippet to include in an existing
//! server, or ([`Whole`]) a whole configuration that proxies to one upstream and runs as it is,
//! in the foreground, with every file it writes inside its own prefix.
//!
//! The configs decide every request as the library does (`docs/semantics.md`): origins
//! (exact, `*`, `*.` subdomains, `:*` ports) as anchored, escaped regular expressions;
//! preflights checked for method, headers and Private Network Access, answered by the edge
//! (the policy's status, or 403 with no CORS headers); the policy's headers on every other
//! response, error statuses included; the upstream's own CORS headers hidden; `Vary` merged.
//! Values come from the library's own answers ([`plan`]), so nothing is rendered twice.
//!
//! What a target cannot express is refused ([`Unsupported`]), never dropped. [`corpus`]
//! generates the browser-shaped requests that prove a config equivalent to the library.
//!
//! Pure: no I/O, no runtime; text in, text out.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::net::SocketAddr;

use corsgate::Cors;

mod apache;
mod caddy;
pub mod corpus;
mod haproxy;
mod nginx;
pub mod plan;
pub mod regex;

pub use plan::Plan;

/// A server whose configuration corsgate writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// nginx (`map` blocks and a `location` body; `add_header ... always`).
    Nginx,
    /// Caddy 2 (a Caddyfile: named matchers, `header`, `respond`).
    Caddy,
    /// HAProxy 2.x (ACLs, `http-request return`, `http-after-response`).
    Haproxy,
    /// Apache httpd 2.4 (`mod_headers`, `mod_rewrite`, `mod_setenvif` expressions).
    Apache,
}

impl Target {
    /// Every target, in the order the docs list them.
    pub const ALL: [Target; 4] = [
        Target::Nginx,
        Target::Caddy,
        Target::Haproxy,
        Target::Apache,
    ];

    /// The name `--to` takes.
    pub fn name(self) -> &'static str {
        match self {
            Target::Nginx => "nginx",
            Target::Caddy => "caddy",
            Target::Haproxy => "haproxy",
            Target::Apache => "apache",
        }
    }

    /// The target `--to` names, if any.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The file name a whole config is written to (the commands in its header use it).
    pub fn file_name(self) -> &'static str {
        match self {
            Target::Nginx => "nginx.conf",
            Target::Caddy => "Caddyfile",
            Target::Haproxy => "haproxy.cfg",
            Target::Apache => "apache2.conf",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A policy feature a target's config cannot carry: refused, never silently dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// The feature, as the policy file spells it.
    pub feature: String,
    /// The target.
    pub target: Target,
    /// Why, and what to do.
    pub why: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot export {} to {}: {}.",
            self.feature, self.target, self.why
        )
    }
}

impl std::error::Error for Unsupported {}

/// A whole configuration: the server listens on `listen` and proxies everything to
/// `upstream`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Whole {
    /// Where the server listens (an IP address and a port).
    pub listen: SocketAddr,
    /// The upstream: `http://host[:port]`, validated by the caller (no path, query or user
    /// information).
    pub upstream: Upstream,
}

/// The upstream a whole configuration proxies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// `http` or `https`.
    pub scheme: String,
    /// The host name or IP address (IPv6 in brackets).
    pub host: String,
    /// The port.
    pub port: u16,
}

impl Upstream {
    /// Parses `http://host[:port]` or `https://host[:port]` (an optional trailing `/`);
    /// anything else gets a message saying what to write.
    pub fn parse(s: &str) -> Result<Upstream, String> {
        let bad = |why: &str| {
            format!("--upstream '{s}' {why}: give http://HOST:PORT, e.g. http://127.0.0.1:3000")
        };
        let (scheme, rest) = s.split_once("://").ok_or_else(|| bad("has no scheme"))?;
        let default = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return Err(bad("is not http: or https:")),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty()
            || rest.contains(['/', '?', '#', '@', ' ', '"', '\'', '\\', '{', '}', ';'])
        {
            return Err(bad("has a path, query, user name or odd character"));
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !p.contains(']') => (
                h,
                p.parse::<u16>()
                    .ok()
                    .filter(|&p| p > 0)
                    .ok_or_else(|| bad("has a bad port"))?,
            ),
            _ => (rest, default),
        };
        if host.is_empty() || !host.is_ascii() {
            return Err(bad("has no host"));
        }
        Ok(Upstream {
            scheme: scheme.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// `host:port`.
    pub fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// `scheme://host:port`.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.authority())
    }
}

/// The config for `cors` on `target`: a snippet, or with `whole` a whole configuration.
pub fn export(cors: &Cors, target: Target, whole: Option<&Whole>) -> Result<String, Unsupported> {
    let plan = Plan::new(cors, target)?;
    Ok(match target {
        Target::Nginx => nginx::render(&plan, whole),
        Target::Caddy => caddy::render(&plan, whole),
        Target::Haproxy => haproxy::render(&plan, whole),
        Target::Apache => apache::render(&plan, whole),
    })
}

/// The comment lines every config starts with: what it is and which policy.
fn preamble(plan: &Plan, target: Target, comment: &str) -> String {
    let mut s = String::new();
    let mut line = |t: &str| {
        s.push_str(comment);
        if !t.is_empty() {
            s.push(' ');
            s.push_str(t);
        }
        s.push('\n');
    };
    line(&format!(
        "CORS for {}, written by `corsgate export --to {target}`.",
        plan.origins_text()
    ));
    line("The same answers as corsgate's own layer for the same policy (docs/export.md):");
    line("preflights are answered here (the policy's status, or 403 and no CORS headers when");
    line("refused); every other response, error statuses included, gets the policy's headers;");
    line("the upstream's own Access-Control-* headers are hidden and `Vary` is merged.");
    line("Check a running server against corsgate's layer with `corsgate export --check`.");
    s
}

#[cfg(test)]
mod tests;

/// A request the target answers in a way of its own before its configuration is read, so
/// the config cannot make it match the library: `None` for every other request. A page
/// call from the corpus with such a method is reported as a known difference (with this
/// reason), not compared.
pub fn known_difference(target: Target, method: &str) -> Option<&'static str> {
    (target == Target::Nginx && method.bytes().any(|b| !b.is_ascii_uppercase() && b != b'_'))
        .then_some(
            "nginx answers 400 to a method that is not upper case (its request-line parser \
             takes A-Z and _ only), before any configuration applies, so without CORS headers",
        )
}

/// The server-wide part of a standalone Apache config (modules, runtime files inside the
/// server root): what a whole Apache config starts with.
pub fn apache_base() -> String {
    apache::base()
}
