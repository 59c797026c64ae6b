//! The seed tutorial's Express server (`tests/data/tutorial/server/app.js`, no `cors`
//! package), or a test's own Express app ([`Express::app`], with or without the npm `cors`
//! package), run with `node`, Express and `cors` taken from the vendored app in
//! `crates/corsgate/tests/data/express` (`npm ci` there; `scripts/test.sh` does it).
//!
//! **Missing Node or Express.** Like a missing browser: the test fails when `CI` is set;
//! otherwise it prints a loud `*** SKIPPED: ... ***` line and returns. Never a silent skip.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long node may take to start and print where it listens.
const START_LIMIT: Duration = Duration::from_secs(15);

/// The end of every [`Express::app`]: listen on `PORT` on 127.0.0.1, say where, and exit when
/// stdin closes (the test is gone) or after five minutes.
pub const APP_TAIL: &str = r#"
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening on ${server.address().port}`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), 5 * 60 * 1000).unref();
"#;

/// The tutorial's files: `index.html`, `script.js`, `server/app.js`.
pub fn tutorial_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tutorial")
}

/// The vendored Express app's `node_modules`.
fn node_modules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corsgate/tests/data/express/node_modules")
}

/// Whether node and Express are there; the reason and the fix when not.
fn ready() -> Result<(), String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Err(format!("`node --version` failed: {}", out.status)),
        Err(e) => {
            return Err(format!(
                "`node` is not on PATH ({e}); install it with: apt-get install nodejs npm \
                 (scripts/test.sh does it)"
            ))
        }
    }
    let modules = node_modules();
    for package in ["express", "cors"] {
        if !modules.join(package).join("package.json").is_file() {
            return Err(format!(
                "{package} is not installed in {}: run `npm ci --no-audit --no-fund` in its \
                 parent (scripts/test.sh does it)",
                modules.display()
            ));
        }
    }
    Ok(())
}

/// The tutorial's Express server, listening on 127.0.0.1; killed when dropped (it also exits
/// when its stdin closes, so it never outlives the test process).
pub struct Express {
    child: Child,
    port: u16,
}

impl Express {
    /// Starts `node server/app.js` on a free port; `None` (skip, said loudly) when node or
    /// Express is missing and `CI` is not set. Panics under `CI` when they are missing.
    pub fn start() -> Option<Express> {
        Express::node(
            &tutorial_dir().join("server"),
            "Server is running on http://localhost:",
        )
    }

    /// A test's own Express app: `source` is written to `app.js` in a fresh directory and run
    /// like the tutorial's (the same `None`/panic rules). It must listen on 127.0.0.1 on the
    /// port in `PORT` (0), print `listening on <port>` as its first line, and exit when its
    /// stdin closes (end it with [`APP_TAIL`]).
    pub fn app(source: &str) -> Option<Express> {
        let dir = super::fresh_dir("express-app");
        std::fs::write(dir.join("app.js"), source).expect("app.js");
        Express::node(&dir, "listening on ")
    }

    /// Runs `node app.js` in `dir`; its first stdout line is `prefix` then the port.
    fn node(dir: &Path, prefix: &'static str) -> Option<Express> {
        if let Err(why) = ready() {
            if super::browser::under_ci() {
                panic!("CI is set, so missing Node/Express fails the test: {why}");
            }
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {why} ***\n");
            return None;
        }
        let mut child = Command::new("node")
            .arg("app.js")
            .current_dir(dir)
            // `require("express")` from the vendored app.
            .env("NODE_PATH", node_modules())
            .env("PORT", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node {}: {e}", dir.display()));
        // Drain stderr all along, keeping its start for a failure message.
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr_drain = std::thread::spawn(move || {
            let (mut kept, mut chunk) = (Vec::new(), [0u8; 4096]);
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                if kept.len() < 64 * 1024 {
                    kept.extend_from_slice(&chunk[..n]);
                }
            }
            String::from_utf8_lossy(&kept).into_owned()
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next();
            let _ = tx.send(first);
            // Keep reading so a later line never blocks node.
            for _ in lines {}
        });
        let line = rx.recv_timeout(START_LIMIT);
        // The app's line (the tutorial's own), with the port the system picked.
        let port = match &line {
            Ok(Some(Ok(line))) => line
                .strip_prefix(prefix)
                .and_then(|p| p.trim().parse::<u16>().ok()),
            _ => None,
        };
        match port {
            Some(port) => Some(Express { child, port }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = stderr_drain.join().unwrap_or_default();
                panic!(
                    "node server/app.js did not say where it listens within {START_LIMIT:?} \
                     ({line:?}); stderr:\n{stderr}"
                );
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Express {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
