//! The four edge servers `corsgate export` writes for — Debian's nginx, Caddy, HAProxy and
//! Apache httpd — run in the foreground from a whole exported config, in a fresh directory
//! that holds everything they write; their own syntax checks. Dropping an [`Edge`] kills the
//! process (by its handle) and removes the directory.
//!
//! **Missing server.** As with a missing browser: the test fails when `CI` is set; otherwise
//! it prints a loud `*** SKIPPED: ... ***` line and returns. Never a silent skip.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use corsgate_export::Target;

/// How long a server may take to listen.
const START_LIMIT: Duration = Duration::from_secs(15);

/// The server's binary on Debian.
pub fn binary(target: Target) -> &'static str {
    match target {
        Target::Nginx => "/usr/sbin/nginx",
        Target::Caddy => "/usr/bin/caddy",
        Target::Haproxy => "/usr/sbin/haproxy",
        Target::Apache => "/usr/sbin/apache2",
    }
}

fn package(target: Target) -> &'static str {
    match target {
        Target::Nginx => "nginx-light",
        Target::Caddy => "caddy",
        Target::Haproxy => "haproxy",
        Target::Apache => "apache2",
    }
}

/// Is the server installed? If not: panics under `CI`, otherwise says so loudly and
/// returns false (the caller skips).
pub fn available(target: Target) -> bool {
    let bin = binary(target);
    if Path::new(bin).is_file() {
        return true;
    }
    let why = format!(
        "no {bin}; install it with: apt-get install {} (scripts/test.sh does it)",
        package(target)
    );
    if super::browser::under_ci() {
        panic!("CI is set, so a missing {target} fails the test: {why}");
    }
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {why} ***\n");
    false
}

/// The command that runs (or, with `check`, syntax-checks) `target` on the config in
/// `dir`, writing only inside `dir` (the commands docs/export.md gives).
fn command(target: Target, dir: &Path, check: bool) -> Command {
    let file = dir.join(target.file_name());
    let mut c = Command::new(binary(target));
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdin(Stdio::null());
    match (target, check) {
        (Target::Nginx, false) => {
            c.arg("-p")
                .arg(dir)
                .arg("-c")
                .arg(&file)
                .args(["-e", "error.log", "-g", "daemon off;"])
        }
        (Target::Nginx, true) => c
            .arg("-t")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&file)
            .args(["-e", "error.log"]),
        (Target::Caddy, false) => c
            .arg("run")
            .arg("--config")
            .arg(&file)
            .args(["--adapter", "caddyfile"]),
        (Target::Caddy, true) => c
            .arg("validate")
            .arg("--config")
            .arg(&file)
            .args(["--adapter", "caddyfile"]),
        (Target::Haproxy, false) => c.arg("-db").arg("-f").arg(&file),
        (Target::Haproxy, true) => c.arg("-c").arg("-f").arg(&file),
        (Target::Apache, false) => c
            .arg("-d")
            .arg(dir)
            .arg("-f")
            .arg(&file)
            .arg("-DFOREGROUND"),
        (Target::Apache, true) => c.arg("-t").arg("-d").arg(dir).arg("-f").arg(&file),
    };
    c
}

/// Runs the server's own syntax check on `config`: `Err` with its output when it fails.
pub fn syntax_check(target: Target, config: &str) -> Result<(), String> {
    let dir = super::fresh_dir(&format!("edge-check-{target}"));
    std::fs::write(dir.join(target.file_name()), config).expect("the config file");
    let out = command(target, &dir, true)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary(target)));
    let _ = std::fs::remove_dir_all(&dir);
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{target}'s check failed ({}):\n{}{}\n--- config ---\n{config}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A running edge server; killed when dropped.
pub struct Edge {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Edge {
    /// Starts `target` on a whole config that `config(listen)` writes for a free loopback
    /// address. `None` (said loudly) when the server is missing and `CI` is not set; panics
    /// when it does not start.
    pub fn start(target: Target, config: impl Fn(SocketAddr) -> String) -> Option<Edge> {
        if !available(target) {
            return None;
        }
        // A free port can be taken between our probe and the server's bind: a few tries.
        let mut last = String::new();
        for _ in 0..3 {
            let addr = SocketAddr::from(([127, 0, 0, 1], super::browser::free_port()));
            match Edge::try_start(target, addr, &config(addr)) {
                Ok(e) => return Some(e),
                Err(e) => last = e,
            }
        }
        panic!("{target} did not start: {last}");
    }

    fn try_start(target: Target, addr: SocketAddr, config: &str) -> Result<Edge, String> {
        let dir = super::fresh_dir(&format!("edge-{target}"));
        std::fs::write(dir.join(target.file_name()), config).expect("the config file");
        let log = std::fs::File::create(dir.join("output.log")).expect("output.log");
        let child = command(target, &dir, false)
            .stdout(log.try_clone().expect("output.log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary(target)));
        let mut edge = Edge { child, addr, dir };
        let deadline = Instant::now() + START_LIMIT;
        loop {
            if let Ok(Some(status)) = edge.child.try_wait() {
                return Err(format!(
                    "{target} exited at start ({status}):\n{}\n--- config ---\n{config}",
                    edge.output()
                ));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(edge);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{target} did not listen on {addr} within {START_LIMIT:?}:\n{}",
                    edge.output()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the server wrote to stdout, stderr and its error log.
    pub fn output(&self) -> String {
        let read = |f: &str| std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
        format!("{}{}", read("output.log"), read("error.log"))
    }
}

impl Drop for Edge {
    fn drop(&mut self) {
        // SIGTERM first: nginx's and Apache's parent processes then stop their workers
        // (SIGKILL would leave them running); SIGKILL past a bound.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
