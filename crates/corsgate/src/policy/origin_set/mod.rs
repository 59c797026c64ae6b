//! The set of allowed origins, indexed: a lookup costs about the same with one entry or thousands.
//!
//! - Exact origins live in a hash set: one probe.
//! - Subdomain wildcards (`https://*.example.com`) are indexed by their base domain. A lookup
//!   tries, for each distinct base length, the request host's suffix of that length, and
//!   probes it only when a dot comes before it (`a.b.example.com` with a base of 11 bytes:
//!   `example.com`): usually one probe, however many patterns and however long the host.
//! - Port wildcards on a fixed host (`http://localhost:*`) are indexed by that host.
//!
//! The few patterns found under a key are then checked for scheme and port. Nothing on the
//! lookup path allocates, and a request's `Origin` is matched on its raw bytes before it is
//! parsed: only an origin that matches is validated (see `Policy::allow_origin_for`).
//!
//! The tables are `BytesTable`s (in `bytes.rs`): keyed by bytes, hashed and compared inline.

use std::collections::HashSet;

use http::HeaderValue;

use super::bytes::{same_bytes, BytesTable};
#[cfg(any(test, fuzzing))]
use super::origin::Origin;
use super::origin::{default_port, labels_len, split_unchecked, validate};
use super::pattern::{OriginPattern, WildcardPattern};
use super::value::owned_value;

/// Up to this many exact origins are compared one by one rather than looked up by hash.
const FEW: usize = 4;

/// Allowed origins, ready for fast matching.
#[derive(Clone, Debug, Default)]
pub struct OriginSet {
    any: bool,
    patterns: Vec<OriginPattern>,
    /// Each exact origin with its `Access-Control-Allow-Origin` value, rendered once: echoing
    /// it costs a reference count, and the response does not hold on to the request's bytes (which would
    /// keep a server's whole read buffer alive and force it to allocate a new one).
    /// Keyed by bytes, so a request's `Origin` can be looked up before it is parsed.
    exact: BytesTable<HeaderValue>,
    /// The same values when there are at most [`FEW`] of them: comparing each costs less
    /// than hashing the request's origin.
    exact_few: Box<[HeaderValue]>,
    /// The lengths of the exact entries shorter than 256 bytes, and the longest: most
    /// origins that are not listed are refused without being hashed.
    exact_lens: LenSet,
    exact_max_len: usize,
    wildcards: WildcardIndex<WildcardPattern>,
    /// The longest scheme of a wildcard pattern: a longer one cannot match.
    wildcard_max_scheme_len: usize,
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
                        index.any_candidate(origin.host().as_bytes(), false, |&j, _| {
                            wildcard(j).matches(&origin)
                        })
                    }),
                    OriginPattern::Wildcard(w) => {
                        index.any_candidate(w.host().as_bytes(), true, |&j, _| {
                            // Distinct patterns never cover each other both ways, so dropping
                            // every covered one leaves one that covers it.
                            j != i && wildcard(j).covers(w)
                        })
                    }
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
                    let bytes = e.as_str().as_bytes();
                    set.exact_lens.insert(bytes.len());
                    set.exact_max_len = set.exact_max_len.max(bytes.len());
                    set.exact.insert(bytes, owned_value(e.as_str()));
                }
                OriginPattern::Wildcard(w) => {
                    set.wildcard_max_scheme_len = set.wildcard_max_scheme_len.max(w.scheme().len());
                    set.wildcards.insert(w, w.clone());
                }
                OriginPattern::Any => {}
            }
            set.patterns.push(p);
        }
        set.exact.shrink_to_fit();
        if set.exact.len() <= FEW {
            set.exact_few = set
                .patterns
                .iter()
                .filter_map(|p| match p {
                    OriginPattern::Exact(e) => set.exact.get(e.as_str().as_bytes()).cloned(),
                    _ => None,
                })
                .collect();
        }
        set
    }

    /// Whether nothing is allowed.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `*` is in the set.
    pub(crate) fn allows_any(&self) -> bool {
        self.any
    }

    /// Is `origin` allowed? No allocation: one hash probe for the exact origins, then one for
    /// a port wildcard on the host and, per parent domain of the host whose length is that of
    /// some wildcard base, one more. (The decision inlines these steps; this whole-origin
    /// form is for tests and the fuzz targets.)
    #[cfg(any(test, fuzzing))]
    pub fn contains(&self, origin: &Origin<'_>) -> bool {
        self.any
            || self.exact_value(origin.as_str().as_bytes()).is_some()
            || self.matches_pattern(
                origin.scheme().as_bytes(),
                origin.host().as_bytes(),
                origin.port(),
            )
    }

    /// The pre-rendered value of the exact entry equal to `raw`, the bytes of an `Origin`
    /// header, before any parsing: an exact entry is a valid origin, so equal bytes are one
    /// too, and the common case skips the parser.
    #[inline]
    pub(crate) fn exact_value(&self, raw: &[u8]) -> Option<&HeaderValue> {
        let len = raw.len();
        if len > self.exact_max_len || (len < 256 && !self.exact_lens.contains(len)) {
            return None;
        }
        if !self.exact_few.is_empty() {
            return self
                .exact_few
                .iter()
                .find(|v| same_bytes(v.as_bytes(), raw));
        }
        self.exact.get(raw)
    }

    /// Whether anything but exact entries is in the set (`*` or a wildcard pattern): only
    /// then can an origin that is not an exact entry be allowed.
    #[inline]
    pub(crate) fn has_patterns(&self) -> bool {
        self.any || self.exact.len() < self.patterns.len()
    }

    /// Whether a wildcard pattern matches the origin with these parts (exact entries aside).
    pub(crate) fn matches_pattern(&self, scheme: &[u8], host: &[u8], port: Option<u16>) -> bool {
        // The index only offers patterns whose host part matches.
        self.wildcards
            .any_candidate(host, false, |w, _| w.matches_scheme_and_port(scheme, port))
    }

    /// Whether `raw`, the bytes of an `Origin` header, is a valid origin that a wildcard
    /// pattern matches: the same answer as parsing it and asking [`matches_pattern`], but
    /// most values are refused without being validated, and a match validates only what the
    /// pattern did not fix.
    ///
    /// A matching pattern fixes the scheme, the port (or, for `:*`, leaves a port that
    /// `split_unchecked` has read as browsers write ports) and the host or its base domain,
    /// all valid. What is left: the labels in front of the base (`app.` of
    /// `app.example.com` under `*.example.com`), the length of the whole host, and that a
    /// `:*` port is not the scheme's default (which browsers omit). The base of a subdomain
    /// pattern never ends in a number, so the host is never read as an IPv4 address.
    ///
    /// [`matches_pattern`]: OriginSet::matches_pattern
    #[inline]
    pub(crate) fn matches_pattern_raw(&self, raw: &[u8]) -> bool {
        if raw.len() > 2048 {
            return false; // Origin::from_bytes refuses these too
        }
        let Some((scheme, host, port)) = split_unchecked(raw, self.wildcard_max_scheme_len) else {
            return false;
        };
        if host.len() > 253 || (port.is_some() && port == default_port(scheme)) {
            return false;
        }
        self.wildcards.any_candidate(host, false, |w, prefix| {
            w.matches_scheme_and_port(scheme, port)
                && (prefix.is_empty() || labels_len(prefix) == Some(prefix.len()))
        })
    }

    /// The normalised patterns, in the order first written: duplicates removed, `*`
    /// absorbing everything, entries covered by another entry dropped.
    #[cfg(any(test, fuzzing))]
    pub fn patterns(&self) -> &[OriginPattern] {
        &self.patterns
    }
}

/// Wildcard patterns (or their positions, while building) by host.
#[derive(Clone, Debug)]
struct WildcardIndex<T> {
    /// Port wildcards (`http://localhost:*`), by their exact host.
    by_host: BytesTable<Box<[T]>>,
    /// Subdomain wildcards (`https://*.example.com`), by their base domain.
    by_base: BytesTable<Box<[T]>>,
    host_lens: LenSet,
    /// The distinct lengths of the bases, shortest first.
    base_lens: Box<[usize]>,
}

impl<T> Default for WildcardIndex<T> {
    fn default() -> Self {
        WildcardIndex {
            by_host: BytesTable::default(),
            by_base: BytesTable::default(),
            host_lens: LenSet::default(),
            base_lens: Box::default(),
        }
    }
}

impl<T> WildcardIndex<T> {
    fn insert(&mut self, w: &WildcardPattern, value: T) {
        let len = w.host().len();
        let map = if w.subdomains() {
            if let Err(at) = self.base_lens.binary_search(&len) {
                let mut lens = std::mem::take(&mut self.base_lens).into_vec();
                lens.insert(at, len);
                self.base_lens = lens.into_boxed_slice();
            }
            &mut self.by_base
        } else {
            self.host_lens.insert(len);
            &mut self.by_host
        };
        let entry = map.get_or_insert_with(w.host().as_bytes(), Box::default);
        let mut values = std::mem::take(entry).into_vec();
        values.push(value);
        *entry = values.into_boxed_slice();
    }

    /// Calls `f` on the entries that may match an origin on `host` (port wildcards on `host`
    /// itself, subdomain wildcards on one of its parent domains, and with `same_base` also
    /// subdomain wildcards on `host` itself), until it returns true. `f` also gets the part
    /// of `host` before the base's dot (empty for port wildcards and `same_base`).
    ///
    /// `host` need not be valid (a request's, before parsing): the work is bounded by the
    /// number of distinct key lengths, not by the length of `host`.
    #[inline]
    fn any_candidate(
        &self,
        host: &[u8],
        same_base: bool,
        mut f: impl FnMut(&T, &[u8]) -> bool,
    ) -> bool {
        if self.host_lens.contains(host.len()) {
            if let Some(values) = self.by_host.get(host) {
                if values.iter().any(|v| f(v, &[])) {
                    return true;
                }
            }
        }
        if self.by_base.is_empty() || host.first() == Some(&b'[') {
            return false;
        }
        let mut probe = |base: &[u8], prefix: &[u8]| {
            self.by_base
                .get(base)
                .is_some_and(|values| values.iter().any(|v| f(v, prefix)))
        };
        if same_base && self.base_lens.binary_search(&host.len()).is_ok() && probe(host, &[]) {
            return true;
        }
        // A proper parent domain: a suffix of a base's length, after a dot that is not the
        // first byte (at least one label before it). Shortest bases first.
        self.base_lens
            .iter()
            .take_while(|&&len| len + 1 < host.len())
            .any(|&len| {
                let dot = host.len() - len - 1;
                host[dot] == b'.' && { probe(&host[dot + 1..], &host[..dot]) }
            })
    }
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
mod tests;
