//! `corsgate validate FILE.toml`: check a policy file or a gateway file, listing every problem at once.

use std::path::PathBuf;
use std::process::ExitCode;

use corsgate_config::text::{printable, printable_lines};
use corsgate_config::{gateway, policy, AnyChecked};

/// The flags of `corsgate validate`.
#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// The policy file (TOML, the corsgate schema) or gateway file (`[server]`, `[cors]`
    /// and `[[route]]` tables); a file with a `[server]` or `[[route]]` table is checked as
    /// a gateway file.
    #[arg(value_name = "FILE.toml")]
    pub file: PathBuf,
}

/// Exit 0 when valid (printing a one-line summary, and any warning on stderr), 2 with every
/// problem on stderr.
pub fn main(args: ValidateArgs) -> ExitCode {
    let file = printable(&args.file.display().to_string()).into_owned();
    match corsgate_config::load_any(&args.file) {
        Ok(checked) => {
            let warnings = match &checked {
                AnyChecked::Policy(p) => &p.warnings,
                AnyChecked::Gateway(g) => &g.warnings,
            };
            for w in warnings {
                eprintln!("{}", printable(&w.located(&args.file, "warning: ")));
            }
            match checked {
                AnyChecked::Policy(p) => println!("{file}: {}", policy_summary(&p)),
                AnyChecked::Gateway(g) => println!("{file}: {}", gateway_summary(&g.config)),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // A file's keys and values are echoed: nothing of them reaches the terminal raw.
            eprintln!("{}", printable_lines(&e.to_string()));
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}

/// `valid CORS policy (2 origins, credentials allowed).`
fn policy_summary(checked: &policy::Checked) -> String {
    let config = checked.cors.config();
    let n = config.allow_origins.len();
    format!(
        "valid CORS policy ({n} origin{}{}).",
        if n == 1 { "" } else { "s" },
        if config.allow_credentials {
            ", credentials allowed"
        } else {
            ""
        }
    )
}

/// `valid gateway file (2 routes, listening on 127.0.0.1:8080).`, with `HTTPS` and the
/// admin address when set.
fn gateway_summary(config: &gateway::GatewayConfig) -> String {
    let n = config.routes.len();
    let listen: Vec<String> = config
        .server
        .listen
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut out = format!(
        "valid gateway file ({n} route{}, listening on {}",
        if n == 1 { "" } else { "s" },
        listen.join(" and ")
    );
    if config.server.tls.is_some() {
        out.push_str(" with HTTPS");
    }
    if let Some(admin) = config.server.admin_listen {
        out.push_str(&format!(", admin on {admin}"));
    }
    out.push_str(").");
    out
}
