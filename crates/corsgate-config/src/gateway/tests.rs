//! The gateway file parser's tests: valid files, defaults, telling gateway files from policy files, loading (the problems are in `problems`).

use super::*;

mod problems;

/// The problems of `src`, as `LINE:COL: KEY: MESSAGE`.
fn problems(src: &str) -> Vec<String> {
    match check(src) {
        Ok(_) => panic!("valid: {src}"),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

/// A policy and one route, after `server`.
fn with_route(server: &str) -> String {
    format!(
        "{server}\n[cors]\nallow_origins = [\"https://app.example.com\"]\n\n[[route]]\npath_prefix \
         = \"/\"\nupstream = \"http://127.0.0.1:3000\"\n"
    )
}

const FULL: &str = r#"# every key
[server]
listen = ["127.0.0.1:8080", "[::1]:8081"]
admin_listen = "127.0.0.1:9090"
header_read_timeout_ms = 1000
upstream_connect_timeout_ms = 2000
upstream_response_timeout_ms = 3000
idle_timeout_ms = 4000
shutdown_grace_ms = 86400000
max_body_bytes = 1024
max_header_bytes = 2048
max_connections = 3
tls_cert = "tls/cert.pem"
tls_key = "/etc/corsgate/key.pem"

[cors]
allow_origins = ["http://localhost:5173"]

[[route]]
path_prefix = "/api"
host = "API.Example.com"
upstream = "https://10.0.0.1:8443/base"
strip_prefix = true
upstream_cors = "strip"
report_only = false
[route.cors]
allow_origins = ["https://app.example.com"]
allow_methods = ["PUT"]

[[route]]
path_prefix = "/"
upstream = "http://127.0.0.1:3000"
upstream_cors = "keep"

[[route]]
path_prefix = "/legacy"
upstream = "http://127.0.0.1:3001"
report_only = true
"#;

#[test]
fn a_full_file_sets_every_key() {
    let checked = check_with_warnings(FULL).unwrap();
    assert!(checked.warnings.is_empty(), "{:#?}", checked.warnings);
    let c = checked.config;
    assert_eq!(
        c.server,
        ServerConfig {
            listen: vec![
                "127.0.0.1:8080".parse().unwrap(),
                "[::1]:8081".parse().unwrap()
            ],
            admin_listen: Some("127.0.0.1:9090".parse().unwrap()),
            header_read_timeout: Duration::from_millis(1000),
            upstream_connect_timeout: Duration::from_millis(2000),
            upstream_response_timeout: Duration::from_millis(3000),
            idle_timeout: Duration::from_millis(4000),
            shutdown_grace: Duration::from_secs(86_400),
            max_body_bytes: 1024,
            max_header_bytes: 2048,
            max_connections: 3,
            tls: Some(TlsFiles {
                cert: PathBuf::from("tls/cert.pem"),
                key: PathBuf::from("/etc/corsgate/key.pem"),
            }),
        }
    );
    let default = c.default_cors.as_ref().unwrap().config();
    assert_eq!(default.allow_origins, ["http://localhost:5173"]);
    assert_eq!(c.routes.len(), 3);

    let api = &c.routes[0];
    assert_eq!(api.path_prefix, "/api");
    assert_eq!(api.host.as_deref(), Some("api.example.com"));
    assert_eq!(api.upstream.to_string(), "https://10.0.0.1:8443/base");
    assert!(api.strip_prefix);
    assert_eq!(api.upstream_cors, UpstreamCors::Strip);
    assert!(!api.report_only);
    assert_eq!(api.cors.config().allow_origins, ["https://app.example.com"]);
    assert_eq!(api.cors.config().allow_methods, ["PUT"]);

    // The other routes have no policy of their own: [cors] is theirs.
    let root = &c.routes[1];
    assert_eq!(
        (root.path_prefix.as_str(), root.host.as_deref()),
        ("/", None)
    );
    assert_eq!(root.upstream_cors, UpstreamCors::Keep);
    assert_eq!(root.cors.config().allow_origins, ["http://localhost:5173"]);
    let legacy = &c.routes[2];
    assert!(legacy.report_only);
    assert_eq!(
        legacy.upstream_cors,
        UpstreamCors::Keep,
        "report_only keeps"
    );
    assert_eq!(
        legacy.cors.config().allow_origins,
        ["http://localhost:5173"]
    );
}

#[test]
fn absent_keys_take_the_defaults() {
    let c = check(&with_route("")).unwrap();
    assert_eq!(c.server, ServerConfig::defaults());
    assert_eq!(c.server.listen, [SocketAddr::from(([127, 0, 0, 1], 8080))]);
    assert_eq!(c.server.max_body_bytes, 104_857_600);
    assert_eq!(c.server.max_header_bytes, 32_768);
    assert_eq!(c.server.header_read_timeout, Duration::from_secs(10));
    let r = &c.routes[0];
    assert_eq!(r.host, None);
    assert!(!r.strip_prefix && !r.report_only);
    assert_eq!(r.upstream_cors, UpstreamCors::Strip);
    assert_eq!(r.upstream.to_string(), "http://127.0.0.1:3000/");
    // One address, written alone; port 0 (any free port) twice is no clash.
    let c = check(&with_route(
        "[server]\nlisten = \"0.0.0.0:0\"\nadmin_listen = \"0.0.0.0:0\"",
    ))
    .unwrap();
    assert_eq!(c.server.listen, [SocketAddr::from(([0, 0, 0, 0], 0))]);
    assert_eq!(
        c.server.admin_listen,
        Some(SocketAddr::from(([0, 0, 0, 0], 0)))
    );
}

#[test]
fn a_route_that_uses_no_policy_needs_none() {
    // upstream_cors = "keep": the upstream answers CORS, no policy needed.
    let c = check("[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\nupstream_cors = \"keep\"\n")
        .unwrap();
    assert!(c.default_cors.is_none());
    let cors = &c.routes[0].cors;
    assert!(cors.config().allow_origins.is_empty());
    assert!(cors.config().allow_origin_predicate.is_some());

    // Report-only compares with a policy: it needs one.
    assert_eq!(
        problems("[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\nreport_only = true\n"),
        ["1:1: route[0]: no CORS policy: report_only compares the upstream's CORS answers with \
          a policy. Add a [route.cors] table under it, or a [cors] table for all routes, with a \
          line such as allow_origins = [\"https://app.example.com\"] (or set upstream_cors = \
          \"keep\" for the upstream to answer)."]
    );
    assert_eq!(
        problems(
            "[server]\n\n[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\n"
        ),
        [
            "3:1: route[0]: no CORS policy: the gateway answers CORS for it (upstream_cors = \
          \"strip\", the default). Add a [route.cors] table under it, or a [cors] table for all \
          routes, with a line such as allow_origins = [\"https://app.example.com\"] (or set \
          upstream_cors = \"keep\" for the upstream to answer)."
        ]
    );

    // A keep-route's own policy is valid but never used: a warning.
    let c = check_with_warnings("[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\nupstream_cors = \"keep\"\n[route.cors]\nallow_origins = [\"https://a.example\"]\n")
        .unwrap();
    let warnings: Vec<String> = c.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "5:1: route[0].cors: never used: upstream_cors = \"keep\" passes the upstream's CORS \
          answers unchanged. Remove [route.cors], or set upstream_cors = \"strip\" for the \
          gateway to answer with it."
        ]
    );
}

#[test]
fn gateway_files_are_told_from_policy_files() {
    assert!(is_gateway_file("[server]\n"));
    assert!(is_gateway_file("[[route]]\npath_prefix = \"/\"\n"));
    assert!(is_gateway_file("route = 1\n"));
    assert!(is_gateway_file("server.listen = \"127.0.0.1:1\"\n"));
    // Not valid TOML, but its tables say what it is.
    assert!(is_gateway_file("[cors]\nallow_origins = [\n  [[route]]\n"));
    assert!(is_gateway_file("x = = 1\n  [server] # s\n"));
    assert!(!is_gateway_file(
        "allow_origins = [\"https://a.example\"]\n"
    ));
    assert!(!is_gateway_file(
        "[cors]\nallow_origins = [\"https://a.example\"]\n"
    ));
    assert!(!is_gateway_file("server = 1\n"));
    assert!(!is_gateway_file("x = = 1\n# [server]\n"));
    assert!(!is_gateway_file(""));
}

#[test]
fn load_resolves_tls_paths_and_names_the_kind_of_file() {
    let dir = std::env::temp_dir().join(format!("corsgate-config-gw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("gw.toml");
    std::fs::write(
        &good,
        with_route("[server]\ntls_cert = \"cert.pem\"\ntls_key = \"/abs/key.pem\""),
    )
    .unwrap();
    let c = load(&good).unwrap();
    let tls = c.server.tls.unwrap();
    assert_eq!(tls.cert, dir.join("cert.pem"));
    assert_eq!(tls.key, PathBuf::from("/abs/key.pem"));
    assert!(matches!(
        crate::load_any(&good),
        Ok(crate::AnyChecked::Gateway(_))
    ));

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[server]\nlisten = 1\n").unwrap();
    let e = load(&bad).unwrap_err();
    assert_eq!(e.kind, FileKind::Gateway);
    let f = bad.display();
    assert_eq!(
        e.to_string(),
        format!(
            "{f}: invalid gateway file: 2 problems\n{f}:2:10: server.listen: must be an IP \
             address and port in quotes, or a list of them (found 1). Write it like: listen = \
             \"127.0.0.1:8080\" or listen = [\"127.0.0.1:8080\", \"[::1]:8080\"]\n{f}: route: \
             no [[route]]: the gateway has nowhere to send requests. Add one: a [[route]] \
             line, then lines such as path_prefix = \"/api\" and upstream = \
             \"http://127.0.0.1:3000\"."
        )
    );
    assert_eq!(crate::load_any(&bad).unwrap_err(), e);

    // A policy file stays one, with its own words.
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "allow_origins = 1\n").unwrap();
    let e = crate::load_any(&policy).unwrap_err();
    assert_eq!(e.kind, FileKind::Policy);
    assert!(
        e.to_string().starts_with(&format!(
            "{}: invalid CORS policy: 1 problem\n",
            policy.display()
        )),
        "{e}"
    );
    let e = load(&dir.join("missing.toml")).unwrap_err();
    assert!(
        e.to_string().contains(": cannot read the gateway file: "),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_input_panics() {
    // Odd values in every place: problems, never a panic.
    for value in [
        "\"\"",
        "\"\\u0000\"",
        "\"[\"",
        "\"[::1\"",
        "\":\"",
        "\"://\"",
        "\"http://\"",
        "\"http://[::1\"",
        "\"/%\"",
        "\"/%zz\"",
        "\"é\"",
        "-0",
        "0x10",
        "9223372036854775807",
        "1e400",
        "{}",
        "[[]]",
        "true",
    ] {
        for key in [
            "listen",
            "admin_listen",
            "idle_timeout_ms",
            "max_body_bytes",
            "max_header_bytes",
            "tls_cert",
        ] {
            let _ = check(&with_route(&format!("[server]\n{key} = {value}")));
        }
        for key in ["path_prefix", "host", "upstream", "upstream_cors", "cors"] {
            let _ = check(&format!("[[route]]\n{key} = {value}\n"));
        }
    }
}
