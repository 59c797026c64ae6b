//! Origin and origin-pattern parsing on arbitrary input: nothing panics, the request-side
//! and config-side parsers agree, parsed origins and patterns round-trip, every suggested
//! fix parses, and the indexed origin set agrees with matching pattern by pattern.
#![no_main]

use corsgate::fuzzing::{OriginSet, OriginPattern};
use corsgate::Origin;
use libfuzzer_sys::fuzz_target;

fn check_error_text(text: &str, message: &str, suggestion: Option<&str>) {
    assert!(
        !message.is_empty() && !message.contains('\n'),
        "{message:?}"
    );
    if let Some(fix) = suggestion {
        assert_ne!(fix, text, "suggested the input itself");
        assert!(
            OriginPattern::parse(fix).is_ok(),
            "suggested {fix:?} for {text:?} does not parse"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // Request side: never panics, and accepts only serialized origins.
    let from_header = Origin::from_bytes(data);
    if let Some(o) = &from_header {
        assert_eq!(o.as_str().as_bytes(), data);
    }

    // Config side, on the same text.
    let text = String::from_utf8_lossy(data);
    let parsed = Origin::parse(&text);
    match &parsed {
        Ok(o) => {
            assert_eq!(o.as_str(), text);
            assert_eq!(Origin::parse(o.as_str()).as_ref(), Ok(o));
            let port = o.port().map(|p| format!(":{p}")).unwrap_or_default();
            assert_eq!(format!("{}://{}{port}", o.scheme(), o.host()), text);
        }
        Err(e) => check_error_text(&text, &e.to_string(), e.suggestion()),
    }
    if std::str::from_utf8(data).is_ok() && data.len() <= 2048 {
        assert_eq!(from_header.as_ref(), parsed.as_ref().ok());
    }

    match OriginPattern::parse(&text) {
        Ok(p) => {
            assert_eq!(p.as_str(), text);
            assert_eq!(OriginPattern::parse(p.as_str()).as_ref(), Ok(&p));
            if let Ok(o) = &parsed {
                assert!(p.matches(o), "an exact pattern matches its own origin");
            }
        }
        Err(e) => check_error_text(&text, &e.to_string(), e.suggestion()),
    }

    // Space-separated patterns, a newline, space-separated origins: the set's index must
    // agree with testing the patterns one by one, before and after normalisation.
    if let Some((patterns, origins)) = text.split_once('\n') {
        let patterns: Vec<OriginPattern> = patterns
            .split(' ')
            .filter_map(|p| OriginPattern::parse(p).ok())
            .collect();
        let set = OriginSet::new(patterns.clone());
        for origin in origins.split(' ') {
            if let Ok(o) = Origin::parse(origin) {
                let linear = patterns.iter().any(|p| p.matches(&o));
                assert_eq!(set.contains(&o), linear, "{origin:?} in {patterns:?}");
                let normalised = set.patterns().iter().any(|p| p.matches(&o));
                assert_eq!(normalised, linear, "{origin:?} in {:?}", set.patterns());
            }
        }
    }
});
