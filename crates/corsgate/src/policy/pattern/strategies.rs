//! Proptest strategies for origins and origin patterns, over a small alphabet.

use proptest::prelude::*;

fn scheme() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("https"), Just("http")]
}

fn domain() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![Just("a"), Just("b"), Just("c")], 1..=3)
        .prop_map(|labels| labels.join("."))
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => domain(),
        1 => Just("localhost".to_owned()),
        1 => Just("127.0.0.1".to_owned()),
        1 => Just("[::1]".to_owned()),
    ]
}

fn port() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(":3000"), Just(":8443")]
}

/// Valid origins over a small alphabet, so that patterns and origins often meet.
pub(crate) fn origin() -> impl Strategy<Value = String> {
    (scheme(), host(), port()).prop_map(|(s, h, p)| format!("{s}://{h}{p}"))
}

/// Valid patterns of every form over the same alphabet.
pub(crate) fn pattern() -> impl Strategy<Value = String> {
    let wildcard_port = prop_oneof![Just(""), Just(":3000"), Just(":*")];
    prop_oneof![
        1 => Just("*".to_owned()),
        4 => origin(),
        4 => (scheme(), domain(), wildcard_port)
            .prop_map(|(s, d, p)| format!("{s}://*.{d}{p}")),
        2 => (scheme(), host()).prop_map(|(s, h)| format!("{s}://{h}:*")),
    ]
}
