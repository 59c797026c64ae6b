//! Each probe's answer judged by the browser core (pure): could the page at the forged origin read it, with credentials or without?

use corsgate_browser::{
    check_preflight_response, simulate, CorsRequest, CredentialsMode, Engine, Outcome, Purpose,
    ResponseInfo,
};
use http::StatusCode;
use serde::Serialize;

use super::probes::{Call, Probe};

/// Would Chrome hand the response to the page at the probe's origin?
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Readable {
    /// With `credentials: "include"` (cookies sent, `Access-Control-Allow-Credentials`
    /// needed).
    pub with_credentials: bool,
    /// With `credentials: "omit"`.
    pub without_credentials: bool,
}

impl Readable {
    /// Readable either way.
    pub fn any(&self) -> bool {
        self.with_credentials || self.without_credentials
    }
}

/// The verdict for every probe, in order. `responses[i]` is probe `i`'s answer.
///
/// A simple probe is Chrome's flow for `fetch(url)` fed its answer; a preflight probe is the
/// flow of the pages' call fed the preflight's answer, then the simple probe's answer from
/// the same origin for the actual request (which the audit never sends). A `GET` preflight
/// is judged as a preflight; a Private Network Access preflight must also answer
/// `Access-Control-Allow-Private-Network: true`. A redirect is never followed: nothing
/// behind it is readable.
pub fn verdicts(url: &str, probes: &[Probe], responses: &[ResponseInfo]) -> Vec<Readable> {
    probes
        .iter()
        .zip(responses)
        .map(|(p, resp)| {
            let actual = match p.call {
                Call::Simple => Some(resp),
                Call::Preflight => probes
                    .iter()
                    .zip(responses)
                    .find(|(q, _)| q.call == Call::Simple && q.origin == p.origin)
                    .map(|(_, r)| r),
                Call::GetPreflight | Call::PrivateNetwork => None,
            };
            let judge = |include: bool| match p.call {
                Call::Simple | Call::Preflight => {
                    actual.is_some_and(|a| flow_reads(url, p, resp, a, include))
                }
                Call::GetPreflight => preflight_passes(p, resp, include),
                Call::PrivateNetwork => {
                    preflight_passes(p, resp, include)
                        && resp
                            .combined("access-control-allow-private-network")
                            .as_deref()
                            == Some(b"true")
                }
            };
            Readable {
                with_credentials: judge(true),
                without_credentials: judge(false),
            }
        })
        .collect()
}

/// Chrome's flow for the probe's call: `preflight` answers the preflight (when the call has
/// one), `actual` the request itself.
fn flow_reads(
    url: &str,
    p: &Probe,
    preflight: &ResponseInfo,
    actual: &ResponseInfo,
    include: bool,
) -> bool {
    if is_redirect(actual) || (p.call == Call::Preflight && is_redirect(preflight)) {
        return false;
    }
    let mut req = CorsRequest::fetch(url, p.origin.as_str())
        .method(p.method.as_str())
        .credentials(if include {
            CredentialsMode::Include
        } else {
            CredentialsMode::Omit
        });
    for (n, v) in &p.headers {
        req = req.header(n.clone(), v.clone());
    }
    let (outcome, _) = simulate(&req, Engine::Chrome, |r| {
        if r.url != url {
            // Only the given URL is ever asked about (redirects stop above).
            return ResponseInfo::new(StatusCode::BAD_GATEWAY);
        }
        match r.purpose {
            Purpose::Preflight => preflight.clone(),
            Purpose::Actual => actual.clone(),
        }
    });
    matches!(outcome, Outcome::Allowed(_))
}

/// Does a preflight for `GET` (no headers) pass, as Chrome reads it?
fn preflight_passes(p: &Probe, resp: &ResponseInfo, include: bool) -> bool {
    check_preflight_response(resp, &p.origin, include, "GET", &[], Engine::Chrome).is_ok()
}

/// A redirect the browser would follow (a 3xx with `Location`).
pub fn is_redirect(resp: &ResponseInfo) -> bool {
    resp.is_redirect() && resp.location().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::flags::Target;
    use crate::audit::probes::{probes, Kind};
    use corsgate_browser::response;

    const URL: &str = "https://api.example.com/data";

    fn list(method: &str) -> Vec<Probe> {
        let t = Target::new(URL, &["https://app.example.com".to_owned()], method, &[]).unwrap();
        probes(&t)
    }

    /// Every probe answered by `server(origin, request is a preflight)`.
    fn run(
        list: &[Probe],
        server: impl Fn(&str, bool) -> ResponseInfo,
    ) -> Vec<(Kind, Call, Readable)> {
        let responses: Vec<ResponseInfo> = list
            .iter()
            .map(|p| server(&p.origin, p.call != Call::Simple))
            .collect();
        verdicts(URL, list, &responses)
            .into_iter()
            .zip(list)
            .map(|(v, p)| (p.kind, p.call, v))
            .collect()
    }

    #[test]
    fn a_reflecting_server_with_credentials_is_readable_everywhere() {
        let out = run(&list("GET"), |origin, _| {
            response(
                200,
                &[
                    ("access-control-allow-origin", origin),
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "PUT"),
                    ("access-control-allow-headers", "x-corsgate-audit"),
                ],
            )
        });
        for (kind, call, v) in &out {
            if *call == Call::PrivateNetwork {
                assert!(!v.any(), "no Allow-Private-Network header");
            } else if *kind == Kind::SpecialChar && !v.any() {
                // A comma in the origin makes two values of one header: never readable.
            } else {
                assert!(
                    v.with_credentials && v.without_credentials,
                    "{kind:?} {call:?}"
                );
            }
        }
    }

    #[test]
    fn a_star_is_readable_without_credentials_only() {
        let out = run(&list("GET"), |_, _| {
            response(
                200,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true"),
                ],
            )
        });
        for (kind, call, v) in out {
            if call == Call::Simple {
                assert!(!v.with_credentials && v.without_credentials, "{kind:?}");
            }
        }
    }

    #[test]
    fn a_preflight_probe_needs_both_answers() {
        // The preflight passes for every origin, but the actual answer has no CORS headers.
        let out = run(&list("DELETE"), |origin, preflight| {
            if preflight {
                response(
                    204,
                    &[
                        ("access-control-allow-origin", origin),
                        ("access-control-allow-methods", "DELETE"),
                    ],
                )
            } else {
                response(200, &[])
            }
        });
        assert!(out.iter().all(|(_, _, v)| !v.any()));
    }

    #[test]
    fn a_redirect_is_never_readable() {
        let out = run(&list("GET"), |origin, _| {
            response(
                302,
                &[
                    ("location", "https://elsewhere.example/"),
                    ("access-control-allow-origin", origin),
                ],
            )
        });
        assert!(out
            .iter()
            .filter(|(_, c, _)| *c == Call::Simple)
            .all(|(_, _, v)| !v.any()));
    }

    #[test]
    fn private_network_needs_its_header() {
        let l = list("GET");
        let pna = l
            .iter()
            .position(|p| p.call == Call::PrivateNetwork)
            .unwrap();
        let mut responses = vec![response(404, &[]); l.len()];
        responses[pna] = response(
            204,
            &[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-private-network", "true"),
            ],
        );
        let v = verdicts(URL, &l, &responses);
        assert!(v[pna].without_credentials && !v[pna].with_credentials);
    }
}
