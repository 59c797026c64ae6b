//! Tests of the origin grammar: the type, both checkers held to each other, and suggestions.

use std::net::Ipv6Addr;

use proptest::prelude::*;

use super::diagnose::check;
use super::ip::{serialize_ipv6, whatwg_ipv4};
use super::scan::{scan, split_unchecked};
use super::{Origin, OriginErrorKind};
use crate::policy::pattern::OriginPattern;
use OriginErrorKind::*;

fn err(s: &str) -> (OriginErrorKind, Option<String>) {
    let e = Origin::parse(s).unwrap_err();
    (e.kind(), e.suggestion().map(String::from))
}

fn msg(s: &str) -> String {
    Origin::parse(s).unwrap_err().to_string()
}

#[test]
fn accepts_serialized_origins() {
    for s in [
        "https://a.com",
        "http://127.0.0.1:5500",
        "http://localhost:3000",
        "http://app.localhost",
        "http://[::1]:8080",
        "http://[2001:db8::1]",
        "http://[::ffff:7f00:1]",
        "http://[::]",
        "http://[1::]",
        "http://[1:2:3:4:5:6:7:8]",
        "http://0.0.0.0",
        "http://255.255.255.255:65535",
        "capacitor://localhost",
        "tauri://localhost",
        "ionic://localhost",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        "moz-extension://0b6b1b40-1c8e-4d0e-9b1a-3a5c6c3c9a11",
        "safari-web-extension://0b6b1b40-1c8e-4d0e-9b1a-3a5c6c3c9a11",
        "https://xn--bcher-kva.example",
        "https://my_host.example:0",
        "https://a.com:8443",
        "https://a.com:80",
        "http://a.com:443",
        "ws://a.com:8080",
        "a+b-c.d://x",
        "https://0x1g.com",
        "https://a.1b",
        "https://-a-.com",
        "https://1.2.3.com",
    ] {
        let o = Origin::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(o.as_str(), s);
        assert_eq!(o.to_string(), s);
        assert_eq!(Origin::from_bytes(s.as_bytes()), Some(o));
        assert_eq!(check(s), Ok(o), "{s}");
    }
    let o = Origin::parse("http://[::1]:8080").unwrap();
    assert_eq!(
        (o.scheme(), o.host(), o.port()),
        ("http", "[::1]", Some(8080))
    );
    let o = Origin::parse("chrome-extension://abcdefghijklmnopabcdefghijklmnop").unwrap();
    assert_eq!(
        (o.scheme(), o.host(), o.port()),
        ("chrome-extension", "abcdefghijklmnopabcdefghijklmnop", None)
    );
    let o = Origin::parse("https://a.com:0").unwrap();
    assert_eq!(o.port(), Some(0));
}

#[test]
fn refuses_other_spellings_with_the_right_one() {
    let cases: &[(&str, OriginErrorKind, Option<&str>)] = &[
        ("https://a.com:443", DefaultPort, Some("https://a.com")),
        ("http://a.com:80", DefaultPort, Some("http://a.com")),
        ("ws://a.com:80", DefaultPort, Some("ws://a.com")),
        ("wss://a.com:443", DefaultPort, Some("wss://a.com")),
        ("ftp://a.com:21", DefaultPort, Some("ftp://a.com")),
        ("https://a.com/", HasPath, Some("https://a.com")),
        ("https://a.com/app?x#y", HasPath, Some("https://a.com")),
        ("https://a.com\\", HasPath, Some("https://a.com")),
        ("https://a.com?x", HasQuery, Some("https://a.com")),
        ("https://a.com#top", HasQuery, Some("https://a.com")),
        ("https://a.com:8443/x", HasPath, Some("https://a.com:8443")),
        ("HTTPS://A.com", UpperCase, Some("https://a.com")),
        ("https://A.com", UpperCase, Some("https://a.com")),
        (
            "Capacitor://localhost",
            UpperCase,
            Some("capacitor://localhost"),
        ),
        ("HTTPS://A.COM:443/", UpperCase, Some("https://a.com")),
        ("https://u:p@a.com", HasUserInfo, Some("https://a.com")),
        (
            "https://u@a.com:8443",
            HasUserInfo,
            Some("https://a.com:8443"),
        ),
        (" https://a.com", Whitespace, Some("https://a.com")),
        ("https://a.com\n", Whitespace, Some("https://a.com")),
        (" null", Null, None),
        ("http://127.1", NonCanonicalIpv4, Some("http://127.0.0.1")),
        (
            "http://0x7f.0.0.1:80",
            NonCanonicalIpv4,
            Some("http://127.0.0.1"),
        ),
        ("http://0X7F.0.0.1", UpperCase, Some("http://127.0.0.1")),
        (
            "http://127.000.0.1",
            NonCanonicalIpv4,
            Some("http://127.0.0.1"),
        ),
        (
            "http://0177.0.0.1",
            NonCanonicalIpv4,
            Some("http://127.0.0.1"),
        ),
        (
            "http://2130706433",
            NonCanonicalIpv4,
            Some("http://127.0.0.1"),
        ),
        (
            "http://127.0.0.1.",
            NonCanonicalIpv4,
            Some("http://127.0.0.1"),
        ),
        ("http://1.2.3.4.5", InvalidHost, None),
        ("http://256.0.0.1", InvalidHost, None),
        ("http://a.1", InvalidHost, None),
        ("http://1.2.3.0x", NonCanonicalIpv4, Some("http://1.2.3.0")),
        (
            "http://[0:0:0:0:0:0:0:1]",
            NonCanonicalIpv6,
            Some("http://[::1]"),
        ),
        (
            "http://[::FFFF:127.0.0.1]",
            NonCanonicalIpv6,
            Some("http://[::ffff:7f00:1]"),
        ),
        (
            "http://[::ffff:127.0.0.1]",
            NonCanonicalIpv6,
            Some("http://[::ffff:7f00:1]"),
        ),
        (
            "http://[2001:DB8::1]:8080",
            NonCanonicalIpv6,
            Some("http://[2001:db8::1]:8080"),
        ),
        (
            "http://[2001:db8:0:0:1:0:0:1]",
            NonCanonicalIpv6,
            Some("http://[2001:db8::1:0:0:1]"),
        ),
        ("http://[0001::1]", NonCanonicalIpv6, Some("http://[1::1]")),
        ("http://[1:0::1]", NonCanonicalIpv6, Some("http://[1::1]")),
        ("http://[1::0:1]", NonCanonicalIpv6, Some("http://[1::1]")),
        (
            "http://[1:0:2:3:4:5:6:7]:80",
            DefaultPort,
            Some("http://[1:0:2:3:4:5:6:7]"),
        ),
        ("http://[::1]x", InvalidHost, None),
        ("http://[::1%25eth0]", InvalidHost, None),
        ("https://[::1", InvalidHost, None),
        (
            "https://bücher.example",
            NonAsciiHost,
            Some("https://xn--bcher-kva.example"),
        ),
        (
            "https://Bücher.example:443",
            NonAsciiHost,
            Some("https://xn--bcher-kva.example"),
        ),
        ("null", Null, None),
        ("NULL", Null, None),
        ("file:///tmp/x.html", File, None),
        ("file://", File, None),
        ("file:x", File, None),
        ("FILE://host/x", File, None),
        ("a.com", MissingScheme, None),
        ("localhost:3000", MissingScheme, None),
        ("", MissingScheme, None),
        ("https:/a.com", MissingScheme, None),
        ("https://", InvalidHost, None),
        ("https://:8080", InvalidHost, None),
        ("https://a..com", InvalidHost, None),
        ("https://.a.com", InvalidHost, None),
        ("https://a.com.", InvalidHost, Some("https://a.com")),
        ("https://a b.com", InvalidHost, None),
        ("https://a%41.com", InvalidHost, None),
        ("https://a.com:", InvalidPort, Some("https://a.com")),
        ("https://a.com:99999", InvalidPort, None),
        ("https://a.com:65536", InvalidPort, None),
        ("https://a.com:+80", InvalidPort, None),
        ("https://a.com:8a", InvalidPort, None),
        ("https://a.com:1:2", InvalidPort, None),
        ("https://a.com:080", InvalidPort, Some("https://a.com:80")),
        ("http://a.com:080", InvalidPort, Some("http://a.com")),
        ("https://*.a.com", InvalidWildcard, None),
        ("https://a.com:*", InvalidWildcard, None),
        ("1http://a.com", InvalidScheme, None),
        ("ht_tp://a.com", InvalidScheme, None),
        ("://a.com", InvalidScheme, None),
    ];
    for (input, kind, sugg) in cases {
        assert_eq!(err(input), (*kind, sugg.map(String::from)), "{input:?}");
        assert_eq!(Origin::from_bytes(input.as_bytes()), None, "{input:?}");
    }
}

#[test]
fn the_wildcard_suggestion_is_only_for_patterns() {
    // `https://*.a.com` is a valid pattern, so suggesting it for an origin would be
    // circular; the error still explains the wildcard rules.
    let e = Origin::parse("https://*.a.com").unwrap_err();
    assert!(e.to_string().starts_with("a `*` may only stand alone"));
}

#[test]
fn messages_are_one_line_and_say_how_to_fix() {
    assert_eq!(
        msg("https://a.com/"),
        "origins have no path; use https://a.com"
    );
    assert_eq!(
        msg("HTTPS://A.com"),
        "browsers send origins in lower case; use https://a.com"
    );
    assert_eq!(
        msg("http://a.com:80"),
        "browsers omit the scheme's default port; use http://a.com"
    );
    assert_eq!(
        msg("https://bücher.example"),
        "non-ASCII host; browsers send the punycode form: https://xn--bcher-kva.example"
    );
    assert_eq!(
        msg("http://[::ffff:127.0.0.1]:8080"),
        "browsers send IPv6 addresses in compressed lower-case form without a dotted tail; use http://[::ffff:7f00:1]:8080"
    );
    assert_eq!(
        msg("http://127.1:3000"),
        "browsers send IPv4 addresses as four decimal numbers without leading zeros; use http://127.0.0.1:3000"
    );
    assert_eq!(
        msg("a.com"),
        "not an origin: write scheme://host[:port], e.g. https://a.com"
    );
    assert_eq!(
        msg("localhost:3000"),
        "not an origin: write scheme://host[:port], e.g. http://localhost:3000"
    );
    assert_eq!(
        msg("A.com/"),
        "not an origin: write scheme://host[:port], e.g. https://a.com"
    );
    assert_eq!(
        msg("nothing at all"),
        "not an origin: write scheme://host[:port], e.g. https://example.com"
    );
    assert!(msg("null").starts_with("the `null` origin can't be allowed safely: "));
    assert!(msg("null").contains("any site"));
    assert!(msg("file:///x").contains("serve the page from http://localhost"));
    for input in [
        "null",
        "file:///x",
        "https://a.com/",
        "https://a..b",
        "x",
        "https://a.com:99999",
        "https://é",
        "https://*.a.com",
        " https://a.com ",
    ] {
        let m = msg(input);
        assert!(!m.contains('\n'), "{m}");
        assert!(m.starts_with(|c: char| !c.is_ascii_uppercase()), "{m}");
    }
}

#[test]
fn non_ascii_without_a_punycode_form() {
    let e = Origin::parse("https://a\u{200b}\u{0}.com").unwrap_err();
    assert_eq!(e.kind(), NonAsciiHost);
    assert_eq!(e.suggestion(), None);
    assert!(e
        .to_string()
        .starts_with("non-ASCII host; browsers send the punycode"));
    assert_eq!(
        Origin::from_bytes("https://bücher.example".as_bytes()),
        None
    );
    assert_eq!(Origin::from_bytes(b"https://b\xffcher.example"), None);
}

#[test]
fn from_bytes_bounds_the_length() {
    let long = format!("https://{}.com", "a.".repeat(1100));
    assert_eq!(Origin::from_bytes(long.as_bytes()), None);
    let long_scheme = format!("{}://a.com", "s".repeat(3000));
    assert!(Origin::parse(&long_scheme).is_ok());
    assert_eq!(Origin::from_bytes(long_scheme.as_bytes()), None);
}

#[test]
fn host_length_limits() {
    let label63 = "a".repeat(63);
    assert!(Origin::parse(&format!("https://{label63}.com")).is_ok());
    assert_eq!(err(&format!("https://{label63}a.com")), (InvalidHost, None));
    // 253 bytes in all is the most.
    let host253 = format!("{}a", "a.".repeat(126));
    assert_eq!(host253.len(), 253);
    assert!(Origin::parse(&format!("https://{host253}")).is_ok());
    assert_eq!(err(&format!("https://a{host253}")).0, InvalidHost);
    assert_eq!(err(&format!("https://a.{host253}")).0, InvalidHost);
}

#[test]
fn trust_and_loopback() {
    let o = |s| Origin::parse(s).unwrap();
    assert!(o("http://localhost:3000").is_loopback());
    assert!(o("http://app.localhost").is_loopback());
    assert!(o("http://127.8.9.1").is_loopback());
    assert!(o("http://127.0.0.1").is_loopback());
    assert!(o("http://[::1]").is_loopback());
    assert!(!o("http://[::ffff:7f00:1]").is_loopback());
    assert!(!o("http://128.0.0.1").is_loopback());
    assert!(!o("http://127.example").is_loopback());
    assert!(!o("http://localhost.example").is_loopback());
    assert!(!o("http://mylocalhost").is_loopback());
    assert!(o("https://a.com").is_potentially_trustworthy());
    assert!(o("wss://a.com").is_potentially_trustworthy());
    assert!(o("http://localhost:5173").is_potentially_trustworthy());
    assert!(o("ws://127.0.0.1:9000").is_potentially_trustworthy());
    assert!(o("capacitor://localhost").is_potentially_trustworthy());
    assert!(o("tauri://localhost").is_potentially_trustworthy());
    assert!(o("chrome-extension://abcdefghijklmnopabcdefghijklmnop").is_potentially_trustworthy());
    assert!(!o("http://a.com").is_potentially_trustworthy());
    assert!(!o("ws://a.com").is_potentially_trustworthy());
    assert!(!o("ftp://a.com").is_potentially_trustworthy());
    assert!(!o("http://10.0.0.1").is_potentially_trustworthy());
}

#[test]
fn ipv6_serializer_matches_the_url_standard() {
    let s = |t: &str| serialize_ipv6(&t.parse().unwrap());
    assert_eq!(s("0:0:0:0:0:0:0:1"), "::1");
    assert_eq!(s("1:0:0:0:0:0:0:0"), "1::");
    assert_eq!(s("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
    assert_eq!(s("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
    assert_eq!(s("::ffff:127.0.0.1"), "::ffff:7f00:1");
    assert_eq!(s("::127.0.0.1"), "::7f00:1");
    assert_eq!(s("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
    assert_eq!(s("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
    assert_eq!(
        s("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789"),
        "abcd:ef01:2345:6789:abcd:ef01:2345:6789"
    );
    assert_eq!(s("::"), "::");
    // Rust's own Display differs for IPv4-mapped addresses; browsers never use dots.
    let mapped: Ipv6Addr = "::ffff:127.0.0.1".parse().unwrap();
    assert_eq!(mapped.to_string(), "::ffff:127.0.0.1");
}

#[test]
fn whatwg_ipv4_parser() {
    assert_eq!(whatwg_ipv4("127.1"), Some([127, 0, 0, 1]));
    assert_eq!(whatwg_ipv4("127.0.1"), Some([127, 0, 0, 1]));
    assert_eq!(whatwg_ipv4("0x7f.1"), Some([127, 0, 0, 1]));
    assert_eq!(whatwg_ipv4("0x.0x.0x.0x"), Some([0, 0, 0, 0]));
    assert_eq!(whatwg_ipv4("4294967295"), Some([255, 255, 255, 255]));
    assert_eq!(whatwg_ipv4("4294967296"), None);
    assert_eq!(whatwg_ipv4("1.16777216"), None);
    assert_eq!(whatwg_ipv4("1.16777215"), Some([1, 255, 255, 255]));
    assert_eq!(whatwg_ipv4("08.0.0.1"), None);
    assert_eq!(whatwg_ipv4("1..2"), None);
    assert_eq!(whatwg_ipv4("99999999999999999999999"), None);
    assert_eq!(whatwg_ipv4("0x10000000000000000000"), None);
}

/// A strategy for strings close to origins, to reach the interesting branches.
fn origin_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("https"),
        Just("http"),
        Just("HTTP"),
        Just("ws"),
        Just("wss"),
        Just("file"),
        Just("capacitor"),
        Just("1x"),
        Just(""),
    ];
    let host = "[a-zA-Z0-9.\\-_:\\[\\]*%@ ]{0,20}";
    let port = prop_oneof![
        Just(String::new()),
        "(:[0-9]{0,6})".prop_map(|p| p),
        Just(":*".to_owned()),
    ];
    let tail = "([/?#\\\\][a-z]{0,3})?";
    (scheme, "(://|:/|:)?", host, port, tail).prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}"))
}

fn assert_consistent(s: &str) -> Result<(), TestCaseError> {
    let fast = scan(s);
    prop_assert_eq!(fast, check(s).ok(), "scan and check disagree on {:?}", s);
    for max_scheme_len in [0, 4, 5, 64] {
        let _ = split_unchecked(s.as_bytes(), max_scheme_len);
    }
    match Origin::parse(s) {
        Ok(o) => {
            prop_assert_eq!(Some(o), fast);
            // The unchecked split reads a valid origin exactly as the parser does.
            prop_assert_eq!(
                split_unchecked(s.as_bytes(), o.scheme().len()),
                Some((o.scheme().as_bytes(), o.host().as_bytes(), o.port()))
            );
            if o.scheme().len() > 1 {
                prop_assert_eq!(split_unchecked(s.as_bytes(), o.scheme().len() - 1), None);
            }
            prop_assert_eq!(o.as_str(), s);
            prop_assert_eq!(Origin::parse(o.as_str()), Ok(o));
            prop_assert_eq!(
                format!(
                    "{}://{}{}",
                    o.scheme(),
                    o.host(),
                    o.port().map(|p| format!(":{p}")).unwrap_or_default()
                ),
                s
            );
        }
        Err(e) => {
            prop_assert!(fast.is_none());
            let m = e.to_string();
            prop_assert!(!m.is_empty() && !m.contains('\n'));
            if let Some(fix) = e.suggestion() {
                prop_assert_ne!(fix, s);
                prop_assert!(
                    OriginPattern::parse(fix).is_ok(),
                    "suggestion {} for {:?} does not parse",
                    fix,
                    s
                );
                if !fix.contains('*') {
                    prop_assert!(Origin::parse(fix).is_ok(), "{} for {:?}", fix, s);
                }
            }
        }
    }
    if s.len() <= 2048 {
        prop_assert_eq!(Origin::from_bytes(s.as_bytes()), fast);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_round_trips(s in "\\PC{0,40}") {
        assert_consistent(&s)?;
    }

    #[test]
    fn never_panics_on_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..48)) {
        let _ = Origin::from_bytes(&b);
        assert_consistent(&String::from_utf8_lossy(&b))?;
    }

    #[test]
    fn origin_like_strings(s in origin_like()) {
        assert_consistent(&s)?;
    }

    #[test]
    fn ipv6_forms(a in any::<[u16; 8]>(), zeros in any::<u8>(), port in proptest::option::of(any::<u16>())) {
        // Zero out some pieces so that compression cases come up often.
        let mut seg = a;
        for (i, s) in seg.iter_mut().enumerate() {
            if zeros & (1 << i) != 0 {
                *s = 0;
            }
        }
        let addr = Ipv6Addr::from(seg);
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let canonical = format!("http://[{}]{port}", serialize_ipv6(&addr));
        // Whatever Rust's `Display` prints is valid IPv6; canonical iff the same bytes.
        let rust = format!("http://[{addr}]{port}");
        assert_consistent(&canonical)?;
        assert_consistent(&rust)?;
        if port != ":80" {
            let o = Origin::parse(&canonical).unwrap();
            prop_assert_eq!(o.host(), format!("[{}]", serialize_ipv6(&addr)));
            if rust != canonical {
                prop_assert_eq!(err(&rust), (NonCanonicalIpv6, Some(canonical.clone())));
            }
        }
        // Rust's parser agrees with ours on what the canonical form means.
        prop_assert_eq!(serialize_ipv6(&addr).parse::<Ipv6Addr>().unwrap(), addr);
    }

    #[test]
    fn ipv4_forms(a in any::<[u8; 4]>(), port in proptest::option::of(1u16..)) {
        let port = port.filter(|&p| p != 80).map(|p| format!(":{p}")).unwrap_or_default();
        let [w, x, y, z] = a;
        let quad = format!("http://{w}.{x}.{y}.{z}{port}");
        prop_assert!(Origin::parse(&quad).is_ok());
        let n = u32::from_be_bytes(a);
        for other in [
            format!("http://{n}{port}"),
            format!("http://{w}.{}{port}", n & 0xff_ffff),
            format!("http://0x{w:x}.{x}.{y}.{z}{port}"),
            format!("http://0{w:o}.{x}.{y}.{z}{port}"),
        ] {
            assert_consistent(&other)?;
            if other != quad {
                prop_assert_eq!(err(&other), (NonCanonicalIpv4, Some(quad.clone())));
            }
        }
    }
}
