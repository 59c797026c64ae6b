//! The runner page: served from the page origin, it runs every scenario's `fetch()` one after
//! the other and POSTs each outcome to its own origin, then `POST /done`.

use serde_json::{json, Value};

use super::scenarios::{Env, Scenario};

/// How long the page lets one `fetch()` run before aborting it (milliseconds).
pub const FETCH_TIMEOUT_MS: u64 = 10_000;

/// The page's view of one scenario.
fn spec(s: &Scenario, env: &Env) -> Value {
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
pub fn html(scenarios: &[Scenario], env: &Env) -> String {
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
    xhr.open(s.method, s.url);
    for (const [name, value] of s.headers) xhr.setRequestHeader(name, value);
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
    const result = await runOne(s);
    log(s.id + " " + result.outcome);
    await report(result);
  }}
  await fetch("/done", {{ method: "POST" }});
  log("done");
}})();
</script>
"#,
        timeout = FETCH_TIMEOUT_MS
    )
}
