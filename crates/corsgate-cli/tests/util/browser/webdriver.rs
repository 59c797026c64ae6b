//! Browsers driven over WebDriver: the drivers, the sessions, and Chrome's console from chromedriver.

use super::*;

// --- Driven over WebDriver ------------------------------------------------------------------

/// One message of Chrome's console, as chromedriver's log endpoint gives it
/// (`goog:loggingPrefs` `{"browser": "ALL"}`, then `POST /session/{id}/se/log` with
/// `{"type": "browser"}`): what DevTools' console shows, each message prefixed by the URL it
/// is about, which [`ConsoleMessage::from_entry`] strips exactly.
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

/// Signals every process of the group `pgid` (the WebKit driver's: xvfb-run, Xvfb,
/// WebKitWebDriver, MiniBrowser).
fn signal_group(signal: &str, pgid: u32) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
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
        if self.kind == Kind::WebKit {
            // Its own process group: TERM first (xvfb-run removes its lock file), then KILL.
            let pgid = self.child.id();
            signal_group("-TERM", pgid);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && group_alive(pgid) {
                let _ = self.child.try_wait();
                std::thread::sleep(Duration::from_millis(50));
            }
            signal_group("-KILL", pgid);
        }
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

impl Browser {
    /// Starts the driver and a session, or returns `None` (skip) when the browser is not
    /// installed and CI is not set. Use [`session`], which also takes the browser turn.
    pub(super) async fn start(kind: Kind) -> Option<Browser> {
        let driver_bin = driver_program(kind)?;
        let dir = fresh_dir("test", kind);
        let port = free_port();
        let mut command = Command::new(&driver_bin);
        match kind {
            Kind::Chromium => {
                command.arg(format!("--port={port}"));
            }
            Kind::WebKit => {
                // WebKitWebDriver starts MiniBrowser (`--automation`) on an Xvfb of its own,
                // all in one process group with a fresh home.
                let home = dir.join("home");
                std::fs::create_dir_all(&home).expect("a home directory");
                command = Command::new("/usr/bin/xvfb-run");
                command
                    .args(["-a", "-s", "-screen 0 1280x1150x24 -nolisten tcp"])
                    .arg(&driver_bin)
                    .arg(format!("--port={port}"))
                    .env("HOME", &home)
                    .env("XDG_DATA_HOME", home.join("data"))
                    .env("XDG_CACHE_HOME", home.join("cache"))
                    .env("XDG_CONFIG_HOME", home.join("config"))
                    .env("GDK_BACKEND", "x11")
                    .env_remove("WAYLAND_DISPLAY")
                    .env_remove("DISPLAY")
                    .process_group(0);
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
        builder.capabilities(capabilities(kind, &driver.dir));
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
        if kind != Kind::Chromium {
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

fn capabilities(kind: Kind, dir: &Path) -> serde_json::Map<String, Value> {
    let (w, h) = WINDOW;
    let timeouts = json!({ "pageLoad": 20_000, "script": 10_000, "implicit": 0 });
    let caps = match kind {
        Kind::Chromium => {
            let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
            args.push(format!("--user-data-dir={}", dir.join("profile").display()));
            args.push(format!("--window-size={w},{h}"));
            json!({
                "browserName": "chrome",
                "timeouts": timeouts,
                "goog:chromeOptions": { "binary": kind.binary(), "args": args },
                "goog:loggingPrefs": { "browser": "ALL" },
            })
        }
        Kind::Firefox => {
            let prefs: serde_json::Map<String, Value> = FIREFOX_PREFS
                .iter()
                .map(|(name, value)| (name.to_string(), value.json()))
                .collect();
            json!({
                "browserName": "firefox",
                "timeouts": timeouts,
                "moz:firefoxOptions": {
                    "binary": kind.binary(),
                    "args": ["-headless"],
                    "prefs": prefs,
                },
            })
        }
        Kind::WebKit => json!({
            "browserName": "MiniBrowser",
            "timeouts": timeouts,
            "webkitgtk:browserOptions": {
                "binary": kind.binary(),
                "args": ["--automation"],
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
