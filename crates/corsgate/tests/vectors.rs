//! Peer libraries' behaviour (`tests/data/vectors/`, from jub0bs/cors and rs/cors test suites),
//! run through corsgate's real tower layer.
//!
//! Every case must either match under the file's own comparison rules, or differ only where
//! corsgate deliberately chose otherwise: the case carries an opinion tag listed in
//! `tests/data/vector-deviations.toml` (with the reason), or is listed there by name. A listed
//! deviation that no longer differs fails too, and the generated table in `docs/vectors.md`
//! must be up to date (`CORSGATE_BLESS=1 cargo test -p corsgate --test integration vectors::`
//! rewrites it). `CORSGATE_VECTORS=DIR` reads the files from another directory.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use corsgate::{Config, Outcome, Policy};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use serde_json::Value;
use tower::{Layer, ServiceExt};

const CORS_HEADERS: [&str; 8] = [
    "vary",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
    "access-control-allow-private-network",
];
const LIST_HEADERS: [&str; 4] = [
    "vary",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
];
/// Lists of names, compared case-insensitively (HTTP field names); methods stay exact.
const NAME_LISTS: [&str; 3] = [
    "vary",
    "access-control-allow-headers",
    "access-control-expose-headers",
];

/// The files the tests read.
const FILES: [&str; 3] = [
    "jub0bs-middleware.json",
    "rs-cors-spec.json",
    "jub0bs-config.json",
];

/// `tests/data/vectors/` (copied from the shared collection, see its README), or the
/// directory `CORSGATE_VECTORS` names.
fn vectors_dir() -> PathBuf {
    let dir = std::env::var_os("CORSGATE_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors"))
        });
    let missing: Vec<&str> = FILES
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "no {missing:?} in {} (CORSGATE_VECTORS={:?})",
        dir.display(),
        std::env::var_os("CORSGATE_VECTORS")
    );
    dir
}

fn load(dir: &Path, name: &str) -> Value {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[derive(serde::Deserialize)]
struct Deviations {
    tag: Vec<TagDeviation>,
    #[serde(default)]
    case: Vec<CaseDeviation>,
}

#[derive(serde::Deserialize)]
struct TagDeviation {
    file: String,
    tag: String,
    reason: String,
}

#[derive(serde::Deserialize)]
struct CaseDeviation {
    file: String,
    config: String,
    desc: String,
    reason: String,
}

fn deviations() -> Deviations {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/vector-deviations.toml"
    );
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What corsgate produced for one request.
struct Got {
    outcome: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    handler_called: bool,
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::NotCors => "not-cors",
        Outcome::Actual { .. } => "actual",
        Outcome::PreflightPass => "preflight-pass",
        Outcome::PreflightFail(_) => "preflight-fail",
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn run(config: &Config, harness: &Value, outer: Option<&Value>, request: &Value) -> Got {
    let inner_headers = pairs(&harness["inner_handler"]["headers"]);
    let inner_status = harness["inner_handler"]["status"].as_u64().unwrap() as u16;
    let inner_body = harness["inner_handler"]["body"]
        .as_str()
        .unwrap()
        .to_string();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let handler = tower::service_fn(move |_req: Request<()>| {
        c.fetch_add(1, Ordering::SeqCst);
        let mut resp = Response::new(inner_body.clone());
        *resp.status_mut() = StatusCode::from_u16(inner_status).unwrap();
        for (n, v) in &inner_headers {
            resp.headers_mut().append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        std::future::ready(Ok::<_, Infallible>(resp))
    });
    let cors = config.clone().build().unwrap();
    let svc = cors.layer().layer(handler);

    let url = harness["request_url"].as_str().unwrap();
    let path = url
        .splitn(4, '/')
        .nth(3)
        .map_or("/".to_string(), |p| format!("/{p}"));
    let mut req = Request::builder()
        .method(request["method"].as_str().unwrap())
        .uri(path);
    for (n, v) in pairs(&request["headers"]) {
        req = req.header(n, HeaderValue::from_bytes(v.as_bytes()).unwrap());
    }
    let req = req.body(()).unwrap();
    let (parts, ()) = req.into_parts();
    let outcome = outcome_name(
        Policy::new(config.clone())
            .unwrap()
            .decide(&parts)
            .outcome(),
    );
    let mut resp = svc.oneshot(Request::from_parts(parts, ())).await.unwrap();
    if let Some(outer) = outer {
        for (n, v) in pairs(&outer["headers"]) {
            resp.headers_mut().append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(&v).unwrap(),
            );
        }
    }
    Got {
        outcome,
        status: resp.status(),
        headers: resp.headers().clone(),
        body: resp.body().clone(),
        handler_called: calls.load(Ordering::SeqCst) > 0,
    }
}

/// Splits all lines of a list-based header into trimmed elements.
fn elements<'a>(lines: impl Iterator<Item = &'a str>, lower: bool) -> Vec<String> {
    lines
        .flat_map(|l| l.split(','))
        .map(|e| e.trim_matches([' ', '\t']))
        .map(|e| {
            if lower {
                e.to_ascii_lowercase()
            } else {
                e.to_string()
            }
        })
        .collect()
}

/// The comparable form of one header under a file's rules.
fn normalise(name: &str, values: &[String], as_set: bool) -> Vec<String> {
    if !LIST_HEADERS.contains(&name) {
        return values.to_vec();
    }
    let mut e = elements(
        values.iter().map(String::as_str),
        NAME_LISTS.contains(&name),
    );
    if as_set {
        let set: BTreeSet<String> = e.drain(..).collect();
        e = set.into_iter().collect();
    }
    e
}

/// The differences between expectation and result, as `aspect: expected ≠ got` lines.
fn compare(expect: &Value, got: &Got, scope_all: bool, as_set: bool) -> Vec<String> {
    let mut diffs = Vec::new();
    let want_outcome = expect["outcome"].as_str().unwrap();
    if want_outcome != got.outcome {
        diffs.push(format!("outcome: {want_outcome} ≠ {}", got.outcome));
    }
    if let Some(s) = expect["status"].as_u64() {
        if s != u64::from(got.status.as_u16()) {
            diffs.push(format!("status: {s} ≠ {}", got.status.as_u16()));
        }
    }
    if let Some(h) = expect["handler_called"].as_bool() {
        if h != got.handler_called {
            diffs.push(format!("handler called: {h} ≠ {}", got.handler_called));
        }
    }
    if let Some(b) = expect["body"].as_str() {
        if b != got.body {
            diffs.push(format!("body: {b:?} ≠ {:?}", got.body));
        }
    }
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, v) in pairs(&expect["headers"]) {
        want.entry(n.to_ascii_lowercase()).or_default().push(v);
    }
    let exact = expect["headers_exact"].as_bool().unwrap();
    let mut names: BTreeSet<String> = want.keys().cloned().collect();
    if exact {
        for n in got.headers.keys() {
            if scope_all || CORS_HEADERS.contains(&n.as_str()) {
                names.insert(n.as_str().to_string());
            }
        }
    }
    for name in names {
        let got_values: Vec<String> = got
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        let w = normalise(
            &name,
            want.get(&name).map_or(&[][..], Vec::as_slice),
            as_set,
        );
        let g = normalise(&name, &got_values, as_set);
        if w != g {
            diffs.push(format!("{name}: {w:?} ≠ {g:?}"));
        }
    }
    for (key, present) in [("headers_present", true), ("headers_absent", false)] {
        for n in expect[key].as_array().into_iter().flatten() {
            let n = n.as_str().unwrap();
            if got.headers.contains_key(n) != present {
                diffs.push(format!("{n}: present {present} ≠ {}", !present));
            }
        }
    }
    diffs
}

struct Report {
    file: String,
    run: usize,
    exact: usize,
    skipped: Vec<String>,
    /// (config, desc, explanation, diffs)
    deviating: Vec<(String, String, String, Vec<String>)>,
    unexplained: Vec<String>,
    tags_used: BTreeSet<String>,
    cases_used: BTreeSet<(String, String)>,
}

async fn run_file(dir: &Path, file: &str, dev: &Deviations) -> Report {
    let doc = load(dir, file);
    let harness = &doc["harness"];
    let scope_all = doc["header_comparison"]["scope"]
        .as_str()
        .unwrap()
        .starts_with("all");
    let as_set = doc["header_comparison"]["list_comparison"]
        .as_str()
        .unwrap()
        .contains("SET");
    let tag_reason: BTreeMap<&str, &str> = dev
        .tag
        .iter()
        .filter(|t| t.file == file)
        .map(|t| (t.tag.as_str(), t.reason.as_str()))
        .collect();
    let mut report = Report {
        file: file.to_string(),
        run: 0,
        exact: 0,
        skipped: Vec::new(),
        deviating: Vec::new(),
        unexplained: Vec::new(),
        tags_used: BTreeSet::new(),
        cases_used: BTreeSet::new(),
    };
    for entry in doc["configs"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        if let Some(why) = entry["unsupported"].as_str() {
            report.skipped.push(format!("{name}: {why}"));
            continue;
        }
        if entry.get("reconfigure").is_some() {
            report.skipped.push(format!(
                "{name}: reconfigure steps are run by the jub0bs-config test"
            ));
            continue;
        }
        let config: Config = serde_json::from_value(entry["config"].clone())
            .unwrap_or_else(|e| panic!("{file} {name}: config does not fit the schema: {e}"));
        let config_tags: Vec<&str> = entry["opinionated"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| t.as_str().unwrap())
            .collect();
        let built = config.clone().build();
        for case in entry["cases"].as_array().unwrap() {
            let desc = case["desc"].as_str().unwrap();
            report.run += 1;
            let diffs = match &built {
                Err(e) => vec![format!(
                    "config refused: {}",
                    e.to_string().replace('\n', " ")
                )],
                Ok(_) => {
                    let got = run(
                        &config,
                        harness,
                        entry.get("outer_middleware"),
                        &case["request"],
                    )
                    .await;
                    compare(&case["expect"], &got, scope_all, as_set)
                }
            };
            if diffs.is_empty() {
                report.exact += 1;
                continue;
            }
            let tags: Vec<&str> = case["opinionated"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| t.as_str().unwrap())
                .chain(config_tags.iter().copied())
                .collect();
            let listed = dev
                .case
                .iter()
                .find(|c| c.file == file && c.config == name && (c.desc == desc || c.desc == "*"));
            let explanation = if let Some(c) = listed {
                report.cases_used.insert((c.config.clone(), c.desc.clone()));
                Some(c.reason.clone())
            } else {
                let matched: Vec<&str> = tags
                    .iter()
                    .copied()
                    .filter(|t| tag_reason.contains_key(t))
                    .collect();
                for t in &matched {
                    report.tags_used.insert(t.to_string());
                }
                (!matched.is_empty()).then(|| matched.join(", "))
            };
            match explanation {
                Some(why) => {
                    report
                        .deviating
                        .push((name.to_string(), desc.to_string(), why, diffs))
                }
                None => report.unexplained.push(format!(
                    "{file} / {name} / {desc} (tags {tags:?}):\n      {}",
                    diffs.join("\n      ")
                )),
            }
        }
    }
    report
}

fn table(reports: &[Report], dev: &Deviations) -> String {
    let mut out = String::new();
    for r in reports {
        out.push_str(&format!(
            "\n### {}\n\n{} cases run: {} identical, {} deliberate differences, {} configs skipped.\n",
            r.file,
            r.run,
            r.exact,
            r.deviating.len(),
            r.skipped.len()
        ));
        let tags: Vec<&TagDeviation> = dev.tag.iter().filter(|t| t.file == r.file).collect();
        if !tags.is_empty() {
            out.push_str("\n| peer's opinion | corsgate's reason |\n|---|---|\n");
            for t in tags {
                out.push_str(&format!("| `{}` | {} |\n", t.tag, t.reason));
            }
        }
        if !r.skipped.is_empty() {
            out.push_str("\nSkipped (outside the schema):\n\n");
            for s in &r.skipped {
                out.push_str(&format!("- {s}\n"));
            }
        }
        out.push_str("\n| config | case | because | peer ≠ corsgate |\n|---|---|---|---|\n");
        for (config, desc, why, diffs) in &r.deviating {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(config),
                cell(desc),
                cell(why),
                cell(&diffs.join("; "))
            ));
        }
    }
    out
}

const MARK: &str = "<!-- generated by `CORSGATE_BLESS=1 cargo test -p corsgate --test integration vectors::`; do not edit below -->";

#[tokio::test]
async fn peer_vectors_match_or_differ_only_deliberately() {
    let dir = vectors_dir();
    let dev = deviations();
    let mut reports = Vec::new();
    for file in &FILES[..2] {
        reports.push(run_file(&dir, file, &dev).await);
    }
    let mut failures = Vec::new();
    for r in &reports {
        println!(
            "{}: {} cases, {} identical, {} deliberate differences, {} skipped configs",
            r.file,
            r.run,
            r.exact,
            r.deviating.len(),
            r.skipped.len()
        );
        for s in &r.skipped {
            println!("  skipped {s}");
        }
        failures.extend(
            r.unexplained
                .iter()
                .map(|u| format!("unexplained difference: {u}")),
        );
        for t in dev.tag.iter().filter(|t| t.file == r.file) {
            if !r.tags_used.contains(&t.tag) {
                failures.push(format!(
                    "{}: tag {} explains no difference any more",
                    r.file, t.tag
                ));
            }
        }
        for c in dev.case.iter().filter(|c| c.file == r.file) {
            if !r.cases_used.contains(&(c.config.clone(), c.desc.clone())) {
                failures.push(format!(
                    "{}: listed case {} / {} no longer differs",
                    r.file, c.config, c.desc
                ));
            }
        }
    }
    // The generated half of docs/vectors.md must describe this run.
    let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/vectors.md");
    let doc = std::fs::read_to_string(doc_path).unwrap_or_default();
    let head = doc.split(MARK).next().unwrap_or("").trim_end().to_string();
    let want = format!("{head}\n\n{MARK}\n{}", table(&reports, &dev));
    if std::env::var_os("CORSGATE_BLESS").is_some() {
        std::fs::write(doc_path, &want).unwrap();
    } else if doc != want {
        failures.push(
            "docs/vectors.md is out of date: run CORSGATE_BLESS=1 cargo test -p corsgate --test integration vectors::"
                .to_string(),
        );
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

#[test]
fn peer_config_validation_agrees() {
    let dir = vectors_dir();
    let doc = load(&dir, FILES[2]);
    let dev = deviations();
    let mut failures = Vec::new();
    let (mut run, mut same) = (0, 0);
    for entry in doc["configs"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        if let Some(why) = entry["unsupported"].as_str() {
            println!("  skipped {name}: {why}");
            continue;
        }
        run += 1;
        let config: Config = serde_json::from_value(entry["config"].clone()).unwrap();
        let valid = entry["valid"].as_bool().unwrap();
        let result = config.build();
        let agrees = match (&result, valid) {
            (Ok(_), true) => true,
            (Err(e), false) => e.len() == entry["errors"].as_array().unwrap().len(),
            _ => false,
        };
        let listed = dev
            .case
            .iter()
            .any(|c| c.file == "jub0bs-config.json" && c.config == name);
        if agrees {
            same += 1;
            if listed {
                failures.push(format!("{name}: listed as a deviation but agrees"));
            }
        } else if !listed {
            failures.push(format!(
                "{name}: peer valid={valid} errors={:?}; corsgate {:?}",
                entry["errors"],
                result.err().map(|e| e.to_string())
            ));
        }
    }
    println!("jub0bs-config.json: {run} configs, {same} agree");
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}
