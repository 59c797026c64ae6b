//! `corsgate check`: flags → [`Probe`] → engines over a transport → [`Report`] → render.

pub mod client;
mod diagnose;
pub(crate) mod engines;
pub mod fix;
pub mod flags;
pub mod human;
pub mod json;
mod observe;
pub(crate) mod offline;
pub mod probe;
pub mod report;

use std::fmt;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use corsgate::Cors;

pub use client::Client;
pub use engines::{BodyEnd, Deadline, Sent};
pub use flags::CheckArgs;
pub use probe::Probe;
pub use report::Report;

use self::engines::Transport;
use self::fix::ServerPolicy;
use self::offline::OfflinePolicy;
use self::report::Source;
use corsgate_config::policy::{self, PolicyFileError};

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

/// Checks the request the flags describe over the network (or against `args.policy`
/// offline, when set).
pub async fn check(args: &CheckArgs) -> Result<Report, CheckError> {
    if let Some(path) = &args.policy {
        let cors = policy::load(path).map_err(CheckError::Policy)?;
        return check_policy(&args.probe()?, &cors, Some(path)).await;
    }
    let client = Client::new(Duration::from_secs(args.timeout), args.cacert.as_deref())?;
    check_network(&args.probe()?, &client).await
}

/// Checks the request the flags describe against a corsgate policy, offline.
pub async fn check_offline(cors: &Cors, args: &CheckArgs) -> Result<Report, CheckError> {
    check_policy(&args.probe()?, cors, None).await
}

/// Checks `probe` against the server, over HTTP(S) with `client`. The fix starts from what
/// the server's answers show it allows.
pub async fn check_network(probe: &Probe, client: &Client) -> Result<Report, CheckError> {
    let deadline = Deadline::after(client.timeout());
    run(probe, client, Some(deadline), Source::Network, None, None).await
}

/// Checks `probe` against a corsgate policy, offline: the library's tower layer answers, in
/// front of a stub application. `file` is the policy's file, for the report.
pub async fn check_policy(
    probe: &Probe,
    cors: &Cors,
    file: Option<&Path>,
) -> Result<Report, CheckError> {
    let known = observe::from_config(&cors.config());
    let file = file.map(|f| f.display().to_string());
    run(
        probe,
        &OfflinePolicy::new(cors),
        None,
        Source::Policy,
        file,
        Some(known),
    )
    .await
}

/// Drives both engines over `transport` (all before `deadline`, when there is one) and
/// builds the report; the fix starts from `known`, else from what the answers show.
async fn run<T: Transport>(
    probe: &Probe,
    transport: &T,
    deadline: Option<Deadline>,
    source: Source,
    policy_file: Option<String>,
    known: Option<ServerPolicy>,
) -> Result<Report, CheckError> {
    let runs = engines::run(probe, transport, deadline).await?;
    let found = diagnose::run(probe, &runs, transport, deadline).await;
    let current = known.unwrap_or_else(|| observe::from_responses(&runs.chrome_log));
    Ok(Report::build(
        probe,
        runs,
        found,
        source,
        policy_file,
        &current,
    ))
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
                match json::render(&report) {
                    Ok(s) => s,
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
            eprintln!(
                "corsgate check: {}",
                corsgate_config::text::printable_lines(&e.to_string())
            );
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}
