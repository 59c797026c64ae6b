//! Policy validation: every rule, every error at once, messages that say how to fix it.

use corsgate::{Config, ConfigErrors, ErrorKind, Field};
use http::StatusCode;

fn errors(config: Config) -> ConfigErrors {
    config.build().expect_err("config should be refused")
}

fn kinds(e: &ConfigErrors) -> Vec<(Field, Option<usize>, ErrorKind)> {
    e.iter().map(|e| (e.field(), e.index(), e.kind())).collect()
}

fn origin() -> Config {
    Config::new().allow_origins(["https://app.example"])
}

#[test]
fn an_empty_config_says_what_to_add() {
    let e = errors(Config::new());
    assert_eq!(
        kinds(&e),
        [(Field::AllowOrigins, None, ErrorKind::NoOrigins)]
    );
    assert!(e
        .to_string()
        .contains("allow_origins = [\"https://app.example.com\"]"));
}

#[test]
fn every_problem_is_reported_at_once_in_field_order() {
    let e = errors(
        Config::new()
            .allow_origins(["https://a.com:443", "*", "http://a.com/"])
            .allow_methods(["GET", "CONNECT", "bad method"])
            .allow_headers(["Cookie", "Access-Control-Allow-Origin", "x-ok", ""])
            .expose_headers(["Set-Cookie", "*"])
            .allow_credentials(true)
            .max_age(86401)
            .preflight_status(StatusCode::CREATED),
    );
    assert_eq!(
        kinds(&e),
        [
            (Field::AllowOrigins, Some(0), ErrorKind::InvalidOrigin),
            (
                Field::AllowOrigins,
                Some(1),
                ErrorKind::WildcardOriginWithCredentials
            ),
            (Field::AllowOrigins, Some(2), ErrorKind::InvalidOrigin),
            (Field::AllowMethods, Some(1), ErrorKind::ForbiddenMethod),
            (Field::AllowMethods, Some(2), ErrorKind::InvalidToken),
            (
                Field::AllowHeaders,
                Some(0),
                ErrorKind::ForbiddenRequestHeader
            ),
            (Field::AllowHeaders, Some(1), ErrorKind::CorsProtocolHeader),
            (Field::AllowHeaders, Some(3), ErrorKind::InvalidToken),
            (
                Field::ExposeHeaders,
                Some(0),
                ErrorKind::ForbiddenResponseHeader
            ),
            (
                Field::ExposeHeaders,
                Some(1),
                ErrorKind::WildcardExposeWithCredentials
            ),
            (Field::MaxAge, None, ErrorKind::MaxAgeOutOfRange),
            (
                Field::PreflightStatus,
                None,
                ErrorKind::InvalidPreflightStatus
            ),
        ]
    );
    let text = e.to_string();
    assert!(
        text.starts_with("invalid CORS policy: 12 problems\n"),
        "{text}"
    );
    assert!(
        text.contains("allow_origins[0] = \"https://a.com:443\": "),
        "{text}"
    );
    assert!(text.contains("https://a.com"), "{text}");
    assert_eq!(e.errors()[0].value(), "https://a.com:443");
}

#[test]
fn origins_must_be_written_as_browsers_send_them() {
    let cases = [
        ("https://a.com:443", "use https://a.com"),
        ("http://a.com:80", "use http://a.com"),
        ("https://a.com/", "origins have no path; use https://a.com"),
        (
            "https://a.com/app",
            "origins have no path; use https://a.com",
        ),
        ("HTTPS://A.com", "https://a.com"),
    ];
    for (input, fix) in cases {
        let e = errors(Config::new().allow_origins([input]));
        assert_eq!(
            kinds(&e),
            [(Field::AllowOrigins, Some(0), ErrorKind::InvalidOrigin)],
            "{input}"
        );
        assert!(
            e.errors()[0].message().contains(fix),
            "{input}: {}",
            e.errors()[0].message()
        );
    }
    for bad in [
        "null",
        "file://",
        "file:///home/a",
        "https://user@a.com",
        "https://a.com?x=1",
        "https://a.com#f",
        "a.com",
        "https://",
        "https://*",
        "https://a.*.com",
        "https://*a.com",
        "https://[::1",
        "http://127.1",
        "http://[0:0:0:0:0:0:0:1]",
        "https://bücher.example",
        "https://a.com:99999",
    ] {
        let e = errors(Config::new().allow_origins([bad]));
        assert_eq!(
            kinds(&e),
            [(Field::AllowOrigins, Some(0), ErrorKind::InvalidOrigin)],
            "{bad}"
        );
    }
    let e = errors(Config::new().allow_origins(["https://bücher.example"]));
    assert!(
        e.to_string().contains("https://xn--bcher-kva.example"),
        "{e}"
    );
    let e = errors(Config::new().allow_origins(["http://[0:0:0:0:0:0:0:1]"]));
    assert!(e.to_string().contains("http://[::1]"), "{e}");
}

#[test]
fn app_schemes_ip_literals_and_patterns_are_accepted() {
    Config::new()
        .allow_origins([
            "capacitor://localhost",
            "tauri://localhost",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "http://[::1]:8080",
            "http://127.0.0.1:5500",
            "https://*.example.com",
            "http://localhost:*",
            "https://*.example.com:*",
            "https://*.example.com:8443",
        ])
        .build()
        .unwrap();
}

#[test]
fn credentials_rules() {
    let cred = |o: &str| Config::new().allow_origins([o]).allow_credentials(true);
    assert_eq!(
        kinds(&errors(cred("*"))),
        [(
            Field::AllowOrigins,
            Some(0),
            ErrorKind::WildcardOriginWithCredentials
        )]
    );
    assert_eq!(
        kinds(&errors(cred("http://app.example"))),
        [(
            Field::AllowOrigins,
            Some(0),
            ErrorKind::InsecureOriginWithCredentials
        )]
    );
    for ok in [
        "http://localhost:3000",
        "http://127.0.0.1:5500",
        "http://[::1]",
        "http://localhost:*",
    ] {
        cred(ok).build().unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    cred("http://app.example")
        .dangerously_allow_insecure_origins(true)
        .build()
        .unwrap();
    for psl in ["https://*.com", "https://*.github.io", "https://*.co.uk"] {
        assert_eq!(
            kinds(&errors(cred(psl))),
            [(
                Field::AllowOrigins,
                Some(0),
                ErrorKind::PublicSuffixWildcardWithCredentials
            )],
            "{psl}"
        );
        cred(psl)
            .dangerously_allow_public_suffix_wildcards(true)
            .build()
            .unwrap();
        // Without credentials a public-suffix wildcard is the user's call.
        Config::new().allow_origins([psl]).build().unwrap();
    }
    cred("https://*.example.com").build().unwrap();
    cred("https://*.example.github.io").build().unwrap();
    assert_eq!(
        kinds(&errors(
            origin().allow_credentials(true).expose_headers(["*"])
        )),
        [(
            Field::ExposeHeaders,
            Some(0),
            ErrorKind::WildcardExposeWithCredentials
        )]
    );
}

#[test]
fn methods() {
    for m in ["CONNECT", "trace", "Track"] {
        assert_eq!(
            kinds(&errors(origin().allow_methods([m]))),
            [(Field::AllowMethods, Some(0), ErrorKind::ForbiddenMethod)]
        );
    }
    for m in ["", "GET POST", "GET,POST", "ÜBER"] {
        assert_eq!(
            kinds(&errors(origin().allow_methods([m]))),
            [(Field::AllowMethods, Some(0), ErrorKind::InvalidToken)],
            "{m:?}"
        );
    }
    origin()
        .allow_methods(["PATCH", "patch", "*", "get"])
        .build()
        .unwrap();
}

#[test]
fn headers() {
    for h in [
        "Cookie",
        "Host",
        "Sec-Fetch-Mode",
        "Proxy-Authorization",
        "Origin",
        "Content-Length",
    ] {
        assert_eq!(
            kinds(&errors(origin().allow_headers([h]))),
            [(
                Field::AllowHeaders,
                Some(0),
                ErrorKind::ForbiddenRequestHeader
            )],
            "{h}"
        );
    }
    assert_eq!(
        kinds(&errors(
            origin().allow_headers(["access-control-request-method"])
        )),
        [(Field::AllowHeaders, Some(0), ErrorKind::CorsProtocolHeader)]
    );
    for h in ["Set-Cookie", "set-cookie2"] {
        assert_eq!(
            kinds(&errors(origin().expose_headers([h]))),
            [(
                Field::ExposeHeaders,
                Some(0),
                ErrorKind::ForbiddenResponseHeader
            )]
        );
    }
    assert_eq!(
        kinds(&errors(origin().expose_headers(["résumé"]))),
        [(Field::ExposeHeaders, Some(0), ErrorKind::InvalidToken)]
    );
    origin()
        .allow_headers(["Authorization", "content-type", "*"])
        .expose_headers(["*", "x-total"])
        .build()
        .unwrap();
}

#[test]
fn max_age_and_preflight_status_bounds() {
    // The builder takes seconds as u32; the schema (TOML) also accepts -1, like 0.
    for ok in [-1, 0, 1, 7200, 86400] {
        let config = Config {
            max_age: Some(ok),
            ..origin()
        };
        config.build().unwrap();
    }
    for bad in [-2, 86401, i64::MAX, i64::MIN] {
        let e = errors(Config {
            max_age: Some(bad),
            ..origin()
        });
        assert_eq!(
            kinds(&e),
            [(Field::MaxAge, None, ErrorKind::MaxAgeOutOfRange)]
        );
        assert!(e.to_string().contains("7200"));
    }
    origin().preflight_status(StatusCode::OK).build().unwrap();
    origin()
        .preflight_status(StatusCode::NO_CONTENT)
        .build()
        .unwrap();
    for bad in [0, 201, 302, 403, 999] {
        let config = Config {
            preflight_status: Some(bad),
            ..origin()
        };
        assert_eq!(
            kinds(&errors(config)),
            [(
                Field::PreflightStatus,
                None,
                ErrorKind::InvalidPreflightStatus
            )]
        );
    }
}

#[test]
fn toml_schema_is_exact() {
    let text = r#"
        allow_origins = ["http://127.0.0.1:5500"]
        allow_methods = ["GET", "POST"]
        allow_headers = ["content-type"]
        expose_headers = ["x-total"]
        allow_credentials = true
        max_age = 600
        allow_private_network = false
        preflight_status = 204
        preflight_continue = false
        debug = false
        dangerously_allow_insecure_origins = false
        dangerously_allow_public_suffix_wildcards = false
    "#;
    let config: Config = toml::from_str(text).unwrap();
    assert_eq!(config.max_age, Some(600));
    config.clone().build().unwrap();
    let back: Config = toml::from_str(&toml::to_string(&config).unwrap()).unwrap();
    assert_eq!(back, config);

    let err = toml::from_str::<Config>("allow_origin = [\"https://a.com\"]").unwrap_err();
    assert!(
        err.to_string().contains("unknown field `allow_origin`"),
        "{err}"
    );
    let err = toml::from_str::<Config>("allow_origins = \"https://a.com\"").unwrap_err();
    assert!(err.to_string().contains("allow_origins"), "{err}");
    let json: Config = serde_json::from_str(r#"{"allow_origins":["*"]}"#).unwrap();
    json.build().unwrap();
}

#[test]
fn building_is_the_one_check() {
    assert!(origin().build().is_ok());
    assert_eq!(Config::new().build().unwrap_err().len(), 1);
}

#[test]
fn lists_are_capped_with_one_error_each_in_field_order() {
    let many = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>();
    let config = Config {
        allow_origins: many("https://a", 10_001),
        allow_methods: many("M", 101),
        allow_headers: many("x-h", 1_001),
        expose_headers: many("x-e", 1_001),
        ..Config::new()
    };
    let e = errors(config);
    assert_eq!(
        kinds(&e),
        [
            (Field::AllowOrigins, None, ErrorKind::TooManyEntries),
            (Field::AllowMethods, None, ErrorKind::TooManyEntries),
            (Field::AllowHeaders, None, ErrorKind::TooManyEntries),
            (Field::ExposeHeaders, None, ErrorKind::TooManyEntries),
        ]
    );
    let text = e.to_string();
    assert!(
        text.contains("allow_origins has 10001 entries; corsgate accepts at most 10000"),
        "{text}"
    );
    assert!(
        text.contains("expose_headers has 1001 entries; corsgate accepts at most 1000"),
        "{text}"
    );
}

#[test]
fn lists_at_the_caps_build_and_duplicates_collapse() {
    let many = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>();
    let mut headers = many("x-h", 999);
    headers.push("X-H0".into()); // a duplicate in another case
    let config = Config {
        allow_origins: many("https://a", 10_000)
            .into_iter()
            .map(|o| format!("{o}.example"))
            .collect(),
        allow_methods: many("M", 100),
        allow_headers: headers,
        expose_headers: many("x-e", 1_000),
        ..Config::new()
    };
    let cors = config.build().expect("lists at the caps are valid");
    let policy = cors.policy();
    let preflight = http::Request::options("/")
        .header("origin", "https://a9999.example")
        .header("access-control-request-method", "M99")
        .header("access-control-request-headers", "x-h998")
        .body(())
        .unwrap()
        .into_parts()
        .0;
    let d = policy.decide(&preflight);
    assert_eq!(d.outcome(), corsgate::Outcome::PreflightPass, "{d:?}");
    let allow_headers = d.headers().clone();
    let mut map = http::HeaderMap::new();
    allow_headers.apply_to(&mut map);
    let listed = map["access-control-allow-headers"].to_str().unwrap();
    let names: Vec<&str> = listed.split(", ").collect();
    assert_eq!(names.len(), 999, "the duplicate X-H0 is listed once");
    assert_eq!(names.iter().filter(|n| **n == "x-h0").count(), 1);
}
