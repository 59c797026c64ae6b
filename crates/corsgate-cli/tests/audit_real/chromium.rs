//! Real Chromium confirms what audit says: pages at every probed origin read what audit reports.

use super::*;

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
