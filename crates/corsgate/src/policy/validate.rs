//! Turning a [`Config`] into a [`Policy`]: every check, every error at once, every value rendered.

use std::collections::HashSet;

use http::{HeaderValue, StatusCode};

use super::origin_set::OriginSet;
use super::pattern::OriginPattern;
use super::request_headers::MAX_REQUEST_HEADERS_LEN;
use super::token::{
    is_cors_protocol_header, is_forbidden_method, is_forbidden_request_header,
    is_forbidden_response_header, is_safelisted_response_header, is_token, normalize_method,
};
use super::value::{owned_value, STAR, STAR_AUTHORIZATION, VARY_ORIGIN, VARY_PREFLIGHT};
use super::{Headers, Methods, Policy, Rendered};
use crate::config::Config;
use crate::error::{ConfigError, ConfigErrors, ErrorKind, Field};

/// Collects errors while walking the config.
struct Errors(Vec<ConfigError>);

impl Errors {
    fn push(
        &mut self,
        field: Field,
        index: Option<usize>,
        value: &str,
        kind: ErrorKind,
        message: impl Into<String>,
    ) {
        self.0
            .push(ConfigError::new(field, index, value, kind, message));
    }
}

/// Renders a value that is known to be valid (tokens joined by `, `, digits, `*`), owned by
/// the policy: decisions and responses share it (see `value`).
fn render(s: &str) -> HeaderValue {
    owned_value(s)
}

/// The longest lists a policy may have. No real policy comes near them (the longest seen
/// in the wild list a few hundred origins); they bound the work and memory of validating a
/// hostile or generated config, which is otherwise linear in its size.
pub(crate) const MAX_ORIGINS: usize = 10_000;
/// See [`MAX_ORIGINS`]. There are a few dozen registered methods.
pub(crate) const MAX_METHODS: usize = 100;
/// See [`MAX_ORIGINS`]. A browser's `Access-Control-Request-Headers` is bounded by
/// [`MAX_REQUEST_HEADERS_LEN`] anyway.
pub(crate) const MAX_HEADERS: usize = 1_000;

/// How many entries of `list` to check: all of them, or none when it is longer than `max`
/// (refused with one error).
fn walkable(errors: &mut Errors, field: Field, list: &[String], max: usize) -> usize {
    let len = list.len();
    if len <= max {
        return len;
    }
    errors.push(
        field,
        None,
        &format!("{len} entries"),
        ErrorKind::TooManyEntries,
        format!("{field} has {len} entries; corsgate accepts at most {max}: use a pattern (e.g. https://*.example.com) or \"*\" instead of listing every value"),
    );
    0
}

fn token_error(what: &str) -> String {
    format!(
        "not a valid {what}: use letters, digits and !#$%&'*+-.^_`|~ only, with no spaces or commas (one name per list entry)"
    )
}

pub(super) fn build(config: Config) -> Result<Policy, ConfigErrors> {
    let mut errors = Errors(Vec::new());
    let credentials = config.allow_credentials;

    // --- allow_origins -------------------------------------------------------------------
    let origins_walked = walkable(
        &mut errors,
        Field::AllowOrigins,
        &config.allow_origins,
        MAX_ORIGINS,
    );

    let mut patterns = Vec::with_capacity(origins_walked);
    if config.allow_origins.is_empty() && config.allow_origin_predicate.is_none() {
        errors.push(
            Field::AllowOrigins,
            None,
            "",
            ErrorKind::NoOrigins,
            "no origin is allowed: list the origins of the pages that call this API, e.g. allow_origins = [\"https://app.example.com\"], or \"*\" for a public API without credentials",
        );
    }
    for (i, raw) in config.allow_origins.iter().enumerate().take(origins_walked) {
        let pattern = match OriginPattern::parse(raw) {
            Ok(p) => p,
            Err(e) => {
                errors.push(
                    Field::AllowOrigins,
                    Some(i),
                    raw,
                    ErrorKind::InvalidOrigin,
                    e.to_string(),
                );
                continue;
            }
        };
        if credentials {
            if pattern == OriginPattern::Any {
                errors.push(
                    Field::AllowOrigins,
                    Some(i),
                    raw,
                    ErrorKind::WildcardOriginWithCredentials,
                    "\"*\" cannot be combined with allow_credentials = true (browsers reject `Access-Control-Allow-Origin: *` on credentialed requests): list the exact origins instead",
                );
            } else if pattern.is_insecure() && !config.dangerously_allow_insecure_origins {
                errors.push(
                    Field::AllowOrigins,
                    Some(i),
                    raw,
                    ErrorKind::InsecureOriginWithCredentials,
                    "plain-http origin with allow_credentials = true: anyone on the network can impersonate it; use https, or set dangerously_allow_insecure_origins = true if you accept the risk",
                );
            } else if pattern.is_public_suffix_wildcard()
                && !config.dangerously_allow_public_suffix_wildcards
            {
                errors.push(
                    Field::AllowOrigins,
                    Some(i),
                    raw,
                    ErrorKind::PublicSuffixWildcardWithCredentials,
                    "this pattern covers names anyone can register (its base is a public suffix), with allow_credentials = true: list your own origins, or set dangerously_allow_public_suffix_wildcards = true if you accept the risk",
                );
            }
        }
        patterns.push(pattern);
    }

    // --- allow_methods -------------------------------------------------------------------
    let methods_walked = walkable(
        &mut errors,
        Field::AllowMethods,
        &config.allow_methods,
        MAX_METHODS,
    );
    let mut methods: Vec<Box<str>> = Vec::new();
    let mut seen_methods: HashSet<&str> = HashSet::new();
    let mut any_method = false;
    for (i, raw) in config.allow_methods.iter().enumerate().take(methods_walked) {
        if raw == "*" {
            any_method = true;
        } else if !is_token(raw.as_bytes()) {
            errors.push(
                Field::AllowMethods,
                Some(i),
                raw,
                ErrorKind::InvalidToken,
                token_error("method name"),
            );
        } else if is_forbidden_method(raw) {
            errors.push(
                Field::AllowMethods,
                Some(i),
                raw,
                ErrorKind::ForbiddenMethod,
                "browsers never send CONNECT, TRACE or TRACK from a page (fetch() refuses them): remove it",
            );
        } else {
            let m = normalize_method(raw);
            if seen_methods.insert(m) {
                methods.push(m.into());
            }
        }
    }

    // --- allow_headers -------------------------------------------------------------------
    let headers_walked = walkable(
        &mut errors,
        Field::AllowHeaders,
        &config.allow_headers,
        MAX_HEADERS,
    );
    let mut headers: Vec<Box<str>> = Vec::new();
    let mut seen_headers: HashSet<String> = HashSet::new();
    let mut any_header = false;
    for (i, raw) in config.allow_headers.iter().enumerate().take(headers_walked) {
        if raw == "*" {
            any_header = true;
        } else if !is_token(raw.as_bytes()) {
            errors.push(
                Field::AllowHeaders,
                Some(i),
                raw,
                ErrorKind::InvalidToken,
                token_error("header name"),
            );
        } else if is_cors_protocol_header(raw) {
            errors.push(
                Field::AllowHeaders,
                Some(i),
                raw,
                ErrorKind::CorsProtocolHeader,
                "Access-Control-* headers belong to the CORS protocol; pages never send them as request headers: remove it",
            );
        } else if is_forbidden_request_header(raw) {
            errors.push(
                Field::AllowHeaders,
                Some(i),
                raw,
                ErrorKind::ForbiddenRequestHeader,
                "browsers never let a page set this header (a Fetch forbidden request-header), so allowing it has no effect: remove it",
            );
        } else {
            let h = raw.to_ascii_lowercase();
            if !seen_headers.contains(&h) {
                headers.push(h.as_str().into());
                seen_headers.insert(h);
            }
        }
    }

    // --- expose_headers ------------------------------------------------------------------
    let exposed_walked = walkable(
        &mut errors,
        Field::ExposeHeaders,
        &config.expose_headers,
        MAX_HEADERS,
    );
    let mut exposed: Vec<String> = Vec::new();
    let mut seen_exposed: HashSet<String> = HashSet::new();
    let mut expose_any = false;
    for (i, raw) in config
        .expose_headers
        .iter()
        .enumerate()
        .take(exposed_walked)
    {
        if raw == "*" {
            if credentials {
                errors.push(
                    Field::ExposeHeaders,
                    Some(i),
                    raw,
                    ErrorKind::WildcardExposeWithCredentials,
                    "\"*\" means all headers only without credentials (browsers read it as a header named `*` on credentialed requests): list the header names",
                );
            } else {
                expose_any = true;
            }
        } else if !is_token(raw.as_bytes()) {
            errors.push(
                Field::ExposeHeaders,
                Some(i),
                raw,
                ErrorKind::InvalidToken,
                token_error("header name"),
            );
        } else if is_forbidden_response_header(raw) {
            errors.push(
                Field::ExposeHeaders,
                Some(i),
                raw,
                ErrorKind::ForbiddenResponseHeader,
                "browsers never let scripts read Set-Cookie, whatever the server says: remove it",
            );
        } else if is_cors_protocol_header(raw) {
            errors.push(
                Field::ExposeHeaders,
                Some(i),
                raw,
                ErrorKind::CorsProtocolHeader,
                "Access-Control-* headers belong to the CORS protocol, not to the application: remove it",
            );
        } else if !is_safelisted_response_header(raw) {
            let h = raw.to_ascii_lowercase();
            if seen_exposed.insert(h.clone()) {
                exposed.push(h);
            }
        }
    }

    // --- max_age, preflight_status ---------------------------------------------------------
    let max_age = match config.max_age {
        None => None,
        Some(-1) => Some(render("0")),
        Some(s @ 0..=86400) => Some(render(&s.to_string())),
        Some(s) => {
            errors.push(
                Field::MaxAge,
                None,
                &s.to_string(),
                ErrorKind::MaxAgeOutOfRange,
                "max_age must be -1 (send 0: do not cache preflights) or 0..=86400 seconds; leave it out to send nothing (browsers then cache 5 s); note Chrome caps it at 7200",
            );
            None
        }
    };
    let preflight_status = match config.preflight_status {
        None | Some(204) => StatusCode::NO_CONTENT,
        Some(200) => StatusCode::OK,
        Some(s) => {
            errors.push(
                Field::PreflightStatus,
                None,
                &s.to_string(),
                ErrorKind::InvalidPreflightStatus,
                "preflight_status must be 200 or 204 (204 is the default; 200 helps only very old clients)",
            );
            StatusCode::NO_CONTENT
        }
    };

    if !errors.0.is_empty() {
        return Err(ConfigErrors::from_vec(errors.0));
    }

    let origins = OriginSet::new(patterns);
    let origin_dependent = !origins.allows_any() || config.allow_origin_predicate.is_some();

    let methods = if any_method {
        Methods::Any
    } else {
        Methods::List(methods.into_boxed_slice())
    };
    // With credentials a browser reads `*` literally, so it is never sent: the decision
    // echoes the requested method or header names instead.
    let allow_methods = match &methods {
        Methods::Any if credentials => None,
        Methods::Any => Some(STAR.clone()),
        Methods::List(l) if l.is_empty() => None,
        Methods::List(l) => Some(render(&l.join(", "))),
    };

    let headers = if any_header {
        Headers::Any
    } else {
        // The longest list a browser sends for this policy: every allowed name once, with a
        // separator, plus room for optional whitespace added by intermediaries.
        let max_request_len = headers.iter().map(|h| h.len() + 4).sum::<usize>() + 64;
        Headers::List {
            names: headers.into_boxed_slice(),
            max_request_len: max_request_len.min(MAX_REQUEST_HEADERS_LEN),
        }
    };
    let allow_headers = match &headers {
        Headers::Any if credentials => None,
        Headers::Any => Some(STAR.clone()),
        Headers::List { names, .. } if names.is_empty() => None,
        Headers::List { names, .. } => Some(render(&names.join(", "))),
    };

    let expose_headers = if expose_any {
        Some(STAR.clone())
    } else if exposed.is_empty() {
        None
    } else {
        Some(render(&exposed.join(", ")))
    };

    // `Vary` comes from a fixed vocabulary: static values, nothing to count or free.
    let vary_preflight = &VARY_PREFLIGHT
        [usize::from(!origin_dependent) * 2 + usize::from(config.allow_private_network)];

    Ok(Policy {
        origins,
        predicate: config.allow_origin_predicate.clone(),
        credentials,
        methods,
        headers,
        private_network: config.allow_private_network,
        preflight_status,
        preflight_continue: config.preflight_continue,
        debug: config.debug,
        rendered: Rendered {
            allow_methods,
            allow_headers,
            allow_headers_with_authorization: &STAR_AUTHORIZATION,
            expose_headers,
            max_age,
            vary: origin_dependent.then_some(&VARY_ORIGIN),
            vary_preflight,
        },
        config,
    })
}
