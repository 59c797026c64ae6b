//! `corsgate demo`: the CORS tutorial's system, end to end, on the corsgate library.
//!
//! Two servers in one process:
//!
//! - the **API** (`api.rs`) on `http://localhost:3000`: `GET /data` and `PUT /data` answer the
//!   tutorial's JSON, behind a corsgate layer whose policy can be swapped live. It listens on
//!   `127.0.0.1` and `[::1]`, because browsers resolve `localhost` to either;
//! - the **page** (`page.rs`) on `http://127.0.0.1:5500`: the Fetch Data page with a policy
//!   panel; its `/api/policy` endpoint reads and replaces the API's policy, and its
//!   `/api/check` endpoint says why the browser blocked one of the page's requests (it runs
//!   `corsgate check` against the API).
//!
//! Run [`start`] to get a [`Demo`] handle (tests use it with port 0), or [`main`] for the
//! command.

mod api;
mod page;

use std::fmt::{self, Write as _};
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use corsgate::{Config, ConfigErrors, Cors};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// The API's port unless `--api-port` says otherwise (the tutorial's `localhost:3000`).
pub const DEFAULT_API_PORT: u16 = 3000;
/// The page's port unless `--page-port` says otherwise (VS Code Live Server's `5500`).
pub const DEFAULT_PAGE_PORT: u16 = 5500;

/// How long [`Demo::shutdown`] waits for open connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// How many ports to try when the OS picks one (port 0) and `[::1]` already holds it.
const EPHEMERAL_BIND_ATTEMPTS: usize = 8;

/// The flags of `corsgate demo`.
///
/// Without policy flags the API runs the tutorial's finished state: the page's origin
/// (`http://127.0.0.1:5500`), GET and POST. With `--no-cors` it starts at the tutorial's
/// beginning, without a CORS layer; the policy flags then preset the policy that the page's
/// "CORS on" switch turns on.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Port of the API, served as http://localhost:PORT (on 127.0.0.1 and ::1); 0 picks a
    /// free port.
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_API_PORT)]
    pub api_port: u16,

    /// Port of the page, served as http://127.0.0.1:PORT; 0 picks a free port.
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_PAGE_PORT)]
    pub page_port: u16,

    /// An origin allowed to read the API's responses, exactly as browsers send it
    /// (repeatable) [default: http://127.0.0.1:PAGE_PORT].
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// A method allowed in preflights (repeatable, or comma-separated) [default: GET,POST].
    #[arg(long = "allow-method", value_name = "METHOD", value_delimiter = ',')]
    pub allow_methods: Vec<String>,

    /// A request header allowed in preflights (repeatable, or comma-separated).
    #[arg(long = "allow-header", value_name = "HEADER", value_delimiter = ',')]
    pub allow_headers: Vec<String>,

    /// A response header the page's script may read (repeatable, or comma-separated).
    #[arg(long = "expose-header", value_name = "HEADER", value_delimiter = ',')]
    pub expose_headers: Vec<String>,

    /// Allow credentialed requests (Access-Control-Allow-Credentials: true).
    #[arg(long)]
    pub credentials: bool,

    /// Access-Control-Max-Age in seconds (-1 sends 0: do not cache preflights).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub max_age: Option<i64>,

    /// Start without CORS, the tutorial's starting point: the browser blocks every response.
    #[arg(long)]
    pub no_cors: bool,

    /// Do not print one line per API request.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parses `corsgate demo`'s flags alone (used by tests and by [`DemoArgs::from_flags`]).
#[derive(Debug, Parser)]
#[command(name = "corsgate demo", no_binary_name = true)]
struct FlagsOnly {
    #[command(flatten)]
    args: DemoArgs,
}

impl DemoArgs {
    /// Parses the flags that follow `corsgate demo` (without the command words).
    ///
    /// ```
    /// let args = corsgate_cli::demo::DemoArgs::from_flags(["--api-port", "0", "--no-cors"]).unwrap();
    /// assert!(args.no_cors);
    /// ```
    pub fn from_flags<I, S>(flags: I) -> Result<DemoArgs, clap::Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString> + Clone,
    {
        FlagsOnly::try_parse_from(flags).map(|f| f.args)
    }

    /// The API's policy from the flags. `page_origin` fills in the default origin; without
    /// it and without `--allow-origin`, the policy has no origin.
    pub fn config(&self, page_origin: Option<&str>) -> Config {
        let origins = if self.allow_origins.is_empty() {
            page_origin.map(str::to_owned).into_iter().collect()
        } else {
            self.allow_origins.clone()
        };
        let methods = if self.allow_methods.is_empty() {
            vec!["GET".to_owned(), "POST".to_owned()]
        } else {
            self.allow_methods.clone()
        };
        let mut config = Config::new()
            .allow_origins(origins)
            .allow_methods(methods)
            .allow_headers(self.allow_headers.clone())
            .expose_headers(self.expose_headers.clone())
            .allow_credentials(self.credentials)
            .debug(true);
        config.max_age = self.max_age;
        config
    }
}

/// The API's policy as the demo runs it: a corsgate [`Cors`] handle plus the "CORS on"
/// switch (off = no CORS layer at all, the tutorial's starting point).
#[derive(Debug)]
pub struct LivePolicy {
    cors: Cors,
    enabled: AtomicBool,
}

impl LivePolicy {
    fn new(cors: Cors, enabled: bool) -> Self {
        LivePolicy {
            cors,
            enabled: AtomicBool::new(enabled),
        }
    }

    /// The policy handle the API's CORS layer reads on every request.
    pub fn cors(&self) -> &Cors {
        &self.cors
    }

    /// Whether the API runs its CORS layer.
    pub fn cors_enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    /// The policy in force now.
    pub fn config(&self) -> Config {
        self.cors.config()
    }

    /// Validates `config` and swaps it in atomically, then sets the switch. The demo always
    /// runs in debug mode (a teaching tool), whatever `config.debug` says. On error nothing
    /// changes.
    pub fn set(&self, enabled: bool, mut config: Config) -> Result<(), ConfigErrors> {
        config.debug = true;
        self.cors.replace(config)?;
        self.enabled.store(enabled, Ordering::SeqCst);
        Ok(())
    }
}

/// Why the demo could not start. Every variant is a usage problem (exit status 2).
#[derive(Debug)]
pub enum DemoError {
    /// The policy flags do not make a valid policy (the library's explanation).
    Policy(ConfigErrors),
    /// `--api-port` and `--page-port` are the same port.
    SamePort(u16),
    /// A port is taken.
    PortInUse {
        /// "API" or "page".
        server: &'static str,
        /// The address that could not be bound.
        addr: SocketAddr,
        /// The flag that chooses this port.
        flag: &'static str,
    },
    /// Another bind failure (permission denied for a low port, ...).
    Bind {
        /// "API" or "page".
        server: &'static str,
        /// The address that could not be bound.
        addr: SocketAddr,
        /// The flag that chooses this port.
        flag: &'static str,
        /// What the OS said.
        source: io::Error,
    },
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::Policy(errors) => write!(
                f,
                "{errors}\nThe demo API's policy comes from --allow-origin, --allow-method, \
                 --allow-header, --expose-header, --credentials and --max-age."
            ),
            DemoError::SamePort(port) => write!(
                f,
                "--api-port and --page-port are both {port}: the API and the page need two \
                 different ports."
            ),
            DemoError::PortInUse { server, addr, flag } => write!(
                f,
                "cannot start the demo {server} on {addr}: port {port} is already in use \
                 (by another program, or another `corsgate demo`). Stop it, or choose another \
                 port with {flag} <PORT>.",
                port = addr.port()
            ),
            DemoError::Bind {
                server,
                addr,
                flag,
                source,
            } => write!(
                f,
                "cannot start the demo {server} on {addr}: {source}. Choose another port with \
                 {flag} <PORT>."
            ),
        }
    }
}

impl std::error::Error for DemoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DemoError::Policy(errors) => Some(errors),
            DemoError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A running demo: both servers, until [`Demo::shutdown`] (or drop, which stops them
/// abruptly).
#[derive(Debug)]
pub struct Demo {
    api_addrs: Vec<SocketAddr>,
    page_addr: SocketAddr,
    live: Arc<LivePolicy>,
    stop: watch::Sender<bool>,
    stopped: mpsc::UnboundedReceiver<(&'static str, io::Result<()>)>,
    servers: Vec<JoinHandle<()>>,
}

impl Demo {
    /// The API's port.
    pub fn api_port(&self) -> u16 {
        self.api_addrs[0].port()
    }

    /// Every address the API listens on (`127.0.0.1`, and `[::1]` where IPv6 exists).
    pub fn api_addrs(&self) -> &[SocketAddr] {
        &self.api_addrs
    }

    /// The page's port.
    pub fn page_port(&self) -> u16 {
        self.page_addr.port()
    }

    /// The page server's address (`127.0.0.1`).
    pub fn page_addr(&self) -> SocketAddr {
        self.page_addr
    }

    /// The API's origin as the page uses it: `http://localhost:<port>`.
    pub fn api_origin(&self) -> String {
        format!("http://localhost:{}", self.api_port())
    }

    /// The page's origin: `http://127.0.0.1:<port>`.
    pub fn page_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.page_port())
    }

    /// The URL to open: `http://127.0.0.1:<port>/`.
    pub fn page_url(&self) -> String {
        format!("{}/", self.page_origin())
    }

    /// The API's live policy (the same one the page's policy panel edits).
    pub fn policy(&self) -> &LivePolicy {
        &self.live
    }

    /// Resolves when a server stops on its own, which only happens on an error.
    pub async fn stopped(&mut self) -> (&'static str, io::Result<()>) {
        match self.stopped.recv().await {
            Some(stopped) => stopped,
            // Unreachable while `self` holds the servers' senders' tasks; be total anyway.
            None => ("demo", Ok(())),
        }
    }

    /// Stops both servers: no new connections, open ones get a few seconds to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for server in self.servers {
            let abort = server.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, server).await.is_err() {
                abort.abort();
            }
        }
    }

    /// What the command prints after starting: where to go and what to try.
    pub fn instructions(&self) -> String {
        let config = self.live.config();
        let page = self.page_url();
        let api = self.api_origin();
        let v6 = if self.api_addrs.len() > 1 {
            format!(" and [::1]:{}", self.api_port())
        } else {
            String::new()
        };
        let mut out = String::new();
        let _ = writeln!(out, "corsgate demo: the CORS tutorial, live\n");
        let _ = writeln!(out, "  Open the page  {page}");
        let _ = writeln!(
            out,
            "  The API        {api}/data  (listening on 127.0.0.1:{}{v6})\n",
            self.api_port()
        );
        if self.live.cors_enabled() {
            let _ = writeln!(out, "API policy (debug = true: a teaching tool):");
        } else {
            let _ = writeln!(
                out,
                "API policy: CORS is OFF (--no-cors), the tutorial's starting point. \
                 Turn it on in the page's policy panel; it will use:"
            );
        }
        let _ = writeln!(out, "  allow_origins     = {:?}", config.allow_origins);
        let _ = writeln!(out, "  allow_methods     = {:?}", config.allow_methods);
        if !config.allow_headers.is_empty() {
            let _ = writeln!(out, "  allow_headers     = {:?}", config.allow_headers);
        }
        if !config.expose_headers.is_empty() {
            let _ = writeln!(out, "  expose_headers    = {:?}", config.expose_headers);
        }
        let _ = writeln!(out, "  allow_credentials = {}", config.allow_credentials);
        if let Some(max_age) = config.max_age {
            let _ = writeln!(out, "  max_age           = {max_age}");
        }
        let _ = writeln!(out, "\nTry, with the browser's console open (F12):");
        let steps = [
            "Click Fetch Data: the JSON appears on the page.".to_owned(),
            "Click PUT: the browser sends a preflight first and blocks the PUT, because PUT is \
             not in allow_methods. Add PUT in the policy panel, Apply, click PUT again."
                .to_owned(),
            "Click \"Fetch with a custom header\": blocked until X-Demo is in allow_headers."
                .to_owned(),
            format!(
                "Put http://localhost:{} in allow_origins instead: blocked, localhost and \
                 127.0.0.1 are different origins.",
                self.page_port()
            ),
            "Untick \"CORS on\" for the tutorial's starting point: every request is blocked."
                .to_owned(),
        ];
        for (i, step) in steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {step}", i + 1);
        }
        let _ = writeln!(out, "\nCtrl-C stops both servers.");
        out
    }
}

/// Starts both servers on the current tokio runtime.
///
/// Builds the policy before binding anything when the flags name its origins, so a bad flag
/// is reported as such; without `--allow-origin` the policy allows the page, whose origin is
/// known once its port is bound.
pub async fn start(args: &DemoArgs) -> Result<Demo, DemoError> {
    if args.api_port == args.page_port && args.api_port != 0 {
        return Err(DemoError::SamePort(args.api_port));
    }
    let given = if args.allow_origins.is_empty() {
        None
    } else {
        Some(args.config(None).build().map_err(DemoError::Policy)?)
    };

    let page_listener = bind(
        "page",
        SocketAddr::from((Ipv4Addr::LOCALHOST, args.page_port)),
        "--page-port",
    )
    .await?;
    let page_addr = local_addr(&page_listener, "page", "--page-port")?;
    let page_origin = format!("http://127.0.0.1:{}", page_addr.port());
    let cors = match given {
        Some(cors) => cors,
        None => args
            .config(Some(&page_origin))
            .build()
            .map_err(DemoError::Policy)?,
    };

    let api_listeners = bind_api(args.api_port).await?;
    let mut api_addrs = Vec::with_capacity(api_listeners.len());
    for listener in &api_listeners {
        api_addrs.push(local_addr(listener, "API", "--api-port")?);
    }
    let api_origin = format!("http://localhost:{}", api_addrs[0].port());

    let live = Arc::new(LivePolicy::new(cors, !args.no_cors));
    let (stop, stop_rx) = watch::channel(false);
    let (stopped_tx, stopped) = mpsc::unbounded_channel();
    let mut servers = Vec::new();

    let api_app = api::router(live.clone(), page_origin.clone(), !args.quiet);
    for listener in api_listeners {
        servers.push(spawn_server(
            "API",
            listener,
            api_app.clone(),
            stop_rx.clone(),
            stopped_tx.clone(),
        ));
    }
    let page_app = page::router(live.clone(), api_origin, page_addr.port());
    servers.push(spawn_server(
        "page",
        page_listener,
        page_app,
        stop_rx,
        stopped_tx,
    ));

    Ok(Demo {
        api_addrs,
        page_addr,
        live,
        stop,
        stopped,
        servers,
    })
}

/// `corsgate demo`: starts, prints the instructions, runs until Ctrl-C.
///
/// Exit status 2 when the demo cannot start (bad policy, port in use), 1 when a server
/// fails while running, 0 after Ctrl-C.
pub fn main(args: DemoArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("corsgate demo: cannot start the async runtime: {e}");
            return ExitCode::from(crate::EXIT_FAILURE);
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: DemoArgs) -> ExitCode {
    let mut demo = match start(&args).await {
        Ok(demo) => demo,
        Err(e) => {
            eprintln!("corsgate demo: {e}");
            return ExitCode::from(crate::EXIT_USAGE);
        }
    };
    print!("{}", demo.instructions());
    tokio::select! {
        signal = tokio::signal::ctrl_c() => {
            if let Err(e) = signal {
                eprintln!("corsgate demo: cannot listen for Ctrl-C ({e}); stopping");
            }
            println!("\nStopping the demo.");
            demo.shutdown().await;
            ExitCode::SUCCESS
        }
        (server, result) = demo.stopped() => {
            match result {
                Err(e) => eprintln!("corsgate demo: the {server} server failed: {e}"),
                Ok(()) => eprintln!("corsgate demo: the {server} server stopped"),
            }
            demo.shutdown().await;
            ExitCode::from(crate::EXIT_FAILURE)
        }
    }
}

async fn bind(
    server: &'static str,
    addr: SocketAddr,
    flag: &'static str,
) -> Result<TcpListener, DemoError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| bind_error(server, addr, flag, source))
}

fn bind_error(
    server: &'static str,
    addr: SocketAddr,
    flag: &'static str,
    source: io::Error,
) -> DemoError {
    if source.kind() == io::ErrorKind::AddrInUse {
        DemoError::PortInUse { server, addr, flag }
    } else {
        DemoError::Bind {
            server,
            addr,
            flag,
            source,
        }
    }
}

fn local_addr(
    listener: &TcpListener,
    server: &'static str,
    flag: &'static str,
) -> Result<SocketAddr, DemoError> {
    listener.local_addr().map_err(|source| DemoError::Bind {
        server,
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        flag,
        source,
    })
}

/// Binds the API on `127.0.0.1:port` and, where the machine has IPv6, `[::1]:port`: browsers
/// resolve `localhost` to either, so both must be this server. A taken `[::1]` port is an
/// error (another server would answer `localhost`); a missing IPv6 stack is not.
async fn bind_api(port: u16) -> Result<Vec<TcpListener>, DemoError> {
    const FLAG: &str = "--api-port";
    let attempts = if port == 0 {
        EPHEMERAL_BIND_ATTEMPTS
    } else {
        1
    };
    let mut last_v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    for _ in 0..attempts {
        let v4 = bind("API", SocketAddr::from((Ipv4Addr::LOCALHOST, port)), FLAG).await?;
        let actual = local_addr(&v4, "API", FLAG)?.port();
        let v6_addr = SocketAddr::from((Ipv6Addr::LOCALHOST, actual));
        match TcpListener::bind(v6_addr).await {
            Ok(v6) => return Ok(vec![v4, v6]),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_v6 = v6_addr,
            Err(e) if ipv6_missing(&e) => return Ok(vec![v4]),
            Err(source) => return Err(bind_error("API", v6_addr, FLAG, source)),
        }
    }
    Err(DemoError::PortInUse {
        server: "API",
        addr: last_v6,
        flag: FLAG,
    })
}

/// The errors a machine without IPv6 loopback gives for binding `[::1]`.
fn ipv6_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::AddrNotAvailable | io::ErrorKind::Unsupported
    ) || matches!(e.raw_os_error(), Some(97)) // EAFNOSUPPORT on Linux
}

fn spawn_server(
    name: &'static str,
    listener: TcpListener,
    app: axum::Router,
    mut stop: watch::Receiver<bool>,
    stopped: mpsc::UnboundedSender<(&'static str, io::Result<()>)>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stop| *stop).await;
            })
            .await;
        let _ = stopped.send((name, result));
    })
}
