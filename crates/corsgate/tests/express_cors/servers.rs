//! The two servers compared: the tutorials' Express app under Node, the axum app under corsgate.

use super::*;

// --- the Node side --------------------------------------------------------------------------

pub(super) fn express_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/express")
}

pub(super) fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether Node and the pinned packages are there; the reason and the fix when not.
pub(super) fn node_ready() -> Result<(), String> {
    let dir = express_dir();
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Err(format!("`node --version` failed: {}", out.status)),
        Err(e) => {
            return Err(format!(
                "`node` is not on PATH ({e}); install Node.js and npm \
                 (Debian: apt-get install -y nodejs npm), then run scripts/test.sh"
            ))
        }
    }
    let fix = format!("run `npm ci --no-audit --no-fund` in {}", dir.display());
    if !dir.join("node_modules/express/package.json").is_file() {
        return Err(format!("express is not installed: {fix}"));
    }
    let cors_manifest = dir.join("node_modules/cors/package.json");
    let manifest = std::fs::read_to_string(&cors_manifest)
        .map_err(|e| format!("cors is not installed ({e}): {fix}"))?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest)
        .map_err(|e| format!("{} is not JSON ({e}): {fix}", cors_manifest.display()))?;
    if manifest["version"] != CORS_VERSION {
        return Err(format!(
            "cors {} is installed, the lock file pins {CORS_VERSION}: {fix}",
            manifest["version"]
        ));
    }
    Ok(())
}

/// `true` when the test can run. Under CI a missing piece fails the test; otherwise it says
/// so loudly (straight to stderr, past the harness's capture) and the test returns.
pub(super) fn node_or_skip(test: &str) -> bool {
    match node_ready() {
        Ok(()) => true,
        Err(why) if under_ci() => {
            panic!("CI is set, so missing Node/npm packages fail {test}: {why}")
        }
        Err(why) => {
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {test}: {why} ***\n");
            false
        }
    }
}

/// The Express server with `app.use(cors(options))`; killed when dropped.
pub(super) struct NodeServer {
    pub(super) child: Child,
    pub(super) port: u16,
}

impl NodeServer {
    /// Starts `node server.js <options>` and waits (bounded) for its port.
    /// `None` is `cors()` with no argument.
    pub(super) fn start(options: Option<&serde_json::Value>) -> NodeServer {
        let mut command = Command::new("node");
        command.arg("server.js");
        if let Some(options) = options {
            command.arg(options.to_string());
        }
        let mut child = command
            .current_dir(express_dir())
            // The server exits when its stdin closes: no orphan if this process dies.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn node server.js");
        // Drain stderr all along (Express logs each 500 there; a full pipe would stall the
        // server), keeping the start of it for the failure message.
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr_drain = std::thread::spawn(move || {
            let (mut kept, mut chunk) = (Vec::new(), [0u8; 4096]);
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                if kept.len() < 64 * 1024 {
                    kept.extend_from_slice(&chunk[..n]);
                }
            }
            String::from_utf8_lossy(&kept).into_owned()
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        let started = Instant::now();
        let line = rx.recv_timeout(START_DEADLINE);
        let port = match &line {
            Ok(Ok(line)) => line
                .trim()
                .strip_prefix("port ")
                .and_then(|p| p.parse::<u16>().ok()),
            _ => None,
        };
        match port {
            Some(port) => NodeServer { child, port },
            None => {
                let _ = child.kill();
                let _ = child.wait();
                // The pipe is closed now that the process is gone.
                let stderr = stderr_drain.join().unwrap_or_default();
                panic!(
                    "node server.js did not print its port within {START_DEADLINE:?} \
                     (after {:?}: {line:?}); options {options:?}; stderr:\n{stderr}",
                    started.elapsed()
                );
            }
        }
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- the corsgate side ----------------------------------------------------------------------

pub(super) async fn data() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "name": "Bangladesh", "description": "Land of emotions" }))
}

/// The same routes as server.js, under the corsgate layer, on 127.0.0.1:0. The server task is
/// aborted when the returned guard is dropped.
pub(super) async fn start_corsgate(config: Config) -> (u16, AbortOnDrop) {
    let cors = config.build().expect("the corsgate policy is valid");
    let app = Router::new()
        .route(
            "/data",
            routing::get(data)
                .put(data)
                .options(|| async { (StatusCode::OK, "options route").into_response() }),
        )
        .layer(cors.layer());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (port, AbortOnDrop(task))
}

pub(super) struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
