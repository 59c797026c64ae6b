//! `corsgate export`: flags → validated policy → the export core's text → stdout; with
//! `--check`, the equivalence check against a running server ([`check`]).

pub mod check;
pub mod reference;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use corsgate_config::policy;
use corsgate_config::text::printable_lines;
use corsgate_export::{Target, Upstream, Whole};

/// The flags of `corsgate export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The server to write configuration for: nginx, caddy, haproxy or apache.
    #[arg(long = "to", value_name = "TARGET", value_parser = parse_target)]
    pub to: Target,
    /// The corsgate policy file (TOML, the schema of `corsgate validate`).
    #[arg(value_name = "POLICY.toml")]
    pub policy: PathBuf,
    /// The API the server proxies to (http://HOST:PORT). With --listen: a whole config.
    /// With --check: the upstream behind the server checked, which corsgate's reference
    /// layer proxies to as well.
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,
    /// Where a whole config listens (IP:PORT, e.g. 127.0.0.1:8080); needs --upstream.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Instead of printing a config: send the policy's request corpus to the server at
    /// --url and to corsgate's own layer in front of --upstream, and compare what browsers
    /// make of each answer. Exit status: 0 equivalent, 1 differences, 2 could not check.
    #[arg(long, requires_all = ["url", "upstream"], conflicts_with = "listen")]
    pub check: bool,
    /// With --check: the server to check (its base URL, e.g. http://127.0.0.1:8080).
    #[arg(long, value_name = "URL", requires = "check")]
    pub url: Option<String>,
    /// With --check: seconds allowed for each request's whole check.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", requires = "check")]
    pub timeout: u64,
}

fn parse_target(s: &str) -> Result<Target, String> {
    Target::from_name(s)
        .ok_or_else(|| format!("'{s}' is not a target: give nginx, caddy, haproxy or apache"))
}

/// What `corsgate export` does, as a value (tests and `main` share it).
#[derive(Debug)]
pub enum ExportError {
    /// Bad flags or policy, or a feature the target cannot express (exit 2).
    Usage(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Usage(m) => f.write_str(m),
        }
    }
}

/// The config text the flags ask for (not `--check`).
pub fn render(args: &ExportArgs) -> Result<String, ExportError> {
    let cors = policy::load(&args.policy).map_err(|e| ExportError::Usage(e.to_string()))?;
    let whole = match (&args.upstream, args.listen) {
        (Some(up), Some(listen)) => Some(Whole {
            listen,
            upstream: Upstream::parse(up).map_err(ExportError::Usage)?,
        }),
        (None, None) => None,
        (Some(_), None) => {
            return Err(ExportError::Usage(
                "--upstream without --listen: a whole config needs both (or neither, for a \
                 snippet to include)."
                    .to_owned(),
            ))
        }
        (None, Some(_)) => {
            return Err(ExportError::Usage(
                "--listen without --upstream: a whole config needs both (or neither, for a \
                 snippet to include)."
                    .to_owned(),
            ))
        }
    };
    corsgate_export::export(&cors, args.to, whole.as_ref())
        .map_err(|e| ExportError::Usage(e.to_string()))
}

/// `corsgate export`: prints the config (exit 0) or the problem (exit 2); with `--check`,
/// the comparison (exit 0 equivalent, 1 differences, 2 could not check).
pub fn main(args: ExportArgs) -> ExitCode {
    if args.check {
        return check_main(&args);
    }
    match render(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("corsgate export: {}", printable_lines(&e.to_string()));
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}

fn check_main(args: &ExportArgs) -> ExitCode {
    let fail = |m: &str| {
        eprintln!("corsgate export --check: {}", printable_lines(m));
        ExitCode::from(crate::EXIT_USAGE)
    };
    let cors = match policy::load(&args.policy) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    if let Err(e) = corsgate_export::Plan::new(&cors, args.to) {
        return fail(&e.to_string());
    }
    let upstream = match Upstream::parse(args.upstream.as_deref().unwrap_or_default()) {
        Ok(u) => u,
        Err(e) => return fail(&e),
    };
    let url = args.url.clone().unwrap_or_default();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start: {e}")),
    };
    let timeout = Duration::from_secs(args.timeout.max(1));
    match runtime.block_on(check::compare(&cors, args.to, &url, &upstream, timeout)) {
        Ok(outcome) => {
            print!("{}", printable_lines(&outcome.render()));
            ExitCode::from(u8::from(!outcome.differences.is_empty()))
        }
        Err(e) => fail(&e),
    }
}
