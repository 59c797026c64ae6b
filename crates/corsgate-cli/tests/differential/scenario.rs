//! One scenario: the page's call, the server's scripted answers, each engine's verdict.

// Templates in header values and expected messages: `{PAGE}`, `{API}` and `{THIRD}` are the
// three origins, `{ID}` the scenario's base path (`/s/<id>`) and `{URL}` its URL on the API
// origin (`{API}{ID}`), which is what the page fetches.

/// Where a route is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Api,
    Third,
}

/// A scripted answer: status and header lines (values are templates; several lines with the
/// same name are sent as several lines).
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

pub fn reply(status: u16, headers: &[(&str, &str)]) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// One path the server answers for a scenario: `{ID}` + `suffix` at `at`.
#[derive(Clone, Debug)]
pub struct Route {
    pub at: At,
    pub suffix: String,
    /// The `OPTIONS` answer (`None`: 405, nothing else).
    pub options: Option<Reply>,
    /// The answer to every other method.
    pub other: Reply,
}

/// Allowed or blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
        }
    }
}

/// What Chrome does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The page gets the response.
    Allowed,
    /// Blocked, with this console line (a template).
    Blocked(&'static str),
    /// Blocked without a CORS console line (a network error such as too many redirects).
    BlockedSilently,
}

impl Expect {
    pub fn verdict(&self) -> Verdict {
        match self {
            Expect::Allowed => Verdict::Allowed,
            _ => Verdict::Blocked,
        }
    }
}

/// The three origins, once the ports are known.
#[derive(Clone, Debug)]
pub struct Env {
    pub page: String,
    pub api: String,
    pub third: String,
}

impl Env {
    /// Expands a template for scenario `id`.
    pub fn expand(&self, template: &str, id: &str) -> String {
        let base = format!("/s/{id}");
        template
            .replace("{URL}", &format!("{}{base}", self.api))
            .replace("{ID}", &base)
            .replace("{PAGE}", &self.page)
            .replace("{API}", &self.api)
            .replace("{THIRD}", &self.third)
    }
}

/// One scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub about: &'static str,
    pub method: &'static str,
    pub headers: Vec<(String, String)>,
    pub credentials: &'static str,
    pub body: Option<&'static str>,
    /// `XMLHttpRequest` instead of `fetch()` (`withCredentials` for credentials `include`).
    pub xhr: bool,
    /// `routes[0]` is the scenario's URL itself (API origin, empty suffix).
    pub routes: Vec<Route>,
    pub chrome: Expect,
    pub firefox: Verdict,
    /// WebKit's verdict (Chrome's unless set).
    pub webkit: Verdict,
    /// Response headers script must be able to read (allowed scenarios; checked as a subset).
    pub readable: Vec<&'static str>,
    /// Response headers script must not be able to read.
    pub unreadable: Vec<&'static str>,
    /// A route suffix where the browser must have sent `Origin: null`.
    pub null_origin_at: Option<(At, String)>,
    /// Why Firefox differs, when it does.
    pub note: &'static str,
    /// Why WebKit differs, when it does.
    pub webkit_note: &'static str,
}

impl Scenario {
    pub fn new(id: &'static str, about: &'static str) -> Scenario {
        Scenario {
            id,
            about,
            method: "GET",
            headers: Vec::new(),
            credentials: "same-origin",
            body: None,
            xhr: false,
            routes: vec![Route {
                at: At::Api,
                suffix: String::new(),
                options: None,
                other: reply(200, &[]),
            }],
            chrome: Expect::Allowed,
            firefox: Verdict::Allowed,
            webkit: Verdict::Allowed,
            readable: Vec::new(),
            unreadable: Vec::new(),
            null_origin_at: None,
            note: "",
            webkit_note: "",
        }
    }

    /// `/s/<id>`.
    pub fn base_path(&self) -> String {
        format!("/s/{}", self.id)
    }

    pub fn method(mut self, m: &'static str) -> Self {
        self.method = m;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn include(mut self) -> Self {
        self.credentials = "include";
        self
    }

    pub fn omit(mut self) -> Self {
        self.credentials = "omit";
        self
    }

    pub fn body(mut self, b: &'static str) -> Self {
        self.body = Some(b);
        self
    }

    pub fn xhr(mut self) -> Self {
        self.xhr = true;
        self
    }

    pub fn preflight(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].options = Some(reply(status, headers));
        self
    }

    pub fn actual(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].other = reply(status, headers);
        self
    }

    pub fn hop(
        mut self,
        at: At,
        suffix: &str,
        options: Option<(u16, &[(&str, &str)])>,
        status: u16,
        headers: &[(&str, &str)],
    ) -> Self {
        self.routes.push(Route {
            at,
            suffix: suffix.to_owned(),
            options: options.map(|(s, h)| reply(s, h)),
            other: reply(status, headers),
        });
        self
    }

    /// `n` redirects on the API origin, each allowing the page, then a 200 allowing it.
    pub fn chain(mut self, n: u32) -> Self {
        let step = |k: u32| format!("{{API}}{{ID}}/{k}");
        self.routes[0].other = Reply {
            status: 302,
            headers: vec![
                ("access-control-allow-origin".into(), "{PAGE}".into()),
                ("location".into(), step(1)),
            ],
        };
        for k in 1..=n {
            let other = if k < n {
                Reply {
                    status: 302,
                    headers: vec![
                        ("access-control-allow-origin".into(), "{PAGE}".into()),
                        ("location".into(), step(k + 1)),
                    ],
                }
            } else {
                reply(200, &[("access-control-allow-origin", "{PAGE}")])
            };
            self.routes.push(Route {
                at: At::Api,
                suffix: format!("/{k}"),
                options: None,
                other,
            });
        }
        self
    }

    pub fn chrome(mut self, e: Expect) -> Self {
        self.firefox = e.verdict();
        self.webkit = e.verdict();
        self.chrome = e;
        self
    }

    pub fn firefox(mut self, v: Verdict, note: &'static str) -> Self {
        self.firefox = v;
        self.note = note;
        self
    }

    /// Where WebKit's verdict differs from Chrome's (call after `chrome`).
    pub fn webkit(mut self, v: Verdict, note: &'static str) -> Self {
        self.webkit = v;
        self.webkit_note = note;
        self
    }

    pub fn readable(mut self, names: &[&'static str]) -> Self {
        self.readable = names.to_vec();
        self
    }

    pub fn unreadable(mut self, names: &[&'static str]) -> Self {
        self.unreadable = names.to_vec();
        self
    }

    pub fn null_origin_at(mut self, at: At, suffix: &str) -> Self {
        self.null_origin_at = Some((at, suffix.to_owned()));
        self
    }
}

/// The scenario table as Markdown (for `docs/differential.md`).
pub fn markdown_table(scenarios: &[Scenario]) -> String {
    let mut t = String::from(
        "| # | id | request | Chrome 156 | Firefox ESR 153 | WebKit 2.50 |\n|---|---|---|---|---|---|\n",
    );
    for (i, s) in scenarios.iter().enumerate() {
        let mut request = format!("{} {}", if s.xhr { "XHR" } else { "fetch" }, s.method);
        for (n, v) in &s.headers {
            let v = if v.len() > 24 {
                format!("<{} bytes>", v.len())
            } else {
                v.clone()
            };
            request.push_str(&format!(", `{n}: {v}`"));
        }
        if s.credentials != "same-origin" {
            request.push_str(&format!(", credentials {}", s.credentials));
        }
        let chrome = match &s.chrome {
            Expect::Allowed => "allowed".to_owned(),
            Expect::BlockedSilently => "blocked, no CORS line (network error)".to_owned(),
            Expect::Blocked(m) => {
                let reason = m.split("blocked by CORS policy: ").nth(1).unwrap_or(m);
                format!("blocked: {reason}")
            }
        };
        let firefox = if s.note.is_empty() {
            s.firefox.as_str().to_owned()
        } else {
            format!("{} ({})", s.firefox.as_str(), s.note)
        };
        let webkit = if s.webkit_note.is_empty() {
            s.webkit.as_str().to_owned()
        } else {
            format!("{} ({})", s.webkit.as_str(), s.webkit_note)
        };
        t.push_str(&format!(
            "| {} | `{}` | {}: {} | {} | {} | {} |\n",
            i + 1,
            s.id,
            request,
            s.about.replace('*', "\\*"),
            chrome.replace('|', "\\|").replace('*', "\\*"),
            firefox,
            webkit
        ));
    }
    t
}

/// "Access to fetch at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: " + reason.
macro_rules! blocked {
    ($reason:expr) => {
        Expect::Blocked(concat!(
            "Access to fetch at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: ",
            $reason
        ))
    };
}

/// The same, for the preflight variants ("Response to preflight request doesn't pass access
/// control check: " + reason).
macro_rules! preflight_blocked {
    ($reason:expr) => {
        blocked!(concat!(
            "Response to preflight request doesn't pass access control check: ",
            $reason
        ))
    };
}

/// The `XMLHttpRequest` wording: "Access to XMLHttpRequest at '{URL}' ..." + reason.
macro_rules! xhr_blocked {
    ($reason:expr) => {
        Expect::Blocked(concat!(
            "Access to XMLHttpRequest at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: ",
            $reason
        ))
    };
}

/// The XHR-only sentence Chrome appends to the wildcard and credentials messages.
macro_rules! with_credentials_hint {
    () => {
        " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
    };
}

/// Response header names the table uses.
pub const ACAO: &str = "access-control-allow-origin";
pub const ACAC: &str = "access-control-allow-credentials";
pub const ACAM: &str = "access-control-allow-methods";
pub const ACAH: &str = "access-control-allow-headers";
pub const ACEH: &str = "access-control-expose-headers";
