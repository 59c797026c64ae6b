//! The set of allowed origins, indexed so that one lookup costs the same with 1 entry or
//! with thousands.
//!
//! Exact origins live in a hash set. Subdomain patterns are indexed by their base domain:
//! a lookup walks the request host's parent domains (`a.b.example.com` → `b.example.com` →
//! `example.com` → `com`), one hash probe each, instead of testing every pattern. Port
//! wildcards on a fixed host are indexed by that host.

use std::collections::{HashMap, HashSet};

use super::origin::Origin;
use super::pattern::{OriginPattern, WildcardPattern};

/// Allowed origins, ready for fast matching.
#[derive(Clone, Debug, Default)]
pub struct OriginSet {
    any: bool,
    exact: HashSet<Box<str>>,
    by_base: HashMap<Box<str>, Vec<WildcardPattern>>,
    by_host: HashMap<Box<str>, Vec<WildcardPattern>>,
    patterns: Vec<OriginPattern>,
}

impl OriginSet {
    /// Indexes `patterns`, dropping duplicates and entries another entry covers.
    pub fn new(patterns: impl IntoIterator<Item = OriginPattern>) -> Self {
        let mut set = OriginSet::default();
        let mut wildcards: Vec<WildcardPattern> = Vec::new();
        let mut order: Vec<OriginPattern> = Vec::new();
        for p in patterns {
            match &p {
                OriginPattern::Any => set.any = true,
                OriginPattern::Exact(e) => {
                    if set.exact.insert(e.as_str().into()) {
                        order.push(p);
                    }
                }
                OriginPattern::Wildcard(w) => {
                    if !wildcards.contains(w) {
                        wildcards.push(w.clone());
                        order.push(p);
                    }
                }
            }
        }
        if set.any {
            set.exact.clear();
            set.patterns = vec![OriginPattern::Any];
            return set;
        }
        // Drop entries covered by a different wildcard pattern.
        let covered = |p: &OriginPattern| {
            wildcards.iter().any(|w| {
                let wp = OriginPattern::Wildcard(w.clone());
                &wp != p && wp.covers(p)
            })
        };
        set.patterns = order.into_iter().filter(|p| !covered(p)).collect();
        set.exact.retain(|e| {
            set.patterns
                .iter()
                .any(|p| matches!(p, OriginPattern::Exact(x) if **x == **e))
        });
        for p in &set.patterns {
            if let OriginPattern::Wildcard(w) = p {
                let index = if w.subdomains() {
                    &mut set.by_base
                } else {
                    &mut set.by_host
                };
                index.entry(w.host().into()).or_default().push(w.clone());
            }
        }
        set
    }

    /// Whether `*` is in the set.
    pub fn allows_any(&self) -> bool {
        self.any
    }

    /// Whether nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Is `origin` allowed? No allocation; a handful of hash probes at most.
    pub fn contains(&self, origin: &Origin<'_>) -> bool {
        if self.any || self.exact.contains(origin.as_str()) {
            return true;
        }
        let host = origin.host();
        if let Some(ws) = self.by_host.get(host) {
            if ws.iter().any(|w| w.matches(origin)) {
                return true;
            }
        }
        if self.by_base.is_empty() || host.starts_with('[') {
            return false;
        }
        let mut rest = host;
        while let Some(dot) = rest.find('.') {
            rest = &rest[dot + 1..];
            if let Some(ws) = self.by_base.get(rest) {
                if ws.iter().any(|w| w.matches(origin)) {
                    return true;
                }
            }
        }
        false
    }

    /// The normalised patterns, in the order first written: duplicates removed, `*`
    /// absorbing everything, entries covered by a wildcard pattern dropped.
    pub fn patterns(&self) -> &[OriginPattern] {
        &self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(list: &[&str]) -> OriginSet {
        OriginSet::new(list.iter().map(|s| OriginPattern::parse(s).unwrap()))
    }

    fn has(s: &OriginSet, o: &str) -> bool {
        s.contains(&Origin::parse(o).unwrap())
    }

    #[test]
    fn normalises() {
        let s = set(&[
            "https://a.com",
            "https://a.com",
            "https://x.example.com",
            "https://*.example.com",
            "https://*.foo.example.com",
        ]);
        let names: Vec<&str> = s.patterns().iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["https://a.com", "https://*.example.com"]);
        assert!(has(&s, "https://x.example.com"));
        assert!(has(&s, "https://a.foo.example.com"));
        let s = set(&["https://a.com", "*"]);
        assert_eq!(s.patterns(), [OriginPattern::Any]);
        assert!(s.allows_any());
    }

    #[test]
    fn many_entries() {
        let mut list: Vec<String> = (0..1000)
            .map(|i| format!("https://s{i}.example.org"))
            .collect();
        list.extend((0..100).map(|i| format!("https://*.t{i}.example.net")));
        list.push("http://localhost:*".into());
        let s = OriginSet::new(list.iter().map(|p| OriginPattern::parse(p).unwrap()));
        assert!(has(&s, "https://s999.example.org"));
        assert!(!has(&s, "https://s1000.example.org"));
        assert!(has(&s, "https://a.b.t42.example.net"));
        assert!(!has(&s, "https://t42.example.net"));
        assert!(has(&s, "http://localhost:1234"));
        assert!(!has(&s, "http://[::1]:1234"));
    }

    const PATTERNS: &[&str] = &[
        "https://a.com",
        "https://*.a.com",
        "https://*.b.a.com:*",
        "http://localhost:*",
        "http://localhost:3000",
        "https://*.com",
        "http://[::1]:*",
        "https://b.a.com:8443",
    ];
    const ORIGINS: &[&str] = &[
        "https://a.com",
        "https://b.a.com",
        "https://c.b.a.com:1",
        "https://b.a.com:8443",
        "http://localhost",
        "http://localhost:3000",
        "https://z.com",
        "http://[::1]:9",
        "https://com",
        "http://a.com",
    ];

    proptest! {
        #[test]
        fn agrees_with_a_linear_scan(
            pats in proptest::sample::subsequence(PATTERNS, 0..=PATTERNS.len()),
            origin in proptest::sample::select(ORIGINS),
        ) {
            let parsed: Vec<OriginPattern> = pats.iter().map(|p| OriginPattern::parse(p).unwrap()).collect();
            let s = OriginSet::new(parsed.clone());
            let o = Origin::parse(origin).unwrap();
            prop_assert_eq!(s.contains(&o), parsed.iter().any(|p| p.matches(&o)));
        }
    }
}
