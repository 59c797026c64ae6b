//! The flags of `corsgate check`, and turning them into the page's request.

use std::path::PathBuf;

use corsgate_browser::{Body, CorsRequest, CredentialsMode, Initiator};

use super::CheckError;

/// The longest `--timeout` accepted, in seconds.
pub const MAX_TIMEOUT_SECS: u64 = 300;
/// The default `--timeout`, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// `--credentials`: the page's `credentials` option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Credentials {
    /// Cookies and HTTP auth go everywhere (`credentials: "include"`, XHR `withCredentials`).
    Include,
    /// Cookies only to the page's own origin (the `fetch()` default).
    #[default]
    SameOrigin,
    /// Never send cookies.
    Omit,
}

/// `--initiator`: which API the page calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum InitiatorArg {
    /// `fetch()`.
    #[default]
    Fetch,
    /// `XMLHttpRequest`.
    Xhr,
}

/// The flags of `corsgate check`.
///
/// The request is described as the page's JavaScript would make it; corsgate adds what the
/// browser adds (`Origin`, `Accept`, the preflight) and sends exactly that.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// The URL the page requests, e.g. http://localhost:3000/data.
    #[arg(value_name = "URL")]
    pub url: String,

    /// The page's origin, e.g. http://127.0.0.1:5500 (scheme://host or scheme://host:port, no path).
    #[arg(long, value_name = "ORIGIN")]
    pub origin: String,

    /// The method the page uses.
    #[arg(
        short = 'X',
        long = "method",
        value_name = "METHOD",
        default_value = "GET"
    )]
    pub method: String,

    /// A request header the page sets, as 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// The page's credentials mode.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = Credentials::SameOrigin)]
    pub credentials: Credentials,

    /// A string body (fetch sets Content-Type: text/plain;charset=UTF-8 unless -H sets one).
    #[arg(long, value_name = "BODY")]
    pub data: Option<String>,

    /// Print one JSON document (schema: docs/check.md) instead of the explanation.
    #[arg(long)]
    pub json: bool,

    /// Check against this corsgate policy file offline (no network) instead of the server.
    #[arg(long, value_name = "FILE.toml")]
    pub policy: Option<PathBuf>,

    /// Seconds to wait for each response (1 to 300).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    pub timeout: u64,

    /// An extra trusted root certificate (PEM), e.g. a local development CA.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// The API the page calls: Chrome words its messages after it.
    #[arg(long, value_enum, value_name = "API", default_value_t = InitiatorArg::Fetch)]
    pub initiator: InitiatorArg,
}

impl CheckArgs {
    /// Arguments for a `fetch(url)` from `origin` with every other flag at its default.
    pub fn new(url: impl Into<String>, origin: impl Into<String>) -> Self {
        CheckArgs {
            url: url.into(),
            origin: origin.into(),
            method: "GET".to_owned(),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            data: None,
            json: false,
            policy: None,
            timeout: DEFAULT_TIMEOUT_SECS,
            cacert: None,
            initiator: InitiatorArg::Fetch,
        }
    }

    /// The page's request these flags describe.
    pub fn request(&self) -> Result<CorsRequest, CheckError> {
        check_origin(&self.origin)?;
        let base = match self.initiator {
            InitiatorArg::Fetch => CorsRequest::fetch(self.url.trim(), self.origin.trim()),
            InitiatorArg::Xhr => CorsRequest::xhr(self.url.trim(), self.origin.trim()),
        };
        let mut req = base
            .method(self.method.clone())
            .credentials(match self.credentials {
                Credentials::Include => CredentialsMode::Include,
                Credentials::SameOrigin => CredentialsMode::SameOrigin,
                Credentials::Omit => CredentialsMode::Omit,
            });
        for line in &self.headers {
            let (name, value) = parse_header(line)?;
            req = req.header(name, value);
        }
        if self.data.is_some() {
            req = req.body(Body::Text);
        }
        Ok(req)
    }

    /// The page's API.
    pub fn initiator(&self) -> Initiator {
        match self.initiator {
            InitiatorArg::Fetch => Initiator::Fetch,
            InitiatorArg::Xhr => Initiator::XmlHttpRequest,
        }
    }
}

/// Refuses an `--origin` with a path, query or fragment: browsers send scheme://host[:port]
/// only, and the core would silently keep just the origin of such a URL.
fn check_origin(origin: &str) -> Result<(), CheckError> {
    let t = origin.trim();
    if t == "null" {
        return Ok(());
    }
    let rest = t.split_once("://").map_or("", |(_, r)| r);
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if let Some(cut) = rest.find(['/', '?', '#']) {
        let suggestion = t.len() - rest.len() + cut;
        return Err(CheckError::Usage(format!(
            "--origin '{origin}' is not an origin: an origin is scheme://host[:port] with no path, \
             e.g. {}.",
            &t[..suggestion]
        )));
    }
    Ok(())
}

/// Splits `Name: value` (curl's spelling).
pub fn parse_header(line: &str) -> Result<(String, String), CheckError> {
    let Some((name, value)) = line.split_once(':') else {
        return Err(CheckError::Usage(format!(
            "-H '{line}' is not a header: write it as 'Name: value', e.g. -H 'Content-Type: application/json'."
        )));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(CheckError::Usage(format!(
            "-H '{line}' has no header name before the colon: write it as 'Name: value'."
        )));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_split_like_curl() {
        assert_eq!(
            parse_header("Content-Type: application/json").unwrap(),
            ("Content-Type".to_owned(), "application/json".to_owned())
        );
        assert_eq!(
            parse_header("X-Empty:").unwrap(),
            ("X-Empty".to_owned(), String::new())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header(": value").is_err());
    }

    #[test]
    fn origins_have_no_path() {
        assert!(check_origin("http://127.0.0.1:5500").is_ok());
        assert!(check_origin("http://127.0.0.1:5500/").is_ok());
        assert!(check_origin("null").is_ok());
        let e = check_origin("http://a.com/path").unwrap_err().to_string();
        assert!(e.contains("e.g. http://a.com."), "{e}");
        assert!(check_origin("http://a.com?x").is_err());
    }

    #[test]
    fn data_makes_a_text_body() {
        let mut args = CheckArgs::new("http://localhost:3000/data", "http://127.0.0.1:5500");
        args.method = "POST".into();
        args.data = Some("{}".into());
        assert_eq!(args.request().unwrap().body, Body::Text);
    }
}
