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
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
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

/// Sends requests one by one: one connection per request (HTTP/1.1, TLS with rustls when
/// `https:`), no redirect following, no cookies, no headers of its own except `Host` (and
/// `Content-Length` for a body). Everything — connecting, TLS, the answer, reading the body —
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
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
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

        let mut headers = HeaderMap::new();
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or(host);
        // The URL is canonical: a default port is already left out of it.
        let host_value = HeaderValue::from_str(authority)
            .map_err(|_| CheckError::Usage(format!("cannot request {}: bad host.", req.url)))?;
        headers.insert(http::header::HOST, host_value);
        for (name, value) in &req.headers {
            headers.append(name.clone(), value.clone());
        }
        let body = match body {
            Some(b) if req.has_body => {
                headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(b.len()));
                b.clone()
            }
            _ => Bytes::new(),
        };
        let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let mut request = Request::builder()
            .method(req.method.clone())
            .uri(path)
            .body(Full::new(body))
            .map_err(|e| CheckError::Usage(format!("cannot build the request: {e}.")))?;
        *request.headers_mut() = headers.clone();
        hyper::ext::on_informational(&mut request, move |_| {
            informational.fetch_add(1, Ordering::Relaxed);
        });
        // The page reads the body of the answer it gets, not of a preflight or a redirect.
        let read_body = req.purpose == Purpose::Actual && req.method != Method::HEAD;

        let response = if https {
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
            exchange(TokioIo::new(tls), request, &req.url, read_body, deadline).await?
        } else {
            exchange(TokioIo::new(stream), request, &req.url, read_body, deadline).await?
        };
        let (response, body) = response;
        Ok(Sent {
            headers,
            response,
            body,
        })
    }
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
/// kept) when `read_body` and the answer is not a redirect.
async fn exchange<T>(
    io: TokioIo<T>,
    request: Request<Full<Bytes>>,
    url: &str,
    read_body: bool,
    deadline: Deadline,
) -> Result<(ResponseInfo, BodyEnd), CheckError>
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
    let mut response = sender.send_request(request).await.map_err(|e| {
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
    let info = ResponseInfo {
        status: response.status(),
        headers: response.headers().clone(),
    };
    let body = if read_body && !(info.is_redirect() && info.location().is_some()) {
        read_to_end(response.body_mut(), &info, deadline).await
    } else {
        BodyEnd::NotRead
    };
    Ok((info, body))
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
