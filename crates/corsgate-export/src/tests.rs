//! The generated expressions against the library's own decisions (the `regex` crate reads
//! RE2 syntax, as Caddy does; nginx, HAProxy and Apache's PCRE reads these the same way).

use corsgate::{Config, Cors, Outcome};
use http::Request;

use crate::plan::Plan;
use crate::{corpus, Target};

fn cors(origins: &[&str]) -> Cors {
    Config::new()
        .allow_origins(origins.iter().copied())
        .allow_methods(["PUT", "patch", "X-Ok"])
        .allow_headers(["X-Custom", "content-type"])
        .build()
        .unwrap()
}

fn library_allows(cors: &Cors, origin: &str) -> bool {
    let (parts, ()) = Request::get("/")
        .header("origin", origin)
        .body(())
        .unwrap()
        .into_parts();
    matches!(
        cors.decide(&parts).outcome(),
        Outcome::Actual {
            origin_allowed: true
        }
    )
}

#[test]
fn origin_expressions_decide_as_the_library() {
    let policies: &[&[&str]] = &[
        &["https://app.example.com"],
        &["https://*.example.com"],
        &["http://localhost:*", "http://127.0.0.1:5500"],
        &["https://*.example.com:*"],
        &["https://*.example.com:8443", "http://[::1]:3000"],
        &["https://app.example.com", "https://*.example.org"],
    ];
    let extra = [
        "https://example.com",
        "https://a.example.com",
        "https://a.b.example.com",
        "https://a.example.com:443",
        "https://a.example.com:8443",
        "https://a.example.com:08443",
        "https://.example.com",
        "https://a..example.com",
        "https://A.example.com",
        "https://a_b.example.com",
        "http://localhost",
        "http://localhost:80",
        "http://localhost:0",
        "http://localhost:3000",
        "http://localhost:65535",
        "http://localhost:",
        "http://localhostx:3000",
        "http://[::1]:3000",
        "null",
        "https://app.example.com/",
        "https://app.example.com.evil.net",
        "https://appxexample.com",
    ];
    for origins in policies {
        let cors = cors(origins);
        let plan = Plan::new(&cors, Target::Caddy).unwrap();
        let re = regex::Regex::new(&plan.origin_regex().unwrap()).unwrap();
        let (allowed, refused) = corpus::origins(&cors);
        assert!(!allowed.is_empty() && !refused.is_empty(), "{origins:?}");
        for o in allowed
            .iter()
            .chain(&refused)
            .map(String::as_str)
            .chain(extra)
        {
            assert_eq!(
                re.is_match(o),
                library_allows(&cors, o),
                "{o} against {origins:?}: {re}"
            );
        }
    }
}

#[test]
fn method_and_header_expressions_decide_as_the_library() {
    let cors = cors(&["https://app.example.com"]);
    let plan = Plan::new(&cors, Target::Caddy).unwrap();
    let m = regex::Regex::new(&plan.method_regex).unwrap();
    for (method, ok) in [
        ("GET", true),
        ("POST", true),
        ("PUT", true),
        ("put", false),
        ("patch", true),
        ("PATCH", false),
        ("X-Ok", true),
        ("DELETE", false),
    ] {
        assert_eq!(m.is_match(method), ok, "{method}");
    }
    let h = regex::Regex::new(&plan.headers_regex).unwrap();
    for (list, ok) in [
        ("", true),
        ("x-custom", true),
        ("content-type,x-custom", true),
        (" X-Custom , content-type ", true),
        (",x-custom,,", true),
        ("x-custom,x-other", false),
        ("x-custom2", false),
        ("x custom", false),
    ] {
        assert_eq!(h.is_match(list), ok, "{list:?}");
    }
}

#[test]
fn the_corpus_is_large_enough() {
    for origins in [
        &["https://app.example.com"][..],
        &["*"][..],
        &["http://localhost:*"][..],
    ] {
        let c = corpus::corpus(&cors(origins));
        assert!(c.len() >= 60, "{origins:?}: {}", c.len());
    }
}

#[test]
fn what_no_target_can_carry_is_refused() {
    let cors = Config::new()
        .allow_origins(["https://app.example.com"])
        .allow_origin_predicate(|origin, _| origin.host().ends_with(".example.net"))
        .build()
        .unwrap();
    for target in Target::ALL {
        let e = crate::export(&cors, target, None).unwrap_err();
        assert_eq!(e.feature, "allow_origin_predicate");
        assert!(
            e.to_string().starts_with(&format!(
                "cannot export allow_origin_predicate to {target}: "
            )),
            "{e}"
        );
    }
}

#[test]
fn nginx_refuses_a_method_it_cannot_take() {
    let e = crate::export(&cors(&["https://app.example.com"]), Target::Nginx, None).unwrap_err();
    assert_eq!(e.feature, "allow_methods entry \"patch\"");
    assert!(e.to_string().contains("nginx answers 400"), "{e}");
    for target in [Target::Caddy, Target::Haproxy, Target::Apache] {
        assert!(crate::export(&cors(&["https://app.example.com"]), target, None).is_ok());
    }
}
