//! The gateway file as a whole: its syntax, its top-level tables, the keys each table has, and the problems and warnings gathered into one answer.

use std::ops::Range;

use corsgate::Cors;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::route::{self, DefaultPolicy};
use super::{server, Checked, GatewayConfig};
use crate::policy::{self, Problem};

/// The keys of `[server]`, in the order the docs give them.
pub(super) const SERVER_KEYS: [&str; 12] = [
    "listen",
    "admin_listen",
    "header_read_timeout_ms",
    "upstream_connect_timeout_ms",
    "upstream_response_timeout_ms",
    "idle_timeout_ms",
    "shutdown_grace_ms",
    "max_body_bytes",
    "max_header_bytes",
    "max_connections",
    "tls_cert",
    "tls_key",
];

/// The keys of a `[[route]]` (`cors` is its `[route.cors]` table).
pub(super) const ROUTE_KEYS: [&str; 7] = [
    "path_prefix",
    "host",
    "upstream",
    "strip_prefix",
    "upstream_cors",
    "report_only",
    "cors",
];

/// The top-level keys (tables) of a gateway file.
const TOP_KEYS: [&str; 3] = ["server", "cors", "route"];

/// The table a key was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Table {
    /// The top level.
    Top,
    /// `[server]`.
    Server,
    /// A `[[route]]`.
    Route,
}

impl Table {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Table::Top => &TOP_KEYS,
            Table::Server => &SERVER_KEYS,
            Table::Route => &ROUTE_KEYS,
        }
    }

    /// The message of an unknown key with no close match (the first one in the file gets
    /// the list of keys, by [`name_the_keys_once`]).
    fn unknown(self) -> &'static str {
        match self {
            Table::Top => "unknown key: not a gateway file key.",
            Table::Server => "unknown key: not a [server] key.",
            Table::Route => "unknown key: not a [[route]] key.",
        }
    }

    /// What [`Table::unknown`] adds the first time.
    fn the_keys(self) -> String {
        match self {
            Table::Top => "The top-level tables are [server], [cors] and [[route]].".to_owned(),
            Table::Server => format!("The keys are: {}.", SERVER_KEYS.join(", ")),
            Table::Route => format!(
                "The keys are: {}, and the [route.cors] table.",
                ROUTE_KEYS[..ROUTE_KEYS.len() - 1].join(", ")
            ),
        }
    }
}

/// What is said of the key `name`, not one of `table`'s: the table it belongs in, when it
/// is another's, else the closest key of this one ("Did you mean").
pub(super) fn misplaced(name: &str, table: Table) -> String {
    let in_server = SERVER_KEYS.contains(&name);
    let in_route = ROUTE_KEYS.contains(&name) && name != "cors";
    let in_policy = policy::schema_keys().iter().any(|k| k == name);
    if in_server && table != Table::Server {
        return "a [server] key: move this line under [server].".to_owned();
    }
    if in_route && table != Table::Route {
        return "a [[route]] key: move this line under the [[route]] line of its route.".to_owned();
    }
    if in_policy {
        return match table {
            Table::Route => "a policy key: a route's own policy goes in a [route.cors] table \
                             below the route's keys: move this line there."
                .to_owned(),
            _ => "a policy key: in a gateway file the policy goes under [cors] (for every \
                  route) or [route.cors] (for one route): move this line there."
                .to_owned(),
        };
    }
    let names: Vec<String> = table.keys().iter().map(|k| (*k).to_owned()).collect();
    match policy::closest(name, &names).as_slice() {
        [] => table.unknown().to_owned(),
        [one] => format!("unknown key. Did you mean `{one}`?"),
        several => format!(
            "unknown key. Did you mean {}?",
            several
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// Names each table's keys once: in its first unknown key with no close match.
fn name_the_keys_once(problems: &mut [Problem]) {
    for table in [Table::Top, Table::Server, Table::Route] {
        if let Some(p) = problems.iter_mut().find(|p| p.message == table.unknown()) {
            p.message = format!("{} {}", table.unknown(), table.the_keys());
        }
    }
}

/// The file being checked, and what was found in it so far.
pub(super) struct Cx<'s> {
    /// The file's text.
    pub(super) src: &'s str,
    /// The problems, in the order found.
    pub(super) problems: Vec<Problem>,
    /// The warnings, in the order found.
    pub(super) warnings: Vec<Problem>,
}

impl Cx<'_> {
    /// A problem at `span` (`None`: no place) about `key`.
    pub(super) fn push(&mut self, span: Option<Range<usize>>, key: &str, message: String) {
        let p = policy::problem(self.src, span, Some(key.to_owned()), message);
        self.problems.push(p);
    }

    /// A value of the wrong type (or out of range): "`what` (found ...). `how`".
    pub(super) fn wrong(&mut self, value: &Spanned<DeValue<'_>>, key: &str, what: &str, how: &str) {
        let found = policy::found(self.src, value.span());
        self.push(Some(value.span()), key, format!("{what} {found}. {how}"));
    }

    /// A warning at `span` about `key`.
    pub(super) fn warn(&mut self, span: Range<usize>, key: &str, message: String) {
        let p = policy::problem(self.src, Some(span), Some(key.to_owned()), message);
        self.warnings.push(p);
    }

    /// The policy in `table`, checked as a policy file's (its keys shown after `prefix`;
    /// a missing key's problem at `place`): built, or `None` with its problems kept.
    pub(super) fn policy(
        &mut self,
        table: &Spanned<DeTable<'_>>,
        prefix: &str,
        place: Range<usize>,
    ) -> Option<Cors> {
        match policy::check_table(self.src, table, prefix, Some(place)) {
            Ok(checked) => {
                self.warnings.extend(checked.warnings);
                Some(checked.cors)
            }
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }
}

/// The integer `value` holds, when it is one that fits an `i64`.
pub(super) fn integer(value: &DeValue<'_>) -> Option<i64> {
    match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// See [`super::is_gateway_file`].
pub(super) fn is_gateway_file(src: &str) -> bool {
    let (root, errors) = DeTable::parse_recoverable(src);
    let tables = root.get_ref().iter().any(|(k, v)| {
        let name: &str = k.get_ref();
        (name == "server" && matches!(v.get_ref(), DeValue::Table(_))) || name == "route"
    });
    tables || (!errors.is_empty() && mentions_gateway_tables(src))
}

/// See [`super::mentions_gateway_tables`].
pub(super) fn mentions_gateway_tables(src: &str) -> bool {
    src.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("[server]") || line.starts_with("[[route]]")
    })
}

/// See [`super::check_with_warnings`].
pub(super) fn check(src: &str) -> Result<Checked, Vec<Problem>> {
    let (root, syntax) = DeTable::parse_recoverable(src);
    if !syntax.is_empty() {
        let problems = policy::syntax::problems_in_tables(src, &syntax, &tables(src));
        return Err(policy::in_file_order(problems));
    }
    let mut cx = Cx {
        src,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let (mut server, mut cors, mut routes) = (None, None, None);
    for (key, value) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        match name {
            "server" => server = Some((key, value)),
            "cors" => cors = Some((key, value)),
            "route" => routes = Some((key, value)),
            _ => cx.push(Some(key.span()), name, misplaced(name, Table::Top)),
        }
    }
    let server = server::check(&mut cx, server);
    let default_cors = match cors {
        None => DefaultPolicy::Absent,
        Some((key, value)) => match value.get_ref() {
            DeValue::Table(t) => {
                let table = Spanned::new(value.span(), t.clone());
                match cx.policy(&table, "cors.", key.span()) {
                    Some(cors) => DefaultPolicy::Valid(cors),
                    None => DefaultPolicy::Invalid,
                }
            }
            _ => {
                cx.push(
                    Some(key.span()),
                    "cors",
                    "cors must be a table: write [cors] on a line of its own with the policy \
                     keys under it."
                        .to_owned(),
                );
                DefaultPolicy::Invalid
            }
        },
    };
    let routes = route::check_all(&mut cx, routes, &default_cors);

    let Cx {
        mut problems,
        mut warnings,
        ..
    } = cx;
    if !problems.is_empty() {
        policy::list_the_keys_once(&mut problems, &policy::schema_keys());
        name_the_keys_once(&mut problems);
        return Err(policy::in_file_order(problems));
    }
    warnings.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
    Ok(Checked {
        config: GatewayConfig {
            server,
            default_cors: match default_cors {
                DefaultPolicy::Valid(cors) => Some(cors),
                _ => None,
            },
            routes,
        },
        warnings,
    })
}

/// The prefix of the table each offset of `src` is in (`listen` in `[server]` is
/// `server.listen`), as the file's table headers say: a line that is `[name]` or
/// `[[name]]` alone (with a comment at most); the `n`th `[[route]]` is `route[n-1]`, and a
/// `[route.x]` below it is `route[n-1].x`. For naming the keys of syntax problems.
fn tables(src: &str) -> impl Fn(usize) -> String {
    // (offset of the header, prefix) of each table, in file order.
    let mut tables: Vec<(usize, String)> = Vec::new();
    let mut routes = 0usize;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some((name, array)) = header(line) else {
            continue;
        };
        let prefix = if array && name == "route" {
            routes += 1;
            format!("route[{}].", routes - 1)
        } else if let (Some(sub), Some(n)) = (name.strip_prefix("route."), routes.checked_sub(1)) {
            format!("route[{n}].{sub}.")
        } else {
            format!("{name}.")
        };
        tables.push((start, prefix));
    }
    move |at| {
        tables
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map(|(_, prefix)| prefix.clone())
            .unwrap_or_default()
    }
}

/// The name in a table header line (`[server]`, `[[route]]`, `[route.cors]`), and whether
/// it is an array's (`[[...]]`).
fn header(line: &str) -> Option<(&str, bool)> {
    let line = line.trim();
    let line = line
        .split_once('#')
        .map_or(line, |(before, _)| before)
        .trim_end();
    let (inner, array) = match line.strip_prefix("[[") {
        Some(rest) => (rest.strip_suffix("]]")?, true),
        None => (line.strip_prefix('[')?.strip_suffix(']')?, false),
    };
    let name = inner.trim();
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some((name, array))
}
