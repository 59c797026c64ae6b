//! The `corsgate` binary itself: `--help`, and the exit statuses and messages of `corsgate demo`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::corsgate;
use crate::util::run::{command, spawn, LIMIT};

/// Runs to completion (bounded): status, stdout, stderr.
fn run(args: &[&str]) -> (ExitStatus, String, String) {
    corsgate(args, &[])
}

/// Waits (bounded) for the child to exit; kills it if it does not.
fn wait(child: &mut Child) -> ExitStatus {
    crate::util::run::wait(child, LIMIT)
        .unwrap_or_else(|| panic!("corsgate did not exit within {LIMIT:?}"))
}

/// `corsgate --help` describes the binary as it is: the subcommands its about line names and
/// those of its Commands section are exactly the ones clap knows (none planned, none missing).
#[test]
fn help_lists_exactly_the_subcommands_clap_knows() {
    use clap::CommandFactory;
    let known: Vec<String> = corsgate_cli::cli::Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect();
    assert!(known.contains(&"check".to_owned()), "{known:?}");
    let (status, out, err) = run(&["--help"]);
    assert_eq!(status.code(), Some(0), "{err}");
    let section: Vec<String> = out
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert_eq!(section, known, "the Commands section of:\n{out}");
    let about = out.lines().next().unwrap_or_default();
    let listed: Vec<String> = about
        .rsplit_once(": ")
        .map(|(_, list)| {
            list.trim_end_matches('.')
                .split(", ")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(listed, known, "the about line: {about}");
}

#[test]
fn api_port_in_use_exits_2_naming_the_port() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (status, _, err) = run(&["demo", "--api-port", &port.to_string(), "--page-port", "0"]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "corsgate demo: cannot start the demo API on 127.0.0.1:{port}: port {port} is \
             already in use (by another program, or another `corsgate demo`). Stop it, or \
             choose another port with --api-port <PORT>."
        )
    );
}

#[test]
fn page_port_in_use_exits_2_naming_the_port() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (status, _, err) = run(&["demo", "--api-port", "0", "--page-port", &port.to_string()]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert!(
        err.contains(&format!("port {port} is already in use"))
            && err.contains("--page-port <PORT>"),
        "stderr: {err}"
    );
}

#[test]
fn bad_origin_exits_2_with_the_library_error() {
    let (status, out, err) = run(&[
        "demo",
        "--api-port",
        "0",
        "--page-port",
        "0",
        "--allow-origin",
        "https://a.com:443",
    ]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(out, "", "nothing starts");
    let library = corsgate::Config::new()
        .allow_origins(["https://a.com:443"])
        .allow_methods(["GET", "POST"])
        .build()
        .expect_err("the library refuses it")
        .to_string();
    assert!(
        library.contains(
            "allow_origins[0] = \"https://a.com:443\": browsers omit the scheme's default port; \
             use https://a.com"
        ),
        "{library}"
    );
    assert!(
        err.starts_with(&format!("corsgate demo: {library}\n")),
        "stderr: {err}"
    );
}

#[test]
fn every_policy_problem_is_reported_at_once() {
    let (status, _, err) = run(&[
        "demo",
        "--allow-origin",
        "*",
        "--credentials",
        "--allow-method",
        "TRACE",
        "--max-age",
        "-5",
    ]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert!(
        err.contains("invalid CORS policy: 3 problems"),
        "stderr: {err}"
    );
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["demo", "--api-port", "nope"][..],
        &["demo", "--api-port", "70000"],
        &["demo", "--max-age", "soon"],
        &["demo", "--bogus"],
        &["nope"],
    ] {
        let (status, _, err) = run(args);
        assert_eq!(status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn same_port_for_both_exits_2() {
    let (status, _, err) = run(&["demo", "--api-port", "4321", "--page-port", "4321"]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end(),
        "corsgate demo: --api-port and --page-port are both 4321: the API and the page need \
         two different ports."
    );
}

/// Starts for real, prints where to go and what to try, and stops cleanly on Ctrl-C.
#[test]
fn starts_prints_instructions_and_stops_on_ctrl_c() {
    let mut child = spawn(&mut command(&[
        "demo",
        "--api-port",
        "0",
        "--page-port",
        "0",
    ]))
    .expect("start corsgate");
    let stdout = child.stdout.take().expect("stdout");
    let (lines_tx, lines) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + LIMIT;
    while !seen
        .iter()
        .any(|l: &String| l == "Ctrl-C stops both servers.")
    {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no instructions within {LIMIT:?}: {seen:#?}");
            }
        }
    }
    let text = seen.join("\n");
    assert!(
        text.starts_with("corsgate demo: the CORS tutorial, live"),
        "{text}"
    );
    assert!(
        text.contains("  Open the page  http://127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("/data  (listening on 127.0.0.1:"), "{text}");
    assert!(
        text.contains("allow_methods     = [\"GET\", \"POST\"]"),
        "{text}"
    );

    // Ctrl-C is SIGINT.
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let status = wait(&mut child);
    assert_eq!(status.code(), Some(0));
    let mut rest = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(2)) {
        rest.push(line);
    }
    let _ = reader.join();
    assert!(rest.iter().any(|l| l == "Stopping the demo."), "{rest:?}");
}
