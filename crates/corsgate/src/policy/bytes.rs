//! Short byte strings on the request path: comparing them, and a hash table keyed by them.
//!
//! The table holds origins and hosts from the config, looked up with bytes from a request.
//! It hashes eight bytes at a time with a multiply-fold, keyed per table from the standard
//! library's random source: several times faster than SipHash on strings this short. Hash
//! flooding is not a concern: the keys come from the config, and a request only chooses
//! what to look up, which costs at most the longest probe sequence the config made. Keys
//! are compared inline, eight bytes at a time, since a `memcmp` call costs more than the
//! comparison itself at these lengths.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use hashbrown::HashTable;

#[inline]
fn word(s: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline]
fn half_word(s: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&s[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// Whether `a` and `b` are the same bytes.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes, overlapping the previous word.
    word(a, n - 8) == word(b, n - 8)
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The high and low halves of the full 128-bit product, folded together.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

/// Hashes `bytes` with `seed`.
#[inline]
fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let mut h = seed ^ (len as u64);
    let last = if len >= 8 {
        let mut i = 0;
        while i + 8 < len {
            h = fold(h ^ word(bytes, i), K1);
            i += 8;
        }
        word(bytes, len - 8)
    } else if len >= 4 {
        (half_word(bytes, 0) << 32) | half_word(bytes, len - 4)
    } else if len > 0 {
        u64::from(bytes[0]) << 16 | u64::from(bytes[len / 2]) << 8 | u64::from(bytes[len - 1])
    } else {
        0
    };
    fold(fold(h ^ last, K2), K1)
}

/// A map from byte strings to `V`.
#[derive(Clone, Debug)]
pub(crate) struct BytesTable<V> {
    seed: u64,
    table: HashTable<(Box<[u8]>, V)>,
}

impl<V> Default for BytesTable<V> {
    fn default() -> Self {
        BytesTable {
            seed: RandomState::new().hash_one(0x636f_7273_6761_7465_u64),
            table: HashTable::new(),
        }
    }
}

impl<V> BytesTable<V> {
    /// The value for `key`.
    #[inline]
    pub(crate) fn get(&self, key: &[u8]) -> Option<&V> {
        if self.table.is_empty() {
            return None;
        }
        self.table
            .find(hash(self.seed, key), |(k, _)| same_bytes(k, key))
            .map(|(_, v)| v)
    }

    /// The value for `key`, inserting `make()` first if there is none.
    pub(crate) fn get_or_insert_with(&mut self, key: &[u8], make: impl FnOnce() -> V) -> &mut V {
        let seed = self.seed;
        let (_, v) = self
            .table
            .entry(
                hash(seed, key),
                |(k, _)| same_bytes(k, key),
                |(k, _)| hash(seed, k),
            )
            .or_insert_with(|| (key.into(), make()))
            .into_mut();
        v
    }

    /// Sets the value for `key`.
    pub(crate) fn insert(&mut self, key: &[u8], value: V) {
        let mut value = Some(value);
        let slot = self.get_or_insert_with(key, || value.take().expect("taken once"));
        if let Some(v) = value {
            *slot = v;
        }
    }

    /// How many keys there are.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether there are no keys.
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Drops spare capacity (tables are built once, then only read).
    pub(crate) fn shrink_to_fit(&mut self) {
        let seed = self.seed;
        self.table.shrink_to_fit(|(k, _)| hash(seed, k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_compares_every_byte() {
        for n in 0..40 {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()));
            for k in 0..n {
                let mut b = a.clone();
                b[k] = b'-';
                assert!(!same_bytes(&a, &b), "{n} {k}");
            }
            if n > 0 {
                assert!(!same_bytes(&a, &a[..n - 1]));
            }
        }
    }

    #[test]
    fn table_finds_what_was_inserted_and_nothing_else() {
        let mut t: BytesTable<usize> = BytesTable::default();
        let keys: Vec<String> = (0..500)
            .map(|i| format!("https://site{i}.example.org"))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            t.insert(k.as_bytes(), i + 1);
            t.insert(k.as_bytes(), i);
        }
        *t.get_or_insert_with(b"", || 1) += 9998;
        t.shrink_to_fit();
        assert_eq!(t.len(), 501);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(t.get(k.as_bytes()), Some(&i));
            assert_eq!(t.get(&k.as_bytes()[..k.len() - 1]), None);
        }
        assert_eq!(t.get(b""), Some(&9999));
        for short in [&b"a"[..], b"ab", b"abc", b"abcd", b"abcdefg"] {
            assert_eq!(t.get(short), None);
        }
    }
}
