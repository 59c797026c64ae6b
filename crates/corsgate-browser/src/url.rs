//! A minimal URL splitter: just enough of the WHATWG URL standard for CORS.
//!
//! CORS needs four things from a URL: its scheme, host and port (the origin, to decide
//! same-origin vs cross-origin and what goes in `Origin`), whether it carries a username or
//! password (a redirect to such a URL is refused), and its canonical text (Chrome prints it in
//! every console message). This module parses absolute URLs and resolves `Location` references
//! against the current URL; it does not try to be a general URL library (no IPv4 number
//! shorthands, no percent-decoding of hosts).
//!
//! The canonical form follows what Chrome prints: scheme and host lower-cased, a non-ASCII
//! host converted to punycode, the scheme's default port dropped, an empty path of an HTTP(S)
//! URL written `/`, dot segments removed, and spaces and non-ASCII bytes in the path and query
//! percent-encoded.

use std::fmt;

/// Why a string is not a URL this module can work with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme:` prefix, so the string is not an absolute URL.
    MissingScheme,
    /// An HTTP(S)-like URL without a host (`http:///x`).
    EmptyHost,
    /// The host has a character no host may contain (space, `<`, `^`, ...), or failed IDNA.
    InvalidHost,
    /// The port is not a number from 0 to 65535.
    InvalidPort,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::MissingScheme => "not an absolute URL (no scheme)",
            UrlError::EmptyHost => "the URL has no host",
            UrlError::InvalidHost => "the URL's host is not valid",
            UrlError::InvalidPort => "the URL's port is not a number from 0 to 65535",
        })
    }
}

impl std::error::Error for UrlError {}

/// The default port of a special scheme, which a canonical URL leaves out.
use corsgate_fetch::default_port;

/// Special schemes have an authority (`//host:port`); every other scheme is opaque here.
fn is_special(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

/// A parsed absolute URL.
///
/// Kept as parts rather than one string so CORS can compare origins and spot credentials
/// without re-parsing; [`Url::as_str`] gives the canonical text Chrome prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    serialized: String,
    scheme: String,
    has_credentials: bool,
    host: String,
    port: Option<u16>,
}

impl Url {
    /// Parses an absolute URL (leading and trailing spaces and control characters are ignored,
    /// as browsers do).
    pub fn parse(input: &str) -> Result<Url, UrlError> {
        let input = input.trim_matches(|c: char| c <= ' ');
        let input: String = input
            .chars()
            .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let (scheme, rest) = split_scheme(&input).ok_or(UrlError::MissingScheme)?;
        if is_special(&scheme) {
            let rest = rest.trim_start_matches(['/', '\\']);
            Self::from_authority_and_rest(&scheme, rest)
        } else {
            Ok(Url {
                serialized: format!("{scheme}:{rest}"),
                scheme,
                has_credentials: false,
                host: String::new(),
                port: None,
            })
        }
    }

    /// Builds a special-scheme URL from `authority/path?query#fragment` (no leading slashes).
    fn from_authority_and_rest(scheme: &str, rest: &str) -> Result<Url, UrlError> {
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let has_credentials = userinfo.is_some_and(|u| !u.is_empty() && u != ":");
        let (host, port) = split_host_port(hostport)?;
        let host = canonical_host(host)?;
        if host.is_empty() && scheme != "file" {
            return Err(UrlError::EmptyHost);
        }
        let port = match port {
            None | Some("") => None,
            Some(p) => {
                if !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(UrlError::InvalidPort);
                }
                let n: u32 = p
                    .trim_start_matches('0')
                    .parse()
                    .or_else(|_| {
                        if p.bytes().all(|b| b == b'0') {
                            Ok(0)
                        } else {
                            Err(())
                        }
                    })
                    .map_err(|()| UrlError::InvalidPort)?;
                let n = u16::try_from(n).map_err(|_| UrlError::InvalidPort)?;
                (Some(n) != default_port(scheme)).then_some(n)
            }
        };
        let (path, query, fragment) = split_path_query_fragment(tail);
        let path = canonical_path(&path.replace('\\', "/"));
        let mut serialized = format!("{scheme}://");
        if let Some(u) = userinfo.filter(|_| has_credentials) {
            serialized.push_str(&encode(u, |c| c <= ' ' || c == '"' || c == '<' || c == '>'));
            serialized.push('@');
        }
        serialized.push_str(&host);
        if let Some(p) = port {
            serialized.push(':');
            serialized.push_str(&p.to_string());
        }
        serialized.push_str(&path);
        if let Some(q) = query {
            serialized.push('?');
            serialized.push_str(&encode(q, |c| {
                c <= ' ' || matches!(c, '"' | '#' | '<' | '>' | '\'')
            }));
        }
        if let Some(f) = fragment {
            serialized.push('#');
            serialized.push_str(&encode(f, |c| {
                c <= ' ' || matches!(c, '"' | '<' | '>' | '`')
            }));
        }
        Ok(Url {
            serialized,
            scheme: scheme.to_owned(),
            has_credentials,
            host,
            port,
        })
    }

    /// Resolves `reference` (a `Location` value: absolute, `//host/…`, `/path`, `path`, `?q`
    /// or `#f`) against this URL, as a browser does for a redirect.
    pub fn join(&self, reference: &str) -> Result<Url, UrlError> {
        let r = reference.trim_matches(|c: char| c <= ' ');
        let r: String = r
            .chars()
            .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if let Some((scheme, rest)) = split_scheme(&r) {
            // `http:foo` relative to an http URL is a path reference (special-scheme quirk).
            // Bytes, not a `str` slice: `rest` may start with a multi-byte character.
            let two_slashes = rest
                .as_bytes()
                .get(..2)
                .is_some_and(|b| b.iter().all(|&c| c == b'/' || c == b'\\'));
            if scheme == self.scheme && is_special(&scheme) && !two_slashes {
                return self.join(rest);
            }
            return Url::parse(&r);
        }
        if !is_special(&self.scheme) {
            return Err(UrlError::MissingScheme);
        }
        if r.starts_with("//")
            || r.starts_with("\\\\")
            || r.starts_with("/\\")
            || r.starts_with("\\/")
        {
            return Url::parse(&format!("{}:{}", self.scheme, r));
        }
        let base_prefix = self.authority_prefix();
        let (base_path, base_query) = self.path_and_query();
        let joined = if r.starts_with(['/', '\\']) {
            format!("{base_prefix}{r}")
        } else if r.starts_with('?') {
            format!("{base_prefix}{base_path}{r}")
        } else if r.starts_with('#') {
            let q = base_query.map(|q| format!("?{q}")).unwrap_or_default();
            format!("{base_prefix}{base_path}{q}{r}")
        } else if r.is_empty() {
            let q = base_query.map(|q| format!("?{q}")).unwrap_or_default();
            format!("{base_prefix}{base_path}{q}")
        } else {
            let dir = match base_path.rfind('/') {
                Some(i) => &base_path[..=i],
                None => "/",
            };
            format!("{base_prefix}{dir}{r}")
        };
        Url::parse(&joined)
    }

    /// `scheme://userinfo@host:port` of this URL (everything before the path).
    fn authority_prefix(&self) -> &str {
        let after_scheme = self.scheme.len() + 3;
        let end = self.serialized[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(self.serialized.len(), |i| i + after_scheme);
        &self.serialized[..end]
    }

    /// The path and the query (without `?`) of this URL.
    fn path_and_query(&self) -> (&str, Option<&str>) {
        let rest = &self.serialized[self.authority_prefix().len()..];
        let rest = rest.split('#').next().unwrap_or("");
        match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        }
    }

    /// The canonical text, as Chrome prints it in console messages.
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// The lower-case scheme without `:`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The canonical host (empty for schemes without one).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, or the scheme's default port.
    pub fn port_or_default(&self) -> Option<u16> {
        self.port.or_else(|| default_port(&self.scheme))
    }

    /// `http` or `https`: the only schemes a CORS request or redirect may use.
    pub fn is_http_or_https(&self) -> bool {
        self.scheme == "http" || self.scheme == "https"
    }

    /// Does the URL carry a username or password (`http://user:pass@host/`)?
    ///
    /// Fetch refuses such a URL as a request URL and as a cross-origin redirect target.
    pub fn has_credentials(&self) -> bool {
        self.has_credentials
    }

    /// The URL's origin: a tuple for HTTP(S)-like URLs, opaque otherwise.
    pub fn origin(&self) -> WebOrigin {
        match (
            is_special(&self.scheme) && self.scheme != "file",
            self.port_or_default(),
        ) {
            (true, Some(port)) => WebOrigin::Tuple {
                scheme: self.scheme.clone(),
                host: self.host.clone(),
                port,
            },
            _ => WebOrigin::Opaque,
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialized)
    }
}

/// An origin as a browser sees it: scheme, host and port, or the opaque origin `null`.
///
/// Distinct from `corsgate::Origin` (a validated `Origin` header a server receives): this one
/// belongs to the page and to request URLs, and can become opaque after a cross-origin redirect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebOrigin {
    /// `scheme://host:port`, with the default port made explicit for comparison.
    Tuple {
        /// Lower-case scheme.
        scheme: String,
        /// Canonical host.
        host: String,
        /// Port, default filled in.
        port: u16,
    },
    /// The opaque origin, serialised `null` (sandboxed pages, `file:` pages, tainted redirects).
    Opaque,
}

impl WebOrigin {
    /// Parses a page origin: `null`, or a URL with nothing after the port but an optional `/`.
    pub fn parse(input: &str) -> Result<WebOrigin, UrlError> {
        let t = input.trim();
        if t == "null" {
            return Ok(WebOrigin::Opaque);
        }
        Ok(Url::parse(t)?.origin())
    }

    /// The serialisation sent in `Origin` and expected in `Access-Control-Allow-Origin`.
    pub fn serialize(&self) -> String {
        match self {
            WebOrigin::Opaque => "null".to_owned(),
            WebOrigin::Tuple { scheme, host, port } => {
                if default_port(scheme) == Some(*port) {
                    format!("{scheme}://{host}")
                } else {
                    format!("{scheme}://{host}:{port}")
                }
            }
        }
    }

    /// Same origin: equal tuples. An opaque origin is same-origin with nothing here (each opaque
    /// origin is unique, and two requests never share one in this model).
    pub fn same_origin(&self, other: &WebOrigin) -> bool {
        matches!(self, WebOrigin::Tuple { .. }) && self == other
    }

    /// Is this the opaque origin?
    pub fn is_opaque(&self) -> bool {
        matches!(self, WebOrigin::Opaque)
    }
}

impl fmt::Display for WebOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialize())
    }
}

/// `scheme` (lower-cased) and the rest after `:`, if `s` starts with a valid scheme.
fn split_scheme(s: &str) -> Option<(String, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), &s[colon + 1..]))
}

/// Splits `host:port`, keeping IPv6 literals (`[::1]:80`) whole.
fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>), UrlError> {
    if hostport.starts_with('[') {
        let close = hostport.find(']').ok_or(UrlError::InvalidHost)?;
        let host = &hostport[..=close];
        let after = &hostport[close + 1..];
        return match after.strip_prefix(':') {
            Some(p) => Ok((host, Some(p))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(UrlError::InvalidHost),
        };
    }
    Ok(match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    })
}

/// Lower-cases an ASCII host, converts a Unicode host to punycode, refuses forbidden code points.
fn canonical_host(host: &str) -> Result<String, UrlError> {
    if host.starts_with('[') {
        let inner = &host[1..host.len() - 1];
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlError::InvalidHost);
        }
        return Ok(host.to_ascii_lowercase());
    }
    const FORBIDDEN: &[char] = &[
        ' ', '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|', '"', '{', '}', '`',
    ];
    if host
        .chars()
        .any(|c| c.is_control() || FORBIDDEN.contains(&c))
    {
        return Err(UrlError::InvalidHost);
    }
    if host.is_ascii() {
        return Ok(host.to_ascii_lowercase());
    }
    idna::domain_to_ascii(host).map_err(|_| UrlError::InvalidHost)
}

/// Splits `path?query#fragment`.
fn split_path_query_fragment(tail: &str) -> (String, Option<&str>, Option<&str>) {
    let (before_frag, fragment) = match tail.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (tail, None),
    };
    let (path, query) = match before_frag.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_frag, None),
    };
    (path.to_owned(), query, fragment)
}

/// Removes `.` and `..` segments and percent-encodes what a path may not hold literally.
fn canonical_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let n = segments.len();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == n;
        match seg.to_ascii_lowercase().as_str() {
            "." | "%2e" => {
                if last {
                    out.push("");
                }
            }
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            _ => out.push(seg),
        }
    }
    let joined = format!("/{}", out.join("/"));
    encode(&joined, |c| {
        c <= ' ' || matches!(c, '"' | '<' | '>' | '`' | '{' | '}')
    })
}

/// Percent-encodes characters matching `set` and every non-ASCII character (as UTF-8).
fn encode(s: &str, set: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_ascii() || set(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(u: &str) -> String {
        Url::parse(u).unwrap().as_str().to_owned()
    }

    #[test]
    fn canonical_text_matches_what_chrome_prints() {
        assert_eq!(
            s("http://localhost:3000/data"),
            "http://localhost:3000/data"
        );
        assert_eq!(
            s("HTTP://LocalHost:3000/Data"),
            "http://localhost:3000/Data"
        );
        assert_eq!(s("http://example.com"), "http://example.com/");
        assert_eq!(s("http://example.com:80/x"), "http://example.com/x");
        assert_eq!(s("https://example.com:443/"), "https://example.com/");
        assert_eq!(s("https://example.com:8443/"), "https://example.com:8443/");
        assert_eq!(s("http://example.com/a/./b/../c"), "http://example.com/a/c");
        assert_eq!(
            s("http://example.com/a b?x y#f g"),
            "http://example.com/a%20b?x%20y#f%20g"
        );
        assert_eq!(s("http://example.com/é"), "http://example.com/%C3%A9");
        assert_eq!(s("http://bücher.example/"), "http://xn--bcher-kva.example/");
        assert_eq!(s("  http://example.com/\t "), "http://example.com/");
        assert_eq!(s("http:\\\\example.com\\a"), "http://example.com/a");
        assert_eq!(s("http://[::1]:8080/"), "http://[::1]:8080/");
        assert_eq!(s("data:text/plain,hi"), "data:text/plain,hi");
        assert_eq!(s("http://u:p@example.com/"), "http://u:p@example.com/");
    }

    #[test]
    fn rejects_what_is_not_a_url() {
        // `localhost:3000` is a URL with scheme `localhost`, not an HTTP URL.
        assert!(!Url::parse("localhost:3000").unwrap().is_http_or_https());
        assert_eq!(Url::parse("/data"), Err(UrlError::MissingScheme));
        assert_eq!(Url::parse("3000:x"), Err(UrlError::MissingScheme));
        // Extra slashes are skipped, as in browsers: `http:///x` is `http://x/`.
        assert_eq!(Url::parse("http:///x").unwrap().as_str(), "http://x/");
        assert_eq!(Url::parse("http://"), Err(UrlError::EmptyHost));
        assert_eq!(Url::parse("http://:80/"), Err(UrlError::EmptyHost));
        assert_eq!(Url::parse("http://a b/"), Err(UrlError::InvalidHost));
        assert_eq!(Url::parse("http://a:99999/"), Err(UrlError::InvalidPort));
        assert_eq!(Url::parse("http://a:8x/"), Err(UrlError::InvalidPort));
    }

    #[test]
    fn credentials_are_detected() {
        assert!(Url::parse("http://u:p@a/").unwrap().has_credentials());
        assert!(Url::parse("http://u@a/").unwrap().has_credentials());
        assert!(!Url::parse("http://@a/").unwrap().has_credentials());
        assert!(!Url::parse("http://a/@x").unwrap().has_credentials());
    }

    #[test]
    fn origins_and_same_origin() {
        let o = |u: &str| Url::parse(u).unwrap().origin();
        assert_eq!(
            o("http://localhost:3000/x").serialize(),
            "http://localhost:3000"
        );
        assert_eq!(o("https://a.example/").serialize(), "https://a.example");
        assert!(o("http://a.example/").same_origin(&o("http://a.example:80/y")));
        assert!(!o("http://a.example/").same_origin(&o("https://a.example/")));
        assert!(!o("http://a.example/").same_origin(&o("http://a.example:81/")));
        assert!(!o("http://localhost/").same_origin(&o("http://127.0.0.1/")));
        assert!(o("data:,x").is_opaque());
        assert!(!WebOrigin::Opaque.same_origin(&WebOrigin::Opaque));
        assert_eq!(WebOrigin::parse("null"), Ok(WebOrigin::Opaque));
        assert_eq!(
            WebOrigin::parse("http://127.0.0.1:5500")
                .unwrap()
                .serialize(),
            "http://127.0.0.1:5500"
        );
    }

    #[test]
    fn joins_location_references() {
        let base = Url::parse("http://localhost:3000/a/b?q=1#f").unwrap();
        let j = |r: &str| base.join(r).unwrap().as_str().to_owned();
        assert_eq!(j("/r12b"), "http://localhost:3000/r12b");
        assert_eq!(j("c"), "http://localhost:3000/a/c");
        assert_eq!(j("../c"), "http://localhost:3000/c");
        assert_eq!(j("?z"), "http://localhost:3000/a/b?z");
        assert_eq!(j("#g"), "http://localhost:3000/a/b?q=1#g");
        assert_eq!(j("//127.0.0.1:3000/x"), "http://127.0.0.1:3000/x");
        assert_eq!(j("https://x.example/"), "https://x.example/");
        assert_eq!(j("ftp://localhost/x"), "ftp://localhost/x");
        assert_eq!(j("http:/other"), "http://localhost:3000/other");
        // Found by the property test: a same-scheme reference whose rest starts with a
        // multi-byte character is a path reference, not a panic.
        assert_eq!(
            j("http:\u{fa}/\u{fa}"),
            "http://localhost:3000/a/%C3%BA/%C3%BA"
        );
        assert!(base.join("a: \u{80}").is_ok(), "an opaque-path URL");
    }
}
