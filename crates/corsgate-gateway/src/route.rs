//! The routing table: which configured route (if any) a request's host and path go to, and the upstream URI for it.

use std::sync::Arc;

use corsgate::Cors;
use corsgate_config::gateway::{GatewayConfig, RouteConfig, UpstreamCors};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::Uri;

use crate::metrics::{Metrics, RouteMetrics};

/// One route, ready to serve.
#[derive(Debug)]
pub struct Route {
    /// As configured.
    pub config: RouteConfig,
    /// The name used in logs and metrics: `host` + `path_prefix` (`api.example.com/v1`, `/`).
    pub name: String,
    /// The upstream's scheme and authority, and its base path without a trailing `/`.
    pub scheme: Scheme,
    /// See `scheme`.
    pub authority: Authority,
    /// See `scheme`.
    pub base_path: String,
    /// This route's counters, created once.
    pub metrics: RouteMetrics,
    /// The `Host` the upstream gets (its authority), made once.
    pub host_header: http::HeaderValue,
}

impl Route {
    /// Does the gateway's policy answer for this route (not the upstream's)?
    pub fn enforces(&self) -> bool {
        self.config.upstream_cors == UpstreamCors::Strip && !self.config.report_only
    }

    /// The policy of this route.
    pub fn cors(&self) -> &Cors {
        &self.config.cors
    }

    /// The upstream URI for a request's URI that matched this route: the request's path
    /// and query as they are when there is nothing to strip or prepend (no copy).
    pub fn upstream_uri_for(&self, uri: &Uri) -> Option<Uri> {
        let stripping = self.config.strip_prefix && self.config.path_prefix != "/";
        if self.base_path.is_empty() && !stripping {
            let mut parts = http::uri::Parts::default();
            parts.scheme = Some(self.scheme.clone());
            parts.authority = Some(self.authority.clone());
            parts.path_and_query = Some(
                uri.path_and_query()
                    .cloned()
                    .unwrap_or_else(|| PathAndQuery::from_static("/")),
            );
            return Uri::from_parts(parts).ok();
        }
        self.upstream_uri(uri.path_and_query().map_or("/", |p| p.as_str()))
    }

    /// The upstream URI for a request path (and query) that matched this route.
    pub fn upstream_uri(&self, path_and_query: &str) -> Option<Uri> {
        let rest = if self.config.strip_prefix && self.config.path_prefix != "/" {
            let rest = &path_and_query[self.config.path_prefix.len()..];
            if rest.is_empty() || rest.starts_with('?') {
                // "/api?x" → "/?x"
                let mut s = String::with_capacity(rest.len() + 1);
                s.push('/');
                s.push_str(rest);
                return self.join(&s);
            }
            rest
        } else {
            path_and_query
        };
        self.join(rest)
    }

    fn join(&self, rest: &str) -> Option<Uri> {
        let mut pq = String::with_capacity(self.base_path.len() + rest.len());
        pq.push_str(&self.base_path);
        pq.push_str(rest);
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(PathAndQuery::try_from(pq).ok()?)
            .build()
            .ok()
    }
}

/// Every route of one configuration, and its default policy. Replaced whole on reload.
#[derive(Debug)]
pub struct Table {
    /// Longest prefix first; for one prefix, routes with a host first.
    pub routes: Vec<Arc<Route>>,
    /// `[cors]`: for requests no route takes (their 404 carries its headers).
    pub default_cors: Option<Cors>,
    /// The configuration it was built from.
    pub config: GatewayConfig,
    /// Whether any route names a `host` (when none does, a request's host is not looked at).
    pub has_hosts: bool,
}

impl Table {
    /// The table of a validated configuration.
    pub fn new(config: GatewayConfig, metrics: &Metrics) -> Self {
        let mut routes: Vec<Arc<Route>> = config
            .routes
            .iter()
            .map(|r| {
                let name = format!("{}{}", r.host.as_deref().unwrap_or(""), r.path_prefix);
                let parts = r.upstream.clone().into_parts();
                let base_path = parts
                    .path_and_query
                    .as_ref()
                    .map(|p| p.path().trim_end_matches('/').to_owned())
                    .unwrap_or_default();
                let authority = parts
                    .authority
                    .unwrap_or_else(|| Authority::from_static("invalid.invalid"));
                let host_header = http::HeaderValue::from_str(authority.as_str())
                    .unwrap_or_else(|_| http::HeaderValue::from_static("invalid.invalid"));
                Arc::new(Route {
                    metrics: metrics.route(&name),
                    name,
                    scheme: parts.scheme.unwrap_or(Scheme::HTTP),
                    host_header,
                    authority,
                    base_path,
                    config: r.clone(),
                })
            })
            .collect();
        routes.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.config.path_prefix.len()),
                r.config.host.is_none(),
            )
        });
        Table {
            has_hosts: routes.iter().any(|r| r.config.host.is_some()),
            routes,
            default_cors: config.default_cors.clone(),
            config,
        }
    }

    /// The route for a request to `host` (lowercase, no port; `None` when the request named
    /// none) and `path`.
    pub fn find(&self, host: Option<&str>, path: &str) -> Option<&Arc<Route>> {
        self.routes.iter().find(|r| {
            let host_ok = match (&r.config.host, host) {
                (None, _) => true,
                (Some(want), Some(got)) => want == got,
                (Some(_), None) => false,
            };
            host_ok && prefix_matches(&r.config.path_prefix, path)
        })
    }
}

/// `/api` matches `/api`, `/api/` and `/api/x`, not `/apix`; `/` matches every path.
pub fn prefix_matches(prefix: &str, path: &str) -> bool {
    if prefix == "/" {
        return true;
    }
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// Does `path` have a `.` or `..` segment, written plainly or percent-encoded? Such a path
/// could leave a route's prefix once the upstream resolves it (`/api/../admin`).
pub fn has_dot_segment(path: &str) -> bool {
    // Most paths have neither a dot nor a percent sign: one pass over the bytes says so.
    if !path.bytes().any(|b| b == b'.' || b == b'%') {
        return false;
    }
    path.split('/').any(|seg| {
        let mut s = seg;
        let mut dots = 0;
        while !s.is_empty() {
            if let Some(rest) = s.strip_prefix('.') {
                s = rest;
            } else if s.len() >= 3 && s[..3].eq_ignore_ascii_case("%2e") {
                s = &s[3..];
            } else {
                return false;
            }
            dots += 1;
        }
        dots == 1 || dots == 2
    })
}

/// The host a request is for, lowercase and without port: the URI's authority (HTTP/2,
/// absolute-form), else the `Host` header.
pub fn request_host<B>(req: &http::Request<B>) -> Option<String> {
    let raw = match req.uri().authority() {
        Some(a) => a.host().to_owned(),
        None => {
            let value = req.headers().get(http::header::HOST)?.to_str().ok()?;
            let authority: Authority = value.parse().ok()?;
            authority.host().to_owned()
        }
    };
    Some(raw.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_at_segment_boundaries() {
        assert!(prefix_matches("/api", "/api"));
        assert!(prefix_matches("/api", "/api/"));
        assert!(prefix_matches("/api", "/api/users"));
        assert!(!prefix_matches("/api", "/apix"));
        assert!(!prefix_matches("/api", "/"));
        assert!(prefix_matches("/", "/anything"));
    }

    #[test]
    fn dot_segments_are_found_in_any_spelling() {
        for p in [
            "/api/../admin",
            "/api/./x",
            "/api/%2e%2e/admin",
            "/api/.%2E/admin",
            "/..",
            "/api/%2E",
        ] {
            assert!(has_dot_segment(p), "{p}");
        }
        for p in [
            "/api/...",
            "/api/.hidden",
            "/api/x..y",
            "/",
            "/api/%2e%2e%2e",
        ] {
            assert!(!has_dot_segment(p), "{p}");
        }
    }

    #[test]
    fn the_host_comes_from_the_uri_or_the_host_header() {
        let req = http::Request::get("/x")
            .header("host", "API.Example.com:8443")
            .body(())
            .unwrap();
        assert_eq!(request_host(&req).as_deref(), Some("api.example.com"));
        let req = http::Request::get("http://[::1]:9/x").body(()).unwrap();
        assert_eq!(request_host(&req).as_deref(), Some("[::1]"));
        let req = http::Request::get("/x").body(()).unwrap();
        assert_eq!(request_host(&req), None);
    }
}
