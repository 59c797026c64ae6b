//! The offline transport: a corsgate policy's tower layer in front of a stub application.

use std::convert::Infallible;
use std::time::SystemTime;

use bytes::Bytes;
use corsgate::Cors;
use corsgate_browser::{OutgoingRequest, ResponseInfo};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, ServiceExt};

use super::engines::{BodyEnd, Deadline, Sent, Transport};
use super::CheckError;

/// Answers each request with the library's layer over a stub application answering `200 ok`,
/// so server core and browser core are checked together.
#[derive(Clone, Debug)]
pub(crate) struct OfflinePolicy {
    cors: Cors,
}

impl OfflinePolicy {
    /// The transport for `cors`.
    pub(crate) fn new(cors: &Cors) -> Self {
        OfflinePolicy { cors: cors.clone() }
    }
}

/// The stub application behind the policy: what a minimal axum/hyper handler returning
/// `"ok"` answers to any method (`content-type`, `content-length`, `date`).
fn stub_response() -> Response<String> {
    let mut resp = Response::new("ok".to_owned());
    let h = resp.headers_mut();
    h.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(http::header::CONTENT_LENGTH, HeaderValue::from(2u32));
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now())) {
        h.insert(http::header::DATE, v);
    }
    resp
}

impl Transport for OfflinePolicy {
    async fn send(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
        _deadline: Option<Deadline>,
    ) -> Result<Sent, CheckError> {
        let mut headers = HeaderMap::new();
        if let Ok(uri) = req.url.parse::<http::Uri>() {
            if let Some(Ok(v)) = uri.authority().map(|a| HeaderValue::from_str(a.as_str())) {
                headers.insert(http::header::HOST, v);
            }
        }
        for (n, v) in &req.headers {
            headers.append(n.clone(), v.clone());
        }
        let body = match body {
            Some(b) if req.has_body => {
                headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(b.len()));
                String::from_utf8_lossy(b).into_owned()
            }
            _ => String::new(),
        };
        let mut request = Request::builder()
            .method(req.method.clone())
            .uri(req.url.as_str())
            .body(body)
            .map_err(|e| CheckError::Usage(format!("cannot build the request: {e}.")))?;
        *request.headers_mut() = headers.clone();
        let app = tower::service_fn(|_req: Request<String>| async {
            Ok::<_, Infallible>(stub_response())
        });
        let response = match self.cors.layer().layer(app).oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let read =
            req.purpose == corsgate_browser::Purpose::Actual && req.method != http::Method::HEAD;
        Ok(Sent {
            version: None,
            pseudo: Vec::new(),
            headers,
            response: ResponseInfo {
                status: response.status(),
                headers: response.headers().clone(),
            },
            body: if read {
                BodyEnd::Complete(response.body().len() as u64)
            } else {
                BodyEnd::NotRead
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stub_dates_its_answer() {
        let resp = stub_response();
        let date = resp.headers()[http::header::DATE].to_str().unwrap();
        assert!(httpdate::parse_http_date(date).is_ok(), "{date}");
        assert!(date.ends_with(" GMT"), "{date}");
    }
}
