//! Which process listens on a port the demo could not bind, when Linux's `/proc` can tell.

use std::net::SocketAddr;

/// The process listening on `addr` (or on the unspecified address at its port, which holds
/// it too), as `process <pid> (<name>)`: the socket's inode from `/proc/net/tcp` and
/// `/proc/net/tcp6`, then the process whose `/proc/<pid>/fd` holds that socket. `None` when
/// it cannot be known: not Linux, or another user's process (its descriptors are not ours to
/// read).
pub(super) fn holder(addr: SocketAddr) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        linux::holder(addr)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = addr;
        None
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::fs;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

    use super::super::printable::printable;

    /// `st` of a listening socket in `/proc/net/tcp*` (`TCP_LISTEN`).
    const LISTEN: &str = "0A";

    pub(super) fn holder(addr: SocketAddr) -> Option<String> {
        let inodes = listening_inodes(addr);
        if inodes.is_empty() {
            return None;
        }
        for entry in fs::read_dir("/proc").ok()?.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            // Another user's process: its descriptors cannot be read; go on.
            let Ok(fds) = fs::read_dir(entry.path().join("fd")) else {
                continue;
            };
            for fd in fds.flatten() {
                let Ok(target) = fs::read_link(fd.path()) else {
                    continue;
                };
                let target = target.to_string_lossy();
                let Some(inode) = target
                    .strip_prefix("socket:[")
                    .and_then(|rest| rest.strip_suffix(']'))
                else {
                    continue;
                };
                if inodes.iter().any(|i| i == inode) {
                    let comm = fs::read(entry.path().join("comm")).unwrap_or_default();
                    let comm = printable(comm.trim_ascii_end());
                    return Some(format!("process {pid} ({comm})"));
                }
            }
        }
        None
    }

    /// The inodes of the listening sockets that hold `addr`'s port for `addr`.
    fn listening_inodes(addr: SocketAddr) -> Vec<String> {
        let mut inodes = Vec::new();
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let Ok(text) = fs::read_to_string(table) else {
                continue;
            };
            for line in text.lines().skip(1) {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let (Some(local), Some(state), Some(inode)) =
                    (fields.get(1), fields.get(3), fields.get(9))
                else {
                    continue;
                };
                if *state != LISTEN {
                    continue;
                }
                let Some((ip, port)) = parse_local(local) else {
                    continue;
                };
                if port == addr.port() && (ip == addr.ip() || ip.is_unspecified()) {
                    inodes.push((*inode).to_owned());
                }
            }
        }
        inodes
    }

    /// `0100007F:0BB8` (or 32 hex digits for IPv6): the address as the kernel prints it, the
    /// network-order bytes read as native 32-bit words; the port in hex.
    fn parse_local(field: &str) -> Option<(IpAddr, u16)> {
        let (ip, port) = field.split_once(':')?;
        let port = u16::from_str_radix(port, 16).ok()?;
        let word = |hex: &str| u32::from_str_radix(hex, 16).ok().map(u32::to_ne_bytes);
        let ip = match ip.len() {
            8 => IpAddr::V4(Ipv4Addr::from(word(ip)?)),
            32 => {
                let mut bytes = [0u8; 16];
                for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                    chunk.copy_from_slice(&word(ip.get(i * 8..i * 8 + 8)?)?);
                }
                let v6 = Ipv6Addr::from(bytes);
                // A v4-mapped listener (`::ffff:127.0.0.1`) holds the IPv4 address.
                match v6.to_ipv4_mapped() {
                    Some(v4) => IpAddr::V4(v4),
                    None => IpAddr::V6(v6),
                }
            }
            _ => return None,
        };
        Some((ip, port))
    }
}
