//! Build-time header values that cost nothing to clone.
//!
//! Every response clones a few pre-rendered values into its header map. A `HeaderValue`
//! built from a `String` shares its buffer through a reference count, so each clone and each
//! drop is an atomic operation, several per request. A value made from a `&'static str`
//! clones by copying a pointer. So rendered values are interned: each distinct string is
//! leaked once, process-wide, and every policy that renders it again (a reload, the demo's
//! policy editor) reuses it.
//!
//! The cost is memory that is never returned: one copy of each distinct header value ever
//! rendered (method lists, header lists, max-age digits, `Vary` lists). Policies come from
//! the operator, not from requests, so this grows only with the number of distinct policies
//! a process builds, a few hundred bytes each at most.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use http::HeaderValue;

static INTERNED: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();

/// The interned copy of `s`.
fn intern(s: &str) -> &'static str {
    let set = INTERNED.get_or_init(|| Mutex::new(HashSet::new()));
    // A panic elsewhere while holding the lock cannot leave the set inconsistent.
    let mut set = set.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&found) = set.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// A header value for `s`, which the caller has validated (tokens joined by `, `, digits,
/// `*`); anything else renders as an empty value rather than panicking.
pub(crate) fn static_value(s: &str) -> HeaderValue {
    if HeaderValue::from_str(s).is_err() {
        return HeaderValue::from_static("");
    }
    HeaderValue::from_static(intern(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_distinct_string() {
        let a = intern(&String::from("GET, PUT"));
        let b = intern(&String::from("GET, PUT"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(static_value("GET, PUT"), "GET, PUT");
        assert_eq!(static_value("bad\nvalue"), "");
    }
}
