//! Unit tests of the flow against the server of `corsgate-cli`'s `tests/webkit.rs`.

use super::*;

/// The server of `corsgate-cli`'s `tests/webkit.rs` (the page at `WK_PAGE`, the API at
/// `WK_API`, redirects' target at `WK_OTHER`), answering `r`.
fn webkit_server(r: &OutgoingRequest) -> ResponseInfo {
    let path = r.url.split_once("//").unwrap().1.split_once('/').unwrap().1;
    let path = format!("/{path}");
    let options = r.method == Method::OPTIONS;
    let pf = [
        ("access-control-allow-methods", "GET, PUT"),
        ("access-control-allow-headers", "X-Test"),
    ];
    if path.starts_with("/final") {
        let acao = if path == "/final-tainted" {
            WK_PAGE
        } else {
            "*"
        };
        return if options {
            response(204, &[("access-control-allow-origin", acao), pf[0], pf[1]])
        } else {
            response(200, &[("access-control-allow-origin", acao)])
        };
    }
    let redirect = |to: String| {
        response(
            303,
            &[
                ("access-control-allow-origin", WK_PAGE),
                ("location", to.as_str()),
            ],
        )
    };
    match (r.method.as_str(), path.as_str()) {
        ("GET", "/allowed") => response(200, &[("access-control-allow-origin", WK_PAGE)]),
        ("GET", "/refused") => response(
            200,
            &[("access-control-allow-origin", "http://127.0.0.1:5500")],
        ),
        ("OPTIONS", "/preflight") => response(200, &[("access-control-allow-origin", WK_PAGE)]),
        ("OPTIONS", _) => response(
            204,
            &[
                ("access-control-allow-origin", WK_PAGE),
                ("access-control-allow-methods", "PUT"),
                pf[1],
            ],
        ),
        ("PUT", "/redirect-cross") => redirect(format!("{WK_OTHER}/final-cross")),
        ("PUT", "/redirect-tainted") => redirect(format!("{WK_OTHER}/final-tainted")),
        ("PUT", "/redirect-simple") => redirect(format!("{WK_API}/final-simple")),
        ("PUT", "/redirect-same") => redirect(format!("{WK_API}/final-same")),
        _ => response(200, &[("access-control-allow-origin", WK_PAGE)]),
    }
}

const WK_PAGE: &str = "http://127.0.0.1:8000";
const WK_API: &str = "http://127.0.0.1:8001";
const WK_OTHER: &str = "http://127.0.0.1:8002";

/// (method, URL, Origin, ACRM, ACRH, X-Test) of each request.
type WkHop = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn wk_hop(
    m: &str,
    url: String,
    o: &str,
    acrm: Option<&str>,
    acrh: Option<&str>,
    x: Option<&str>,
) -> WkHop {
    (
        m.to_owned(),
        url,
        o.to_owned(),
        acrm.map(str::to_owned),
        acrh.map(str::to_owned),
        x.map(str::to_owned),
    )
}

/// Runs scenario `name` of `tests/webkit.rs` as `engine`: the console lines WebKit would
/// print (empty when allowed) and the requests sent.
fn webkit_scenario(engine: Engine, name: &str) -> (Option<Vec<String>>, Vec<WkHop>) {
    let mut req = CorsRequest::fetch(format!("{WK_API}/{name}"), WK_PAGE);
    if name != "allowed" && name != "refused" {
        req = req.method("PUT");
        if name != "redirect-simple" {
            req = req.header("X-Test", "1");
        }
    }
    let (outcome, sent) = simulate(&req, engine, webkit_server);
    let lines = match outcome {
        Outcome::Allowed(_) => Some(Vec::new()),
        Outcome::Blocked(b) => b.webkit,
        Outcome::Refused(r) => panic!("{r:?}"),
    };
    let hops = sent
        .iter()
        .map(|r| {
            let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
            (
                r.method.to_string(),
                r.url.clone(),
                h("origin").unwrap_or_default(),
                h("access-control-request-method"),
                h("access-control-request-headers"),
                h("x-test"),
            )
        })
        .collect();
    (lines, hops)
}

#[test]
fn webkit_gives_the_lines_and_hops_of_a_real_webkit() {
    // Each case as `corsgate-cli`'s `tests/webkit.rs` asserts it of WebKitGTK 2.50.
    let cannot = |url: String| format!("Fetch API cannot load {url} due to access control checks.");
    let x = Some("x-test");
    let one = Some("1");
    let wk = |name: &str| webkit_scenario(Engine::WebKit, name);
    assert_eq!(
        wk("allowed"),
        (
            Some(vec![]),
            vec![wk_hop(
                "GET",
                format!("{WK_API}/allowed"),
                WK_PAGE,
                None,
                None,
                None
            )]
        )
    );
    assert_eq!(
        wk("refused"),
        (
            Some(vec![
                format!(
                    "Origin {WK_PAGE} is not allowed by Access-Control-Allow-Origin. \
                     Status code: 200"
                ),
                cannot(format!("{WK_API}/refused")),
            ]),
            vec![wk_hop(
                "GET",
                format!("{WK_API}/refused"),
                WK_PAGE,
                None,
                None,
                None
            )]
        )
    );
    assert_eq!(
        wk("preflight"),
        (
            Some(vec![
                "Method PUT is not allowed by Access-Control-Allow-Methods.".to_owned(),
                cannot(format!("{WK_API}/preflight")),
            ]),
            vec![wk_hop(
                "OPTIONS",
                format!("{WK_API}/preflight"),
                WK_PAGE,
                Some("PUT"),
                x,
                None
            )]
        )
    );
    let first = |name: &str, acrh: Option<&str>, xt: Option<&str>| {
        vec![
            wk_hop(
                "OPTIONS",
                format!("{WK_API}/{name}"),
                WK_PAGE,
                Some("PUT"),
                acrh,
                None,
            ),
            wk_hop("PUT", format!("{WK_API}/{name}"), WK_PAGE, None, None, xt),
        ]
    };
    let mut cross = first("redirect-cross", x, one);
    cross.push(wk_hop(
        "OPTIONS",
        format!("{WK_OTHER}/final-cross"),
        "null",
        Some("GET"),
        x,
        None,
    ));
    cross.push(wk_hop(
        "GET",
        format!("{WK_OTHER}/final-cross"),
        "null",
        None,
        None,
        one,
    ));
    assert_eq!(wk("redirect-cross"), (Some(vec![]), cross));
    let mut same = first("redirect-same", x, one);
    same.push(wk_hop(
        "OPTIONS",
        format!("{WK_API}/final-same"),
        WK_PAGE,
        Some("GET"),
        x,
        None,
    ));
    same.push(wk_hop(
        "GET",
        format!("{WK_API}/final-same"),
        WK_PAGE,
        None,
        None,
        one,
    ));
    assert_eq!(wk("redirect-same"), (Some(vec![]), same));
    let mut tainted = first("redirect-tainted", x, one);
    tainted.push(wk_hop(
        "OPTIONS",
        format!("{WK_OTHER}/final-tainted"),
        "null",
        Some("GET"),
        x,
        None,
    ));
    assert_eq!(
        wk("redirect-tainted"),
        (
            Some(vec![
                "Origin null is not allowed by Access-Control-Allow-Origin. Status code: 204"
                    .to_owned(),
                cannot(format!("{WK_OTHER}/final-tainted")),
            ]),
            tainted
        )
    );
    let mut simple = first("redirect-simple", None, None);
    simple.push(wk_hop(
        "OPTIONS",
        format!("{WK_API}/final-simple"),
        WK_PAGE,
        Some("GET"),
        None,
        None,
    ));
    simple.push(wk_hop(
        "GET",
        format!("{WK_API}/final-simple"),
        WK_PAGE,
        None,
        None,
        None,
    ));
    assert_eq!(wk("redirect-simple"), (Some(vec![]), simple));
    // Chrome sends the simple GET without a preflight; Firefox preflights it.
    assert_eq!(
        webkit_scenario(Engine::Chrome, "redirect-simple").1.len(),
        3
    );
    assert_eq!(
        webkit_scenario(Engine::Firefox, "redirect-simple").1.len(),
        4
    );
}

#[test]
fn webkit_words_missing_origins_xhr_redirects_and_too_many() {
    let get = CorsRequest::fetch(format!("{WK_API}/x"), WK_PAGE);
    let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |_| response(200, &[])).0 else {
        panic!("blocked");
    };
    assert_eq!(b.kind, CorsErrorKind::MissingAllowOriginHeader);
    assert_eq!(b.engine, Engine::WebKit);
    assert_eq!(
        b.webkit.as_deref(),
        Some(
            &[
                format!(
                    "Origin {WK_PAGE} is not allowed by Access-Control-Allow-Origin. Status \
                     code: 200"
                ),
                format!("Fetch API cannot load {WK_API}/x due to access control checks."),
            ][..]
        )
    );
    let xhr = CorsRequest::xhr(format!("{WK_API}/refused"), WK_PAGE);
    let Outcome::Blocked(b) = simulate(&xhr, Engine::WebKit, webkit_server).0 else {
        panic!("blocked");
    };
    assert_eq!(
        b.webkit.as_ref().map(|l| l[1].clone()),
        Some(format!(
            "XMLHttpRequest cannot load {WK_API}/refused due to access control checks."
        ))
    );
    // A redirect whose response fails: WebKit names the target, and the URL that
    // redirected.
    let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |r| {
        if r.url.ends_with("/x") {
            response(302, &[("location", "/y")])
        } else {
            response(200, &[("access-control-allow-origin", "*")])
        }
    })
    .0
    else {
        panic!("blocked");
    };
    assert_eq!(
        b.webkit.as_deref().map(|l| l[0].as_str()),
        Some(
            format!(
                "Cross-origin redirection to {WK_API}/y denied by Cross-Origin Resource \
                 Sharing policy: Origin {WK_PAGE} is not allowed by \
                 Access-Control-Allow-Origin. Status code: 302"
            )
            .as_str()
        )
    );
    // One redirect too many.
    let Outcome::Blocked(b) = simulate(&get, Engine::WebKit, |_| {
        response(
            302,
            &[("access-control-allow-origin", WK_PAGE), ("location", "/x")],
        )
    })
    .0
    else {
        panic!("blocked");
    };
    assert_eq!(
        b.webkit.as_deref().map(|l| l[0].as_str()),
        Some("Load cannot follow more than 20 redirections")
    );
    // Max-Age as WebKit reads it: capped at 600 s.
    let put = CorsRequest::fetch(format!("{WK_API}/x"), WK_PAGE).method("PUT");
    let Outcome::Allowed(a) = simulate(&put, Engine::WebKit, |_| {
        response(
            204,
            &[
                ("access-control-allow-origin", WK_PAGE),
                ("access-control-allow-methods", "PUT"),
                ("access-control-max-age", "86400"),
            ],
        )
    })
    .0
    else {
        panic!("allowed");
    };
    assert_eq!(a.preflights[0].cache_lifetime_secs, 600);
}
