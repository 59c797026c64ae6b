//! `corsgate`: argument parsing and exit codes; the rest is the `corsgate_cli` library.

use std::process::ExitCode;

use clap::Parser;
use corsgate_cli::cli::{Cli, Command};

fn main() -> ExitCode {
    // clap prints its own usage errors and exits with status 2.
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => corsgate_cli::demo::main(args),
        Command::Check(args) => corsgate_cli::check::main(args),
        Command::Audit(args) => corsgate_cli::audit::main(args),
        Command::Validate(args) => corsgate_cli::validate::main(args),
        Command::Serve(args) => corsgate_cli::serve::main(args),
        Command::Export(args) => corsgate_cli::export::main(args),
    }
}
