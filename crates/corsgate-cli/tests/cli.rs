//! The `corsgate` binary itself: `--help`, and the exit statuses and messages of `corsgate demo`.

use std::io::{BufRead, BufReader, Read, Write};
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

/// This test process as the demo names a port's holder: `process <pid> (<name>)`.
fn this_process() -> String {
    let comm = std::fs::read_to_string("/proc/self/comm").expect("/proc/self/comm");
    format!("process {} ({})", std::process::id(), comm.trim_end())
}

/// A port taken by another process: the message names the process holding it (found through
/// Linux's `/proc`) and the flag that moves the demo elsewhere.
#[test]
fn api_port_in_use_exits_2_naming_the_port_and_its_holder() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (status, _, err) = run(&["demo", "--api-port", &port.to_string(), "--page-port", "0"]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "corsgate demo: cannot start the demo API on 127.0.0.1:{port}: port {port} is \
             already in use by {}. Stop it, or choose another port with --api-port <PORT> (0 \
             picks a free one).",
            this_process()
        )
    );
}

#[test]
fn page_port_in_use_exits_2_naming_the_port_and_its_holder() {
    // On every address, as many servers listen: it holds 127.0.0.1 too.
    let taken = TcpListener::bind("0.0.0.0:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (status, _, err) = run(&["demo", "--api-port", "0", "--page-port", &port.to_string()]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "corsgate demo: cannot start the demo page on 127.0.0.1:{port}: port {port} is \
             already in use by {}. Stop it, or choose another port with --page-port <PORT> (0 \
             picks a free one).",
            this_process()
        )
    );
}

/// `[::1]` taken at the API's port (where the machine has IPv6): that process would answer
/// browsers that resolve `localhost` to `[::1]`, so the demo does not start, and names it.
#[test]
fn api_ipv6_port_in_use_names_its_holder() {
    let Ok(taken) = TcpListener::bind("[::1]:0") else {
        return; // no IPv6 loopback here: the API binds 127.0.0.1 alone
    };
    let port = taken.local_addr().expect("addr").port();
    if TcpListener::bind(("127.0.0.1", port)).is_err() {
        return; // 127.0.0.1 at that port is taken too: not this case
    }
    let (status, _, err) = run(&["demo", "--api-port", &port.to_string(), "--page-port", "0"]);
    assert_eq!(status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "corsgate demo: cannot start the demo API on [::1]:{port}: port {port} is already \
             in use by {}. Stop it, or choose another port with --api-port <PORT> (0 picks a \
             free one).",
            this_process()
        )
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

/// `corsgate demo` running as a process, its stdout read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Every line read so far.
    seen: Vec<String>,
}

impl Running {
    /// Starts `corsgate demo ARGS` and waits (bounded) for its instructions.
    fn start(args: &[&str]) -> Running {
        let mut all = vec!["demo"];
        all.extend_from_slice(args);
        let mut child = spawn(&mut command(&all)).expect("start corsgate");
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
        let mut running = Running {
            child,
            lines,
            reader: Some(reader),
            seen: Vec::new(),
        };
        running.line(|l| l == "Ctrl-C stops both servers.", "the instructions");
        running
    }

    /// Waits (bounded) for the next line that matches, and returns it.
    fn line(&mut self, matches: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no {what} within {LIMIT:?}: {:#?}", self.seen),
            }
        }
    }

    /// The port in the instructions' line that starts with `prefix`, after `127.0.0.1:`.
    fn port(&self, prefix: &str) -> u16 {
        self.seen
            .iter()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|rest| rest.split("127.0.0.1:").nth(1))
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix:?} line with a port: {:#?}", self.seen))
    }

    /// The page server's port, from the instructions.
    fn page_port(&self) -> u16 {
        self.port("  Open the page  http://")
    }

    /// The API's port, from the instructions.
    fn api_port(&self) -> u16 {
        self.port("  The API        http://localhost:")
    }

    /// Ctrl-C (SIGINT), then the exit status and the lines printed after it.
    fn interrupt(mut self) -> (ExitStatus, Vec<String>) {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        assert!(sent.success());
        let status = wait(&mut self.child);
        let mut rest = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            rest.push(line);
        }
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        (status, rest)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends `request` as is (raw bytes) to `127.0.0.1:port` and reads the answer to its end.
fn raw_exchange(port: u16, request: &[u8]) -> Vec<u8> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(LIMIT)).expect("timeout");
    stream.write_all(request).expect("write");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// Starts for real, prints where to go and what to try, and stops cleanly on Ctrl-C.
#[test]
fn starts_prints_instructions_and_stops_on_ctrl_c() {
    let running = Running::start(&["--api-port", "0", "--page-port", "0"]);
    let text = running.seen.join("\n");
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
    let (status, rest) = running.interrupt();
    assert_eq!(status.code(), Some(0));
    assert!(rest.iter().any(|l| l == "Stopping the demo."), "{rest:?}");
}

/// The request log escapes every control character a client sends (C0, DEL, C1) and every
/// byte that is not UTF-8: a hostile `Origin` or path cannot drive the terminal. (Before, the
/// C1 characters and the tab were printed raw.)
#[test]
fn the_request_log_escapes_control_characters() {
    let mut running = Running::start(&["--api-port", "0", "--page-port", "0"]);
    let port = running.api_port();
    // The path carries NEL (U+0085) and CSI (U+009B) as UTF-8; the Origin the same CSI, a
    // tab, a lone 0x9b byte (CSI in 8-bit terminals) and a backslash.
    let mut request = b"GET /x\xc2\x85y\xc2\x9b2J HTTP/1.1\r\nHost: localhost\r\n".to_vec();
    request.extend_from_slice(b"Origin: http://evil\xc2\x9b31m\t\x9b\\.example\r\n");
    request.extend_from_slice(b"Connection: close\r\n\r\n");
    let answer = raw_exchange(port, &request);
    assert!(answer.starts_with(b"HTTP/1.1 404 "), "{answer:?}");
    let line = running.line(|l| l.starts_with("api  GET /x"), "log line");
    assert_eq!(
        line,
        r"api  GET /x\u{85}y\u{9b}2J  Origin: http://evil\u{9b}31m\x09\x9b\\.example  -> 404  (origin not allowed: no Access-Control-Allow-Origin)"
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
}

/// The page server's `corsgate check` replays a blocked request to say why; the log labels
/// those requests, so that the blocked request does not show up twice unexplained. A
/// browser's own requests (they always carry `User-Agent`) are not labelled.
#[test]
fn the_page_servers_replays_are_labelled_in_the_log() {
    let mut running = Running::start(&["--api-port", "0", "--page-port", "0"]);
    let (api, page) = (running.api_port(), running.page_port());
    let origin = format!("http://127.0.0.1:{page}");

    let browser = format!(
        "GET /data HTTP/1.1\r\nHost: localhost:{api}\r\nOrigin: {origin}\r\n\
         User-Agent: Mozilla/5.0\r\nConnection: close\r\n\r\n"
    );
    let answer = raw_exchange(api, browser.as_bytes());
    assert!(answer.starts_with(b"HTTP/1.1 200 "), "{answer:?}");
    let line = running.line(|l| l.starts_with("api  GET /data"), "the browser's GET");
    assert_eq!(
        line,
        format!(
            "api  GET /data  Origin: {origin}  -> 200  (origin allowed: \
             Access-Control-Allow-Origin sent)"
        )
    );

    // The page asks why its PUT was blocked: its server replays it, preflight first.
    let body = r#"{"request": "put"}"#;
    let check = format!(
        "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{page}\r\nOrigin: {origin}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n\
         {body}",
        body.len()
    );
    let answer = raw_exchange(page, check.as_bytes());
    assert!(answer.starts_with(b"HTTP/1.1 200 "), "{answer:?}");
    let line = running.line(
        |l| l.starts_with("api  OPTIONS /data"),
        "the replayed preflight",
    );
    assert_eq!(
        line,
        format!(
            "api  OPTIONS /data  Origin: {origin}  -> 204  (preflight for PUT: refused, the \
             requested method is not allowed; debug mode answers with the allowed lists so the \
             browser names what is missing)  [replayed by the page server's check]"
        )
    );
    assert!(
        running.seen.iter().any(
            |l| l.starts_with("Below: one line per request the API gets.")
                && l.ends_with("those lines end in [replayed by the page server's check].")
        ),
        "the instructions explain the label: {:#?}",
        running.seen
    );
}

/// `scripts/test.sh` finds a geckodriver that `cargo install` put in `~/.cargo/bin` even when
/// that directory is not on `PATH` yet, instead of building it again (minutes, silently).
#[test]
fn test_script_finds_geckodriver_in_cargo_bin() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let home = std::env::temp_dir().join(format!("corsgate-test-sh-{}", std::process::id()));
    let bin = home.join(".cargo/bin");
    std::fs::create_dir_all(&bin).expect("a fake ~/.cargo/bin");
    let fake = bin.join("geckodriver");
    std::fs::write(&fake, "#!/bin/sh\nexit 0\n").expect("a fake geckodriver");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // PATH without any cargo bin directory: only the system's.
    let path = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .filter(|dir| !dir.contains(".cargo"))
        .collect::<Vec<_>>()
        .join(":");
    let out = Command::new("bash")
        .arg(root.join("scripts/test.sh"))
        .env("HOME", &home)
        .env("PATH", path)
        .env("CORSGATE_TEST_SETUP_ONLY", "1")
        .output()
        .expect("bash runs scripts/test.sh");
    let _ = std::fs::remove_dir_all(&home);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stdout.contains("geckodriver") && !stderr.contains("cargo install"),
        "test.sh tried to install geckodriver although ~/.cargo/bin has one:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("test.sh: setup done"), "{stdout}\n{stderr}");
}
