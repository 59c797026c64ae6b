//! What each browser did for one scenario: the page's report and the console lines about it.

use super::*;

/// How long the browser may take for the whole page.
pub const RUN_LIMIT: Duration = Duration::from_secs(150);
/// How long one `corsgate check` may take.
pub const CHECK_LIMIT: Duration = Duration::from_secs(30);

/// What the browser did for one scenario.
#[derive(Clone, Debug, Default)]
pub struct Observed {
    pub verdict: Option<Verdict>,
    /// Response header names the page could read (lower-case, sorted).
    pub readable: Vec<String>,
    /// The first CORS console line about the scenario (Chrome's from its stderr, Firefox's
    /// over WebDriver BiDi, WebKit's from MiniBrowser's stdout).
    pub message: Option<String>,
    /// Other console lines about it (none in Chrome; Firefox's and WebKit's follow-up lines).
    pub extra_messages: Vec<String>,
    /// What the page caught (`String(e)`), when it caught something.
    pub error: String,
}

impl Observed {
    /// Every console line about the scenario, in order.
    pub fn lines(&self) -> Vec<String> {
        self.message
            .iter()
            .chain(&self.extra_messages)
            .cloned()
            .collect()
    }
}

/// Does Chrome's line speak about `url` (as the requested or the redirected-from URL)?
pub fn message_is_about(message: &str, url: &str) -> bool {
    message.starts_with(&format!("Access to fetch at '{url}' "))
        || message.starts_with(&format!("Access to XMLHttpRequest at '{url}' "))
        || message.contains(&format!("(redirected from '{url}') "))
        || message.starts_with(&format!("Fetch API cannot load {url}."))
}

/// Does Firefox's line speak about the scenario (its URL or one of its hops, on any origin)?
/// Firefox names the URL it blocked: `... remote resource at <url>. (Reason: ...` (quoted
/// `‘<url>’` in the credentials line).
pub fn firefox_message_is_about(message: &str, base_path: &str) -> bool {
    let Some(rest) = message.split(" remote resource at ").nth(1) else {
        return false;
    };
    let url = rest.trim_start_matches('\u{2018}');
    let end = url.find(['\u{2019}', ' ']).unwrap_or(url.len());
    let url = url[..end].trim_end_matches('.');
    let path = url
        .split_once("://")
        .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
        .unwrap_or("");
    path == base_path || path.starts_with(&format!("{base_path}/"))
}

/// The marker the runner page logs before each scenario (then its id), and at the end.
pub const MARK_BEGIN: &str = "corsgate-differential: begin ";
pub const MARK_DONE: &str = "corsgate-differential: done";

/// A browser's console lines: all of them (Chrome, Firefox: each line names its URL), or per
/// scenario (WebKit: its reason lines do not name the URL, so the page's markers attribute
/// them).
pub enum Console {
    Flat(Vec<String>),
    ByScenario(HashMap<String, Vec<String>>),
}

impl Console {
    /// WebKit's engine messages (a source such as `SECURITY` or `JS`; `console.*` calls have
    /// none) between the page's markers.
    pub fn by_marker(lines: &[webkit::ConsoleLine]) -> Console {
        let mut by = HashMap::new();
        let mut current: Option<String> = None;
        for line in lines {
            if let Some(id) = line.text.strip_prefix(MARK_BEGIN) {
                current = Some(id.to_owned());
                by.entry(id.to_owned()).or_insert_with(Vec::new);
            } else if line.text == MARK_DONE {
                current = None;
            } else if let (Some(id), false) = (&current, line.source.is_empty()) {
                by.entry(id.clone())
                    .or_insert_with(Vec::new)
                    .push(line.text.clone());
            }
        }
        Console::ByScenario(by)
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Console::Flat(lines) => lines.is_empty(),
            Console::ByScenario(by) => by.values().all(Vec::is_empty),
        }
    }
}

pub fn observe(
    kind: Browser,
    s: &Scenario,
    env: &Env,
    reports: &[Value],
    console: &Console,
) -> Observed {
    let mut o = Observed::default();
    if let Some(r) = reports.iter().find(|r| r["id"] == s.id) {
        match r["outcome"].as_str() {
            Some("ok") => {
                o.verdict = Some(Verdict::Allowed);
                let mut names: Vec<String> = r["headers"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                o.readable = names;
            }
            Some("error") => {
                o.verdict = Some(Verdict::Blocked);
                o.error = r["error"].as_str().unwrap_or_default().to_owned();
            }
            _ => {}
        }
    }
    let url = env.expand("{URL}", s.id);
    let mut about: Vec<String> = match console {
        Console::Flat(lines) => lines
            .iter()
            .filter(|m| match kind {
                Browser::Firefox => firefox_message_is_about(m, &s.base_path()),
                _ => message_is_about(m, &url),
            })
            .cloned()
            .collect(),
        Console::ByScenario(by) => by.get(s.id).cloned().unwrap_or_default(),
    };
    if !about.is_empty() {
        o.message = Some(about.remove(0));
        o.extra_messages = about;
    }
    o
}
