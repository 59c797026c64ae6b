//! The flags of `corsgate audit` (clap), and turning them into a validated [`Target`].

use std::path::PathBuf;

use corsgate_browser::{plan, CorsRequest, Engine, Url, WebOrigin};

use super::findings::Severity;
use crate::check::flags::parse_header;
use crate::check::CheckError;

/// The longest `--timeout` accepted, in seconds.
pub const MAX_TIMEOUT_SECS: u64 = 300;
/// The default `--timeout` (per request), in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;
/// The default `--rate`, in requests per second.
pub const DEFAULT_RATE: f64 = 10.0;
/// The highest `--rate` accepted, in requests per second.
pub const MAX_RATE: f64 = 100.0;
/// The lowest `--rate` accepted, in requests per second.
pub const MIN_RATE: f64 = 0.1;

/// The flags of `corsgate audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// The URL to audit (with --policy: the URL the policy is served at; its scheme and host
    /// shape the probes), e.g. <https://api.example.com/data>.
    #[arg(value_name = "URL")]
    pub url: String,

    /// An origin the server must trust (repeatable): it is probed too, and a policy that
    /// refuses it is a finding; the forged origins are built from the first one (else from
    /// the URL's origin), e.g. <https://app.example.com>.
    #[arg(long = "origin", value_name = "TRUSTED_ORIGIN")]
    pub origins: Vec<String>,

    /// A method the pages use that needs a preflight (PUT, DELETE, ...): probed with
    /// preflights only, never sent itself.
    #[arg(
        short = 'X',
        long = "method",
        value_name = "METHOD",
        default_value = "GET"
    )]
    pub method: String,

    /// A request header the pages set, as 'Name: value' (repeatable); unsafe ones are
    /// probed with preflights.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Print one JSON document (schema: docs/audit.md) instead of the findings in words.
    #[arg(long)]
    pub json: bool,

    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = Severity::High)]
    pub fail_on: Severity,

    /// At most this many requests per second, as N/s or N (0.1 to 100).
    #[arg(long, value_name = "N/s", default_value = "10/s", value_parser = parse_rate)]
    pub rate: f64,

    /// Seconds each request may take, its answer included (1 to 300).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    pub timeout: u64,

    /// An extra trusted root certificate (PEM), e.g. a local development CA.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Audit this corsgate policy file offline (no network) instead of the server.
    #[arg(long, value_name = "FILE.toml")]
    pub policy: Option<PathBuf>,
}

impl AuditArgs {
    /// Arguments auditing `url` with every other flag at its default.
    pub fn new(url: impl Into<String>) -> Self {
        AuditArgs {
            url: url.into(),
            origins: Vec::new(),
            method: "GET".to_owned(),
            headers: Vec::new(),
            json: false,
            fail_on: Severity::High,
            rate: DEFAULT_RATE,
            timeout: DEFAULT_TIMEOUT_SECS,
            cacert: None,
            policy: None,
        }
    }

    /// The audit these flags describe, validated.
    pub fn target(&self) -> Result<Target, CheckError> {
        let mut headers = Vec::new();
        for line in &self.headers {
            headers.push(parse_header(line)?);
        }
        Target::new(&self.url, &self.origins, &self.method, &headers)
    }
}

/// `10/s`, `10` or `0.5/s`: requests per second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let number = s.trim().strip_suffix("/s").unwrap_or(s.trim());
    let rate: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a rate: write N/s, e.g. 10/s"))?;
    if !rate.is_finite() || !(MIN_RATE..=MAX_RATE).contains(&rate) {
        return Err(format!(
            "'{s}' is out of range: the rate is {MIN_RATE} to {MAX_RATE} requests per second"
        ));
    }
    Ok(rate)
}

/// What is audited, validated: the URL, the trusted origins and the pages' call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The URL, as the browser serialises it.
    pub url: String,
    /// The URL's origin (`https://api.example.com`).
    pub origin: String,
    /// The URL's scheme is `https`.
    pub https: bool,
    /// The trusted origins, serialised, without duplicates.
    pub trusted: Vec<String>,
    /// The pages' method (`GET` unless `-X`).
    pub method: String,
    /// The pages' headers (`-H`), in order.
    pub headers: Vec<(String, String)>,
    /// The pages' call needs a preflight (a method or header that is not safelisted).
    pub preflight: bool,
    /// The CORS-unsafe header names of the call (lower case, sorted).
    pub unsafe_headers: Vec<String>,
}

impl Target {
    /// Validates the URL, the trusted origins and the call.
    pub fn new(
        url: &str,
        trusted: &[String],
        method: &str,
        headers: &[(String, String)],
    ) -> Result<Target, CheckError> {
        let parsed = Url::parse(url.trim()).map_err(|_| {
            CheckError::Usage(format!(
                "'{url}' is not a URL: give an absolute http: or https: URL, e.g. \
                 https://api.example.com/data."
            ))
        })?;
        if !parsed.is_http_or_https() {
            return Err(CheckError::Usage(format!(
                "'{url}' is not an http: or https: URL; only those take part in CORS."
            )));
        }
        if parsed.has_credentials() {
            return Err(CheckError::Usage(format!(
                "'{url}' has a user name or password in it: browsers refuse such URLs; leave \
                 them out."
            )));
        }
        let origin = parsed.origin().serialize();
        let mut origins: Vec<String> = Vec::new();
        for given in trusted {
            let o = trusted_origin(given)?;
            if !origins.contains(&o) {
                origins.push(o);
            }
        }
        // The call as a page at the first trusted origin (or a foreign one) makes it.
        let page = origins
            .first()
            .cloned()
            .unwrap_or_else(|| super::probes::ANY_ORIGIN.to_owned());
        let mut req = CorsRequest::fetch(parsed.as_str(), page.as_str()).method(method);
        for (n, v) in headers {
            req = req.header(n.clone(), v.clone());
        }
        let plan = plan(&req, Engine::Chrome).map_err(|r| {
            CheckError::Usage(format!(
                "-X {method} with these headers is not a call a page can make: {r}"
            ))
        })?;
        Ok(Target {
            url: parsed.as_str().to_owned(),
            https: parsed.scheme() == "https",
            origin,
            trusted: origins,
            method: plan.request.method.clone(),
            headers: headers.to_vec(),
            preflight: plan.preflight.is_some(),
            unsafe_headers: plan.unsafe_headers.clone(),
        })
    }

    /// The URL's host (no port, no brackets for IPv6).
    pub fn host(&self) -> String {
        host_of(&self.origin)
    }
}

/// The host of a serialised origin (`https://a.example:8443` → `a.example`).
pub fn host_of(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default().to_owned();
    }
    rest.rsplit_once(':').map_or(rest, |(h, _)| h).to_owned()
}

/// `--origin` validated: a real origin (not `null`), serialised as browsers send it.
fn trusted_origin(given: &str) -> Result<String, CheckError> {
    let bad = |why: &str| {
        CheckError::Usage(format!(
            "--origin '{given}' is not a trusted origin: {why}; give scheme://host[:port], e.g. \
             https://app.example.com."
        ))
    };
    if given.trim() == "null" {
        return Err(bad("null is what sandboxed iframes, files and data: URLs send, on any site, so it can never be trusted"));
    }
    let url = Url::parse(given.trim()).map_err(|_| bad("it is not an origin"))?;
    let origin = url.origin();
    if matches!(origin, WebOrigin::Opaque) || !url.is_http_or_https() {
        return Err(bad("it is not an http: or https: origin"));
    }
    let bare = origin.serialize();
    let rest = url.as_str().strip_prefix(bare.as_str());
    if !matches!(rest, Some("" | "/")) {
        return Err(bad("an origin has no path, query or fragment"));
    }
    Ok(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_per_second() {
        assert_eq!(parse_rate("10/s"), Ok(10.0));
        assert_eq!(parse_rate("2"), Ok(2.0));
        assert_eq!(parse_rate("0.5/s"), Ok(0.5));
        assert!(parse_rate("0/s").is_err());
        assert!(parse_rate("1000/s").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("NaN").is_err());
    }

    #[test]
    fn the_target_is_validated() {
        let t = Target::new(
            "https://API.example.com:443/data",
            &["https://app.example.com/".to_owned()],
            "put",
            &[("X-Token".to_owned(), "1".to_owned())],
        )
        .unwrap();
        assert_eq!(t.url, "https://api.example.com/data");
        assert_eq!(t.origin, "https://api.example.com");
        assert!(t.https);
        assert_eq!(t.trusted, ["https://app.example.com"]);
        assert_eq!(t.method, "PUT");
        assert!(t.preflight);
        assert_eq!(t.unsafe_headers, ["x-token"]);
        assert_eq!(t.host(), "api.example.com");
        let simple = Target::new("http://127.0.0.1:3000/", &[], "GET", &[]).unwrap();
        assert!(!simple.preflight && !simple.https);
        assert_eq!(simple.host(), "127.0.0.1");
    }

    #[test]
    fn bad_input_is_a_usage_error() {
        let t = |url: &str, origin: &str, method: &str| {
            let origins = if origin.is_empty() {
                vec![]
            } else {
                vec![origin.to_owned()]
            };
            Target::new(url, &origins, method, &[])
                .unwrap_err()
                .to_string()
        };
        assert!(t("nope", "", "GET").contains("is not a URL"));
        assert!(t("ftp://a.example/", "", "GET").contains("not an http: or https: URL"));
        assert!(t("https://u:p@a.example/", "", "GET").contains("user name or password"));
        assert!(t("https://a.example/", "null", "GET").contains("can never be trusted"));
        assert!(t("https://a.example/", "https://b.example/x", "GET").contains("no path"));
        assert!(t("https://a.example/", "", "CONNECT").contains("not a call a page can make"));
    }

    #[test]
    fn hosts_of_origins() {
        assert_eq!(host_of("https://a.example:8443"), "a.example");
        assert_eq!(host_of("http://[::1]:3000"), "::1");
        assert_eq!(host_of("http://localhost"), "localhost");
    }
}
