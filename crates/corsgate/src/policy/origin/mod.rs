//! [`Origin`] and [`OriginError`]: origins exactly as browsers write them in the `Origin` header.
//!
//! A browser sends the WHATWG URL "ASCII serialization of an origin":
//! `scheme "://" host [":" port]`, with scheme and host in lower case, the scheme's default
//! port omitted, IPv6 in compressed brackets, IPv4 as a dotted quad and international names
//! in punycode. corsgate compares origins byte for byte, so an allowed origin written any
//! other way could never match. The config side ([`Origin::parse`]) therefore refuses every
//! other spelling and says which one to use; the request side ([`Origin::from_bytes`]) checks
//! the same grammar in one pass without allocating, and treats anything else as "not a valid
//! origin".
//!
//! # The accepted grammar
//!
//! - **scheme**: a lower-case ASCII letter, then lower-case letters, digits, `+`, `-`, `.`.
//!   Any such scheme is accepted, so application origins work (`capacitor://localhost`,
//!   `tauri://localhost`, `chrome-extension://<id>`, `moz-extension://<uuid>`), except
//!   `file`, whose origin is opaque.
//! - **host**, one of:
//!   - a domain: dot-separated labels of `a-z`, `0-9`, `-` and `_`, each 1 to 63 bytes, at
//!     most 253 bytes in all, no trailing dot. `_` is accepted because browsers accept it
//!     (it is not a forbidden host code point in the URL standard) and send it unchanged,
//!     e.g. `http://my_service.internal`. Punycode (`xn--`) labels are checked against
//!     IDNA by [`OriginPattern::parse`](super::pattern::OriginPattern::parse) only: that
//!     needs to allocate, and an invalid one can never come from a browser anyway.
//!   - an IPv4 address as four decimal numbers without leading zeros. A host whose last
//!     label is a number is an IPv4 address to a browser, so `127.1` or `0x7f.0.0.1` are
//!     refused (with the dotted quad to use), never read as domains.
//!   - an IPv6 address in brackets, exactly as the URL standard serializes it (RFC 5952
//!     style: lower-case hex, no leading zeros, the first longest run of two or more zero
//!     pieces compressed to `::`), and never with a dotted IPv4 tail: browsers send
//!     `[::ffff:7f00:1]`, not `[::ffff:127.0.0.1]` (which is what Rust's `Display` for
//!     [`Ipv6Addr`](std::net::Ipv6Addr) prints).
//! - **port**: optional, decimal `0..=65535` without leading zeros, and never the scheme's
//!   default (80 for `http`/`ws`, 443 for `https`/`wss`, 21 for `ftp`).
//!
//! Nothing else: no path (not even `/`), query, fragment, user name, or surrounding space.
//! `null` is refused: see [`OriginErrorKind::Null`].
//!
//! # Layout
//!
//! This module holds the type and its error; the grammar lives in its submodules:
//! - `scan`: the request path, one pass, no allocation, accept or refuse;
//! - `diagnose`: the config path, the same grammar checked step by step to say what is wrong;
//! - `ip`: IPv4 and IPv6 hosts (canonical forms, the URL standard's parser and serializer);
//! - `suggest`: the spelling a browser would send for what the user meant.

mod diagnose;
mod ip;
mod scan;
mod suggest;
#[cfg(test)]
mod tests;

use std::fmt;

use diagnose::classify;
use ip::canonical_ipv4;
use scan::scan;
use suggest::{suggest, with_guessed_scheme};

/// The default port of the schemes that have one (the URL standard's special schemes).
pub(crate) use corsgate_fetch::default_port;

pub(crate) use diagnose::{ends_in_number, trim, validate};
pub(crate) use scan::{labels_len, split_unchecked};

/// A validated origin borrowed from a string. Cheap to copy; never allocates.
///
/// ```
/// use corsgate::Origin;
///
/// let o = Origin::parse("http://127.0.0.1:5500").unwrap();
/// assert_eq!((o.scheme(), o.host(), o.port()), ("http", "127.0.0.1", Some(5500)));
/// assert!(o.is_loopback());
///
/// let e = Origin::parse("https://a.com:443").unwrap_err();
/// assert_eq!(e.suggestion(), Some("https://a.com"));
/// assert_eq!(e.to_string(), "browsers omit the scheme's default port; use https://a.com");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin<'a> {
    s: &'a str,
    scheme_len: usize,
    host_end: usize,
    port: Option<u16>,
}

/// The categories of [`OriginError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OriginErrorKind {
    /// `null`: the serialization of an opaque origin. Sandboxed iframes, `data:` documents,
    /// local files and some cross-origin redirects all send it, so any site can produce it
    /// and allowing it allows everyone.
    Null,
    /// A `file:` URL: its origin is opaque (`null`).
    File,
    /// Spaces or control characters before or after the origin.
    Whitespace,
    /// No `scheme://`.
    MissingScheme,
    /// The scheme is not a letter followed by letters, digits, `+`, `-`, `.`.
    InvalidScheme,
    /// Upper-case letters in the scheme or host.
    UpperCase,
    /// A path, even a lone trailing `/`.
    HasPath,
    /// A query (`?`) or fragment (`#`).
    HasQuery,
    /// `user:password@`.
    HasUserInfo,
    /// The scheme's default port written out (`https://a.com:443`).
    DefaultPort,
    /// A port that is not `0..=65535` in plain decimal without leading zeros.
    InvalidPort,
    /// An empty or malformed host.
    InvalidHost,
    /// A host with non-ASCII characters: browsers send the punycode form.
    NonAsciiHost,
    /// A punycode (`xn--`) label that is not valid IDNA: browsers refuse such a host.
    InvalidPunycode,
    /// An IPv4 address not written as a canonical dotted quad.
    NonCanonicalIpv4,
    /// An IPv6 address not written in canonical compressed form.
    NonCanonicalIpv6,
    /// A `*` anywhere but the allowed pattern positions.
    InvalidWildcard,
    /// A `*.` wildcard on an IP address instead of a domain name.
    WildcardBase,
}

/// Why a string is not an origin (or origin pattern), with the spelling to use when one can
/// be worked out from the input.
///
/// Its message is one line: what is wrong, then how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    kind: OriginErrorKind,
    suggestion: Option<String>,
    /// For [`OriginErrorKind::MissingScheme`]: the input with a likely scheme, shown as an
    /// example only (the scheme is a guess, so it is not offered as the fix).
    example: Option<String>,
}

impl OriginError {
    /// An error of `kind` for `input`, with the suggestion derived from the input.
    pub(crate) fn for_input(kind: OriginErrorKind, input: &str) -> Self {
        let example = match kind {
            OriginErrorKind::MissingScheme => with_guessed_scheme(input),
            _ => None,
        };
        OriginError {
            kind,
            suggestion: suggest(input),
            example,
        }
    }

    /// The category.
    pub fn kind(&self) -> OriginErrorKind {
        self.kind
    }

    /// The corrected origin or pattern, when it can be derived from the input. It always
    /// parses.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use OriginErrorKind::*;
        let what = match self.kind {
            Null => {
                return f.write_str(
                    "the `null` origin can't be allowed safely: sandboxed iframes, data: URLs, local files and redirects all send it, so any site can; allow the page's real origin instead",
                )
            }
            File => {
                return f.write_str(
                    "pages opened from file:// have the opaque origin `null`, which can't be allowed safely; serve the page from http://localhost instead",
                )
            }
            MissingScheme => {
                let example = self.example.as_deref().unwrap_or("https://example.com");
                return write!(f, "not an origin: write scheme://host[:port], e.g. {example}");
            }
            NonAsciiHost => {
                return match &self.suggestion {
                    Some(s) => write!(f, "non-ASCII host; browsers send the punycode form: {s}"),
                    None => f.write_str(
                        "non-ASCII host; browsers send the punycode (xn--) form, and this one has none",
                    ),
                }
            }
            Whitespace => "origins have no surrounding spaces or control characters",
            InvalidScheme => {
                "invalid scheme: it starts with a letter and has only letters, digits, +, - and ."
            }
            UpperCase => "browsers send origins in lower case",
            HasPath => "origins have no path",
            HasQuery => "origins have no query or fragment",
            HasUserInfo => "origins have no user name or password",
            DefaultPort => "browsers omit the scheme's default port",
            InvalidPort => "the port must be a number from 0 to 65535 without leading zeros",
            InvalidHost => {
                "invalid host: use a domain name (dot-separated labels of a-z, 0-9, - and _), an IPv4 address, or a bracketed IPv6 address"
            }
            InvalidPunycode => "invalid punycode (xn--) label: browsers refuse this host",
            NonCanonicalIpv4 => {
                "browsers send IPv4 addresses as four decimal numbers without leading zeros"
            }
            NonCanonicalIpv6 => {
                "browsers send IPv6 addresses in compressed lower-case form without a dotted tail"
            }
            InvalidWildcard => {
                "a `*` may only stand alone (`*`), start the host (`https://*.example.com`), or be the port (`http://localhost:*`, `https://*.example.com:*`)"
            }
            WildcardBase => "the base of a `*.` wildcard must be a domain name, not an IP address",
        };
        match &self.suggestion {
            Some(s) => write!(f, "{what}; use {s}"),
            None => f.write_str(what),
        }
    }
}

impl std::error::Error for OriginError {}

impl<'a> Origin<'a> {
    /// Parses an origin that must already be in the form browsers send.
    ///
    /// Succeeding costs one pass over `s` and no allocation; only the error (with its
    /// suggestion) allocates.
    pub fn parse(s: &'a str) -> Result<Origin<'a>, OriginError> {
        scan(s).ok_or_else(|| OriginError::for_input(classify(s), s))
    }

    /// Reads an `Origin` header value. `None` for anything that is not a valid serialized
    /// origin: `null`, non-UTF-8 or non-ASCII bytes, other spellings, and values longer than
    /// 2048 bytes. Never allocates; one pass over the bytes.
    pub fn from_bytes(b: &'a [u8]) -> Option<Origin<'a>> {
        // Origins are short; a long value is not one (and is not worth reading).
        if b.len() > 2048 {
            return None;
        }
        // `scan` accepts ASCII only, so this check is a formality on its success path.
        scan(std::str::from_utf8(b).ok()?)
    }

    /// The whole serialized origin, e.g. `https://a.com:8443`.
    pub fn as_str(&self) -> &'a str {
        self.s
    }

    /// The scheme, e.g. `https`.
    pub fn scheme(&self) -> &'a str {
        &self.s[..self.scheme_len]
    }

    /// The host, with brackets for IPv6 (`[::1]`).
    pub fn host(&self) -> &'a str {
        &self.s[self.scheme_len + 3..self.host_end]
    }

    /// The explicit port, if any (never the scheme's default, which browsers omit).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`: the machine itself, as the Secure
    /// Contexts specification counts it (an IPv4-mapped `[::ffff:7f00:1]` is not included).
    pub fn is_loopback(&self) -> bool {
        host_is_loopback(self.host())
    }

    /// Whether a browser treats this origin as potentially trustworthy (Secure Contexts):
    /// `https`/`wss`, loopback hosts, and application schemes (`capacitor:`, `tauri:`,
    /// `chrome-extension:`...), which only the user's own software can send. Plain
    /// `http`/`ws`/`ftp` elsewhere is not.
    pub fn is_potentially_trustworthy(&self) -> bool {
        !matches!(self.scheme(), "http" | "ws" | "ftp") || self.is_loopback()
    }
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.s)
    }
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`, for a host already validated.
pub(crate) fn host_is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (host.starts_with("127.") && canonical_ipv4(host.as_bytes()))
}
