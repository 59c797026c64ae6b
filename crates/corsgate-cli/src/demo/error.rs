//! Why the demo could not start ([`DemoError`]), in words that name the flag to change.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use corsgate::ConfigErrors;

/// Why the demo could not start. Every variant is a usage problem (exit status 2).
#[derive(Debug)]
pub enum DemoError {
    /// The policy flags do not make a valid policy (the library's explanation).
    Policy(ConfigErrors),
    /// `--api-port` and `--page-port` are the same port.
    SamePort(u16),
    /// A port is taken.
    PortInUse {
        /// "API" or "page".
        server: &'static str,
        /// The address that could not be bound.
        addr: SocketAddr,
        /// The flag that chooses this port.
        flag: &'static str,
        /// The process that holds it, as `process <pid> (<name>)`, when that can be known
        /// (Linux, a process of the same user).
        holder: Option<String>,
    },
    /// Another bind failure (permission denied for a low port, ...).
    Bind {
        /// "API" or "page".
        server: &'static str,
        /// The address that could not be bound.
        addr: SocketAddr,
        /// The flag that chooses this port.
        flag: &'static str,
        /// What the OS said.
        source: io::Error,
    },
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::Policy(errors) => write!(
                f,
                "{errors}\nThe demo API's policy comes from --allow-origin, --allow-method, \
                 --allow-header, --expose-header, --credentials and --max-age."
            ),
            DemoError::SamePort(port) => write!(
                f,
                "--api-port and --page-port are both {port}: the API and the page need two \
                 different ports."
            ),
            DemoError::PortInUse {
                server,
                addr,
                flag,
                holder,
            } => {
                let port = addr.port();
                write!(
                    f,
                    "cannot start the demo {server} on {addr}: port {port} is "
                )?;
                match holder {
                    Some(holder) => write!(f, "already in use by {holder}.")?,
                    None => write!(
                        f,
                        "already in use (by another program, or another `corsgate demo`)."
                    )?,
                }
                write!(
                    f,
                    " Stop it, or choose another port with {flag} <PORT> (0 picks a free one)."
                )
            }
            DemoError::Bind {
                server,
                addr,
                flag,
                source,
            } => write!(
                f,
                "cannot start the demo {server} on {addr}: {source}. Choose another port with \
                 {flag} <PORT>."
            ),
        }
    }
}

impl std::error::Error for DemoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DemoError::Policy(errors) => Some(errors),
            DemoError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}
