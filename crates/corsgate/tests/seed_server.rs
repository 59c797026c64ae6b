//! `examples/seed_server.rs`, the tutorials' server, run as a process: it answers the page on
//! 127.0.0.1 and ::1, and it closes connections that never finish their request head.
//!
//! The test builds the example itself (`cargo build --example`, into a target directory of
//! its own beside this one, which has a lock of its own), since `cargo test --all-targets`
//! builds examples only as test harnesses.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The example binary, built with the cargo that runs this test.
fn example() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| manifest_dir.join("target"), Path::to_path_buf)
        .join("examples-build");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let output = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--frozen",
            "--example",
            "seed_server",
            "--manifest-path",
        ])
        .arg(manifest_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", PathBuf::from(&cargo).display()));
    assert!(
        output.status.success(),
        "`cargo build --example seed_server` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    target_dir.join("debug/examples/seed_server")
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the example on a free port and returns it with that port.
fn start() -> (Server, u16) {
    let path = example();
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
    (server, port)
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
    let (_server, port) = start();
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
