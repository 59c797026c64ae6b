//! The command line as clap knows it: the subcommands and what `corsgate --help` says.

use clap::{Parser, Subcommand};

/// The `corsgate` command line.
//
// `about` is the package description ("The corsgate command: demo, check, audit, validate"): it
// names the subcommands this binary has, and nothing planned (a test compares it with the
// subcommands below).
#[derive(Debug, Parser)]
#[command(name = "corsgate", version, about)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the CORS tutorial live: an API on http://localhost:3000 and a page on
    /// http://127.0.0.1:5500 with a Fetch Data button and a live policy editor.
    Demo(crate::demo::DemoArgs),
    /// What a browser does with one cross-origin request, why, and the fix: sends the
    /// preflight and the request as the browser would (or checks a policy file offline with
    /// --policy). Exit status: 0 allowed, 1 blocked, 2 could not check.
    Check(crate::check::CheckArgs),
    /// Probe a URL for dangerous CORS configurations (forged origins, null, prefix/suffix
    /// matches, missing Vary, ...): each finding with its severity, why it matters and the
    /// fix, or a policy file offline with --policy. Exit status: 1 a finding reaches
    /// --fail-on (default high), 0 none does, 2 could not run.
    Audit(crate::audit::AuditArgs),
    /// Check a corsgate policy file or gateway file, listing every problem with its line.
    /// Exit status: 0 valid, 2 invalid.
    Validate(crate::validate::ValidateArgs),
    /// Run a CORS gateway: a reverse proxy that answers CORS for one or more upstreams, from
    /// a config file (--config) or flags (--upstream URL --allow-origin ORIGIN). Reloads on
    /// SIGHUP, stops gracefully on SIGTERM/SIGINT.
    Serve(crate::serve::ServeArgs),
    /// Compile a corsgate policy into nginx, Caddy, HAProxy or Apache configuration: a
    /// snippet, or with --upstream and --listen a whole config; with --check, compare a
    /// running server with corsgate's own layer. Exit status: 0 done (or equivalent), 1
    /// differences, 2 bad input or a feature the target cannot express.
    Export(crate::export::ExportArgs),
}
