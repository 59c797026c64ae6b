//! `corsgate audit` against real servers (issue 15, "What it must show"), and real headless
//! Chromium confirming what it reports.
//!
//! Each server below is a real one configured the way the copied "fixes" are: Debian's nginx
//! ([`util::nginx`]), Express with and without the npm `cors` package ([`util::express`]), an
//! axum app in-process, and a TLS server with a test CA. Each test asserts the class audit
//! finds, its severity, and that nothing else above `info` is found.
//!
//! [`chromium_reads_exactly_what_audit_says`] then starts the same servers again and, in one
//! headless Chromium, opens a page at *every* origin audit probed with a `simple` call and
//! has it `fetch` the target with `credentials: "include"` and `"omit"`: what the page could
//! read must be exactly audit's `readable` for that probe (so the classes are confirmed by a
//! real browser, and every origin audit says is refused is a control that cannot read). The
//! forged origins (`https://app.example.com.corsgate-attacker.example`,
//! `http://app.example.com`, ...) are served from loopback: Chromium maps every host on port
//! 80 and 443 to two loopback page servers (`--host-resolver-rules=MAP *:80 127.0.0.1:P, MAP
//! *:443 127.0.0.1:Q`; the https one has a test certificate, taken with
//! `--ignore-certificate-errors`), and each page checks that `self.origin` is the origin audit
//! probed. `null` is a sandboxed `srcdoc` iframe (an opaque origin, `Origin: null`). The
//! missing-vary finding is about caches, so it is also shown as it bites: the answer cached
//! for one trusted origin is served to the other, whose page then cannot read it.

use std::time::{Duration, Instant};

use axum::Router;
use http::{header, HeaderMap, HeaderValue, Response};
use serde_json::{json, Value};

use crate::util::browser::{available, exclusive, Kind, Launched};
use crate::util::express::{Express, APP_TAIL};
use crate::util::nginx::Nginx;
use crate::util::server::{serve_tls, Reply, Server};
use crate::util::{audit_json, fresh_dir, serve, serve_router, tls, Seen};

/// The trusted page origin.
const APP: &str = "https://app.example.com";
/// A second trusted page origin.
const ADMIN: &str = "https://admin.example.com";
/// Fast enough for a test, still paced.
const RATE: &str = "100/s";
/// How long the whole Chromium run may take.
const BROWSER_LIMIT: Duration = Duration::from_secs(240);

/// A real server under audit: what keeps it running, the URL, audit's flags, and the findings
/// above `info` expected (class, severity), worst first.
struct Real {
    name: &'static str,
    _keep: Box<dyn std::any::Any>,
    url: String,
    flags: Vec<String>,
    expect: Vec<(&'static str, &'static str)>,
}

/// `(class, severity)` of every finding above `info`, in order.
fn above_info(doc: &Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            (
                f["class"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Audits `real` (`--json`) and asserts exactly the findings above `info` it expects, and
/// the exit status that goes with them. The document.
fn audit(real: &Real) -> Value {
    let mut args = vec![real.url.as_str(), "--rate", RATE];
    args.extend(real.flags.iter().map(String::as_str));
    let (code, doc) = audit_json(&args);
    let want: Vec<(String, String)> = real
        .expect
        .iter()
        .map(|(c, s)| ((*c).to_owned(), (*s).to_owned()))
        .collect();
    let name = real.name;
    assert_eq!(above_info(&doc), want, "{name}: {doc:#}");
    let high = real.expect.iter().any(|(_, s)| *s == "high");
    assert_eq!(code, i32::from(high), "{name}: {doc:#}");
    assert_eq!(doc["source"], "network");
    doc
}

fn flags(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// --- 1. nginx with an unanchored or unescaped `map` regex ---------------------------------

/// nginx echoing the origin (with credentials) when `$http_origin` matches `regex`, the
/// way the copied `map` snippets do.
fn nginx_map(regex: &str) -> Option<Nginx> {
    Nginx::start(
        &format!("  map $http_origin $cors_origin {{\n    default \"\";\n    \"~{regex}\" $http_origin;\n  }}"),
        "    location / {\n      add_header Access-Control-Allow-Origin $cors_origin always;\n      \
         add_header Access-Control-Allow-Credentials true always;\n      \
         add_header Vary Origin always;\n      return 200 \"{\\\"secret\\\": 1}\\n\";\n    }",
    )
}

/// `~^https://app\.example\.com`: anchored at the start only, so
/// `https://app.example.com.corsgate-attacker.example` (and `app.example.com_.…`) pass; dots
/// escaped, so `appxexample.com` does not. Audit: prefix-match (the special characters folded
/// in), high (credentials).
fn nginx_prefix() -> Option<Real> {
    let n = nginx_map(r"^https://app\.example\.com")?;
    Some(Real {
        name: "nginx map ~^https://app\\.example\\.com",
        url: n.url("/data"),
        _keep: Box::new(n),
        flags: flags(&["--origin", APP]),
        expect: vec![("prefix-match", "high")],
    })
}

/// `~^https://app.example.com$`: anchored, dots unescaped, so `https://appxexample.com`
/// passes and nothing longer does. Audit: unescaped-dot, high.
fn nginx_unescaped_dot() -> Option<Real> {
    let n = nginx_map("^https://app.example.com$")?;
    Some(Real {
        name: "nginx map ~^https://app.example.com$",
        url: n.url("/data"),
        _keep: Box::new(n),
        flags: flags(&["--origin", APP]),
        expect: vec![("unescaped-dot", "high")],
    })
}

#[test]
fn nginx_with_a_start_anchored_map_regex_is_a_prefix_match() {
    let Some(real) = nginx_prefix() else { return };
    let doc = audit(&real);
    let f = &doc["findings"][0];
    let kinds: Vec<&str> = f["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"prefix") && kinds.contains(&"special-char"),
        "{kinds:?}"
    );
    assert!(!kinds.contains(&"unescaped-dot"), "{kinds:?}");
}

#[test]
fn nginx_with_unescaped_dots_in_its_map_regex_is_an_unescaped_dot() {
    let Some(real) = nginx_unescaped_dot() else {
        return;
    };
    let doc = audit(&real);
    let origins: Vec<&str> = doc["findings"][0]["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["origin"].as_str().unwrap())
        .collect();
    assert_eq!(origins, ["https://appxexample.com"]);
}

// --- 2, 3. The npm `cors` package ----------------------------------------------------------

/// An Express app with the npm `cors` package configured by `options` (JavaScript).
fn npm_cors(options: &str) -> Option<Express> {
    Express::app(&format!(
        "const express = require(\"express\");\nconst cors = require(\"cors\");\n\
         const app = express();\napp.use(cors({options}));\n\
         app.get(\"/data\", (req, res) => res.json({{ secret: 1 }}));\n{APP_TAIL}"
    ))
}

/// `cors({ origin: true, credentials: true })`: reflects every origin, with credentials.
fn npm_cors_reflect() -> Option<Real> {
    let e = npm_cors("{ origin: true, credentials: true }")?;
    Some(Real {
        name: "npm cors { origin: true, credentials: true }",
        url: e.url("/data"),
        _keep: Box::new(e),
        flags: flags(&["--origin", APP]),
        expect: vec![("reflect-any-origin", "high")],
    })
}

/// `cors({ origin: /example\.com$/ })`, no credentials: anchored at the end only, so
/// `https://attackerexample.com` (and `appxexample.com`, any subdomain: folded in) pass.
/// Medium: readable without credentials, and the API is no public `*` one. The package also
/// answers every preflight with `Access-Control-Allow-Methods` (and reflects the requested
/// headers), the origin allowed or not: preflight-disclosure, low, as audit says.
fn npm_cors_suffix() -> Option<Real> {
    let e = npm_cors(r"{ origin: /example\.com$/ }")?;
    Some(Real {
        name: "npm cors { origin: /example\\.com$/ }",
        url: e.url("/data"),
        _keep: Box::new(e),
        flags: flags(&["--origin", APP]),
        expect: vec![("suffix-match", "medium"), ("preflight-disclosure", "low")],
    })
}

#[test]
fn npm_cors_reflecting_any_origin_with_credentials_is_high() {
    let Some(real) = npm_cors_reflect() else {
        return;
    };
    let doc = audit(&real);
    assert_eq!(doc["findings"][0]["credentials"], true);
}

#[test]
fn npm_cors_with_an_end_anchored_regex_is_a_suffix_match() {
    let Some(real) = npm_cors_suffix() else {
        return;
    };
    let doc = audit(&real);
    let f = &doc["findings"][0];
    assert_eq!(f["credentials"], false);
    let kinds: Vec<&str> = f["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    for kind in ["suffix", "unescaped-dot", "subdomain"] {
        assert!(kinds.contains(&kind), "{kind}: {kinds:?}");
    }
}

// --- 4. Express trusting `null` ------------------------------------------------------------

/// Express without the `cors` package, echoing the origin (with credentials) when it is in a
/// list holding the page's origin and `null` (for "local files").
fn express_null() -> Option<Real> {
    let e = Express::app(&format!(
        "const express = require(\"express\");\nconst app = express();\n\
         const allowed = [\"{APP}\", \"null\"];\n\
         app.use((req, res, next) => {{\n  const origin = req.headers.origin;\n  \
         if (allowed.includes(origin)) {{\n    res.set(\"Access-Control-Allow-Origin\", origin);\n    \
         res.set(\"Access-Control-Allow-Credentials\", \"true\");\n    res.vary(\"Origin\");\n  }}\n  \
         next();\n}});\napp.get(\"/data\", (req, res) => res.json({{ secret: 1 }}));\n{APP_TAIL}"
    ))?;
    Some(Real {
        name: "Express trusting null",
        url: e.url("/data"),
        _keep: Box::new(e),
        flags: flags(&["--origin", APP]),
        expect: vec![("null-origin", "high")],
    })
}

#[test]
fn express_trusting_null_is_a_null_origin() {
    let Some(real) = express_null() else { return };
    let doc = audit(&real);
    let f = &doc["findings"][0];
    assert_eq!(f["probes"][0]["origin"], "null");
    assert_eq!(f["probes"].as_array().unwrap().len(), 1);
}

// --- 5. axum with a hand-written prefix match ----------------------------------------------

/// An axum app whose handler allows `origin.starts_with("https://app.example.com")`.
fn axum_prefix() -> Real {
    async fn data(headers: HeaderMap) -> Response<String> {
        let mut response = Response::new("{\"secret\":1}".to_owned());
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        if let Some(origin) = origin.filter(|o| o.starts_with(APP)) {
            let h = response.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_str(origin).unwrap(),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        response
    }
    let server = serve_router(Router::new().fallback(data));
    Real {
        name: "axum starts_with",
        url: server.url("/data"),
        _keep: Box::new(server),
        flags: flags(&["--origin", APP]),
        expect: vec![("prefix-match", "high")],
    }
}

#[test]
fn axum_with_starts_with_is_a_prefix_match() {
    let real = axum_prefix();
    audit(&real);
}

// --- 6. An https API trusting its origin over http -----------------------------------------

/// An HTTPS server (a test CA's certificate for `localhost`, given to audit with `--cacert`)
/// echoing `https://app.example.com` and `http://app.example.com`, with credentials.
fn tls_insecure_origin() -> Real {
    let (acceptor, ca_pem) = tls::acceptor(&["localhost"]);
    let server = serve_tls(acceptor, |seen: &Seen| {
        let origin = seen.origin();
        if origin == APP || origin == "http://app.example.com" {
            Reply::new(200)
                .header("access-control-allow-origin", origin)
                .header("access-control-allow-credentials", "true")
                .header("vary", "Origin")
                .body("{\"secret\":1}")
        } else {
            Reply::new(200).header("vary", "Origin")
        }
    });
    let dir = fresh_dir("audit-real-tls");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    Real {
        name: "https API trusting http://app.example.com",
        url: format!("https://localhost:{}/data", server.port()),
        _keep: Box::new(server),
        flags: vec![
            "--origin".into(),
            APP.into(),
            "--cacert".into(),
            ca.display().to_string(),
        ],
        expect: vec![("insecure-origin", "high")],
    }
}

#[test]
fn an_https_api_trusting_http_is_an_insecure_origin() {
    let real = tls_insecure_origin();
    let doc = audit(&real);
    assert_eq!(
        doc["findings"][0]["probes"][0]["origin"],
        "http://app.example.com"
    );
}

// --- 7. A reflected origin without Vary ----------------------------------------------------

/// Express echoing its two pages' origins without `Vary: Origin`, its answers cacheable for
/// a minute.
fn express_no_vary() -> Option<Real> {
    let e = Express::app(&format!(
        "const express = require(\"express\");\nconst app = express();\n\
         const allowed = [\"{APP}\", \"{ADMIN}\"];\n\
         app.get(\"/data\", (req, res) => {{\n  const origin = req.headers.origin;\n  \
         if (allowed.includes(origin)) res.set(\"Access-Control-Allow-Origin\", origin);\n  \
         res.set(\"Cache-Control\", \"public, max-age=60\");\n  res.json({{ secret: 1 }});\n}});\n\
         {APP_TAIL}"
    ))?;
    Some(Real {
        name: "Express reflecting without Vary",
        url: e.url("/data"),
        _keep: Box::new(e),
        flags: flags(&["--origin", APP, "--origin", ADMIN]),
        expect: vec![("missing-vary", "low")],
    })
}

#[test]
fn express_reflecting_without_vary_is_a_missing_vary() {
    let Some(real) = express_no_vary() else {
        return;
    };
    let doc = audit(&real);
    let origins: Vec<&str> = doc["findings"][0]["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["origin"].as_str().unwrap())
        .collect();
    assert_eq!(origins, [APP, ADMIN]);
}

// --- 8. A public `*` API -------------------------------------------------------------------

#[test]
fn nginx_serving_a_public_star_api_has_no_findings_above_info() {
    let Some(n) = Nginx::start(
        "",
        "    location / {\n      add_header Access-Control-Allow-Origin * always;\n      \
         return 200 \"{\\\"public\\\": 1}\\n\";\n    }",
    ) else {
        return;
    };
    for extra in [vec![], vec!["--origin", APP]] {
        let real = Real {
            name: "nginx *",
            url: n.url("/data"),
            _keep: Box::new(()),
            flags: flags(&extra),
            expect: vec![],
        };
        let doc = audit(&real);
        assert_eq!(doc["public"], true);
        assert_eq!(doc["findings"], json!([]), "{extra:?}");
    }
}

// --- check's (and audit's) nginx fix, served by nginx ---------------------------------------

/// The nginx snippet of a fix served by a real nginx: what is before `location / {` goes in
/// the `http {}` block, the location in the server, answering 200 where the fix says "as
/// before".
fn serve_nginx_fix(fix: &str) -> Option<Nginx> {
    let at = fix.find("location / {").expect("a location in the fix");
    let (http, location) = fix.split_at(at);
    let location = location.replace(
        "    # ... proxy_pass / root as before (and no other Access-Control-* headers)\n",
        "    return 200 \"{\\\"secret\\\": 1}\\n\";\n",
    );
    assert!(location.contains("return 200"), "{fix}");
    Nginx::start(http, &location)
}

#[test]
fn the_nginx_fix_of_a_finding_passes_audit_on_real_nginx() {
    // The single-origin fix (the prefix-match's), and a map of two origins with a
    // preflighted call (a reflecting server's fix).
    let Some(real) = nginx_prefix() else { return };
    let doc = audit(&real);
    let fix = doc["findings"][0]["fix"]["nginx"]
        .as_str()
        .unwrap()
        .to_owned();
    let reflecting = serve(|seen: &Seen| {
        Reply::new(204)
            .header("access-control-allow-origin", seen.origin())
            .header("access-control-allow-credentials", "true")
            .header("access-control-allow-methods", "PUT")
            .header("access-control-allow-headers", "x-token")
            .header("vary", "Origin")
    });
    let call = [
        "--origin",
        APP,
        "--origin",
        ADMIN,
        "-X",
        "PUT",
        "-H",
        "X-Token: 1",
    ];
    let mut args = vec![reflecting.url("/data")];
    args.extend(call.iter().map(|s| (*s).to_owned()));
    args.extend(["--rate".to_owned(), RATE.to_owned()]);
    let (_, doc) = audit_json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let f = &doc["findings"][0];
    assert_eq!(f["class"], "reflect-any-origin", "{doc:#}");
    let map_fix = f["fix"]["nginx"].as_str().unwrap().to_owned();
    assert!(
        map_fix.contains("map $http_origin $cors_origin"),
        "{map_fix}"
    );

    for (fix, flags) in [(fix, flags(&["--origin", APP])), (map_fix, flags(&call))] {
        let Some(n) = serve_nginx_fix(&fix) else {
            return;
        };
        let fixed = Real {
            name: "the nginx fix",
            url: n.url("/data"),
            _keep: Box::new(()),
            flags,
            expect: vec![],
        };
        let doc = audit(&fixed);
        assert_eq!(doc["findings"], json!([]), "{fix}\n{}", n.error_log());
    }
}

// --- 9. Real Chromium confirms what audit says ---------------------------------------------

/// Every real server above whose findings Chromium confirms (the public `*` API has none).
fn all_reals() -> Vec<Real> {
    let mut all = Vec::new();
    all.extend(nginx_prefix());
    all.extend(nginx_unescaped_dot());
    all.extend(npm_cors_reflect());
    all.extend(npm_cors_suffix());
    all.extend(express_null());
    all.push(axum_prefix());
    all.push(tls_insecure_origin());
    all.extend(express_no_vary());
    all
}

/// One page's call in Chromium: a page at `origin` fetches `target` (`cache`: `no-store`, or
/// `default` for the cache pair), with credentials and without; `want` is what it must read
/// (`[include, omit]`).
struct Job {
    id: usize,
    about: String,
    origin: String,
    target: String,
    cache: &'static str,
    /// Both modes, or only `omit` (the cache pair).
    both: bool,
    want: [bool; 2],
}

/// The script of every page: runs its job (`job`, defined before it), then posts the result
/// to its parent.
const COMMON_JS: &str = r#"
async function attempt(credentials) {
  try {
    const response = await fetch(job.target, { credentials, cache: job.cache, mode: "cors" });
    await response.text();
    return { read: true, status: response.status };
  } catch (e) {
    return { read: false, error: String(e) };
  }
}
(async () => {
  const out = { id: job.id, origin: self.origin };
  if (job.both) {
    out.include = await attempt("include");
  }
  out.omit = await attempt("omit");
  parent.postMessage(out, "*");
})();
"#;

/// The frame at a forged origin: its job in the URL's fragment.
const FRAME_HTML: &str = "<!DOCTYPE html><meta charset=\"utf-8\"><link rel=\"icon\" \
    href=\"data:,\"><script>const job = JSON.parse(decodeURIComponent(location.hash.slice(1)));\
    </script><script src=\"/common.js\"></script>";

/// The top page, on the report server: each job in its own iframe, one after the other, then
/// every result posted to `/report`.
const TOP_HTML: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>audit, confirmed</title></head>
<body>
<script>
function run(job) {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    const done = (result) => {
      clearTimeout(timer);
      window.removeEventListener("message", onMessage);
      frame.remove();
      resolve(result);
    };
    const timer = setTimeout(() => done({ id: job.id, timeout: true }), 10000);
    const onMessage = (e) => {
      if (e.data && e.data.id === job.id) done(e.data);
    };
    window.addEventListener("message", onMessage);
    if (job.origin === "null") {
      frame.sandbox = "allow-scripts";
      frame.srcdoc = "<script>const job = " + JSON.stringify(job) + ";</scr" + "ipt>" +
        "<script src='" + location.origin + "/common.js'></scr" + "ipt>";
    } else {
      frame.src = job.origin + "/frame.html#" + encodeURIComponent(JSON.stringify(job));
    }
    document.body.appendChild(frame);
  });
}
(async () => {
  const jobs = await (await fetch("/jobs.json")).json();
  const results = [];
  for (const job of jobs) {
    const result = await run(job);
    results.push(result);
    await fetch("/result", { method: "POST", body: JSON.stringify(result) });
  }
  await fetch("/report", { method: "POST", body: JSON.stringify(results) });
})();
</script>
</body></html>
"#;

/// The pages: the top page and the jobs (report server), the frame and its script (every
/// page server).
fn pages(jobs: String) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    move |seen: &Seen| {
        let (kind, body) = match seen.path() {
            "/" => ("text/html; charset=utf-8", TOP_HTML.to_owned()),
            "/jobs.json" => ("application/json", jobs.clone()),
            "/frame.html" => ("text/html; charset=utf-8", FRAME_HTML.to_owned()),
            "/common.js" => ("text/javascript", COMMON_JS.to_owned()),
            "/report" | "/result" => ("text/plain", "ok".to_owned()),
            _ => return Reply::new(404),
        };
        Reply::new(200)
            .header("content-type", kind)
            .header("cache-control", "no-store")
            .body(body)
    }
}

/// The jobs for one audited server: every `simple` probe's origin, judged as audit did.
fn jobs_for(real: &Real, doc: &Value, jobs: &mut Vec<Job>) {
    for p in doc["probes"].as_array().unwrap() {
        if p["call"] != "simple" {
            continue;
        }
        let readable = &p["readable"];
        jobs.push(Job {
            id: jobs.len(),
            about: format!("{}: {} probe #{}", real.name, p["kind"], p["id"]),
            origin: p["origin"].as_str().unwrap().to_owned(),
            target: real.url.clone(),
            cache: "no-store",
            both: true,
            want: [
                readable["with_credentials"].as_bool().unwrap(),
                readable["without_credentials"].as_bool().unwrap(),
            ],
        });
    }
}

/// `--host-resolver-rules`: every forged origin's host to the loopback page server of its
/// scheme. A bare `*` pattern breaks Chromium 156's TLS connections (every https page fails
/// its handshake), so each site gets its own rules, `site:PORT` and `*.site:PORT` (a site,
/// the host's last two labels, never holds a comma or space, which separate rules).
fn host_rules(jobs: &[Job], http: u16, https: u16) -> String {
    let mut rules: Vec<String> = Vec::new();
    for job in jobs {
        let Some((scheme, host)) = job.origin.split_once("://") else {
            continue; // null
        };
        assert!(!host.contains(':'), "a default port: {}", job.origin);
        let (from, to) = if scheme == "https" {
            (443, https)
        } else {
            (80, http)
        };
        let labels: Vec<&str> = host.split('.').collect();
        let site = labels[labels.len().saturating_sub(2)..].join(".");
        for pattern in [site.clone(), format!("*.{site}")] {
            let rule = format!("MAP {pattern}:{from} 127.0.0.1:{to}");
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    format!("--host-resolver-rules={}", rules.join(", "))
}

#[test]
fn chromium_reads_exactly_what_audit_says() {
    if !available(Kind::Chromium) {
        return;
    }
    let reals = all_reals();
    let mut jobs = Vec::new();
    let mut found: Vec<(usize, String)> = Vec::new();
    for (i, real) in reals.iter().enumerate() {
        let doc = audit(real);
        for f in doc["findings"].as_array().unwrap() {
            found.push((i, f["class"].as_str().unwrap().to_owned()));
        }
        jobs_for(real, &doc, &mut jobs);
        if real.expect.contains(&("missing-vary", "low")) {
            // The cache poisoning itself: APP's answer, cacheable and without Vary, is
            // cached; ADMIN's page then gets it from the cache, naming APP: not readable,
            // although the server trusts ADMIN.
            for (origin, read) in [(APP, true), (ADMIN, false)] {
                jobs.push(Job {
                    id: jobs.len(),
                    about: format!("{}: cached, from {origin}", real.name),
                    origin: origin.to_owned(),
                    target: real.url.clone(),
                    cache: "default",
                    both: false,
                    want: [false, read],
                });
            }
        }
    }
    let listed: Vec<Value> = jobs
        .iter()
        .map(|j| json!({"id": j.id, "origin": j.origin, "target": j.target, "cache": j.cache, "both": j.both}))
        .collect();
    let script = || pages(Value::Array(listed.clone()).to_string());
    let report: Server = serve(script());
    let http_pages: Server = serve(script());
    // nginx (OpenSSL) for the https pages: rustls refuses the special-character hosts'
    // SNI (`app.example.com!.corsgate-attacker.example`), which Chromium sends.
    let pems = tls::pems(&["localhost"]);
    let Some(https_pages) = Nginx::start_with(
        "",
        "    types { text/html html; text/javascript js; }\n    \
         add_header Cache-Control no-store always;\n    location / { }",
        Some((&pems.chain, &pems.key)),
        &[("frame.html", FRAME_HTML), ("common.js", COMMON_JS)],
    ) else {
        return;
    };

    let _turn = exclusive();
    let flags = vec![
        host_rules(&jobs, http_pages.port(), https_pages.port()),
        "--ignore-certificate-errors".to_owned(),
        "--disable-features=HttpsUpgrades".to_owned(),
    ];
    let mut chromium = Launched::start_with(Kind::Chromium, &report.url("/"), &flags);
    let deadline = Instant::now() + BROWSER_LIMIT;
    let results: Vec<Value> = loop {
        let posted = report
            .seen()
            .into_iter()
            .find(|s| s.path() == "/report" && s.method == "POST");
        if let Some(s) = posted {
            break serde_json::from_slice(&s.body).expect("the report is JSON");
        }
        assert!(
            chromium.alive(),
            "Chromium exited early:\n{}",
            chromium.output_tail(40)
        );
        if Instant::now() > deadline {
            let so_far: Vec<String> = report
                .seen()
                .iter()
                .filter(|s| s.path() == "/result")
                .map(|s| String::from_utf8_lossy(&s.body).into_owned())
                .collect();
            panic!(
                "no report within {BROWSER_LIMIT:?} ({} of {} jobs):\n{}\n{}",
                so_far.len(),
                jobs.len(),
                so_far.join("\n"),
                chromium.output_tail(40)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    chromium.stop();
    assert_eq!(results.len(), jobs.len());

    let mut wrong = Vec::new();
    for (job, got) in jobs.iter().zip(&results) {
        assert_eq!(got["id"], job.id);
        if got["timeout"] == true {
            wrong.push(format!(
                "{} at {}: the page never answered",
                job.about, job.origin
            ));
            continue;
        }
        if got["origin"] != job.origin.as_str() {
            wrong.push(format!(
                "{}: the page is at {} for {}",
                job.about, got["origin"], job.origin
            ));
        }
        let read = |mode: &str| got[mode]["read"].as_bool().unwrap_or(false);
        let seen = [job.both && read("include"), read("omit")];
        let want = [job.both && job.want[0], job.want[1]];
        if seen != want {
            wrong.push(format!(
                "{} at {}: Chromium read [include, omit] = {seen:?}, audit said {want:?}: {got}",
                job.about, job.origin
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Every server's finding was confirmed by pages that read, and every server but the one
    // reflecting any origin had pages refused (the controls).
    for (i, real) in reals.iter().enumerate() {
        let of = |j: &&Job| j.about.starts_with(&format!("{}:", real.name));
        let readable = jobs
            .iter()
            .filter(of)
            .filter(|j| j.want.contains(&true))
            .count();
        let refused = jobs
            .iter()
            .filter(of)
            .filter(|j| !j.want.contains(&true))
            .count();
        let reflects = found.contains(&(i, "reflect-any-origin".to_owned()));
        assert!(readable > 0, "{}", real.name);
        assert!(reflects || refused > 0, "{}: no page refused", real.name);
    }
}
