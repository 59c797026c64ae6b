//! The fix for the npm `cors` package (Express).

use super::{pattern_regex, quoted_list, with_safelisted_methods, ServerPolicy};

fn js_string(s: &str) -> String {
    format!("{s:?}")
}

/// The policy for the npm `cors` package.
pub fn render(p: &ServerPolicy) -> String {
    let origins: Vec<String> = p
        .origins
        .iter()
        .map(|o| match pattern_regex(o) {
            Some(re) => format!("/{re}/"),
            None if o == "*" => "\"*\"".to_owned(),
            None => js_string(o),
        })
        .collect();
    let origin = if origins.len() == 1 {
        origins[0].clone()
    } else {
        format!("[{}]", origins.join(", "))
    };
    let mut out = String::from("const cors = require(\"cors\");\n\napp.use(cors({\n");
    out.push_str(&format!("  origin: {origin},\n"));
    if !p.methods.is_empty() {
        let methods = with_safelisted_methods(&p.methods);
        out.push_str(&format!("  methods: {},\n", quoted_list(&methods)));
    }
    if !p.headers.is_empty() {
        out.push_str(&format!("  allowedHeaders: {},\n", quoted_list(&p.headers)));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!("  exposedHeaders: {},\n", quoted_list(&p.expose)));
    }
    if p.credentials {
        out.push_str("  credentials: true,\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!("  maxAge: {},\n", m.max(0)));
    }
    out.push_str("}));\n// before any auth middleware and routes, so preflights get an answer\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_become_regex_literals() {
        let p = ServerPolicy {
            origins: vec!["https://*.example.com".into(), "http://a.com".into()],
            ..ServerPolicy::default()
        };
        let js = render(&p);
        assert!(
            js.contains(
                "  origin: [/^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$/, \"http://a.com\"],\n"
            ),
            "{js}"
        );
    }
}
