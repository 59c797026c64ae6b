//! Render: the audit report in plain words, grouped by severity (colour on a terminal); everything echoed is made printable.

use std::fmt::Write as _;

use corsgate_config::text::printable;

use super::findings::Severity;
use super::probes::Call;
use super::report::{FindingReport, ProbeReport, Report, Source};

/// The most probes listed under one finding (`--json` lists them all).
pub const PROBES_SHOWN: usize = 3;

/// ANSI styles, or nothing.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn severity(&self, s: Severity, text: &str) -> String {
        let code = match s {
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;36",
            Severity::Info => "2",
        };
        self.paint(code, text)
    }
}

/// The report in words; `color`: ANSI colours (see `check::human::use_color`).
pub fn render(report: &Report, color: bool) -> String {
    let st = Style { on: color };
    let mut out = String::new();
    let source = match report.source {
        Source::Network => "over the network".to_owned(),
        Source::Policy => format!(
            "offline, against {}",
            printable(report.policy_file.as_deref().unwrap_or("the policy"))
        ),
    };
    let _ = writeln!(
        out,
        "{} {} ({source}, {} requests)",
        st.paint("1", "Audit of"),
        printable(&report.url),
        report.requests
    );
    if report.trusted_origins.is_empty() {
        let _ = writeln!(
            out,
            "Trusted origins: none given (--origin); the forged origins are built from the URL's."
        );
    } else {
        let list: Vec<String> = report
            .trusted_origins
            .iter()
            .map(|o| printable(o).into_owned())
            .collect();
        let _ = writeln!(out, "Trusted origins: {}", list.join(", "));
    }
    if report.call.preflight {
        let _ = writeln!(
            out,
            "The pages' call: {} (preflighted)",
            page_call(
                &report.call.method,
                &report
                    .call
                    .headers
                    .iter()
                    .map(|h| h.name.clone())
                    .collect::<Vec<_>>()
            )
        );
    }
    if report.public {
        let _ = writeln!(
            out,
            "A public API: any origin may read it without credentials (Access-Control-Allow-Origin: *)."
        );
    }
    for severity in [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let group: Vec<&FindingReport> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let label = severity.name().to_uppercase();
        let _ = writeln!(
            out,
            "\n{} ({} finding{})",
            st.severity(severity, &label),
            group.len(),
            if group.len() == 1 { "" } else { "s" }
        );
        for f in group {
            finding(&mut out, &st, f);
        }
    }
    let c = report.counts;
    if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "\nNo findings: no forged origin could read the answers, and the hygiene checks passed."
        );
    }
    let _ = writeln!(
        out,
        "\nSummary: {} high, {} medium, {} low, {} info.",
        c.high, c.medium, c.low, c.info
    );
    let _ = writeln!(
        out,
        "{}",
        if report.exit_code == 1 {
            format!(
                "Exit 1: a finding is {} or worse (--fail-on {}).",
                report.fail_on.name(),
                report.fail_on.name()
            )
        } else {
            format!(
                "Exit 0: no finding is {} or worse (--fail-on {}).",
                report.fail_on.name(),
                report.fail_on.name()
            )
        }
    );
    out
}

fn finding(out: &mut String, st: &Style, f: &FindingReport) {
    let class = serde_json::to_value(f.class)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n  {} {}: {}",
        st.severity(f.severity, &format!("[{}]", f.severity.name())),
        st.paint("1", &class),
        f.title
    );
    let _ = writeln!(out, "    Why: {}", f.why);
    let n = f.probes.len();
    let _ = writeln!(
        out,
        "    Shown by {n} probe{}:",
        if n == 1 { "" } else { "s" }
    );
    for p in f.probes.iter().take(PROBES_SHOWN) {
        probe(out, p);
    }
    if n > PROBES_SHOWN {
        let _ = writeln!(
            out,
            "      ... and {} more (--json lists them all)",
            n - PROBES_SHOWN
        );
    }
    let _ = writeln!(out, "    Fix: {}", f.fix.summary);
    for (name, text) in [
        ("corsgate policy (TOML)", &f.fix.corsgate),
        ("npm cors (Express)", &f.fix.npm_cors),
        ("tower-http (axum, tonic)", &f.fix.tower_http),
        ("nginx", &f.fix.nginx),
    ] {
        if let Some(text) = text {
            let _ = writeln!(out, "      {name}:");
            for line in text.lines() {
                let _ = writeln!(out, "        {}", printable(line));
            }
        }
    }
}

/// `PUT with x-token`.
fn page_call(method: &str, headers: &[String]) -> String {
    let mut s = printable(method).into_owned();
    if !headers.is_empty() {
        let names: Vec<String> = headers.iter().map(|h| printable(h).into_owned()).collect();
        s.push_str(&format!(" with {}", names.join(", ")));
    }
    s
}

/// One probe on one line, its answer's CORS headers on the next.
fn probe(out: &mut String, p: &ProbeReport) {
    let what = match p.call {
        Call::Simple => "GET".to_owned(),
        Call::Preflight => {
            let names: Vec<String> = p.page_headers.iter().map(|h| h.name.clone()).collect();
            format!(
                "OPTIONS (preflight of {})",
                page_call(&p.page_method, &names)
            )
        }
        Call::GetPreflight => "OPTIONS (preflight asking for GET)".to_owned(),
        Call::PrivateNetwork => "OPTIONS (Private Network Access preflight)".to_owned(),
    };
    let readable = match (p.readable.with_credentials, p.readable.without_credentials) {
        (true, _) => "readable with credentials",
        (false, true) => "readable without credentials",
        (false, false) => "not readable",
    };
    let _ = writeln!(out, "      > {what} from Origin: {}", printable(&p.origin));
    let relevant: Vec<String> = p
        .response
        .headers
        .iter()
        .filter(|h| {
            h.name.starts_with("access-control-") || h.name == "vary" || h.name == "location"
        })
        .map(|h| format!("{}: {}", h.name, printable(&h.value)))
        .collect();
    let headers = if relevant.is_empty() {
        "no CORS headers".to_owned()
    } else {
        relevant.join("; ")
    };
    let _ = writeln!(out, "      < {}; {headers} ({readable})", p.response.status);
}
