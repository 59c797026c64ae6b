//! `[[route]]` tables, key by key: where each route matches and sends requests, and which policy it answers with.

use std::ops::Range;

use corsgate::Cors;
use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

use super::parse::{misplaced, Cx, Table};
use super::{allows_no_origin, values, RouteConfig, UpstreamCors};

/// The file's `[cors]`, as the routes without their own see it.
pub(super) enum DefaultPolicy {
    /// The file has no `[cors]`.
    Absent,
    /// It has one, with problems (reported there).
    Invalid,
    /// It has one, built.
    Valid(Cors),
}

/// Where a route matches, for finding two routes that match the same requests.
struct Place {
    host: Option<String>,
    path_prefix: String,
    span: Range<usize>,
}

/// Every `[[route]]` (`entry`: the file's `route` key), their problems pushed to `cx`;
/// the routes without problems, in file order.
pub(super) fn check_all(
    cx: &mut Cx<'_>,
    entry: Option<(&Spanned<DeString<'_>>, &Spanned<DeValue<'_>>)>,
    default: &DefaultPolicy,
) -> Vec<RouteConfig> {
    let no_route = "no [[route]]: the gateway has nowhere to send requests. Add one: a \
                    [[route]] line, then lines such as path_prefix = \"/api\" and upstream = \
                    \"http://127.0.0.1:3000\".";
    let not_tables = "route must be a list of tables: write [[route]] (two brackets) on a line \
                      of its own above each route's keys.";
    let Some((key, value)) = entry else {
        cx.push(None, "route", no_route.to_owned());
        return Vec::new();
    };
    let items = match value.get_ref() {
        DeValue::Array(items) if items.is_empty() => {
            cx.push(Some(key.span()), "route", no_route.to_owned());
            return Vec::new();
        }
        DeValue::Array(items) => items,
        _ => {
            cx.push(Some(key.span()), "route", not_tables.to_owned());
            return Vec::new();
        }
    };
    let mut routes = Vec::new();
    let mut places: Vec<(usize, Place)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let DeValue::Table(table) = item.get_ref() else {
            cx.push(
                Some(item.span()),
                &format!("route[{i}]"),
                not_tables.to_owned(),
            );
            continue;
        };
        let (route, place) = check(cx, i, item.span(), table, default);
        if let Some(place) = place {
            let same = places
                .iter()
                .find(|(_, p)| p.host == place.host && p.path_prefix == place.path_prefix);
            if let Some((first, _)) = same {
                let hosts = match &place.host {
                    Some(h) => format!("for the same host {h:?}"),
                    None => "and neither has a host".to_owned(),
                };
                cx.push(
                    Some(place.span.clone()),
                    &format!("route[{i}].path_prefix"),
                    format!(
                        "{:?} is also route[{first}]'s path_prefix, {hosts}: a request could \
                         only ever reach one of them. Change this path_prefix or host, or \
                         remove one of the routes.",
                        place.path_prefix
                    ),
                );
            }
            places.push((i, place));
        }
        routes.extend(route);
    }
    routes
}

/// The `i`th route (its table header at `header`): built when it has no problem, and where
/// it matches when its `path_prefix` and `host` are valid.
fn check(
    cx: &mut Cx<'_>,
    i: usize,
    header: Range<usize>,
    table: &DeTable<'_>,
    default: &DefaultPolicy,
) -> (Option<RouteConfig>, Option<Place>) {
    let before = cx.problems.len();
    let (mut path_prefix, mut host, mut upstream) = (None, None, None);
    let (mut strip_prefix, mut report_only) = (false, false);
    let mut upstream_cors: Option<(UpstreamCors, Range<usize>)> = None;
    let mut own_cors: Option<(Option<Cors>, Range<usize>)> = None;
    let (mut prefix_span, mut host_ok) = (None, true);
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let shown = format!("route[{i}].{name}");
        let string = value.get_ref().as_str();
        match name {
            "path_prefix" => match string.map(|s| (s, values::path_prefix(s))) {
                Some((s, Ok(()))) => {
                    path_prefix = Some(s.to_owned());
                    prefix_span = Some(value.span());
                }
                Some((_, Err(message))) => cx.push(Some(value.span()), &shown, message),
                None => cx.wrong(
                    value,
                    &shown,
                    "must be a path in quotes, starting with \"/\"",
                    "Write it like: path_prefix = \"/api\"",
                ),
            },
            "host" => {
                match string.map(values::host) {
                    Some(Ok(h)) => host = Some(h),
                    Some(Err(message)) => cx.push(Some(value.span()), &shown, message),
                    None => cx.wrong(
                        value,
                        &shown,
                        "must be a host name in quotes",
                        "Write it like: host = \"api.example.com\"",
                    ),
                }
                host_ok = host.is_some();
            }
            "upstream" => match string.map(values::upstream) {
                Some(Ok(uri)) => upstream = Some(uri),
                Some(Err(message)) => cx.push(Some(value.span()), &shown, message),
                None => cx.wrong(
                    value,
                    &shown,
                    "must be a URL in quotes",
                    "Write it like: upstream = \"http://127.0.0.1:3000\"",
                ),
            },
            "strip_prefix" | "report_only" => match value.get_ref() {
                DeValue::Boolean(b) if name == "strip_prefix" => strip_prefix = *b,
                DeValue::Boolean(b) => report_only = *b,
                _ => cx.wrong(
                    value,
                    &shown,
                    "must be true or false",
                    &format!("Write it as {name} = true or {name} = false"),
                ),
            },
            "upstream_cors" => match string {
                Some("strip") => upstream_cors = Some((UpstreamCors::Strip, value.span())),
                Some("keep") => upstream_cors = Some((UpstreamCors::Keep, value.span())),
                _ => cx.wrong(
                    value,
                    &shown,
                    "must be \"strip\" or \"keep\"",
                    "Write it as upstream_cors = \"strip\" (the gateway answers CORS) or \
                     upstream_cors = \"keep\" (the upstream does)",
                ),
            },
            "cors" => match value.get_ref() {
                DeValue::Table(t) => {
                    let policy = Spanned::new(value.span(), t.clone());
                    let built = cx.policy(&policy, &format!("route[{i}].cors."), value.span());
                    own_cors = Some((built, value.span()));
                }
                _ => cx.push(
                    Some(key.span()),
                    &shown,
                    "cors must be a table: write [route.cors] on a line of its own below this \
                     route's keys, with the policy keys under it."
                        .to_owned(),
                ),
            },
            _ => cx.push(Some(key.span()), &shown, misplaced(name, Table::Route)),
        }
    }

    let key_present = |k: &str| table.iter().any(|(key, _)| key.get_ref() == k);
    for (k, example) in [
        ("path_prefix", "path_prefix = \"/api\""),
        ("upstream", "upstream = \"http://127.0.0.1:3000\""),
    ] {
        if !key_present(k) {
            cx.push(
                Some(header.clone()),
                &format!("route[{i}].{k}"),
                format!("missing: every route needs one. Add a line such as: {example}"),
            );
        }
    }

    // report_only keeps the upstream's CORS headers: "strip" says otherwise.
    if let (true, Some((UpstreamCors::Strip, span))) = (report_only, &upstream_cors) {
        cx.push(
            Some(span.clone()),
            &format!("route[{i}].upstream_cors"),
            "\"strip\" contradicts report_only = true: in report-only mode the upstream's CORS \
             answers stay in force, its headers kept. Remove this line, or set report_only = \
             false for the gateway to answer."
                .to_owned(),
        );
    }
    let upstream_cors = if report_only {
        UpstreamCors::Keep
    } else {
        upstream_cors.map_or(UpstreamCors::Strip, |(u, _)| u)
    };
    let uses_policy = report_only || upstream_cors == UpstreamCors::Strip;

    let cors = match (own_cors, default) {
        (Some((built, span)), _) => {
            if !uses_policy {
                cx.warn(
                    span,
                    &format!("route[{i}].cors"),
                    "never used: upstream_cors = \"keep\" passes the upstream's CORS answers \
                     unchanged. Remove [route.cors], or set upstream_cors = \"strip\" for the \
                     gateway to answer with it."
                        .to_owned(),
                );
            }
            built
        }
        (None, DefaultPolicy::Valid(cors)) => Some(cors.clone()),
        (None, DefaultPolicy::Invalid) => None,
        (None, DefaultPolicy::Absent) if uses_policy => {
            let why = if report_only {
                "report_only compares the upstream's CORS answers with a policy"
            } else {
                "the gateway answers CORS for it (upstream_cors = \"strip\", the default)"
            };
            cx.push(
                Some(header.clone()),
                &format!("route[{i}]"),
                format!(
                    "no CORS policy: {why}. Add a [route.cors] table under it, or a [cors] \
                     table for all routes, with a line such as allow_origins = \
                     [\"https://app.example.com\"] (or set upstream_cors = \"keep\" for the \
                     upstream to answer)."
                ),
            );
            None
        }
        (None, DefaultPolicy::Absent) => Some(allows_no_origin()),
    };

    let place = match (&path_prefix, prefix_span, host_ok) {
        (Some(p), Some(span), true) => Some(Place {
            host: host.clone(),
            path_prefix: p.clone(),
            span,
        }),
        _ => None,
    };
    if cx.problems.len() > before {
        return (None, place);
    }
    let route = match (path_prefix, upstream, cors) {
        (Some(path_prefix), Some(upstream), Some(cors)) => Some(RouteConfig {
            path_prefix,
            host,
            upstream,
            strip_prefix,
            cors,
            upstream_cors,
            report_only,
        }),
        _ => None,
    };
    (route, place)
}
