//! URLs and origins as the browser sees them, parsed by the WHATWG URL standard.
//!
//! CORS needs four things from a URL: its scheme, host and port (the origin, to decide
//! same-origin vs cross-origin and what goes in `Origin`), whether it carries a username or
//! password (a redirect to such a URL is refused), and its canonical text (Chrome prints it in
//! every console message). The parsing, the resolution of `Location` references and the
//! canonical text are the `url` crate's, which implements the WHATWG URL standard as browsers
//! do: scheme and host lower-cased, a non-ASCII host converted to punycode, IPv4 and IPv6
//! hosts in canonical form, the scheme's default port dropped, an empty path of an HTTP(S) URL
//! written `/`, dot segments removed, and spaces, controls and non-ASCII characters
//! percent-encoded. This module adds the CORS view on top: [`Url::origin`], the
//! [`WebOrigin`] comparison and serialisation, and [`UrlError`]'s plain-English reasons.

use std::fmt;

use corsgate_fetch::default_port;

/// Why a string is not a URL this module can work with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme:` prefix, so the string is not an absolute URL.
    MissingScheme,
    /// An HTTP(S)-like URL without a host (`http:///`).
    EmptyHost,
    /// The host has a character no host may contain (space, `<`, `^`, ...), or failed IDNA or
    /// IP address parsing.
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

impl From<url::ParseError> for UrlError {
    fn from(e: url::ParseError) -> Self {
        match e {
            url::ParseError::RelativeUrlWithoutBase
            | url::ParseError::RelativeUrlWithCannotBeABaseBase => UrlError::MissingScheme,
            url::ParseError::EmptyHost => UrlError::EmptyHost,
            url::ParseError::InvalidPort => UrlError::InvalidPort,
            _ => UrlError::InvalidHost,
        }
    }
}

/// Schemes whose URLs have a tuple origin (the special schemes but `file`).
fn has_tuple_origin(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp")
}

/// A parsed absolute URL; [`Url::as_str`] gives the canonical text Chrome prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Url(url::Url);

impl Url {
    /// Parses an absolute URL (leading and trailing spaces and control characters are ignored,
    /// and tabs and newlines inside, as browsers do).
    pub fn parse(input: &str) -> Result<Url, UrlError> {
        url::Url::parse(input).map(Url).map_err(UrlError::from)
    }

    /// Resolves `reference` (a `Location` value: absolute, `//host/…`, `/path`, `path`, `?q`
    /// or `#f`) against this URL, as a browser does for a redirect.
    pub fn join(&self, reference: &str) -> Result<Url, UrlError> {
        self.0.join(reference).map(Url).map_err(UrlError::from)
    }

    /// The canonical text, as Chrome prints it in console messages.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The lower-case scheme without `:`.
    pub fn scheme(&self) -> &str {
        self.0.scheme()
    }

    /// The host, if the URL has one.
    pub(crate) fn host(&self) -> Option<url::Host<&str>> {
        self.0.host()
    }

    /// `http` or `https`: the only schemes a CORS request or redirect may use.
    pub fn is_http_or_https(&self) -> bool {
        matches!(self.scheme(), "http" | "https")
    }

    /// Does the URL carry a username or password (`http://user:pass@host/`)?
    ///
    /// Fetch refuses such a URL as a request URL and as a cross-origin redirect target.
    pub fn has_credentials(&self) -> bool {
        !self.0.username().is_empty() || self.0.password().is_some()
    }

    /// The URL without its username and password (WebKit names a redirect target so).
    pub(crate) fn without_credentials(&self) -> String {
        let mut bare = self.0.clone();
        let _ = bare.set_username("");
        let _ = bare.set_password(None);
        bare.as_str().to_owned()
    }

    /// The URL's origin: a tuple for HTTP(S)-like URLs, opaque otherwise (`file:`, `data:`,
    /// `blob:` and every other scheme).
    pub fn origin(&self) -> WebOrigin {
        match (self.0.host_str(), self.0.port_or_known_default()) {
            (Some(host), Some(port)) if has_tuple_origin(self.scheme()) => WebOrigin::Tuple {
                scheme: self.scheme().to_owned(),
                host: host.to_owned(),
                port,
            },
            _ => WebOrigin::Opaque,
        }
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Url").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    /// Parses a page origin: `null`, or a URL whose origin is taken (a path is ignored).
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
}

impl fmt::Display for WebOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialize())
    }
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
        assert_eq!(o("data:,x"), WebOrigin::Opaque);
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
    fn hosts_are_parsed_as_browsers_parse_them() {
        // IPv4 in any notation and IPv6 in canonical form: same origin as the canonical text.
        assert_eq!(s("http://127.1:5500/"), "http://127.0.0.1:5500/");
        assert_eq!(s("http://0x7f.0.0.1/"), "http://127.0.0.1/");
        assert_eq!(s("http://[0:0::1]/"), "http://[::1]/");
        assert_eq!(s("http://[FE80::1]/"), "http://[fe80::1]/");
        assert_eq!(s("http://a%41.example/"), "http://aa.example/");
        assert!(WebOrigin::parse("http://127.1:5500")
            .unwrap()
            .same_origin(&WebOrigin::parse("http://127.0.0.1:5500").unwrap()));
        // A host ending in a number must be an IPv4 address.
        assert_eq!(Url::parse("http://foo.1/"), Err(UrlError::InvalidHost));
        assert_eq!(Url::parse("http://1.2.3.4.5/"), Err(UrlError::InvalidHost));
        // A non-HTTP URL with a user name has credentials too (fetch() refuses it first).
        assert!(Url::parse("foo://u@x/").unwrap().has_credentials());
        assert_eq!(s("http://u:@a/"), "http://u@a/");
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
