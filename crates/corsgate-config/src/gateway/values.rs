//! The gateway file's string values that have a syntax of their own — listen addresses, path prefixes, hosts, upstream URLs — each checked, or the problem with its fix.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// `listen` or `admin_listen` (`key`): an IP socket address. `Err`: the message.
pub(super) fn address(s: &str, key: &str) -> Result<SocketAddr, String> {
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    let port: u16 = if key == "listen" { 8080 } else { 9090 };
    let example = format!("127.0.0.1:{port}");
    if let Some((_, rest)) = s.split_once("://") {
        let hostport = rest.split('/').next().unwrap_or(rest);
        let fix = match hostport.parse::<SocketAddr>() {
            Ok(a) => a.to_string(),
            Err(_) => example,
        };
        return Err(format!(
            "{s:?} is a URL: {key} takes an IP address and port. Write it like: {key} = \"{fix}\""
        ));
    }
    let bracketed = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.parse::<Ipv6Addr>().ok());
    if let Some(ip) = s.parse::<IpAddr>().ok().or(bracketed.map(IpAddr::V6)) {
        let fix = SocketAddr::new(ip, port);
        return Err(format!(
            "{s:?} has no port. Write it like: {key} = \"{fix}\""
        ));
    }
    let (host, given_port) = match s.rsplit_once(':') {
        Some((host, p)) => (host, Some(p)),
        None => (s, None),
    };
    let ip_host = host.parse::<IpAddr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .is_some_and(|r| r.parse::<Ipv6Addr>().is_ok());
    if ip_host {
        return Err(format!(
            "{s:?}: the port must be a number from 0 to 65535. Write it like: {key} = \
             \"{host}:{port}\""
        ));
    }
    let name = !host.is_empty()
        && host.chars().any(|c| c.is_ascii_alphabetic())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if name {
        let port = given_port
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or(port);
        let fix = if host.eq_ignore_ascii_case("localhost") {
            format!("{key} = \"127.0.0.1:{port}\" (or \"[::1]:{port}\" for IPv6)")
        } else {
            format!(
                "{key} = \"127.0.0.1:{port}\" (this machine only) or {key} = \"0.0.0.0:{port}\" \
                 (every interface)"
            )
        };
        return Err(format!(
            "{s:?} is a host name: {key} takes an IP address (names are not looked up). Write \
             it like: {fix}"
        ));
    }
    Err(format!(
        "{s:?} is not an IP address and port. Write it like: {key} = \"{example}\" (IPv6 in \
         brackets: \"[::1]:{port}\")"
    ))
}

/// `path_prefix`: a path as clients send it. `Err`: the message.
pub(super) fn path_prefix(s: &str) -> Result<(), String> {
    let fix = fixed_path(s);
    let write = format!("Write it like: path_prefix = \"{fix}\"");
    if !s.starts_with('/') {
        return Err(format!("{s:?} must start with \"/\". {write}"));
    }
    if s.contains(['?', '#']) {
        return Err(format!(
            "{s:?} has a query or fragment (\"?\" or \"#\"): a path prefix is a path only. \
             {write}"
        ));
    }
    if let Some(c) = first_not_in_path(s) {
        return Err(format!(
            "{s:?} has a character request paths cannot hold ({c:?}): percent-encode it. \
             {write}"
        ));
    }
    let segments: Vec<&str> = s[1..].split('/').collect();
    if segments.iter().any(|seg| *seg == "." || *seg == "..") {
        return Err(format!(
            "{s:?} has a \".\" or \"..\" segment, which clients resolve before sending: it \
             would never match. {write}"
        ));
    }
    let (last, inner) = segments.split_last().unwrap_or((&"", &[]));
    if inner.iter().any(|seg| seg.is_empty()) {
        return Err(format!("{s:?} has an empty segment (\"//\"). {write}"));
    }
    if last.is_empty() && !inner.is_empty() {
        return Err(format!(
            "{s:?} ends with \"/\". Write it without: path_prefix = \"{fix}\" matches {fix} \
             and every path below it."
        ));
    }
    Ok(())
}

/// `s` made a valid path prefix: cut at `?` or `#`, characters outside paths
/// percent-encoded, `.`, `..` and empty segments resolved, no trailing `/`.
fn fixed_path(s: &str) -> String {
    let path = s.split(['?', '#']).next().unwrap_or_default();
    let mut encoded = String::new();
    let bytes = path.as_bytes();
    for (i, c) in path.char_indices() {
        if in_path(c) && (c != '%' || pct_encoded(bytes, i)) {
            encoded.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in encoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            seg => out.push(seg),
        }
    }
    let joined = out.join("/");
    if joined.is_empty() {
        return if path.is_empty() || path == "/" {
            "/".to_owned()
        } else {
            "/api".to_owned()
        };
    }
    format!("/{joined}")
}

/// Can `c` stand in a request path as it is (RFC 3986 `pchar` or `/`; `%` when it starts
/// a `%XX`)?
fn in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c)
}

/// Does the `%` at `bytes[i]` start a `%XX`?
fn pct_encoded(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
}

/// The first character of `s` a request path cannot hold as it is.
fn first_not_in_path(s: &str) -> Option<char> {
    let bytes = s.as_bytes();
    s.char_indices()
        .find(|&(i, c)| !in_path(c) || (c == '%' && !pct_encoded(bytes, i)))
        .map(|(_, c)| c)
}

/// `host`: a host name or IP address, lowercased. `Err`: the message.
pub(super) fn host(s: &str) -> Result<String, String> {
    let example = "Write it like: host = \"api.example.com\"";
    if let Some((_, rest)) = s.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let fix = host(authority)
            .or_else(|_| host(authority.rsplit_once(':').map_or(authority, |(h, _)| h)))
            .unwrap_or_else(|_| "api.example.com".to_owned());
        return Err(format!(
            "{s:?} is a URL: host takes the host name alone. Write it like: host = \"{fix}\""
        ));
    }
    let lower = s.to_ascii_lowercase();
    if let Some(inner) = lower.strip_prefix('[') {
        if let Some((ip, after)) = inner.split_once(']') {
            if ip.parse::<Ipv6Addr>().is_ok() {
                if after.is_empty() {
                    return Ok(lower);
                }
                if after.starts_with(':') {
                    return Err(has_port(s, &format!("[{ip}]")));
                }
            }
        }
        return Err(format!("{s:?} is not a host name. {example}"));
    }
    if lower.parse::<Ipv6Addr>().is_ok() {
        return Err(format!(
            "{s:?}: an IPv6 address goes in brackets, as in a Host header. Write it like: host \
             = \"[{lower}]\""
        ));
    }
    if let Some((name, port)) = lower.rsplit_once(':') {
        if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && host(name).is_ok() {
            return Err(has_port(s, name));
        }
    }
    if !s.is_ascii() {
        return Err(format!(
            "{s:?} is not ASCII: write an internationalized name as browsers send it, in its \
             xn-- form (punycode). Write it like: host = \"xn--bcher-kva.example\""
        ));
    }
    let valid = lower.split('.').all(|label| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if !valid {
        return Err(format!(
            "{s:?} is not a host name (letters, digits, \"-\" and \".\" only; no wildcards). \
             {example}"
        ));
    }
    Ok(lower)
}

/// A host with a port.
fn has_port(s: &str, name: &str) -> String {
    format!(
        "{s:?} has a port: a route matches its host whatever the port. Write it like: host = \
         \"{name}\""
    )
}

/// `upstream`: an `http` or `https` URL, with a host, an optional port and base path, and
/// nothing else. `Err`: the message.
pub(super) fn upstream(s: &str) -> Result<http::Uri, String> {
    let example = "http://127.0.0.1:3000";
    let Some((scheme, rest)) = s.split_once("://") else {
        let fix = if s.is_empty() || s.contains(char::is_whitespace) {
            example.to_owned()
        } else {
            format!("http://{s}")
        };
        return Err(format!(
            "{s:?} has no scheme. Write it like: upstream = \"{fix}\""
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!(
            "{s:?}: the scheme must be http or https. Write it like: upstream = \"http://{rest}\""
        ));
    }
    if let Some(i) = s.find(['?', '#']) {
        return Err(format!(
            "{s:?} has a query or fragment, which the gateway does not pass on: give the base \
             URL alone. Write it like: upstream = \"{}\"",
            &s[..i]
        ));
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if let Some((user, host)) = authority.rsplit_once('@') {
        return Err(format!(
            "{s:?} has a user name or password ({:?}), which the gateway does not send: write \
             it without. Write it like: upstream = \"{scheme}://{host}{path}\"",
            format!("{user}@")
        ));
    }
    if authority.is_empty() {
        return Err(format!(
            "{s:?} has no host. Write it like: upstream = \"{scheme}://127.0.0.1:3000{path}\""
        ));
    }
    let uri: http::Uri = s.parse().map_err(|e| {
        format!("{s:?} is not a valid URL ({e}). Write it like: upstream = \"{example}\"")
    })?;
    // The port as written, after the host (and after an IPv6 literal's `]`).
    let after_host = authority
        .rsplit_once(']')
        .map_or(authority, |(_, rest)| rest);
    let port = after_host.rsplit_once(':').map(|(_, port)| port);
    if port.is_some_and(|p| p.parse::<u16>().is_err() || p.parse::<u16>() == Ok(0)) {
        let host = uri.host().unwrap_or("127.0.0.1");
        return Err(format!(
            "{s:?}: the port must be a number from 1 to 65535. Write it like: upstream = \
             \"{scheme}://{host}:3000{path}\""
        ));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            address("[::1]:8080", "listen"),
            Ok(SocketAddr::from((Ipv6Addr::LOCALHOST, 8080)))
        );
        assert_eq!(
            address("localhost:8081", "listen").unwrap_err(),
            "\"localhost:8081\" is a host name: listen takes an IP address (names are not \
             looked up). Write it like: listen = \"127.0.0.1:8081\" (or \"[::1]:8081\" for IPv6)"
        );
        assert_eq!(
            address("::1", "admin_listen").unwrap_err(),
            "\"::1\" has no port. Write it like: admin_listen = \"[::1]:9090\""
        );
        assert_eq!(
            address("http://127.0.0.1:80/", "listen").unwrap_err(),
            "\"http://127.0.0.1:80/\" is a URL: listen takes an IP address and port. Write it \
             like: listen = \"127.0.0.1:80\""
        );
        assert_eq!(
            address("127.0.0.1:99999", "listen").unwrap_err(),
            "\"127.0.0.1:99999\": the port must be a number from 0 to 65535. Write it like: \
             listen = \"127.0.0.1:8080\""
        );
        assert!(address("", "listen")
            .unwrap_err()
            .starts_with("\"\" is not an IP address and port."));
    }

    #[test]
    fn path_prefixes() {
        for ok in ["/", "/api", "/api/v1", "/a%20b", "/~user/x@y:z"] {
            assert_eq!(path_prefix(ok), Ok(()), "{ok}");
        }
        let fix = |s: &str| fixed_path(s);
        assert_eq!(fix("api/"), "/api");
        assert_eq!(fix("/a b/ü"), "/a%20b/%C3%BC");
        assert_eq!(fix("/a/./b/../c//d/"), "/a/c/d");
        assert_eq!(fix("/50%"), "/50%25");
        assert_eq!(fix(""), "/");
        assert_eq!(fix("/.."), "/api");
        assert_eq!(fix("/x?y#z"), "/x");
    }

    #[test]
    fn hosts() {
        assert_eq!(host("API.Example.COM"), Ok("api.example.com".to_owned()));
        assert_eq!(host("[::1]"), Ok("[::1]".to_owned()));
        assert_eq!(host("127.0.0.1"), Ok("127.0.0.1".to_owned()));
        assert!(host("[::1]:80").unwrap_err().contains("host = \"[::1]\""));
        assert!(host("::1").unwrap_err().contains("host = \"[::1]\""));
        assert!(host("https://a.example:8443/x")
            .unwrap_err()
            .ends_with("host = \"a.example\""));
        assert!(host("*.example.com").unwrap_err().contains("no wildcards"));
        assert!(host("a..b").is_err());
        assert!(host("").is_err());
        assert!(host("bücher.example").unwrap_err().contains("xn--"));
    }

    #[test]
    fn upstreams() {
        let u = upstream("https://api.internal:8443/base").unwrap();
        assert_eq!(u.scheme_str(), Some("https"));
        assert_eq!(u.port_u16(), Some(8443));
        assert_eq!(u.path(), "/base");
        assert_eq!(
            upstream("http://u:p@h/x").unwrap_err(),
            "\"http://u:p@h/x\" has a user name or password (\"u:p@\"), which the gateway does \
             not send: write it without. Write it like: upstream = \"http://h/x\""
        );
        assert!(upstream("http://h:0")
            .unwrap_err()
            .contains("the port must be"));
        assert!(upstream("http://h:70000").is_err());
        assert!(upstream("http://h:").is_err());
        assert!(upstream("http://a b")
            .unwrap_err()
            .contains("is not a valid URL"));
        assert!(upstream("http:///x").unwrap_err().contains("has no host"));
    }
}
