//! Scenarios where the three engines word, order or decide differently (WebKit above all).

use super::*;

/// WebKit's order and wording against Chrome's and Firefox's: which header is named, the
/// preflight's status before its origin, texts of calls that throw, `XMLHttpRequest`.
pub fn engines() -> Vec<Scenario> {
    use Expect::Allowed;
    use Scenario as S;
    vec![
        // --- Which header is named ------------------------------------------------------------
        S::new("names-known-first", "X-Foo then Content-Type: application/json, no ACAH (WebKit names the header it knows first)")
            .method("POST")
            .header("X-Foo", "1")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-set-order", "X-Zed then X-Ace, no ACAH (WebKit names the first set)")
            .header("X-Zed", "1")
            .header("X-Ace", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-zed is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-second-missing", "X-Foo and X-Bar, ACAH x-foo")
            .header("X-Foo", "1")
            .header("X-Bar", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "x-foo")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-bar is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-lower-known", "authorization (lower case), no ACAH (WebKit spells it Authorization)")
            .header("authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-lower-unknown", "x-lower (lower case), no ACAH (WebKit keeps the page's spelling)")
            .header("x-lower", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-lower is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-requested-with", "x-requested-with (lower case), no ACAH")
            .header("x-requested-with", "XMLHttpRequest")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-requested-with is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("names-acao-request", "the page sends access-control-allow-origin: * (a response header) itself, no ACAH")
            .header("access-control-allow-origin", "*")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field access-control-allow-origin is not allowed by Access-Control-Allow-Headers in preflight response.")),
        // --- The preflight's checks, in each engine's order -------------------------------------
        S::new("pf-404-no-acao", "PUT, preflight answers 404 without ACAO (WebKit reports the status first)")
            .method("PUT")
            .preflight(404, &[])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("pf-acao-null", "PUT, preflight ACAO null")
            .method("PUT")
            .preflight(204, &[(ACAO, "null"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("pf-cred-acac-True", "PUT with credentials, preflight ACAC True")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "True"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("pf-acah-invalid-method-ok", "PUT, ACAM PUT, ACAH not a token list (no header asked for)")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT"), (ACAH, "a b")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")),
        S::new("pf-get-no-acam", "GET with X-Foo, preflight allows the header, no ACAM (GET needs none)")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "x-foo")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("pf-post-acam-put", "POST with X-Foo, ACAM PUT only (POST needs none)")
            .method("POST")
            .header("X-Foo", "1")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT"), (ACAH, "x-foo")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("method-delete-lower", "fetch method 'delete' (normalised to DELETE), ACAM DELETE")
            .method("delete")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "DELETE")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("acao-missing-500", "500 without ACAO")
            .actual(500, &[])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("ct-form", "POST application/x-www-form-urlencoded: no preflight")
            .method("POST")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("a=1")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-multipart", "POST multipart/form-data: no preflight")
            .method("POST")
            .header("Content-Type", "multipart/form-data; boundary=x")
            .body("x")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        // --- Calls that throw -------------------------------------------------------------------
        S::new("throw-head-body", "HEAD with a body: the call throws")
            .method("HEAD")
            .body("x")
            .chrome(Expect::BlockedSilently),
        S::new("throw-track", "fetch with method TRACK: the call throws")
            .method("TRACK")
            .chrome(Expect::BlockedSilently),
        // --- XMLHttpRequest ---------------------------------------------------------------------
        S::new("xhr-pf-404", "XHR PUT, preflight answers 404")
            .xhr()
            .method("PUT")
            .body("x")
            .preflight(404, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Expect::Blocked("Access to XMLHttpRequest at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.")),
        S::new("xhr-header-missing", "XHR X-Foo, preflight without ACAH")
            .xhr()
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(xhr_blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("xhr-redir-no-acao", "XHR, the redirect response has no ACAO")
            .xhr()
            .actual(302, &[("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(xhr_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("xhr-throw-connect", "XHR open() with method CONNECT: the call throws")
            .xhr()
            .method("CONNECT")
            .chrome(Expect::BlockedSilently),
        S::new("xhr-expose", "XHR, ACEH lists X-Custom, credentials include")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACEH, "X-Custom"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom"])
            .unreadable(&["x-hidden"])
            .chrome(Allowed),
    ]
}
