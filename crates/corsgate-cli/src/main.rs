//! `corsgate`: argument parsing and exit codes; the rest is the `corsgate_cli` library.

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
    /// What a browser does with one cross-origin request, why, and the fix: sends the
    /// preflight and the request as the browser would (or checks a policy file offline with
    /// --policy). Exit status: 0 allowed, 1 blocked, 2 could not check.
    Check(corsgate_cli::check::CheckArgs),
    /// Check a corsgate policy file, listing every problem with its line. Exit status: 0
    /// valid, 2 invalid.
    Validate(corsgate_cli::validate::ValidateArgs),
    // Room for: Serve (the gateway), Audit (the doctor).
}

fn main() -> ExitCode {
    // clap prints its own usage errors and exits with status 2.
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => corsgate_cli::demo::main(args),
        Command::Check(args) => corsgate_cli::check::main(args),
        Command::Validate(args) => corsgate_cli::validate::main(args),
    }
}
