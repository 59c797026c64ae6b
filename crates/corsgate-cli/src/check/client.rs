//! The network transport: HTTP(S) I/O only, each request sent exactly as the flow gives it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use corsgate_browser::{OutgoingRequest, ResponseInfo};
use http::{HeaderMap, HeaderValue, Request, Uri};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::engines::{Sent, Transport};
use super::CheckError;

/// The most header lines read in a response head before giving up (hyper's own size limit
/// applies as well).
const MAX_HEADERS: usize = 200;

/// Sends requests one by one: one connection per request (HTTP/1.1, TLS with rustls when
/// `https:`), no redirect following, no cookies, no headers of its own except `Host` (and
/// `Content-Length` for a body). Every step runs under one timeout.
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

    /// Sends `req` (with `body` when the request carries one) and returns the response head.
    pub async fn send(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
    ) -> Result<Sent, CheckError> {
        let secs = self.timeout.as_secs();
        match tokio::time::timeout(self.timeout, self.send_inner(req, body)).await {
            Ok(result) => result,
            Err(_) => Err(CheckError::Network(format!(
                "no response to {} {} within {secs} s (--timeout {secs}).",
                req.method, req.url
            ))),
        }
    }

    async fn send_inner(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
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
            exchange(TokioIo::new(tls), request, &req.url).await?
        } else {
            exchange(TokioIo::new(stream), request, &req.url).await?
        };
        Ok(Sent { headers, response })
    }
}

impl Transport for Client {
    async fn send(&self, req: &OutgoingRequest, body: Option<&Bytes>) -> Result<Sent, CheckError> {
        Client::send(self, req, body).await
    }
}

/// One HTTP/1.1 exchange on an open connection; the body is not read.
async fn exchange<T>(
    io: TokioIo<T>,
    request: Request<Full<Bytes>>,
    url: &str,
) -> Result<ResponseInfo, CheckError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::Builder::new()
        .title_case_headers(true)
        .max_headers(MAX_HEADERS)
        .handshake(io)
        .await
        .map_err(|e| CheckError::Network(format!("HTTP connection to {url} failed: {e}.")))?;
    let task = tokio::spawn(conn);
    let result = sender.send_request(request).await;
    // The body is not needed: dropping the connection ends the exchange.
    task.abort();
    let response = result
        .map_err(|e| CheckError::Network(format!("no valid HTTP response from {url}: {e}.")))?;
    Ok(ResponseInfo {
        status: response.status(),
        headers: response.headers().clone(),
    })
}
