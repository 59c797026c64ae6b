//! `corsgate check --policy` (offline) and `corsgate validate`: policy-file errors with
//! file:line:key, and offline results that agree with the same policy served live.

use std::path::{Path, PathBuf};

use axum::Router;

use crate::util::run::{run_command, run_with_stdin, Run, LIMIT};
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

    // A missing file is named, with the OS's reason: it is not an invalid policy.
    let (status, _, err) = corsgate(&["validate", "/nonexistent/policy.toml"], &[]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        err.trim_end(),
        "/nonexistent/policy.toml: cannot read the policy file: No such file or directory (os \
         error 2)."
    );

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

/// The first sentence of a JSON string (up to its first ". ", without the stop), or "".
fn first_sentence(v: &serde_json::Value) -> String {
    let s = v.as_str().unwrap_or_default();
    let first = s.split_once(". ").map_or(s, |(first, _)| first);
    first.trim_end_matches('.').to_owned()
}

#[test]
fn policy_results_agree_with_the_same_policy_served_live() {
    let dir = fresh_dir("policy-agree");
    let mut pairs = 0;
    let mut diagnosed = 0;
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
            // The first cause is the same both ways (a preflight the layer rejects without
            // CORS headers is diagnosed the same), and so is what is said about it; the
            // rest of the fix is not compared: offline it starts from the whole policy, live
            // from what the responses reveal of it.
            assert_eq!(off["fix"].is_null(), on["fix"].is_null(), "{what}");
            assert_eq!(off["fix"]["cause"], on["fix"]["cause"], "{what}");
            assert_eq!(
                first_sentence(&off["fix"]["summary"]),
                first_sentence(&on["fix"]["summary"]),
                "{what}"
            );
            assert_eq!(
                off["blocked"]["explanation"], on["blocked"]["explanation"],
                "{what}"
            );
            assert_eq!(
                off["diagnosis"]["finding"], on["diagnosis"]["finding"],
                "{what}"
            );
            if !off["diagnosis"].is_null() {
                diagnosed += 1;
            }
            verdicts.insert(off["verdict"].as_str().unwrap().to_owned());
            pairs += 1;
        }
    }
    assert!(pairs >= 15);
    assert!(diagnosed >= 2, "{diagnosed} diagnosed");
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
    // The browsers report a missing Access-Control-Allow-Origin (byte for byte), but the
    // cause named first — in the fix and in why — is the method.
    assert_eq!(
        doc["message"],
        "Access to fetch at 'http://localhost:3000/data' from origin 'http://127.0.0.1:5500' has \
         been blocked by CORS policy: Response to preflight request doesn't pass access control \
         check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
    );
    assert_eq!(doc["fix"]["cause"], "needs_allow_method");
    assert_eq!(
        doc["fix"]["summary"],
        "List PUT in Access-Control-Allow-Methods."
    );
    let why = doc["blocked"]["explanation"].as_str().unwrap();
    assert!(
        why.starts_with("The server's CORS policy does not allow the method PUT: "),
        "{why}"
    );
    assert_eq!(
        doc["diagnosis"]["exchanges"][0]["request"]["headers"][2],
        serde_json::json!({"name": "access-control-request-method", "value": "GET"})
    );
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

/// `corsgate ARGS` under a 1 GiB address-space limit (`ulimit -v`): a run that tried to read
/// a file without end dies of it instead of taking the machine's memory.
fn corsgate_in_1gib(args: &[&str]) -> (Option<i32>, String, String) {
    let line = format!(
        "ulimit -v 1048576 && exec \"$0\" {}",
        args.iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", &line, env!("CARGO_BIN_EXE_corsgate")])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let run = run_command(command, None, LIMIT);
    (run.status.and_then(|s| s.code()), run.stdout, run.stderr)
}

/// At most 1 MiB (and a byte) is read from any kind of file: an endless device, a pipe, a
/// large regular file all get the same clear error naming the file and the limit.
#[test]
fn policy_files_are_read_up_to_the_limit_whatever_their_kind() {
    let too_large = "cannot use it as a policy file: it is larger than 1048576 bytes (1 MiB)";
    for args in [
        vec!["validate", "/dev/zero"],
        vec![
            "check",
            "http://localhost:3000/data",
            "--origin",
            PAGE,
            "--policy",
            "/dev/zero",
        ],
    ] {
        let (code, out, err) = corsgate_in_1gib(&args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!("/dev/zero: {too_large}")),
            "{args:?}: {err}"
        );
    }

    // A pipe (`validate <(cat big.toml)`): a comment line repeated past the limit.
    let big = "# a policy file padded with comments\n".repeat((2 << 20) / 37);
    let Run { status, stderr, .. } = run_with_stdin(&["validate", "/dev/stdin"], big.into_bytes());
    assert_eq!(status.and_then(|s| s.code()), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("/dev/stdin: {too_large}")),
        "{stderr}"
    );

    // A regular file one byte over; one at the limit is read (and judged as a policy).
    let dir = fresh_dir("policy-size");
    let policy = "allow_origins = [\"http://127.0.0.1:5500\"]\n";
    let pad = |total: usize| {
        let mut text = policy.to_owned();
        text.push('#');
        text.push_str(&"x".repeat(total - text.len() - 1));
        text.push('\n');
        text
    };
    let over = write(&dir, "over.toml", &pad(1 << 20 | 1));
    let (status, _, err) = corsgate(&["validate", over.to_str().unwrap()], &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains(too_large), "{err}");
    let at = write(&dir, "at.toml", &pad(1 << 20));
    let (status, out, err) = corsgate(&["validate", at.to_str().unwrap()], &[]);
    assert_eq!(status.code(), Some(0), "{out}{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `corsgate validate`: problems in file order, each saying what the key takes; the keys
/// listed at most once; type errors and the policy's own errors together; one problem per
/// syntax mistake; `[cors]` accepted; a valid but broad pattern warned about (exit 0).
#[test]
fn validate_reports_in_file_order_with_what_each_key_takes() {
    let dir = fresh_dir("validate-report");
    let file = write(
        &dir,
        "cors.toml",
        "allow_origins = [\"https://a.example\", \"https://b.example:443\"]\nallow_credentials = \"yes\"\nmax_age = 1.5\norigins = [\"x\"]\nlisten = 1\nport = 2\n",
    );
    let f = file.display().to_string();
    let (status, out, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2), "{out}{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 7, "{err}");
    assert_eq!(lines[0], format!("{f}: invalid CORS policy: 6 problems"));
    assert!(
        lines[1].starts_with(&format!(
            "{f}:1:39: allow_origins[1]: \"https://b.example:443\": browsers omit the scheme's \
             default port"
        )),
        "{err}"
    );
    assert_eq!(
        lines[2],
        format!(
            "{f}:2:21: allow_credentials: must be true or false (found \"yes\"). Write it as \
             allow_credentials = true or allow_credentials = false"
        )
    );
    assert_eq!(
        lines[3],
        format!(
            "{f}:3:11: max_age: must be a whole number of seconds, -1 or 0..=86400 (found 1.5). \
             Write it like: max_age = 600"
        )
    );
    assert_eq!(
        lines[4],
        format!("{f}:4:1: origins: unknown key. Did you mean `allow_origins`?")
    );
    assert!(
        lines[5].starts_with(&format!(
            "{f}:5:1: listen: unknown key: not a corsgate policy key. The keys are: \
             allow_credentials, "
        )),
        "{err}"
    );
    assert_eq!(
        lines[6],
        format!("{f}:6:1: port: unknown key: not a corsgate policy key.")
    );
    assert_eq!(err.matches("allow_private_network").count(), 1, "{err}");

    // One syntax mistake over three lines is one problem.
    let file = write(
        &dir,
        "open.toml",
        "allow_origins = [\"https://a.example\",\nallow_methods = [\"PUT\"]\nmax_age = 1\n",
    );
    let f = file.display().to_string();
    let (status, _, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        err.trim_end(),
        format!(
            "{f}: invalid CORS policy: 1 problem\n{f}:1:38: allow_origins: TOML syntax error: \
             unclosed array, expected `]`."
        )
    );

    // The policy under [cors], as the gateway's file has it.
    let file = write(
        &dir,
        "table.toml",
        "[cors]\nallow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"PUT\"]\n",
    );
    let (status, out, err) = corsgate(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(out.contains("valid CORS policy (1 origin)"), "{out}");
    let (code, doc) = check_json(&[
        "http://localhost:3000/data",
        "--origin",
        PAGE,
        "-X",
        "PUT",
        "--policy",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{doc:#}");

    // Valid but broad: a warning on stderr, exit 0.
    let file = write(&dir, "broad.toml", "allow_origins = [\"https://*.com\"]\n");
    let f = file.display().to_string();
    let (status, out, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(out.contains("valid CORS policy (1 origin)"), "{out}");
    assert_eq!(
        err.trim_end(),
        format!(
            "{f}:1:18: allow_origins[0]: warning: \"https://*.com\" is valid, but broad: it \
             matches every site under the public suffix .com, where anyone can register a name. \
             List your own origins instead (e.g. https://*.example.com)."
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A policy file's keys and values reach the terminal escaped (an ANSI sequence in a quoted
/// key, a C1 control in a value).
#[test]
fn control_characters_from_a_policy_file_are_escaped() {
    let dir = fresh_dir("policy-controls");
    let file = write(
        &dir,
        "evil.toml",
        "allow_origins = [\"http://127.0.0.1:5500\"]\n\"a\\u001b[2Jb\" = 1\nmax_age = \"\u{9b}1\"\n",
    );
    let f = file.display().to_string();
    let (status, _, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        !err.chars().any(|c| c != '\n' && c.is_control()),
        "a raw control in: {err:?}"
    );
    assert!(
        err.contains(&format!("{f}:2:1: a\\u{{1b}}[2Jb: unknown key")),
        "{err}"
    );
    assert!(err.contains("(found \"\\u{9b}1\")"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `corsgate validate` on a gateway file (it has `[server]` or `[[route]]` tables): a
/// one-line summary and the policies' warnings (exit 0), or every problem in file order
/// with file:line:column, key and fix, under "invalid gateway file" (exit 2).
#[test]
fn validate_checks_gateway_files() {
    let dir = fresh_dir("validate-gateway");
    let file = write(
        &dir,
        "gw.toml",
        "[server]\nlisten = [\"127.0.0.1:8080\", \"[::1]:8080\"]\nadmin_listen = \"127.0.0.1:9090\"\n\n[cors]\nallow_origins = [\"http://localhost:5173\"]\n\n[[route]]\npath_prefix = \"/api\"\nupstream = \"http://127.0.0.1:3000\"\n[route.cors]\nallow_origins = [\"https://app.example.com\", \"https://*.com\"]\n\n[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3001\"\n",
    );
    let f = file.display().to_string();
    let (status, out, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(0), "{out}{err}");
    assert_eq!(
        out.trim_end(),
        format!(
            "{f}: valid gateway file (2 routes, listening on 127.0.0.1:8080 and [::1]:8080, \
             admin on 127.0.0.1:9090)."
        )
    );
    assert_eq!(
        err.trim_end(),
        format!(
            "{f}:12:45: route[0].cors.allow_origins[1]: warning: \"https://*.com\" is valid, but \
             broad: it matches every site under the public suffix .com, where anyone can \
             register a name. List your own origins instead (e.g. https://*.example.com)."
        )
    );

    // The smallest gateway file: one route, the defaults.
    let file = write(
        &dir,
        "min.toml",
        "[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\nupstream_cors = \"keep\"\n",
    );
    let f = file.display().to_string();
    let (status, out, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(0), "{out}{err}");
    assert_eq!(
        out.trim_end(),
        format!("{f}: valid gateway file (1 route, listening on 127.0.0.1:8080).")
    );
    assert!(err.is_empty(), "{err}");

    // Every problem, in file order, each escaped.
    let file = write(
        &dir,
        "bad.toml",
        "[server]\nlisten = \"localhost:8080\"\nidle_timeout_ms = 0\n\n[[route]]\npath_prefix = \"/api/\"\nupstream = \"http://127.0.0.1:3000\"\n[route.cors]\nallow_origins = [\"https://a.example:443\"]\nmax_age = \"\u{9b}1\"\n\n[[route]]\nupstream = \"127.0.0.1:3001\"\n",
    );
    let f = file.display().to_string();
    let (status, out, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(out.is_empty(), "{out}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{f}: invalid gateway file: 8 problems"),
            format!(
                "{f}:2:10: server.listen: \"localhost:8080\" is a host name: listen takes an IP \
                 address (names are not looked up). Write it like: listen = \"127.0.0.1:8080\" \
                 (or \"[::1]:8080\" for IPv6)"
            ),
            format!(
                "{f}:3:19: server.idle_timeout_ms: must be a whole number of milliseconds, \
                 1..=86400000 (one day) (found 0). Write it like: idle_timeout_ms = 60000"
            ),
            format!(
                "{f}:6:15: route[0].path_prefix: \"/api/\" ends with \"/\". Write it without: \
                 path_prefix = \"/api\" matches /api and every path below it."
            ),
            format!(
                "{f}:9:18: route[0].cors.allow_origins[0]: \"https://a.example:443\": browsers \
                 omit the scheme's default port; use https://a.example."
            ),
            format!(
                "{f}:10:11: route[0].cors.max_age: must be a whole number of seconds, -1 or \
                 0..=86400 (found \"\\u{{9b}}1\"). Write it like: max_age = 600"
            ),
            format!(
                "{f}:12:1: route[1].path_prefix: missing: every route needs one. Add a line \
                 such as: path_prefix = \"/api\""
            ),
            format!(
                "{f}:12:1: route[1]: no CORS policy: the gateway answers CORS for it \
                 (upstream_cors = \"strip\", the default). Add a [route.cors] table under it, or \
                 a [cors] table for all routes, with a line such as allow_origins = \
                 [\"https://app.example.com\"] (or set upstream_cors = \"keep\" for the upstream \
                 to answer)."
            ),
            format!(
                "{f}:13:12: route[1].upstream: \"127.0.0.1:3001\" has no scheme. Write it like: \
                 upstream = \"http://127.0.0.1:3001\""
            ),
        ]
    );

    // Syntax errors of a gateway file are the gateway file's, keys named in their table.
    let file = write(
        &dir,
        "syntax.toml",
        "[server]\nlisten = \"127.0.0.1:8080\n\n[[route]]\npath_prefix = \"/\"\n",
    );
    let f = file.display().to_string();
    let (status, _, err) = corsgate(&["validate", &f], &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "{f}: invalid gateway file: 1 problem\n{f}:2:25: server.listen: TOML syntax error: \
             invalid basic string, expected `\"`."
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
