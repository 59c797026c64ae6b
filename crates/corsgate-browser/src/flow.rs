//! The whole CORS flow of one request, as a step-by-step state machine.
//!
//! [`Flow::new`] applies the browser's processing to the page's request (or returns the
//! exception the page's call throws) and plans it: same-origin or not, which headers are
//! CORS-unsafe, whether a preflight goes first. The shell then sends
//! [`Flow::next_request`] over HTTP — without following redirects and without adding cookies
//! unless [`OutgoingRequest::send_credentials`] says so — and feeds each response to
//! [`Flow::on_response`], which answers with the next request to send, the final verdict
//! ([`Allowed`]), or the reason the browser blocks ([`Blocked`]): Chrome's console line,
//! Firefox's, an explanation and the structured server fix. [`simulate`] drives the same loop
//! against a closure, for offline checks against a server policy.
//!
//! Nothing here does I/O; every loop is bounded (at most 20 redirects, each with at most one
//! preflight).

use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::cors_check::cors_check;
use crate::cors_error::CorsErrorKind;
use crate::engine::Engine;
use crate::explain;
use crate::expose::{readable_headers, ResponseTainting};
use crate::firefox::{self, FirefoxReason, FirefoxReport};
use crate::header_order;
use crate::normalize::{normalize, NormalizedRequest, Refused, Warning};
use crate::preflight::{self, preflight_reasons, PreflightOutcome, PreflightReason};
use crate::redirect::{self, Hop, RedirectOutcome, REQUEST_BODY_HEADER_NAMES};
use crate::request::{CorsRequest, CredentialsMode, RequestMode};
use crate::response::ResponseInfo;
use crate::safelist::{access_control_request_headers, cors_unsafe_request_header_names};
use crate::token::latin1;
use crate::url::Url;
use crate::verdict::{blocked, Allowed, Blocked, Outcome, Scene, Stage, Verdicts};
use crate::webkit::{self, WebKitFail};

/// Which request an [`OutgoingRequest`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// The `OPTIONS` preflight.
    Preflight,
    /// The request the page asked for (possibly after redirects).
    Actual,
}

/// A request for the shell to send, exactly as the browser would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingRequest {
    /// Preflight or actual.
    pub purpose: Purpose,
    /// The method.
    pub method: Method,
    /// The URL (canonical).
    pub url: String,
    /// The headers the page and the CORS protocol put on it (`Origin`, `Accept`,
    /// `Access-Control-Request-*`); a browser adds its own `User-Agent`, `Accept-Language`,
    /// `Sec-Fetch-*`... which CORS does not look at.
    pub headers: HeaderMap,
    /// Would the browser attach cookies / HTTP authentication? (Never for a preflight.)
    pub send_credentials: bool,
    /// Does the request carry the page's body? Never for a preflight, and no longer after a
    /// redirect turned the request into a body-less `GET` (301/302 after `POST`, 303).
    pub has_body: bool,
    /// Always `false`: the flow handles redirects itself, so the shell must not follow them.
    pub follow_redirects: bool,
}

/// What the browser decided before sending anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The engine modelled.
    pub engine: Engine,
    /// The request after the browser's processing.
    pub request: NormalizedRequest,
    /// What the browser changed silently (dropped headers, ...).
    pub warnings: Vec<Warning>,
    /// Same-origin with the page: no CORS at all.
    pub same_origin: bool,
    /// The CORS protocol applies (cross-origin, mode `cors`).
    pub cors: bool,
    /// CORS-unsafe request-header names (lower-case, sorted).
    pub unsafe_headers: Vec<String>,
    /// Why a preflight is needed (empty: none).
    pub preflight_reasons: Vec<PreflightReason>,
    /// The preflight to send first, if any.
    pub preflight: Option<OutgoingRequest>,
    /// The actual request.
    pub actual: OutgoingRequest,
}

/// What the shell does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this request and feed its response to [`Flow::on_response`].
    Send(OutgoingRequest),
    /// Done: the page gets the response.
    Allowed(Allowed),
    /// Done: the browser blocks it.
    Blocked(Box<Blocked>),
}

/// The state of one request's CORS flow.
#[derive(Clone, Debug)]
pub struct Flow {
    plan: Plan,
    request: NormalizedRequest,
    hop: Hop,
    initial_url: Url,
    url_list: Vec<String>,
    cors_tainting: bool,
    pending: Option<Purpose>,
    unsafe_names: Vec<String>,
    preflights: Vec<PreflightOutcome>,
    notes: Vec<String>,
    /// Has a preflight been sent for this request (any hop)? Firefox and WebKit then preflight
    /// every later cross-origin hop, even one a redirect turned into a plain `GET`.
    preflighted: bool,
    /// WebKit after a redirect that made the request a body-less `GET`: the request-body
    /// headers (`Content-Type`) stay in its header list, so its preflights ask for them, but
    /// they are not sent.
    body_headers_unsent: bool,
}

/// Builds an [`OutgoingRequest`] header map from a header list (names are tokens and values
/// sendable by construction; anything else is skipped rather than panicking).
fn header_map(list: &[(String, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (n, v) in list {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_bytes(v),
        ) {
            map.append(name, value);
        }
    }
    map
}

impl Flow {
    /// Starts the flow for `req` as `engine` would run it. `Err` is the exception the page's
    /// `fetch()`/`open()`/`setRequestHeader()` call throws.
    pub fn new(req: &CorsRequest, engine: Engine) -> Result<Flow, Refused> {
        let (request, warnings) = normalize(req, engine)?;
        let hop = Hop {
            url: request.url.clone(),
            method: request.method.clone(),
            body: request.body.clone(),
            redirect_count: 0,
            tainted: false,
        };
        let same_origin = request.is_same_origin();
        let mut flow = Flow {
            plan: Plan {
                engine,
                request: request.clone(),
                warnings,
                same_origin,
                cors: false,
                unsafe_headers: Vec::new(),
                preflight_reasons: Vec::new(),
                preflight: None,
                actual: OutgoingRequest {
                    purpose: Purpose::Actual,
                    method: Method::GET,
                    url: String::new(),
                    headers: HeaderMap::new(),
                    send_credentials: false,
                    has_body: false,
                    follow_redirects: false,
                },
            },
            initial_url: request.url.clone(),
            url_list: vec![request.url.as_str().to_owned()],
            request,
            hop,
            cors_tainting: false,
            pending: Some(Purpose::Actual),
            unsafe_names: Vec::new(),
            preflights: Vec::new(),
            notes: Vec::new(),
            preflighted: false,
            body_headers_unsent: false,
        };
        flow.cors_tainting = flow.cross_origin_cors();
        flow.prepare_hop();
        flow.plan.cors = flow.cors_tainting;
        flow.plan.unsafe_headers = flow.unsafe_names.clone();
        flow.plan.preflight_reasons = flow.current_reasons();
        flow.plan.preflight =
            (flow.pending == Some(Purpose::Preflight)).then(|| flow.preflight_request());
        flow.plan.actual = flow.actual_request();
        Ok(flow)
    }

    /// The plan made before anything was sent.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The request to send now; `None` once the flow has finished.
    pub fn next_request(&self) -> Option<OutgoingRequest> {
        match self.pending? {
            Purpose::Preflight => Some(self.preflight_request()),
            Purpose::Actual => Some(self.actual_request()),
        }
    }

    /// Is the current hop a cross-origin request in `cors` mode?
    fn cross_origin_cors(&self) -> bool {
        self.request.mode == RequestMode::Cors
            && (self.hop.tainted || !self.request.origin.same_origin(&self.hop.url.origin()))
    }

    /// The origin the browser sends now (`null` once tainted).
    fn origin_sent(&self) -> String {
        if self.hop.tainted {
            "null".to_owned()
        } else {
            self.request.origin.serialize()
        }
    }

    /// The `Origin` of a preflight. Chrome and WebKit send [`Flow::origin_sent`]; Firefox
    /// keeps the page's real origin on the preflight after a cross-origin redirect and only
    /// the actual request carries `null` (verified against Firefox ESR 153 and WebKitGTK 2.50,
    /// see `docs/check.md`).
    fn preflight_origin(&self) -> String {
        match self.request.engine {
            Engine::Firefox => self.request.origin.serialize(),
            Engine::Chrome | Engine::WebKit => self.origin_sent(),
        }
    }

    fn include(&self) -> bool {
        self.request.credentials == CredentialsMode::Include
    }

    fn current_reasons(&self) -> Vec<PreflightReason> {
        if !self.cors_tainting || self.request.mode != RequestMode::Cors {
            return Vec::new();
        }
        preflight_reasons(
            &self.hop.method,
            &self.unsafe_names,
            self.request.use_cors_preflight,
        )
    }

    /// Recomputes unsafe names and whether the hop starts with a preflight.
    fn prepare_hop(&mut self) {
        self.unsafe_names =
            cors_unsafe_request_header_names(&self.request.headers, self.request.engine);
        let reasons = self.current_reasons();
        // Firefox and WebKit: once the request was preflighted, every later CORS hop is
        // preflighted too, also when a redirect made it a `GET` without unsafe headers (303,
        // or 301/302 after `POST`); Chrome sends that `GET` directly.
        let sticky = matches!(self.request.engine, Engine::Firefox | Engine::WebKit)
            && self.preflighted
            && self.cors_tainting
            && self.request.mode == RequestMode::Cors;
        self.pending = Some(if reasons.is_empty() && !sticky {
            Purpose::Actual
        } else {
            Purpose::Preflight
        });
    }

    fn preflight_request(&self) -> OutgoingRequest {
        let acrh = access_control_request_headers(&self.unsafe_names);
        OutgoingRequest {
            purpose: Purpose::Preflight,
            method: preflight::preflight_method(),
            url: self.hop.url.as_str().to_owned(),
            headers: preflight::preflight_headers(
                &self.hop.method,
                acrh.as_deref(),
                &self.preflight_origin(),
            ),
            send_credentials: false,
            has_body: false,
            follow_redirects: false,
        }
    }

    fn actual_request(&self) -> OutgoingRequest {
        let mut headers = header_map(&self.request.headers);
        if self.body_headers_unsent {
            for name in REQUEST_BODY_HEADER_NAMES {
                headers.remove(name);
            }
        }
        if !headers.contains_key(http::header::ACCEPT) {
            headers.insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
        }
        let method_needs_origin = !matches!(self.hop.method.as_str(), "GET" | "HEAD");
        if self.cors_tainting || method_needs_origin {
            if let Ok(v) = HeaderValue::from_str(&self.origin_sent()) {
                headers.insert(http::header::ORIGIN, v);
            }
        }
        let send_credentials = match self.request.credentials {
            CredentialsMode::Include => true,
            CredentialsMode::SameOrigin => {
                !self.cors_tainting
                    && !self.hop.tainted
                    && self.request.is_same_origin_url(&self.hop.url)
            }
            CredentialsMode::Omit => false,
        };
        OutgoingRequest {
            purpose: Purpose::Actual,
            method: Method::from_bytes(self.hop.method.as_bytes()).unwrap_or(Method::GET),
            url: self.hop.url.as_str().to_owned(),
            headers,
            send_credentials,
            has_body: self.hop.body.is_some(),
            follow_redirects: false,
        }
    }

    /// Ends the flow with the report for a checkpoint where the driving engine failed.
    fn block(
        &mut self,
        stage: Stage,
        verdicts: Verdicts,
        resp: Option<&ResponseInfo>,
        last_url: Option<String>,
        location: Option<String>,
    ) -> Step {
        self.pending = None;
        let scene = Scene {
            engine: self.request.engine,
            initiator: self.request.initiator,
            initial_url: self.initial_url.as_str(),
            url: self.hop.url.as_str(),
            page_origin: &self.request.origin.serialize(),
            origin_sent: &if stage == Stage::Preflight {
                self.preflight_origin()
            } else {
                self.origin_sent()
            },
            tainted: self.hop.tainted,
            method: &self.hop.method,
            include: self.include(),
        };
        Step::Blocked(Box::new(blocked(
            &scene, stage, &verdicts, resp, last_url, location,
        )))
    }

    /// Feeds the response to the request last returned by [`Flow::next_request`] (or
    /// [`Step::Send`]). Shells stop at the first `Allowed` or `Blocked`; a response fed after
    /// that is answered with a `Blocked` rather than a panic.
    pub fn on_response(&mut self, resp: &ResponseInfo) -> Step {
        match self.pending {
            Some(Purpose::Preflight) => self.on_preflight(resp),
            _ => self.on_actual(resp),
        }
    }

    fn on_preflight(&mut self, resp: &ResponseInfo) -> Step {
        self.preflighted = true;
        // Each engine's check with the Origin that engine's preflight carries.
        let chrome_origin = self.origin_sent();
        let firefox_origin = self.request.origin.serialize();
        let include = self.include();
        // Chrome names the first header not allowed in its own header order (Blink's hash
        // map; see `header_order`), not the first in sorted order.
        let chrome_names =
            header_order::in_chrome_order(&self.unsafe_names, &self.request, &self.hop.url);
        let chrome = preflight::check_preflight_response(
            resp,
            &chrome_origin,
            include,
            &self.hop.method,
            &chrome_names,
            Engine::Chrome,
        );
        let ff_names = cors_unsafe_request_header_names(&self.request.headers, Engine::Firefox);
        let firefox = if resp.is_redirect() {
            Err((FirefoxReason::CorsExternalRedirectNotAllowed, String::new()))
        } else {
            firefox::cors_check(resp, &firefox_origin, include)
                .and_then(|()| firefox::preflight_check(resp, include, &self.hop.method, &ff_names))
        };
        // WebKit's own checks, with the `Origin` its preflight carries (Chrome's).
        let webkit = webkit::preflight_check(
            resp,
            &chrome_origin,
            include,
            &self.hop.method,
            &self.request.headers,
        );
        let verdicts = Verdicts {
            chrome: chrome
                .as_ref()
                .map(|_| ())
                .map_err(|f| (f.fail.clone(), f.disallowed_headers.clone())),
            firefox: firefox.as_ref().map(|_| ()).map_err(Clone::clone),
            webkit,
        };
        if verdicts.fails(self.request.engine) {
            let location = resp.location().map(|l| {
                self.hop
                    .url
                    .join(&latin1(&l))
                    .map_or_else(|_| latin1(&l), |u| u.as_str().to_owned())
            });
            return self.block(Stage::Preflight, verdicts, Some(resp), None, location);
        }
        let mut outcome = match chrome {
            Ok(o) => o,
            Err(_) => PreflightOutcome {
                allowed_methods: Vec::new(),
                allowed_headers: Vec::new(),
                cache_lifetime_secs: 0,
                authorization_covered_by_wildcard: false,
            },
        };
        outcome.cache_lifetime_secs = preflight::cache_lifetime_secs(
            resp.combined("access-control-max-age").as_deref(),
            self.request.engine,
        );
        if outcome.authorization_covered_by_wildcard {
            self.notes
                .push(explain::AUTHORIZATION_BY_WILDCARD.to_owned());
        }
        if let Ok(warnings) = &firefox {
            for w in warnings {
                self.notes
                    .push(FirefoxReport::new(*w, self.hop.url.as_str(), "").message);
            }
        }
        if self.request.engine != Engine::Firefox && verdicts.firefox.is_err() {
            self.notes
                .push(explain::other_engine_blocks_preflight(Engine::Firefox));
        }
        if self.request.engine == Engine::Firefox && verdicts.chrome.is_err() {
            self.notes
                .push(explain::other_engine_blocks_preflight(Engine::Chrome));
        }
        self.preflights.push(outcome);
        self.pending = Some(Purpose::Actual);
        Step::Send(self.actual_request())
    }

    fn on_actual(&mut self, resp: &ResponseInfo) -> Step {
        if self.pending.is_none() {
            return self.block(
                Stage::Response,
                Verdicts::chrome_only(CorsErrorKind::MissingAllowOriginHeader),
                Some(resp),
                None,
                None,
            );
        }
        if self.request.mode == RequestMode::SameOrigin
            && !self.request.origin.same_origin(&self.hop.url.origin())
        {
            return self.block(
                Stage::Response,
                Verdicts::chrome_only(CorsErrorKind::DisallowedByMode),
                None,
                None,
                None,
            );
        }
        let origin = self.origin_sent();
        let include = self.include();
        let location = if resp.is_redirect() {
            resp.location()
        } else {
            None
        };
        let stage = if location.is_some() {
            Stage::Redirect
        } else {
            Stage::Response
        };
        if self.cors_tainting {
            // WebKit names the redirect's target before the reason a redirect fails.
            let target = location.as_ref().map(|l| {
                self.hop
                    .url
                    .join(&latin1(l))
                    .map_or_else(|_| latin1(l), |u| u.as_str().to_owned())
            });
            let verdicts = Verdicts {
                chrome: cors_check(resp, &origin, include).map_err(|f| (f, Vec::new())),
                firefox: firefox::cors_check(resp, &origin, include),
                webkit: webkit::access_check(resp, &origin, include).map_err(
                    |reason| match &target {
                        Some(t) => reason.map(|r| webkit::redirect_denied(t, &r)),
                        None => reason,
                    },
                ),
            };
            if verdicts.fails(self.request.engine) {
                return self.block(stage, verdicts, Some(resp), None, None);
            }
        }
        if let Some(loc) = location {
            let cors_flag = self.cross_origin_cors();
            match redirect::follow(
                &self.hop,
                resp.status.as_u16(),
                &loc,
                &self.request.origin,
                self.request.mode,
                cors_flag,
            ) {
                RedirectOutcome::Fail { fail, target } => {
                    let target_str = target.as_ref().map(|t| t.as_str().to_owned());
                    let last_url = (fail.kind == CorsErrorKind::CorsDisabledScheme)
                        .then(|| target_str.clone())
                        .flatten();
                    // Firefox ESR 153 fails every one of these redirects (too many, a
                    // username and password, ftp:, data:) as a network error and prints
                    // "CORS request did not succeed ... Status code: (null)." for the URL that
                    // redirected (verified on its console).
                    let firefox = Err((FirefoxReason::CorsDidNotSucceed, "(null)".to_owned()));
                    let webkit = Err(webkit_redirect_failure(fail.kind, target.as_ref()));
                    let verdicts = Verdicts {
                        chrome: Err((fail, Vec::new())),
                        firefox,
                        webkit,
                    };
                    return self.block(
                        Stage::Redirect,
                        verdicts,
                        Some(resp),
                        last_url,
                        target_str.or_else(|| Some(latin1(&loc))),
                    );
                }
                RedirectOutcome::Follow {
                    next,
                    remove_headers,
                } => {
                    // WebKit keeps the request-body headers (`Content-Type`) in its list when
                    // a redirect makes the request a `GET`: its next preflight asks for them,
                    // though the `GET` goes without them (observed on the wire).
                    let keeps_body_headers = self.request.engine == Engine::WebKit;
                    if keeps_body_headers
                        && remove_headers
                            .iter()
                            .any(|n| REQUEST_BODY_HEADER_NAMES.contains(&n.as_str()))
                    {
                        self.body_headers_unsent = true;
                    }
                    self.request.headers.retain(|(n, _)| {
                        let name = n.to_ascii_lowercase();
                        !remove_headers.contains(&name)
                            || (keeps_body_headers
                                && REQUEST_BODY_HEADER_NAMES.contains(&name.as_str()))
                    });
                    self.hop = next;
                    self.url_list.push(self.hop.url.as_str().to_owned());
                    self.cors_tainting |= self.cross_origin_cors();
                    if self.request.mode == RequestMode::SameOrigin
                        && !self.request.origin.same_origin(&self.hop.url.origin())
                    {
                        return self.block(
                            Stage::Redirect,
                            Verdicts::chrome_only(CorsErrorKind::DisallowedByMode),
                            None,
                            None,
                            None,
                        );
                    }
                    self.prepare_hop();
                    return Step::Send(
                        self.next_request().unwrap_or_else(|| self.actual_request()),
                    );
                }
            }
        }
        let tainting = if self.request.mode == RequestMode::NoCors
            && !self.request.is_same_origin_url(&self.hop.url)
        {
            ResponseTainting::Opaque
        } else if self.cors_tainting {
            ResponseTainting::Cors
        } else {
            ResponseTainting::Basic
        };
        self.pending = None;
        Step::Allowed(Allowed {
            status: if tainting == ResponseTainting::Opaque {
                0
            } else {
                resp.status.as_u16()
            },
            tainting,
            readable_headers: readable_headers(resp, tainting, include),
            url: self.hop.url.as_str().to_owned(),
            url_list: self.url_list.clone(),
            preflights: self.preflights.clone(),
            notes: self.notes.clone(),
        })
    }
}

/// WebKit's reason for a redirect the flow cannot follow (observed in WebKitGTK 2.50), or
/// `None` where no real WebKit has shown it.
fn webkit_redirect_failure(kind: CorsErrorKind, target: Option<&Url>) -> WebKitFail {
    match (kind, target) {
        (CorsErrorKind::TooManyRedirects, _) => Some(webkit::TOO_MANY_REDIRECTS.to_owned()),
        (CorsErrorKind::RedirectContainsCredentials, Some(t)) => Some(
            webkit::redirect_with_credentials(t.as_str(), &t.without_credentials()),
        ),
        (_, Some(t)) if t.scheme() == "ftp" => Some(webkit::FTP_DISABLED.to_owned()),
        (CorsErrorKind::CorsDisabledScheme | CorsErrorKind::UnsafeRedirect, Some(t))
            if !t.is_http_or_https() =>
        {
            Some(webkit::redirect_to_non_cors_scheme(t.as_str()))
        }
        _ => None,
    }
}

/// Plans `req` for `engine` without running it (see [`Flow::new`]).
pub fn plan(req: &CorsRequest, engine: Engine) -> Result<Plan, Refused> {
    Flow::new(req, engine).map(|f| f.plan)
}

/// The most requests one flow can make: 21 hops, each with a preflight.
pub const MAX_REQUESTS: usize = 2 * (redirect::MAX_REDIRECTS as usize + 1);

/// Runs the whole flow against `server`, which answers each request the browser would send.
///
/// Also returns every request sent, in order, so a caller can show the exchange.
pub fn simulate(
    req: &CorsRequest,
    engine: Engine,
    mut server: impl FnMut(&OutgoingRequest) -> ResponseInfo,
) -> (Outcome, Vec<OutgoingRequest>) {
    let mut flow = match Flow::new(req, engine) {
        Ok(f) => f,
        Err(r) => return (Outcome::Refused(r), Vec::new()),
    };
    let mut sent = Vec::new();
    let Some(mut next) = flow.next_request() else {
        return (Outcome::Refused(Refused::unfinished()), sent);
    };
    for _ in 0..=MAX_REQUESTS {
        let resp = server(&next);
        sent.push(next);
        match flow.on_response(&resp) {
            Step::Send(r) => next = r,
            Step::Allowed(a) => return (Outcome::Allowed(a), sent),
            Step::Blocked(b) => return (Outcome::Blocked(b), sent),
        }
    }
    // Unreachable by construction (redirects are capped); answer as the browser would.
    (Outcome::Refused(Refused::unfinished()), sent)
}

#[cfg(test)]
mod tests;
