//! The order in which Chrome holds a request's headers, which decides the one header its
//! console names when several are missing from `Access-Control-Allow-Headers`.
//!
//! Chrome names only the first header its network service finds not allowed, walking the
//! request's header list in its own order (not sorted, and not the order the page set them
//! in). That order comes from Blink, which keeps a request's headers in a hash map (WTF's
//! `HashMap` keyed case-insensitively) and hands them to the network service in the map's
//! iteration order. The facts, read in Chromium's sources and checked against Chromium 156
//! (156.0.8078.108, Debian): 2,505 generated requests, `fetch()` and `XMLHttpRequest`, every
//! one named as this model names it; the CLI's `header_order` test re-checks 48 header sets,
//! both APIs, in a real browser on every run:
//!
//! 1. **The hash.** A name's hash is rapidhash (its default seed and secrets) of the name
//!    case-folded (ASCII lower case for a token) and widened to UTF-16LE, two bytes per
//!    character — except a one-character name, whose 64-bit input word is just the folded
//!    character. Blink keeps the low 24 bits (a zero becomes `0x800000`).
//! 2. **The table.** Open addressing in a power-of-two table of at least 8 buckets. A name
//!    starts at `hash & (size - 1)`; on a collision the probe moves by 1, then 2, then 3, …
//!    buckets (wrapping). After an insertion, when twice the number of entries reaches the
//!    table size, the table doubles and its entries are reinserted in bucket order.
//!    Iteration is bucket order.
//! 3. **What goes in, in which order.** `fetch()`: the request's header list (the page's
//!    headers and the body's `Content-Type`), which Blink keeps sorted by lower-cased name, in
//!    that sorted order. `XMLHttpRequest`: the page's headers in `setRequestHeader` order and
//!    then the body's `Content-Type`, gathered in a map of their own and copied into the
//!    request's map entry by entry in that map's iteration order. Then, only when the request
//!    URL is potentially trustworthy (`https:`, or a loopback or `localhost` host), Chrome's
//!    default client hints `sec-ch-ua`, `sec-ch-ua-mobile`, `sec-ch-ua-platform`; then
//!    `User-Agent`. `Accept: */*` is added later by the network service, at the end, where it
//!    does not matter.
//! 4. **The check.** The network service walks that list and reports the first CORS-unsafe,
//!    non-forbidden name that `Access-Control-Allow-Headers` does not list.

use crate::normalize::NormalizedRequest;
use crate::request::Initiator;
use crate::url::Url;

/// rapidhash's default seed.
const SEED: u64 = 0xbdd8_9aa9_8270_4029;
/// rapidhash's default secrets.
const SECRET: [u64; 3] = [
    0x2d35_8dcc_aa6c_78a5,
    0x8bb8_4b93_962e_acc9,
    0x4b33_a62e_d433_d4a3,
];

/// The 128-bit product of `a` and `b`, as (low, high) halves.
fn mul128(a: u64, b: u64) -> (u64, u64) {
    let r = u128::from(a) * u128::from(b);
    (r as u64, (r >> 64) as u64)
}

fn mix(a: u64, b: u64) -> u64 {
    let (lo, hi) = mul128(a, b);
    lo ^ hi
}

fn read64(d: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&d[at..at + 8]);
    u64::from_le_bytes(w)
}

fn read32(d: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&d[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// rapidhash of `d` with the default seed and secrets; `small` replaces the input word of a
/// 1-to-3-byte input (Blink's case-folding reader gives the folded character there).
fn rapidhash(d: &[u8], small: Option<u64>) -> u64 {
    let len = d.len();
    let n = len as u64;
    let mut seed = SEED ^ mix(SEED ^ SECRET[0], SECRET[1]) ^ n;
    let (a, b) = if len <= 16 {
        if len >= 4 {
            let last = len - 4;
            let delta = (len & 24) >> (len >> 3);
            (
                (read32(d, 0) << 32) | read32(d, last),
                (read32(d, delta) << 32) | read32(d, last - delta),
            )
        } else if len > 0 {
            let word = small.unwrap_or_else(|| {
                (u64::from(d[0]) << 56) | (u64::from(d[len >> 1]) << 32) | u64::from(d[len - 1])
            });
            (word, 0)
        } else {
            (0, 0)
        }
    } else {
        let mut p = 0;
        let mut i = len;
        if i > 48 {
            let (mut see1, mut see2) = (seed, seed);
            while i >= 48 {
                seed = mix(read64(d, p) ^ SECRET[0], read64(d, p + 8) ^ seed);
                see1 = mix(read64(d, p + 16) ^ SECRET[1], read64(d, p + 24) ^ see1);
                see2 = mix(read64(d, p + 32) ^ SECRET[2], read64(d, p + 40) ^ see2);
                p += 48;
                i -= 48;
            }
            seed ^= see1 ^ see2;
        }
        if i > 16 {
            seed = mix(
                read64(d, p) ^ SECRET[2],
                read64(d, p + 8) ^ seed ^ SECRET[1],
            );
            if i > 32 {
                seed = mix(read64(d, p + 16) ^ SECRET[2], read64(d, p + 24) ^ seed);
            }
        }
        (read64(d, p + i - 16), read64(d, p + i - 8))
    };
    let (a, b) = mul128(a ^ SECRET[1], b ^ seed);
    mix(a ^ SECRET[0] ^ n, b ^ SECRET[1])
}

/// Blink's case-insensitive hash of a header name (a token, so ASCII): 24 bits, never 0.
pub(crate) fn name_hash(name: &str) -> u32 {
    let folded: Vec<u8> = name
        .bytes()
        .flat_map(|b| [b.to_ascii_lowercase(), 0])
        .collect();
    let small = (name.len() == 1).then(|| u64::from(name.as_bytes()[0].to_ascii_lowercase()));
    let h = (rapidhash(&folded, small) & 0x00ff_ffff) as u32;
    if h == 0 {
        0x0080_0000
    } else {
        h
    }
}

/// Blink's header map as far as order goes: names only, insertions only.
struct HeaderTable {
    buckets: Vec<Option<(String, u32)>>,
    len: usize,
}

impl HeaderTable {
    const MIN_SIZE: usize = 8;

    fn new() -> Self {
        HeaderTable {
            buckets: Vec::new(),
            len: 0,
        }
    }

    /// Puts `name` in its bucket (the table has room); false when an equal name is there.
    fn place(&mut self, name: &str, hash: u32) -> bool {
        let mask = self.buckets.len() - 1;
        let mut i = hash as usize & mask;
        let mut step = 0;
        while let Some((other, _)) = &self.buckets[i] {
            if other.eq_ignore_ascii_case(name) {
                return false;
            }
            step += 1;
            i = (i + step) & mask;
        }
        self.buckets[i] = Some((name.to_owned(), hash));
        self.len += 1;
        true
    }

    fn rehash(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.buckets, vec![None; size]);
        self.len = 0;
        for (name, hash) in old.into_iter().flatten() {
            self.place(&name, hash);
        }
    }

    fn insert(&mut self, name: &str) {
        if self.buckets.is_empty() {
            self.rehash(Self::MIN_SIZE);
        }
        if self.place(name, name_hash(name)) && self.len * 2 >= self.buckets.len() {
            let size = self.buckets.len() * 2;
            self.rehash(size);
        }
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.buckets.iter().flatten().map(|(n, _)| n.as_str())
    }
}

/// Is `url` potentially trustworthy, as Chrome decides whether to send its default client
/// hints: `https:`/`wss:`, or a host on loopback (`127.0.0.0/8`, `[::1]`, `localhost`,
/// `*.localhost`).
fn potentially_trustworthy(url: &Url) -> bool {
    if matches!(url.scheme(), "https" | "wss") {
        return true;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// The request's header names (lower case) in the order Chrome's network service holds
/// them, for `request` sent to `url` (see the module documentation).
pub(crate) fn chrome_header_order(request: &NormalizedRequest, url: &Url) -> Vec<String> {
    let mut table = HeaderTable::new();
    match request.initiator {
        Initiator::Fetch => {
            let mut names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_by_key(|n| n.to_ascii_lowercase());
            for name in names {
                table.insert(name);
            }
        }
        Initiator::XmlHttpRequest => {
            let mut own = HeaderTable::new();
            for (name, _) in &request.headers {
                own.insert(name);
            }
            for name in own.names() {
                table.insert(name);
            }
        }
    }
    if potentially_trustworthy(url) {
        for hint in ["sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform"] {
            table.insert(hint);
        }
    }
    table.insert("User-Agent");
    table.names().map(str::to_ascii_lowercase).collect()
}

/// `unsafe_names` (lower case) in Chrome's order for `request` to `url`: the first of them a
/// preflight does not allow is the one Chrome's console names.
pub(crate) fn in_chrome_order(
    unsafe_names: &[String],
    request: &NormalizedRequest,
    url: &Url,
) -> Vec<String> {
    let order = chrome_header_order(request, url);
    let mut out: Vec<String> = order
        .into_iter()
        .filter(|n| unsafe_names.contains(n))
        .collect();
    // Anything the model did not place (none expected) keeps its sorted place at the end.
    for n in unsafe_names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::normalize::normalize;
    use crate::request::{Body, CorsRequest};

    const PAGE: &str = "http://127.0.0.1:5500";
    const API: &str = "http://127.0.0.1:3000/data";

    fn order(req: &CorsRequest) -> Vec<String> {
        let (n, _) = normalize(req, Engine::Chrome).unwrap();
        let url = n.url.clone();
        chrome_header_order(&n, &url)
    }

    fn with(mut req: CorsRequest, names: &[&str]) -> CorsRequest {
        for n in names {
            req = req.header(*n, "1");
        }
        req
    }

    fn custom(order: &[String]) -> Vec<&str> {
        order
            .iter()
            .filter(|n| n.starts_with("x-"))
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn hashes_are_blinks() {
        // Values of Blink's CaseFoldingHash (rapidhash over case-folded UTF-16), which placed
        // every name where Chromium 156 had it.
        assert_eq!(name_hash("X-Zed"), 0x2c_8034);
        assert_eq!(name_hash("x-zed"), 0x2c_8034);
        assert_eq!(name_hash("X-Ace"), 0xe3_da89);
        assert_eq!(name_hash("X-Mid"), 0x9c_9831);
        assert_eq!(name_hash("Accept"), 0x59_2219);
        assert_eq!(name_hash("User-Agent"), 0xc2_1178);
        // Every length path: 1 character (the folded character as the word), 2-8 characters
        // (up to 16 bytes), 9-24 (up to 48 bytes), and longer (the 48-byte rounds).
        assert_eq!(name_hash("a"), 0x64_635e);
        assert_eq!(name_hash("A"), 0x64_635e);
        assert_eq!(name_hash("ab"), 0x6e_cb20);
        assert_eq!(name_hash("abcd"), 0x25_6490);
        assert_eq!(name_hash("x-abcdefgh"), 0xb3_e7e2);
        assert_eq!(name_hash("x-a-very-long-header-name-over-24"), 0x7a_bcc9);
    }

    #[test]
    fn three_missing_headers_name_x_mid_whatever_the_order_they_were_set_in() {
        let sets: [[&str; 3]; 6] = [
            ["X-Zed", "X-Ace", "X-Mid"],
            ["X-Zed", "X-Mid", "X-Ace"],
            ["X-Ace", "X-Zed", "X-Mid"],
            ["X-Ace", "X-Mid", "X-Zed"],
            ["X-Mid", "X-Zed", "X-Ace"],
            ["X-Mid", "X-Ace", "X-Zed"],
        ];
        for set in sets {
            for req in [CorsRequest::fetch(API, PAGE), CorsRequest::xhr(API, PAGE)] {
                let o = order(&with(req, &set));
                assert_eq!(custom(&o), ["x-mid", "x-zed", "x-ace"], "{set:?}");
            }
        }
    }

    #[test]
    fn fetch_and_xhr_can_name_different_headers() {
        // Seen in Chromium 156: fetch() inserts the sorted list, XHR its own map's order.
        let set = ["X-Kkv", "X-Hoz", "X-Fck", "X-Nuw", "X-Ddt"];
        let f = order(&with(CorsRequest::fetch(API, PAGE), &set));
        let x = order(&with(CorsRequest::xhr(API, PAGE), &set));
        assert_eq!(custom(&f), ["x-ddt", "x-kkv", "x-hoz", "x-fck", "x-nuw"]);
        assert_eq!(custom(&x), ["x-kkv", "x-ddt", "x-hoz", "x-fck", "x-nuw"]);
    }

    #[test]
    fn client_hints_and_user_agent_share_the_table() {
        let set = ["X-One", "X-Two", "X-Three", "X-Four", "X-Five"];
        assert_eq!(
            order(&with(CorsRequest::fetch(API, PAGE), &set)),
            [
                "sec-ch-ua-platform",
                "x-one",
                "sec-ch-ua",
                "sec-ch-ua-mobile",
                "x-four",
                "x-five",
                "x-two",
                "user-agent",
                "x-three"
            ]
        );
        // No client hints to a URL that is not potentially trustworthy.
        assert_eq!(
            order(&with(
                CorsRequest::xhr("http://api.example/data", PAGE),
                &set
            )),
            [
                "user-agent",
                "x-one",
                "x-three",
                "x-four",
                "x-two",
                "x-five"
            ]
        );
    }

    #[test]
    fn xhr_copies_its_own_map_and_the_body_type_goes_last() {
        // Two names in the same bucket swap places when XHR's map is copied (seen in
        // Chromium 156: x-cmihqq named, although x-bdapholb was set first).
        let set = [
            "X-Bdapholb",
            "X-Cmihqq",
            "X-Clqf",
            "X-Uzdu",
            "X-Gohfh",
            "X-Ejsg",
            "X-Hdbgt",
            "Accept-Language",
        ];
        let x = order(&with(CorsRequest::xhr(API, PAGE), &set));
        assert_eq!(x[0], "x-cmihqq");
        assert_eq!(x.last().map(String::as_str), Some("x-bdapholb"));
        let with_body =
            order(&with(CorsRequest::xhr(API, PAGE).method("POST"), &set).body(Body::Text));
        assert!(with_body.contains(&"content-type".to_owned()));
    }

    #[test]
    fn trustworthy_urls() {
        let t = |u: &str| potentially_trustworthy(&Url::parse(u).unwrap());
        assert!(t("http://127.0.0.1:3000/"));
        assert!(t("http://127.8.0.1/"));
        assert!(t("http://[::1]:3000/"));
        assert!(t("http://localhost:3000/"));
        assert!(t("http://api.localhost/"));
        assert!(t("https://api.example/"));
        assert!(!t("http://api.example/"));
        assert!(!t("http://10.0.0.1/"));
    }

    #[test]
    fn unsafe_names_in_chrome_order() {
        let req = with(CorsRequest::fetch(API, PAGE), &["X-Zed", "X-Ace", "X-Mid"]);
        let (n, _) = normalize(&req, Engine::Chrome).unwrap();
        let names: Vec<String> = ["x-ace", "x-mid", "x-zed"].map(String::from).to_vec();
        assert_eq!(
            in_chrome_order(&names, &n, &n.url),
            ["x-mid", "x-zed", "x-ace"]
        );
    }
}
