//! `corsgate check`: what a browser does with one cross-origin request, and the fix.
//!
//! The shell around the library's browser core ([`corsgate_browser`]): it sends the
//! requests the core's [`Flow`](corsgate_browser::Flow) asks for — the preflight when one is
//! needed, then the actual request, each redirect hop — over real HTTP(S) without following
//! redirects itself, feeds each response back, and stops where the browser stops. With
//! `--policy` the responses come from a corsgate policy run offline instead (the library's
//! tower layer over a stub application), so server core and browser core are checked together.
//!
//! Modules, one job each: [`args`] (flags), [`client`] (HTTP I/O only), [`run`] (drives the
//! flow for Chrome and Firefox), [`report`] (the JSON document), [`human`] (plain-words
//! rendering), [`fix`] (the fix for four server stacks).

pub mod args;
pub mod client;
pub mod fix;
pub mod human;
pub mod report;
pub mod run;

use std::fmt;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use corsgate::Cors;

pub use args::CheckArgs;
pub use report::Report;

use crate::policy_file::{self, PolicyFileError};

/// Why a check could not be made (exit status 2).
#[derive(Debug)]
pub enum CheckError {
    /// Bad flags, URL or origin.
    Usage(String),
    /// The server could not be reached or did not answer (in time).
    Network(String),
    /// The `--policy` file is invalid.
    Policy(PolicyFileError),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Usage(m) => f.write_str(m),
            CheckError::Network(m) => write!(f, "could not check: {m}"),
            CheckError::Policy(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CheckError {}

fn body(args: &CheckArgs) -> Option<Bytes> {
    args.data.as_ref().map(|d| Bytes::from(d.clone()))
}

/// Checks the request over the network (or against `args.policy` offline, when set).
pub async fn check(args: &CheckArgs) -> Result<Report, CheckError> {
    if let Some(path) = &args.policy {
        let cors = policy_file::load(path).map_err(CheckError::Policy)?;
        return check_offline_named(&cors, args, Some(path)).await;
    }
    let client = client::Client::new(Duration::from_secs(args.timeout), args.cacert.as_deref())?;
    let mut transport = run::Network {
        client,
        body: body(args),
    };
    run::run(args, &mut transport, report::Source::Network, None).await
}

/// Checks the request against a corsgate policy, offline: the library's layer answers.
pub async fn check_offline(cors: &Cors, args: &CheckArgs) -> Result<Report, CheckError> {
    check_offline_named(cors, args, None).await
}

async fn check_offline_named(
    cors: &Cors,
    args: &CheckArgs,
    file: Option<&Path>,
) -> Result<Report, CheckError> {
    let mut transport = run::Policy {
        cors: cors.clone(),
        body: body(args),
    };
    let name = file.map(|f| f.display().to_string()).unwrap_or_default();
    let current = run::config_policy(&cors.config());
    run::run(
        args,
        &mut transport,
        report::Source::Policy,
        Some((name.as_str(), current)),
    )
    .await
    .map(|mut r| {
        if file.is_none() {
            r.policy_file = None;
        }
        r
    })
}

/// `corsgate check`: prints the report; exit 0 allowed, 1 blocked, 2 could not check.
pub fn main(args: CheckArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("corsgate check: cannot start: {e}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    match runtime.block_on(check(&args)) {
        Ok(report) => {
            let text = if args.json {
                match serde_json::to_string_pretty(&report) {
                    Ok(s) => s + "\n",
                    Err(e) => {
                        eprintln!("corsgate check: cannot write JSON: {e}");
                        return ExitCode::from(crate::EXIT_USAGE);
                    }
                }
            } else {
                human::render(&report, human::use_color())
            };
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::from(report.exit_code())
        }
        Err(e) => {
            eprintln!("corsgate check: {e}");
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}
