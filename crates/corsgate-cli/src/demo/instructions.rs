//! What `corsgate demo` prints after starting: where to go and what to try.

use std::fmt::Write as _;

use super::api::REPLAY_LABEL;
use super::Demo;

impl Demo {
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
        if self.logging {
            let _ = writeln!(
                out,
                "\nBelow: one line per request the API gets. After a blocked request, the page \
                 server sends it again with corsgate check to show why on the page; those lines \
                 end in {REPLAY_LABEL}."
            );
        }
        let _ = writeln!(out, "\nCtrl-C stops both servers.");
        out
    }
}
