//! IP-address hosts: canonical IPv4/IPv6 forms, the URL standard's IPv4 parser and IPv6 serializer.

use std::net::Ipv6Addr;

/// Is this (non-empty) last host label a number to the URL parser, so that the whole host
/// is read as IPv4? Decimal digits, or `0x`/`0X` and hex digits (possibly none).
pub(super) fn is_ipv4_number(label: &[u8]) -> bool {
    match label {
        [] => false,
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        digits => digits.iter().all(u8::is_ascii_digit),
    }
}

/// A canonical dotted quad: four decimal numbers 0..=255 without leading zeros.
pub(super) fn canonical_ipv4(host: &[u8]) -> bool {
    let mut parts = 0;
    for part in host.split(|&c| c == b'.') {
        parts += 1;
        let ok = matches!(part.len(), 1..=3)
            && part.iter().all(u8::is_ascii_digit)
            && !(part.len() > 1 && part[0] == b'0')
            && part.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0')) <= 255;
        if !ok || parts > 4 {
            return false;
        }
    }
    parts == 4
}

/// Is the IPv6 literal between the brackets exactly the URL standard's serialization?
/// Compared in a stack buffer: no allocation.
pub(super) fn canonical_ipv6(inner: &str) -> bool {
    if inner.len() > 39
        || !inner
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'a'..=b'f' | b':'))
    {
        return false;
    }
    let Ok(addr) = inner.parse::<Ipv6Addr>() else {
        return false;
    };
    let mut buf = [0u8; 40];
    let n = write_ipv6(&addr, &mut buf);
    &buf[..n] == inner.as_bytes()
}

/// The URL standard's IPv6 serializer (without brackets), into `buf`; returns the length.
///
/// Lower-case hex without leading zeros; the first longest run of two or more zero pieces is
/// written `::`; never a dotted IPv4 tail (unlike `Ipv6Addr`'s `Display`, which prints
/// `::ffff:127.0.0.1`).
fn write_ipv6(addr: &Ipv6Addr, buf: &mut [u8; 40]) -> usize {
    let seg = addr.segments();
    // The first longest run of zero pieces, if at least two long.
    let (mut best_start, mut best_len) = (8, 1);
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && seg[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best_start, best_len) = (start, i - start);
        }
        i = i.max(start + 1);
    }
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            let sep: &[u8] = if i == 0 { b"::" } else { b":" };
            buf[n..n + sep.len()].copy_from_slice(sep);
            n += sep.len();
            i += best_len;
            continue;
        }
        let v = seg[i];
        let digits = (4 - v.leading_zeros() / 4).max(1);
        for k in (0..digits).rev() {
            buf[n] = b"0123456789abcdef"[usize::from((v >> (4 * k)) & 0xf)];
            n += 1;
        }
        if i < 7 {
            buf[n] = b':';
            n += 1;
        }
        i += 1;
    }
    n
}

/// The URL standard's IPv6 serialization of `addr`, without brackets.
pub(super) fn serialize_ipv6(addr: &Ipv6Addr) -> String {
    let mut buf = [0u8; 40];
    let n = write_ipv6(addr, &mut buf);
    buf[..n].iter().map(|&c| char::from(c)).collect()
}

/// The URL standard's IPv4 parser, for suggestions: `127.1`, `0x7f.0.0.1`, `0177.0.0.1` and
/// `2130706433` all mean 127.0.0.1 to a browser. `None` where a browser would refuse the
/// host. Does not allocate.
pub(super) fn whatwg_ipv4(host: &str) -> Option<[u8; 4]> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let mut nums = [0u64; 4];
    let mut count = 0;
    for part in host.split('.') {
        if count == 4 {
            return None;
        }
        let (digits, radix) =
            if let Some(h) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                (h, 16)
            } else if part.len() > 1 && part.starts_with('0') {
                (&part[1..], 8)
            } else if part.is_empty() {
                return None;
            } else {
                (part, 10)
            };
        nums[count] = if digits.is_empty() {
            0
        } else if digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            // Saturate: anything this long is out of range anyway.
            u64::from_str_radix(&digits[..digits.len().min(16)], radix).ok()?
                | u64::from(digits.len() > 16) << 63
        } else {
            return None;
        };
        count += 1;
    }
    let (init, last) = (&nums[..count - 1], nums[count - 1]);
    if init.iter().any(|&n| n > 255) || last >= 1u64 << (8 * (5 - count)) {
        return None;
    }
    let mut v = last;
    for (i, n) in init.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    u32::try_from(v).ok().map(u32::to_be_bytes)
}
