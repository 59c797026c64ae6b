//! One request through the gateway: route it, answer or refuse what the gateway answers itself, forward the rest to its upstream, and put the route's CORS headers on whatever comes back.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use corsgate::{Decision, Outcome};
use corsgate_config::gateway::ServerConfig;
use http::header::{self, HeaderValue};
use http::request::Parts;
use http::{Request, Response, StatusCode};
use http_body_util::Limited;
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

use crate::body::{Body, Busy};
use crate::headers;
use crate::log::{self, Access};
use crate::metrics::{CorsLabel, Metrics, RouteMetrics, UpstreamError};
use crate::route::{self, Route, Table};

/// The body sent to an upstream: the client's, streamed, cut off past `max_body_bytes`.
pub type UpstreamBody = Limited<Incoming>;

/// The pooled client to the upstreams (HTTP/1.1, plain or over TLS).
pub type UpstreamClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, UpstreamBody>;

/// What every request shares: the routing table (swapped whole on reload), the upstream
/// client and its pool, the metrics.
#[derive(Debug)]
pub struct Shared {
    /// The routes of the configuration in force.
    pub table: ArcSwap<Table>,
    /// The upstream client.
    pub client: UpstreamClient,
    /// The metrics.
    pub metrics: Arc<Metrics>,
    /// Counts requests no route takes.
    pub unrouted: RouteMetrics,
    /// The `[server]` section the gateway started with (reloads do not change it).
    pub server: ServerConfig,
}

impl Shared {
    /// Everything shared, for a validated configuration.
    pub fn new(config: corsgate_config::gateway::GatewayConfig, metrics: Arc<Metrics>) -> Self {
        let server = config.server.clone();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(server.upstream_connect_timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            // HTTP/1.1 to upstreams (as nginx speaks to its upstreams): upgrades (WebSocket)
            // work on every upstream connection, and pooling keeps connections warm.
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .set_host(false)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(1024)
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .build(https);
        let table = Table::new(config, &metrics);
        Shared {
            table: ArcSwap::from_pointee(table),
            client,
            unrouted: metrics.route(""),
            metrics,
            server,
        }
    }
}

/// The client connection a request came on.
#[derive(Debug)]
pub struct Conn {
    /// The client's address.
    pub peer: SocketAddr,
    /// Whether it came over TLS.
    pub tls: bool,
    /// Requests in flight on it (the idle timer waits for 0).
    pub busy: Arc<AtomicUsize>,
    /// The client's IP as `X-Forwarded-For` writes it.
    pub client_ip: HeaderValue,
}

/// Serves one request. Never fails: every error is a response, with the CORS headers of the
/// route (or of `[cors]`) on it.
pub async fn handle(
    shared: Arc<Shared>,
    conn: Arc<Conn>,
    mut req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let started = Instant::now();
    let busy = Busy::new(&conn.busy);
    let table = shared.table.load_full();
    let path = req.uri().path();
    // The host is parsed only when a route asks for one (two allocations saved otherwise).
    let host = if table.has_hosts {
        route::request_host(&req)
    } else {
        None
    };
    let route = table.find(host.as_deref(), path).cloned();
    let on_upgrade =
        if headers::wants_upgrade(req.headers()) && req.version() == http::Version::HTTP_11 {
            Some(hyper::upgrade::on(&mut req))
        } else {
            None
        };
    let (parts, body) = req.into_parts();
    let client_version = parts.version;
    let mut access = Access::new(&parts, conn.peer, route.as_ref());
    access.enforcing = route.as_deref().is_none_or(Route::enforces);

    let Some(route) = route else {
        // Not an open proxy: nothing is contacted for a host or path no route takes.
        let decision = table.default_cors.as_ref().map(|c| c.decide(&parts));
        let response = gateway_error(
            StatusCode::NOT_FOUND,
            "no route for this host and path",
            decision.as_ref(),
        );
        count(&shared.unrouted, decision.as_ref(), &mut access);
        return Ok(finish(access, response, started));
    };
    let metrics = &route.metrics;
    // The route's policy decides when it answers, and in report-only mode to compare.
    let decision = if route.enforces() || route.config.report_only {
        Some(route.cors().decide(&parts))
    } else {
        None
    };
    let answer = if route.enforces() {
        decision.as_ref()
    } else {
        None
    };
    count(metrics, answer.or(decision.as_ref()), &mut access);

    if parts.method == http::Method::CONNECT {
        // A tunnel to wherever the request names: what an open proxy does.
        let r = gateway_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "CONNECT is not proxied",
            answer,
        );
        return Ok(finish(access, r, started));
    }
    if route::has_dot_segment(parts.uri.path()) {
        let r = gateway_error(
            StatusCode::BAD_REQUEST,
            "the path has a . or .. segment",
            answer,
        );
        return Ok(finish(access, r, started));
    }
    if headers::head_bytes(&parts.headers) > shared.server.max_header_bytes {
        let r = gateway_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "the request's headers are larger than max_header_bytes",
            answer,
        );
        return Ok(finish(access, r, started));
    }
    if content_length(&parts).is_some_and(|n| n > shared.server.max_body_bytes) {
        metrics.error(UpstreamError::BodyTooLarge);
        let r = gateway_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than max_body_bytes",
            answer,
        );
        return Ok(finish(access, r, started));
    }
    if let Some(d) = answer {
        if let Some(status) = d.respond() {
            // A preflight the gateway answers (passed or refused): the upstream never sees it.
            let mut response = Response::new(Body::Empty);
            *response.status_mut() = status;
            d.headers().apply_to(response.headers_mut());
            return Ok(finish(access, response, started));
        }
    }

    let upgrade = on_upgrade.is_some();
    let Some(upstream_req) = upstream_request(&route, &conn, parts, body, &shared.server, upgrade)
    else {
        let r = gateway_error(
            StatusCode::BAD_REQUEST,
            "the request's path cannot be sent upstream",
            answer,
        );
        return Ok(finish(access, r, started));
    };
    let sent = Instant::now();
    let result = tokio::time::timeout(
        shared.server.upstream_response_timeout,
        shared.client.request(upstream_req),
    )
    .await;
    let mut response = match result {
        Ok(Ok(response)) => {
            metrics.latency.observe(sent.elapsed().as_secs_f64());
            response
        }
        Ok(Err(e)) => {
            let kind = classify(&e);
            metrics.error(kind);
            access.upstream_error = Some((kind, log::error_chain(&e)));
            let (status, text) = match kind {
                UpstreamError::BodyTooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the request body is larger than max_body_bytes",
                ),
                UpstreamError::Timeout => (
                    StatusCode::GATEWAY_TIMEOUT,
                    "the upstream did not answer in time",
                ),
                UpstreamError::Connect => {
                    (StatusCode::BAD_GATEWAY, "the upstream cannot be reached")
                }
                UpstreamError::Protocol => (
                    StatusCode::BAD_GATEWAY,
                    "the upstream's answer was cut off or malformed",
                ),
            };
            let r = gateway_error(status, text, answer);
            return Ok(finish(access, r, started));
        }
        Err(_elapsed) => {
            metrics.error(UpstreamError::Timeout);
            access.upstream_error = Some((
                UpstreamError::Timeout,
                "no response head within upstream_response_timeout".to_owned(),
            ));
            let r = gateway_error(
                StatusCode::GATEWAY_TIMEOUT,
                "the upstream did not answer in time",
                answer,
            );
            return Ok(finish(access, r, started));
        }
    };

    let switching = response.status() == StatusCode::SWITCHING_PROTOCOLS;
    headers::remove_hop_by_hop(response.headers_mut(), switching && upgrade);
    let version = response.version();
    headers::add_via(response.headers_mut(), version);
    if route.config.report_only {
        if let Some(d) = &decision {
            compare(&route, d, &response, &mut access);
        }
    }
    if let Some(d) = answer {
        headers::strip_upstream_cors(response.headers_mut());
        d.headers().apply_to(response.headers_mut());
    }
    if switching {
        if let Some(client_side) = on_upgrade {
            let upstream_side = hyper::upgrade::on(&mut response);
            tokio::spawn(async move {
                if let (Ok(a), Ok(b)) = (client_side.await, upstream_side.await) {
                    let mut a = TokioIo::new(a);
                    let mut b = TokioIo::new(b);
                    let _ = tokio::io::copy_bidirectional(&mut a, &mut b).await;
                }
            });
        }
    }
    let (mut parts, body) = response.into_parts();
    // The client gets the response in its own protocol version, whatever the upstream spoke.
    parts.version = client_version;
    let response = Response::from_parts(
        parts,
        Body::Upstream {
            body,
            _busy: Some(busy),
        },
    );
    Ok(finish(access, response, started))
}

/// Logs the request and returns its response.
fn finish(access: Access, response: Response<Body>, started: Instant) -> Response<Body> {
    access.log(response.status(), started.elapsed());
    response
}

/// Counts the request under what the policy made of it, and notes that for the log.
fn count(metrics: &RouteMetrics, decision: Option<&Decision>, access: &mut Access) {
    let label = match decision.map(Decision::outcome) {
        None | Some(Outcome::NotCors) => CorsLabel::NotCors,
        Some(Outcome::PreflightPass) => CorsLabel::PreflightPassed,
        Some(Outcome::PreflightFail(why)) => {
            access.reason = Some(why);
            CorsLabel::PreflightFailed
        }
        Some(Outcome::Actual {
            origin_allowed: true,
        }) => CorsLabel::ActualAllowed,
        Some(Outcome::Actual {
            origin_allowed: false,
        }) => CorsLabel::ActualBlocked,
    };
    metrics.request(label);
    access.cors = label;
}

/// Report-only: would the route's policy have answered differently from the upstream?
fn compare(route: &Route, decision: &Decision, response: &Response<Incoming>, access: &mut Access) {
    let policy_allows = match decision.outcome() {
        Outcome::PreflightPass
        | Outcome::Actual {
            origin_allowed: true,
        } => true,
        Outcome::PreflightFail(_)
        | Outcome::Actual {
            origin_allowed: false,
        } => false,
        _ => return,
    };
    let origin = access.origin.as_ref().map_or(&b""[..], |o| o.as_bytes());
    let acao = response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    let upstream_allows = acao.is_some_and(|v| v == "*" || v.as_bytes() == origin)
        && (!matches!(
            decision.outcome(),
            Outcome::PreflightPass | Outcome::PreflightFail(_)
        ) || response.status().is_success());
    match (policy_allows, upstream_allows) {
        (false, true) => {
            route.metrics.would_block.inc();
            access.report_only = Some("would_block");
        }
        (true, false) => {
            route.metrics.would_allow.inc();
            access.report_only = Some("would_allow");
        }
        _ => {}
    }
}

/// The request the upstream gets: its URI, the client's headers less the hop-by-hop ones,
/// with `X-Forwarded-*` and `Via`; `Host` is the upstream's.
fn upstream_request(
    route: &Route,
    conn: &Conn,
    mut parts: Parts,
    body: Incoming,
    server: &ServerConfig,
    upgrade: bool,
) -> Option<Request<UpstreamBody>> {
    let uri = route.upstream_uri_for(&parts.uri)?;
    let original_host = parts.headers.get(header::HOST).cloned().or_else(|| {
        parts
            .uri
            .authority()
            .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
    });
    headers::remove_hop_by_hop(&mut parts.headers, upgrade);
    headers::add_forwarded(
        &mut parts.headers,
        &conn.client_ip,
        conn.tls,
        original_host.as_ref(),
        parts.version,
    );
    // The upstream's own host and port (made once per route; the client would format it
    // from the URI on every request).
    parts
        .headers
        .insert(header::HOST, route.host_header.clone());
    parts.uri = uri;
    parts.version = http::Version::HTTP_11;
    let limit = usize::try_from(server.max_body_bytes).unwrap_or(usize::MAX);
    Some(Request::from_parts(parts, Limited::new(body, limit)))
}

fn content_length(parts: &Parts) -> Option<u64> {
    parts
        .headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Why the upstream request failed, as counted and answered.
fn classify(e: &hyper_util::client::legacy::Error) -> UpstreamError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut timed_out = false;
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return UpstreamError::BodyTooLarge;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            timed_out |= io.kind() == std::io::ErrorKind::TimedOut;
        }
        source = s.source();
    }
    if timed_out {
        UpstreamError::Timeout
    } else if e.is_connect() {
        UpstreamError::Connect
    } else {
        UpstreamError::Protocol
    }
}

/// A response the gateway writes itself, with the CORS headers of the decision (when the
/// policy allows the origin) so the page sees this status, not a CORS error.
pub fn gateway_error(
    status: StatusCode,
    text: &str,
    decision: Option<&Decision>,
) -> Response<Body> {
    let body = format!(
        "{} {}: {text} (corsgate gateway)\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let mut response = Response::new(Body::full(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Some(d) = decision {
        // The headers the policy gives this request. On a preflight answered with an error
        // the browser fails the preflight on the status alone, whatever the headers say.
        d.headers().apply_to(response.headers_mut());
    }
    response
}
