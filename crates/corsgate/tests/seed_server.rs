//! `examples/seed_server.rs`, the tutorials' server, run as a process: it answers the page on
//! 127.0.0.1 and ::1, and it closes connections that never finish their request head.
//!
//! Cargo builds the example with `cargo test --all-targets` (what scripts/test.sh runs); the
//! test finds it beside this binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The example binary, built by the same `cargo test --all-targets`.
fn example() -> Option<PathBuf> {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = tmp.parent()?.join("debug/examples/seed_server");
    path.exists().then_some(path)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the example on a free port and returns it with that port.
fn start() -> Option<(Server, u16)> {
    let Some(path) = example() else {
        assert!(
            std::env::var("CI").is_err(),
            "examples/seed_server was not built: run the tests with `cargo test --all-targets` \
             (scripts/test.sh does)"
        );
        eprintln!(
            "*** SKIPPED: examples/seed_server not built (cargo test --all-targets builds it)"
        );
        return None;
    };
    let mut child = Command::new(path)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("seed_server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("seed_server says where it listens");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Some((server, port))
}

fn get_data(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        b"GET /data HTTP/1.1\r\nHost: localhost\r\nOrigin: http://127.0.0.1:5500\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn answers_on_both_loopbacks_and_drops_half_sent_requests() {
    let Some((_server, port)) = start() else {
        return;
    };
    let v4 = get_data(SocketAddr::from(([127, 0, 0, 1], port)));
    assert!(v4.starts_with("HTTP/1.1 200"), "{v4}");
    assert!(
        v4.contains("access-control-allow-origin: http://127.0.0.1:5500"),
        "{v4}"
    );
    // `localhost` may resolve to ::1 first: the server listens there too (when the machine
    // has IPv6 loopback at all).
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        let v6 = get_data(SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port)));
        assert!(v6.starts_with("HTTP/1.1 200"), "{v6}");
    }

    // A client that sends half a request head and then nothing: closed after the 10 s
    // header-read timeout, not held forever.
    let mut slow = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).expect("connects");
    slow.write_all(b"GET /data HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(25)))
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    let read = slow.read(&mut buf);
    let waited = started.elapsed();
    assert!(
        matches!(read, Ok(0))
            || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "the server should close the connection, got {read:?} after {waited:?}"
    );
    assert!(
        waited >= Duration::from_secs(8) && waited < Duration::from_secs(20),
        "closed after {waited:?}; the header-read timeout is 10 s"
    );
}
