//! `corsgate check` over HTTPS: a loopback TLS server with a certificate from a test CA made
//! with rcgen, trusted only through `--cacert`.

mod check_common;

use std::sync::Arc;
use std::time::Duration;

use check_common::{check_json, corsgate, PAGE};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

struct TlsServer {
    port: u16,
    ca_pem: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// An HTTPS server for `localhost` answering every request with 200 and
/// `Access-Control-Allow-Origin: <PAGE>`.
fn tls_server() -> TlsServer {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let key_der = rustls_pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).expect("key");
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca_cert.der().clone()], key_der)
            .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));

    let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            port_tx.send(listener.local_addr().unwrap().port()).unwrap();
            loop {
                tokio::select! {
                    _ = &mut stop_rx => break,
                    accepted = listener.accept() => {
                        let Ok((tcp, _)) = accepted else { continue };
                        let acceptor = acceptor.clone();
                        tokio::spawn(async move {
                            let Ok(Ok(tls)) = tokio::time::timeout(
                                Duration::from_secs(5),
                                acceptor.accept(tcp),
                            ).await else { return };
                            let service = hyper::service::service_fn(|_req| async {
                                let mut resp = http::Response::new(http_body_util::Empty::<bytes::Bytes>::new());
                                resp.headers_mut().insert(
                                    "access-control-allow-origin",
                                    http::HeaderValue::from_static(PAGE),
                                );
                                Ok::<_, std::convert::Infallible>(resp)
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                                .await;
                        });
                    }
                }
            }
        });
        rt.shutdown_timeout(Duration::from_secs(2));
    });
    let port = port_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    TlsServer {
        port,
        ca_pem: ca_cert.pem(),
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

#[test]
fn https_with_cacert_is_checked_and_without_it_exits_2() {
    let server = tls_server();
    let dir = std::env::temp_dir().join(format!("corsgate-check-https-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let url = format!("https://localhost:{}/data", server.port);

    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--cacert", ca.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verdict"], "allowed");
    assert_eq!(doc["actual"]["request"]["url"], url.as_str());
    assert_eq!(doc["actual"]["response"]["status"], 200);

    let (status, _, err) = corsgate(&["check", &url, "--origin", PAGE], &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("TLS handshake with localhost"), "{err}");
    assert!(err.contains("--cacert"), "{err}");

    let bad = dir.join("empty.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let (status, _, err) = corsgate(
        &[
            "check",
            &url,
            "--origin",
            PAGE,
            "--cacert",
            bad.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("no certificate in it"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
