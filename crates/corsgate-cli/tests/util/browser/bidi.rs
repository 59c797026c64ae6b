//! Firefox's console, read over WebDriver BiDi from the browser's remote agent.

use super::*;

// --- Firefox's console over WebDriver BiDi --------------------------------------------------

/// Firefox's console, read over WebDriver BiDi straight from the browser's remote agent
/// (`--remote-debugging-port`, no geckodriver): a session subscribed to `log.entryAdded`
/// navigates the first tab to the page, and every entry is kept. Firefox prints its CORS
/// errors as `javascript` entries at level `error`, with the text exactly as the web console
/// shows it (`devtools.console.stdout.content` does not print them: they are network-category
/// messages). Dropping it stops the reader.
pub struct FirefoxConsole {
    entries: Arc<Mutex<Vec<ConsoleMessage>>>,
    task: tokio::task::JoinHandle<()>,
}

/// How long the remote agent may take to listen and the session to start.
const BIDI_START: Duration = Duration::from_secs(30);

impl FirefoxConsole {
    /// Connects to the remote agent on `port`, subscribes to the console and navigates to
    /// `url`. Panics (with `context`, e.g. the browser's output) when that fails in time.
    pub fn open(port: u16, url: &str, context: impl Fn() -> String) -> FirefoxConsole {
        let entries = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
        let (sink, url) = (entries.clone(), url.to_owned());
        let task = runtime().spawn(async move {
            if let Err(e) = bidi_run(port, &url, sink, &ready_tx).await {
                let _ = ready_tx.send(Err(e));
            }
        });
        match ready_rx.recv_timeout(BIDI_START) {
            Ok(Ok(())) => FirefoxConsole { entries, task },
            Ok(Err(e)) => panic!("Firefox's BiDi console: {e}\n{}", context()),
            Err(_) => panic!(
                "Firefox's BiDi console did not start within {BIDI_START:?}\n{}",
                context()
            ),
        }
    }

    /// Every entry so far: `level` (`error`, ...), `source` (the BiDi entry type:
    /// `javascript`, `console`), `url` empty, `text` exactly.
    pub fn entries(&self) -> Vec<ConsoleMessage> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FirefoxConsole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn bidi_run(
    port: u16,
    url: &str,
    sink: Arc<Mutex<Vec<ConsoleMessage>>>,
    ready: &std::sync::mpsc::Sender<Result<(), String>>,
) -> Result<(), String> {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let deadline = Instant::now() + BIDI_START;
    let stream = loop {
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Ok(s) => break s,
            Err(e) if Instant::now() > deadline => {
                return Err(format!("no remote agent on port {port}: {e}"))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    let (mut ws, _) =
        tokio_tungstenite::client_async(format!("ws://127.0.0.1:{port}/session"), stream)
            .await
            .map_err(|e| format!("websocket handshake: {e}"))?;
    // Sends a command and waits for its answer, keeping any event that arrives meanwhile.
    let mut next_id = 0u64;
    let keep = |v: &Value| {
        if v["method"] == "log.entryAdded" {
            let p = &v["params"];
            let field = |n: &str| p[n].as_str().unwrap_or_default().to_owned();
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(ConsoleMessage {
                    level: field("level"),
                    source: field("type"),
                    url: String::new(),
                    text: field("text"),
                });
        }
    };
    let mut commands = vec![
        ("session.new", json!({ "capabilities": {} })),
        ("session.subscribe", json!({ "events": ["log.entryAdded"] })),
        ("browsingContext.getTree", json!({})),
    ];
    let mut context = String::new();
    while !commands.is_empty() {
        let (method, params) = commands.remove(0);
        next_id += 1;
        let command = json!({ "id": next_id, "method": method, "params": params });
        ws.send(Message::text(command.to_string()))
            .await
            .map_err(|e| format!("{method}: {e}"))?;
        loop {
            let Some(frame) = ws.next().await else {
                return Err(format!("{method}: the connection closed"));
            };
            let Ok(Message::Text(text)) = frame else {
                continue;
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            if v["id"] == next_id {
                if v["type"] != "success" {
                    return Err(format!("{method}: {v}"));
                }
                if method == "browsingContext.getTree" {
                    context = v["result"]["contexts"][0]["context"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                }
                break;
            }
            keep(&v);
        }
    }
    next_id += 1;
    let navigate = json!({
        "id": next_id,
        "method": "browsingContext.navigate",
        "params": { "context": context, "url": url, "wait": "none" },
    });
    ws.send(Message::text(navigate.to_string()))
        .await
        .map_err(|e| format!("browsingContext.navigate: {e}"))?;
    let _ = ready.send(Ok(()));
    while let Some(Ok(frame)) = ws.next().await {
        if let Message::Text(text) = frame {
            keep(&serde_json::from_str(text.as_str()).unwrap_or(Value::Null));
        }
    }
    Ok(())
}
