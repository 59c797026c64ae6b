//! The fix for nginx: the headers on every response and the answer to `OPTIONS`.

use super::{pattern_regex, with_safelisted_methods, ServerPolicy};

/// The policy for nginx: a `map` for several or patterned origins, the preflight answer in
/// an `if ($request_method = OPTIONS)` block, and the headers on every other response.
///
/// A preflight from an origin the policy does not allow is answered first, without
/// `Access-Control-Allow-Methods`/`-Headers`/`-Max-Age` (they would disclose the policy to
/// any origin: `audit`'s preflight-disclosure): a second `map` on `"$request_method:<origin>"`
/// sets `$cors_refused_preflight` to 1 for them. (nginx's `if` cannot combine conditions,
/// and `add_header` cannot be made conditional except through an empty value.)
pub fn render(p: &ServerPolicy) -> String {
    let mut out = String::new();
    let star = p.origins.iter().any(|o| o == "*") && !p.credentials;
    let single_exact = p.origins.len() == 1 && pattern_regex(&p.origins[0]).is_none() && !star;
    let origin_value = if star {
        "\"*\"".to_owned()
    } else if single_exact {
        // Exact keys are looked up before regexes: the allowed origin's preflight is 0.
        out.push_str(&format!(
            "# in the http {{}} block:\nmap \"$request_method:$http_origin\" $cors_refused_preflight {{\n    default 0;\n    \"OPTIONS:{}\" 0;\n    \"~^OPTIONS:\" 1;\n}}\n\n",
            p.origins[0]
        ));
        format!("\"{}\"", p.origins[0])
    } else {
        out.push_str(
            "# in the http {} block:\nmap $http_origin $cors_origin {\n    default \"\";\n",
        );
        for o in &p.origins {
            match pattern_regex(o) {
                Some(re) => out.push_str(&format!(
                    "    \"~{}\" $http_origin;\n",
                    re.replace("\\/", "/")
                )),
                None => out.push_str(&format!("    \"{o}\" $http_origin;\n")),
            }
        }
        out.push_str("}\n");
        // `$cors_origin` is empty for an origin not allowed.
        out.push_str(
            "map \"$request_method:$cors_origin\" $cors_refused_preflight {\n    default 0;\n    \"OPTIONS:\" 1;\n}\n\n",
        );
        "$cors_origin".to_owned()
    };
    let vary = !star;
    let mut common = Vec::new();
    common.push(format!(
        "add_header Access-Control-Allow-Origin {origin_value} always;"
    ));
    if p.credentials {
        common.push("add_header Access-Control-Allow-Credentials \"true\" always;".to_owned());
    }
    if vary {
        common.push("add_header Vary Origin always;".to_owned());
    }
    out.push_str("location / {\n");
    if !star {
        out.push_str(
            "    # a preflight from an origin not allowed: answered without the methods and headers\n    if ($cors_refused_preflight) {\n        return 204;\n    }\n",
        );
    }
    out.push_str("    if ($request_method = OPTIONS) {\n");
    for line in &common {
        out.push_str(&format!("        {line}\n"));
    }
    let methods = with_safelisted_methods(&p.methods);
    out.push_str(&format!(
        "        add_header Access-Control-Allow-Methods \"{}\" always;\n",
        methods.join(", ")
    ));
    if !p.headers.is_empty() {
        out.push_str(&format!(
            "        add_header Access-Control-Allow-Headers \"{}\" always;\n",
            p.headers.join(", ")
        ));
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!(
            "        add_header Access-Control-Max-Age {} always;\n",
            m.max(0)
        ));
    }
    out.push_str("        return 204;\n    }\n");
    for line in &common {
        out.push_str(&format!("    {line}\n"));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!(
            "    add_header Access-Control-Expose-Headers \"{}\" always;\n",
            p.expose.join(", ")
        ));
    }
    out.push_str(
        "    # ... proxy_pass / root as before (and no other Access-Control-* headers)\n}\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_origins_go_through_a_map() {
        let p = ServerPolicy {
            origins: vec!["http://a.com".into(), "https://*.example.com".into()],
            ..ServerPolicy::default()
        };
        let conf = render(&p);
        assert!(
            conf.contains("    \"http://a.com\" $http_origin;\n"),
            "{conf}"
        );
        assert!(
            conf.contains("    \"~^https://([a-z0-9-]+\\.)+example\\.com$\" $http_origin;\n"),
            "{conf}"
        );
        assert!(conf.contains("add_header Access-Control-Allow-Origin $cors_origin always;"));
        assert!(conf.contains("add_header Vary Origin always;"));
        assert!(
            conf.contains(
                "map \"$request_method:$cors_origin\" $cors_refused_preflight {\n    default 0;\n    \"OPTIONS:\" 1;\n}\n"
            ),
            "{conf}"
        );
    }

    /// A refused origin's preflight returns before the `OPTIONS` block that lists the
    /// methods and headers (audit's preflight-disclosure; a real nginx serving this is
    /// audited in tests/audit_real.rs).
    #[test]
    fn a_preflight_from_an_origin_not_allowed_discloses_nothing() {
        let p = ServerPolicy {
            origins: vec!["https://app.example.com".into()],
            methods: vec!["PUT".into()],
            headers: vec!["x-token".into()],
            max_age: Some(600),
            credentials: true,
            ..ServerPolicy::default()
        };
        let conf = render(&p);
        assert!(
            conf.starts_with(
                "# in the http {} block:\nmap \"$request_method:$http_origin\" $cors_refused_preflight {\n    default 0;\n    \"OPTIONS:https://app.example.com\" 0;\n    \"~^OPTIONS:\" 1;\n}\n\nlocation / {\n"
            ),
            "{conf}"
        );
        let refused = conf
            .find("    if ($cors_refused_preflight) {\n        return 204;\n    }\n")
            .expect(&conf);
        let options = conf.find("if ($request_method = OPTIONS)").expect(&conf);
        let methods = conf
            .find("add_header Access-Control-Allow-Methods")
            .expect(&conf);
        assert!(refused < options && options < methods, "{conf}");
        // Only the OPTIONS block lists them.
        assert_eq!(conf.matches("Access-Control-Allow-Methods").count(), 1);
        assert_eq!(conf.matches("Access-Control-Allow-Headers").count(), 1);
        assert_eq!(conf.matches("Access-Control-Max-Age").count(), 1);
        // A public API has nothing to hide: no guard.
        let star = render(&ServerPolicy {
            origins: vec!["*".into()],
            ..ServerPolicy::default()
        });
        assert!(!star.contains("cors_refused_preflight"), "{star}");
    }
}
