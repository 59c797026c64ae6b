//! The flags of `corsgate demo` ([`DemoArgs`]) and the API policy they describe.

use clap::Parser;
use corsgate::Config;

/// The API's port unless `--api-port` says otherwise (the tutorial's `localhost:3000`).
pub const DEFAULT_API_PORT: u16 = 3000;
/// The page's port unless `--page-port` says otherwise (VS Code Live Server's `5500`).
pub const DEFAULT_PAGE_PORT: u16 = 5500;

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
