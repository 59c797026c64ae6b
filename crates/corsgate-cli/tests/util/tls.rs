//! Test certificates made with rcgen: a CA of the test's own and a TLS acceptor for a
//! loopback server whose certificate it signed (for `--cacert`, or a browser run with
//! `--ignore-certificate-errors`).

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A certificate for `names` signed by a fresh test CA, as PEM: for servers that read files
/// (nginx).
pub struct Pems {
    /// The leaf certificate, then the CA's.
    pub chain: String,
    /// The leaf's private key (PKCS#8).
    pub key: String,
}

/// A certificate for `names` (DNS names or IP addresses), signed by a fresh test CA.
pub fn pems(names: &[&str]) -> Pems {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().expect("a CA key");
    let ca_cert = ca_params.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("a leaf key");
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let leaf = CertificateParams::new(names)
        .expect("leaf params")
        .signed_by(&leaf_key, &issuer)
        .expect("the leaf certificate");
    Pems {
        chain: format!("{}{}", leaf.pem(), ca_cert.pem()),
        key: leaf_key.serialize_pem(),
    }
}

/// A TLS acceptor presenting a certificate for `names` (DNS names or IP addresses), signed
/// by a fresh test CA, and that CA's PEM. (rustls refuses a client whose SNI is no valid DNS
/// name, such as `a.example.com!.b.example`: serve those with nginx and [`pems`].)
pub fn acceptor(names: &[&str]) -> (TlsAcceptor, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().expect("a CA key");
    let ca_cert = ca_params.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().expect("a leaf key");
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let leaf = CertificateParams::new(names)
        .expect("leaf params")
        .signed_by(&leaf_key, &issuer)
        .expect("the leaf certificate");
    let key_der =
        rustls_pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).expect("the key");
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca_cert.der().clone()], key_der)
            .expect("a TLS server config");
    (TlsAcceptor::from(Arc::new(config)), ca_cert.pem())
}
