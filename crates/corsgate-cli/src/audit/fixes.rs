//! The fix of each finding (pure): what to change, and the safe policy in check's four renderers (corsgate, npm cors, tower-http, nginx).

use serde::Serialize;

use super::findings::Class;
use super::flags::Target;
use crate::check::fix::{self, corsgate_toml, nginx, npm_cors, tower_http, ServerPolicy};

/// The origin the fixes list when no `--origin` was given: a placeholder to replace.
pub const PLACEHOLDER_ORIGIN: &str = "https://app.example.com";

/// What to change, and the policy for four stacks (`null` when the fix is no policy change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditFix {
    /// What to change, in one or two sentences.
    pub summary: String,
    /// A corsgate policy file (TOML).
    pub corsgate: Option<String>,
    /// The npm `cors` package's options (Express).
    pub npm_cors: Option<String>,
    /// tower-http `CorsLayer` builder calls (axum, tonic).
    pub tower_http: Option<String>,
    /// nginx directives.
    pub nginx: Option<String>,
}

/// The fix for `class` on `target`; `credentials`: the pages use them (keep them allowed);
/// `origins`: the origins the finding's probes used.
pub fn fix(class: Class, target: &Target, credentials: bool, origins: &[&str]) -> AuditFix {
    let shown = |n: usize| {
        let mut list: Vec<&str> = origins.iter().copied().take(n).collect();
        list.dedup();
        list.join(", ")
    };
    let what = match class {
        Class::ReflectAnyOrigin => "Stop echoing the request's Origin (npm cors `origin: true`, a regex `.*`, `$http_origin` passed through): allow only your pages' origins, compared whole.".to_owned(),
        Class::NullOrigin => "Remove null from the allowed origins: every sandboxed iframe, data: URL and file sends it, on any site. Serve the pages that need access from a real origin and allow that.".to_owned(),
        Class::PrefixMatch => format!("Compare the whole origin, not its beginning (`startsWith`, a regex without `$`): {} got through.", shown(3)),
        Class::SuffixMatch => format!("Compare the whole origin, not its end (`endsWith(\"example.com\")` also matches attackerexample.com); for subdomains match `.` plus the domain, anchored: {} got through.", shown(3)),
        Class::UnescapedDot => format!("Escape the dots of origin regexes (`\\.`), anchor them with `^` and `$`, or list exact origins: {} got through.", shown(3)),
        Class::AnySubdomain => format!("If not every subdomain is yours and safe (no user content, no dangling DNS), list the subdomains that need access instead of all: {} got through.", shown(3)),
        Class::InsecureOrigin => format!("Trust only https:// origins on an https API: {} got through.", shown(3)),
        Class::SpecialChars => format!("Anchor origin regexes at the end (`$`) and compare whole origins: {} got through.", shown(4)),
        Class::ThirdPartyHost => format!("Do not trust shared hosting domains (anyone can publish there): list your own pages' exact origins. {} got through.", shown(6)),
        Class::WildcardWithCredentials => "With credentials, answer the exact origin of an allowed page (and Vary: Origin) instead of *; for a public API without cookies, drop Access-Control-Allow-Credentials.".to_owned(),
        Class::MissingVary => "Send Vary: Origin on every response whose Access-Control-Allow-Origin depends on the request's Origin (each stack below does).".to_owned(),
        Class::PreflightDisclosure => "Answer a preflight from an origin you do not allow without Access-Control-Allow-Methods and -Headers (corsgate answers it 403 with no CORS headers); in nginx, return early for such origins instead of adding the headers to every OPTIONS answer.".to_owned(),
        Class::PrivateNetworkAnyOrigin => "Answer Access-Control-Allow-Private-Network: true only to preflights from your own pages' origins.".to_owned(),
        Class::TrustedOriginRefused => format!("Allow the trusted origins{}: {} got no answer it could read.", if target.preflight { ", with the method and headers the pages send" } else { "" }, shown(4)),
        Class::MaxAgeTooLong => "Keep Access-Control-Max-Age at 7200 s (Chrome's cap) or less, e.g. 600.".to_owned(),
        Class::Redirect => {
            return AuditFix {
                summary: "Audit the URL the redirect leads to (e.g. with https:// or a trailing slash); the browser follows it, the audit does not.".to_owned(),
                corsgate: None,
                npm_cors: None,
                tower_http: None,
                nginx: None,
            };
        }
    };
    let mut policy = ServerPolicy {
        origins: if target.trusted.is_empty() {
            vec![PLACEHOLDER_ORIGIN.to_owned()]
        } else {
            target.trusted.clone()
        },
        credentials,
        ..ServerPolicy::default()
    };
    if target.preflight {
        if !corsgate_fetch::is_safelisted_method(target.method.as_bytes()) {
            policy.methods.push(target.method.clone());
        }
        policy.headers = target.unsafe_headers.clone();
    }
    if class == Class::MaxAgeTooLong {
        policy.max_age = Some(600);
    }
    let (policy, left_out) = fix::valid(policy);
    let mut summary = what;
    if target.trusted.is_empty() {
        summary.push_str(&format!(
            " Replace {PLACEHOLDER_ORIGIN} below with your pages' origins (and give them to corsgate audit with --origin)."
        ));
    }
    summary.push_str(&left_out);
    let mut corsgate = corsgate_toml::render(&policy);
    let mut tower = tower_http::render(&policy);
    let mut ngx = nginx::render(&policy);
    let npm = npm_cors::render(&policy);
    if class == Class::PrivateNetworkAnyOrigin {
        corsgate.push_str("allow_private_network = true\n");
        tower.push_str("// and .allow_private_network(true) on the layer above\n");
        ngx.push_str(
            "# in the OPTIONS block, for the allowed origins only:\n# add_header Access-Control-Allow-Private-Network \"true\" always;\n",
        );
    }
    AuditFix {
        summary,
        corsgate: Some(corsgate),
        npm_cors: Some(npm),
        tower_http: Some(tower),
        nginx: Some(ngx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(trusted: &[&str], method: &str) -> Target {
        let trusted: Vec<String> = trusted.iter().map(|s| (*s).to_owned()).collect();
        Target::new("https://api.example.com/data", &trusted, method, &[]).unwrap()
    }

    #[test]
    fn the_fix_lists_the_trusted_origins_and_builds() {
        let f = fix(
            Class::ReflectAnyOrigin,
            &target(
                &["https://app.example.com", "https://admin.example.com"],
                "PUT",
            ),
            true,
            &["https://corsgate-attacker.example"],
        );
        let toml = f.corsgate.unwrap();
        assert!(toml.contains(
            "allow_origins = [\"https://app.example.com\", \"https://admin.example.com\"]\n"
        ));
        assert!(toml.contains("allow_methods = [\"PUT\"]\n"), "{toml}");
        assert!(toml.contains("allow_credentials = true\n"));
        let config: corsgate::Config = toml::from_str(&toml).unwrap();
        assert!(config.build().is_ok());
        assert!(f.npm_cors.unwrap().contains("credentials: true"));
        assert!(f.nginx.unwrap().contains("map $http_origin $cors_origin"));
        assert!(f.tower_http.unwrap().contains("CorsLayer::new()"));
    }

    #[test]
    fn without_trusted_origins_a_placeholder_is_named() {
        let f = fix(Class::NullOrigin, &target(&[], "GET"), false, &["null"]);
        assert!(
            f.summary.contains("Replace https://app.example.com below"),
            "{}",
            f.summary
        );
        let toml = f.corsgate.unwrap();
        assert_eq!(toml, "allow_origins = [\"https://app.example.com\"]\n");
    }

    #[test]
    fn special_fixes() {
        let t = target(&["https://app.example.com"], "GET");
        let f = fix(Class::PrivateNetworkAnyOrigin, &t, false, &[]);
        assert!(f
            .corsgate
            .unwrap()
            .ends_with("allow_private_network = true\n"));
        let f = fix(Class::MaxAgeTooLong, &t, false, &[]);
        assert!(f.corsgate.unwrap().contains("max_age = 600\n"));
        let f = fix(Class::Redirect, &t, false, &[]);
        assert!(f.corsgate.is_none() && f.nginx.is_none());
    }
}
