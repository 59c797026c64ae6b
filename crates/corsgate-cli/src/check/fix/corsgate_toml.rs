//! The fix as a corsgate policy file (TOML, the one schema).

use super::{quoted_list, ServerPolicy};

/// The policy as a corsgate TOML file (only the keys that are not at their defaults).
///
/// `p` is a valid corsgate policy (the fix model leaves out what the library refuses, and
/// never renders the `null` origin); a `dangerously_*` switch it needs comes with a warning.
pub fn render(p: &ServerPolicy) -> String {
    let mut out = String::new();
    out.push_str(&format!("allow_origins = {}\n", quoted_list(&p.origins)));
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
    if p.insecure_origins {
        out.push_str(
            "# DANGER: a plain-http origin with credentials can be impersonated by anyone on the\n\
             # network path; serve the page over https instead. Only if you accept the risk:\n\
             dangerously_allow_insecure_origins = true\n",
        );
    }
    if p.public_suffix_wildcards {
        out.push_str(
            "# DANGER: a *. pattern under a public suffix matches names anyone can register.\n\
             dangerously_allow_public_suffix_wildcards = true\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dangerous_switch_comes_with_its_warning() {
        let p = ServerPolicy {
            origins: vec!["http://intranet.example".into()],
            credentials: true,
            insecure_origins: true,
            ..ServerPolicy::default()
        };
        let toml = render(&p);
        assert!(
            toml.ends_with("# network path; serve the page over https instead. Only if you accept the risk:\ndangerously_allow_insecure_origins = true\n"),
            "{toml}"
        );
    }
}
