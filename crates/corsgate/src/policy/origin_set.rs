//! The set of allowed origins, indexed so that a lookup costs about the same with one entry
//! or with thousands.
//!
//! - Exact origins live in a hash set: one probe.
//! - Subdomain wildcards (`https://*.example.com`) are indexed by their base domain. A lookup
//!   walks the request host's parent domains (`a.b.example.com` → `b.example.com` →
//!   `example.com` → `com`) and probes only those whose length is the length of some base,
//!   so usually one probe, instead of testing every pattern.
//! - Port wildcards on a fixed host (`http://localhost:*`) are indexed by that host.
//!
//! The few patterns found under a key are then checked for scheme and port. Nothing on the
//! lookup path allocates.
//!
//! The tables hash with a small multiply-fold hasher keyed per table from the standard
//! library's random source, several times faster than SipHash on short strings.
//! Hash flooding is not a concern here: the keys come from the config, and a request only
//! chooses what to look up, which costs at most the longest probe sequence the config made.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};

use http::HeaderValue;

use super::intern::static_value;
use super::origin::{validate, Origin};
use super::pattern::{is_proper_subdomain, OriginPattern, WildcardPattern};

/// Allowed origins, ready for fast matching.
///
/// ```
/// use corsgate::policy::origin_set::OriginSet;
/// use corsgate::policy::pattern::OriginPattern;
/// use corsgate::Origin;
///
/// let set = OriginSet::new(
///     ["https://app.example.com", "https://*.example.com", "http://localhost:*"]
///         .map(|p| OriginPattern::parse(p).unwrap()),
/// );
/// // `https://app.example.com` is covered by `https://*.example.com`, so it is dropped.
/// let kept: Vec<&str> = set.patterns().iter().map(|p| p.as_str()).collect();
/// assert_eq!(kept, ["https://*.example.com", "http://localhost:*"]);
/// assert!(set.contains(&Origin::parse("https://app.example.com").unwrap()));
/// assert!(set.contains(&Origin::parse("http://localhost:5173").unwrap()));
/// assert!(!set.contains(&Origin::parse("https://example.com").unwrap()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct OriginSet {
    any: bool,
    patterns: Vec<OriginPattern>,
    /// Each exact origin with its `Access-Control-Allow-Origin` value, interned: echoing it
    /// costs nothing, and the response does not hold on to the request's bytes (which would
    /// keep a server's whole read buffer alive and force it to allocate a new one).
    /// Keyed by bytes, so a request's `Origin` can be looked up before it is parsed.
    exact: HashMap<Box<[u8]>, HeaderValue, Keyed>,
    wildcards: WildcardIndex<WildcardPattern>,
}

impl OriginSet {
    /// Normalises and indexes `patterns`: duplicates are removed, `*` absorbs everything
    /// else, and entries that another entry covers are dropped; the rest keep the order they
    /// were first written in.
    pub fn new(patterns: impl IntoIterator<Item = OriginPattern>) -> Self {
        let all: Vec<OriginPattern> = patterns.into_iter().collect();
        if all.contains(&OriginPattern::Any) {
            return OriginSet {
                any: true,
                patterns: vec![OriginPattern::Any],
                ..OriginSet::default()
            };
        }
        // Duplicates: keep the first.
        let mut seen = HashSet::with_capacity(all.len());
        let mut keep: Vec<bool> = all.iter().map(|p| seen.insert(p)).collect();
        // Covered entries: found through an index of every distinct wildcard pattern, so
        // this costs a few probes per entry rather than a scan of all the wildcards.
        let mut index = WildcardIndex::default();
        for (i, p) in all.iter().enumerate() {
            if let (true, OriginPattern::Wildcard(w)) = (keep[i], p) {
                index.insert(w, i);
            }
        }
        let wildcard = |j: usize| match &all[j] {
            OriginPattern::Wildcard(w) => w,
            _ => unreachable!("only wildcard patterns are indexed"),
        };
        for (i, p) in all.iter().enumerate() {
            let covered = keep[i]
                && match p {
                    OriginPattern::Exact(e) => validate(e).is_ok_and(|origin| {
                        index.any_candidate(origin.host(), false, |&j| wildcard(j).matches(&origin))
                    }),
                    OriginPattern::Wildcard(w) => index.any_candidate(w.host(), true, |&j| {
                        // Distinct patterns never cover each other both ways, so dropping
                        // every covered one leaves one that covers it.
                        j != i && wildcard(j).covers(w)
                    }),
                    OriginPattern::Any => false,
                };
            if covered {
                keep[i] = false;
            }
        }
        let mut set = OriginSet::default();
        for (p, keep) in all.into_iter().zip(keep) {
            if !keep {
                continue;
            }
            match &p {
                OriginPattern::Exact(e) => {
                    set.exact
                        .insert(e.as_str().as_bytes().into(), static_value(e.as_str()));
                }
                OriginPattern::Wildcard(w) => set.wildcards.insert(w, w.clone()),
                OriginPattern::Any => {}
            }
            set.patterns.push(p);
        }
        set.exact.shrink_to_fit();
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

    /// Is `origin` allowed? No allocation: one hash probe for the exact origins, then one for
    /// a port wildcard on the host and, per parent domain of the host whose length is that of
    /// some wildcard base, one more.
    pub fn contains(&self, origin: &Origin<'_>) -> bool {
        self.any
            || self.exact_value(origin.as_str().as_bytes()).is_some()
            || self.matches_pattern(origin)
    }

    /// The pre-rendered value of the exact entry equal to `raw`, the bytes of an `Origin`
    /// header, before any parsing: an exact entry is a valid origin, so equal bytes are one
    /// too, and the common case skips the parser.
    #[inline]
    pub(crate) fn exact_value(&self, raw: &[u8]) -> Option<&HeaderValue> {
        if self.exact.is_empty() {
            return None;
        }
        self.exact.get(raw)
    }

    /// Whether anything but exact entries is in the set (`*` or a wildcard pattern): only
    /// then can an origin that is not an exact entry be allowed.
    #[inline]
    pub(crate) fn has_patterns(&self) -> bool {
        self.any || self.exact.len() < self.patterns.len()
    }

    /// Whether a wildcard pattern matches `origin` (exact entries aside).
    pub(crate) fn matches_pattern(&self, origin: &Origin<'_>) -> bool {
        self.wildcards.any_candidate(origin.host(), false, |w| {
            // The index only offers patterns whose host part matches.
            debug_assert_eq!(w.matches_scheme_and_port(origin), w.matches(origin));
            w.matches_scheme_and_port(origin)
        })
    }

    /// The normalised patterns, in the order first written: duplicates removed, `*`
    /// absorbing everything, entries covered by another entry dropped.
    pub fn patterns(&self) -> &[OriginPattern] {
        &self.patterns
    }
}

/// Wildcard patterns (or their positions, while building) by host.
#[derive(Clone, Debug)]
struct WildcardIndex<T> {
    /// Port wildcards (`http://localhost:*`), by their exact host.
    by_host: HashMap<Box<str>, Box<[T]>, Keyed>,
    /// Subdomain wildcards (`https://*.example.com`), by their base domain.
    by_base: HashMap<Box<str>, Box<[T]>, Keyed>,
    host_lens: LenSet,
    base_lens: LenSet,
}

impl<T> Default for WildcardIndex<T> {
    fn default() -> Self {
        WildcardIndex {
            by_host: HashMap::default(),
            by_base: HashMap::default(),
            host_lens: LenSet::default(),
            base_lens: LenSet::default(),
        }
    }
}

impl<T> WildcardIndex<T> {
    fn insert(&mut self, w: &WildcardPattern, value: T) {
        let (map, lens) = if w.subdomains() {
            (&mut self.by_base, &mut self.base_lens)
        } else {
            (&mut self.by_host, &mut self.host_lens)
        };
        lens.insert(w.host().len());
        let entry = map.entry(w.host().into()).or_default();
        let mut values = std::mem::take(entry).into_vec();
        values.push(value);
        *entry = values.into_boxed_slice();
    }

    /// Calls `f` on the entries that may match an origin on `host` (port wildcards on `host`
    /// itself, subdomain wildcards on one of its parent domains, and with `same_base` also
    /// subdomain wildcards on `host` itself), until it returns true.
    #[inline]
    fn any_candidate(&self, host: &str, same_base: bool, mut f: impl FnMut(&T) -> bool) -> bool {
        if self.host_lens.contains(host.len()) {
            if let Some(values) = self.by_host.get(host) {
                if values.iter().any(&mut f) {
                    return true;
                }
            }
        }
        if self.by_base.is_empty() || host.starts_with('[') {
            return false;
        }
        let mut probe = |base: &str| {
            self.base_lens.contains(base.len())
                && self
                    .by_base
                    .get(base)
                    .is_some_and(|values| values.iter().any(&mut f))
        };
        if same_base && probe(host) {
            return true;
        }
        host.bytes().enumerate().any(|(i, c)| {
            c == b'.' && {
                let base = &host[i + 1..];
                debug_assert!(is_proper_subdomain(host, base));
                probe(base)
            }
        })
    }
}

/// Builds [`FoldHasher`]s with a random key, drawn once per table.
#[derive(Clone, Debug)]
struct Keyed(u64);

impl Default for Keyed {
    fn default() -> Self {
        Keyed(RandomState::new().hash_one(0x636f_7273_6761_7465_u64))
    }
}

impl BuildHasher for Keyed {
    type Hasher = FoldHasher;

    #[inline]
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher(self.0)
    }
}

/// Multiply-fold hashing, eight bytes at a time: fast for the short strings hashed here.
struct FoldHasher(u64);

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The high and low halves of the full 128-bit product, folded together.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        let mut h = self.0 ^ (len as u64);
        let word = if len >= 8 {
            let mut i = 0;
            while i + 8 < len {
                h = fold(h ^ read8(bytes, i), K1);
                i += 8;
            }
            read8(bytes, len - 8) // the last eight bytes, overlapping the previous word
        } else if len >= 4 {
            (read4(bytes, 0) << 32) | read4(bytes, len - 4)
        } else if len > 0 {
            u64::from(bytes[0]) << 16 | u64::from(bytes[len / 2]) << 8 | u64::from(bytes[len - 1])
        } else {
            0
        };
        self.0 = fold(h ^ word, K2);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = fold(self.0 ^ u64::from(i), K1);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold(self.0, K2)
    }
}

#[inline]
fn read8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline]
fn read4(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// A set of lengths below 256 (hosts are at most 253 bytes), to skip hash probes for parent
/// domains no key could equal.
#[derive(Clone, Copy, Debug, Default)]
struct LenSet([u64; 4]);

impl LenSet {
    fn insert(&mut self, n: usize) {
        if n < 256 {
            self.0[n / 64] |= 1 << (n % 64);
        }
    }

    #[inline]
    fn contains(&self, n: usize) -> bool {
        n < 256 && self.0[n / 64] & (1 << (n % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::pattern::strategies;
    use proptest::prelude::*;

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
    }
}
