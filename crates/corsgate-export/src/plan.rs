//! A validated policy as what any target needs: the expressions to match and the values to
//! send, taken from the library's own answers so that nothing is rendered twice.

use corsgate::{Cors, Outcome};
use http::{HeaderMap, Request};

use crate::regex;
use crate::{Target, Unsupported};

/// `Access-Control-Allow-Methods` on a preflight that passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowMethods {
    /// Not sent.
    None,
    /// This value, always.
    Fixed(String),
    /// The requested method echoed (`*` with credentials).
    Echo,
}

/// `Access-Control-Allow-Headers` on a preflight that passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowHeaders {
    /// Not sent.
    None,
    /// This value, always.
    Fixed(String),
    /// `*`, or `*, authorization` when `authorization` is requested (`*` without
    /// credentials: the spec keeps `Authorization` out of the wildcard).
    StarOrAuthorization,
    /// The requested list echoed when it names at least one header (`*` with credentials).
    Echo,
}

/// What every target's config is made of.
#[derive(Clone, Debug)]
pub struct Plan {
    /// `allow_origins = ["*"]`: every answer carries `Access-Control-Allow-Origin: *`.
    pub any_origin: bool,
    /// Each entry of `allow_origins` as written, with its anchored regex (empty with `*`).
    pub origins: Vec<(String, String)>,
    /// Anchored regex for `Access-Control-Request-Method` values that pass.
    pub method_regex: String,
    /// Anchored regex for `Access-Control-Request-Headers` values that pass.
    pub headers_regex: String,
    /// `allow_credentials`.
    pub credentials: bool,
    /// See [`AllowMethods`].
    pub allow_methods: AllowMethods,
    /// See [`AllowHeaders`].
    pub allow_headers: AllowHeaders,
    /// `Access-Control-Expose-Headers` on actual responses from allowed origins.
    pub expose: Option<String>,
    /// `Access-Control-Max-Age` on preflights that pass.
    pub max_age: Option<String>,
    /// `allow_private_network`.
    pub private_network: bool,
    /// The status of a preflight that passes (200 or 204).
    pub preflight_status: u16,
    /// `Vary` on every preflight answer, passed or refused.
    pub vary_preflight: String,
    /// `Vary: origin` merged into every other response (not with `*`).
    pub vary_origin: bool,
    /// `debug`: a preflight from an allowed origin that fails a later check is answered
    /// with the policy's status and the allowed parts (no max-age), so that the browser
    /// names what is wrong; the values are those of a passing preflight, less what the
    /// failed check left unknown (see each renderer's `explained` kind).
    pub debug: bool,
    /// `preflight_continue`: preflights go on to the upstream, whose answer gets the
    /// preflight's headers (its own CORS headers hidden) and the preflight's `Vary` names
    /// merged one by one into its `Vary`.
    pub preflight_continue: bool,
}

impl Plan {
    /// The plan for `cors` on `target`, or the feature `target` cannot be given.
    pub fn new(cors: &Cors, target: Target) -> Result<Plan, Unsupported> {
        let config = cors.config();
        let refuse = |feature: &str, why: &str| Unsupported {
            feature: feature.to_owned(),
            target,
            why: why.to_owned(),
        };
        if config.allow_origin_predicate.is_some() {
            return Err(refuse(
                "allow_origin_predicate",
                "it is Rust code, which no server configuration can run",
            ));
        }
        if let Some(m) = config
            .allow_methods
            .iter()
            .find(|m| *m != "*" && crate::known_difference(target, m).is_some())
        {
            return Err(refuse(
                &format!("allow_methods entry \"{m}\""),
                "nginx answers 400 to any request whose method is not upper case, before its \
                 configuration is read, so no nginx config can allow it",
            ));
        }
        let any_origin = config.allow_origins.iter().any(|o| o == "*");
        let origins = if any_origin {
            Vec::new()
        } else {
            config
                .allow_origins
                .iter()
                .map(|o| (o.clone(), regex::origin(o)))
                .collect()
        };
        let credentials = config.allow_credentials;
        let any_method = config.allow_methods.iter().any(|m| m == "*");
        let any_header = config.allow_headers.iter().any(|h| h == "*");

        // The library's own answers, for an allowed origin: the values rendered once.
        let sample = config
            .allow_origins
            .first()
            .map(|o| sample_origin(o))
            .unwrap_or_default();
        let preflight = answer(cors, "OPTIONS", &sample, Some("GET"));
        let actual = answer(cors, "GET", &sample, None);
        let get = |map: &HeaderMap, name: &str| {
            map.get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let rendered_methods = get(&preflight, "access-control-allow-methods");
        let rendered_headers = get(&preflight, "access-control-allow-headers");
        let listed = |v: &Option<String>| -> Vec<String> {
            v.as_deref()
                .map(|s| s.split(", ").map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let method_list = listed(&rendered_methods);
        let header_list = listed(&rendered_headers);

        let allow_methods = match (any_method && credentials, rendered_methods) {
            (true, _) => AllowMethods::Echo,
            (false, Some(v)) => AllowMethods::Fixed(v),
            (false, None) => AllowMethods::None,
        };
        let allow_headers = match (any_header, credentials, rendered_headers) {
            (true, true, _) => AllowHeaders::Echo,
            (true, false, _) => AllowHeaders::StarOrAuthorization,
            (false, _, Some(v)) => AllowHeaders::Fixed(v),
            (false, _, None) => AllowHeaders::None,
        };
        Ok(Plan {
            any_origin,
            origins,
            method_regex: regex::methods((!any_method).then_some(&method_list[..])),
            headers_regex: regex::header_list((!any_header).then_some(&header_list[..])),
            credentials,
            allow_methods,
            allow_headers,
            expose: get(&actual, "access-control-expose-headers"),
            max_age: get(&preflight, "access-control-max-age"),
            private_network: config.allow_private_network,
            preflight_status: config.preflight_status.unwrap_or(204),
            vary_preflight: get(&preflight, "vary").unwrap_or_default(),
            vary_origin: !any_origin,
            debug: config.debug,
            preflight_continue: config.preflight_continue,
        })
    }

    /// The origins, comma-separated, for comments.
    pub fn origins_text(&self) -> String {
        if self.any_origin {
            "*".to_owned()
        } else {
            let all: Vec<&str> = self.origins.iter().map(|(o, _)| o.as_str()).collect();
            all.join(", ")
        }
    }

    /// Every origin regex as one alternation (`^(?:a|b)$`); `None` with `*`.
    pub fn origin_regex(&self) -> Option<String> {
        if self.any_origin {
            return None;
        }
        let alts: Vec<&str> = self
            .origins
            .iter()
            .map(|(_, r)| {
                r.strip_prefix('^')
                    .and_then(|r| r.strip_suffix('$'))
                    .unwrap_or(r)
            })
            .collect();
        Some(format!("^(?:{})$", alts.join("|")))
    }
}

/// An origin an `allow_origins` entry matches, for asking the library what it answers.
pub fn sample_origin(entry: &str) -> String {
    if entry == "*" {
        return "https://example.com".to_owned();
    }
    let s = entry.replace("://*.", "://a.");
    match s.strip_suffix(":*") {
        Some(bare) => bare.to_owned(),
        None => s,
    }
}

/// The CORS headers the library gives one request.
fn answer(cors: &Cors, method: &str, origin: &str, request_method: Option<&str>) -> HeaderMap {
    let mut builder = Request::builder()
        .method(method)
        .uri("/")
        .header("origin", origin);
    if let Some(m) = request_method {
        builder = builder.header("access-control-request-method", m);
    }
    let mut map = HeaderMap::new();
    if let Ok(request) = builder.body(()) {
        let (parts, ()) = request.into_parts();
        let decision = cors.decide(&parts);
        debug_assert!(!matches!(decision.outcome(), Outcome::PreflightFail(_)));
        decision.headers().apply_to(&mut map);
    }
    map
}
