//! Unit tests of the fix model: what each cause adds, credentials, patterns, refused policies.

use super::*;

fn needs() -> Needs {
    Needs {
        origin: "http://127.0.0.1:5500".into(),
        method: "PUT".into(),
        headers: vec!["content-type".into()],
        credentials: false,
        opaque_page: false,
    }
}

#[test]
fn method_fix_keeps_what_the_server_allows() {
    let current = ServerPolicy {
        origins: vec!["http://127.0.0.1:5500".into()],
        methods: vec!["GET".into(), "POST".into()],
        ..ServerPolicy::default()
    };
    let f = fix(
        &FixCause::NeedsAllowMethod {
            method: "PUT".into(),
            credentials: false,
        },
        &current,
        &needs(),
    );
    let toml = f.corsgate.unwrap();
    assert!(
        toml.contains("allow_methods = [\"GET\", \"POST\", \"PUT\"]\n"),
        "{toml}"
    );
    assert!(
        toml.contains("allow_headers = [\"content-type\"]\n"),
        "{toml}"
    );
    let rust = f.tower_http.unwrap();
    assert!(
        rust.contains(".allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])"),
        "{rust}"
    );
    let ngx = f.nginx.unwrap();
    assert!(
        ngx.contains("add_header Access-Control-Allow-Methods \"GET, HEAD, POST, PUT\" always;"),
        "{ngx}"
    );
    assert!(f
        .npm_cors
        .unwrap()
        .contains("methods: [\"GET\", \"HEAD\", \"POST\", \"PUT\"],"));
}

#[test]
fn credentials_replace_wildcards() {
    let current = ServerPolicy {
        origins: vec!["*".into()],
        headers: vec!["*".into()],
        ..ServerPolicy::default()
    };
    let mut n = needs();
    n.credentials = true;
    let p = desired(&current, &n);
    assert_eq!(p.origins, ["http://127.0.0.1:5500"]);
    assert_eq!(p.headers, ["content-type"]);
    assert!(p.credentials);
}

#[test]
fn patterns_become_regexes() {
    assert_eq!(
        pattern_regex("https://*.example.com").unwrap(),
        "^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$"
    );
    assert_eq!(
        pattern_regex("http://localhost:*").unwrap(),
        "^http:\\/\\/localhost(:[0-9]+)?$"
    );
    assert_eq!(pattern_regex("http://a.com"), None);
}

#[test]
fn client_side_cause_has_no_server_snippets() {
    let f = fix(&FixCause::NeedsCorsMode, &ServerPolicy::default(), &needs());
    assert_eq!(f.side, Side::Page);
    assert!(f.corsgate.is_none());
    assert!(FixCause::NeedsCorsMode.is_client_side());
}

#[test]
fn names_are_the_json_spelling() {
    let cases = [
        (
            serde_json::to_string(&Cause::NeedsAllowMethod),
            "needs_allow_method",
        ),
        (
            serde_json::to_string(&Cause::NeedsExactOriginForCredentials),
            "needs_exact_origin_for_credentials",
        ),
        (serde_json::to_string(&Side::Page), "page"),
        (serde_json::to_string(&Side::Server), "server"),
    ];
    for (json, name) in cases {
        assert_eq!(json.unwrap(), format!("\"{name}\""));
    }
}

#[test]
fn a_null_origin_gets_words_in_no_stack() {
    let mut n = needs();
    n.origin = "null".into();
    n.opaque_page = true;
    let f = fix(
        &FixCause::NeedsAllowOrigin {
            origin: "null".into(),
        },
        &ServerPolicy::default(),
        &n,
    );
    assert_eq!(f.side, Side::Page);
    assert!(f.corsgate.is_none() && f.npm_cors.is_none());
    assert!(f.tower_http.is_none() && f.nginx.is_none());
    assert!(
        f.summary.contains("cannot allow it safely")
            || f.summary.contains("No server can allow it safely")
    );
    assert!(
        f.summary.contains("Serve the page from a real origin"),
        "{}",
        f.summary
    );
    // A redirect that made it null: the fix is on the server, avoiding the redirect.
    n.opaque_page = false;
    let f = fix(
        &FixCause::NeedsAllowOrigin {
            origin: "null".into(),
        },
        &ServerPolicy::default(),
        &n,
    );
    assert_eq!(f.side, Side::Server);
    assert!(
        f.summary.contains("Avoid the cross-origin redirect"),
        "{}",
        f.summary
    );
}

#[test]
fn what_the_library_refuses_is_left_out_or_switched_on() {
    let current = ServerPolicy {
        origins: vec!["http://intranet.example".into()],
        methods: vec!["TRACE".into(), "GET POST".into()],
        expose: vec!["set-cookie".into()],
        credentials: true,
        max_age: Some(100_000),
        ..ServerPolicy::default()
    };
    let mut n = needs();
    n.origin = "http://intranet.example".into();
    n.credentials = true;
    let f = fix(
        &FixCause::NeedsAllowMethod {
            method: "PUT".into(),
            credentials: true,
        },
        &current,
        &n,
    );
    let toml = f.corsgate.unwrap();
    let config: Config = toml::from_str(&toml).unwrap();
    assert!(config.build().is_ok(), "{toml}");
    assert!(toml.contains("allow_methods = [\"PUT\"]\n"), "{toml}");
    assert!(
        toml.contains("dangerously_allow_insecure_origins = true"),
        "{toml}"
    );
    assert!(
        !toml.contains("set-cookie") && !toml.contains("max_age"),
        "{toml}"
    );
    assert!(
        f.summary.contains("Left out of the policies below"),
        "{}",
        f.summary
    );
    assert!(f.summary.contains("\"TRACE\""), "{}", f.summary);
}
