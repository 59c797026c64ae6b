//! The flags of `corsgate check` (clap), and turning them into a validated [`Probe`].

use std::path::PathBuf;

use corsgate_browser::{CredentialsMode, Initiator};

use super::probe::Probe;
use super::CheckError;

/// The longest `--timeout` accepted, in seconds.
pub const MAX_TIMEOUT_SECS: u64 = 300;
/// The default `--timeout`, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// `--credentials`: the page's `credentials` option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CredentialsArg {
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
    #[arg(long, value_enum, value_name = "MODE", default_value_t = CredentialsArg::SameOrigin)]
    pub credentials: CredentialsArg,

    /// A string body (fetch sets Content-Type: text/plain;charset=UTF-8 unless -H sets one).
    #[arg(long, value_name = "BODY")]
    pub data: Option<String>,

    /// Print one JSON document (schema: docs/check.md) instead of the explanation.
    #[arg(long)]
    pub json: bool,

    /// Check against this corsgate policy file offline (no network) instead of the server.
    #[arg(long, value_name = "FILE.toml")]
    pub policy: Option<PathBuf>,

    /// Seconds the whole check may take: every request, answer and body read, redirects
    /// included (1 to 300).
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
            credentials: CredentialsArg::SameOrigin,
            data: None,
            json: false,
            policy: None,
            timeout: DEFAULT_TIMEOUT_SECS,
            cacert: None,
            initiator: InitiatorArg::Fetch,
        }
    }

    /// The page's request these flags describe, validated.
    pub fn probe(&self) -> Result<Probe, CheckError> {
        let mut page = Probe::page(&self.url, &self.origin)?
            .method(&self.method)
            .credentials(self.credentials.into())
            .initiator(self.initiator.into());
        for line in &self.headers {
            let (name, value) = parse_header(line)?;
            page = page.header(name, value);
        }
        if let Some(data) = &self.data {
            page = page.body(data);
        }
        page.build()
    }
}

impl From<CredentialsArg> for CredentialsMode {
    fn from(c: CredentialsArg) -> Self {
        match c {
            CredentialsArg::Include => CredentialsMode::Include,
            CredentialsArg::SameOrigin => CredentialsMode::SameOrigin,
            CredentialsArg::Omit => CredentialsMode::Omit,
        }
    }
}

impl From<InitiatorArg> for Initiator {
    fn from(i: InitiatorArg) -> Self {
        match i {
            InitiatorArg::Fetch => Initiator::Fetch,
            InitiatorArg::Xhr => Initiator::XmlHttpRequest,
        }
    }
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
    fn data_makes_a_text_body() {
        let mut args = CheckArgs::new("http://localhost:3000/data", "http://127.0.0.1:5500");
        args.method = "POST".into();
        args.data = Some("{}".into());
        let probe = args.probe().unwrap();
        assert_eq!(probe.request().body, corsgate_browser::Body::Text);
        assert_eq!(probe.body().map(|b| &b[..]), Some(&b"{}"[..]));
    }

    #[test]
    fn flags_map_to_the_page_call() {
        let mut args = CheckArgs::new("http://localhost:3000/data", "http://127.0.0.1:5500");
        args.credentials = CredentialsArg::Include;
        args.initiator = InitiatorArg::Xhr;
        args.headers.push("X-A: 1".into());
        let probe = args.probe().unwrap();
        assert_eq!(probe.request().credentials, CredentialsMode::Include);
        assert_eq!(probe.request().initiator, Initiator::XmlHttpRequest);
        assert_eq!(probe.headers(), [("X-A".to_owned(), "1".to_owned())]);
    }
}
