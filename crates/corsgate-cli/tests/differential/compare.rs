//! The browser-side comparisons: the browser against the table, the core, and the core's hops.

use super::*;

/// The page's request, as the browser core takes it.
pub fn core_request(s: &Scenario, env: &Env) -> CorsRequest {
    let url = env.expand("{URL}", s.id);
    let mut req = if s.xhr {
        CorsRequest::xhr(url, env.page.clone())
    } else {
        CorsRequest::fetch(url, env.page.clone())
    }
    .method(s.method);
    for (n, v) in &s.headers {
        req = req.header(n.clone(), v.clone());
    }
    req = req.credentials(match s.credentials {
        "include" => CredentialsMode::Include,
        "omit" => CredentialsMode::Omit,
        _ => CredentialsMode::SameOrigin,
    });
    if s.body.is_some() {
        req = req.body(Body::Text);
    }
    req
}

/// What the scripted server answers to `r` (the same answer the browser got), for the core.
pub fn scripted(server: &Scripted, r: &OutgoingRequest) -> ResponseInfo {
    let env = &server.env;
    let (listener, rest) = if let Some(rest) = r.url.strip_prefix(&env.api) {
        (Listener::Api, rest)
    } else if let Some(rest) = r.url.strip_prefix(&env.third) {
        (Listener::Third, rest)
    } else {
        return ResponseInfo::new(StatusCode::BAD_GATEWAY);
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let (mut resp, body_len) = match server.answer(listener, path, r.method.as_str()) {
        Some(a) => {
            let mut resp = ResponseInfo::new(
                StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
            for (n, v) in &a.headers {
                let bytes: Vec<u8> = v
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(n.as_bytes()),
                    HeaderValue::from_bytes(&bytes),
                ) {
                    resp.headers.append(name, value);
                }
            }
            (resp, BODY.len())
        }
        None if r.method == http::Method::OPTIONS => {
            (ResponseInfo::new(StatusCode::METHOD_NOT_ALLOWED), 0)
        }
        None => (ResponseInfo::new(StatusCode::NOT_FOUND), NOT_FOUND.len()),
    };
    // What hyper adds on the wire.
    let status = resp.status;
    if status != StatusCode::NO_CONTENT && status != StatusCode::NOT_MODIFIED {
        resp.headers
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    resp.headers.insert(
        http::header::DATE,
        HeaderValue::from_static("Thu, 01 Jan 2026 00:00:00 GMT"),
    );
    resp
}

pub fn show(v: Option<Verdict>) -> &'static str {
    v.map(Verdict::as_str).unwrap_or("no report")
}

pub fn quoted(m: &Option<String>) -> String {
    match m {
        Some(m) => format!("{m:?}"),
        None => "none".to_owned(),
    }
}

/// The requests one client sent to the scenario's own URL.
pub fn sent_to<'a>(
    seen: &'a [Seen],
    listener: Listener,
    path: &str,
    options: bool,
) -> Vec<&'a Seen> {
    seen.iter()
        .filter(|r| {
            Listener::of(r) == listener
                && r.path() == path
                && (r.method == Method::OPTIONS) == options
        })
        .collect()
}

/// The headers of a preflight that CORS decides (Origin, ACRM, ACRH).
pub fn preflight_shape(r: &Seen) -> (Option<String>, Option<String>, Option<String>) {
    (
        r.header("origin"),
        r.header("access-control-request-method"),
        r.header("access-control-request-headers"),
    )
}

/// The (Origin, ACRM, ACRH) of each extra preflight a `check --json` document lists under
/// `diagnosis` (sent to find a cause, not by the browser model).
pub fn diagnosis_shapes(doc: &Value) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    let Some(exchanges) = doc["diagnosis"]["exchanges"].as_array() else {
        return Vec::new();
    };
    exchanges
        .iter()
        .map(|e| {
            let get = |name: &str| {
                e["request"]["headers"]
                    .as_array()
                    .and_then(|h| h.iter().find(|h| h["name"] == name))
                    .and_then(|h| h["value"].as_str())
                    .map(str::to_owned)
            };
            (
                get("origin"),
                get("access-control-request-method"),
                get("access-control-request-headers"),
            )
        })
        .collect()
}

pub fn core_preflight_shape(
    p: &OutgoingRequest,
) -> (Option<String>, Option<String>, Option<String>) {
    let get = |name: &str| {
        p.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    (
        get("origin"),
        get("access-control-request-method"),
        get("access-control-request-headers"),
    )
}

/// The browser-side comparisons (1–3) for one scenario.
pub fn compare_browser(
    kind: Browser,
    s: &Scenario,
    server: &Scripted,
    o: &Observed,
    seen: &[Seen],
    out: &mut Vec<String>,
) {
    let env = &server.env;
    let id = s.id;
    let engine = kind.engine();
    let browser = kind.name();

    // 1. The table.
    let expected = match kind {
        Browser::Chromium => s.chrome.verdict(),
        Browser::Firefox => s.firefox,
        Browser::WebKit => s.webkit,
    };
    if o.verdict != Some(expected) {
        out.push(format!(
            "[{id}] {browser} verdict: table says {}, {browser} did {} {}",
            expected.as_str(),
            show(o.verdict),
            o.error
        ));
    }
    if kind == Browser::Chromium {
        let want = match &s.chrome {
            Expect::Blocked(t) => Some(env.expand(t, id)),
            Expect::Allowed | Expect::BlockedSilently => None,
        };
        if o.message != want {
            out.push(format!(
                "[{id}] Chrome's console line differs from the table:\n    table:  {}\n    chrome: {}",
                quoted(&want),
                quoted(&o.message)
            ));
        }
        if !o.extra_messages.is_empty() {
            out.push(format!(
                "[{id}] Chrome printed more than one line about the URL: {:?}",
                o.extra_messages
            ));
        }
    }
    if o.verdict == Some(Verdict::Allowed) {
        for name in &s.readable {
            if !o.readable.iter().any(|n| n == name) {
                out.push(format!(
                    "[{id}] {browser}: script cannot read {name} (reads {:?})",
                    o.readable
                ));
            }
        }
        for name in &s.unreadable {
            if o.readable.iter().any(|n| n == name) {
                out.push(format!("[{id}] {browser}: script can read {name}"));
            }
        }
    }

    // 2. The core, fed the same answers.
    let req = core_request(s, env);
    let (outcome, core_sent) = simulate(&req, engine, |r| scripted(server, r));
    let (core_verdict, core_message, core_readable) = match &outcome {
        Outcome::Allowed(a) => (Verdict::Allowed, None, Some(a.readable_headers.clone())),
        Outcome::Blocked(b) => (Verdict::Blocked, b.chrome_message.clone(), None),
        // The call throws: no console line; the exception is compared below.
        Outcome::Refused(_) => (Verdict::Blocked, None, None),
    };
    if let Outcome::Refused(r) = &outcome {
        // What the page caught (`String(e)`), byte for byte, against the core's exception.
        if o.error != r.to_string() {
            out.push(format!(
                "[{id}] exception: {browser} threw {:?}, core {:?}",
                o.error,
                r.to_string()
            ));
        }
    }
    if o.verdict.is_some() && o.verdict != Some(core_verdict) {
        out.push(format!(
            "[{id}] core ({}) says {}, {browser} did {}",
            engine.name(),
            core_verdict.as_str(),
            show(o.verdict)
        ));
    }
    // Firefox's lines (its report's message, then the lines it prints right after).
    let core_firefox: Vec<String> = match &outcome {
        Outcome::Blocked(b) => b
            .firefox
            .iter()
            .flat_map(|f| std::iter::once(f.message.clone()).chain(f.followups.clone()))
            .collect(),
        _ => Vec::new(),
    };
    if kind == Browser::Firefox && o.verdict.is_some() && core_firefox != o.lines() {
        out.push(format!(
            "[{id}] core's Firefox lines differ from Firefox's console:\n    firefox: {:?}\n    core:    {:?}",
            o.lines(),
            core_firefox
        ));
    }
    // WebKit's lines (its reason, then the URL it could not load). For a call that throws,
    // none: the exception is compared above.
    let core_webkit: Option<Vec<String>> = match &outcome {
        Outcome::Blocked(b) => b.webkit.clone(),
        _ => Some(Vec::new()),
    };
    if kind == Browser::WebKit && o.verdict.is_some() && core_webkit.as_ref() != Some(&o.lines()) {
        out.push(format!(
            "[{id}] core's WebKit lines differ from WebKit's console:\n    webkit: {:?}\n    core:   {:?}",
            o.lines(),
            core_webkit
        ));
    }
    if kind == Browser::Chromium && o.verdict.is_some() && core_message != o.message {
        out.push(format!(
            "[{id}] core's Chrome message differs from Chrome's console:\n    chrome: {}\n    core:   {}",
            quoted(&o.message),
            quoted(&core_message)
        ));
    }
    if let (Some(core_readable), Some(Verdict::Allowed)) = (&core_readable, o.verdict) {
        if *core_readable != o.readable {
            out.push(format!(
                "[{id}] readable headers: {browser} {:?}, core {:?}",
                o.readable, core_readable
            ));
        }
    }

    // 3. The preflight the browser sent, against the core's plan.
    let base = s.base_path();
    let browser_preflights = sent_to(seen, Listener::Api, &base, true);
    match plan(&req, engine) {
        Ok(p) => match (&p.preflight, browser_preflights.first()) {
            (None, None) => {}
            (Some(_), None) => out.push(format!(
                "[{id}] the core plans a preflight, {browser} sent none"
            )),
            (None, Some(r)) => out.push(format!(
                "[{id}] {browser} sent a preflight the core does not plan: {:?}",
                preflight_shape(r)
            )),
            (Some(core), Some(r)) => {
                let (b, c) = (preflight_shape(r), core_preflight_shape(core));
                if b != c {
                    out.push(format!(
                        "[{id}] preflight (Origin, ACRM, ACRH): {browser} {b:?}, core {c:?}"
                    ));
                }
            }
        },
        // The core says the call throws: the browser must have sent nothing.
        Err(_) => {
            if !browser_preflights.is_empty()
                || !sent_to(seen, Listener::Api, &base, false).is_empty()
            {
                out.push(format!(
                    "[{id}] the core says the call throws, {browser} sent requests"
                ));
            }
        }
    }
    // 3b. Every request the browser sent for the scenario, hop by hop, against the core's.
    // `Content-Type` on each request too, where the page set one (else the browsers' own
    // defaults for a body would be compared): whether a redirect to `GET` dropped it.
    let sets_content_type = s
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    let content_type = |v: Option<String>| v.filter(|_| sets_content_type);
    let got: Vec<Wire> = seen
        .iter()
        .filter(|r| {
            Listener::of(r) != Listener::Page
                && (r.path() == base || r.path().starts_with(&format!("{base}/")))
        })
        .map(|r| {
            (
                Listener::of(r),
                r.path().to_owned(),
                r.method.to_string(),
                r.header("origin"),
                r.header("access-control-request-method"),
                r.header("access-control-request-headers"),
                content_type(r.header("content-type")),
            )
        })
        .collect();
    let want: Vec<Wire> = core_sent
        .iter()
        .map(|r| {
            let mut w = core_wire(env, r);
            w.6 = content_type(w.6);
            w
        })
        .collect();
    if got != want {
        out.push(format!(
            "[{id}] requests (listener, path, method, Origin, ACRM, ACRH, Content-Type):\n    {browser}: {got:?}\n    core:    {want:?}"
        ));
    }
    if let Some((at, suffix)) = &s.null_origin_at {
        let listener = match at {
            At::Api => Listener::Api,
            At::Third => Listener::Third,
        };
        let path = format!("{base}{suffix}");
        // The actual request there carries `null`; where the browser never sent it (WebKit
        // fails its preflight there), its preflight does.
        let origins = |options: bool| -> Vec<Option<String>> {
            sent_to(seen, listener, &path, options)
                .iter()
                .map(|r| r.header("origin"))
                .collect()
        };
        let actual = origins(false);
        let (what, got) = if actual.is_empty() {
            ("preflights", origins(true))
        } else {
            ("requests", actual.clone())
        };
        if got.is_empty() || actual.len() > 1 || got.iter().any(|o| o.as_deref() != Some("null")) {
            out.push(format!(
                "[{id}] {browser} sent {what} with Origin {got:?} to {path}, expected null"
            ));
        }
    }
}

/// One request on the wire: listener, path, method, Origin, ACRM, ACRH, Content-Type.
pub type Wire = (
    Listener,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The [`Wire`] shape of a request the core sends.
pub fn core_wire(env: &Env, r: &OutgoingRequest) -> Wire {
    let (listener, rest) = if let Some(rest) = r.url.strip_prefix(&env.api) {
        (Listener::Api, rest)
    } else if let Some(rest) = r.url.strip_prefix(&env.third) {
        (Listener::Third, rest)
    } else {
        (Listener::Page, r.url.as_str())
    };
    let (origin, acrm, acrh) = core_preflight_shape(r);
    (
        listener,
        rest.split(['?', '#']).next().unwrap_or("").to_owned(),
        r.method.to_string(),
        origin,
        acrm,
        acrh,
        r.headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    )
}
