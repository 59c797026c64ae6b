//! What the server allows now: read from its CORS answers, or from an offline policy's config.

use corsgate::Config;
use corsgate_browser::Purpose;

use super::engines::Recorded;
use super::fix::ServerPolicy;

/// What the server allows, as far as its responses tell: the origins it allowed this request
/// (`*`, or the request's own origin echoed back), the methods and headers its preflights
/// listed, what its responses expose, credentials and the preflight cache time.
pub(crate) fn from_responses(log: &[Recorded]) -> ServerPolicy {
    let mut p = ServerPolicy::default();
    for r in log {
        let resp = &r.sent.response;
        if let Some(acao) = resp.combined("access-control-allow-origin") {
            let v = String::from_utf8_lossy(&acao).trim().to_owned();
            let sent = r
                .request
                .headers
                .get(http::header::ORIGIN)
                .map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned());
            if (v == "*" || Some(&v) == sent.as_ref()) && !p.origins.contains(&v) {
                p.origins.push(v);
            }
        }
        if resp.combined("access-control-allow-credentials").as_deref() == Some(b"true") {
            p.credentials = true;
        }
        if r.request.purpose == Purpose::Preflight {
            for m in comma_list(resp.combined("access-control-allow-methods")) {
                if !p.methods.contains(&m) {
                    p.methods.push(m);
                }
            }
            for h in comma_list(resp.combined("access-control-allow-headers")) {
                let h = h.to_ascii_lowercase();
                if !p.headers.contains(&h) {
                    p.headers.push(h);
                }
            }
            if let Some(Ok(n)) = resp
                .combined("access-control-max-age")
                .map(|v| String::from_utf8_lossy(&v).trim().parse::<i64>())
            {
                p.max_age = Some(n);
            }
        } else {
            for h in comma_list(resp.combined("access-control-expose-headers")) {
                if !p.expose.contains(&h) {
                    p.expose.push(h);
                }
            }
        }
    }
    p
}

/// The server policy a corsgate config stands for.
pub(crate) fn from_config(config: &Config) -> ServerPolicy {
    ServerPolicy {
        origins: config.allow_origins.clone(),
        methods: config.allow_methods.clone(),
        headers: config.allow_headers.clone(),
        expose: config.expose_headers.clone(),
        credentials: config.allow_credentials,
        max_age: config.max_age,
        insecure_origins: config.dangerously_allow_insecure_origins,
        public_suffix_wildcards: config.dangerously_allow_public_suffix_wildcards,
    }
}

/// The non-empty, trimmed items of a comma-separated header value.
fn comma_list(value: Option<Vec<u8>>) -> Vec<String> {
    value
        .map(|v| {
            String::from_utf8_lossy(&v)
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::engines::Sent;
    use corsgate_browser::{response, CorsRequest, Engine, Flow};

    #[test]
    fn a_preflight_answer_tells_methods_headers_and_the_echoed_origin() {
        let req =
            CorsRequest::fetch("http://localhost:3000/data", "http://127.0.0.1:5500").method("PUT");
        let flow = Flow::new(&req, Engine::Chrome).unwrap();
        let request = flow.next_request().unwrap();
        let answer = response(
            204,
            &[
                ("access-control-allow-origin", "http://127.0.0.1:5500"),
                ("access-control-allow-methods", "GET, POST,"),
                ("access-control-allow-headers", "X-A"),
                ("access-control-max-age", "60"),
            ],
        );
        let log = [Recorded {
            request,
            sent: Sent {
                version: None,
                pseudo: Vec::new(),
                headers: http::HeaderMap::new(),
                response: answer,
                body: crate::check::engines::BodyEnd::NotRead,
            },
        }];
        let p = from_responses(&log);
        assert_eq!(p.origins, ["http://127.0.0.1:5500"]);
        assert_eq!(p.methods, ["GET", "POST"]);
        assert_eq!(p.headers, ["x-a"]);
        assert_eq!(p.max_age, Some(60));
        assert!(!p.credentials);
    }
}
