//! Launching a headless browser straight at the runner page (no WebDriver): Debian's Chromium
//! with its console on stderr, or Firefox ESR with a fresh profile.
//!
//! Each browser runs in its own process group, in its own temporary directory (profile and
//! stderr log); dropping the handle kills the whole group and removes the directory, failed
//! test or not.
//!
//! Missing browser: under CI (`CI` set) the test fails; otherwise it prints a loud `SKIPPED`
//! line (past the test harness's output capture) and the test returns — the same rule as the
//! WebDriver tests in `tests/support/browser.rs`.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../shared/browser_env.rs"]
mod env;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// Which browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Chromium,
    Firefox,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chromium => "chromium",
            Kind::Firefox => "firefox-esr",
        }
    }

    fn binary(self) -> &'static str {
        match self {
            Kind::Chromium => CHROMIUM,
            Kind::Firefox => FIREFOX,
        }
    }

    fn install(self) -> &'static str {
        match self {
            Kind::Chromium => "apt-get install chromium",
            Kind::Firefox => "apt-get install firefox-esr",
        }
    }
}

/// Is the browser installed? If not: fail under CI, otherwise say so loudly and return false.
pub fn available(kind: Kind) -> bool {
    if Path::new(kind.binary()).is_file() {
        return true;
    }
    env::missing(&format!(
        "{} not installed (no {}); install with: {} (scripts/test.sh does it)",
        kind.name(),
        kind.binary(),
        kind.install()
    ));
    false
}

/// Firefox prefs for a quiet, closed-network run.
const FIREFOX_PREFS: &str = r#"
user_pref("app.update.disabledForTesting", true);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("dom.security.https_first", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.proxy.type", 0);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
"#;

/// A running browser. Dropping it kills its process group and removes its directory.
pub struct Launched {
    pub kind: Kind,
    child: Child,
    dir: PathBuf,
}

fn fresh_dir(kind: Kind) -> PathBuf {
    env::fresh_dir("differential", kind.name())
}

impl Launched {
    /// Starts the browser at `url` (call [`available`] first).
    pub fn start(kind: Kind, url: &str) -> Launched {
        let dir = fresh_dir(kind);
        let profile = dir.join("profile");
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let mut command = Command::new(kind.binary());
        match kind {
            Kind::Chromium => {
                command
                    .args(env::CHROMIUM_FLAGS)
                    // The console, where Chrome prints its CORS messages, on stderr.
                    .args(["--enable-logging=stderr", "--v=0"])
                    .arg(format!("--user-data-dir={}", profile.display()))
                    .arg(url);
            }
            Kind::Firefox => {
                std::fs::write(profile.join("user.js"), FIREFOX_PREFS).expect("user.js");
                command
                    .args(["--headless", "--no-remote", "--profile"])
                    .arg(&profile)
                    .arg(url)
                    .env("MOZ_HEADLESS", "1")
                    .env("MOZ_CRASHREPORTER_DISABLE", "1");
            }
        }
        let log = std::fs::File::create(dir.join("stderr.log")).expect("stderr log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            // Its own process group, so drop can end the browser's helper processes too.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", kind.binary()));
        Launched { kind, child, dir }
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
