//! `corsgate serve`: the gateway, from a config file or from quick-start flags (one route `/` to one upstream).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use corsgate_config::gateway::{self, GatewayConfig};
use corsgate_config::text::{printable, printable_lines};
use corsgate_gateway::{LogFormat, ServeOptions};

/// The flags of `corsgate serve`.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["config", "upstream"])))]
pub struct ServeArgs {
    /// The gateway file (TOML: its server, cors and route tables are in docs/gateway.md). Reloaded on
    /// SIGHUP and when it changes.
    #[arg(long, value_name = "FILE.toml", conflicts_with_all = ["upstream", "allow_origins", "allow_methods", "allow_headers", "expose_headers", "credentials", "max_age", "listen", "admin_listen", "upstream_cors", "report_only"])]
    pub config: Option<PathBuf>,
    /// Quick start: the upstream every request goes to (http:// or https://).
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,
    /// An origin allowed to call the API (repeatable; patterns like https://*.example.com).
    #[arg(long = "allow-origin", value_name = "ORIGIN", requires = "upstream")]
    pub allow_origins: Vec<String>,
    /// A method allowed besides GET, HEAD and POST (repeatable or comma-separated).
    #[arg(
        long = "allow-method",
        value_name = "METHOD",
        value_delimiter = ',',
        requires = "upstream"
    )]
    pub allow_methods: Vec<String>,
    /// A request header allowed besides the CORS-safelisted ones (repeatable or comma-separated).
    #[arg(
        long = "allow-header",
        value_name = "HEADER",
        value_delimiter = ',',
        requires = "upstream"
    )]
    pub allow_headers: Vec<String>,
    /// A response header the page may read (repeatable or comma-separated).
    #[arg(
        long = "expose-header",
        value_name = "HEADER",
        value_delimiter = ',',
        requires = "upstream"
    )]
    pub expose_headers: Vec<String>,
    /// Allow credentials (cookies, HTTP authentication).
    #[arg(long)]
    pub credentials: bool,
    /// How long browsers may cache a preflight, in seconds.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub max_age: Option<i64>,
    /// Where the gateway listens (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Where /metrics, /healthz and /policy are served (default: nowhere).
    #[arg(long, value_name = "ADDR")]
    pub admin_listen: Option<String>,
    /// strip (default): the gateway's policy answers and the upstream's CORS headers are
    /// removed; keep: the upstream owns CORS.
    #[arg(long, value_name = "strip|keep")]
    pub upstream_cors: Option<String>,
    /// Leave the upstream's CORS answers in force and log (and count) every request the
    /// policy would answer differently.
    #[arg(long)]
    pub report_only: bool,
    /// Threads serving requests (default: one per CPU). With 1 the gateway runs on one
    /// thread, without work stealing.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Log lines as text (default) or JSON.
    #[arg(long, value_name = "text|json", default_value = "text")]
    pub log_format: String,
    /// The least severe log lines shown: error, warn, info (one line per request; default)
    /// or debug. RUST_LOG, when set, wins.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    pub log_level: String,
    /// How often the config file is looked at for changes, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000, hide = true)]
    pub watch_interval_ms: u64,
}

/// Exit 0 after a graceful shutdown, 1 when connections were cut at the grace period or the
/// server failed, 2 for a bad config or flags.
pub fn main(args: ServeArgs) -> ExitCode {
    let format = match args.log_format.as_str() {
        "text" => LogFormat::Text,
        "json" => LogFormat::Json,
        other => {
            return usage(&format!(
                "--log-format {}: write text or json",
                printable(other)
            ))
        }
    };
    let level = match args.log_level.to_ascii_lowercase().as_str() {
        "error" => tracing::Level::ERROR,
        "warn" => tracing::Level::WARN,
        "info" => tracing::Level::INFO,
        "debug" => tracing::Level::DEBUG,
        "trace" => tracing::Level::TRACE,
        other => {
            return usage(&format!(
                "--log-level {}: write error, warn, info, debug or trace",
                printable(other)
            ))
        }
    };
    let config = match &args.config {
        Some(path) => match gateway::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}", printable_lines(&e.to_string()));
                return ExitCode::from(crate::EXIT_USAGE);
            }
        },
        None => match quick_start(&args) {
            Ok(c) => c,
            Err(problems) => {
                eprintln!(
                    "corsgate serve: {} problem{} with the flags:",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
                for p in problems {
                    eprintln!("  {}", printable(&p));
                }
                return ExitCode::from(crate::EXIT_USAGE);
            }
        },
    };
    corsgate_gateway::init_logging(format, level);
    let options = ServeOptions {
        config_path: args.config.clone(),
        watch_interval: Duration::from_millis(args.watch_interval_ms),
    };
    let runtime = match args.workers {
        Some(0) => return usage("--workers 0: write 1 or more (default: one per CPU)"),
        Some(1) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        Some(n) => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n.min(1024))
            .enable_all()
            .build(),
        None => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    };
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("corsgate serve: cannot start the runtime: {e}");
            return ExitCode::from(crate::EXIT_FAILURE);
        }
    };
    match runtime.block_on(corsgate_gateway::serve(config, options)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(crate::EXIT_FAILURE),
        Err(e) => {
            eprintln!("corsgate serve: {}", printable(&e.to_string()));
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("corsgate serve: {message}");
    ExitCode::from(crate::EXIT_USAGE)
}

/// The quick start's flags as a gateway file (checked by the same rules as a file), or every
/// problem, named by its flag.
pub fn quick_start(args: &ServeArgs) -> Result<GatewayConfig, Vec<String>> {
    use toml::{Table, Value};
    let strings = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    let mut server = Table::new();
    if let Some(l) = &args.listen {
        server.insert("listen".into(), Value::String(l.clone()));
    }
    if let Some(a) = &args.admin_listen {
        server.insert("admin_listen".into(), Value::String(a.clone()));
    }
    let mut cors = Table::new();
    cors.insert("allow_origins".into(), strings(&args.allow_origins));
    if !args.allow_methods.is_empty() {
        cors.insert("allow_methods".into(), strings(&args.allow_methods));
    }
    if !args.allow_headers.is_empty() {
        cors.insert("allow_headers".into(), strings(&args.allow_headers));
    }
    if !args.expose_headers.is_empty() {
        cors.insert("expose_headers".into(), strings(&args.expose_headers));
    }
    if args.credentials {
        cors.insert("allow_credentials".into(), Value::Boolean(true));
    }
    if let Some(m) = args.max_age {
        cors.insert("max_age".into(), Value::Integer(m));
    }
    let mut route = Table::new();
    route.insert("path_prefix".into(), Value::String("/".into()));
    route.insert(
        "upstream".into(),
        Value::String(args.upstream.clone().unwrap_or_default()),
    );
    if let Some(u) = &args.upstream_cors {
        route.insert("upstream_cors".into(), Value::String(u.clone()));
    }
    if args.report_only {
        route.insert("report_only".into(), Value::Boolean(true));
    }
    let mut file = Table::new();
    file.insert("server".into(), Value::Table(server));
    // No --allow-origin: no policy (right for --upstream-cors keep; otherwise the check
    // says the route needs one).
    if !args.allow_origins.is_empty() || cors.len() > 1 {
        file.insert("cors".into(), Value::Table(cors));
    }
    file.insert("route".into(), Value::Array(vec![Value::Table(route)]));
    let src = toml::to_string(&file).map_err(|e| vec![e.to_string()])?;
    let config = gateway::check(&src).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| match p.key.as_deref().map(flag_of) {
                Some(flag) => format!("{flag}: {}", p.message),
                None => p.message,
            })
            .collect::<Vec<_>>()
    })?;
    // The gateway must not proxy to itself.
    if let (Some(up), Some(listen)) = (config.routes.first(), config.server.listen.first()) {
        if let Some(auth) = up.upstream.authority() {
            let port = auth
                .port_u16()
                .unwrap_or(if up.upstream.scheme_str() == Some("https") {
                    443
                } else {
                    80
                });
            if let Ok(ip) = auth
                .host()
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
            {
                if SocketAddr::new(ip, port) == *listen {
                    return Err(vec![format!(
                        "--upstream {} is where the gateway itself would listen: pass --listen with another address (e.g. --listen 127.0.0.1:3001)",
                        up.upstream
                    )]);
                }
            }
        }
    }
    Ok(config)
}

/// The flag a gateway file's key comes from in the quick start.
fn flag_of(key: &str) -> String {
    let base = key.split('[').next().unwrap_or(key);
    let flag = match base {
        "server.listen" => "--listen",
        "server.admin_listen" => "--admin-listen",
        "cors.allow_origins" | "route.cors.allow_origins" => "--allow-origin",
        "cors.allow_methods" => "--allow-method",
        "cors.allow_headers" => "--allow-header",
        "cors.expose_headers" => "--expose-header",
        "cors.allow_credentials" => "--credentials",
        "cors.max_age" => "--max-age",
        _ if key.ends_with(".upstream") || key == "upstream" => "--upstream",
        _ if key.ends_with("upstream_cors") => "--upstream-cors",
        _ if key.ends_with("report_only") => "--report-only",
        _ => return key.to_owned(),
    };
    match key.rsplit_once('[') {
        Some((_, idx)) if base.starts_with("cors.") => format!(
            "{flag} #{}",
            idx.trim_end_matches(']')
                .parse::<usize>()
                .map_or(0, |i| i + 1)
        ),
        _ => flag.to_owned(),
    }
}
