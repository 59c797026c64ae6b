//! `corsgate validate FILE.toml`: check a policy file, listing every problem at once.

use std::path::PathBuf;
use std::process::ExitCode;

use corsgate_config::policy;
use corsgate_config::text::{printable, printable_lines};

/// The flags of `corsgate validate`.
#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// The policy file (TOML, the corsgate schema).
    #[arg(value_name = "FILE.toml")]
    pub file: PathBuf,
}

/// Exit 0 when valid (printing a one-line summary, and any warning on stderr), 2 with every
/// problem on stderr.
pub fn main(args: ValidateArgs) -> ExitCode {
    match policy::load_checked(&args.file) {
        Ok(checked) => {
            for w in &checked.warnings {
                eprintln!("{}", printable(&w.located(&args.file, "warning: ")));
            }
            let config = checked.cors.config();
            println!(
                "{}: valid CORS policy ({} origin{}{}).",
                printable(&args.file.display().to_string()),
                config.allow_origins.len(),
                if config.allow_origins.len() == 1 {
                    ""
                } else {
                    "s"
                },
                if config.allow_credentials {
                    ", credentials allowed"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            // A policy file's keys and values are echoed: nothing of them reaches the
            // terminal raw.
            eprintln!("{}", printable_lines(&e.to_string()));
            ExitCode::from(crate::EXIT_USAGE)
        }
    }
}
