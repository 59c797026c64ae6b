//! `corsgate check` over HTTPS: loopback TLS servers with certificates from a test CA made
//! with rcgen, trusted only through `--cacert`; HTTP/2 when a server offers `h2` by ALPN
//! (the scripted server, and `corsgate serve` with TLS), HTTP/1.1 otherwise.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Version;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

use crate::util::gateway::Gateway;
use crate::util::server::{serve_tls, Reply, Seen, Server};
use crate::util::{check_json, corsgate, fresh_dir, serve, PAGE};

/// What a TLS server offers by ALPN.
const H2_AND_H1: &[&[u8]] = &[b"h2", b"http/1.1"];
const H1_ONLY: &[&[u8]] = &[b"http/1.1"];
const NO_ALPN: &[&[u8]] = &[];

/// A test CA and a `localhost` certificate it signed.
struct TestCa {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
    cert_pem: String,
    key_pem: String,
}

impl TestCa {
    fn new() -> TestCa {
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
        TestCa {
            ca_pem: ca_cert.pem(),
            chain: vec![leaf.der().clone(), ca_cert.der().clone()],
            key_der: leaf_key.serialize_der(),
            cert_pem: leaf.pem() + &ca_cert.pem(),
            key_pem: leaf_key.serialize_pem(),
        }
    }

    /// A rustls acceptor for `localhost` offering `alpn` (empty: no ALPN at all).
    fn acceptor(&self, alpn: &[&[u8]]) -> TlsAcceptor {
        let key = PrivateKeyDer::try_from(self.key_der.clone()).expect("key");
        let mut config =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(self.chain.clone(), key)
                .unwrap();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        TlsAcceptor::from(Arc::new(config))
    }

    /// The CA's PEM written to `dir/ca.pem`.
    fn ca_file(&self, dir: &Path) -> PathBuf {
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, &self.ca_pem).unwrap();
        ca
    }
}

/// An HTTPS server for `localhost` offering `alpn`, answering with `script`.
fn tls_server<R: Into<Reply>>(
    ca: &TestCa,
    alpn: &[&[u8]],
    script: impl Fn(&Seen) -> R + Send + Sync + 'static,
) -> Server {
    serve_tls(ca.acceptor(alpn), script)
}

/// The document with what differs between two servers of one script taken out: their ports,
/// the HTTP version, the request header fields (`host` or the pseudo-header fields, checked
/// apart) and the response's `date`.
fn comparable(doc: &Value, port: u16) -> Value {
    let text = doc
        .to_string()
        .replace(&format!("localhost:{port}"), "localhost:PORT");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let strip = |v: &mut Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("http_version");
            if let Some(r) = o.get_mut("request").and_then(Value::as_object_mut) {
                r.remove("headers");
            }
            if let Some(h) = o
                .get_mut("response")
                .and_then(|r| r.get_mut("headers"))
                .and_then(Value::as_array_mut)
            {
                h.retain(|h| h["name"] != "date");
            }
        }
    };
    for e in doc["exchanges"].as_array_mut().unwrap() {
        strip(e);
    }
    strip(&mut doc["preflight"]);
    strip(&mut doc["actual"]);
    doc
}

/// The header fields of a report's request as `name: value` lines.
fn lines(request: &Value) -> Vec<String> {
    request["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}: {}",
                h["name"].as_str().unwrap(),
                h["value"].as_str().unwrap()
            )
        })
        .collect()
}

/// The header fields a server received, as `name: value` lines.
fn seen_lines(seen: &Seen) -> Vec<String> {
    seen.headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v.as_bytes())))
        .collect()
}

/// Allows `PAGE` to `PUT` with `X-Trace`, nothing else: preflights listing `PUT` and
/// `x-trace`, every answer with `Access-Control-Allow-Origin` for `PAGE` only.
fn put_api(seen: &Seen) -> Reply {
    let mut reply = Reply::new(if seen.method == http::Method::OPTIONS {
        204
    } else {
        200
    });
    if seen.origin() == PAGE {
        reply = reply.header("access-control-allow-origin", PAGE);
    }
    if seen.method == http::Method::OPTIONS {
        reply = reply
            .header("access-control-allow-methods", "PUT")
            .header("access-control-allow-headers", "x-trace");
    } else {
        reply = reply.body("ok");
    }
    reply.header("vary", "Origin")
}

#[test]
fn https_with_cacert_is_checked_and_without_it_exits_2() {
    let ca = TestCa::new();
    let server = tls_server(&ca, NO_ALPN, |_| {
        (200, vec![("access-control-allow-origin", PAGE.to_owned())])
    });
    let dir = fresh_dir("check-https");
    let ca_file = ca.ca_file(&dir);
    let url = format!("https://localhost:{}/data", server.port());

    let (code, doc) = check_json(&[
        &url,
        "--origin",
        PAGE,
        "--cacert",
        ca_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verdict"], "allowed");
    assert_eq!(doc["actual"]["request"]["url"], url.as_str());
    assert_eq!(doc["actual"]["response"]["status"], 200);
    // A server without ALPN gets HTTP/1.1, as from a browser.
    assert_eq!(doc["actual"]["http_version"], "HTTP/1.1");
    assert_eq!(server.seen()[0].version, Version::HTTP_11);

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

#[test]
fn a_server_offering_h2_is_checked_over_http2_with_the_verdicts_of_http1() {
    let ca = TestCa::new();
    let h2 = tls_server(&ca, H2_AND_H1, put_api);
    let h1 = tls_server(&ca, H1_ONLY, put_api);
    let dir = fresh_dir("check-h2");
    let ca_file = ca.ca_file(&dir);
    let cacert = ca_file.to_str().unwrap();

    // Allowed after a preflight; blocked at the preflight (DELETE); blocked at the response
    // (another origin, no preflight).
    let cases: [&[&str]; 3] = [
        &[
            "-X",
            "PUT",
            "-H",
            "X-Trace: 1",
            "--data",
            "{}",
            "--origin",
            PAGE,
        ],
        &["-X", "DELETE", "--origin", PAGE],
        &["--origin", "https://other.example"],
    ];
    for case in cases {
        let mut seen_docs = Vec::new();
        for (server, version, json_version) in [
            (&h2, Version::HTTP_2, "HTTP/2"),
            (&h1, Version::HTTP_11, "HTTP/1.1"),
        ] {
            server.clear_seen();
            let url = format!("https://localhost:{}/data", server.port());
            let mut args = vec![url.as_str(), "--cacert", cacert];
            args.extend_from_slice(case);
            let (code, doc) = check_json(&args);
            assert!(code == 0 || code == 1, "{case:?} {json_version}: {doc:#}");
            let exchanges = doc["exchanges"].as_array().unwrap();
            let seen = server.seen();
            assert_eq!(seen.len(), exchanges.len(), "{case:?}: {doc:#}");
            for (e, s) in exchanges.iter().zip(&seen) {
                assert_eq!(e["http_version"], json_version, "{case:?}: {e:#}");
                assert_eq!(s.version, version, "{case:?}");
                let sent = lines(&e["request"]);
                let fields: Vec<String> = match version {
                    Version::HTTP_2 => {
                        // The pseudo-header fields first, as sent; no `host`.
                        let method = e["request"]["method"].as_str().unwrap();
                        assert_eq!(
                            sent[..4],
                            [
                                format!(":method: {method}"),
                                ":scheme: https".to_owned(),
                                format!(":authority: localhost:{}", server.port()),
                                ":path: /data".to_owned(),
                            ],
                            "{e:#}"
                        );
                        assert!(!sent.iter().any(|l| l.starts_with("host:")), "{sent:?}");
                        sent[4..].to_vec()
                    }
                    _ => {
                        assert_eq!(sent[0], format!("host: localhost:{}", server.port()));
                        sent.clone()
                    }
                };
                // What the report shows is exactly what the server received.
                assert_eq!(fields, seen_lines(s), "{case:?} {json_version}");
                assert_eq!(e["request"]["method"], s.method.as_str());
            }
            for leg in ["preflight", "actual"] {
                let expected = if doc[leg]["sent"] == true {
                    Value::from(json_version)
                } else {
                    Value::Null
                };
                assert_eq!(doc[leg]["http_version"], expected, "{leg}: {doc:#}");
            }
            seen_docs.push((code, comparable(&doc, server.port())));
        }
        let (h2_code, h2_doc) = &seen_docs[0];
        let (h1_code, h1_doc) = &seen_docs[1];
        assert_eq!(h2_code, h1_code, "{case:?}");
        assert_eq!(
            h2_doc, h1_doc,
            "{case:?}: HTTP/2 and HTTP/1.1 reports differ"
        );
    }
    // The PUT's body went over HTTP/2 with its content-length, and nothing announced a body
    // the OPTIONS preflight does not have.
    h2.clear_seen();
    let url = format!("https://localhost:{}/data", h2.port());
    let (code, doc) = check_json(&[
        &url,
        "--cacert",
        cacert,
        "-X",
        "PUT",
        "-H",
        "X-Trace: 1",
        "--data",
        "{}",
        "--origin",
        PAGE,
    ]);
    assert_eq!(code, 0, "{doc:#}");
    let seen = h2.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].header("content-length").is_none(), "{seen:?}");
    assert_eq!(seen[1].header("content-length").as_deref(), Some("2"));
    assert_eq!(seen[1].body.as_ref(), b"{}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_human_output_names_the_http_version() {
    let ca = TestCa::new();
    let h2 = tls_server(&ca, H2_AND_H1, put_api);
    let h1 = tls_server(&ca, H1_ONLY, put_api);
    let dir = fresh_dir("check-h2-human");
    let ca_file = ca.ca_file(&dir);
    let cacert = ca_file.to_str().unwrap();

    let url = format!("https://localhost:{}/data", h2.port());
    let (status, out, err) = corsgate(
        &[
            "check", &url, "--origin", PAGE, "-X", "PUT", "--cacert", cacert,
        ],
        &[],
    );
    assert_eq!(status.code(), Some(0), "{out}{err}");
    let preflight = format!(
        "1. Preflight: OPTIONS {url}\n   > :method: OPTIONS\n   > :scheme: https\n   > \
         :authority: localhost:{}\n   > :path: /data\n",
        h2.port()
    );
    assert!(out.contains(&preflight), "{out}");
    assert!(out.contains("   < HTTP/2 204 No Content\n"), "{out}");
    assert!(out.contains("   < HTTP/2 200 OK\n"), "{out}");
    assert!(!out.contains("> host:"), "{out}");

    let url = format!("https://localhost:{}/data", h1.port());
    let (status, out, err) = corsgate(
        &[
            "check", &url, "--origin", PAGE, "-X", "PUT", "--cacert", cacert,
        ],
        &[],
    );
    assert_eq!(status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains(&format!("   > host: localhost:{}\n", h1.port())),
        "{out}"
    );
    assert!(out.contains("   < HTTP/1.1 204 No Content\n"), "{out}");
    assert!(out.contains("   < HTTP/1.1 200 OK\n"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_server_answering_http2_differently_is_judged_by_its_http2_answers() {
    // CORS headers over HTTP/2 only (as a CDN configured for one protocol might).
    let by_version = |seen: &Seen| {
        let mut reply = Reply::new(200).body("ok");
        if seen.version == Version::HTTP_2 {
            reply = reply.header("access-control-allow-origin", PAGE);
        }
        reply
    };
    let ca = TestCa::new();
    let h2 = tls_server(&ca, H2_AND_H1, by_version);
    let h1 = tls_server(&ca, H1_ONLY, by_version);
    let dir = fresh_dir("check-h2-differs");
    let ca_file = ca.ca_file(&dir);
    let cacert = ca_file.to_str().unwrap();

    let url = format!("https://localhost:{}/data", h2.port());
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--cacert", cacert]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verdict"], "allowed");
    assert_eq!(doc["actual"]["http_version"], "HTTP/2");
    assert_eq!(doc["browsers"]["firefox"]["verdict"], "allowed");

    // The same script, spoken to over HTTP/1.1: what a client without HTTP/2 would see.
    let url = format!("https://localhost:{}/data", h1.port());
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--cacert", cacert]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["blocked"]["kind"], "MissingAllowOriginHeader");
    assert_eq!(doc["actual"]["http_version"], "HTTP/1.1");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plain_http_stays_http1_even_to_a_server_that_speaks_h2c() {
    // The scripted server speaks HTTP/2 with prior knowledge on plain TCP; browsers never
    // do, nor does check.
    let server = serve(|_| (200, vec![("access-control-allow-origin", PAGE.to_owned())]));
    let (code, doc) = check_json(&[&server.url("/data"), "--origin", PAGE]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["actual"]["http_version"], "HTTP/1.1");
    assert_eq!(doc["exchanges"][0]["http_version"], "HTTP/1.1");
    assert_eq!(doc["actual"]["request"]["headers"][0]["name"], "host");
    assert_eq!(server.seen()[0].version, Version::HTTP_11);
}

#[test]
fn offline_checks_have_no_http_version() {
    let dir = fresh_dir("check-h2-offline");
    let policy = dir.join("cors.toml");
    std::fs::write(&policy, format!("allow_origins = [\"{PAGE}\"]\n")).unwrap();
    let (code, doc) = check_json(&[
        "https://localhost/data",
        "--origin",
        PAGE,
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["exchanges"][0]["http_version"], Value::Null);
    assert_eq!(doc["actual"]["http_version"], Value::Null);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_http2_header_list_over_256_kib_is_not_read() {
    // 1 KiB values: the header list as HTTP/2 counts it (name + value + 32 per field).
    let padded = |fields: usize| {
        move |_: &Seen| {
            let mut reply = Reply::new(200).header("access-control-allow-origin", PAGE);
            for i in 0..fields {
                reply = reply.header(format!("x-pad-{i}"), "a".repeat(1024));
            }
            reply
        }
    };
    let ca = TestCa::new();
    let dir = fresh_dir("check-h2-big");
    let ca_file = ca.ca_file(&dir);
    let cacert = ca_file.to_str().unwrap();

    let under = tls_server(&ca, H2_AND_H1, padded(200));
    let url = format!("https://localhost:{}/data", under.port());
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--cacert", cacert]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["actual"]["http_version"], "HTTP/2");

    let over = tls_server(&ca, H2_AND_H1, padded(300));
    let url = format!("https://localhost:{}/data", over.port());
    let (status, out, err) = corsgate(&["check", &url, "--origin", PAGE, "--cacert", cacert], &[]);
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("HTTP/2 response head"), "{err}");
    assert!(err.contains("larger than 256 KiB"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_http2_server_that_never_answers_meets_the_deadline() {
    // Agrees on h2, takes the connection, and says nothing (not even its SETTINGS).
    let ca = TestCa::new();
    let acceptor = ca.acceptor(H2_AND_H1);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let mut held = Vec::new();
            let serve = async {
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        continue;
                    };
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        held.push(tls);
                    }
                }
            };
            tokio::select! {
                _ = serve => {}
                _ = stopped => {}
            }
        });
    });
    let dir = fresh_dir("check-h2-silent");
    let ca_file = ca.ca_file(&dir);
    let url = format!("https://localhost:{port}/data");
    let started = Instant::now();
    let (status, out, err) = corsgate(
        &[
            "check",
            &url,
            "--origin",
            PAGE,
            "--timeout",
            "1",
            "--cacert",
            ca_file.to_str().unwrap(),
        ],
        &[],
    );
    let took = started.elapsed();
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(err.contains("within 1 s (--timeout 1)"), "{err}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    let _ = stop.send(());
    let _ = thread.join();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_gateways_https_listener_is_checked_over_http2() {
    let ca = TestCa::new();
    let dir = fresh_dir("check-h2-gateway");
    let ca_file = ca.ca_file(&dir);
    std::fs::write(dir.join("cert.pem"), &ca.cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), &ca.key_pem).unwrap();
    let upstream = serve(|_| Reply::new(200).body("from the upstream"));
    let config = dir.join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"127.0.0.1:0\"\ntls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\n\n\
             [cors]\nallow_origins = [\"{PAGE}\"]\nallow_methods = [\"PUT\"]\n\
             allow_headers = [\"x-trace\"]\ndebug = true\n\n\
             [[route]]\npath_prefix = \"/\"\nupstream = \"{}\"\n",
            upstream.origin(0)
        ),
    )
    .unwrap();
    let gateway = Gateway::start(&["--config", config.to_str().unwrap()]);
    let url = format!("https://localhost:{}/data", gateway.port());
    let cacert = ca_file.to_str().unwrap();

    let (code, doc) = check_json(&[
        &url,
        "--origin",
        PAGE,
        "-X",
        "PUT",
        "-H",
        "X-Trace: 1",
        "--cacert",
        cacert,
    ]);
    assert_eq!(code, 0, "{doc:#}\n{}", gateway.log());
    let exchanges = doc["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), 2, "{doc:#}");
    for e in exchanges {
        assert_eq!(e["http_version"], "HTTP/2", "{e:#}");
    }
    assert_eq!(doc["preflight"]["response"]["status"], 204);
    assert_eq!(doc["actual"]["response"]["status"], 200);
    // The gateway spoke HTTP/1.1 to its upstream, as it does.
    assert_eq!(upstream.seen().len(), 1);

    // Refused over HTTP/2 as over anything: a method the policy does not list.
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "-X", "DELETE", "--cacert", cacert]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["blocked"]["stage"], "preflight");
    assert_eq!(doc["preflight"]["http_version"], "HTTP/2");
    assert_eq!(doc["actual"]["http_version"], Value::Null);
    assert_eq!(upstream.seen().len(), 1);
    drop(gateway);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_lists_what_it_sent_over_http2_as_check_does() {
    let ca = TestCa::new();
    let server = tls_server(&ca, H2_AND_H1, put_api);
    let dir = fresh_dir("audit-h2");
    let ca_file = ca.ca_file(&dir);
    let url = format!("https://localhost:{}/data", server.port());
    let (code, doc) = crate::util::audit_json(&[
        &url,
        "--origin",
        "https://app.example",
        "--rate",
        "100/s",
        "--cacert",
        ca_file.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{doc:#}");
    let probes = doc["probes"].as_array().unwrap();
    let seen = server.seen();
    assert_eq!(probes.len(), seen.len(), "{doc:#}");
    for (p, s) in probes.iter().zip(&seen) {
        assert_eq!(s.version, Version::HTTP_2);
        let sent = lines(&p["request"]);
        assert_eq!(sent[0], format!(":method: {}", s.method), "{sent:?}");
        assert_eq!(sent[2], format!(":authority: localhost:{}", server.port()));
        assert_eq!(sent[4..], seen_lines(s)[..], "{sent:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
