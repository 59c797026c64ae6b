//! `corsgate check --policy` (offline) and `corsgate validate`: policy-file errors with
//! file:line:key, and offline results that agree with the same policy served live.

use std::path::{Path, PathBuf};

use axum::Router;

use crate::util::{check_json, corsgate, fresh_dir, serve_router, PAGE};

fn write(dir: &Path, file: &str, text: &str) -> PathBuf {
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn policy_errors_name_file_line_key_and_fix_all_at_once() {
    let dir = fresh_dir("policy-errors");
    let file = write(
        &dir,
        "bad.toml",
        "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_credentials = true\nallow_method = [\"PUT\"]\nmax_age = \"600\"\n",
    );
    let f = file.display().to_string();
    for args in [
        vec![
            "check",
            "http://localhost:3000/data",
            "--origin",
            PAGE,
            "--policy",
            f.as_str(),
        ],
        vec!["validate", f.as_str()],
    ] {
        let (status, out, err) = corsgate(&args, &[]);
        assert_eq!(status.code(), Some(2), "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!("{f}: invalid CORS policy: 2 problems")),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "{f}:3:1: allow_method: unknown key. Did you mean `allow_methods`?"
            )),
            "{err}"
        );
        assert!(err.contains(&format!("{f}:4:11: max_age: ")), "{err}");
        assert!(err.contains("Write it like: max_age = 600"), "{err}");
    }

    // Validation errors point at the list entry.
    let file = write(
        &dir,
        "invalid.toml",
        "allow_credentials = true\nallow_origins = [\n  \"https://a.example\",\n  \"https://b.example:443\",\n  \"*\",\n]\nallow_methods = [\"TRACE\"]\n",
    );
    let f = file.display().to_string();
    let (status, _, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(
        err.contains(&format!("{f}: invalid CORS policy: 3 problems")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{f}:4:3: allow_origins[1]: \"https://b.example:443\": "
        )),
        "{err}"
    );
    assert!(err.contains("https://b.example"), "{err}");
    assert!(
        err.contains(&format!("{f}:5:3: allow_origins[2]: \"*\": ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{f}:7:18: allow_methods[0]: \"TRACE\": ")),
        "{err}"
    );

    // Syntax errors have a line too.
    let file = write(
        &dir,
        "syntax.toml",
        "allow_origins = [\"http://a.example\"\n",
    );
    let f = file.display().to_string();
    let (status, _, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(
        err.contains(&format!("{f}:")) && err.contains("TOML syntax error"),
        "{err}"
    );

    // A missing file is named.
    let (status, _, err) = corsgate(&["validate", "/nonexistent/policy.toml"], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(
        err.starts_with("/nonexistent/policy.toml: invalid CORS policy"),
        "{err}"
    );
    assert!(err.contains("cannot read it"), "{err}");

    // A valid file.
    let file = write(
        &dir,
        "good.toml",
        "allow_origins = [\"http://127.0.0.1:5500\"]\n",
    );
    let (status, out, _) = corsgate(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(status.code(), Some(0));
    assert!(out.contains("valid CORS policy (1 origin)"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

const POLICIES: [&str; 6] = [
    "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"GET\", \"POST\"]\n",
    "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"PUT\", \"DELETE\"]\nallow_headers = [\"content-type\", \"x-api-key\"]\nexpose_headers = [\"x-total\", \"content-length\"]\nallow_credentials = true\nmax_age = 600\n",
    "allow_origins = [\"*\"]\nallow_headers = [\"*\"]\nexpose_headers = [\"*\"]\nallow_methods = [\"*\"]\n",
    "allow_origins = [\"http://localhost:*\", \"http://127.0.0.1:*\"]\nallow_methods = [\"PATCH\"]\n",
    "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"GET\"]\ndebug = true\npreflight_status = 200\n",
    "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"PATCH\"]\npreflight_continue = true\n",
];

/// Requests as `check` flags (URL and `--json` added by the test).
fn requests() -> Vec<Vec<&'static str>> {
    vec![
        vec!["--origin", PAGE],
        vec!["--origin", PAGE, "-X", "PUT"],
        vec![
            "--origin",
            PAGE,
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--data",
            "{}",
        ],
        vec!["--origin", PAGE, "--credentials", "include"],
        vec![
            "--origin",
            PAGE,
            "-X",
            "DELETE",
            "-H",
            "X-Api-Key: k",
            "--credentials",
            "include",
        ],
        vec!["--origin", PAGE, "-X", "PATCH"],
        vec!["--origin", "http://evil.example"],
        vec!["--origin", PAGE, "-H", "Authorization: Bearer x"],
    ]
}

#[test]
fn policy_results_agree_with_the_same_policy_served_live() {
    let dir = fresh_dir("policy-agree");
    let mut pairs = 0;
    let mut verdicts = std::collections::BTreeSet::new();
    for (i, text) in POLICIES.iter().enumerate() {
        let file = write(&dir, &format!("p{i}.toml"), text);
        let config: corsgate::Config = toml::from_str(text).unwrap();
        let cors = config.build().unwrap();
        let app = Router::new()
            .fallback(|| async { "ok" })
            .layer(cors.layer());
        let server = serve_router(app);
        let url = server.url("/data");
        for req in requests() {
            let mut offline = vec![url.as_str()];
            offline.extend(req.iter().copied());
            let live = offline.clone();
            offline.extend(["--policy", file.to_str().unwrap()]);
            let (off_code, off) = check_json(&offline);
            let (live_code, on) = check_json(&live);
            let what = format!("policy {i} request {req:?}:\noffline {off:#}\nlive {on:#}");
            assert_eq!(off["source"], "policy");
            assert_eq!(on["source"], "network");
            assert_eq!(off_code, live_code, "{what}");
            assert_eq!(off["verdict"], on["verdict"], "{what}");
            assert_eq!(off["message"], on["message"], "{what}");
            assert_eq!(off["readable_headers"], on["readable_headers"], "{what}");
            assert_eq!(off["browsers"], on["browsers"], "{what}");
            // The fix is not compared: offline it starts from the whole policy, live from
            // what the responses reveal of it.
            assert_eq!(off["fix"].is_null(), on["fix"].is_null(), "{what}");
            verdicts.insert(off["verdict"].as_str().unwrap().to_owned());
            pairs += 1;
        }
    }
    assert!(pairs >= 15);
    // The matrix exercises both outcomes.
    assert_eq!(verdicts.len(), 2, "{verdicts:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn offline_method_failure_renders_the_policy_fix() {
    let dir = fresh_dir("policy-fix");
    let file = write(&dir, "p.toml", POLICIES[0]);
    let (code, doc) = check_json(&[
        "http://localhost:3000/data",
        "--origin",
        PAGE,
        "-X",
        "PUT",
        "--policy",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(doc["policy_file"], file.to_str().unwrap());
    // No network: the port is not listening, yet there is a verdict.
    assert_eq!(doc["preflight"]["response"]["status"], 403);
    let toml = doc["fix"]["corsgate"].as_str().unwrap();
    assert!(
        toml.contains("allow_methods = [\"GET\", \"POST\", \"PUT\"]"),
        "{toml}"
    );
    assert!(doc["notes"][0].as_str().unwrap().contains("debug = true"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_offline_is_a_library_call() {
    let cors = corsgate::Config::new()
        .allow_origin(PAGE)
        .allow_methods(["GET", "POST"])
        .debug(true)
        .build()
        .unwrap();
    let mut args = corsgate_cli::check::CheckArgs::new("http://localhost:3000/data", PAGE);
    args.method = "PUT".into();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt
        .block_on(corsgate_cli::check::check_offline(&cors, &args))
        .unwrap();
    assert_eq!(report.exit_code(), 1);
    assert_eq!(
        report.message.as_deref(),
        Some(
            "Access to fetch at 'http://localhost:3000/data' from origin 'http://127.0.0.1:5500' \
             has been blocked by CORS policy: Method PUT is not allowed by \
             Access-Control-Allow-Methods in preflight response."
        )
    );
    assert!(report.policy_file.is_none());
}
