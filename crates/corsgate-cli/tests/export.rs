//! `corsgate export` against the real servers: every generated config passes the server's
//! own syntax check, and for 30 policies × the policy's corpus (at least 60 browser-shaped
//! and raw requests each) the server, started from the exported whole config in front of a
//! scripted upstream, answers as corsgate's own layer in front of the same upstream: the
//! same verdicts and console messages from `corsgate check`'s Chrome, Firefox and WebKit,
//! the same CORS headers (compared by `corsgate export --check`'s own function). Also the
//! command's exit statuses and messages.

use std::time::{Duration, Instant};

use corsgate::Cors;
use corsgate_cli::export::check::compare;
use corsgate_export::{Target, Upstream, Whole};

use crate::util::edge::{self, Edge};
use crate::util::server::{Reply, Server};
use crate::util::{corsgate, fresh_dir, serve};

/// The policies: every feature alone, then combined.
pub const POLICIES: &[(&str, &str)] = &[
    ("one exact origin", r#"allow_origins = ["https://app.example.com"]"#),
    (
        "several exact origins",
        r#"allow_origins = ["https://app.example.com", "http://127.0.0.1:5500", "https://admin.example.net:8443"]"#,
    ),
    ("any origin", r#"allow_origins = ["*"]"#),
    ("subdomains", r#"allow_origins = ["https://*.example.com"]"#),
    ("localhost on any port", r#"allow_origins = ["http://localhost:*"]"#),
    ("subdomains on any port", r#"allow_origins = ["https://*.example.com:*"]"#),
    (
        "subdomains on one port, IPv6",
        r#"allow_origins = ["https://*.example.com:8443", "http://[::1]:3000"]"#,
    ),
    (
        "methods",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\", \"DELETE\", \"PATCH\"]",
    ),
    (
        "a lower-case method",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"patch\", \"purge\"]",
    ),
    (
        "any method",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"*\"]",
    ),
    (
        "any method, credentials",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"*\"]\nallow_credentials = true",
    ),
    (
        "headers",
        "allow_origins = [\"https://app.example.com\"]\nallow_headers = [\"X-Custom\", \"Content-Type\", \"Authorization\"]",
    ),
    (
        "any header",
        "allow_origins = [\"https://app.example.com\"]\nallow_headers = [\"*\"]",
    ),
    (
        "any header, credentials",
        "allow_origins = [\"https://app.example.com\"]\nallow_headers = [\"*\"]\nallow_credentials = true",
    ),
    (
        "credentials",
        "allow_origins = [\"https://app.example.com\"]\nallow_credentials = true",
    ),
    (
        "expose headers",
        "allow_origins = [\"https://app.example.com\"]\nexpose_headers = [\"X-Total\", \"X-Request-Id\"]",
    ),
    (
        "expose any header",
        "allow_origins = [\"*\"]\nexpose_headers = [\"*\"]",
    ),
    (
        "max age",
        "allow_origins = [\"https://app.example.com\"]\nmax_age = 600",
    ),
    (
        "max age -1",
        "allow_origins = [\"https://app.example.com\"]\nmax_age = -1",
    ),
    (
        "private network",
        "allow_origins = [\"https://app.example.com\"]\nallow_private_network = true",
    ),
    (
        "preflight status 200",
        "allow_origins = [\"https://app.example.com\"]\npreflight_status = 200",
    ),
    (
        "debug",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]\n\
         allow_headers = [\"X-Custom\"]\nmax_age = 600\ndebug = true",
    ),
    (
        "debug, any method and header, credentials",
        "allow_origins = [\"https://app.example.com\", \"http://localhost:*\"]\nallow_methods = [\"*\"]\n\
         allow_headers = [\"*\"]\nallow_credentials = true\ndebug = true",
    ),
    (
        "debug, any origin and header",
        "allow_origins = [\"*\"]\nallow_headers = [\"*\"]\npreflight_status = 200\ndebug = true",
    ),
    (
        "preflight continue",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]\n\
         allow_headers = [\"X-Custom\"]\nallow_credentials = true\nmax_age = 600\n\
         preflight_continue = true",
    ),
    (
        "preflight continue, debug, private network",
        "allow_origins = [\"https://app.example.com\", \"https://*.example.org\"]\n\
         allow_headers = [\"*\"]\nallow_private_network = true\ndebug = true\npreflight_continue = true",
    ),
    (
        "preflight continue, any origin",
        "allow_origins = [\"*\"]\nallow_methods = [\"*\"]\nexpose_headers = [\"X-Total\"]\n\
         preflight_continue = true",
    ),
    (
        "everything, credentials",
        "allow_origins = [\"https://app.example.com\", \"https://*.example.org\", \"http://localhost:*\"]\n\
         allow_methods = [\"PUT\", \"DELETE\"]\nallow_headers = [\"X-Custom\", \"Content-Type\"]\n\
         expose_headers = [\"X-Total\"]\nallow_credentials = true\nmax_age = 7200\n\
         allow_private_network = true\npreflight_status = 200",
    ),
    (
        "everything, any origin",
        "allow_origins = [\"*\"]\nallow_methods = [\"*\"]\nallow_headers = [\"*\"]\n\
         expose_headers = [\"X-Total\"]\nmax_age = 86400\nallow_private_network = true",
    ),
    (
        "patterns, any header, credentials",
        "allow_origins = [\"https://app.example.com\", \"https://*.example.org:*\", \"http://localhost:*\"]\n\
         allow_methods = [\"*\"]\nallow_headers = [\"*\"]\nallow_credentials = true\n\
         expose_headers = [\"X-Total\", \"X-Request-Id\"]",
    ),
];

/// The policies a target refuses (a feature it cannot express), and only those.
const REFUSED: &[(Target, &str)] = &[(Target::Nginx, "a lower-case method")];

/// The policy `toml` as the library builds it (through the policy-file loader, as the
/// command reads it).
pub fn policy(toml: &str) -> Cors {
    let dir = fresh_dir("export-policy");
    let path = dir.join("policy.toml");
    std::fs::write(&path, toml).expect("policy.toml");
    let cors = corsgate_config::policy::load(&path)
        .unwrap_or_else(|e| panic!("the test policy is valid: {e}\n{toml}"));
    let _ = std::fs::remove_dir_all(&dir);
    cors
}

/// The upstream behind both the edge and the reference: answers by path (the corpus's
/// paths), with CORS headers of its own on `/own-cors`.
pub fn upstream() -> Server {
    serve(|seen| {
        let path = seen.path();
        if let Some(code) = path.strip_prefix("/status/") {
            return Reply::new(code.parse().unwrap_or(500))
                .header("X-Total", "0")
                .body("error");
        }
        let mut reply = Reply::new(200)
            .header("X-Total", "3")
            .header("X-Request-Id", "r1");
        if seen.method == http::Method::OPTIONS {
            // What an upstream's own OPTIONS answer may vary on (preflight_continue merges
            // the preflight's names into it).
            reply = reply.header("Vary", "Accept-Encoding, access-control-request-method");
        }
        match path {
            "/own-cors" => reply
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", "GET, PUT")
                .header("Access-Control-Expose-Headers", "x-secret")
                .header("Vary", "Accept-Encoding")
                .body("ok"),
            "/vary-origin" => reply.header("Vary", "Origin").body("ok"),
            _ => reply.body("ok"),
        }
    })
}

fn upstream_of(server: &Server) -> Upstream {
    Upstream::parse(&server.url("")).expect("the upstream's URL")
}

/// Every policy's snippet and whole config pass `target`'s own syntax check.
fn syntax(target: Target) {
    if !edge::available(target) {
        return;
    }
    let upstream = Upstream::parse("http://127.0.0.1:3000").unwrap();
    for (name, toml) in POLICIES {
        let cors = policy(toml);
        if REFUSED.contains(&(target, *name)) {
            let e = corsgate_export::export(&cors, target, None).unwrap_err();
            assert_eq!(e.target, target);
            continue;
        }
        let whole = Whole {
            listen: "127.0.0.1:8080".parse().unwrap(),
            upstream: upstream.clone(),
        };
        let config = corsgate_export::export(&cors, target, Some(&whole)).unwrap();
        edge::syntax_check(target, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tls = Whole {
            listen: "[::1]:8443".parse().unwrap(),
            upstream: Upstream::parse("https://localhost:3443").unwrap(),
        };
        let config = corsgate_export::export(&cors, target, Some(&tls)).unwrap();
        edge::syntax_check(target, &config)
            .unwrap_or_else(|e| panic!("{name} (https upstream, IPv6): {e}"));
        let snippet = corsgate_export::export(&cors, target, None).unwrap();
        let embedded = embed(target, &snippet, &upstream);
        edge::syntax_check(target, &embedded).unwrap_or_else(|e| panic!("{name} (snippet): {e}"));
    }
}

/// A snippet included where its comments say, in a minimal config.
fn embed(target: Target, snippet: &str, upstream: &Upstream) -> String {
    let up = upstream.url();
    match target {
        Target::Nginx => {
            let (maps, location) = snippet
                .split_once("# ---- location / { ... } ----\n")
                .expect("the snippet's two parts");
            format!(
                "pid nginx.pid;\nerror_log error.log;\nevents {{}}\nhttp {{\naccess_log off;\n\
                 client_body_temp_path t1;\nproxy_temp_path t2;\nfastcgi_temp_path t3;\n\
                 uwsgi_temp_path t4;\nscgi_temp_path t5;\n{maps}\nserver {{\nlisten 127.0.0.1:8080;\n\
                 location /api/ {{\n{location}proxy_pass {up};\n}}\n}}\n}}\n"
            )
        }
        Target::Caddy => format!(
            "{{\n\tadmin off\n\tauto_https off\n}}\n{snippet}\n\
             http://:8080 {{\n\tbind 127.0.0.1\n\timport corsgate\n\treverse_proxy {} {{\n\t\timport corsgate_upstream\n\t}}\n\
             \thandle_errors {{\n\t\timport corsgate_headers\n\t}}\n}}\n",
            upstream.authority()
        ),
        Target::Haproxy => format!(
            "defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n\
             frontend api\n    bind 127.0.0.1:8080\n{snippet}\n    default_backend api\n\n\
             backend api\n    server api {}\n",
            upstream.authority()
        ),
        Target::Apache => format!(
            "{}\nListen 127.0.0.1:8080\n<VirtualHost 127.0.0.1:8080>\n{snippet}\n    ProxyPass \"/\" \"{up}/\"\n</VirtualHost>\n",
            corsgate_export::apache_base()
        ),
    }
}

/// The differential run for `target`: every policy, its whole corpus, edge vs reference.
fn differential(target: Target) {
    if !edge::available(target) {
        return;
    }
    let started = Instant::now();
    let up = upstream();
    let upstream = upstream_of(&up);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, toml) in POLICIES {
        let cors = policy(toml);
        if let Err(e) = corsgate_export::export(&cors, target, None) {
            assert!(
                REFUSED.contains(&(target, *name)),
                "{target}, {name}: refused: {e}"
            );
            continue;
        }
        let edge = Edge::start(target, |listen| {
            let whole = Whole {
                listen,
                upstream: upstream.clone(),
            };
            corsgate_export::export(&cors, target, Some(&whole)).expect("exportable")
        })
        .expect("available was checked");
        let result = runtime
            .block_on(compare(
                &cors,
                target,
                &edge.base(),
                &upstream,
                Duration::from_secs(10),
            ))
            .unwrap_or_else(|e| {
                panic!(
                    "{target}, {name}: the check could not run: {e}\n{}",
                    edge.output()
                )
            });
        assert!(
            result.requests >= 60,
            "{name}: only {} requests",
            result.requests
        );
        total += result.requests;
        if !result.differences.is_empty() {
            failures.push(format!("## {name}\n{}", result.render()));
        }
        drop(edge);
    }
    assert!(
        failures.is_empty(),
        "{target} answers differently from corsgate's layer:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "{target}: {} policies, {total} requests, equivalent, in {:?}",
        POLICIES.len(),
        started.elapsed()
    );
}

#[test]
fn there_are_enough_policies() {
    assert!(POLICIES.len() >= 20);
}

#[test]
fn nginx_configs_pass_nginx_t() {
    syntax(Target::Nginx);
}

#[test]
fn nginx_answers_as_corsgate() {
    differential(Target::Nginx);
}

#[test]
fn caddy_configs_pass_caddy_validate() {
    syntax(Target::Caddy);
}

#[test]
fn caddy_answers_as_corsgate() {
    differential(Target::Caddy);
}

#[test]
fn apache_configs_pass_apache2_t() {
    syntax(Target::Apache);
}

#[test]
fn apache_answers_as_corsgate() {
    differential(Target::Apache);
}

#[test]
fn haproxy_configs_pass_haproxy_c() {
    syntax(Target::Haproxy);
}

#[test]
fn haproxy_answers_as_corsgate() {
    differential(Target::Haproxy);
}

#[test]
fn a_feature_no_target_carries_is_refused_with_exit_2() {
    let dir = fresh_dir("export-cli");
    let file = dir.join("p.toml");
    std::fs::write(
        &file,
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"purge\"]\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (status, stdout, stderr) = corsgate(&["export", "--to", "nginx", f], &[]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "cannot export allow_methods entry \"purge\" to nginx: nginx answers 400 to any \
             request whose method is not upper case"
        ),
        "{stderr}"
    );
    let (status, _, stderr) = corsgate(&["export", "--to", "lighttpd", f], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("'lighttpd' is not a target"), "{stderr}");
    std::fs::write(&file, "allow_origins = [\"https://app.example.com\"]\n").unwrap();
    let (status, _, stderr) = corsgate(
        &[
            "export",
            "--to",
            "nginx",
            f,
            "--upstream",
            "http://127.0.0.1:3000",
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("--upstream without --listen"), "{stderr}");
    let (status, _, stderr) = corsgate(
        &[
            "export",
            "--to",
            "nginx",
            f,
            "--upstream",
            "ftp://h",
            "--listen",
            "127.0.0.1:1",
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2));
    assert!(
        stderr.contains("--upstream 'ftp://h' is not http: or https:: give http://HOST:PORT"),
        "{stderr}"
    );
    let (status, _, stderr) = corsgate(&["export", "--to", "nginx", "/nonexistent.toml"], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("/nonexistent.toml"), "{stderr}");
    let (status, stdout, _) = corsgate(&["export", "--to", "nginx", f], &[]);
    assert_eq!(status.code(), Some(0));
    assert!(
        stdout.contains("add_header Access-Control-Allow-Origin $corsgate_allow_origin always;")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `corsgate export --check` as a user runs it, against a server they started: exit 0 and
/// the count when equivalent; exit 1 and each difference when the server runs another
/// policy; exit 2 when the server cannot be reached.
#[test]
fn check_compares_a_running_server_with_the_library() {
    let target = Target::Nginx;
    if !edge::available(target) {
        return;
    }
    let up = upstream();
    let upstream = upstream_of(&up);
    let toml = "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]";
    let cors = policy(toml);
    let edge = Edge::start(target, |listen| {
        let whole = Whole {
            listen,
            upstream: upstream.clone(),
        };
        corsgate_export::export(&cors, target, Some(&whole)).unwrap()
    })
    .unwrap();
    let dir = fresh_dir("export-check");
    let same = dir.join("same.toml");
    std::fs::write(&same, toml).unwrap();
    let other = dir.join("other.toml");
    std::fs::write(
        &other,
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]\nallow_credentials = true",
    )
    .unwrap();
    let base = edge.base();
    let up_url = upstream.url();
    let run = |file: &std::path::Path, url: &str| {
        corsgate(
            &[
                "export",
                "--to",
                "nginx",
                file.to_str().unwrap(),
                "--check",
                "--url",
                url,
                "--upstream",
                &up_url,
            ],
            &[],
        )
    };
    let (status, stdout, stderr) = run(&same, &base);
    assert_eq!(status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.starts_with("equivalent: "), "{stdout}");

    let (status, stdout, stderr) = run(&other, &base);
    assert_eq!(status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains(" difference(s) in "), "{stdout}");
    assert!(
        stdout.contains(
            "- GET with credentials (GET /data from https://app.example.com, credentials): chrome verdict\n    server:    Blocked\n    reference: Allowed\n"
        ),
        "{stdout}"
    );

    let closed = format!("http://127.0.0.1:{}", crate::util::browser::free_port());
    let (status, stdout, stderr) = run(&same, &closed);
    assert_eq!(status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.starts_with("corsgate export --check: "), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The head of `GET /data` with `origin`, over raw HTTP/1.1, lower-cased.
fn raw_get(base: &str, origin: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("the edge listens");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /data HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let head = out.split("\r\n\r\n").next().unwrap_or_default();
    head.to_ascii_lowercase()
}

/// When the upstream cannot be reached, each server's own error (502 or 503) still carries
/// the policy's headers, so the page sees the status rather than a CORS error.
#[test]
fn the_servers_own_errors_carry_the_headers() {
    let closed = Upstream::parse(&format!(
        "http://127.0.0.1:{}",
        crate::util::browser::free_port()
    ))
    .unwrap();
    let cors =
        policy("allow_origins = [\"https://app.example.com\"]\nexpose_headers = [\"X-Total\"]");
    for target in Target::ALL {
        let Some(edge) = Edge::start(target, |listen| {
            let whole = Whole {
                listen,
                upstream: closed.clone(),
            };
            corsgate_export::export(&cors, target, Some(&whole)).unwrap()
        }) else {
            continue;
        };
        let head = raw_get(&edge.base(), "https://app.example.com");
        assert!(
            head.starts_with("http/1.1 502") || head.starts_with("http/1.1 503"),
            "{target}: {head}"
        );
        for line in [
            "access-control-allow-origin: https://app.example.com",
            "access-control-expose-headers: x-total",
            "vary: origin",
        ] {
            assert!(head.contains(line), "{target}: no {line:?} in\n{head}");
        }
        let head = raw_get(&edge.base(), "https://evil.example");
        assert!(!head.contains("access-control-"), "{target}: {head}");
    }
}

/// A client controls `Access-Control-Request-Headers`: a value of many empty elements and an
/// unlisted name is refused at once by every server, as by the library (403), without the
/// regex engine (PCRE in nginx, HAProxy, Apache) walking an exponential number of paths —
/// the header-list regex once took nginx ~0.11 s of CPU per such request (11.4 s for these
/// 100), stopped only by PCRE's match limit.
#[test]
fn a_hostile_header_list_is_refused_at_once() {
    use std::io::{Read, Write};
    let closed = Upstream::parse(&format!(
        "http://127.0.0.1:{}",
        crate::util::browser::free_port()
    ))
    .unwrap();
    let cors = policy(
        "allow_origins = [\"https://app.example.com\"]\n\
         allow_methods = [\"PUT\"]\n\
         allow_headers = [\"content-type\", \"authorization\"]",
    );
    let hostile = format!("{}x", "  ,".repeat(40));
    for target in Target::ALL {
        let Some(edge) = Edge::start(target, |listen| {
            let whole = Whole {
                listen,
                upstream: closed.clone(),
            };
            corsgate_export::export(&cors, target, Some(&whole)).unwrap()
        }) else {
            continue;
        };
        let addr = edge.base().trim_start_matches("http://").to_owned();
        let started = Instant::now();
        for _ in 0..100 {
            let mut s = std::net::TcpStream::connect(&addr).expect("the edge listens");
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            write!(
                s,
                "OPTIONS /data HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://app.example.com\r\n\
                 Access-Control-Request-Method: PUT\r\n\
                 Access-Control-Request-Headers: {hostile}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            let head = out.split("\r\n\r\n").next().unwrap_or_default();
            assert!(head.starts_with("HTTP/1.1 403"), "{target}: {head}");
            assert!(
                !head
                    .to_ascii_lowercase()
                    .contains("access-control-allow-origin"),
                "{target}: {head}"
            );
        }
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(5),
            "{target} took {took:?} for 100 hostile preflights; its output:\n{}",
            edge.output()
        );
    }
}
