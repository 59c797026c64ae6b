//! The schema's keys as a policy file sees them: their value types, examples, and the closest
//! key to a misspelt one.

use corsgate::Config;

/// What a key's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A list of strings (`allow_origins`, ...).
    List,
    /// `true` or `false`.
    Bool,
    /// A whole number (`max_age`, `preflight_status`).
    Integer,
}

/// The keys of the schema with the kind of their value, in schema order (from
/// [`corsgate::Config`]'s own serialization, so a key added there is known here).
pub(super) fn keys() -> Vec<(String, Kind)> {
    let full = Config {
        max_age: Some(0),
        preflight_status: Some(204),
        ..Config::default()
    };
    let Ok(table) = toml::Table::try_from(full) else {
        return Vec::new();
    };
    table
        .iter()
        .map(|(key, value)| {
            let kind = match value {
                toml::Value::Array(_) => Kind::List,
                toml::Value::Integer(_) => Kind::Integer,
                _ => Kind::Bool,
            };
            (key.clone(), kind)
        })
        .collect()
}

/// What a value of `key` must be, in words, and how to write one (two sentences).
pub(super) fn expectation(key: &str, kind: Kind) -> (String, String) {
    match (key, kind) {
        ("max_age", _) => (
            "must be a whole number of seconds, -1 or 0..=86400".to_owned(),
            "Write it like: max_age = 600".to_owned(),
        ),
        ("preflight_status", _) => (
            "must be 200 or 204".to_owned(),
            "Write it like: preflight_status = 204".to_owned(),
        ),
        (_, Kind::Integer) => (
            "must be a whole number".to_owned(),
            format!("Write it like: {key} = 1"),
        ),
        (_, Kind::List) => (
            "must be a list of strings".to_owned(),
            format!("Write it like: {}", example(key)),
        ),
        (_, Kind::Bool) if key.starts_with("dangerously_") => (
            "must be true or false".to_owned(),
            format!(
                "Write it as {key} = false (the default), or {key} = true if you accept the risk"
            ),
        ),
        (_, Kind::Bool) => (
            "must be true or false".to_owned(),
            format!("Write it as {key} = true or {key} = false"),
        ),
    }
}

/// A line setting `key` to a valid value (for a list: a typical one).
pub(super) fn example(key: &str) -> String {
    match key {
        "allow_origins" => {
            r#"allow_origins = ["https://app.example.com", "http://localhost:*"]"#.to_owned()
        }
        "allow_methods" => r#"allow_methods = ["GET", "POST", "PUT"]"#.to_owned(),
        "allow_headers" => r#"allow_headers = ["content-type", "authorization"]"#.to_owned(),
        "expose_headers" => r#"expose_headers = ["x-total-count"]"#.to_owned(),
        "max_age" => "max_age = 600".to_owned(),
        "preflight_status" => "preflight_status = 204".to_owned(),
        other => format!("{other} = true"),
    }
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A key as compared for suggestions: lower case, without `_` and `-` (`allowOrigins`,
/// `allow-origins` and `allow_origins` are one).
fn folded(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The schema keys closest to the unknown `key` (one, or a tie), best first; empty when none
/// is close: a few edits away, the same but for case and separators, or a key that ends
/// with it (`origins` → `allow_origins`).
pub(crate) fn closest<'a>(key: &str, keys: &'a [String]) -> Vec<&'a str> {
    let unknown = folded(key);
    let score = |k: &str| {
        let known = folded(k);
        let d = distance(&unknown, &known);
        if d <= 3 {
            Some(d)
        } else if unknown.len() >= 4 && known.ends_with(&unknown) {
            // After any near miss; the shorter the key, the likelier.
            Some(4 + known.len() - unknown.len())
        } else {
            None
        }
    };
    let scored: Vec<(usize, &str)> = keys
        .iter()
        .filter_map(|k| score(k).map(|d| (d, k.as_str())))
        .collect();
    let Some(best) = scored.iter().map(|(d, _)| *d).min() else {
        return Vec::new();
    };
    scored
        .into_iter()
        .filter(|(d, _)| *d == best)
        .map(|(_, k)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_kinds_follow_the_config() {
        let keys = keys();
        assert_eq!(keys.len(), 12);
        let kind = |k: &str| keys.iter().find(|(n, _)| n == k).map(|(_, kind)| *kind);
        assert_eq!(kind("allow_origins"), Some(Kind::List));
        assert_eq!(kind("expose_headers"), Some(Kind::List));
        assert_eq!(kind("max_age"), Some(Kind::Integer));
        assert_eq!(kind("preflight_status"), Some(Kind::Integer));
        assert_eq!(kind("allow_credentials"), Some(Kind::Bool));
        assert_eq!(
            kind("dangerously_allow_public_suffix_wildcards"),
            Some(Kind::Bool)
        );
    }

    #[test]
    fn the_closest_key_is_named() {
        let names: Vec<String> = keys().into_iter().map(|(k, _)| k).collect();
        assert_eq!(closest("allow_method", &names), ["allow_methods"]);
        assert_eq!(closest("allowOrigins", &names), ["allow_origins"]);
        assert_eq!(closest("allow-credentials", &names), ["allow_credentials"]);
        assert_eq!(closest("origins", &names), ["allow_origins"]);
        assert_eq!(closest("headers", &names), ["allow_headers"]);
        assert_eq!(closest("allow_header", &names), ["allow_headers"]);
        assert!(closest("listen", &names).is_empty());
    }
}
