//! `[server]`, key by key: listen addresses, timeouts, limits and the TLS files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use toml::de::{DeString, DeValue};
use toml::Spanned;

use super::parse::{integer, misplaced, Cx, Table};
use super::values;
use super::{ServerConfig, TlsFiles};

/// The longest timeout: one day, in milliseconds.
const MAX_MILLIS: i64 = 86_400_000;

/// `[server]` (`None`: the file has none), its problems pushed to `cx`; the defaults stand
/// for every key that is absent or has a problem.
pub(super) fn check(
    cx: &mut Cx<'_>,
    entry: Option<(&Spanned<DeString<'_>>, &Spanned<DeValue<'_>>)>,
) -> ServerConfig {
    let mut server = ServerConfig::defaults();
    let Some((key, value)) = entry else {
        return server;
    };
    let DeValue::Table(table) = value.get_ref() else {
        cx.push(
            Some(key.span()),
            "server",
            "server must be a table: write [server] on a line of its own with its keys under it."
                .to_owned(),
        );
        return server;
    };
    let defaults = ServerConfig::defaults();
    let (mut cert, mut key_file) = (None, None);
    let mut admin = None;
    let mut listen_entries: Vec<(SocketAddr, String)> = Vec::new();
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let shown = format!("server.{name}");
        let timeout = |cx: &mut Cx<'_>, default: Duration| millis(cx, name, &shown, value, default);
        match name {
            "listen" => {
                listen_entries = listen(cx, value);
                if !listen_entries.is_empty() {
                    server.listen = listen_entries.iter().map(|(a, _)| *a).collect();
                }
            }
            "admin_listen" => match value.get_ref() {
                DeValue::String(s) => match values::address(s, name) {
                    Ok(a) => admin = Some((a, value.span())),
                    Err(message) => cx.push(Some(value.span()), &shown, message),
                },
                _ => cx.wrong(
                    value,
                    &shown,
                    "must be an IP address and port in quotes",
                    "Write it like: admin_listen = \"127.0.0.1:9090\"",
                ),
            },
            "header_read_timeout_ms" => {
                if let Some(d) = timeout(cx, defaults.header_read_timeout) {
                    server.header_read_timeout = d;
                }
            }
            "upstream_connect_timeout_ms" => {
                if let Some(d) = timeout(cx, defaults.upstream_connect_timeout) {
                    server.upstream_connect_timeout = d;
                }
            }
            "upstream_response_timeout_ms" => {
                if let Some(d) = timeout(cx, defaults.upstream_response_timeout) {
                    server.upstream_response_timeout = d;
                }
            }
            "idle_timeout_ms" => {
                if let Some(d) = timeout(cx, defaults.idle_timeout) {
                    server.idle_timeout = d;
                }
            }
            "shutdown_grace_ms" => {
                if let Some(d) = timeout(cx, defaults.shutdown_grace) {
                    server.shutdown_grace = d;
                }
            }
            "max_body_bytes" => {
                let n = positive(
                    cx,
                    name,
                    &shown,
                    value,
                    " of bytes",
                    defaults.max_body_bytes,
                );
                if let Some(n) = n {
                    server.max_body_bytes = n;
                }
            }
            "max_header_bytes" => {
                let default = defaults.max_header_bytes as u64;
                let n = positive(cx, name, &shown, value, " of bytes", default);
                if let Some(n) = n.and_then(|n| usize::try_from(n).ok()) {
                    server.max_header_bytes = n;
                }
            }
            "max_connections" => {
                let default = defaults.max_connections as u64;
                if let Some(n) = positive(cx, name, &shown, value, "", default)
                    .and_then(|n| usize::try_from(n).ok())
                {
                    server.max_connections = n;
                }
            }
            "tls_cert" => cert = pem_path(cx, name, &shown, key, value, "cert.pem"),
            "tls_key" => key_file = pem_path(cx, name, &shown, key, value, "key.pem"),
            _ => cx.push(Some(key.span()), &shown, misplaced(name, Table::Server)),
        }
    }

    // Both TLS files or neither.
    match (cert, key_file) {
        (Some((Some(cert), _)), Some((Some(key), _))) => {
            server.tls = Some(TlsFiles {
                cert: PathBuf::from(cert),
                key: PathBuf::from(key),
            })
        }
        (Some((_, span)), None) => cx.push(
            Some(span),
            "server.tls_cert",
            "tls_cert without tls_key: HTTPS needs both. Add a line such as: tls_key = \
             \"key.pem\" (or remove tls_cert to serve plain HTTP)."
                .to_owned(),
        ),
        (None, Some((_, span))) => cx.push(
            Some(span),
            "server.tls_key",
            "tls_key without tls_cert: HTTPS needs both. Add a line such as: tls_cert = \
             \"cert.pem\" (or remove tls_key to serve plain HTTP)."
                .to_owned(),
        ),
        // One of them is there, with a problem of its own; or neither is.
        _ => {}
    }

    // The admin endpoints on an address of their own.
    if let Some((admin, span)) = admin {
        let clash = listen_entries
            .iter()
            .find(|(a, _)| *a == admin && admin.port() != 0);
        match clash {
            Some((_, entry)) => cx.push(
                Some(span),
                "server.admin_listen",
                format!(
                    "\"{admin}\" is also a listen address ({entry}): the admin endpoints need \
                     an address of their own. Write it like: admin_listen = \"127.0.0.1:9090\""
                ),
            ),
            None => server.admin_listen = Some(admin),
        }
    }
    server
}

/// `listen`: the addresses, each with the key that names it (`server.listen`,
/// `server.listen[1]`); empty when there is a problem with every one (or the value).
fn listen(cx: &mut Cx<'_>, value: &Spanned<DeValue<'_>>) -> Vec<(SocketAddr, String)> {
    let example = "Write it like: listen = \"127.0.0.1:8080\" or listen = [\"127.0.0.1:8080\", \
                   \"[::1]:8080\"]";
    let entries: Vec<(&Spanned<DeValue<'_>>, String)> = match value.get_ref() {
        DeValue::String(_) => vec![(value, "server.listen".to_owned())],
        DeValue::Array(items) if items.is_empty() => {
            cx.wrong(
                value,
                "server.listen",
                "must list at least one address",
                "Write it like: listen = \"127.0.0.1:8080\"",
            );
            return Vec::new();
        }
        DeValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, format!("server.listen[{i}]")))
            .collect(),
        _ => {
            cx.wrong(
                value,
                "server.listen",
                "must be an IP address and port in quotes, or a list of them",
                example,
            );
            return Vec::new();
        }
    };
    let mut out: Vec<(SocketAddr, String)> = Vec::new();
    for (item, key) in entries {
        let DeValue::String(s) = item.get_ref() else {
            cx.wrong(
                item,
                &key,
                "each entry must be an IP address and port in quotes",
                example,
            );
            continue;
        };
        match values::address(s, "listen") {
            Ok(a) => match out.iter().find(|(seen, _)| *seen == a && a.port() != 0) {
                Some((_, first)) => cx.push(
                    Some(item.span()),
                    &key,
                    format!("\"{a}\" is already listed as {first}: remove this entry."),
                ),
                None => out.push((a, key)),
            },
            Err(message) => cx.push(Some(item.span()), &key, message),
        }
    }
    out
}

/// A `*_ms` key: whole milliseconds, 1 to a day.
fn millis(
    cx: &mut Cx<'_>,
    name: &str,
    shown: &str,
    value: &Spanned<DeValue<'_>>,
    default: Duration,
) -> Option<Duration> {
    match integer(value.get_ref()) {
        Some(n @ 1..=MAX_MILLIS) => Some(Duration::from_millis(n.unsigned_abs())),
        _ => {
            cx.wrong(
                value,
                shown,
                "must be a whole number of milliseconds, 1..=86400000 (one day)",
                &format!("Write it like: {name} = {}", default.as_millis()),
            );
            None
        }
    }
}

/// A size or a count: a whole number, at least 1 (`unit`: " of bytes" or "").
fn positive(
    cx: &mut Cx<'_>,
    name: &str,
    shown: &str,
    value: &Spanned<DeValue<'_>>,
    unit: &str,
    default: u64,
) -> Option<u64> {
    match integer(value.get_ref()) {
        Some(n @ 1..) => Some(n.unsigned_abs()),
        _ => {
            cx.wrong(
                value,
                shown,
                &format!("must be a whole number{unit}, at least 1"),
                &format!("Write it like: {name} = {default}"),
            );
            None
        }
    }
}

/// `tls_cert` or `tls_key`: a path, not empty (`None` when it has a problem), with the
/// span of its key.
fn pem_path(
    cx: &mut Cx<'_>,
    name: &str,
    shown: &str,
    key: &Spanned<DeString<'_>>,
    value: &Spanned<DeValue<'_>>,
    example: &str,
) -> Option<(Option<String>, std::ops::Range<usize>)> {
    match value.get_ref() {
        DeValue::String(s) if !s.is_empty() => Some((Some(s.to_string()), key.span())),
        _ => {
            cx.wrong(
                value,
                shown,
                "must be the path of a PEM file, in quotes",
                &format!("Write it like: {name} = \"{example}\""),
            );
            Some((None, key.span()))
        }
    }
}
