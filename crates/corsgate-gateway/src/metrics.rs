//! The Prometheus metrics: requests by route and CORS outcome, upstream latency and errors, reloads, report-only differences.

use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// What the gateway's policy made of a request, as counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorsLabel {
    /// A preflight the policy allows.
    PreflightPassed,
    /// A preflight the policy refuses.
    PreflightFailed,
    /// A CORS request (not a preflight) from an allowed origin.
    ActualAllowed,
    /// A CORS request (not a preflight) from an origin the policy does not allow.
    ActualBlocked,
    /// No `Origin`: not a CORS request.
    NotCors,
}

impl CorsLabel {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            CorsLabel::PreflightPassed => "preflight_passed",
            CorsLabel::PreflightFailed => "preflight_failed",
            CorsLabel::ActualAllowed => "actual_allowed",
            CorsLabel::ActualBlocked => "actual_blocked",
            CorsLabel::NotCors => "not_cors",
        }
    }

    const ALL: [CorsLabel; 5] = [
        CorsLabel::PreflightPassed,
        CorsLabel::PreflightFailed,
        CorsLabel::ActualAllowed,
        CorsLabel::ActualBlocked,
        CorsLabel::NotCors,
    ];
}

/// Why an upstream could not answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamError {
    /// Connecting failed (refused, unreachable, TLS): 502.
    Connect,
    /// No response head in time (or no connection in time): 504.
    Timeout,
    /// The request body was over `max_body_bytes`: 413.
    BodyTooLarge,
    /// The connection failed after it was made (reset, malformed response): 502.
    Protocol,
}

impl UpstreamError {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamError::Connect => "connect",
            UpstreamError::Timeout => "timeout",
            UpstreamError::BodyTooLarge => "body_too_large",
            UpstreamError::Protocol => "protocol",
        }
    }

    const ALL: [UpstreamError; 4] = [
        UpstreamError::Connect,
        UpstreamError::Timeout,
        UpstreamError::BodyTooLarge,
        UpstreamError::Protocol,
    ];
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    cors: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    route: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChangeLabels {
    route: String,
    change: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms .. ~33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// Every metric, registered once per gateway process (a reload keeps the counts).
#[derive(Debug)]
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily<RouteLabel>,
    errors: Family<ErrorLabels, Counter>,
    differences: Family<ChangeLabels, Counter>,
    reloads: Family<ResultLabel, Counter>,
    /// Client connections open now.
    pub connections: Gauge,
}

/// One route's handles on the metrics, made when the routing table is built so that
/// counting a request looks nothing up.
#[derive(Clone, Debug)]
pub struct RouteMetrics {
    requests: [Counter; 5],
    errors: [Counter; 4],
    /// Seconds from sending a request to the upstream to its response head.
    pub latency: Histogram,
    /// Report-only: requests the policy would refuse that the upstream allowed.
    pub would_block: Counter,
    /// Report-only: requests the policy would allow that the upstream refused.
    pub would_allow: Counter,
}

impl RouteMetrics {
    /// Counts one request with this outcome.
    pub fn request(&self, cors: CorsLabel) {
        let i = CorsLabel::ALL.iter().position(|c| *c == cors).unwrap_or(0);
        self.requests[i].inc();
    }

    /// Counts one upstream error of this kind.
    pub fn error(&self, kind: UpstreamError) {
        let i = UpstreamError::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(0);
        self.errors[i].inc();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// The metrics, registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("corsgate");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily<RouteLabel> = Family::new_with_constructor(latency_histogram);
        let errors = Family::<ErrorLabels, Counter>::default();
        let differences = Family::<ChangeLabels, Counter>::default();
        let reloads = Family::<ResultLabel, Counter>::default();
        let connections = Gauge::default();
        registry.register(
            "requests",
            "Requests by route and what the route's CORS policy made of them (preflight_passed, preflight_failed, actual_allowed, actual_blocked, not_cors). Requests no route takes have route=\"\".",
            requests.clone(),
        );
        registry.register(
            "upstream_duration_seconds",
            "Seconds from sending a request to the upstream to its response head, by route.",
            latency.clone(),
        );
        registry.register(
            "upstream_errors",
            "Requests the upstream could not answer, by route and kind (connect, timeout, body_too_large, protocol).",
            errors.clone(),
        );
        registry.register(
            "report_only_differences",
            "Report-only routes: requests where the route's policy would answer differently from the upstream (change=would_block or would_allow).",
            differences.clone(),
        );
        registry.register(
            "reloads",
            "Configuration reloads by result (ok, failed).",
            reloads.clone(),
        );
        registry.register(
            "client_connections",
            "Client connections open now.",
            connections.clone(),
        );
        // Both results exist from the start, at 0.
        for result in ["ok", "failed"] {
            let _ = reloads.get_or_create(&ResultLabel { result });
        }
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            errors,
            differences,
            reloads,
            connections,
        }
    }

    /// The handles of the route named `route` (created at 0 when new).
    pub fn route(&self, route: &str) -> RouteMetrics {
        let requests = CorsLabel::ALL.map(|c| {
            self.requests.get_or_create_owned(&RequestLabels {
                route: route.to_owned(),
                cors: c.as_str(),
            })
        });
        let errors = UpstreamError::ALL.map(|k| {
            self.errors.get_or_create_owned(&ErrorLabels {
                route: route.to_owned(),
                kind: k.as_str(),
            })
        });
        let change = |change| {
            self.differences.get_or_create_owned(&ChangeLabels {
                route: route.to_owned(),
                change,
            })
        };
        RouteMetrics {
            requests,
            errors,
            latency: self.latency.get_or_create_owned(&RouteLabel {
                route: route.to_owned(),
            }),
            would_block: change("would_block"),
            would_allow: change("would_allow"),
        }
    }

    /// Counts one reload.
    pub fn reload(&self, ok: bool) {
        self.reloads
            .get_or_create(&ResultLabel {
                result: if ok { "ok" } else { "failed" },
            })
            .inc();
    }

    /// The metrics in the Prometheus text format (OpenMetrics).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = match self.registry.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }
}
