//! Origin and origin-pattern parsing on arbitrary input: never panics, request-side and
//! config-side parsing agree, parsed origins round-trip, and every suggested fix parses.
#![no_main]

use corsgate::policy::pattern::OriginPattern;
use corsgate::Origin;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let from_header = Origin::from_bytes(data);
    let text = String::from_utf8_lossy(data);
    let parsed = Origin::parse(&text);
    if let Ok(o) = &parsed {
        assert_eq!(o.as_str(), text);
        assert_eq!(Origin::parse(o.as_str()).as_ref(), Ok(o));
    }
    if std::str::from_utf8(data).is_ok() && data.len() <= 2048 {
        assert_eq!(from_header.is_some(), parsed.is_ok());
    }
    if let Err(e) = &parsed {
        if let Some(fix) = e.suggestion() {
            assert!(
                OriginPattern::parse(fix).is_ok(),
                "suggested {fix:?} for {text:?} does not parse"
            );
        }
    }
    match OriginPattern::parse(&text) {
        Ok(p) => {
            assert_eq!(OriginPattern::parse(p.as_str()).as_ref(), Ok(&p));
            if let Ok(o) = &parsed {
                assert!(p.matches(o), "an exact pattern matches its own origin");
            }
        }
        Err(e) => {
            if let Some(fix) = e.suggestion() {
                assert!(OriginPattern::parse(fix).is_ok(), "suggested {fix:?} does not parse");
            }
        }
    }
});
