//! `corsgate`: the command-line shell over the corsgate library.
//!
//! Thin on purpose: argument parsing and exit codes live here, everything else in the
//! `corsgate_cli` library so tests can drive it in-process.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// CORS done right: the tutorial demo (and, later, the gateway and the doctor).
#[derive(Debug, Parser)]
#[command(name = "corsgate", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the CORS tutorial live: an API on http://localhost:3000 and a page on
    /// http://127.0.0.1:5500 with a Fetch Data button and a live policy editor.
    Demo(corsgate_cli::demo::DemoArgs),
    // Room for: Serve (the gateway), Check and Audit (the doctor), Validate (policy files).
}

fn main() -> ExitCode {
    // clap prints its own usage errors and exits with status 2.
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => corsgate_cli::demo::main(args),
    }
}
