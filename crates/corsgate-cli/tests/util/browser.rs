//! The one real-browser harness: Debian's Chromium and Firefox ESR, headless, each run with a
//! fresh profile in a directory of its own, started two ways:
//!
//! - [`Launched`]: the browser launched straight at a page (no WebDriver), in its own process
//!   group; Chrome's console comes from its stderr ([`chromium_console`]), Firefox's over
//!   WebDriver BiDi from its remote agent ([`Launched::firefox_with_console`]). The
//!   differential suite uses this.
//! - [`Browser`]: a WebDriver session (chromedriver, geckodriver from crates.io, or
//!   WebKitGTK's `WebKitWebDriver` under an Xvfb of its own, starting MiniBrowser), to click
//!   and type like a person; Chrome's console comes from chromedriver's log endpoint. The
//!   demo's browser tests use this, through [`session`].
//!
//! WebKit (WebKitGTK's MiniBrowser under an Xvfb of its own) is launched the first way too, by
//! [`webkit::launch`]; its console comes from its stdout ([`webkit::console`]).
//!
//! **One browser at a time.** Every test that runs a browser holds the binary's one browser
//! [`Turn`] for its whole run ([`session`] or [`exclusive`]): two browsers at once on a small
//! machine are slower than one after the other, and make timings flaky. Starting a browser
//! costs more than most demo scenarios, so a WebDriver session is kept for the next test of
//! the same browser when one is already waiting for its turn, and ended otherwise (the last
//! test to use it ends it, failed or not).
//!
//! **Missing browser.** A browser or driver that is not installed fails the test when `CI` is
//! set; otherwise the test prints a loud `*** SKIPPED: ... ***` line (straight to stderr, past
//! the test harness's capture) and returns. Never a silent skip.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

mod webdriver;
pub use webdriver::{Browser, ConsoleMessage};

/// WebKit, the engine of Safari, as Debian ships it: WebKitGTK's `MiniBrowser` (in
/// `libwebkit2gtk-4.1-0`, which `webkit2gtk-driver` installs), launched straight at a page in a
/// fresh home of its own, on a free display of an Xvfb of its own (`xvfb-run -a`), all in one
/// process group killed at the end ([`Launched`]).
///
/// **The console.** MiniBrowser takes every `WebKitSettings` property as a flag, and
/// `--enable-write-console-messages-to-stdout=true` makes WebKit print each console message,
/// the engine's own CORS lines included, as `[<url>:<line>:<column>: ]CONSOLE <SOURCE> <LEVEL>
/// <message>` ([`webkit::console`] reads them back exactly). `stdbuf -oL -eL` keeps the lines
/// from sitting in a buffer when the browser is killed. (The remote Web Inspector would give the
/// same messages over a websocket; the flag needs no protocol.)
///
/// **Missing.** No MiniBrowser or no Xvfb fails the test under CI, as for the other browsers.
pub mod webkit;

mod bidi;
pub use bidi::FirefoxConsole;

/// Chromium's flags for this machine's closed network (from the project's rules); each way of
/// starting it adds `--user-data-dir` and what it needs on top.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Firefox preferences for a quiet run on a closed network (a launched Firefox gets them in
/// its profile's `user.js`, a WebDriver one through its capabilities).
const FIREFOX_PREFS: [(&str, PrefValue); 17] = [
    ("app.update.disabledForTesting", PrefValue::Bool(true)),
    ("app.update.enabled", PrefValue::Bool(false)),
    ("browser.aboutwelcome.enabled", PrefValue::Bool(false)),
    ("browser.shell.checkDefaultBrowser", PrefValue::Bool(false)),
    (
        "browser.startup.homepage_override.mstone",
        PrefValue::Str("ignore"),
    ),
    (
        "browser.safebrowsing.malware.enabled",
        PrefValue::Bool(false),
    ),
    (
        "browser.safebrowsing.phishing.enabled",
        PrefValue::Bool(false),
    ),
    (
        "browser.safebrowsing.downloads.enabled",
        PrefValue::Bool(false),
    ),
    (
        "datareporting.policy.dataSubmissionEnabled",
        PrefValue::Bool(false),
    ),
    (
        "datareporting.healthreport.uploadEnabled",
        PrefValue::Bool(false),
    ),
    ("dom.security.https_first", PrefValue::Bool(false)),
    (
        "network.captive-portal-service.enabled",
        PrefValue::Bool(false),
    ),
    (
        "network.connectivity-service.enabled",
        PrefValue::Bool(false),
    ),
    ("network.proxy.type", PrefValue::Int(0)),
    ("startup.homepage_welcome_url", PrefValue::Str("")),
    (
        "startup.homepage_welcome_url.additional",
        PrefValue::Str(""),
    ),
    (
        "toolkit.telemetry.reportingpolicy.firstRun",
        PrefValue::Bool(false),
    ),
];

#[derive(Clone, Copy)]
enum PrefValue {
    Bool(bool),
    Int(i64),
    Str(&'static str),
}

impl PrefValue {
    fn json(self) -> Value {
        match self {
            PrefValue::Bool(b) => json!(b),
            PrefValue::Int(i) => json!(i),
            PrefValue::Str(s) => json!(s),
        }
    }
}

/// The window the demo's screenshots are taken in.
pub const WINDOW: (u32, u32) = (1280, 1150);

const DRIVER_START: Duration = Duration::from_secs(20);
const SESSION_START: Duration = Duration::from_secs(60);
const SESSION_END: Duration = Duration::from_secs(15);

/// Which browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Chromium,
    Firefox,
    /// WebKitGTK's MiniBrowser: launched under an Xvfb of its own ([`webkit::launch`]), or
    /// driven by `WebKitWebDriver` under one.
    WebKit,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chromium => "chromium",
            Kind::Firefox => "firefox-esr",
            Kind::WebKit => "webkit",
        }
    }

    /// The browser binary (Debian's packages; MiniBrowser's path has the multiarch triplet,
    /// empty when it is not installed).
    pub fn binary(self) -> &'static str {
        static MINIBROWSER: LazyLock<String> = LazyLock::new(|| {
            webkit::minibrowser()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        });
        match self {
            Kind::Chromium => "/usr/bin/chromium",
            Kind::Firefox => "/usr/bin/firefox-esr",
            Kind::WebKit => MINIBROWSER.as_str(),
        }
    }

    fn driver(self) -> &'static str {
        match self {
            Kind::Chromium => "chromedriver",
            Kind::Firefox => "geckodriver",
            Kind::WebKit => "WebKitWebDriver",
        }
    }

    fn install(self, with_driver: bool) -> &'static str {
        match (self, with_driver) {
            (Kind::Chromium, false) => "apt-get install chromium",
            (Kind::Chromium, true) => "apt-get install chromium chromium-driver",
            (Kind::Firefox, false) => "apt-get install firefox-esr",
            (Kind::Firefox, true) => {
                "apt-get install firefox-esr; cargo install geckodriver --locked"
            }
            (Kind::WebKit, _) => webkit::INSTALL,
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Chromium => 0,
            Kind::Firefox => 1,
            Kind::WebKit => 2,
        }
    }
}

// --- The missing-browser rule ---------------------------------------------------------------

/// Whether the CI environment variable is set (then a missing browser is a failure).
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A missing browser or driver: panics under CI; otherwise says so loudly (straight to the
/// process's stderr, past the test harness's capture) and the caller skips.
fn missing(kind: Kind, what: &str, with_driver: bool) {
    missing_program(kind.name(), what, kind.install(with_driver));
}

/// [`missing`] for any browser program: `name` (what is missing), `what` (how it was looked
/// for), `install` (the command that installs it).
fn missing_program(name: &str, what: &str, install: &str) {
    let message =
        format!("{name} not installed ({what}); install with: {install} (scripts/test.sh does it)");
    if under_ci() {
        panic!("CI is set, so a missing browser fails the test: {message}");
    }
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {message} ***\n");
}

/// Is the browser installed? If not: fails under CI, otherwise says so loudly and returns
/// false (the caller skips).
pub fn available(kind: Kind) -> bool {
    if kind == Kind::WebKit {
        return webkit::available();
    }
    if Path::new(kind.binary()).is_file() {
        return true;
    }
    missing(kind, &format!("no {}", kind.binary()), false);
    false
}

/// The driver program, looked up in PATH and ~/.cargo/bin (where `cargo install` puts
/// geckodriver); `None` after [`missing`] when the browser or the driver is not installed.
fn driver_program(kind: Kind) -> Option<PathBuf> {
    if kind == Kind::WebKit && !webkit::available() {
        return None;
    }
    if !Path::new(kind.binary()).is_file() {
        missing(kind, &format!("no {}", kind.binary()), true);
        return None;
    }
    let name = kind.driver();
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    let found = dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() {
        missing(kind, &format!("no {name} in PATH or ~/.cargo/bin"), true);
    }
    found
}

/// A fresh directory for one browser run (profile, logs), removed by its owner.
fn fresh_dir(purpose: &str, kind: Kind) -> PathBuf {
    super::fresh_dir(&format!("{purpose}-{}", kind.name()))
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

// --- One browser at a time ------------------------------------------------------------------

/// The right to run a browser: the holder is the only test of the binary running one.
pub struct Turn {
    _held: MutexGuard<'static, ()>,
}

fn turn() -> Turn {
    static TURN: Mutex<()> = Mutex::new(());
    // A test that failed while holding it poisons nothing the next one relies on.
    Turn {
        _held: TURN.lock().unwrap_or_else(PoisonError::into_inner),
    }
}

/// The WebDriver session kept for the next test of the same browser.
static KEPT: Mutex<Option<Arc<Browser>>> = Mutex::new(None);
/// Per browser, the tests that asked for a session and have not finished.
static WANTED: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

fn kept() -> MutexGuard<'static, Option<Arc<Browser>>> {
    KEPT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits for the browser turn and ends any kept WebDriver session: for a test that launches a
/// browser of its own.
pub fn exclusive() -> Turn {
    let turn = turn();
    let previous = kept().take();
    drop(previous);
    turn
}

/// The runtime every WebDriver test runs on: a session's client lives on it, so it must
/// outlive any one test.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the browser tests")
    });
    &RUNTIME
}

/// A test's use of a WebDriver session, holding the browser turn. Dropping it (test passed or
/// failed) ends the session unless another test of the same browser is waiting for it.
pub struct Session {
    kind: Kind,
    browser: Option<Arc<Browser>>,
    _turn: Turn,
}

impl Session {
    pub fn browser(&self) -> &Browser {
        self.browser.as_ref().expect("a started browser")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.browser = None;
        if WANTED[self.kind.index()].fetch_sub(1, Ordering::SeqCst) == 1 {
            // Nobody else wants this browser: end it now, while holding the turn (outside the
            // runtime: ending a session blocks).
            let last = kept().take();
            drop(last);
        }
    }
}

/// Waits for the browser turn, then a WebDriver session of `kind`: the one kept from the
/// previous test, or a new one. `None` (skip) when the browser is not installed and CI is not
/// set.
pub fn session(kind: Kind) -> Option<Session> {
    WANTED[kind.index()].fetch_add(1, Ordering::SeqCst);
    let mut session = Session {
        kind,
        browser: None,
        _turn: turn(),
    };
    let mut kept = kept();
    if kept.as_ref().is_some_and(|b| b.kind != kind) {
        // The other browser's session: end it before starting this one.
        kept.take();
    }
    if kept.is_none() {
        *kept = runtime().block_on(Browser::start(kind)).map(Arc::new);
    }
    session.browser = kept.clone();
    drop(kept);
    session.browser.is_some().then_some(session)
}

// --- Launched straight at a page ------------------------------------------------------------

/// A browser launched at a page. Dropping it kills its process group and removes its
/// directory, failed test or not.
pub struct Launched {
    child: Child,
    dir: PathBuf,
    /// SIGTERM to the group before SIGKILL (WebKit: lets Xvfb clean up).
    gentle: bool,
}

impl Launched {
    /// Starts the browser at `url` (call [`available`] first, and hold the [`exclusive`]
    /// turn): Chromium with its console on stderr, Firefox with a quiet fresh profile.
    pub fn start(kind: Kind, url: &str) -> Launched {
        Launched::start_with(kind, url, &[])
    }

    /// [`Launched::start`] with `extra` flags after the harness's own (Chromium only), e.g.
    /// `--host-resolver-rules=MAP *:80 127.0.0.1:PORT` to serve any origin from loopback, or
    /// `--ignore-certificate-errors` for pages and APIs with test certificates.
    pub fn start_with(kind: Kind, url: &str, extra: &[String]) -> Launched {
        Launched::launch(kind, url, extra, None)
    }

    /// Firefox with its remote agent on a free port, navigated to `url` over WebDriver BiDi by
    /// the returned [`FirefoxConsole`], which records the console from the first request on.
    pub fn firefox_with_console(url: &str) -> (Launched, FirefoxConsole) {
        let port = free_port();
        let launched = Launched::launch(Kind::Firefox, "about:blank", &[], Some(port));
        let console = FirefoxConsole::open(port, url, || launched.output_tail(40));
        (launched, console)
    }

    fn launch(kind: Kind, url: &str, extra: &[String], remote_port: Option<u16>) -> Launched {
        assert!(
            extra.is_empty() || kind == Kind::Chromium,
            "extra flags are Chromium's"
        );
        if kind == Kind::WebKit {
            return webkit::launch(url);
        }
        let dir = fresh_dir("differential", kind);
        let profile = dir.join("profile");
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let mut command = Command::new(kind.binary());
        match kind {
            Kind::Chromium => {
                command
                    .args(CHROMIUM_FLAGS)
                    // The console, where Chrome prints its CORS messages, on stderr.
                    .args(["--enable-logging=stderr", "--v=0"])
                    .arg(format!("--user-data-dir={}", profile.display()))
                    .args(extra)
                    .arg(url);
            }
            Kind::Firefox => {
                std::fs::write(profile.join("user.js"), firefox_user_js()).expect("user.js");
                command
                    .args(["--headless", "--no-remote", "--profile"])
                    .arg(&profile)
                    .args(remote_port.map(|p| format!("--remote-debugging-port={p}")))
                    .arg(url)
                    .env("MOZ_HEADLESS", "1")
                    .env("MOZ_CRASHREPORTER_DISABLE", "1");
            }
            Kind::WebKit => unreachable!("launched by webkit::launch"),
        }
        Launched::spawn(command, dir, false)
    }

    /// Runs `command` in a process group of its own, stdout and stderr into `dir/stderr.log`.
    fn spawn(mut command: Command, dir: PathBuf, gentle: bool) -> Launched {
        let log = std::fs::File::create(dir.join("stderr.log")).expect("stderr log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            // Its own process group, so stop can end the browser's helper processes too.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        Launched { child, dir, gentle }
    }

    /// Is the browser's main process still running?
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// What the browser wrote to stdout and stderr so far.
    pub fn output(&self) -> String {
        let bytes = std::fs::read(self.dir.join("stderr.log")).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The last lines of the output (for failure messages).
    pub fn output_tail(&self, lines: usize) -> String {
        let out = self.output();
        let all: Vec<&str> = out.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Kills the browser's process group and waits (bounded) for the main process.
    pub fn stop(&mut self) {
        let pgid = self.child.id();
        if self.gentle {
            // Ask first (xvfb-run removes its Xvfb's lock file on TERM), then kill.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{pgid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            // Until the whole group is gone (Xvfb exits after the shell that started it).
            let _ = self.child.try_wait();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && group_alive(pgid) {
                let _ = self.child.try_wait();
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        // The group id is the child's pid (process_group(0)); signal the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        self.stop();
        // Helpers may still be exiting; a few bounded tries.
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Is any process of the group `pgid` still there?
fn group_alive(pgid: u32) -> bool {
    Command::new("kill")
        .args(["-0", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn firefox_user_js() -> String {
    FIREFOX_PREFS
        .iter()
        .map(|(name, value)| format!("user_pref({:?}, {});\n", name, value.json()))
        .collect()
}

/// Chrome's console messages in its `--enable-logging=stderr` output, exactly as printed: each
/// `[pid:tid:time:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)` line (Chromium
/// 156; older versions wrote `CONSOLE(<line>)`) gives `<message>`, found from the right so a
/// quote inside it is kept.
pub fn chromium_console(output: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in output.lines() {
        let Some(at) = line.find(":CONSOLE") else {
            continue;
        };
        let rest = &line[at..];
        let Some(open) = rest.find("] \"") else {
            continue;
        };
        let body = &rest[open + 3..];
        let Some(close) = body.rfind("\", source: ") else {
            continue;
        };
        out.push(body[..close].to_owned());
    }
    out
}

/// One `#[test]` per scenario for one browser, on the binary's session of that browser, taking
/// turns, each scenario bounded by `limit`: `browser_tests!(Kind::Chromium, LIMIT; scenario,
/// ...)` inside a module whose parent defines `async fn scenario(browser: &Browser)`.
macro_rules! browser_tests {
    ($kind:expr, $limit:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let Some(session) = $crate::util::browser::session($kind) else {
                    return;
                };
                $crate::util::browser::runtime().block_on(async {
                    let browser = session.browser();
                    browser.drain_console().await;
                    let scenario = super::$name(browser);
                    if tokio::time::timeout($limit, scenario).await.is_err() {
                        panic!("{} did not finish within {:?}", stringify!($name), $limit);
                    }
                });
                // Dropping the session (outside the runtime) ends the browser unless the next
                // test of the same browser is waiting for it.
                drop(session);
            }
        )*
    };
}
pub(crate) use browser_tests;
