//! The redirect scenarios of the table, and the redirect matrix.

use super::*;

/// The redirect scenarios: limits, URLs a redirect may not go to, tainted origins, and each
/// engine's redirect model (which hops are preflighted, with which `Origin`).
pub fn redirects() -> Vec<Scenario> {
    use Expect::Allowed;
    use Scenario as S;
    vec![
        // --- Redirects ------------------------------------------------------------------------
        S::new("redir-third-echo", "redirect to a third origin, which echoes the page origin (but Origin is null now)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("redir-third-null", "redirect to a third origin, which answers ACAO null")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "null")])
            .null_origin_at(At::Third, "/2")
            .chrome(Allowed),
        S::new("redir-third-star", "redirect to a third origin, which answers ACAO *")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-no-acao", "the redirect response itself has no ACAO")
            .actual(302, &[("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("redir-put-307", "preflighted PUT, 307 to a third origin: preflighted again there")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(307, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", Some((204, &[(ACAO, "*"), (ACAM, "PUT")])), 200, &[(ACAO, "*")])
            .chrome(Allowed),
        // --- Redirects the engines follow differently ----------------------------------------
        S::new("redir-303-put-405", "preflighted PUT, 303 to the API whose OPTIONS answers 405")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(303, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox preflights the GET the 303 made, and the 405 fails it")
            .webkit(Verdict::Blocked, "WebKit preflights the GET the 303 made, and the 405 fails it"),
        S::new("redir-303-json-no-acah", "preflighted JSON POST, 303 to the API whose preflight allows no header")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(303, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", Some((204, &[(ACAO, "{PAGE}")])), 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .webkit(Verdict::Blocked, "WebKit's new preflight for the GET the 303 made still asks for content-type"),
        S::new("redir-303-json-acah-star", "preflighted JSON POST, 303 to a third origin whose preflight allows * everything")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(303, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", Some((204, &[(ACAO, "*"), (ACAH, "*")])), 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-307-put-same", "preflighted PUT, 307 to the API: preflighted again there")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(307, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", Some((204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])), 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("redir-relative", "redirect to a relative Location on the API origin")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("redir-third-null-cred", "credentials include, redirect to a third origin answering ACAO null and ACAC true")
            .include()
            .actual(302, &[(ACAO, "{PAGE}"), (ACAC, "true"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "null"), (ACAC, "true")])
            .null_origin_at(At::Third, "/2")
            .chrome(Allowed),
        S::new("redir-third-star-cred", "credentials include, redirect to a third origin answering ACAO *")
            .include()
            .actual(302, &[(ACAO, "{PAGE}"), (ACAC, "true"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*"), (ACAC, "true")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("redir-no-acac-cred", "credentials include, the redirect response has ACAO but no ACAC")
            .include()
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("redir-two-third-api", "redirect to a third origin, then back to the API (Origin stays null)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 302, &[(ACAO, "*"), ("location", "{API}{ID}/3")])
            .hop(At::Api, "/3", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Api, "/3")
            .chrome(Expect::Blocked("Access to fetch at '{API}{ID}/3' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("redir-20", "20 redirects: the limit")
            .chain(20)
            .chrome(Allowed),
        S::new("redir-21", "21 redirects: one too many")
            .chain(21)
            .chrome(Expect::BlockedSilently),
        S::new("redir-userinfo", "redirect to a URL with a username and password")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "http://user:pass@127.0.0.1:1{ID}/2")])
            .chrome(blocked!("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.")),
        S::new("redir-ftp", "redirect to ftp:")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "ftp://127.0.0.1/x")])
            .chrome(Expect::Blocked("Access to fetch at 'ftp://127.0.0.1/x' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.")),
        S::new("redir-data", "redirect to a data: URL (a network error, no CORS line)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "data:text/plain,hi")])
            .chrome(Expect::BlockedSilently),
        // --- Firefox after a redirect -------------------------------------------------------
        S::new("ff-303-pf-405", "preflighted POST, 303 to the API whose OPTIONS answers 405")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(303, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox preflights the GET the 303 made, and the 405 fails it")
            .webkit(Verdict::Blocked, "WebKit preflights the GET the 303 made, and the 405 fails it"),
        S::new("ff-302-pf-405-third", "preflighted POST, 302 to a third origin whose OPTIONS answers 405")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox preflights the GET the 302 made, and the 405 fails it")
            .webkit(Verdict::Blocked, "WebKit preflights the GET the 302 made, and the 405 fails it"),
    ]
    .into_iter()
    .chain(redirect_matrix())
    .collect()
}

/// 301/302/303/307/308 × simple (`text/plain`) or preflighted (`application/json`) `POST` ×
/// a target on the API origin or a third origin × credentials `same-origin` or `include`.
///
/// Every answer allows the origin each request carries (the page's, or `null` on the third
/// origin's actual request), except the third origin's `OPTIONS`, which allows the page's
/// origin only: Firefox's preflight there carries the page's origin and passes; Chrome's
/// carries `null` and fails (307/308; after 301/302/303 Chrome sends the `GET` directly, and
/// Firefox preflights it with ACRM `GET`); WebKit's carries `null` and fails after every
/// status (it preflights the `GET` again, still asking for `content-type`).
pub fn redirect_matrix() -> Vec<Scenario> {
    use Scenario as S;
    let mut out = Vec::new();
    for status in [301u16, 302, 303, 307, 308] {
        for preflighted in [false, true] {
            for third in [false, true] {
                for include in [false, true] {
                    let id: &'static str = Box::leak(
                        format!(
                            "rm-{status}-{}-{}{}",
                            if preflighted { "json" } else { "text" },
                            if third { "third" } else { "api" },
                            if include { "-cred" } else { "" }
                        )
                        .into_boxed_str(),
                    );
                    let about: &'static str = Box::leak(
                        format!(
                            "{} POST, {status} to {}{}",
                            if preflighted { "preflighted" } else { "simple" },
                            if third {
                                "a third origin"
                            } else {
                                "the API origin"
                            },
                            if include { ", credentials include" } else { "" }
                        )
                        .into_boxed_str(),
                    );
                    let mut allow: Vec<(&str, &str)> = vec![(ACAO, "{PAGE}")];
                    if include {
                        allow.push((ACAC, "true"));
                    }
                    let mut allow_pf = allow.clone();
                    allow_pf.push((ACAH, "content-type"));
                    let mut s = S::new(id, about)
                        .method("POST")
                        .header(
                            "Content-Type",
                            if preflighted {
                                "application/json"
                            } else {
                                "text/plain"
                            },
                        )
                        .body("{}");
                    if include {
                        s = s.include();
                    }
                    if preflighted {
                        s = s.preflight(204, &allow_pf);
                    }
                    let location = if third {
                        "{THIRD}{ID}/2"
                    } else {
                        "{API}{ID}/2"
                    };
                    let mut redirect = allow.clone();
                    redirect.push(("location", location));
                    s = s.actual(status, &redirect);
                    let keeps_method = status == 307 || status == 308;
                    let mut actual = allow.clone();
                    if third {
                        actual[0] = (ACAO, "null");
                        // (Chrome never sends the actual request after its failed preflight
                        // there; the hop-by-hop comparison still checks what it sent.)
                        if !(preflighted && keeps_method) {
                            s = s.null_origin_at(At::Third, "/2");
                        }
                    }
                    let at = if third { At::Third } else { At::Api };
                    s = s.hop(at, "/2", Some((204, &allow_pf)), 200, &actual);
                    s = if third && preflighted && keeps_method {
                        s.chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value."))
                            .firefox(Verdict::Allowed, "Firefox's preflight after the redirect carries the page origin, Chrome's null")
                    } else {
                        let s = s.chrome(Expect::Allowed);
                        if third && preflighted {
                            s.webkit(Verdict::Blocked, "WebKit preflights the GET again, with Origin null: the third origin allows the page origin only")
                        } else {
                            s
                        }
                    };
                    out.push(s);
                }
            }
        }
    }
    out
}
