//! The fix as tower-http `CorsLayer` builder calls (axum, tonic).

use super::{pattern_regex, with_safelisted_methods, ServerPolicy};

fn rust_method(m: &str) -> String {
    match m {
        "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH" | "CONNECT" | "TRACE" => {
            format!("Method::{m}")
        }
        other => format!("Method::from_bytes(b{other:?}).unwrap()"),
    }
}

/// The policy as tower-http `CorsLayer` builder calls, with the `use` lines they need.
pub fn render(p: &ServerPolicy) -> String {
    let mut out = String::from("let cors = CorsLayer::new()\n");
    let star = p.origins.iter().any(|o| o == "*");
    let patterns: Vec<String> = p.origins.iter().filter_map(|o| pattern_regex(o)).collect();
    let exact: Vec<&String> = p
        .origins
        .iter()
        .filter(|o| *o != "*" && pattern_regex(o).is_none())
        .collect();
    if star {
        out.push_str("    .allow_origin(Any)\n");
    } else if patterns.is_empty() && exact.len() == 1 {
        out.push_str(&format!(
            "    .allow_origin(HeaderValue::from_static({:?}))\n",
            exact[0]
        ));
    } else if patterns.is_empty() {
        let list: Vec<String> = exact
            .iter()
            .map(|o| format!("HeaderValue::from_static({o:?})"))
            .collect();
        out.push_str(&format!("    .allow_origin([{}])\n", list.join(", ")));
    } else {
        out.push_str(&format!(
            "    // origin patterns {} need a predicate\n    .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {{\n        let o = origin.as_bytes();\n",
            patterns.join(", ")
        ));
        for e in &exact {
            out.push_str(&format!("        o == b{e:?} ||\n"));
        }
        out.push_str("        /* match the patterns above */ false\n    }))\n");
    }
    if p.methods.iter().any(|m| m == "*") {
        out.push_str("    .allow_methods(Any)\n");
    } else if !p.methods.is_empty() {
        let list: Vec<String> = with_safelisted_methods(&p.methods)
            .iter()
            .map(|m| rust_method(m))
            .collect();
        out.push_str(&format!("    .allow_methods([{}])\n", list.join(", ")));
    }
    if p.headers.iter().any(|h| h == "*") {
        out.push_str("    .allow_headers(Any)\n");
    } else if !p.headers.is_empty() {
        out.push_str(&format!(
            "    .allow_headers([{}])\n",
            header_names(&p.headers)
        ));
    }
    if p.expose.iter().any(|h| h == "*") {
        out.push_str("    .expose_headers(Any)\n");
    } else if !p.expose.is_empty() {
        out.push_str(&format!(
            "    .expose_headers([{}])\n",
            header_names(&p.expose)
        ));
    }
    if p.credentials {
        out.push_str("    .allow_credentials(true)\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!(
            "    .max_age(std::time::Duration::from_secs({}))\n",
            m.max(0)
        ));
    }
    let body = out.trim_end().to_owned();
    format!(
        "{}{body};\n// add it last (outermost): Router::new().route(...).layer(cors)\n",
        use_lines(&body)
    )
}

/// `HeaderName::from_static(..)` for each name, lower-cased, comma-separated.
fn header_names(names: &[String]) -> String {
    names
        .iter()
        .map(|h| format!("HeaderName::from_static({:?})", h.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `use` lines the builder calls in `body` need, then a blank line.
fn use_lines(body: &str) -> String {
    let mut http_uses = Vec::new();
    if body.contains("HeaderName::") {
        http_uses.push("header::HeaderName");
    }
    if body.contains("HeaderValue") {
        http_uses.push("HeaderValue");
    }
    if body.contains("Method::") {
        http_uses.push("Method");
    }
    let mut cors_uses = Vec::new();
    if body.contains("AllowOrigin::") {
        cors_uses.push("AllowOrigin");
    }
    if body.contains("(Any)") {
        cors_uses.push("Any");
    }
    cors_uses.push("CorsLayer");
    let mut head = String::new();
    if !http_uses.is_empty() {
        head.push_str(&format!("use http::{{{}}};\n", http_uses.join(", ")));
    }
    if cors_uses.len() == 1 {
        head.push_str("use tower_http::cors::CorsLayer;\n\n");
    } else {
        head.push_str(&format!(
            "use tower_http::cors::{{{}}};\n\n",
            cors_uses.join(", ")
        ));
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_name_only_what_the_calls_need() {
        let p = ServerPolicy {
            origins: vec!["*".into()],
            ..ServerPolicy::default()
        };
        assert_eq!(
            render(&p),
            "use tower_http::cors::{Any, CorsLayer};\n\nlet cors = CorsLayer::new()\n    \
             .allow_origin(Any);\n// add it last (outermost): Router::new().route(...).layer(cors)\n"
        );
    }

    #[test]
    fn unusual_methods_are_built_from_bytes() {
        assert_eq!(rust_method("PUT"), "Method::PUT");
        assert_eq!(
            rust_method("patch"),
            "Method::from_bytes(b\"patch\").unwrap()"
        );
    }
}
