//! `corsgate serve` run as a process, from the built binary ([`super::run::command`]): started
//! on a free loopback port (`--listen 127.0.0.1:0`, the port read from its `listening on` log
//! line), its log kept, killed and reaped when dropped (failed test or not).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Child;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long the gateway may take to listen.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A running `corsgate serve`.
pub struct Gateway {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Gateway {
    /// `corsgate serve ARGS --listen 127.0.0.1:0` (unless ARGS has `--listen` or `--config`),
    /// waiting (bounded) until it says where it listens. Panics with its output when it exits
    /// or does not listen in time.
    pub fn start(args: &[&str]) -> Gateway {
        let mut all = vec!["serve"];
        all.extend_from_slice(args);
        if !args.iter().any(|a| *a == "--listen" || *a == "--config") {
            all.extend(["--listen", "127.0.0.1:0"]);
        }
        let mut command = super::run::command(&all);
        // The text log: the port is read from its `listening on http://ADDR` line.
        command.env_remove("RUST_LOG");
        let mut child = super::run::spawn(&mut command)
            .unwrap_or_else(|e| panic!("cannot start corsgate {all:?}: {e}"));
        // stdout is not read by anyone: drop the pipe so a write never blocks the gateway.
        drop(child.stdout.take());
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let kept = Arc::clone(&log);
        // Reads the log all along (a full pipe would stall the gateway), keeping it.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = listening_addr(&line) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr);
                    }
                }
                let mut log = kept.lock().unwrap_or_else(PoisonError::into_inner);
                if log.len() < 1 << 20 {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let mut gateway = Gateway {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            log,
        };
        match rx.recv_timeout(START_LIMIT) {
            Ok(addr) => gateway.addr = addr,
            Err(_) => {
                let status = super::run::wait(&mut gateway.child, Duration::from_secs(2));
                // Let the reader take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "corsgate {all:?} did not listen within {START_LIMIT:?} (exit: {status:?}); \
                     its log:\n{}",
                    gateway.log()
                );
            }
        }
        gateway
    }

    /// `http://127.0.0.1:PORT` (a TLS listener: build the `https:` URL from [`Gateway::port`]).
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// [`Gateway::origin`] + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends it a signal (`HUP`, `TERM`...) with kill(1).
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .expect("kill(1) runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for it to exit, at most `within` (then kills it: `None`).
    pub fn wait(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let status = super::run::wait(&mut self.child, within);
        // Let the log reader take the last lines.
        std::thread::sleep(Duration::from_millis(100));
        status
    }

    /// What it logged so far (stderr).
    pub fn log(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address of a `... corsgate::server: listening on http://ADDR` log line (`https://`
/// for a TLS listener).
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let (_, rest) = line.split_once("listening on ")?;
    let rest = rest
        .strip_prefix("http://")
        .or_else(|| rest.strip_prefix("https://"))?;
    // Text: up to the next space; JSON: up to the closing quote.
    rest.split(|c: char| c.is_whitespace() || c == '"')
        .next()?
        .parse()
        .ok()
}

#[test]
fn the_listening_line_gives_the_address() {
    assert_eq!(
        listening_addr(
            "2026-01-01T00:00:00.000000Z  INFO corsgate::server: listening on \
             http://127.0.0.1:40123"
        ),
        Some(SocketAddr::from(([127, 0, 0, 1], 40123)))
    );
    assert_eq!(
        listening_addr("INFO corsgate::server: listening on https://127.0.0.1:1"),
        Some(SocketAddr::from(([127, 0, 0, 1], 1)))
    );
    assert_eq!(
        listening_addr("INFO corsgate::server: listening on ftp://127.0.0.1:1"),
        None
    );
    assert_eq!(listening_addr("INFO corsgate::access: method=GET"), None);
}
