//! A real headless browser driven over WebDriver: Debian's Chromium through chromedriver, or
//! Firefox ESR through geckodriver, with a fresh profile each.
//!
//! Chrome's console is read through chromedriver's log endpoint (`goog:loggingPrefs`
//! `{"browser": "ALL"}` and `POST /session/{id}/se/log` with `{"type": "browser"}`), which
//! returns what DevTools' console shows, each message prefixed by the URL it is about.
//! [`ConsoleMessage`] strips that prefix exactly, keeping the browser's own text.
//!
//! Missing browser or driver: under CI (`CI` set) the test fails; otherwise it prints a
//! loud `SKIPPED` line (past the test harness's output capture) and the test returns.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

#[path = "../shared/browser_env.rs"]
mod env;

/// The browser binaries the tests use (Debian's packages).
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// The window the screenshots are taken in.
pub const WINDOW: (u32, u32) = (1280, 1150);

const DRIVER_START: Duration = Duration::from_secs(20);
const SESSION_START: Duration = Duration::from_secs(60);
const SESSION_END: Duration = Duration::from_secs(15);

/// Which browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Chromium,
    Firefox,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Chromium => "chromium",
            Kind::Firefox => "firefox-esr",
        }
    }
}

/// One message of Chrome's console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleMessage {
    /// `SEVERE`, `WARNING`, `INFO`, ...
    pub level: String,
    /// `javascript` (the CORS errors), `network` (failed loads), `console-api` (console.*).
    pub source: String,
    /// The URL chromedriver puts in front of the message: the document for `javascript`, the
    /// resource for `network`, the script for `console-api`.
    pub url: String,
    /// The console's text, exactly.
    pub text: String,
}

impl ConsoleMessage {
    pub fn new(level: &str, source: &str, url: &str, text: &str) -> Self {
        ConsoleMessage {
            level: level.to_owned(),
            source: source.to_owned(),
            url: url.to_owned(),
            text: text.to_owned(),
        }
    }

    /// Parses one chromedriver log entry. Two shapes:
    /// `<url> - <text>` (javascript, network) and `<url> <line>:<column> <args>` (console-api,
    /// where a single string argument is JSON-quoted).
    fn from_entry(entry: &Value) -> ConsoleMessage {
        let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
        let (level, source, message) = (field("level"), field("source"), field("message"));
        let (url, text) = if source == "console-api" {
            let mut parts = message.splitn(3, ' ');
            let url = parts.next().unwrap_or_default();
            let _position = parts.next();
            let args = parts.next().unwrap_or_default();
            let text = match serde_json::from_str::<Value>(args) {
                Ok(Value::String(s)) => s,
                _ => args.to_owned(),
            };
            (url.to_owned(), text)
        } else {
            match message.split_once(" - ") {
                Some((url, text)) if !url.contains(' ') => (url.to_owned(), text.to_owned()),
                _ => (String::new(), message.clone()),
            }
        };
        ConsoleMessage {
            level,
            source,
            url,
            text,
        }
    }
}

/// `POST /session/{id}/se/log {"type": "browser"}`: chromedriver's console log (read and
/// cleared).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The WebDriver server process and its directory (profile, log). Dropping it kills the
/// process and removes the directory.
struct Driver {
    kind: Kind,
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Driver {
    fn log(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("driver.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = &lines[lines.len().saturating_sub(40)..];
        format!(
            "{} driver log (last lines):\n{}",
            self.kind.name(),
            tail.join("\n")
        )
    }

    async fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + DRIVER_START;
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the driver exited at start ({status})\n{}", self.log());
            }
            if Instant::now() > deadline {
                panic!(
                    "the driver did not listen on {} within {DRIVER_START:?}\n{}",
                    self.addr,
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A browser session on its own driver. Dropping it ends the session, the browser and the
/// driver (synchronously, so it also happens when a test fails).
pub struct Browser {
    pub kind: Kind,
    client: Option<Client>,
    session_id: Option<String>,
    driver: Driver,
}

/// A missing tool: fail under CI, otherwise say so loudly and skip.
fn missing(kind: Kind, what: &str) -> Option<Browser> {
    let install = match kind {
        Kind::Chromium => "apt-get install chromium chromium-driver",
        Kind::Firefox => "apt-get install firefox-esr; cargo install geckodriver --locked",
    };
    env::missing(&format!(
        "{} not installed ({what}); install with: {install} (scripts/test.sh does it)",
        kind.name()
    ));
    None
}

/// Looks a program up in PATH (and ~/.cargo/bin, where `cargo install` puts geckodriver).
fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn fresh_dir(kind: Kind) -> PathBuf {
    env::fresh_dir("test", kind.name())
}

impl Browser {
    /// Starts the driver and a session, or returns `None` (skip) when the browser is not
    /// installed and CI is not set.
    pub async fn start(kind: Kind) -> Option<Browser> {
        let (browser_bin, driver_name) = match kind {
            Kind::Chromium => (CHROMIUM, "chromedriver"),
            Kind::Firefox => (FIREFOX, "geckodriver"),
        };
        if !Path::new(browser_bin).is_file() {
            return missing(kind, &format!("no {browser_bin}"));
        }
        let Some(driver_bin) = find_program(driver_name) else {
            return missing(kind, &format!("no {driver_name} in PATH or ~/.cargo/bin"));
        };

        let dir = fresh_dir(kind);
        let port = free_port();
        let mut command = Command::new(&driver_bin);
        match kind {
            Kind::Chromium => {
                command.arg(format!("--port={port}"));
            }
            Kind::Firefox => {
                command
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args(["--websocket-port", &free_port().to_string()])
                    .arg("--profile-root")
                    .arg(&dir);
            }
        }
        let log = std::fs::File::create(dir.join("driver.log")).expect("driver log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("driver log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_bin.display()));
        let mut driver = Driver {
            kind,
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
        };
        driver.wait_until_listening().await;

        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(kind, browser_bin, &driver.dir));
        let url = format!("http://{}", driver.addr);
        let client = match tokio::time::timeout(SESSION_START, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!(
                "{} session did not start: {e}\n{}",
                kind.name(),
                driver.log()
            ),
            Err(_) => panic!(
                "{} session did not start within {SESSION_START:?}\n{}",
                kind.name(),
                driver.log()
            ),
        };
        let session_id = client.session_id().await.ok().flatten();
        if kind == Kind::Firefox {
            let (w, h) = WINDOW;
            let _ = client.set_window_size(w, h).await;
        }
        Some(Browser {
            kind,
            client: Some(client),
            session_id,
            driver,
        })
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    /// Whether this browser's console can be read (Chromium only).
    pub fn has_console(&self) -> bool {
        self.kind == Kind::Chromium
    }

    /// Chrome's console messages since the last call (the log is cleared by reading it).
    pub async fn console(&self) -> Vec<ConsoleMessage> {
        assert!(self.has_console(), "only chromedriver exposes the console");
        let value = self
            .client()
            .issue_cmd(BrowserLog)
            .await
            .expect("chromedriver's browser log");
        value
            .as_array()
            .map(|entries| entries.iter().map(ConsoleMessage::from_entry).collect())
            .unwrap_or_default()
    }

    /// Reads the console until `expected` messages arrived (or `within` passed).
    pub async fn console_until(&self, expected: usize, within: Duration) -> Vec<ConsoleMessage> {
        let deadline = Instant::now() + within;
        let mut messages = self.console().await;
        while messages.len() < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            messages.extend(self.console().await);
        }
        messages
    }

    /// Reads and drops whatever the console holds (Chromium; nothing elsewhere).
    pub async fn drain_console(&self) {
        if self.has_console() {
            let _ = self.console().await;
        }
    }
}

fn capabilities(kind: Kind, browser_bin: &str, dir: &Path) -> serde_json::Map<String, Value> {
    let (w, h) = WINDOW;
    let timeouts = json!({ "pageLoad": 20_000, "script": 10_000, "implicit": 0 });
    let caps = match kind {
        Kind::Chromium => {
            let mut args: Vec<String> = env::CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
            args.push(format!("--user-data-dir={}", dir.join("profile").display()));
            args.push(format!("--window-size={w},{h}"));
            json!({
                "browserName": "chrome",
                "timeouts": timeouts,
                "goog:chromeOptions": { "binary": browser_bin, "args": args },
                "goog:loggingPrefs": { "browser": "ALL" },
            })
        }
        Kind::Firefox => json!({
            "browserName": "firefox",
            "timeouts": timeouts,
            "moz:firefoxOptions": {
                "binary": browser_bin,
                "args": ["-headless"],
                "prefs": {
                    // Quiet on this machine's closed network.
                    "app.update.enabled": false,
                    "browser.shell.checkDefaultBrowser": false,
                    "datareporting.policy.dataSubmissionEnabled": false,
                    "network.captive-portal-service.enabled": false,
                    "network.connectivity-service.enabled": false,
                },
            },
        }),
    };
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("capabilities are an object"),
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(id) = self.session_id.take() {
            // End the session synchronously (bounded), so the driver quits the browser
            // instead of leaving it running, failed test or not. Then `Driver`'s drop ends
            // the driver and removes the profile.
            delete_session(self.driver.addr, &id);
        }
    }
}

fn delete_session(addr: SocketAddr, id: &str) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(SESSION_END));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // The driver answers once the browser has quit. Read that one response (headers, then
    // Content-Length bytes): drivers keep the connection open whatever the request says.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    while response.len() < 1 << 20 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if response.len() >= end + 4 + length {
                return;
            }
        }
    }
}
