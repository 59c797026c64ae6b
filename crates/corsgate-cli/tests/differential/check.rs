//! `corsgate check --json` on one scenario, against what the browser did.

use super::*;

/// `corsgate check`'s answer for one scenario.
pub struct Checked {
    pub status: Option<i32>,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
    /// The requests it sent.
    pub seen: Vec<Seen>,
}

/// Does this build of `corsgate` have the `check` subcommand?
pub fn cli_has_check() -> bool {
    let help = run_within(&["--help"], &[], Duration::from_secs(20));
    help.stdout
        .lines()
        .any(|l| l.trim_start().starts_with("check "))
}

pub fn check_args(s: &Scenario, env: &Env) -> Vec<String> {
    let mut args = vec![
        "check".to_owned(),
        env.expand("{URL}", s.id),
        "--origin".to_owned(),
        env.page.clone(),
        "-X".to_owned(),
        s.method.to_owned(),
    ];
    for (n, v) in &s.headers {
        args.push("-H".to_owned());
        args.push(format!("{n}: {v}"));
    }
    args.push("--credentials".to_owned());
    args.push(s.credentials.to_owned());
    if let Some(b) = s.body {
        args.push("--data".to_owned());
        args.push(b.to_owned());
    }
    if s.xhr {
        args.push("--initiator".to_owned());
        args.push("xhr".to_owned());
    }
    args.push("--json".to_owned());
    args
}

pub fn run_check(s: &Scenario, env: &Env) -> Checked {
    let args = check_args(s, env);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_within(&args, &[], CHECK_LIMIT);
    let (status, stdout, stderr) = (run.status.and_then(|s| s.code()), run.stdout, run.stderr);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Checked {
        status,
        json,
        stdout,
        stderr,
        seen: Vec::new(),
    }
}

/// Comparison 4 for one scenario.
pub fn compare_check(
    kind: Browser,
    s: &Scenario,
    env: &Env,
    o: &Observed,
    browser_seen: &[Seen],
    c: &Checked,
    out: &mut Vec<String>,
) {
    let id = s.id;
    let browser = kind.name();
    let command = format!("corsgate {}", check_args(s, env).join(" "));
    if c.json.is_null() {
        out.push(format!(
            "[{id}] `{command}` printed no JSON (exit {:?}):\n    stdout: {}\n    stderr: {}",
            c.status,
            c.stdout.trim(),
            c.stderr.trim()
        ));
        return;
    }
    let verdict = c.json["verdict"].as_str().unwrap_or("(none)");
    let want_status = match verdict {
        "allowed" => Some(0),
        "blocked" => Some(1),
        _ => None,
    };
    if c.status != want_status {
        out.push(format!(
            "[{id}] check exit status {:?} with verdict {verdict:?}",
            c.status
        ));
    }
    let Some(observed) = o.verdict else {
        return;
    };
    // For a call that throws, what check prints as each browser's message is its exception,
    // which the page caught as `String(e)`.
    let engine = kind.engine();
    let throws = plan(&core_request(s, env), engine).is_err();
    let observed_lines = if throws {
        vec![o.error.clone()]
    } else {
        o.lines()
    };
    let observed_message = observed_lines.first().cloned();
    match kind {
        Browser::Chromium => {
            if verdict != observed.as_str() {
                out.push(format!(
                    "[{id}] verdict: chromium {}, check {verdict}",
                    observed.as_str()
                ));
            }
            let chrome_verdict = c.json["browsers"]["chrome"]["verdict"].as_str();
            if chrome_verdict != Some(observed.as_str()) {
                out.push(format!(
                    "[{id}] browsers.chrome.verdict: chromium {}, check {chrome_verdict:?}",
                    observed.as_str()
                ));
            }
            let message = c.json["message"].as_str().map(str::to_owned);
            if message != observed_message {
                out.push(format!(
                    "[{id}] message:\n    chrome: {}\n    check:  {}",
                    quoted(&observed_message),
                    quoted(&message)
                ));
            }
            if observed == Verdict::Allowed && verdict == "allowed" {
                match c.json["readable_headers"].as_array() {
                    Some(list) => {
                        let mut names: Vec<String> = list
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                            .collect();
                        names.sort();
                        if names != o.readable {
                            out.push(format!(
                                "[{id}] readable headers: chromium {:?}, check {names:?}",
                                o.readable
                            ));
                        }
                    }
                    None => out.push(format!(
                        "[{id}] check's readable_headers is not a list: {}",
                        c.json["readable_headers"]
                    )),
                }
            }
        }
        Browser::Firefox | Browser::WebKit => {
            let key = match kind {
                Browser::Firefox => "firefox",
                _ => "webkit",
            };
            let doc = &c.json["browsers"][key];
            let v = doc["verdict"].as_str();
            if v != Some(observed.as_str()) {
                out.push(format!(
                    "[{id}] browsers.{key}.verdict: {browser} {}, check {v:?}",
                    observed.as_str()
                ));
            }
            if doc["unobserved"] == true {
                out.push(format!(
                    "[{id}] browsers.{key} is unobserved, yet {browser} printed {observed_lines:?}"
                ));
            }
            // Byte for byte: `message`, then `followups`, against the browser's console lines.
            let lines: Vec<String> = doc["message"]
                .as_str()
                .into_iter()
                .chain(
                    doc["followups"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str),
                )
                .map(str::to_owned)
                .collect();
            if lines != observed_lines {
                out.push(format!(
                    "[{id}] browsers.{key} message and followups:\n    {browser}: {observed_lines:?}\n    check:   {lines:?}"
                ));
            }
        }
    }
    // The preflights check sent, against the browser's. `check` drives a Chrome flow, then a
    // Firefox flow, then a WebKit flow (replaying the requests they share), so the server sees
    // every engine's preflights: each one the browser sent must be among them, and any other
    // must be the one the core plans for another engine (DPR: Firefox preflights, Chrome does
    // not).
    let base = s.base_path();
    let mut b: Vec<_> = sent_to(browser_seen, Listener::Api, &base, true)
        .iter()
        .map(|r| preflight_shape(r))
        .collect();
    let mut k: Vec<_> = sent_to(&c.seen, Listener::Api, &base, true)
        .iter()
        .map(|r| preflight_shape(r))
        .collect();
    // The extra preflights check lists as its diagnosis are not the browser's.
    for extra in diagnosis_shapes(&c.json) {
        if let Some(i) = k.iter().position(|x| *x == extra) {
            k.remove(i);
        }
    }
    b.dedup();
    k.sort();
    k.dedup();
    let other_plans: Vec<_> = Browser::ALL
        .iter()
        .filter(|b| **b != kind)
        .filter_map(|b| plan(&core_request(s, env), b.engine()).ok())
        .filter_map(|p| p.preflight)
        .map(|p| core_preflight_shape(&p))
        .collect();
    let missing: Vec<_> = b.iter().filter(|x| !k.contains(x)).collect();
    let extra: Vec<_> = k
        .iter()
        .filter(|x| !b.contains(x) && !other_plans.contains(*x))
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        out.push(format!(
            "[{id}] preflights (Origin, ACRM, ACRH): {browser} sent {b:?}, check sent {k:?}"
        ));
    }
}
