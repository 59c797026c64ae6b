//! Header rewriting on the way through: hop-by-hop headers out, `X-Forwarded-*` and `Via` in, the upstream's CORS headers out.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::Version;

/// The hop-by-hop headers of RFC 9110 §7.6.1 (and the old `Keep-Alive`, `Proxy-Connection`):
/// they describe one connection and never go past a proxy. A `static`, made once (a `const`
/// array would be built and dropped at every use).
static HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
];

/// Names made at compile time: `from_static` at run time checks every byte, every request.
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const HTTPS: HeaderValue = HeaderValue::from_static("https");
const HTTP: HeaderValue = HeaderValue::from_static("http");
const VIA_2: HeaderValue = HeaderValue::from_static("2 corsgate");
const VIA_1_0: HeaderValue = HeaderValue::from_static("1.0 corsgate");
const VIA_1_1: HeaderValue = HeaderValue::from_static("1.1 corsgate");

/// Is this an HTTP/1.1 upgrade request (`Connection: upgrade` and an `Upgrade` header)?
pub fn wants_upgrade(headers: &HeaderMap) -> bool {
    headers.contains_key(header::UPGRADE) && connection_has(headers, "upgrade")
}

fn connection_has(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Removes the hop-by-hop headers and those `Connection` names. With `upgrade`, `Upgrade`
/// stays and `Connection: upgrade` is written back (the upgrade is passed on).
pub fn remove_hop_by_hop(headers: &mut HeaderMap, upgrade: bool) {
    // Most messages have none of them: one look at each of their few names costs less than
    // a hashed removal of each of ours.
    if !upgrade
        && !headers
            .keys()
            .any(|n| *n == header::UPGRADE || HOP_BY_HOP.contains(n))
    {
        return;
    }
    if headers.contains_key(header::CONNECTION) {
        let named: Vec<HeaderName> = headers
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|t| HeaderName::from_bytes(t.trim().as_bytes()).ok())
            .collect();
        for name in named {
            if !(upgrade && name == header::UPGRADE) {
                headers.remove(&name);
            }
        }
    }
    for name in HOP_BY_HOP.iter() {
        headers.remove(name);
    }
    if upgrade {
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    } else {
        headers.remove(header::UPGRADE);
    }
}

/// The client's address as `X-Forwarded-For` writes it, made once per connection.
pub fn client_ip_value(client_ip: std::net::IpAddr) -> HeaderValue {
    HeaderValue::try_from(client_ip.to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

/// Adds the client (`client_ip`, from [`client_ip_value`]) to `X-Forwarded-For` (after what
/// earlier proxies wrote), and sets `X-Forwarded-Proto` and `X-Forwarded-Host` to what this
/// client asked for; adds this hop to `Via`.
pub fn add_forwarded(
    headers: &mut HeaderMap,
    client_ip: &HeaderValue,
    tls: bool,
    host: Option<&HeaderValue>,
    version: Version,
) {
    let earlier = headers.get(X_FORWARDED_FOR).and_then(|v| v.to_str().ok());
    let joined = match earlier.map(str::as_bytes) {
        Some(earlier) if !earlier.trim_ascii().is_empty() => {
            let mut v = Vec::with_capacity(earlier.len() + 2 + client_ip.len());
            v.extend_from_slice(earlier);
            v.extend_from_slice(b", ");
            v.extend_from_slice(client_ip.as_bytes());
            HeaderValue::from_bytes(&v).ok()
        }
        _ => Some(client_ip.clone()),
    };
    if let Some(v) = joined {
        headers.insert(X_FORWARDED_FOR, v);
    }
    headers.insert(X_FORWARDED_PROTO, if tls { HTTPS } else { HTTP });
    match host {
        Some(h) => {
            headers.insert(X_FORWARDED_HOST, h.clone());
        }
        None => {
            headers.remove(X_FORWARDED_HOST);
        }
    }
    add_via(headers, version);
}

/// Adds this hop to `Via`, received over `version`.
pub fn add_via(headers: &mut HeaderMap, version: Version) {
    let hop = match version {
        Version::HTTP_2 => VIA_2,
        Version::HTTP_10 => VIA_1_0,
        _ => VIA_1_1,
    };
    headers.append(header::VIA, hop);
}

/// Removes the upstream's CORS headers (every `Access-Control-*`) and the `Origin` in its
/// `Vary`, so the gateway's own are never doubled or contradicted.
pub fn strip_upstream_cors(headers: &mut HeaderMap) {
    let cors: Vec<HeaderName> = headers
        .keys()
        .filter(|n| n.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for name in cors {
        headers.remove(name);
    }
    if !headers.contains_key(header::VARY) {
        return;
    }
    let kept: Vec<String> = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("origin"))
        .map(str::to_owned)
        .collect();
    headers.remove(header::VARY);
    if !kept.is_empty() {
        if let Ok(v) = HeaderValue::try_from(kept.join(", ")) {
            headers.insert(header::VARY, v);
        }
    }
}

/// The size of a request head as the limit counts it: every header's name and value.
pub fn head_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(lines: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (n, v) in lines {
            m.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        m
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_go() {
        let mut m = map(&[
            ("connection", "keep-alive, x-secret"),
            ("x-secret", "1"),
            ("keep-alive", "timeout=5"),
            ("te", "trailers"),
            ("upgrade", "websocket"),
            ("content-type", "text/plain"),
        ]);
        remove_hop_by_hop(&mut m, false);
        let names: Vec<&str> = m.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["content-type"]);
    }

    #[test]
    fn an_upgrade_keeps_upgrade_and_connection_upgrade() {
        let mut m = map(&[("connection", "Upgrade"), ("upgrade", "websocket")]);
        assert!(wants_upgrade(&m));
        remove_hop_by_hop(&mut m, true);
        assert_eq!(m["upgrade"], "websocket");
        assert_eq!(m["connection"], "upgrade");
    }

    #[test]
    fn forwarded_headers_append_the_client() {
        let mut m = map(&[("x-forwarded-for", "203.0.113.9"), ("via", "1.1 cdn")]);
        add_forwarded(
            &mut m,
            &client_ip_value("127.0.0.1".parse().unwrap()),
            false,
            Some(&HeaderValue::from_static("api.example.com")),
            Version::HTTP_11,
        );
        assert_eq!(m["x-forwarded-for"], "203.0.113.9, 127.0.0.1");
        assert_eq!(m["x-forwarded-proto"], "http");
        assert_eq!(m["x-forwarded-host"], "api.example.com");
        let via: Vec<_> = m.get_all("via").iter().collect();
        assert_eq!(via, ["1.1 cdn", "1.1 corsgate"]);
    }

    #[test]
    fn upstream_cors_goes_and_vary_keeps_the_rest() {
        let mut m = map(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET"),
            ("vary", "Origin, Accept-Encoding"),
            ("vary", "origin"),
            ("content-type", "application/json"),
        ]);
        strip_upstream_cors(&mut m);
        assert!(!m.contains_key("access-control-allow-origin"));
        assert!(!m.contains_key("access-control-allow-methods"));
        assert_eq!(m["vary"], "Accept-Encoding");
        let mut m = map(&[("vary", "Origin")]);
        strip_upstream_cors(&mut m);
        assert!(!m.contains_key("vary"));
    }
}
