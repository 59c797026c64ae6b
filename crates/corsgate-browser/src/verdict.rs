//! How a flow ends, and what a block reports.
//!
//! A flow ends [`Allowed`] (the page gets the response) or [`Blocked`]. At each checkpoint both
//! engines' checks run ([`Verdicts`]); when the driving engine fails, [`blocked`] assembles the
//! report: the kind, Chrome's console line ([`crate::chrome`]), Firefox's
//! ([`crate::firefox`]), WebKit's ([`crate::webkit`]), and the plain-English explanation with
//! the server fix ([`crate::explain`]).

use crate::chrome::{chrome_message, MessageContext};
use crate::cors_check::CheckFail;
use crate::cors_error::CorsErrorKind;
use crate::engine::Engine;
use crate::explain::{explain, ExplainInput, FixCause};
use crate::expose::ResponseTainting;
use crate::firefox::{FirefoxFail, FirefoxReason, FirefoxReport};
use crate::normalize::Refused;
use crate::preflight::PreflightOutcome;
use crate::request::Initiator;
use crate::response::ResponseInfo;
use crate::token::latin1;
use crate::webkit::{webkit_cannot_load, WebKitFail};

/// Where in the flow the request was blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The preflight's response failed.
    Preflight,
    /// A redirect response failed (its CORS check, or where it points).
    Redirect,
    /// The final response failed its CORS check (or the mode forbids the URL).
    Response,
}

/// The browser blocks the response: the page's promise rejects
/// ([`Engine::fetch_rejection`]: `TypeError: Failed to fetch` in Chrome; XHR: `onerror`), and
/// the console explains why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The kind, named after Chromium's `CorsError`.
    pub kind: CorsErrorKind,
    /// Where it happened.
    pub stage: Stage,
    /// The engine that drove the flow.
    pub engine: Engine,
    /// The URL that failed (after redirects, the redirected URL).
    pub url: String,
    /// The URL the page asked for.
    pub initial_url: String,
    /// The failing response's status, when there was a response.
    pub status: Option<u16>,
    /// Chromium's failed parameter (header value, method or header name), Latin-1 decoded.
    pub failed_parameter: String,
    /// Chrome's console line, byte for byte; `None` when Chrome prints no CORS line for it,
    /// or (in a Firefox-driven flow) Chrome would not block at this point.
    pub chrome_message: Option<String>,
    /// Firefox's report; `None` when Firefox prints nothing for it, or (in a Chrome-driven
    /// flow) Firefox would not block at this point.
    pub firefox: Option<FirefoxReport>,
    /// WebKit's console lines, in order (the reason, then `Fetch API cannot load URL due to
    /// access control checks.` or its `XMLHttpRequest` twin), byte for byte as WebKitGTK 2.50
    /// prints them; `None` where no real WebKit has shown the reason yet (see `webkit`), or
    /// when WebKit would not block at this point.
    pub webkit: Option<Vec<String>>,
    /// Every header name a preflight did not allow (Chrome's message names one).
    pub disallowed_headers: Vec<String>,
    /// What went wrong, in plain English.
    pub explanation: String,
    /// What to change (on the server, unless [`FixCause::is_client_side`]).
    pub cause: FixCause,
}

/// The browser hands the response to the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed {
    /// The final status (0 for an opaque response).
    pub status: u16,
    /// `response.type`.
    pub tainting: ResponseTainting,
    /// Names `response.headers` lists (lower-case, sorted).
    pub readable_headers: Vec<String>,
    /// The final URL (`response.url`).
    pub url: String,
    /// Every URL requested, in order.
    pub url_list: Vec<String>,
    /// Results of the preflights that passed, in order.
    pub preflights: Vec<PreflightOutcome>,
    /// Things worth knowing although the request succeeded (browser differences, warnings).
    pub notes: Vec<String>,
}

/// How a simulated or real run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The page's call threw before any request.
    Refused(Refused),
    /// The page got the response.
    Allowed(Allowed),
    /// The browser blocked it.
    Blocked(Box<Blocked>),
}

/// One checkpoint's result for the three engines: Chrome's failure with every disallowed
/// header name, Firefox's with its parameter, WebKit's with its reason line (when known).
pub(crate) struct Verdicts {
    pub chrome: Result<(), (CheckFail, Vec<String>)>,
    pub firefox: Result<(), FirefoxFail>,
    pub webkit: Result<(), WebKitFail>,
}

impl Verdicts {
    /// Chrome fails with `kind` (and WebKit, without a known text); checks Firefox does not
    /// make.
    pub fn chrome_only(kind: CorsErrorKind) -> Verdicts {
        Verdicts {
            chrome: Err((CheckFail::new(kind), Vec::new())),
            firefox: Ok(()),
            webkit: Err(None),
        }
    }

    /// Is `engine`'s verdict a failure?
    pub fn fails(&self, engine: Engine) -> bool {
        match engine {
            Engine::Chrome => self.chrome.is_err(),
            Engine::Firefox => self.firefox.is_err(),
            Engine::WebKit => self.webkit.is_err(),
        }
    }
}

/// Maps a Firefox failure to the closest Chromium kind (for Firefox-driven flows).
fn kind_from_firefox(reason: FirefoxReason, preflight: bool) -> CorsErrorKind {
    use CorsErrorKind as K;
    let k = match reason {
        FirefoxReason::CorsMissingAllowOrigin => K::MissingAllowOriginHeader,
        FirefoxReason::CorsMultipleAllowOriginNotAllowed => K::MultipleAllowOriginValues,
        FirefoxReason::CorsAllowOriginNotMatchingOrigin => K::AllowOriginMismatch,
        FirefoxReason::CorsNotSupportingCredentials => K::WildcardOriginNotAllowed,
        FirefoxReason::CorsMissingAllowCredentials => K::InvalidAllowCredentials,
        FirefoxReason::CorsPreflightDidNotSucceed => K::PreflightInvalidStatus,
        FirefoxReason::CorsExternalRedirectNotAllowed => K::PreflightDisallowedRedirect,
        FirefoxReason::CorsInvalidAllowMethod => K::InvalidAllowMethodsPreflightResponse,
        FirefoxReason::CorsInvalidAllowHeader => K::InvalidAllowHeadersPreflightResponse,
        FirefoxReason::CorsMethodNotFound => K::MethodDisallowedByPreflightResponse,
        FirefoxReason::CorsMissingAllowHeaderFromPreflight => {
            K::HeaderDisallowedByPreflightResponse
        }
        FirefoxReason::CorsRequestNotHttp => K::CorsDisabledScheme,
        FirefoxReason::CorsDisabled
        | FirefoxReason::CorsDidNotSucceed
        | FirefoxReason::CorsOriginHeaderNotAdded
        | FirefoxReason::CorsAllowHeaderFromPreflightDeprecation => K::MissingAllowOriginHeader,
    };
    if preflight {
        k.for_preflight()
    } else {
        k
    }
}

/// Where the flow stands when it blocks: what the reports quote.
pub(crate) struct Scene<'a> {
    /// The engine driving the flow.
    pub engine: Engine,
    /// `fetch()` or `XMLHttpRequest`.
    pub initiator: Initiator,
    /// The URL the page asked for.
    pub initial_url: &'a str,
    /// The current hop's URL.
    pub url: &'a str,
    /// The page's origin, serialised.
    pub page_origin: &'a str,
    /// The origin the request carried (`null` once tainted).
    pub origin_sent: &'a str,
    /// Has a cross-origin redirect made the origin `null`?
    pub tainted: bool,
    /// The current method.
    pub method: &'a str,
    /// Credentials mode `include`.
    pub include: bool,
}

/// The report for a checkpoint where the driving engine failed. `last_url` is the URL Chrome
/// names when it is not the current hop's; `location` the redirect target, when relevant.
pub(crate) fn blocked(
    scene: &Scene<'_>,
    stage: Stage,
    verdicts: &Verdicts,
    resp: Option<&ResponseInfo>,
    last_url: Option<String>,
    location: Option<String>,
) -> Blocked {
    let (kind, hint, disallowed) = match (&verdicts.chrome, &verdicts.firefox) {
        (Err((f, d)), _) => (f.kind, f.hint.clone(), d.clone()),
        (Ok(()), Err((r, p))) => {
            let k = kind_from_firefox(*r, stage == Stage::Preflight);
            let d = if k == CorsErrorKind::HeaderDisallowedByPreflightResponse {
                vec![p.clone()]
            } else {
                Vec::new()
            };
            (k, p.clone().into_bytes(), d)
        }
        (Ok(()), Ok(())) => (
            CorsErrorKind::MissingAllowOriginHeader,
            Vec::new(),
            Vec::new(),
        ),
    };
    let last_url = last_url.unwrap_or_else(|| scene.url.to_owned());
    let ctx = MessageContext {
        initiator: scene.initiator,
        initial_url: scene.initial_url,
        last_url: &last_url,
        origin: scene.page_origin,
    };
    let chrome = match &verdicts.chrome {
        Err((f, _)) => chrome_message(f.kind, &f.hint, &ctx),
        Ok(()) => None,
    };
    let firefox = match &verdicts.firefox {
        Err((r, p)) => {
            let mut report = FirefoxReport::new(*r, scene.url, p.clone());
            // Firefox ESR 153 (its console, over WebDriver BiDi): a failed preflight or a
            // redirect that fails its CORS check is followed by "CORS request did not
            // succeed" for the same URL; a failed actual response is not.
            let network_error = stage == Stage::Preflight
                || (stage == Stage::Redirect && *r != FirefoxReason::CorsDidNotSucceed);
            if network_error {
                if stage == Stage::Preflight && *r == FirefoxReason::CorsExternalRedirectNotAllowed
                {
                    let status = resp.map_or(0, |r| r.status.as_u16()).to_string();
                    report.followups.push(
                        FirefoxReport::new(
                            FirefoxReason::CorsPreflightDidNotSucceed,
                            scene.url,
                            status,
                        )
                        .message,
                    );
                }
                report.followups.push(
                    FirefoxReport::new(FirefoxReason::CorsDidNotSucceed, scene.url, "(null)")
                        .message,
                );
            }
            Some(report)
        }
        Ok(()) => None,
    };
    // WebKit's lines: its reason, then the URL of the request that failed.
    let webkit = match &verdicts.webkit {
        Err(Some(reason)) => Some(vec![
            reason.clone(),
            webkit_cannot_load(scene.initiator, scene.url),
        ]),
        _ => None,
    };
    let unparsable = match kind {
        CorsErrorKind::InvalidAllowMethodsPreflightResponse => resp
            .and_then(|r| r.combined("access-control-allow-methods"))
            .map(|v| latin1(&v)),
        CorsErrorKind::InvalidAllowHeadersPreflightResponse => resp
            .and_then(|r| r.combined("access-control-allow-headers"))
            .map(|v| latin1(&v)),
        _ => None,
    };
    let (explanation, cause) = explain(
        kind,
        &hint,
        &ExplainInput {
            request_origin: scene.origin_sent,
            page_origin: scene.page_origin,
            tainted: scene.tainted,
            method: scene.method,
            include: scene.include,
            status: resp.map_or(0, |r| r.status.as_u16()),
            location,
            disallowed_headers: &disallowed,
            unparsable,
            allow_credentials_sent: resp
                .is_some_and(|r| r.count("access-control-allow-credentials") > 0),
        },
    );
    Blocked {
        kind,
        stage,
        engine: scene.engine,
        url: last_url,
        initial_url: scene.initial_url.to_owned(),
        status: resp.map(|r| r.status.as_u16()),
        failed_parameter: latin1(&hint),
        chrome_message: chrome,
        firefox,
        webkit,
        disallowed_headers: disallowed,
        explanation,
        cause,
    }
}
