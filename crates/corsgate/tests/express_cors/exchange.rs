//! The requests, with the headers Chrome sends, and the CORS part of the answers compared.

use super::*;

// --- requests and answers -------------------------------------------------------------------

/// One request, with the headers Chrome sends for it.
#[derive(Clone, Debug)]
pub(super) struct Req {
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) headers: Vec<(&'static str, String)>,
}

/// The headers Chrome adds to a `fetch()` from `origin` (none of them matters to either
/// server, but this is what a real request looks like).
pub(super) fn chrome_headers(origin: Option<&str>) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("accept", "*/*".to_string()),
        ("accept-language", "en-US,en;q=0.9".to_string()),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36".to_string()),
        ("sec-fetch-dest", "empty".to_string()),
    ];
    if let Some(origin) = origin {
        // 127.0.0.1:5500 -> 127.0.0.1:<port> is same-site; localhost -> 127.0.0.1 is not.
        let site = if origin.starts_with("http://127.0.0.1") {
            "same-site"
        } else {
            "cross-site"
        };
        h.push(("origin", origin.to_string()));
        h.push(("referer", format!("{origin}/")));
        h.push(("sec-fetch-mode", "cors".to_string()));
        h.push(("sec-fetch-site", site.to_string()));
    } else {
        h.push(("sec-fetch-mode", "no-cors".to_string()));
        h.push(("sec-fetch-site", "same-origin".to_string()));
    }
    h
}

/// `fetch(url)` from `origin` (`None`: a same-origin or non-browser request, no `Origin`).
pub(super) fn get(origin: Option<&str>) -> Req {
    Req {
        method: "GET",
        path: "/data",
        headers: chrome_headers(origin),
    }
}

/// `fetch(url, { credentials: "include" })`: the same request with the page's cookie.
pub(super) fn get_with_cookie(origin: &str) -> Req {
    let mut r = get(Some(origin));
    r.headers.push(("cookie", "session=s3cr3t".to_string()));
    r
}

/// A GET to a path with no route (the app's 404).
pub(super) fn get_missing(origin: &str) -> Req {
    Req {
        path: "/missing",
        ..get(Some(origin))
    }
}

/// The seeds' `fetch(url, { method: "PUT" })` after its preflight passed.
pub(super) fn put(origin: &str) -> Req {
    let mut r = get(Some(origin));
    r.method = "PUT";
    r.headers
        .push(("content-type", "application/json".to_string()));
    r
}

/// The preflight Chrome sends before a non-simple request: `Access-Control-Request-Headers`
/// lower case, sorted, comma-separated without spaces, and absent when empty.
pub(super) fn preflight(origin: &str, method: &str, request_headers: Option<&str>) -> Req {
    let mut headers = chrome_headers(Some(origin));
    headers.push(("access-control-request-method", method.to_string()));
    if let Some(h) = request_headers {
        headers.push(("access-control-request-headers", h.to_string()));
    }
    Req {
        method: "OPTIONS",
        path: "/data",
        headers,
    }
}

/// A preflight Chrome sends for a public page calling a private address (Private Network
/// Access).
pub(super) fn preflight_private_network(origin: &str) -> Req {
    let mut r = preflight(origin, "GET", None);
    r.headers
        .push(("access-control-request-private-network", "true".to_string()));
    r
}

/// `fetch(url, { method: "OPTIONS" })`: an OPTIONS request that is not a preflight (browsers
/// preflight it, then send this with `Origin` and no `Access-Control-Request-Method`).
pub(super) fn options_actual(origin: &str) -> Req {
    Req {
        method: "OPTIONS",
        path: "/data",
        headers: chrome_headers(Some(origin)),
    }
}

/// `curl -X OPTIONS url`: no `Origin` at all.
pub(super) fn options_without_origin() -> Req {
    Req {
        method: "OPTIONS",
        path: "/data",
        headers: vec![("accept", "*/*".to_string())],
    }
}

/// The CORS-relevant part of a response: status, `Access-Control-*` and `Vary`, each list
/// header normalised to sorted items joined by `, ` (names lower-cased except in
/// `Access-Control-Allow-Methods`, whose items browsers compare case-sensitively).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: BTreeMap<String, String>,
}

/// Printed the way expectations are written, so a changed answer can be read against them.
impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "answer({}, &[", self.status)?;
        for (i, (n, v)) in self.headers.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}({n:?}, {v:?})")?;
        }
        write!(f, "])")
    }
}

pub(super) fn normalise(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    let list = matches!(
        name.as_str(),
        "access-control-allow-methods"
            | "access-control-allow-headers"
            | "access-control-expose-headers"
            | "vary"
    );
    if !list {
        return value.to_string();
    }
    let mut items: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|i| {
            if name == "access-control-allow-methods" {
                i.to_string()
            } else {
                i.to_ascii_lowercase()
            }
        })
        .collect();
    items.sort();
    items.join(", ")
}

/// An expected answer, written as headers would be sent (normalised like a received one).
pub(super) fn answer(status: u16, headers: &[(&str, &str)]) -> Answer {
    Answer {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), normalise(n, v)))
            .collect(),
    }
}

/// Header lines as received: `(name, value)`.
pub(super) type Lines = Vec<(String, String)>;

/// What came back, normalised, plus the raw CORS header lines for the format checks.
pub(super) struct Received {
    pub(super) answer: Answer,
    pub(super) raw: Lines,
}

pub(super) type HttpClient = Client<HttpConnector, Empty<Bytes>>;

pub(super) async fn send(client: &HttpClient, port: u16, req: &Req) -> Received {
    let mut builder = Request::builder()
        .method(req.method)
        .uri(format!("http://127.0.0.1:{port}{}", req.path));
    for (n, v) in &req.headers {
        builder = builder.header(*n, v.as_str());
    }
    let request = builder.body(Empty::new()).expect("a valid request");
    let response = tokio::time::timeout(REQUEST_DEADLINE, client.request(request))
        .await
        .unwrap_or_else(|_| panic!("no answer within {REQUEST_DEADLINE:?} to {req:?}"))
        .unwrap_or_else(|e| panic!("{req:?} failed: {e}"));
    let (parts, body) = response.into_parts();
    tokio::time::timeout(REQUEST_DEADLINE, body.collect())
        .await
        .expect("the body within the deadline")
        .expect("a readable body");
    let mut joined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut raw = Vec::new();
    for (name, value) in &parts.headers {
        let name = name.as_str();
        if name.starts_with("access-control-") || name == "vary" {
            let value = value.to_str().expect("ASCII header value").to_string();
            raw.push((name.to_string(), value.clone()));
            joined.entry(name.to_string()).or_default().push(value);
        }
    }
    Received {
        answer: Answer {
            status: parts.status.as_u16(),
            headers: joined
                .into_iter()
                .map(|(n, vs)| {
                    let v = normalise(&n, &vs.join(", "));
                    (n, v)
                })
                .collect(),
        },
        raw,
    }
}
