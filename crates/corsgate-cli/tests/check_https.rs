//! `corsgate check` over HTTPS: a loopback TLS server with a certificate from a test CA made
//! with rcgen, trusted only through `--cacert`.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

use crate::util::server::{serve_tls, Server};
use crate::util::{check_json, corsgate, fresh_dir, PAGE};

/// An HTTPS server for `localhost` answering every request with 200 and
/// `Access-Control-Allow-Origin: <PAGE>`, and the PEM of the test CA that signed its
/// certificate.
fn tls_server() -> (Server, String) {
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
    let server = serve_tls(TlsAcceptor::from(Arc::new(config)), |_| {
        (200, vec![("access-control-allow-origin", PAGE.to_owned())])
    });
    (server, ca_cert.pem())
}

#[test]
fn https_with_cacert_is_checked_and_without_it_exits_2() {
    let (server, ca_pem) = tls_server();
    let dir = fresh_dir("check-https");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &ca_pem).unwrap();
    let url = format!("https://localhost:{}/data", server.port());

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
