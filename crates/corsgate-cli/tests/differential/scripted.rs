//! The scripted server (three origins) and the runner page.

use super::*;

// --- The scripted server ------------------------------------------------------------------
//
// Three loopback listeners, three origins:
//
// - the **page** origin (`http://127.0.0.1:P`) serves the runner page and takes the page's
//   reports (`POST /report`, `POST /done`), same-origin;
// - the **API** origin (`http://127.0.0.1:Q`) answers each scenario at `/s/<id>` (and its
//   redirect hops at `/s/<id>/<n>`) with the scenario's scripted status and headers, one
//   answer for `OPTIONS` and one for every other method;
// - the **third** origin (`http://127.0.0.1:R`) answers the hops redirected there.
//
// Answers depend only on the listener, the path and whether the method is `OPTIONS` — never
// on what else the client sends (`User-Agent`, `Sec-Fetch-*`, cookies), so a browser and
// `corsgate check` get byte-identical answers. Every request is recorded (`util::server`).

/// The body of every scripted non-204 answer.
pub const BODY: &str = "ok";
/// The body of the 404 for an unknown path.
pub const NOT_FOUND: &str = "no such scenario";

/// Which listener a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Listener {
    Page,
    Api,
    Third,
}

impl Listener {
    /// In the order the server binds them.
    const ALL: [Listener; 3] = [Listener::Page, Listener::Api, Listener::Third];

    pub fn of(r: &Seen) -> Listener {
        Listener::ALL[r.listener]
    }
}

/// (listener, path) → (the `OPTIONS` answer, every other method's answer), templates
/// expanded, bodies not yet added.
pub type Routes = HashMap<(Listener, String), (Option<server::Reply>, server::Reply)>;

/// What the runner page reported.
#[derive(Default)]
pub struct PageState {
    pub reports: Vec<Value>,
    pub done: bool,
}

/// The suite's server: the scripted server with the scenarios' routes and the runner page.
pub struct Scripted {
    pub server: Server,
    pub env: Env,
    pub routes: Arc<Routes>,
    pub page: Arc<Mutex<PageState>>,
}

pub fn listener_of(at: At) -> Listener {
    match at {
        At::Api => Listener::Api,
        At::Third => Listener::Third,
    }
}

pub fn expand_reply(reply: &Reply, env: &Env, id: &str) -> server::Reply {
    reply
        .headers
        .iter()
        .fold(server::Reply::new(reply.status), |r, (n, v)| {
            r.header(n.clone(), env.expand(v, id))
        })
}

pub fn routes(scenarios: &[Scenario], env: &Env) -> Routes {
    let mut routes = HashMap::new();
    for s in scenarios {
        for r in &s.routes {
            let key = (listener_of(r.at), format!("{}{}", s.base_path(), r.suffix));
            let answers = (
                r.options.as_ref().map(|o| expand_reply(o, env, s.id)),
                expand_reply(&r.other, env, s.id),
            );
            assert!(
                routes.insert(key.clone(), answers).is_none(),
                "two routes at {key:?}"
            );
        }
    }
    routes
}

pub fn lock(page: &Mutex<PageState>) -> MutexGuard<'_, PageState> {
    page.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The answer to one request.
pub fn respond(r: &Seen, routes: &Routes, html: &str, page: &Mutex<PageState>) -> server::Reply {
    let listener = Listener::of(r);
    if listener == Listener::Page {
        return match (r.method.as_str(), r.path()) {
            ("GET", "/") => server::Reply::new(200)
                .header("content-type", "text/html; charset=utf-8")
                .header("cache-control", "no-store")
                .body(html.to_owned()),
            ("POST", "/report") => {
                let value: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                lock(page).reports.push(value);
                server::Reply::new(204)
            }
            ("POST", "/done") => {
                lock(page).done = true;
                server::Reply::new(204)
            }
            _ => server::Reply::new(404),
        };
    }
    let Some((options, other)) = routes.get(&(listener, r.path().to_owned())) else {
        return server::Reply::new(404).body(NOT_FOUND);
    };
    let answer = if r.method == Method::OPTIONS {
        match options {
            Some(a) => a,
            None => return server::Reply::new(405),
        }
    } else {
        other
    };
    let body = if answer.status == 204 || answer.status == 304 {
        ""
    } else {
        BODY
    };
    answer.clone().body(body)
}

impl Scripted {
    /// Binds the three listeners and serves `scenarios` and the runner page.
    pub fn start(scenarios: &[Scenario]) -> Scripted {
        let page = Arc::new(Mutex::new(PageState::default()));
        let state = page.clone();
        let mut made = None;
        let server = server::serve_many(3, |origins| {
            let env = Env {
                page: origins[0].clone(),
                api: origins[1].clone(),
                third: origins[2].clone(),
            };
            let routes = Arc::new(routes(scenarios, &env));
            let html = page_html(scenarios, &env);
            made = Some((env, routes.clone()));
            move |r: &Seen| respond(r, &routes, &html, &state)
        });
        let (env, routes) = made.expect("the server called its factory");
        Scripted {
            server,
            env,
            routes,
            page,
        }
    }

    /// The scripted answer at `listener` + `path` for `method` (what the server sends, bodies
    /// aside).
    pub fn answer(&self, listener: Listener, path: &str, method: &str) -> Option<server::Reply> {
        let (options, other) = self.routes.get(&(listener, path.to_owned()))?;
        if method == "OPTIONS" {
            options.clone()
        } else {
            Some(other.clone())
        }
    }

    /// The page's reports so far.
    pub fn reports(&self) -> Vec<Value> {
        lock(&self.page).reports.clone()
    }

    /// Waits (bounded) until the page said it is done; `false` on timeout or when `alive`
    /// says the browser is gone.
    pub fn wait_done(&self, within: Duration, mut alive: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if lock(&self.page).done {
                return true;
            }
            if !alive() {
                return lock(&self.page).done;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        lock(&self.page).done
    }
}

// --- The runner page ----------------------------------------------------------------------
//
// Served from the page origin, it runs every scenario's `fetch()` one after the other and
// POSTs each outcome to its own origin, then `POST /done`.

/// How long the page lets one `fetch()` run before aborting it (milliseconds).
pub const FETCH_TIMEOUT_MS: u64 = 10_000;

/// The page's view of one scenario.
pub fn spec(s: &Scenario, env: &Env) -> Value {
    json!({
        "id": s.id,
        "url": env.expand("{URL}", s.id),
        "method": s.method,
        "headers": s.headers.iter().map(|(n, v)| vec![n.clone(), v.clone()]).collect::<Vec<_>>(),
        "credentials": s.credentials,
        "body": s.body,
        "xhr": s.xhr,
    })
}

/// The page's HTML.
pub fn page_html(scenarios: &[Scenario], env: &Env) -> String {
    let specs: Vec<Value> = scenarios.iter().map(|s| spec(s, env)).collect();
    // `</` never appears in JSON from serde_json unless inside a string; escape it anyway.
    let data = serde_json::to_string(&specs)
        .expect("scenario specs serialise")
        .replace("</", "<\\/");
    format!(
        r#"<!doctype html>
<meta charset="utf-8">
<title>corsgate differential runner</title>
<pre id="log">running</pre>
<script>
const SCENARIOS = {data};
const log = (line) => {{ document.getElementById("log").textContent += "\n" + line; }};
async function report(value) {{
  await fetch("/report", {{ method: "POST", body: JSON.stringify(value) }});
}}
function runXhr(s) {{
  return new Promise((resolve) => {{
    const xhr = new XMLHttpRequest();
    try {{
      xhr.open(s.method, s.url);
      for (const [name, value] of s.headers) xhr.setRequestHeader(name, value);
    }} catch (e) {{
      resolve({{ id: s.id, outcome: "error", error: String(e) }});
      return;
    }}
    xhr.withCredentials = s.credentials === "include";
    xhr.timeout = {timeout};
    xhr.onload = () => {{
      const names = xhr.getAllResponseHeaders().trim().split(/\r?\n/)
        .filter((line) => line.includes(":"))
        .map((line) => line.slice(0, line.indexOf(":")).trim().toLowerCase());
      resolve({{ id: s.id, outcome: "ok", status: xhr.status, headers: names }});
    }};
    xhr.onerror = () => resolve({{ id: s.id, outcome: "error", error: "xhr error" }});
    xhr.ontimeout = () => resolve({{ id: s.id, outcome: "error", error: "xhr timeout" }});
    xhr.send(s.body);
  }});
}}
async function runOne(s) {{
  if (s.xhr) return runXhr(s);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), {timeout});
  const init = {{ method: s.method, headers: s.headers, credentials: s.credentials,
                 signal: controller.signal }};
  if (s.body !== null) init.body = s.body;
  try {{
    const response = await fetch(s.url, init);
    const names = [];
    response.headers.forEach((value, name) => names.push(name));
    await response.text();
    return {{ id: s.id, outcome: "ok", status: response.status, type: response.type,
             url: response.url, headers: names }};
  }} catch (e) {{
    return {{ id: s.id, outcome: "error", error: String(e) }};
  }} finally {{
    clearTimeout(timer);
  }}
}}
(async () => {{
  for (const s of SCENARIOS) {{
    console.log("{begin}" + s.id);
    const result = await runOne(s);
    log(s.id + " " + result.outcome);
    await report(result);
  }}
  console.log("{done}");
  await fetch("/done", {{ method: "POST" }});
  log("done");
}})();
</script>
"#,
        timeout = FETCH_TIMEOUT_MS,
        begin = MARK_BEGIN,
        done = MARK_DONE,
    )
}
