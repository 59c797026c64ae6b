//! The network transport: HTTP(S) I/O only, each request sent exactly as the flow gives it.

use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use corsgate_browser::{OutgoingRequest, Purpose, ResponseInfo};
use http::{HeaderMap, HeaderValue, Method, Request, Uri, Version};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::engines::{BodyEnd, Deadline, Sent, Transport};
use super::CheckError;

/// The largest response head read, in bytes: Chromium's (`kMaxHeaderBufSize`, 256 KiB; a
/// larger head fails as `net::ERR_RESPONSE_HEADERS_TOO_BIG`; Firefox ESR 153 takes up to
/// 384 KiB). Browsers do not count header lines.
pub const MAX_HEAD_BYTES: usize = 256 * 1024;

/// The most header lines read in one response head: as many as the HTTP library holds
/// (`http::HeaderMap` tops out at 24,576 entries); a 256 KiB head of the shortest lines has
/// more, which no real server sends.
pub const MAX_HEADER_LINES: usize = 24_576;

/// How many bytes are read from a connection between two yields to the runtime, so the
/// check's deadline fires on time even when a server floods (e.g. endless `100 Continue`).
const READ_SLICE: usize = 8 * 1024;

/// Sends requests one by one: one connection per request, no redirect following, no cookies,
/// no headers of its own except `Host` (and `Content-Length` for a body). `http:` is
/// HTTP/1.1; `https:` (TLS with rustls) offers `h2` and `http/1.1` by ALPN, as browsers do,
/// and speaks HTTP/2 when the server picks it (`:authority` then stands for `Host`). Everything — connecting, TLS, the answer, reading the body —
/// happens before the check's deadline.
#[derive(Clone)]
pub struct Client {
    tls: TlsConnector,
    timeout: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client trusting Mozilla's root certificates (compiled in) plus those in `cacert`.
    pub fn new(timeout: Duration, cacert: Option<&Path>) -> Result<Client, CheckError> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(path) = cacert {
            let shown = path.display();
            let iter = CertificateDer::pem_file_iter(path).map_err(|e| {
                CheckError::Usage(format!("--cacert {shown}: cannot read it: {e}."))
            })?;
            let mut added = 0usize;
            for cert in iter {
                let cert = cert.map_err(|e| {
                    CheckError::Usage(format!(
                        "--cacert {shown}: not a PEM certificate file ({e})."
                    ))
                })?;
                roots.add(cert).map_err(|e| {
                    CheckError::Usage(format!(
                        "--cacert {shown}: a certificate in it cannot be a trust root: {e}."
                    ))
                })?;
                added += 1;
            }
            if added == 0 {
                return Err(CheckError::Usage(format!(
                    "--cacert {shown}: no certificate in it; give a PEM file with one or more \
                     -----BEGIN CERTIFICATE----- blocks."
                )));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| CheckError::Network(format!("cannot set up TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        // As browsers: HTTP/2 when the server takes it, else HTTP/1.1.
        config.alpn_protocols = vec![ALPN_H2.to_vec(), b"http/1.1".to_vec()];
        Ok(Client {
            tls: TlsConnector::from(Arc::new(config)),
            timeout,
        })
    }

    /// The whole check's time (`--timeout`).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `req` (with `body` when the request carries one) and returns the response head
    /// and how its body ended, all within the client's timeout from now.
    pub async fn send(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
    ) -> Result<Sent, CheckError> {
        self.send_until(req, body, Deadline::after(self.timeout))
            .await
    }

    /// [`Client::send`], everything before `deadline`.
    pub async fn send_until(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
        deadline: Deadline,
    ) -> Result<Sent, CheckError> {
        let informational = Arc::new(AtomicUsize::new(0));
        let exchange = self.send_inner(req, body, deadline, informational.clone());
        let result = match tokio::time::timeout_at(deadline.at.into(), exchange).await {
            Ok(result) => result,
            Err(_) => Err(CheckError::Network(String::new())),
        };
        // Whatever failed once the deadline passed, it is the deadline.
        result.map_err(|e| {
            if deadline.passed() {
                let n = informational.load(Ordering::Relaxed);
                let detail = if n > 0 {
                    format!(" (it sent {n} informational 1xx responses and no final one)")
                } else {
                    String::new()
                };
                deadline.expired(req, &detail)
            } else {
                e
            }
        })
    }

    async fn send_inner(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
        deadline: Deadline,
        informational: Arc<AtomicUsize>,
    ) -> Result<Sent, CheckError> {
        let uri: Uri = req
            .url
            .parse()
            .map_err(|e| CheckError::Usage(format!("cannot request {}: {e}.", req.url)))?;
        let https = uri.scheme_str() == Some("https");
        let host = uri.host().unwrap_or_default();
        let bare_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        // The URL is canonical: a default port is already left out of it.
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or(host);
        let host_value = HeaderValue::from_str(authority)
            .map_err(|_| CheckError::Usage(format!("cannot request {}: bad host.", req.url)))?;
        let mut fields = HeaderMap::new();
        for (name, value) in &req.headers {
            fields.append(name.clone(), value.clone());
        }
        let payload = match body {
            Some(b) if req.has_body => {
                fields.insert(http::header::CONTENT_LENGTH, HeaderValue::from(b.len()));
                Payload::new(b.clone())
            }
            _ => Payload::none(),
        };
        // The page reads the body of the answer it gets, not of a preflight or a redirect.
        let read_body = req.purpose == Purpose::Actual && req.method != Method::HEAD;

        let stream = TcpStream::connect((bare_host.as_str(), port))
            .await
            .map_err(|e| {
                CheckError::Network(format!(
                    "cannot connect to {host}:{port} ({}): {e}.",
                    req.url
                ))
            })?;
        let _ = stream.set_nodelay(true);
        let stream = Bounded::new(stream, deadline.at);

        if !https {
            // Plain http: HTTP/1.1, as browsers (none speaks h2c).
            let (request, headers) = http1_request(&uri, req, host_value, fields, payload);
            let request = with_informational(request, informational);
            let (response, body, version) =
                exchange_http1(TokioIo::new(stream), request, &req.url, read_body, deadline)
                    .await?;
            return Ok(Sent {
                version: Some(version),
                pseudo: Vec::new(),
                headers,
                response,
                body,
            });
        }
        let name = ServerName::try_from(bare_host.clone()).map_err(|e| {
            CheckError::Usage(format!("cannot use {host} as a TLS server name: {e}."))
        })?;
        let tls = self.tls.connect(name, stream).await.map_err(|e| {
            CheckError::Network(format!(
                "TLS handshake with {host}:{port} failed: {e}{}.",
                if e.to_string().contains("UnknownIssuer") {
                    " (for a private or self-signed certificate, pass its CA with --cacert FILE)"
                } else {
                    ""
                }
            ))
        })?;
        // HTTP/2 when the server picked `h2` by ALPN, HTTP/1.1 otherwise (it picked
        // `http/1.1`, or does not do ALPN): what a browser speaks to it.
        if tls.get_ref().1.alpn_protocol() == Some(ALPN_H2) {
            let pseudo = pseudo_headers(&req.method, &uri);
            let request = http2_request(&uri, req, fields.clone(), payload);
            let (response, body, version) =
                exchange_http2(TokioIo::new(tls), request, &req.url, read_body, deadline).await?;
            Ok(Sent {
                version: Some(version),
                pseudo,
                headers: fields,
                response,
                body,
            })
        } else {
            let (request, headers) = http1_request(&uri, req, host_value, fields, payload);
            let request = with_informational(request, informational);
            let (response, body, version) =
                exchange_http1(TokioIo::new(tls), request, &req.url, read_body, deadline).await?;
            Ok(Sent {
                version: Some(version),
                pseudo: Vec::new(),
                headers,
                response,
                body,
            })
        }
    }
}

/// The ALPN protocol name of HTTP/2 over TLS.
const ALPN_H2: &[u8] = b"h2";

/// An HTTP/1.1 request: origin-form target, `host` first, then `fields`; and the header
/// lines it carries, for the report.
fn http1_request(
    uri: &Uri,
    req: &OutgoingRequest,
    host: HeaderValue,
    fields: HeaderMap,
    payload: Payload,
) -> (Request<Payload>, HeaderMap) {
    let mut headers = HeaderMap::with_capacity(fields.len() + 1);
    headers.insert(http::header::HOST, host);
    headers.extend(fields);
    let mut request = Request::new(payload);
    *request.method_mut() = req.method.clone();
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    *request.uri_mut() = Uri::try_from(target).unwrap_or_else(|_| Uri::from_static("/"));
    *request.headers_mut() = headers.clone();
    (request, headers)
}

/// An HTTP/2 request: the whole URL (its scheme, authority and path become the pseudo-header
/// fields) and `fields`, no `host`.
fn http2_request(
    uri: &Uri,
    req: &OutgoingRequest,
    fields: HeaderMap,
    payload: Payload,
) -> Request<Payload> {
    let mut request = Request::new(payload);
    *request.method_mut() = req.method.clone();
    *request.uri_mut() = uri.clone();
    *request.version_mut() = Version::HTTP_2;
    *request.headers_mut() = fields;
    request
}

/// Counts the informational (1xx) responses to `request` (HTTP/1.1).
fn with_informational(
    mut request: Request<Payload>,
    informational: Arc<AtomicUsize>,
) -> Request<Payload> {
    hyper::ext::on_informational(&mut request, move |_| {
        informational.fetch_add(1, Ordering::Relaxed);
    });
    request
}

/// The pseudo-header fields an HTTP/2 request for `uri` carries, in the order the HTTP/2
/// library sends them: `:method`, `:scheme`, `:authority`, `:path` (an empty path is `/`, or
/// `*` for `OPTIONS`).
pub(crate) fn pseudo_headers(method: &Method, uri: &Uri) -> Vec<(&'static str, String)> {
    let path = match uri.path_and_query().map(|p| p.as_str()) {
        Some(p) if !p.is_empty() => p.to_owned(),
        _ if *method == Method::OPTIONS => "*".to_owned(),
        _ => "/".to_owned(),
    };
    let mut pseudo = vec![(":method", method.to_string())];
    if let Some(scheme) = uri.scheme_str() {
        pseudo.push((":scheme", scheme.to_owned()));
    }
    if let Some(authority) = uri.authority() {
        pseudo.push((":authority", authority.as_str().to_owned()));
    }
    pseudo.push((":path", path));
    pseudo
}

impl Transport for Client {
    async fn send(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
        deadline: Option<Deadline>,
    ) -> Result<Sent, CheckError> {
        match deadline {
            Some(d) => self.send_until(req, body, d).await,
            None => Client::send(self, req, body).await,
        }
    }
}

/// Aborts the connection task when dropped: a connection never outlives its exchange (nor
/// keeps reading a flood after the deadline).
struct AbortOnDrop(tokio::task::JoinHandle<Result<(), hyper::Error>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One HTTP/1.1 exchange on an open connection; the body is read to its end (counted, not
/// kept) when `read_body` and the answer is not a redirect. Also the response's version
/// (`HTTP/1.1`, or `HTTP/1.0` when the server answers so).
async fn exchange_http1<T>(
    io: TokioIo<T>,
    request: Request<Payload>,
    url: &str,
    read_body: bool,
    deadline: Deadline,
) -> Result<(ResponseInfo, BodyEnd, Version), CheckError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::Builder::new()
        .title_case_headers(true)
        .max_headers(MAX_HEADER_LINES)
        .max_header_size(MAX_HEAD_BYTES)
        .handshake(io)
        .await
        .map_err(|e| CheckError::Network(format!("HTTP connection to {url} failed: {e}.")))?;
    let _conn = AbortOnDrop(tokio::spawn(conn));
    let response = sender.send_request(request).await.map_err(|e| {
        if e.is_parse_too_large() {
            CheckError::Network(format!(
                "the response head from {url} is larger than {} KiB or has more than {} header \
                 lines: Chrome fails a head over 256 KiB as a network error \
                 (net::ERR_RESPONSE_HEADERS_TOO_BIG; Firefox's limit is 384 KiB), and corsgate \
                 reads none larger.",
                MAX_HEAD_BYTES / 1024,
                MAX_HEADER_LINES
            ))
        } else {
            CheckError::Network(format!("no valid HTTP response from {url}: {e}."))
        }
    })?;
    Ok(read_response(response, read_body, deadline).await)
}

/// One HTTP/2 exchange on an open TLS connection that chose `h2`: the response's header list
/// is bounded by [`MAX_HEAD_BYTES`] as HTTP/2 counts it (`SETTINGS_MAX_HEADER_LIST_SIZE`);
/// the body as in [`exchange_http1`].
async fn exchange_http2<T>(
    io: TokioIo<T>,
    request: Request<Payload>,
    url: &str,
    read_body: bool,
    deadline: Deadline,
) -> Result<(ResponseInfo, BodyEnd, Version), CheckError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    // The HTTP/2 library drives the connection in tasks of its own: all are aborted with
    // the exchange, as the HTTP/1.1 connection is.
    let tasks = Tasks::default();
    let _tasks = AbortAll(tasks.clone());
    let (mut sender, conn) = hyper::client::conn::http2::Builder::new(tasks)
        .max_header_list_size(MAX_HEADER_LIST_SIZE)
        .handshake(io)
        .await
        .map_err(|e| CheckError::Network(format!("HTTP/2 connection to {url} failed: {e}.")))?;
    let _conn = AbortOnDrop(tokio::spawn(conn));
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| http2_error(&e, url))?;
    Ok(read_response(response, read_body, deadline).await)
}

/// Spawns the HTTP/2 library's tasks on the runtime, keeping a handle to each.
#[derive(Clone, Default)]
struct Tasks(Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>);

impl<F> hyper::rt::Executor<F> for Tasks
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn execute(&self, future: F) {
        let handle = tokio::spawn(future).abort_handle();
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(handle);
    }
}

/// Aborts every task of [`Tasks`] when dropped.
struct AbortAll(Tasks);

impl Drop for AbortAll {
    fn drop(&mut self) {
        let tasks = self
            .0
             .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for task in tasks.iter() {
            task.abort();
        }
    }
}

/// The HTTP/2 header list size corsgate accepts (`SETTINGS_MAX_HEADER_LIST_SIZE`): the same
/// 256 KiB as [`MAX_HEAD_BYTES`], counted as HTTP/2 counts it (every field's name and value
/// plus 32 bytes; so at most 8,192 fields, well under [`MAX_HEADER_LINES`]).
const MAX_HEADER_LIST_SIZE: u32 = MAX_HEAD_BYTES as u32;

/// The message for an HTTP/2 request that got no response: a stream error corsgate raised
/// itself (`PROTOCOL_ERROR`, as for a header list over [`MAX_HEADER_LIST_SIZE`]) is named so.
fn http2_error(e: &hyper::Error, url: &str) -> CheckError {
    let h2 = std::error::Error::source(e).and_then(|s| s.downcast_ref::<h2::Error>());
    match h2 {
        Some(h) if h.is_library() && h.reason() == Some(h2::Reason::PROTOCOL_ERROR) => {
            CheckError::Network(format!(
                "the HTTP/2 response head from {url} is larger than {} KiB (its header list, \
                 counted as HTTP/2 counts it: every field's name and value plus 32 bytes) or \
                 malformed, and corsgate reads none such: Chrome's limit is 256 KiB too ({h}).",
                MAX_HEAD_BYTES / 1024
            ))
        }
        _ => CheckError::Network(format!("no valid HTTP/2 response from {url}: {e}.")),
    }
}

/// The response head, how its body ended (read when `read_body` and the answer is not a
/// redirect) and its version.
async fn read_response(
    mut response: hyper::Response<hyper::body::Incoming>,
    read_body: bool,
    deadline: Deadline,
) -> (ResponseInfo, BodyEnd, Version) {
    let info = ResponseInfo {
        status: response.status(),
        headers: response.headers().clone(),
    };
    let body = if read_body && !(info.is_redirect() && info.location().is_some()) {
        read_to_end(response.body_mut(), &info, deadline).await
    } else {
        BodyEnd::NotRead
    };
    (info, body, response.version())
}

/// A request body: the `--data` bytes, or none — not an empty one, whose exact size of 0
/// would have the HTTP/2 client add `content-length: 0` to every `OPTIONS`, `POST`... without
/// a body, which browsers do not send and the report would not show.
struct Payload(Option<Bytes>);

impl Payload {
    fn new(bytes: Bytes) -> Payload {
        Payload(Some(bytes))
    }

    fn none() -> Payload {
        Payload(None)
    }
}

impl hyper::body::Body for Payload {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(
            self.get_mut()
                .0
                .take()
                .map(|b| Ok(hyper::body::Frame::data(b))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.0.as_ref().is_none_or(|b| b.is_empty())
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match &self.0 {
            Some(b) => hyper::body::SizeHint::with_exact(b.len() as u64),
            None => hyper::body::SizeHint::default(),
        }
    }
}

/// Reads `body` to its end, counting its bytes, until `deadline`.
async fn read_to_end(
    body: &mut hyper::body::Incoming,
    info: &ResponseInfo,
    deadline: Deadline,
) -> BodyEnd {
    let mut received = 0u64;
    loop {
        match tokio::time::timeout_at(deadline.at.into(), body.frame()).await {
            Err(_) => return BodyEnd::Unfinished(received),
            Ok(None) => return BodyEnd::Complete(received),
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    received += data.len() as u64;
                }
            }
            Ok(Some(Err(_))) if deadline.passed() => return BodyEnd::Unfinished(received),
            Ok(Some(Err(_))) => {
                let expected = info
                    .combined("content-length")
                    .and_then(|v| String::from_utf8_lossy(&v).trim().parse::<u64>().ok());
                let chunked = info.combined("transfer-encoding").is_some_and(|v| {
                    String::from_utf8_lossy(&v)
                        .to_ascii_lowercase()
                        .contains("chunked")
                });
                return BodyEnd::Cut {
                    received,
                    expected,
                    chunked,
                };
            }
        }
    }
}

/// A connection that fails once the check's deadline has passed, and yields to the runtime
/// after every [`READ_SLICE`] bytes read: a flooding server cannot keep the deadline from
/// firing.
struct Bounded<T> {
    inner: T,
    deadline: Instant,
    slice_left: usize,
}

impl<T> Bounded<T> {
    fn new(inner: T, deadline: Instant) -> Self {
        Bounded {
            inner,
            deadline,
            slice_left: READ_SLICE,
        }
    }

    fn check(&self) -> io::Result<()> {
        if Instant::now() >= self.deadline {
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the check's deadline (--timeout) passed",
            ))
        } else {
            Ok(())
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Bounded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.check()?;
        if this.slice_left == 0 {
            this.slice_left = READ_SLICE;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        // At most what is left of the slice: the HTTP parser then never has more than a
        // slice of new bytes to work through before the deadline is looked at again.
        let mut chunk = [0u8; READ_SLICE];
        let room = this.slice_left.min(buf.remaining()).min(READ_SLICE);
        let mut limited = ReadBuf::new(&mut chunk[..room]);
        let polled = Pin::new(&mut this.inner).poll_read(cx, &mut limited);
        if let Poll::Ready(Ok(())) = polled {
            let read = limited.filled();
            this.slice_left = this.slice_left.saturating_sub(read.len());
            buf.put_slice(read);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Bounded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.check()?;
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudo(method: Method, url: &str) -> Vec<String> {
        pseudo_headers(&method, &url.parse().unwrap())
            .into_iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect()
    }

    #[test]
    fn http2_pseudo_header_fields_come_from_the_method_and_url() {
        assert_eq!(
            pseudo(Method::OPTIONS, "https://api.example:8443/a/b?c=d"),
            [
                ":method: OPTIONS",
                ":scheme: https",
                ":authority: api.example:8443",
                ":path: /a/b?c=d",
            ]
        );
        assert_eq!(
            pseudo(Method::GET, "https://[::1]/"),
            [
                ":method: GET",
                ":scheme: https",
                ":authority: [::1]",
                ":path: /",
            ]
        );
    }

    #[test]
    fn a_request_without_a_body_has_no_size_to_announce() {
        use hyper::body::Body as _;
        let none = Payload::none();
        assert!(none.is_end_stream());
        assert_eq!(none.size_hint().exact(), None);
        let data = Payload::new(Bytes::from_static(b"abc"));
        assert!(!data.is_end_stream());
        assert_eq!(data.size_hint().exact(), Some(3));
    }
}
