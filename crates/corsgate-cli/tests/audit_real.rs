//! `corsgate audit` against real servers (issue 15, "What it must show"), and real headless
//! Chromium confirming what it reports.
//!
//! Each server below is a real one configured the way the copied "fixes" are: Debian's nginx
//! ([`util::nginx`]), Express with and without the npm `cors` package ([`util::express`]), an
//! axum app in-process, and a TLS server with a test CA. Each test asserts the class audit
//! finds, its severity, and that nothing else above `info` is found.
//!
//! [`chromium::chromium_reads_exactly_what_audit_says`] then starts the same servers again and, in one
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

mod chromium;

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
