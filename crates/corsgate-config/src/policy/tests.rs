//! Unit tests of policy files: parsing, every problem with its line, type and key errors.

use super::*;

#[test]
fn a_valid_policy_parses() {
    let c = parse("allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"GET\", \"PUT\"]\nmax_age = 600\n")
        .unwrap()
        .config();
    assert_eq!(c.allow_methods, ["GET", "PUT"]);
    assert_eq!(c.max_age, Some(600));
}

#[test]
fn every_problem_is_listed_with_its_line_in_file_order() {
    let src = "allow_origins = [\"https://a.com\", \"https://b.com:443\", \"*\"]\nallow_credentials = true\nallow_method = [\"PUT\"]\nmax_age = \"10\"\n";
    let p = parse(src).unwrap_err();
    // The unknown key and the wrong type, and what validating the rest finds.
    let at: Vec<(Option<usize>, Option<&str>)> =
        p.iter().map(|p| (p.line, p.key.as_deref())).collect();
    assert_eq!(
        at,
        [
            (Some(1), Some("allow_origins[1]")),
            (Some(1), Some("allow_origins[2]")),
            (Some(3), Some("allow_method")),
            (Some(4), Some("max_age")),
        ],
        "{p:#?}"
    );
    assert_eq!(p[2].message, "unknown key. Did you mean `allow_methods`?");
    assert_eq!(
        p[3].message,
        "must be a whole number of seconds, -1 or 0..=86400 (found \"10\"). Write it like: \
         max_age = 600"
    );
}

#[test]
fn wrong_types_say_what_the_key_takes() {
    let p = parse("allow_origins = [\"https://a.com\"]\ndebug = \"yes\"\ndangerously_allow_insecure_origins = 1\npreflight_status = 70000\nallow_headers = [\"x\", 2]\n").unwrap_err();
    let messages: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "2:9: debug: must be true or false (found \"yes\"). Write it as debug = true or \
             debug = false",
            "3:38: dangerously_allow_insecure_origins: must be true or false (found 1). Write \
             it as dangerously_allow_insecure_origins = false (the default), or \
             dangerously_allow_insecure_origins = true if you accept the risk",
            "4:20: preflight_status: must be 200 or 204 (found 70000). Write it like: \
             preflight_status = 204",
            "5:23: allow_headers[1]: each entry must be a string in quotes (found 2). Write it \
             like: allow_headers = [\"content-type\", \"authorization\"]",
        ]
    );
}

#[test]
fn the_keys_are_listed_once_and_only_without_a_close_one() {
    let p = parse("allow_origins = [\"https://a.com\"]\nport = 1\nlisten = 2\nallow_origin = []\n")
        .unwrap_err();
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(
        p[0].message.starts_with(
            "unknown key: not a corsgate policy key. The keys are: allow_credentials, "
        ),
        "{}",
        p[0].message
    );
    assert_eq!(p[1].message, "unknown key: not a corsgate policy key.");
    assert_eq!(p[2].message, "unknown key. Did you mean `allow_origins`?");
}

#[test]
fn a_cors_table_holds_the_policy_or_nothing_does() {
    let c =
        parse("[cors]\nallow_origins = [\"https://a.com\"]\nallow_methods = [\"PUT\"]\n").unwrap();
    assert_eq!(c.config().allow_methods, ["PUT"]);
    let p = parse("max_age = 5\n[cors]\nallow_origins = [\"https://a.com:443\"]\n").unwrap_err();
    let messages: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(
        messages[0],
        "1:1: max_age: policy keys go either all at the top level or all under [cors], not \
         both: move this line under [cors]."
    );
    assert!(
        messages[1].starts_with("3:18: cors.allow_origins[0]: \"https://a.com:443\": "),
        "{}",
        messages[1]
    );
}

#[test]
fn a_type_error_does_not_hide_the_policy_errors() {
    let p =
        parse("allow_origins = [\"*\"]\nallow_credentials = true\nmax_age = true\n").unwrap_err();
    let keys: Vec<Option<&str>> = p.iter().map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, [Some("allow_origins[0]"), Some("max_age")], "{p:#?}");
    // A key with a wrong type is left out, and its absence is no problem of its own.
    let p = parse("allow_origins = \"https://a.com\"\n").unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].message.starts_with("must be a list of strings"),
        "{p:#?}"
    );
}

#[test]
fn a_public_suffix_wildcard_is_valid_but_warned_about() {
    let c = check("allow_origins = [\"https://app.example.com\", \"https://*.com\"]\n").unwrap();
    assert_eq!(c.warnings.len(), 1, "{:#?}", c.warnings);
    assert_eq!(
        c.warnings[0].to_string(),
        "1:45: allow_origins[1]: \"https://*.com\" is valid, but broad: it matches every site \
         under the public suffix .com, where anyone can register a name. List your own \
         origins instead (e.g. https://*.example.com)."
    );
    assert!(check("allow_origins = [\"https://*.example.com\"]\n")
        .unwrap()
        .warnings
        .is_empty());
}

#[test]
fn too_many_entries_are_at_the_key() {
    let origins: Vec<String> = (0..10_001)
        .map(|i| format!("\"https://a{i}.example\""))
        .collect();
    let src = format!("max_age = 5\nallow_origins = [{}]\n", origins.join(", "));
    let p = parse(&src).unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!((p[0].line, p[0].column), (Some(2), Some(17)));
    assert_eq!(p[0].key.as_deref(), Some("allow_origins"));
    assert!(
        p[0].message
            .starts_with("allow_origins has 10001 entries; corsgate accepts at most 10000"),
        "{}",
        p[0].message
    );
}

#[test]
fn validation_errors_point_at_the_entry() {
    let src = "allow_credentials = true\nallow_origins = [\n  \"https://a.com\",\n  \"https://b.com:443\",\n  \"*\",\n]\n";
    let p = parse(src).unwrap_err();
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!(p[0].key.as_deref(), Some("allow_origins[1]"));
    assert_eq!((p[0].line, p[0].column), (Some(4), Some(3)));
    assert_eq!(p[1].key.as_deref(), Some("allow_origins[2]"));
    assert_eq!(p[1].line, Some(5));
}

#[test]
fn syntax_errors_have_a_line() {
    let p = parse("allow_origins = [\"https://a.com\"\nmax_age = 1\n").unwrap_err();
    assert!(p[0].line.is_some());
    assert!(p[0].message.starts_with("TOML syntax error"));
}

#[test]
fn missing_origins_say_what_to_add() {
    let p = parse("allow_methods = [\"PUT\"]\n").unwrap_err();
    assert_eq!(p[0].key.as_deref(), Some("allow_origins"));
    assert_eq!(p[0].line, None);
    assert!(
        p[0].message.contains("allow_origins = ["),
        "{}",
        p[0].message
    );
}

#[test]
fn one_syntax_mistake_is_one_problem() {
    let p = parse("allow_origins = [\"https://a.com\",\nallow_methods = [\"PUT\"]\nmax_age = 1\n")
        .unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        p[0].to_string(),
        "1:34: allow_origins: TOML syntax error: unclosed array, expected `]`."
    );
}

#[test]
fn schema_keys_match_the_config() {
    let keys = schema_keys();
    assert!(keys.contains(&"allow_origins".to_owned()));
    assert!(keys.contains(&"max_age".to_owned()));
    assert!(keys.contains(&"dangerously_allow_public_suffix_wildcards".to_owned()));
    assert_eq!(keys.len(), 12);
}
