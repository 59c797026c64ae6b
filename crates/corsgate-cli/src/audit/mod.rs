//! `corsgate audit`: flags → Target → probes → send (network or policy) → verdicts → findings → Report → render.

pub mod classify;
pub mod findings;
pub mod fixes;
pub mod flags;
pub mod human;
pub mod json;
pub mod probes;
pub mod report;
mod send;

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use corsgate::Cors;
use corsgate_config::policy;

pub use findings::{Class, Severity};
pub use flags::{AuditArgs, Target};
pub use probes::Probe;
pub use report::{Report, Source};
pub use send::Pace;

use crate::check::offline::OfflinePolicy;
use crate::check::{CheckError, Client};

/// An audit ready to run: the target and the probes it sends (their number is fixed).
#[derive(Clone, Debug)]
pub struct Plan {
    /// What is audited.
    pub target: Target,
    /// The probes, in the order sent.
    pub probes: Vec<Probe>,
}

impl Plan {
    /// The plan for the flags (validated).
    pub fn new(args: &AuditArgs) -> Result<Plan, CheckError> {
        let target = args.target()?;
        let probes = probes::probes(&target);
        Ok(Plan { target, probes })
    }

    /// `27 requests to https://api.example.com/data, at most 10 per second.`
    pub fn announce(&self, rate: Option<f64>) -> String {
        let n = self.probes.len();
        match rate {
            Some(r) => format!(
                "corsgate audit: {n} requests to {}, at most {r} per second.",
                self.target.url
            ),
            None => format!(
                "corsgate audit: {n} requests to {}, answered offline by the policy (no network).",
                self.target.url
            ),
        }
    }
}

/// Runs the audit the flags describe (the policy file offline when `--policy` is given).
pub async fn audit(args: &AuditArgs) -> Result<Report, CheckError> {
    let plan = Plan::new(args)?;
    run(args, &plan).await
}

/// Runs `plan` as the flags say: over the network, or against `--policy` offline.
pub async fn run(args: &AuditArgs, plan: &Plan) -> Result<Report, CheckError> {
    if let Some(path) = &args.policy {
        let cors = policy::load(path).map_err(CheckError::Policy)?;
        return run_policy(plan, &cors, Some(path), args.fail_on).await;
    }
    let timeout = Duration::from_secs(args.timeout);
    let client = Client::new(timeout, args.cacert.as_deref())?;
    let pace = Pace {
        rate: Some(args.rate),
        timeout: Some(timeout),
    };
    run_network(plan, &client, pace, args.fail_on).await
}

/// Sends the probes over HTTP(S) with `client`, paced.
pub async fn run_network(
    plan: &Plan,
    client: &Client,
    pace: Pace,
    fail_on: Severity,
) -> Result<Report, CheckError> {
    let (sent, responses) = send::send_all(client, &plan.probes, pace).await?;
    Ok(Report::build(
        &plan.target,
        &plan.probes,
        &sent,
        &responses,
        Source::Network,
        None,
        fail_on,
    ))
}

/// Answers the probes with a corsgate policy's layer, offline (`file`: the policy's file,
/// for the report).
pub async fn run_policy(
    plan: &Plan,
    cors: &Cors,
    file: Option<&Path>,
    fail_on: Severity,
) -> Result<Report, CheckError> {
    let pace = Pace {
        rate: None,
        timeout: None,
    };
    let (sent, responses) = send::send_all(&OfflinePolicy::new(cors), &plan.probes, pace).await?;
    Ok(Report::build(
        &plan.target,
        &plan.probes,
        &sent,
        &responses,
        Source::Policy,
        file.map(|f| f.display().to_string()),
        fail_on,
    ))
}

/// `corsgate audit`: says how many requests (stderr, human output only), runs, prints;
/// exit 1 when a finding reaches `--fail-on`, 0 otherwise, 2 when the audit could not run.
pub fn main(args: AuditArgs) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!(
            "corsgate audit: {}",
            corsgate_config::text::printable_lines(&e.to_string())
        );
        ExitCode::from(crate::EXIT_USAGE)
    };
    let plan = match Plan::new(&args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start: {e}")),
    };
    if !args.json {
        let rate = args.policy.is_none().then_some(args.rate);
        eprintln!("{}", corsgate_config::text::printable(&plan.announce(rate)));
    }
    match runtime.block_on(run(&args, &plan)) {
        Ok(report) => {
            let text = if args.json {
                match json::render(&report) {
                    Ok(s) => s,
                    Err(e) => return fail(&format!("cannot write JSON: {e}")),
                }
            } else {
                human::render(&report, crate::check::human::use_color())
            };
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::from(report.exit_code)
        }
        Err(CheckError::Network(m)) => fail(&format!("could not run: {m}")),
        Err(e) => fail(&e),
    }
}
