//! One run of the scenarios: the runner page, the browser launched at it, the hops and lines seen.

use super::*;

/// One request as it reached the server: (listener, method, path, Origin,
/// Access-Control-Request-Method, Access-Control-Request-Headers, X-Test).
pub(super) type Hop = (
    usize,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(super) fn hop(r: &Seen) -> Hop {
    (
        r.listener,
        r.method.to_string(),
        r.path().to_owned(),
        r.origin(),
        r.header("access-control-request-method"),
        r.header("access-control-request-headers"),
        r.header("x-test"),
    )
}

pub(super) fn expected_hop(
    listener: usize,
    method: &str,
    path: &str,
    origin: &str,
    acrm: Option<&str>,
    acrh: Option<&str>,
    x_test: Option<&str>,
) -> Hop {
    (
        listener,
        method.to_owned(),
        path.to_owned(),
        origin.to_owned(),
        acrm.map(str::to_owned),
        acrh.map(str::to_owned),
        x_test.map(str::to_owned),
    )
}

/// What one run of the page observed.
pub(super) struct Run {
    pub(super) page: String,
    pub(super) api: String,
    pub(super) other: String,
    /// The page's report per scenario: `ok <status> <body>` or `<error name>: <message>`.
    pub(super) results: Vec<(String, String)>,
    /// Console lines per scenario (markers removed).
    pub(super) console: Vec<(String, Vec<ConsoleLine>)>,
    /// Requests per scenario (to the API and the other origin).
    pub(super) hops: Vec<(String, Vec<Hop>)>,
    /// WebKit's run: `corsgate check`'s `browsers.webkit` per scenario: (verdict, `message`
    /// then `followups`).
    pub(super) check: Vec<(String, (String, Vec<String>))>,
}

impl Run {
    pub(super) fn result(&self, name: &str) -> &str {
        self.results
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
            .unwrap_or("(no result)")
    }
    pub(super) fn console(&self, name: &str) -> Vec<ConsoleLine> {
        self.console
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }
    pub(super) fn check(&self, name: &str) -> (String, Vec<String>) {
        self.check
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }
    pub(super) fn hops(&self, name: &str) -> Vec<Hop> {
        self.hops
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }
}

/// The runner page: each scenario in turn, a console marker before each, then the results
/// posted to `/result`.
pub(super) fn page_html(api: &str) -> String {
    let runs: String = SCENARIOS
        .iter()
        .map(|(name, init)| {
            format!(
                "  console.log('{BEGIN}{name}');\n  \
                 out.push(['{name}', await one('{api}/{name}', {init})]);\n"
            )
        })
        .collect();
    format!(
        "<!doctype html><meta charset=utf-8><title>corsgate webkit</title><script>\n\
         async function one(url, init) {{\n  \
           try {{ const r = await fetch(url, init); const t = await r.text();\n    \
             return 'ok ' + r.status + ' ' + t; }}\n  \
           catch (e) {{ return e.name + ': ' + e.message; }}\n\
         }}\n\
         (async () => {{\n  const out = [];\n{runs}  console.log('{DONE}');\n  \
           await fetch('/result', {{method: 'POST', body: JSON.stringify(out)}});\n\
         }})();\n</script>\n"
    )
}

/// Launches `kind` (`None`: WebKit) at the page and waits (bounded) for its report (and, for
/// WebKit, its last console marker). `None` (skip) when the browser is not installed and CI is
/// not set.
pub(super) fn run(kind: Option<Kind>) -> Option<Run> {
    let installed = match kind {
        None => webkit::available(),
        Some(kind) => available(kind),
    };
    if !installed {
        return None;
    }
    let _turn = exclusive();
    let server = server();
    let (page, api, other) = (
        server.origin(PAGE),
        server.origin(API),
        server.origin(OTHER),
    );
    let name = kind.map_or("webkit", Kind::name);
    let mut browser = match kind {
        None => webkit::launch(&format!("{page}/")),
        Some(kind) => Launched::start(kind, &format!("{page}/")),
    };
    let deadline = Instant::now() + RUN_LIMIT;
    let report = loop {
        let report = server
            .seen()
            .into_iter()
            .find(|r| r.listener == PAGE && r.path() == "/result");
        let done = kind.is_some()
            || webkit::console(&browser.output())
                .iter()
                .any(|l| l.text == DONE);
        if let (Some(report), true) = (&report, done) {
            break report.clone();
        }
        assert!(
            browser.alive(),
            "{name} exited before the page finished:\n{}",
            browser.output_tail(40)
        );
        assert!(
            Instant::now() < deadline,
            "{name} did not finish the page within {RUN_LIMIT:?}:\n{}",
            browser.output_tail(40)
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = browser.output();
    browser.stop();

    let results: Vec<(String, String)> =
        serde_json::from_slice::<Vec<(String, String)>>(&report.body).expect("the page's report");

    // Console lines between markers.
    let mut console: Vec<(String, Vec<ConsoleLine>)> = Vec::new();
    for line in webkit::console(&output) {
        if let Some(name) = line.text.strip_prefix(BEGIN) {
            console.push((name.to_owned(), Vec::new()));
        } else if line.text == DONE {
            break;
        } else if let Some((_, lines)) = console.last_mut() {
            lines.push(line);
        }
    }

    // Requests to the API and the other origin, by scenario: a scenario's own path, or a
    // redirect target named after it.
    let seen = server.seen();
    let hops = SCENARIOS
        .iter()
        .map(|(name, _)| {
            let suffix = name.strip_prefix("redirect-");
            let hops = seen
                .iter()
                .filter(|r| r.listener != PAGE)
                .filter(|r| {
                    r.path() == format!("/{name}")
                        || suffix.is_some_and(|s| r.path() == format!("/final-{s}"))
                })
                .map(hop)
                .collect();
            (name.to_string(), hops)
        })
        .collect();
    // `corsgate check` on each scenario (after the browser's requests were taken).
    let check = if kind.is_none() {
        SCENARIOS
            .iter()
            .map(|(name, init)| {
                let url = format!("{api}/{name}");
                let mut args = vec![url.as_str(), "--origin", page.as_str()];
                if init.contains("PUT") {
                    args.extend(["-X", "PUT"]);
                }
                if init.contains("X-Test") {
                    args.extend(["-H", "X-Test: 1"]);
                }
                let (_, doc) = check_json(&args);
                let webkit = &doc["browsers"]["webkit"];
                let lines = webkit["message"]
                    .as_str()
                    .into_iter()
                    .chain(
                        webkit["followups"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|v| v.as_str()),
                    )
                    .map(str::to_owned)
                    .collect();
                let verdict = webkit["verdict"].as_str().unwrap_or_default().to_owned();
                (name.to_string(), (verdict, lines))
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(Run {
        page,
        api,
        other,
        results,
        console,
        hops,
        check,
    })
}
