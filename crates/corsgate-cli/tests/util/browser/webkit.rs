//! WebKitGTK's MiniBrowser under an Xvfb of its own, launched at a page, and its console read back.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{missing_program, Launched};

/// What installs it (scripts/test.sh does).
pub const INSTALL: &str = "apt-get install webkit2gtk-driver xvfb";
const XVFB_RUN: &str = "/usr/bin/xvfb-run";
const XVFB: &str = "/usr/bin/Xvfb";
/// The WebKitGTK API versions whose MiniBrowser will do, newest first.
const APIS: [&str; 3] = ["webkitgtk-6.0", "webkit2gtk-4.1", "webkit2gtk-4.0"];

/// `/usr/lib/<multiarch>/<api>/MiniBrowser`, if installed.
pub fn minibrowser() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    APIS.iter().find_map(|api| {
        dirs.iter()
            .map(|d| d.join(api).join("MiniBrowser"))
            .find(|p| p.is_file())
    })
}

/// Are MiniBrowser and Xvfb installed? If not: fails under CI, otherwise says so loudly and
/// returns false (the caller skips).
pub fn available() -> bool {
    if minibrowser().is_none() {
        missing_program(
            "webkit (MiniBrowser)",
            "no /usr/lib/*/webkit2gtk-4.1/MiniBrowser",
            INSTALL,
        );
        return false;
    }
    for program in [XVFB_RUN, XVFB] {
        if !Path::new(program).is_file() {
            missing_program("xvfb", &format!("no {program}"), INSTALL);
            return false;
        }
    }
    true
}

/// Starts MiniBrowser at `url` with its console on stdout (call [`available`] first, and
/// hold the [`super::exclusive`] turn). [`Launched::output`] is what it printed.
pub fn launch(url: &str) -> Launched {
    let browser = minibrowser().expect("MiniBrowser (call webkit::available first)");
    let dir = crate::util::fresh_dir("webkit");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("a home directory");
    let mut command = Command::new(XVFB_RUN);
    command
        .args(["-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp"])
        .args(["stdbuf", "-oL", "-eL"])
        .arg(browser)
        .arg("--enable-write-console-messages-to-stdout=true")
        .arg(url)
        // A fresh profile: WebKitGTK keeps its data, cache and settings under these.
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("GDK_BACKEND", "x11")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DISPLAY");
    Launched::spawn(command, dir, true)
}

/// One console message as WebKit printed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    /// `JS`, `SECURITY`, `NETWORK`, ... (WebKit's `MessageSource`); empty for `console.*`.
    pub source: String,
    /// `LOG`, `WARN`, `ERROR`, `DEBUG`, `INFO`.
    pub level: String,
    /// The message, exactly.
    pub text: String,
}

impl ConsoleLine {
    pub fn new(source: &str, level: &str, text: &str) -> Self {
        ConsoleLine {
            source: source.to_owned(),
            level: level.to_owned(),
            text: text.to_owned(),
        }
    }
}

const LEVELS: [&str; 5] = ["LOG", "WARN", "ERROR", "DEBUG", "INFO"];

/// WebKit's console messages in MiniBrowser's output, exactly as printed: each
/// `[<url>:<line>:<column>: ]CONSOLE <SOURCE> <LEVEL> <message>` line (the source may be
/// two words, e.g. `CONTENT BLOCKER`; the level is the first level word after it).
pub fn console(output: &str) -> Vec<ConsoleLine> {
    let mut out = Vec::new();
    for line in output.lines() {
        let rest = if let Some(rest) = line.strip_prefix("CONSOLE ") {
            rest
        } else if let Some(at) = line.find(": CONSOLE ") {
            &line[at + ": CONSOLE ".len()..]
        } else {
            continue;
        };
        // A console.* message has no source word: `CONSOLE LOG <message>`.
        let padded = format!(" {rest}");
        let found = LEVELS
            .iter()
            .filter_map(|level| {
                let at = padded.find(&format!(" {level} "))?;
                Some((at, *level))
            })
            .min();
        let Some((at, level)) = found else {
            continue;
        };
        out.push(ConsoleLine::new(
            padded[..at].trim_start(),
            level,
            &padded[at + level.len() + 2..],
        ));
    }
    out
}
