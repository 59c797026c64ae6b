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
mod tests {
    use super::*;
    use crate::response::response;

    #[test]
    fn has_body_follows_the_hop_and_never_the_preflight() {
        let req = CorsRequest::fetch("http://localhost:3000/data", "http://127.0.0.1:5500")
            .method("PUT")
            .body(crate::request::Body::Text);
        let mut flow = Flow::new(&req, Engine::Chrome).unwrap();
        let preflight = flow.next_request().unwrap();
        assert_eq!(preflight.purpose, Purpose::Preflight);
        assert!(!preflight.has_body);
        let Step::Send(actual) = flow.on_response(&response(
            204,
            &[
                ("access-control-allow-origin", "http://127.0.0.1:5500"),
                ("access-control-allow-methods", "PUT"),
            ],
        )) else {
            panic!("expected the actual request");
        };
        assert!(actual.has_body);
        // A 303 turns the PUT into a body-less GET.
        let Step::Send(next) = flow.on_response(&response(
            303,
            &[
                ("access-control-allow-origin", "http://127.0.0.1:5500"),
                ("location", "/other"),
            ],
        )) else {
            panic!("expected the redirected request");
        };
        assert_eq!(next.method, Method::GET);
        assert!(!next.has_body);
        assert!(!next.headers.contains_key(http::header::CONTENT_TYPE));
    }

    const PAGE: &str = "http://127.0.0.1:5500";
    const API: &str = "http://localhost:3000";
    const THIRD: &str = "http://localhost:4000";

    /// (method, URL, Origin, ACRM, ACRH, Content-Type) of each request `engine` sends for a
    /// `fetch(API/r, {method, content-type, credentials})` whose first actual request is
    /// answered with `status` to `target`/f, against a server that allows whatever it is
    /// asked (Origin echoed, ACRM/ACRH echoed, ACAC true), as the loopback experiment did.
    fn hops(
        engine: Engine,
        method: &str,
        content_type: &str,
        status: u16,
        target: &str,
        include: bool,
    ) -> Vec<[Option<String>; 6]> {
        let mut req = CorsRequest::fetch(format!("{API}/r"), PAGE)
            .method(method)
            .header("Content-Type", content_type)
            .body(crate::request::Body::Text);
        if include {
            req = req.credentials(CredentialsMode::Include);
        }
        let (outcome, sent) = simulate(&req, engine, |r| {
            let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
            let origin = h("origin").unwrap_or_else(|| "*".into());
            let mut headers: Vec<(&str, String)> = vec![
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true".into()),
            ];
            if let Some(m) = h("access-control-request-method") {
                headers.push(("access-control-allow-methods", m));
            }
            if let Some(m) = h("access-control-request-headers") {
                headers.push(("access-control-allow-headers", m));
            }
            let code = if r.method == Method::OPTIONS {
                204
            } else if r.url.ends_with("/r") {
                headers.push(("location", format!("{target}/f")));
                status
            } else {
                200
            };
            let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            response(code, &pairs)
        });
        assert!(matches!(outcome, Outcome::Allowed(_)), "{outcome:?}");
        sent.iter()
            .map(|r| {
                let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
                [
                    Some(r.method.to_string()),
                    Some(r.url.clone()),
                    h("origin"),
                    h("access-control-request-method"),
                    h("access-control-request-headers"),
                    h("content-type"),
                ]
            })
            .collect()
    }

    /// The first two hops of a JSON POST from PAGE to `{API}/r` (its preflight, then the POST),
    /// the same in every engine.
    fn preflighted_json_post() -> [[Option<String>; 6]; 2] {
        [
            row(
                "OPTIONS",
                format!("{API}/r"),
                PAGE,
                Some("POST"),
                Some("content-type"),
                None,
            ),
            row(
                "POST",
                format!("{API}/r"),
                PAGE,
                None,
                None,
                Some("application/json"),
            ),
        ]
    }

    fn row(
        m: &str,
        url: String,
        o: &str,
        acrm: Option<&str>,
        acrh: Option<&str>,
        ct: Option<&str>,
    ) -> [Option<String>; 6] {
        [
            Some(m.to_owned()),
            Some(url),
            Some(o.to_owned()),
            acrm.map(str::to_owned),
            acrh.map(str::to_owned),
            ct.map(str::to_owned),
        ]
    }

    #[test]
    fn a_redirect_that_makes_a_preflighted_post_a_get_is_preflighted_again_by_firefox_only() {
        // Firefox ESR 153, verified on the wire: after 301/302/303 on a preflighted POST it
        // sends `OPTIONS` with ACRM GET before the GET; Chrome sends the GET directly. Both
        // drop Content-Type on that hop.
        for include in [false, true] {
            for status in [301, 302, 303] {
                for target in [API, THIRD] {
                    let tainted = target == THIRD;
                    let first = preflighted_json_post();
                    let get_origin = if tainted { "null" } else { PAGE };
                    let mut chrome = first.to_vec();
                    chrome.push(row(
                        "GET",
                        format!("{target}/f"),
                        get_origin,
                        None,
                        None,
                        None,
                    ));
                    let mut firefox = first.to_vec();
                    firefox.push(row(
                        "OPTIONS",
                        format!("{target}/f"),
                        PAGE,
                        Some("GET"),
                        None,
                        None,
                    ));
                    firefox.push(row(
                        "GET",
                        format!("{target}/f"),
                        get_origin,
                        None,
                        None,
                        None,
                    ));
                    let what = format!("{status} to {target}, include {include}");
                    assert_eq!(
                        hops(
                            Engine::Chrome,
                            "POST",
                            "application/json",
                            status,
                            target,
                            include
                        ),
                        chrome,
                        "Chrome, {what}"
                    );
                    assert_eq!(
                        hops(
                            Engine::Firefox,
                            "POST",
                            "application/json",
                            status,
                            target,
                            include
                        ),
                        firefox,
                        "Firefox, {what}"
                    );
                }
            }
        }
    }

    #[test]
    fn webkit_preflights_the_redirected_get_still_asking_for_content_type() {
        // WebKitGTK 2.50 on the wire (the differential suite's `rm-*-json-*`): after
        // 301/302/303 on a preflighted JSON POST it preflights the GET with ACRM GET and ACRH
        // content-type (`Origin: null` on another origin), then sends the GET without
        // Content-Type.
        for status in [301, 302, 303] {
            for target in [API, THIRD] {
                let origin = if target == THIRD { "null" } else { PAGE };
                let mut webkit = preflighted_json_post().to_vec();
                webkit.push(row(
                    "OPTIONS",
                    format!("{target}/f"),
                    origin,
                    Some("GET"),
                    Some("content-type"),
                    None,
                ));
                webkit.push(row("GET", format!("{target}/f"), origin, None, None, None));
                assert_eq!(
                    hops(
                        Engine::WebKit,
                        "POST",
                        "application/json",
                        status,
                        target,
                        false
                    ),
                    webkit,
                    "WebKit, {status} to {target}"
                );
            }
        }
    }

    #[test]
    fn after_a_cross_origin_redirect_firefox_preflights_with_the_page_origin() {
        // 307/308 keep the method and Content-Type: both preflight the new URL; at a third
        // origin Chrome's preflight says `Origin: null`, Firefox's the page's origin, and
        // both send `null` on the actual request.
        let json = Some("application/json");
        for status in [307, 308] {
            for target in [API, THIRD] {
                let o = if target == THIRD { "null" } else { PAGE };
                let first = preflighted_json_post();
                for engine in [Engine::Chrome, Engine::Firefox] {
                    let pf_origin = if engine == Engine::Firefox { PAGE } else { o };
                    let mut want = first.to_vec();
                    want.push(row(
                        "OPTIONS",
                        format!("{target}/f"),
                        pf_origin,
                        Some("POST"),
                        Some("content-type"),
                        None,
                    ));
                    want.push(row("POST", format!("{target}/f"), o, None, None, json));
                    assert_eq!(
                        hops(engine, "POST", "application/json", status, target, false),
                        want,
                        "{engine:?} {status} {target}"
                    );
                }
            }
        }
        // A 303 after PUT: a GET, preflighted by Firefox (page origin), sent directly by Chrome.
        let f = hops(Engine::Firefox, "PUT", "text/plain", 303, THIRD, false);
        assert_eq!(
            f[2],
            row(
                "OPTIONS",
                format!("{THIRD}/f"),
                PAGE,
                Some("GET"),
                None,
                None
            )
        );
        assert_eq!(
            f[3],
            row("GET", format!("{THIRD}/f"), "null", None, None, None)
        );
        let c = hops(Engine::Chrome, "PUT", "text/plain", 303, THIRD, false);
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[2],
            row("GET", format!("{THIRD}/f"), "null", None, None, None)
        );
    }

    #[test]
    fn simple_requests_are_not_preflighted_after_any_redirect() {
        for engine in [Engine::Chrome, Engine::Firefox] {
            for status in [301, 302, 303, 307, 308] {
                for target in [API, THIRD] {
                    let sent = hops(engine, "POST", "text/plain", status, target, true);
                    assert_eq!(sent.len(), 2, "{engine:?} {status} {target}");
                    assert!(sent.iter().all(|r| r[0].as_deref() != Some("OPTIONS")));
                }
            }
        }
    }

    #[test]
    fn firefox_checks_the_redirected_preflight_against_the_page_origin() {
        // The third origin allows the page on OPTIONS and `*` on the actual request: Firefox
        // (preflight Origin = page) passes; Chrome (preflight Origin null) fails.
        let req = CorsRequest::fetch(format!("{API}/r"), PAGE).method("PUT");
        let server = |r: &OutgoingRequest| {
            let third = r.url.starts_with(THIRD);
            match (r.method == Method::OPTIONS, third) {
                (true, false) => response(
                    204,
                    &[
                        ("access-control-allow-origin", PAGE),
                        ("access-control-allow-methods", "PUT"),
                    ],
                ),
                (false, false) => response(
                    307,
                    &[
                        ("access-control-allow-origin", PAGE),
                        ("location", "http://localhost:4000/f"),
                    ],
                ),
                (true, true) => response(
                    204,
                    &[
                        ("access-control-allow-origin", PAGE),
                        ("access-control-allow-methods", "PUT"),
                    ],
                ),
                (false, true) => response(200, &[("access-control-allow-origin", "*")]),
            }
        };
        assert!(matches!(
            simulate(&req, Engine::Firefox, server).0,
            Outcome::Allowed(_)
        ));
        assert!(matches!(
            simulate(&req, Engine::Chrome, server).0,
            Outcome::Blocked(_)
        ));
    }

    fn firefox_lines(
        req: &CorsRequest,
        server: impl FnMut(&OutgoingRequest) -> ResponseInfo,
    ) -> Vec<String> {
        match simulate(req, Engine::Firefox, server).0 {
            Outcome::Blocked(b) => {
                let f = b.firefox.expect("a Firefox report");
                std::iter::once(f.message).chain(f.followups).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn firefox_console_lines_after_preflight_and_redirect_failures() {
        let at = |url: &str, reason: &str| {
            format!("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: {reason}")
        };
        let url = format!("{API}/r");
        let null = |u: &str| at(u, "CORS request did not succeed). Status code: (null).");
        // A failed preflight: its reason, then "did not succeed" (Firefox ESR 153's console).
        let put = CorsRequest::fetch(url.clone(), PAGE).method("PUT");
        assert_eq!(
            firefox_lines(&put, |_| response(405, &[])),
            [at(&url, "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 405."), null(&url)]
        );
        // A redirected preflight: three lines.
        assert_eq!(
            firefox_lines(&put, |_| response(307, &[("location", "/x")])),
            [
                at(&url, "CORS request external redirect not allowed)."),
                at(
                    &url,
                    "CORS preflight response did not succeed). Status code: 307."
                ),
                null(&url)
            ]
        );
        // A redirect that fails the CORS check: its reason, then "did not succeed".
        let get = CorsRequest::fetch(url.clone(), PAGE);
        assert_eq!(
            firefox_lines(&get, |_| response(302, &[("location", "/x")])),
            [at(&url, "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 302."), null(&url)]
        );
        // A redirect Firefox cannot follow (ftp:, data:, a password, the 21st): one line.
        for location in [
            "ftp://127.0.0.1/x",
            "data:text/plain,hi",
            "http://u:p@localhost:3000/x",
        ] {
            assert_eq!(
                firefox_lines(&get, |_| response(
                    302,
                    &[
                        ("access-control-allow-origin", PAGE),
                        ("location", location)
                    ]
                )),
                [null(&url)],
                "{location}"
            );
        }
        // A failed actual response: one line.
        assert_eq!(
            firefox_lines(&get, |_| response(200, &[])),
            [at(&url, "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.")]
        );
    }

    /// The server of `corsgate-cli`'s `tests/webkit.rs` (the page at `WK_PAGE`, the API at
    /// `WK_API`, redirects' target at `WK_OTHER`), answering `r`.
    fn webkit_server(r: &OutgoingRequest) -> ResponseInfo {
        let path = r.url.split_once("//").unwrap().1.split_once('/').unwrap().1;
        let path = format!("/{path}");
        let options = r.method == Method::OPTIONS;
        let pf = [
            ("access-control-allow-methods", "GET, PUT"),
            ("access-control-allow-headers", "X-Test"),
        ];
        if path.starts_with("/final") {
            let acao = if path == "/final-tainted" {
                WK_PAGE
            } else {
                "*"
            };
            return if options {
                response(204, &[("access-control-allow-origin", acao), pf[0], pf[1]])
            } else {
                response(200, &[("access-control-allow-origin", acao)])
            };
        }
        let redirect = |to: String| {
            response(
                303,
                &[
                    ("access-control-allow-origin", WK_PAGE),
                    ("location", to.as_str()),
                ],
            )
        };
        match (r.method.as_str(), path.as_str()) {
            ("GET", "/allowed") => response(200, &[("access-control-allow-origin", WK_PAGE)]),
            ("GET", "/refused") => response(
                200,
                &[("access-control-allow-origin", "http://127.0.0.1:5500")],
            ),
            ("OPTIONS", "/preflight") => response(200, &[("access-control-allow-origin", WK_PAGE)]),
            ("OPTIONS", _) => response(
                204,
                &[
                    ("access-control-allow-origin", WK_PAGE),
                    ("access-control-allow-methods", "PUT"),
                    pf[1],
                ],
            ),
            ("PUT", "/redirect-cross") => redirect(format!("{WK_OTHER}/final-cross")),
            ("PUT", "/redirect-tainted") => redirect(format!("{WK_OTHER}/final-tainted")),
            ("PUT", "/redirect-simple") => redirect(format!("{WK_API}/final-simple")),
            ("PUT", "/redirect-same") => redirect(format!("{WK_API}/final-same")),
            _ => response(200, &[("access-control-allow-origin", WK_PAGE)]),
        }
    }

    const WK_PAGE: &str = "http://127.0.0.1:8000";
    const WK_API: &str = "http://127.0.0.1:8001";
    const WK_OTHER: &str = "http://127.0.0.1:8002";

    /// (method, URL, Origin, ACRM, ACRH, X-Test) of each request.
    type WkHop = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    fn wk_hop(
        m: &str,
        url: String,
        o: &str,
        acrm: Option<&str>,
        acrh: Option<&str>,
        x: Option<&str>,
    ) -> WkHop {
        (
            m.to_owned(),
            url,
            o.to_owned(),
            acrm.map(str::to_owned),
            acrh.map(str::to_owned),
            x.map(str::to_owned),
        )
    }

    /// Runs scenario `name` of `tests/webkit.rs` as `engine`: the console lines WebKit would
    /// print (empty when allowed) and the requests sent.
    fn webkit_scenario(engine: Engine, name: &str) -> (Option<Vec<String>>, Vec<WkHop>) {
        let mut req = CorsRequest::fetch(format!("{WK_API}/{name}"), WK_PAGE);
        if name != "allowed" && name != "refused" {
            req = req.method("PUT");
            if name != "redirect-simple" {
                req = req.header("X-Test", "1");
            }
        }
        let (outcome, sent) = simulate(&req, engine, webkit_server);
        let lines = match outcome {
            Outcome::Allowed(_) => Some(Vec::new()),
            Outcome::Blocked(b) => b.webkit,
            Outcome::Refused(r) => panic!("{r:?}"),
        };
        let hops = sent
            .iter()
            .map(|r| {
                let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
                (
                    r.method.to_string(),
                    r.url.clone(),
                    h("origin").unwrap_or_default(),
                    h("access-control-request-method"),
                    h("access-control-request-headers"),
                    h("x-test"),
                )
            })
            .collect();
        (lines, hops)
    }

    #[test]
    fn webkit_gives_the_lines_and_hops_of_a_real_webkit() {
        // Each case as `corsgate-cli`'s `tests/webkit.rs` asserts it of WebKitGTK 2.50.
        let cannot =
            |url: String| format!("Fetch API cannot load {url} due to access control checks.");
        let x = Some("x-test");
        let one = Some("1");
        let wk = |name: &str| webkit_scenario(Engine::WebKit, name);
        assert_eq!(
            wk("allowed"),
            (
                Some(vec![]),
                vec![wk_hop(
                    "GET",
                    format!("{WK_API}/allowed"),
                    WK_PAGE,
                    None,
                    None,
                    None
                )]
            )
        );
        assert_eq!(
            wk("refused"),
            (
                Some(vec![
                    format!(
                        "Origin {WK_PAGE} is not allowed by Access-Control-Allow-Origin. \
                         Status code: 200"
                    ),
                    cannot(format!("{WK_API}/refused")),
                ]),
                vec![wk_hop(
                    "GET",
                    format!("{WK_API}/refused"),
                    WK_PAGE,
                    None,
                    None,
                    None
                )]
            )
        );
        assert_eq!(
            wk("preflight"),
            (
                Some(vec![
                    "Method PUT is not allowed by Access-Control-Allow-Methods.".to_owned(),
                    cannot(format!("{WK_API}/preflight")),
                ]),
                vec![wk_hop(
                    "OPTIONS",
                    format!("{WK_API}/preflight"),
                    WK_PAGE,
                    Some("PUT"),
                    x,
                    None
                )]
            )
        );
        let first = |name: &str, acrh: Option<&str>, xt: Option<&str>| {
            vec![
                wk_hop(
                    "OPTIONS",
                    format!("{WK_API}/{name}"),
                    WK_PAGE,
                    Some("PUT"),
                    acrh,
                    None,
                ),
                wk_hop("PUT", format!("{WK_API}/{name}"), WK_PAGE, None, None, xt),
            ]
        };
        let mut cross = first("redirect-cross", x, one);
        cross.push(wk_hop(
            "OPTIONS",
            format!("{WK_OTHER}/final-cross"),
            "null",
            Some("GET"),
            x,
            None,
        ));
        cross.push(wk_hop(
            "GET",
            format!("{WK_OTHER}/final-cross"),
            "null",
            None,
            None,
            one,
        ));
        assert_eq!(wk("redirect-cross"), (Some(vec![]), cross));
        let mut same = first("redirect-same", x, one);
        same.push(wk_hop(
            "OPTIONS",
            format!("{WK_API}/final-same"),
            WK_PAGE,
            Some("GET"),
            x,
            None,
        ));
        same.push(wk_hop(
            "GET",
            format!("{WK_API}/final-same"),
            WK_PAGE,
            None,
            None,
            one,
        ));
        assert_eq!(wk("redirect-same"), (Some(vec![]), same));
        let mut tainted = first("redirect-tainted", x, one);
        tainted.push(wk_hop(
            "OPTIONS",
            format!("{WK_OTHER}/final-tainted"),
            "null",
            Some("GET"),
            x,
            None,
        ));
        assert_eq!(
            wk("redirect-tainted"),
            (
                Some(vec![
                    "Origin null is not allowed by Access-Control-Allow-Origin. Status code: 204"
                        .to_owned(),
                    cannot(format!("{WK_OTHER}/final-tainted")),
                ]),
                tainted
            )
        );
        let mut simple = first("redirect-simple", None, None);
        simple.push(wk_hop(
            "OPTIONS",
            format!("{WK_API}/final-simple"),
            WK_PAGE,
            Some("GET"),
            None,
            None,
        ));
        simple.push(wk_hop(
            "GET",
            format!("{WK_API}/final-simple"),
            WK_PAGE,
            None,
            None,
            None,
        ));
        assert_eq!(wk("redirect-simple"), (Some(vec![]), simple));
        // Chrome sends the simple GET without a preflight; Firefox preflights it.
        assert_eq!(
            webkit_scenario(Engine::Chrome, "redirect-simple").1.len(),
            3
        );
        assert_eq!(
            webkit_scenario(Engine::Firefox, "redirect-simple").1.len(),
            4
        );
    }

    #[test]
    fn webkit_words_missing_origins_xhr_redirects_and_too_many() {
        let get = CorsRequest::fetch(format!("{WK_API}/x"), WK_PAGE);
        let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |_| response(200, &[])).0 else {
            panic!("blocked");
        };
        assert_eq!(b.kind, CorsErrorKind::MissingAllowOriginHeader);
        assert_eq!(b.engine, Engine::WebKit);
        assert_eq!(
            b.webkit.as_deref(),
            Some(
                &[
                    format!(
                        "Origin {WK_PAGE} is not allowed by Access-Control-Allow-Origin. Status \
                         code: 200"
                    ),
                    format!("Fetch API cannot load {WK_API}/x due to access control checks."),
                ][..]
            )
        );
        let xhr = CorsRequest::xhr(format!("{WK_API}/refused"), WK_PAGE);
        let Outcome::Blocked(b) = simulate(&xhr, Engine::WebKit, webkit_server).0 else {
            panic!("blocked");
        };
        assert_eq!(
            b.webkit.as_ref().map(|l| l[1].clone()),
            Some(format!(
                "XMLHttpRequest cannot load {WK_API}/refused due to access control checks."
            ))
        );
        // A redirect whose response fails: WebKit names the target, and the URL that
        // redirected.
        let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |r| {
            if r.url.ends_with("/x") {
                response(302, &[("location", "/y")])
            } else {
                response(200, &[("access-control-allow-origin", "*")])
            }
        })
        .0
        else {
            panic!("blocked");
        };
        assert_eq!(
            b.webkit.as_deref().map(|l| l[0].as_str()),
            Some(
                format!(
                    "Cross-origin redirection to {WK_API}/y denied by Cross-Origin Resource \
                     Sharing policy: Origin {WK_PAGE} is not allowed by \
                     Access-Control-Allow-Origin. Status code: 302"
                )
                .as_str()
            )
        );
        // One redirect too many.
        let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |_| {
            response(
                302,
                &[("access-control-allow-origin", WK_PAGE), ("location", "/x")],
            )
        })
        .0
        else {
            panic!("blocked");
        };
        assert_eq!(
            b.webkit.as_deref().map(|l| l[0].as_str()),
            Some("Load cannot follow more than 20 redirections")
        );
        // Max-Age as WebKit reads it: capped at 600 s.
        let put = CorsRequest::fetch(format!("{WK_API}/x"), WK_PAGE).method("PUT");
        let Outcome::Allowed(a) = simulate(&put, Engine::WebKit, |_| {
            response(
                204,
                &[
                    ("access-control-allow-origin", WK_PAGE),
                    ("access-control-allow-methods", "PUT"),
                    ("access-control-max-age", "86400"),
                ],
            )
        })
        .0
        else {
            panic!("allowed");
        };
        assert_eq!(a.preflights[0].cache_lifetime_secs, 600);
    }
}
