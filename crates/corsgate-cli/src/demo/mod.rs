//! `corsgate demo`: the CORS tutorial's API and page servers in one process, run together.

mod api;
mod error;
mod flags;
mod handle;
mod holder;
mod instructions;
mod live;
mod net;
mod page;
mod printable;
mod why;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};

pub use error::DemoError;
pub use flags::{DemoArgs, DEFAULT_API_PORT, DEFAULT_PAGE_PORT};
pub use handle::Demo;
pub use live::LivePolicy;
pub use net::{Limits, BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, MAX_CONNECTIONS};

use net::{bind, bind_api, local_addr, spawn_server};

/// Starts both servers on the current tokio runtime (tests use it with port 0; [`main`] is
/// the command):
///
/// - the **API** on `http://localhost:<api-port>`: `GET /data` and `PUT /data` answer the
///   tutorial's JSON, behind a corsgate layer whose policy can be swapped live. It listens on
///   `127.0.0.1` and `[::1]`, because browsers resolve `localhost` to either;
/// - the **page** on `http://127.0.0.1:<page-port>`: the Fetch Data page with a policy panel;
///   its `/api/policy` endpoint reads and replaces the API's policy, and its `/api/check`
///   endpoint says why the browser blocked one of the page's requests.
///
/// Builds the policy before binding anything when the flags name its origins, so a bad flag
/// is reported as such; without `--allow-origin` the policy allows the page, whose origin is
/// known once its port is bound. Slow and numerous clients are bounded by
/// [`Limits::default`].
pub async fn start(args: &DemoArgs) -> Result<Demo, DemoError> {
    start_with(args, Limits::default()).await
}

/// [`start`] with other [`Limits`] (tests shorten the timeouts).
pub async fn start_with(args: &DemoArgs, limits: Limits) -> Result<Demo, DemoError> {
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

    let replays = Arc::new(why::Replays::default());
    let api_app = api::router(
        live.clone(),
        replays.clone(),
        page_origin.clone(),
        !args.quiet,
    );
    for listener in api_listeners {
        servers.push(spawn_server(
            "API",
            listener,
            api_app.clone(),
            limits,
            stop_rx.clone(),
            stopped_tx.clone(),
        ));
    }
    let page_app = page::router(live.clone(), api_origin, page_addr.port(), limits, replays);
    servers.push(spawn_server(
        "page",
        page_listener,
        page_app,
        limits,
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
        logging: !args.quiet,
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
    // Listen for Ctrl-C before saying it stops the demo: a Ctrl-C right after the
    // instructions must stop it cleanly, not kill the process.
    let interrupted = interrupted();
    print!("{}", demo.instructions());
    tokio::select! {
        signal = interrupted => {
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

/// Resolves at the first Ctrl-C (SIGINT), listening from the moment it is called.
#[cfg(unix)]
fn interrupted() -> impl std::future::Future<Output = std::io::Result<()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let listener = signal(SignalKind::interrupt());
    async move {
        listener?.recv().await;
        Ok(())
    }
}

/// Resolves at the first Ctrl-C.
#[cfg(not(unix))]
fn interrupted() -> impl std::future::Future<Output = std::io::Result<()>> {
    tokio::signal::ctrl_c()
}
