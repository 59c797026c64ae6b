//! The fix as a corsgate policy file (TOML, the one schema).

use super::{quoted_list, ServerPolicy};

/// The policy as a corsgate TOML file (only the keys that are not at their defaults).
pub fn render(p: &ServerPolicy) -> String {
    let mut out = String::new();
    if p.origins.iter().any(|o| o == "null") {
        out.push_str(
            "# corsgate never allows the `null` origin (any sandboxed page can send it): avoid \
             the cross-origin redirect that made the origin null, or, for public data without \
             credentials, allow_origins = [\"*\"].\n",
        );
    }
    let origins: Vec<String> = p.origins.iter().filter(|o| *o != "null").cloned().collect();
    out.push_str(&format!("allow_origins = {}\n", quoted_list(&origins)));
    if !p.methods.is_empty() {
        out.push_str(&format!("allow_methods = {}\n", quoted_list(&p.methods)));
    }
    if !p.headers.is_empty() {
        out.push_str(&format!("allow_headers = {}\n", quoted_list(&p.headers)));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!("expose_headers = {}\n", quoted_list(&p.expose)));
    }
    if p.credentials {
        out.push_str("allow_credentials = true\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!("max_age = {m}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_origin_is_explained_not_listed() {
        let p = ServerPolicy {
            origins: vec!["null".into()],
            ..ServerPolicy::default()
        };
        let toml = render(&p);
        assert!(
            toml.starts_with("# corsgate never allows the `null` origin"),
            "{toml}"
        );
        assert!(toml.ends_with("allow_origins = []\n"), "{toml}");
    }
}
