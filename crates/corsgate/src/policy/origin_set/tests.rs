//! Tests of the origin set: normalisation, and lookups that agree with a scan of the patterns.

use super::*;
use crate::policy::pattern::strategies;
use proptest::prelude::*;

#[test]
fn normalises_and_matches_like_the_docs_say() {
    use crate::policy::pattern::OriginPattern;

    let set = OriginSet::new(
        [
            "https://app.example.com",
            "https://*.example.com",
            "http://localhost:*",
        ]
        .map(|p| OriginPattern::parse(p).unwrap()),
    );
    // `https://app.example.com` is covered by `https://*.example.com`, so it is dropped.
    let kept: Vec<&str> = set.patterns().iter().map(|p| p.as_str()).collect();
    assert_eq!(kept, ["https://*.example.com", "http://localhost:*"]);
    assert!(set.contains(&Origin::parse("https://app.example.com").unwrap()));
    assert!(set.contains(&Origin::parse("http://localhost:5173").unwrap()));
    assert!(!set.contains(&Origin::parse("https://example.com").unwrap()));
}

fn set(list: &[&str]) -> OriginSet {
    OriginSet::new(list.iter().map(|s| OriginPattern::parse(s).unwrap()))
}

fn has(s: &OriginSet, o: &str) -> bool {
    s.contains(&Origin::parse(o).unwrap())
}

fn kept(s: &OriginSet) -> Vec<&str> {
    s.patterns().iter().map(|p| p.as_str()).collect()
}

#[test]
fn normalises() {
    let s = set(&[
        "https://a.com",
        "https://a.com",
        "https://x.example.com",
        "https://*.example.com",
        "https://*.foo.example.com",
        "https://*.example.com",
        "http://localhost:3000",
        "http://localhost:*",
        "http://localhost",
        "https://*.example.com:*",
        "https://example.com",
    ]);
    assert_eq!(
        kept(&s),
        [
            "https://a.com",
            "http://localhost:*",
            "https://*.example.com:*",
            "https://example.com"
        ]
    );
    assert!(has(&s, "https://x.example.com"));
    assert!(has(&s, "https://a.foo.example.com:1"));
    assert!(has(&s, "https://example.com"));
    assert!(!has(&s, "https://example.com:1"));
    assert!(has(&s, "http://localhost"));
    assert!(!s.allows_any() && !s.is_empty());
}

#[test]
fn star_absorbs_everything() {
    let s = set(&["https://a.com", "*", "https://*.b.com", "*"]);
    assert_eq!(s.patterns(), [OriginPattern::Any]);
    assert!(s.allows_any());
    assert!(has(&s, "tauri://localhost"));
}

#[test]
fn empty() {
    let s = OriginSet::new([]);
    assert!(s.is_empty() && !s.allows_any());
    assert!(!has(&s, "https://a.com"));
    let s = OriginSet::default();
    assert!(s.is_empty());
    assert!(!has(&s, "https://a.com"));
}

#[test]
fn schemes_and_ports_are_checked_after_the_index() {
    let s = set(&[
        "https://*.a.com",
        "wss://*.a.com:8443",
        "http://localhost:*",
        "https://localhost:8443",
        "http://[::1]:*",
        "http://127.0.0.1:*",
    ]);
    assert!(has(&s, "https://x.a.com"));
    assert!(!has(&s, "http://x.a.com"));
    assert!(!has(&s, "https://x.a.com:8443"));
    assert!(has(&s, "wss://x.a.com:8443"));
    assert!(!has(&s, "wss://x.a.com"));
    assert!(!has(&s, "https://a.com"));
    assert!(has(&s, "http://localhost:1"));
    assert!(!has(&s, "https://localhost:1"));
    assert!(has(&s, "https://localhost:8443"));
    assert!(has(&s, "http://[::1]:9"));
    assert!(has(&s, "http://127.0.0.1:9"));
    assert!(!has(&s, "http://127.0.0.2:9"));
    assert!(!has(&s, "http://x.localhost:1"));
}

#[test]
fn many_entries() {
    let mut list: Vec<String> = (0..1000)
        .map(|i| format!("https://s{i}.example.org"))
        .collect();
    list.extend((0..100).map(|i| format!("https://*.t{i}.example.net")));
    list.push("http://localhost:*".into());
    let s = OriginSet::new(list.iter().map(|p| OriginPattern::parse(p).unwrap()));
    assert_eq!(s.patterns().len(), 1101);
    assert!(has(&s, "https://s999.example.org"));
    assert!(!has(&s, "https://s1000.example.org"));
    assert!(!has(&s, "http://s999.example.org"));
    assert!(has(&s, "https://a.b.t42.example.net"));
    assert!(has(&s, "https://x.t99.example.net"));
    assert!(!has(&s, "https://t42.example.net"));
    assert!(!has(&s, "https://x.t100.example.net"));
    assert!(has(&s, "http://localhost:1234"));
    assert!(!has(&s, "http://[::1]:1234"));
    // Exact entries under a wildcard are absorbed.
    list.push("https://x.t7.example.net".into());
    let s = OriginSet::new(list.iter().map(|p| OriginPattern::parse(p).unwrap()));
    assert_eq!(s.patterns().len(), 1101);
}

#[test]
fn patterns_built_by_hand_are_safe() {
    // `Exact` is a public variant: a value that is not a valid origin matches nothing
    // (a valid request origin can never equal it) and covers nothing.
    let s = OriginSet::new([
        OriginPattern::Exact("not an origin".into()),
        OriginPattern::parse("https://*.a.com").unwrap(),
    ]);
    assert_eq!(kept(&s), ["not an origin", "https://*.a.com"]);
    assert!(has(&s, "https://b.a.com"));
}

#[test]
fn raw_matches_are_valid_origins() {
    let s = set(&[
        "https://*.example.com",
        "http://localhost:*",
        "https://*.a.com:*",
    ]);
    let long_label = format!("https://{}.example.com", "a".repeat(64));
    let ok_label = format!("https://{}.example.com", "a".repeat(63));
    let long_host = format!("https://{}example.com", "a.".repeat(121)); // 253 bytes
    let too_long_host = format!("https://{}example.com", "ab.".repeat(81)); // 254
    for (raw, want) in [
        ("https://x.example.com", true),
        ("https://x.y.example.com", true),
        ("https://x_y-z.example.com", true),
        ("https://example.com", false),
        ("https://.example.com", false),
        ("https://x..example.com", false),
        ("https://X.example.com", false),
        ("https://x.example.com:443", false),
        ("https://x.example.com:", false),
        ("https://x.example.com/", false),
        ("https://x y.example.com", false),
        ("http://localhost", true),
        ("http://localhost:3000", true),
        ("http://localhost:80", false),
        ("http://localhost:03000", false),
        ("http://localhost:65536", false),
        ("https://b.a.com:8443", true),
        ("https://b.a.com:443", false),
        (ok_label.as_str(), true),
        (long_label.as_str(), false),
        (long_host.as_str(), true),
        (too_long_host.as_str(), false),
    ] {
        assert_eq!(s.matches_pattern_raw(raw.as_bytes()), want, "{raw}");
        let parsed = Origin::from_bytes(raw.as_bytes());
        assert_eq!(parsed.is_some_and(|o| s.contains(&o)), want, "{raw}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The index gives the same answer as testing every pattern, before and after
    /// normalisation; normalisation leaves no duplicate and no covered entry.
    #[test]
    fn agrees_with_a_linear_scan(
        pats in proptest::collection::vec(strategies::pattern(), 0..12),
        origins in proptest::collection::vec(strategies::origin(), 1..24),
    ) {
        let parsed: Vec<OriginPattern> =
            pats.iter().map(|p| OriginPattern::parse(p).unwrap()).collect();
        let s = OriginSet::new(parsed.clone());
        for origin in &origins {
            let o = Origin::parse(origin).unwrap();
            let linear = parsed.iter().any(|p| p.matches(&o));
            prop_assert_eq!(s.contains(&o), linear, "{} in {:?}", origin, pats);
            // The raw-bytes path the decision takes agrees on valid origins.
            let raw = origin.as_bytes();
            prop_assert_eq!(
                s.allows_any() || s.exact_value(raw).is_some() || s.matches_pattern_raw(raw),
                linear,
                "raw {} in {:?}", origin, pats
            );
            prop_assert_eq!(s.patterns().iter().any(|p| p.matches(&o)), linear);
        }
        prop_assert_eq!(s.allows_any(), parsed.contains(&OriginPattern::Any));
        prop_assert_eq!(s.is_empty(), parsed.is_empty());
        let kept = s.patterns();
        for (i, a) in kept.iter().enumerate() {
            prop_assert!(parsed.contains(a));
            for (j, b) in kept.iter().enumerate() {
                prop_assert!(i == j || !a.covers(b), "{} covers {}", a, b);
            }
        }
        for p in &parsed {
            prop_assert!(kept.iter().any(|k| k.covers(p)), "nothing covers {}", p);
        }
        // Stable: the kept entries appear in the order first written.
        let positions: Vec<usize> = kept
            .iter()
            .map(|k| parsed.iter().position(|p| p == k).unwrap())
            .collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
        // Normalising again changes nothing.
        let again = OriginSet::new(kept.to_vec());
        prop_assert_eq!(again.patterns(), kept);
    }

    /// On values that are almost origins (a few bytes inserted somewhere), the raw-bytes
    /// match followed by validation accepts exactly the valid origins a pattern matches,
    /// and never panics.
    #[test]
    fn raw_match_then_validate_is_exact(
        pats in proptest::collection::vec(strategies::pattern(), 1..8),
        origin in strategies::origin(),
        at in any::<prop::sample::Index>(),
        insert in "[a-zA-Z0-9:./@_ \\[\\]*-]{0,3}",
    ) {
        let parsed: Vec<OriginPattern> =
            pats.iter().map(|p| OriginPattern::parse(p).unwrap()).collect();
        let s = OriginSet::new(parsed.clone());
        let at = at.index(origin.len() + 1);
        let raw = format!("{}{}{}", &origin[..at], insert, &origin[at..]);
        let valid = Origin::from_bytes(raw.as_bytes());
        // No validation here: a raw match must imply a valid origin by itself.
        let fast = s.allows_any()
            || s.exact_value(raw.as_bytes()).is_some()
            || s.matches_pattern_raw(raw.as_bytes());
        let reference = valid.is_some_and(|o| parsed.iter().any(|p| p.matches(&o)));
        prop_assert_eq!(fast, reference || s.allows_any(), "{} in {:?}", raw, pats);
    }
}
