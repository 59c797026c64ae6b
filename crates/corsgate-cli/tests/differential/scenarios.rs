//! The scenario table: what the page asks for, what the server answers, and what Chrome 156
//! and Firefox ESR 153 do about it.
//!
//! Templates in header values and expected messages: `{PAGE}`, `{API}` and `{THIRD}` are the
//! three origins, `{ID}` the scenario's base path (`/s/<id>`) and `{URL}` its URL on the API
//! origin (`{API}{ID}`), which is what the page fetches.

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

fn reply(status: u16, headers: &[(&str, &str)]) -> Reply {
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
    /// Response headers script must be able to read (allowed scenarios; checked as a subset).
    pub readable: Vec<&'static str>,
    /// Response headers script must not be able to read.
    pub unreadable: Vec<&'static str>,
    /// A route suffix where the browser must have sent `Origin: null`.
    pub null_origin_at: Option<(At, String)>,
    /// Why Firefox differs, when it does.
    pub note: &'static str,
}

impl Scenario {
    fn new(id: &'static str, about: &'static str) -> Scenario {
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
            readable: Vec::new(),
            unreadable: Vec::new(),
            null_origin_at: None,
            note: "",
        }
    }

    /// `/s/<id>`.
    pub fn base_path(&self) -> String {
        format!("/s/{}", self.id)
    }

    fn method(mut self, m: &'static str) -> Self {
        self.method = m;
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn include(mut self) -> Self {
        self.credentials = "include";
        self
    }

    fn omit(mut self) -> Self {
        self.credentials = "omit";
        self
    }

    fn body(mut self, b: &'static str) -> Self {
        self.body = Some(b);
        self
    }

    fn xhr(mut self) -> Self {
        self.xhr = true;
        self
    }

    fn preflight(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].options = Some(reply(status, headers));
        self
    }

    fn actual(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].other = reply(status, headers);
        self
    }

    fn hop(
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
    fn chain(mut self, n: u32) -> Self {
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

    fn chrome(mut self, e: Expect) -> Self {
        self.firefox = e.verdict();
        self.chrome = e;
        self
    }

    fn firefox(mut self, v: Verdict, note: &'static str) -> Self {
        self.firefox = v;
        self.note = note;
        self
    }

    fn readable(mut self, names: &[&'static str]) -> Self {
        self.readable = names.to_vec();
        self
    }

    fn unreadable(mut self, names: &[&'static str]) -> Self {
        self.unreadable = names.to_vec();
        self
    }

    fn null_origin_at(mut self, at: At, suffix: &str) -> Self {
        self.null_origin_at = Some((at, suffix.to_owned()));
        self
    }
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

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACEH: &str = "access-control-expose-headers";

/// Every scenario, in the order the page runs them.
pub fn all() -> Vec<Scenario> {
    use Expect::Allowed;
    use Scenario as S;
    let long_accept_128 = format!("text/{}", "a".repeat(123));
    let long_accept_129 = format!("text/{}", "a".repeat(124));
    vec![
        // --- The actual response's Access-Control-Allow-Origin ---------------------------
        S::new("get-allowed", "simple GET, ACAO echoes the page origin")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("get-star", "simple GET, ACAO *")
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("acao-missing", "no ACAO")
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-missing-404", "404 without ACAO")
            .actual(404, &[])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-list", "ACAO lists two origins on one line")
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-two-lines", "ACAO sent twice with the page origin")
            .actual(200, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-space", "ACAO with a space between two origins")
            .actual(200, &[(ACAO, "{PAGE} http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE} http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-invalid", "ACAO is not a URL")
            .actual(200, &[(ACAO, "notaurl")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'notaurl'. Have the server send the header with a valid value.")),
        S::new("acao-empty", "ACAO is empty")
            .actual(200, &[(ACAO, "")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value ''. Have the server send the header with a valid value.")),
        S::new("acao-other", "ACAO names another origin")
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-slash", "ACAO is the page origin with a trailing slash")
            .actual(200, &[(ACAO, "{PAGE}/")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{PAGE}/' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-port", "ACAO is the API's own origin (same host, other port)")
            .actual(200, &[(ACAO, "{API}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{API}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-null", "ACAO null for a page with a real origin")
            .actual(200, &[(ACAO, "null")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        // --- Credentials --------------------------------------------------------------------
        S::new("cred-star", "credentials include, ACAO *")
            .include()
            .actual(200, &[(ACAO, "*"), (ACAC, "true")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("cred-no-acac", "credentials include, no ACAC")
            .include()
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-acac-True", "credentials include, ACAC True (capital T)")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-allowed", "credentials include, ACAO echo and ACAC true")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        S::new("cred-omit-star", "credentials omit, ACAO *")
            .omit()
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        // --- The preflight's response ---------------------------------------------------------
        S::new("put-allowed", "PUT, preflight allows it")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("pf-404", "PUT, preflight answers 404")
            .method("PUT")
            .preflight(404, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-500", "DELETE, preflight answers 500")
            .method("DELETE")
            .preflight(500, &[(ACAO, "{PAGE}"), (ACAM, "DELETE")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-redirect", "PUT, preflight redirects")
            .method("PUT")
            .preflight(307, &[(ACAO, "{PAGE}"), (ACAM, "PUT"), ("location", "{API}{ID}/2")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .hop(At::Api, "/2", Some((204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])), 200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("Redirect is not allowed for a preflight request.")),
        S::new("pf-acao-missing", "PUT, preflight without ACAO")
            .method("PUT")
            .preflight(204, &[(ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("pf-acao-other", "PUT, preflight ACAO names another origin")
            .method("PUT")
            .preflight(204, &[(ACAO, "http://x.example"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("pf-acao-two", "PUT, preflight ACAO sent twice")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("pf-acao-invalid", "PUT, preflight ACAO is not a URL")
            .method("PUT")
            .preflight(204, &[(ACAO, "nope"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'nope'. Have the server send the header with a valid value.")),
        S::new("pf-cred-star", "PUT with credentials, preflight ACAO *")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "*"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-no-acac", "PUT with credentials, preflight without ACAC")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-allowed", "PUT with credentials, everything echoed")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        // --- Methods ----------------------------------------------------------------------
        S::new("method-missing", "PUT, preflight without ACAM")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-invalid", "PUT, ACAM is not a token list")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT, (GET)")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")),
        S::new("method-patch-lower", "fetch method 'patch' (not normalised), ACAM PATCH")
            .method("patch")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PATCH")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method patch is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-patch-upper", "fetch method 'PATCH', ACAM patch")
            .method("PATCH")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "patch")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-put-lower", "fetch method 'put' (normalised to PUT), ACAM put")
            .method("put")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "put")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-star", "DELETE, ACAM *")
            .method("DELETE")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("method-star-cred", "DELETE with credentials, ACAM * (literal then)")
            .method("DELETE")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.")),
        // --- Request headers ----------------------------------------------------------------
        S::new("header-missing", "X-Foo, preflight without ACAH")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("header-invalid", "X-Foo, ACAH is not a token list")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "x-foo, x bar")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")),
        S::new("header-case", "X-Foo, ACAH X-FOO (names compare case-insensitively)")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "X-FOO")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star", "X-Foo, ACAH *")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star-cred", "X-Foo with credentials, ACAH * (literal then)")
            .header("X-Foo", "1")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("auth-star", "Authorization, ACAH * (still covers it in both browsers)")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-listed", "Authorization, ACAH authorization")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "authorization")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-missing", "Authorization, preflight without ACAH")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.")),
        // --- Safelisted request headers -------------------------------------------------------
        S::new("ct-text-plain", "POST text/plain: no preflight")
            .method("POST")
            .header("Content-Type", "text/plain")
            .body("hi")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-json", "POST application/json: preflight, content-type not allowed")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("ct-json-allowed", "POST application/json, ACAH content-type")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "Content-Type")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-quoted", "POST text/plain with a quoted charset (a CORS-unsafe byte)")
            .method("POST")
            .header("Content-Type", "text/plain; charset=\"utf-8\"")
            .body("hi")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-128", "Accept value of exactly 128 bytes: safelisted")
            .header("Accept", &long_accept_128)
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-129", "Accept value of 129 bytes: preflight, accept not allowed")
            .header("Accept", &long_accept_129)
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-language-ok", "Accept-Language with safelisted bytes")
            .header("Accept-Language", "en-US,en;q=0.9")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-language-bad", "Accept-Language with '@': preflight")
            .header("Accept-Language", "en@US")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("content-language-bad", "Content-Language with parentheses: preflight")
            .header("Content-Language", "de(DE)")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("range-single", "Range with one simple range: safelisted")
            .header("Range", "bytes=0-10")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("range-multi", "Range with two ranges: preflight")
            .header("Range", "bytes=0-1,5-6")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field range is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("dpr", "DPR: 1 (safelisted by Chrome only); OPTIONS answers 405")
            .header("DPR", "1")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox does not safelist DPR: it preflights, and the 405 fails the preflight"),
        // --- Redirects ------------------------------------------------------------------------
        S::new("redir-third-echo", "redirect to a third origin, which echoes the page origin (but Origin is null now)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("redir-third-null", "redirect to a third origin, which answers ACAO null")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "null")])
            .null_origin_at(At::Third, "/2")
            .chrome(Allowed),
        S::new("redir-third-star", "redirect to a third origin, which answers ACAO *")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-no-acao", "the redirect response itself has no ACAO")
            .actual(302, &[("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("redir-put-307", "preflighted PUT, 307 to a third origin: preflighted again there")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(307, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", Some((204, &[(ACAO, "*"), (ACAM, "PUT")])), 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-20", "20 redirects: the limit")
            .chain(20)
            .chrome(Allowed),
        S::new("redir-21", "21 redirects: one too many")
            .chain(21)
            .chrome(Expect::BlockedSilently),
        S::new("redir-userinfo", "redirect to a URL with a username and password")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "http://user:pass@127.0.0.1:1{ID}/2")])
            .chrome(blocked!("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.")),
        S::new("redir-ftp", "redirect to ftp:")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "ftp://127.0.0.1/x")])
            .chrome(Expect::Blocked("Access to fetch at 'ftp://127.0.0.1/x' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.")),
        S::new("redir-data", "redirect to a data: URL (a network error, no CORS line)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "data:text/plain,hi")])
            .chrome(Expect::BlockedSilently),
        // --- Exposed response headers -----------------------------------------------------------
        S::new("expose-listed", "ACEH lists X-Custom")
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom"])
            .unreadable(&["x-hidden"])
            .chrome(Allowed),
        S::new("expose-star", "ACEH * without credentials exposes everything")
            .actual(200, &[(ACAO, "*"), (ACEH, "*"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom", "x-hidden"])
            .chrome(Allowed),
        S::new("expose-star-cred", "ACEH * with credentials is a literal name")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACEH, "*"), ("x-custom", "1")])
            .unreadable(&["x-custom"])
            .chrome(Allowed),
        // --- XMLHttpRequest wording ---------------------------------------------------------
        S::new("xhr-allowed", "XHR GET, ACAO echo")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1")])
            .readable(&["x-custom"])
            .chrome(Allowed),
        S::new("xhr-acao-missing", "XHR GET, no ACAO")
            .xhr()
            .chrome(xhr_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("xhr-acao-other", "XHR GET, ACAO another origin (no 'Have the server send' hint for XHR)")
            .xhr()
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin.")),
        S::new("xhr-acao-list", "XHR GET, two origins in ACAO")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed.")),
        S::new("xhr-cred-star", "XHR withCredentials, ACAO *")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "*")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-cred-acac-True", "XHR withCredentials, ACAC True")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-pf-cred-no-acac", "XHR withCredentials PUT, preflight without ACAC")
            .xhr()
            .include()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(xhr_blocked!(concat!("Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-method-missing", "XHR PUT, preflight without ACAM")
            .xhr()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(xhr_blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("xhr-redir-third-echo", "XHR, redirect to a third origin that echoes the page origin")
            .xhr()
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to XMLHttpRequest at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin.")),
    ]
}
