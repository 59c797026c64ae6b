//! A raw loopback HTTP server: each connection handed to a closure over the plain socket, for
//! answers no HTTP library writes (endless `100 Continue`, a body cut short, slow hops).
//!
//! Every connection runs on a thread of its own, bounded by [`CONNECTION_LIMIT`]; dropping
//! the [`RawServer`] stops accepting.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one connection may live.
pub const CONNECTION_LIMIT: Duration = Duration::from_secs(30);

/// A running raw server; stops accepting when dropped.
pub struct RawServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RawServer {
    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One request as received: its request line and header lines (the body is not read).
pub struct RawRequest {
    /// `GET /path HTTP/1.1`.
    pub line: String,
    /// The stream, to answer on.
    pub stream: TcpStream,
    /// When the connection must end.
    pub deadline: Instant,
}

impl RawRequest {
    /// The path of the request line.
    pub fn path(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("/")
    }

    /// Writes `bytes`; `false` once the client is gone or the deadline has passed.
    pub fn send(&mut self, bytes: &[u8]) -> bool {
        Instant::now() < self.deadline && self.stream.write_all(bytes).is_ok()
    }
}

/// A loopback listener handing every request (its head read) to `answer`; the connection
/// closes when `answer` returns.
pub fn serve_raw(answer: impl Fn(RawRequest) + Send + Sync + 'static) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("a bound listener");
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let answer = Arc::new(answer);
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let deadline = Instant::now() + CONNECTION_LIMIT;
                let _ = stream.set_read_timeout(Some(CONNECTION_LIMIT));
                let _ = stream.set_write_timeout(Some(CONNECTION_LIMIT));
                if let Some(line) = read_head(&stream) {
                    answer(RawRequest {
                        line,
                        stream,
                        deadline,
                    });
                }
            });
        }
    });
    RawServer {
        addr,
        stop,
        thread: Some(thread),
    }
}

/// Reads a request head (at most 64 KiB); its first line.
fn read_head(mut stream: &TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    text.lines().next().map(str::to_owned)
}
