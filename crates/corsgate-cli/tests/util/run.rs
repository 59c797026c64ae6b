//! The `corsgate` binary, run with a deadline: past it the process is killed and reaped, so
//! a hung run fails its test instead of hanging the suite.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long one `corsgate` run may take.
pub const LIMIT: Duration = Duration::from_secs(30);

/// `corsgate ARGS`: stdin closed, stdout and stderr piped, `NO_COLOR` unset (a test that
/// wants it sets it).
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_corsgate"));
    command
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Starts `command`. The binary lives in the target directory, where another build may be
/// relinking it right now: a few bounded tries before giving up.
pub fn spawn(command: &mut Command) -> std::io::Result<Child> {
    let mut tries = 0;
    loop {
        match command.spawn() {
            Ok(child) => return Ok(child),
            Err(_) if tries < 40 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Waits for `child` to exit, at most `within`; past that, kills and reaps it: `None`.
pub fn wait(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// What one run gave.
#[derive(Debug)]
pub struct Run {
    /// `None`: it did not start, or was killed at the deadline (`stderr` says which).
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `corsgate ARGS` with `env` added, bounded by `within`. Never panics: for callers that
/// report a failure to start or a timeout with everything else they compare.
pub fn run_within(args: &[&str], env: &[(&str, &str)], within: Duration) -> Run {
    let mut command = command(args);
    command.envs(env.iter().copied());
    run_command(command, None, within)
}

/// Runs `corsgate ARGS` with `input` written to its stdin (a pipe; a write error, such as
/// corsgate no longer reading, ends the writing), bounded by [`LIMIT`].
pub fn run_with_stdin(args: &[&str], input: Vec<u8>) -> Run {
    run_command(command(args), Some(input), LIMIT)
}

/// Runs `command` (stdout and stderr piped by the caller; stdin a pipe carrying `input` when
/// given), bounded by `within`.
pub fn run_command(mut command: Command, input: Option<Vec<u8>>, within: Duration) -> Run {
    if input.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = match spawn(&mut command) {
        Ok(child) => child,
        Err(e) => {
            return Run {
                status: None,
                stdout: String::new(),
                stderr: format!("cannot start corsgate: {e}"),
            }
        }
    };
    let writer = input.and_then(|bytes| {
        let mut stdin = child.stdin.take()?;
        Some(std::thread::spawn(move || {
            use std::io::Write as _;
            let _ = stdin.write_all(&bytes);
        }))
    });
    // Read both pipes while it runs (a full pipe would block it).
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = wait(&mut child, within);
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let stdout = out_reader.join().unwrap_or_default();
    let mut stderr = err_reader.join().unwrap_or_default();
    if status.is_none() {
        stderr.push_str(&format!("\n(killed: no exit within {within:?})"));
    }
    Run {
        status,
        stdout,
        stderr,
    }
}

/// Runs `corsgate ARGS` with `env` added (bounded by [`LIMIT`]; a run that does not end by
/// then fails the test): exit status, stdout, stderr.
pub fn corsgate(args: &[&str], env: &[(&str, &str)]) -> (ExitStatus, String, String) {
    let run = run_within(args, env, LIMIT);
    let status = run
        .status
        .unwrap_or_else(|| panic!("corsgate {args:?}: {}", run.stderr.trim()));
    (status, run.stdout, run.stderr)
}

/// Runs `corsgate check ARGS --json`: exit code and the parsed document. Every corsgate
/// policy a check prints as its fix must build (see [`assert_fix_builds`]).
pub fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push("--json");
    let (status, out, err) = corsgate(&all, &[]);
    let code = status.code().expect("exit code");
    let doc = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    assert_fix_builds(&doc, args);
    (code, doc)
}

/// The corsgate fix of a `check --json` document (`fix.corsgate`), when it has one, is a
/// valid policy: it parses as a [`corsgate::Config`] and builds. Every test scenario that
/// goes through [`check_json`] checks it.
pub fn assert_fix_builds(doc: &serde_json::Value, args: &[&str]) {
    let Some(toml_text) = doc["fix"]["corsgate"].as_str() else {
        return;
    };
    let config: corsgate::Config = toml::from_str(toml_text).unwrap_or_else(|e| {
        panic!("check {args:?}: the fix is not a policy file ({e}):\n{toml_text}")
    });
    if let Err(e) = config.build() {
        panic!("check {args:?}: the fix does not build:\n{toml_text}\n{e}");
    }
}

/// Runs `corsgate audit ARGS --json`: exit code and the parsed document. Every corsgate
/// policy a finding prints as its fix must build.
pub fn audit_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.push("--json");
    let (status, out, err) = corsgate(&all, &[]);
    let code = status.code().unwrap_or(-1);
    let doc: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("audit {args:?}: not JSON ({e}): {out}\nstderr: {err}"));
    for f in doc["findings"].as_array().into_iter().flatten() {
        let Some(text) = f["fix"]["corsgate"].as_str() else {
            continue;
        };
        let config: corsgate::Config = toml::from_str(text)
            .unwrap_or_else(|e| panic!("audit {args:?}: the fix is not a policy ({e}):\n{text}"));
        if let Err(e) = config.build() {
            panic!("audit {args:?}: the fix does not build:\n{text}\n{e}");
        }
    }
    (code, doc)
}
