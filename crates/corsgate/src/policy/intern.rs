//! Build-time header values that cost nothing to clone, move or drop.
//!
//! Every response gets a few pre-rendered values. A `HeaderValue` built from a `String`
//! shares its buffer through a reference count, so each clone and each drop is an atomic
//! operation, several per request; and a decision holding a dozen owned values is a large
//! struct to move around. So rendered values are interned: each distinct string is leaked
//! once, process-wide, as a `&'static HeaderValue` made from a `&'static str`. A decision
//! holds that reference (8 bytes, no drop), and writing it into a response clones a static
//! value, which copies a pointer.
//!
//! The cost is memory that is never returned: one copy of each distinct header value ever
//! rendered (method lists, header lists, max-age digits, `Vary` lists, exact origins).
//! Policies come from the operator, not from requests, so this grows only with the number
//! of distinct policies a process builds, a few hundred bytes each at most.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use http::HeaderValue;

static INTERNED: OnceLock<Mutex<HashMap<&'static str, &'static HeaderValue>>> = OnceLock::new();

/// `*`.
pub(crate) static STAR: HeaderValue = HeaderValue::from_static("*");
/// `true`.
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");
/// An empty value: what an invalid string renders as (never reached from a validated policy).
static EMPTY: HeaderValue = HeaderValue::from_static("");

/// The interned header value for `s`, which the caller has validated (tokens joined by `, `,
/// digits, `*`, an origin); anything else renders as an empty value rather than panicking.
pub(crate) fn static_value(s: &str) -> &'static HeaderValue {
    if HeaderValue::from_str(s).is_err() {
        return &EMPTY;
    }
    let table = INTERNED.get_or_init(|| Mutex::new(HashMap::new()));
    // A panic elsewhere while holding the lock cannot leave the table inconsistent.
    let mut table = table
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&found) = table.get(s) {
        return found;
    }
    let text: &'static str = Box::leak(s.to_owned().into_boxed_str());
    let value: &'static HeaderValue = Box::leak(Box::new(HeaderValue::from_static(text)));
    table.insert(text, value);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_distinct_string() {
        let a = static_value(&String::from("GET, PUT"));
        let b = static_value(&String::from("GET, PUT"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "GET, PUT");
        assert_eq!(static_value("bad\nvalue"), "");
    }
}
