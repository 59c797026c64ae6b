//! The gateway file's problems: every kind, with its exact message and place, several at once in file order.

use super::{problems, with_route};
use crate::gateway::check_with_warnings;

#[test]
fn server_problems_all_at_once_in_file_order() {
    let src = r#"[server]
listen = ["127.0.0.1:8080", "localhost:8081", "127.0.0.1:8080", 8082]
admin_listen = "127.0.0.1:8080"
idle_timeout_ms = 0
header_read_timeout = 5
max_body_bytes = -1
max_header_bytes = "32k"
max_connections = 1.5
shutdown_grace_ms = 86400001
upstream_connect_timeout_ms = "5s"
tls_cert = "c.pem"
bogus = 1
allow_origins = ["x"]
path_prefix = "/"
"#;
    assert_eq!(
        problems(&with_route(src)),
        [
            "2:29: server.listen[1]: \"localhost:8081\" is a host name: listen takes an IP \
             address (names are not looked up). Write it like: listen = \"127.0.0.1:8081\" (or \
             \"[::1]:8081\" for IPv6)",
            "2:47: server.listen[2]: \"127.0.0.1:8080\" is already listed as server.listen[0]: \
             remove this entry.",
            "2:65: server.listen[3]: each entry must be an IP address and port in quotes (found \
             8082). Write it like: listen = \"127.0.0.1:8080\" or listen = [\"127.0.0.1:8080\", \
             \"[::1]:8080\"]",
            "3:16: server.admin_listen: \"127.0.0.1:8080\" is also a listen address \
             (server.listen[0]): the admin endpoints need an address of their own. Write it \
             like: admin_listen = \"127.0.0.1:9090\"",
            "4:19: server.idle_timeout_ms: must be a whole number of milliseconds, 1..=86400000 \
             (one day) (found 0). Write it like: idle_timeout_ms = 60000",
            "5:1: server.header_read_timeout: unknown key. Did you mean \
             `header_read_timeout_ms`?",
            "6:18: server.max_body_bytes: must be a whole number of bytes, at least 1 (found \
             -1). Write it like: max_body_bytes = 104857600",
            "7:20: server.max_header_bytes: must be a whole number of bytes, at least 1 (found \
             \"32k\"). Write it like: max_header_bytes = 32768",
            "8:19: server.max_connections: must be a whole number, at least 1 (found 1.5). \
             Write it like: max_connections = 10000",
            "9:21: server.shutdown_grace_ms: must be a whole number of milliseconds, \
             1..=86400000 (one day) (found 86400001). Write it like: shutdown_grace_ms = 30000",
            "10:31: server.upstream_connect_timeout_ms: must be a whole number of milliseconds, \
             1..=86400000 (one day) (found \"5s\"). Write it like: upstream_connect_timeout_ms = \
             5000",
            "11:1: server.tls_cert: tls_cert without tls_key: HTTPS needs both. Add a line such \
             as: tls_key = \"key.pem\" (or remove tls_cert to serve plain HTTP).",
            "12:1: server.bogus: unknown key: not a [server] key. The keys are: listen, \
             admin_listen, header_read_timeout_ms, upstream_connect_timeout_ms, \
             upstream_response_timeout_ms, idle_timeout_ms, shutdown_grace_ms, max_body_bytes, \
             max_header_bytes, max_connections, tls_cert, tls_key.",
            "13:1: server.allow_origins: a policy key: in a gateway file the policy goes under \
             [cors] (for every route) or [route.cors] (for one route): move this line there.",
            "14:1: server.path_prefix: a [[route]] key: move this line under the [[route]] line \
             of its route.",
        ]
    );
}

#[test]
fn listen_addresses_are_ip_addresses() {
    let at = |listen: &str| problems(&with_route(&format!("[server]\nlisten = {listen}")));
    assert_eq!(
        at("\"localhost:8080\""),
        [
            "2:10: server.listen: \"localhost:8080\" is a host name: listen takes an IP address \
          (names are not looked up). Write it like: listen = \"127.0.0.1:8080\" (or \
          \"[::1]:8080\" for IPv6)"
        ]
    );
    assert_eq!(
        at("\"gw.internal:80\""),
        [
            "2:10: server.listen: \"gw.internal:80\" is a host name: listen takes an IP address \
          (names are not looked up). Write it like: listen = \"127.0.0.1:80\" (this machine \
          only) or listen = \"0.0.0.0:80\" (every interface)"
        ]
    );
    assert_eq!(
        at("\"127.0.0.1\""),
        [
            "2:10: server.listen: \"127.0.0.1\" has no port. Write it like: listen = \
          \"127.0.0.1:8080\""
        ]
    );
    assert_eq!(
        at("\"::1:8080\""),
        [
            "2:10: server.listen: \"::1:8080\" has no port. Write it like: listen = \
          \"[::1:8080]:8080\""
        ]
    );
    assert_eq!(
        at("[]"),
        [
            "2:10: server.listen: must list at least one address (found []). Write it like: \
          listen = \"127.0.0.1:8080\""
        ]
    );
    assert_eq!(
        at("8080"),
        [
            "2:10: server.listen: must be an IP address and port in quotes, or a list of them \
          (found 8080). Write it like: listen = \"127.0.0.1:8080\" or listen = \
          [\"127.0.0.1:8080\", \"[::1]:8080\"]"
        ]
    );
    assert_eq!(
        problems(&with_route("[server]\nadmin_listen = \"localhost\"")),
        [
            "2:16: server.admin_listen: \"localhost\" is a host name: admin_listen takes an IP \
          address (names are not looked up). Write it like: admin_listen = \"127.0.0.1:9090\" \
          (or \"[::1]:9090\" for IPv6)"
        ]
    );
    assert_eq!(
        problems(&with_route(
            "[server]\ntls_key = \"\"\ntls_cert = 1\nadmin_listen = [\"127.0.0.1:1\"]"
        )),
        [
            "2:11: server.tls_key: must be the path of a PEM file, in quotes (found \"\"). Write \
             it like: tls_key = \"key.pem\"",
            "3:12: server.tls_cert: must be the path of a PEM file, in quotes (found 1). Write \
             it like: tls_cert = \"cert.pem\"",
            "4:16: server.admin_listen: must be an IP address and port in quotes (found \
             [\"127.0.0.1:1\"]). Write it like: admin_listen = \"127.0.0.1:9090\"",
        ]
    );
}

#[test]
fn route_problems_all_at_once_in_file_order() {
    let src = r#"[cors]
allow_origins = ["https://app.example.com"]

[[route]]
path_prefix = "api/"
upstream = "ftp://x"
upstream_cors = "strip"
report_only = true

[[route]]
host = "Api.Example.com:80"
upstream = "127.0.0.1:3000"
listen = 1
strip_prefix = "yes"
upstream_cors = "pass"
allow_origins = ["https://a.example"]
upstrem = "x"

[[route]]
path_prefix = "/v1"
upstream = "http://127.0.0.1:3000"

[[route]]
path_prefix = "/v1"
upstream = "http://127.0.0.1:3001"
"#;
    assert_eq!(
        problems(src),
        [
            "5:15: route[0].path_prefix: \"api/\" must start with \"/\". Write it like: \
             path_prefix = \"/api\"",
            "6:12: route[0].upstream: \"ftp://x\": the scheme must be http or https. Write it \
             like: upstream = \"http://x\"",
            "7:17: route[0].upstream_cors: \"strip\" contradicts report_only = true: in \
             report-only mode the upstream's CORS answers stay in force, its headers kept. \
             Remove this line, or set report_only = false for the gateway to answer.",
            "10:1: route[1].path_prefix: missing: every route needs one. Add a line such as: \
             path_prefix = \"/api\"",
            "11:8: route[1].host: \"Api.Example.com:80\" has a port: a route matches its host \
             whatever the port. Write it like: host = \"api.example.com\"",
            "12:12: route[1].upstream: \"127.0.0.1:3000\" has no scheme. Write it like: \
             upstream = \"http://127.0.0.1:3000\"",
            "13:1: route[1].listen: a [server] key: move this line under [server].",
            "14:16: route[1].strip_prefix: must be true or false (found \"yes\"). Write it as \
             strip_prefix = true or strip_prefix = false",
            "15:17: route[1].upstream_cors: must be \"strip\" or \"keep\" (found \"pass\"). Write \
             it as upstream_cors = \"strip\" (the gateway answers CORS) or upstream_cors = \
             \"keep\" (the upstream does)",
            "16:1: route[1].allow_origins: a policy key: a route's own policy goes in a \
             [route.cors] table below the route's keys: move this line there.",
            "17:1: route[1].upstrem: unknown key. Did you mean `upstream`?",
            "24:15: route[3].path_prefix: \"/v1\" is also route[2]'s path_prefix, and neither \
             has a host: a request could only ever reach one of them. Change this path_prefix \
             or host, or remove one of the routes.",
        ]
    );
}

#[test]
fn path_prefixes_hosts_and_upstreams_say_the_fix() {
    let route = |key: &str, value: &str| {
        let mut src = "[cors]\nallow_origins = [\"https://a.example\"]\n[[route]]\n".to_owned();
        if key != "path_prefix" {
            src.push_str("path_prefix = \"/\"\n");
        }
        if key != "upstream" {
            src.push_str("upstream = \"http://127.0.0.1:3000\"\n");
        }
        src.push_str(&format!("{key} = {value}\n"));
        let p = problems(&src);
        assert_eq!(p.len(), 1, "{p:#?}");
        p[0].split_once(": ")
            .map(|(_, rest)| rest.to_owned())
            .unwrap()
    };
    let prefix = |v: &str| route("path_prefix", &format!("{v:?}"));
    assert_eq!(
        prefix("/api/"),
        "route[0].path_prefix: \"/api/\" ends with \"/\". Write it without: path_prefix = \
         \"/api\" matches /api and every path below it."
    );
    assert_eq!(
        prefix("/api?v=1"),
        "route[0].path_prefix: \"/api?v=1\" has a query or fragment (\"?\" or \"#\"): a path \
         prefix is a path only. Write it like: path_prefix = \"/api\""
    );
    assert_eq!(
        prefix("/a/../b"),
        "route[0].path_prefix: \"/a/../b\" has a \".\" or \"..\" segment, which clients \
         resolve before sending: it would never match. Write it like: path_prefix = \"/b\""
    );
    assert_eq!(
        prefix("/a//b"),
        "route[0].path_prefix: \"/a//b\" has an empty segment (\"//\"). Write it like: \
         path_prefix = \"/a/b\""
    );
    assert_eq!(
        prefix("/my api"),
        "route[0].path_prefix: \"/my api\" has a character request paths cannot hold (' '): \
         percent-encode it. Write it like: path_prefix = \"/my%20api\""
    );
    assert_eq!(
        route("path_prefix", "[\"/a\"]"),
        "route[0].path_prefix: must be a path in quotes, starting with \"/\" (found [\"/a\"]). \
         Write it like: path_prefix = \"/api\""
    );
    assert_eq!(
        route("host", "\"https://api.example.com/\""),
        "route[0].host: \"https://api.example.com/\" is a URL: host takes the host name alone. \
         Write it like: host = \"api.example.com\""
    );
    assert_eq!(
        route("host", "\"*.example.com\""),
        "route[0].host: \"*.example.com\" is not a host name (letters, digits, \"-\" and \".\" \
         only; no wildcards). Write it like: host = \"api.example.com\""
    );
    assert_eq!(
        route("upstream", "\"http://127.0.0.1:3000/api?key=1\""),
        "route[0].upstream: \"http://127.0.0.1:3000/api?key=1\" has a query or fragment, which \
         the gateway does not pass on: give the base URL alone. Write it like: upstream = \
         \"http://127.0.0.1:3000/api\""
    );
    assert_eq!(
        route("upstream", "\"http://user:pw@127.0.0.1:3000\""),
        "route[0].upstream: \"http://user:pw@127.0.0.1:3000\" has a user name or password \
         (\"user:pw@\"), which the gateway does not send: write it without. Write it like: \
         upstream = \"http://127.0.0.1:3000\""
    );
    assert_eq!(
        route("upstream", "\"http://127.0.0.1:99999\""),
        "route[0].upstream: \"http://127.0.0.1:99999\": the port must be a number from 1 to \
         65535. Write it like: upstream = \"http://127.0.0.1:3000\""
    );
    assert_eq!(
        route("upstream", "3000"),
        "route[0].upstream: must be a URL in quotes (found 3000). Write it like: upstream = \
         \"http://127.0.0.1:3000\""
    );
    assert_eq!(
        route("report_only", "1"),
        "route[0].report_only: must be true or false (found 1). Write it as report_only = true \
         or report_only = false"
    );
}

#[test]
fn two_routes_for_the_same_host_and_prefix() {
    let src = "[cors]\nallow_origins = [\"https://a.example\"]\n[[route]]\nhost = \"a.example\"\npath_prefix = \"/x\"\nupstream = \"http://127.0.0.1:1\"\n[[route]]\nhost = \"A.EXAMPLE\"\npath_prefix = \"/x\"\nupstream = \"http://127.0.0.1:2\"\n[[route]]\npath_prefix = \"/x\"\nupstream = \"http://127.0.0.1:3\"\n";
    assert_eq!(
        problems(src),
        [
            "9:15: route[1].path_prefix: \"/x\" is also route[0]'s path_prefix, for the same host \
          \"a.example\": a request could only ever reach one of them. Change this path_prefix \
          or host, or remove one of the routes."
        ]
    );
}

#[test]
fn route_policies_are_checked_with_their_prefix() {
    let src = r#"[cors]
allow_origins = ["https://a.example:443"]
alow_methods = ["GET"]

[[route]]
path_prefix = "/a"
upstream = "http://127.0.0.1:3000"
[route.cors]
allow_credentials = true
allow_origins = ["*"]
max_age = "10"
origin = 1

[[route]]
path_prefix = "/b"
upstream = "http://127.0.0.1:3000"
[route.cors]
allow_methods = ["PUT"]
"#;
    assert_eq!(
        problems(src),
        [
            "2:18: cors.allow_origins[0]: \"https://a.example:443\": browsers omit the scheme's \
             default port; use https://a.example.",
            "3:1: cors.alow_methods: unknown key. Did you mean `allow_methods`?",
            "10:18: route[0].cors.allow_origins[0]: \"*\": \"*\" cannot be combined with \
             allow_credentials = true (browsers reject `Access-Control-Allow-Origin: *` on \
             credentialed requests): list the exact origins instead.",
            "11:11: route[0].cors.max_age: must be a whole number of seconds, -1 or 0..=86400 \
             (found \"10\"). Write it like: max_age = 600",
            // The schema's keys, named once for the whole file.
            "12:1: route[0].cors.origin: unknown key: not a corsgate policy key. The keys are: \
             allow_credentials, allow_headers, allow_methods, allow_origins, \
             allow_private_network, dangerously_allow_insecure_origins, \
             dangerously_allow_public_suffix_wildcards, debug, expose_headers, max_age, \
             preflight_continue, preflight_status.",
            // A policy without origins: the problem is at its table's header. (Routes with
            // an invalid policy get no "no CORS policy" on top.)
            "17:1: route[1].cors.allow_origins: no origin is allowed: list the origins of the \
             pages that call this API, e.g. allow_origins = [\"https://app.example.com\"], or \
             \"*\" for a public API without credentials.",
        ]
    );
}

#[test]
fn policy_warnings_carry_their_prefix() {
    let src = "[cors]\nallow_origins = [\"https://*.com\"]\n[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\n[route.cors]\nallow_origins = [\"https://a.example\", \"https://*.io\"]\n";
    let c = check_with_warnings(src).unwrap();
    let w: Vec<String> = c.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        w,
        [
            "2:18: cors.allow_origins[0]: \"https://*.com\" is valid, but broad: it matches \
             every site under the public suffix .com, where anyone can register a name. List \
             your own origins instead (e.g. https://*.example.com).",
            "7:39: route[0].cors.allow_origins[1]: \"https://*.io\" is valid, but broad: it \
             matches every site under the public suffix .io, where anyone can register a name. \
             List your own origins instead (e.g. https://*.example.com).",
        ]
    );
}

#[test]
fn the_file_s_shape() {
    assert_eq!(
        problems("[server]\n"),
        [
            "route: no [[route]]: the gateway has nowhere to send requests. Add one: a [[route]] \
          line, then lines such as path_prefix = \"/api\" and upstream = \
          \"http://127.0.0.1:3000\"."
        ]
    );
    assert_eq!(
        problems("listen = 3\nroutes = 1\nxyz = 1\nallow_origins = []\nserver = 1\ncors = 2\n[route]\npath_prefix = \"/\"\n"),
        [
            "1:1: listen: a [server] key: move this line under [server].",
            "2:1: routes: unknown key. Did you mean `route`?",
            "3:1: xyz: unknown key: not a gateway file key. The top-level tables are [server], \
             [cors] and [[route]].",
            "4:1: allow_origins: a policy key: in a gateway file the policy goes under [cors] \
             (for every route) or [route.cors] (for one route): move this line there.",
            "5:1: server: server must be a table: write [server] on a line of its own with its \
             keys under it.",
            "6:1: cors: cors must be a table: write [cors] on a line of its own with the policy \
             keys under it.",
            "7:2: route: route must be a list of tables: write [[route]] (two brackets) on a \
             line of its own above each route's keys.",
        ]
    );
    assert_eq!(
        problems("route = [1]\n"),
        [
            "1:10: route[0]: route must be a list of tables: write [[route]] (two brackets) on a \
          line of its own above each route's keys."
        ]
    );
    assert_eq!(
        problems("[[route]]\npath_prefix = \"/\"\nupstream = \"http://127.0.0.1:3000\"\nupstream_cors = \"keep\"\ncors = 1\n"),
        ["5:1: route[0].cors: cors must be a table: write [route.cors] on a line of its own \
          below this route's keys, with the policy keys under it."]
    );
}

#[test]
fn syntax_errors_name_the_table_of_their_key() {
    let src = "[server]\nlisten = [\"127.0.0.1:1\"\n[[route]]\npath_prefix = = 1\n[route.cors]\nallow_origins = [\n";
    assert_eq!(
        problems(src),
        [
            "3:1: server.listen: TOML syntax error: missing comma between array elements, \
             expected `,`.",
            "4:15: route[0].path_prefix: TOML syntax error: extra `=`, expected nothing.",
            "6:18: route[0].cors.allow_origins: TOML syntax error: unclosed array, expected `]`.",
        ]
    );
}
