//! The scenario table: what the page asks for, what the server answers, what each engine does.

use super::*;

/// Every scenario, in the order the page runs them.
pub fn all() -> Vec<Scenario> {
    use Expect::Allowed;
    use Scenario as S;
    let long_accept_128 = format!("text/{}", "a".repeat(123));
    let long_accept_129 = format!("text/{}", "a".repeat(124));
    vec![
        // --- The actual response's Access-Control-Allow-Origin ---------------------------
        S::new("get-allowed", "simple GET, ACAO echoes the page origin")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("get-star", "simple GET, ACAO *")
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("acao-missing", "no ACAO")
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-missing-404", "404 without ACAO")
            .actual(404, &[])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-list", "ACAO lists two origins on one line")
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-two-lines", "ACAO sent twice with the page origin")
            .actual(200, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-space", "ACAO with a space between two origins")
            .actual(200, &[(ACAO, "{PAGE} http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE} http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-invalid", "ACAO is not a URL")
            .actual(200, &[(ACAO, "notaurl")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'notaurl'. Have the server send the header with a valid value.")),
        S::new("acao-empty", "ACAO is empty")
            .actual(200, &[(ACAO, "")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value ''. Have the server send the header with a valid value.")),
        S::new("acao-other", "ACAO names another origin")
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-slash", "ACAO is the page origin with a trailing slash")
            .actual(200, &[(ACAO, "{PAGE}/")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{PAGE}/' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-port", "ACAO is the API's own origin (same host, other port)")
            .actual(200, &[(ACAO, "{API}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{API}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-null", "ACAO null for a page with a real origin")
            .actual(200, &[(ACAO, "null")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        // --- Credentials --------------------------------------------------------------------
        S::new("cred-star", "credentials include, ACAO *")
            .include()
            .actual(200, &[(ACAO, "*"), (ACAC, "true")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("cred-no-acac", "credentials include, no ACAC")
            .include()
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-acac-True", "credentials include, ACAC True (capital T)")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-allowed", "credentials include, ACAO echo and ACAC true")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        S::new("cred-omit-star", "credentials omit, ACAO *")
            .omit()
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        // --- The preflight's response ---------------------------------------------------------
        S::new("put-allowed", "PUT, preflight allows it")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("pf-404", "PUT, preflight answers 404")
            .method("PUT")
            .preflight(404, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-500", "DELETE, preflight answers 500")
            .method("DELETE")
            .preflight(500, &[(ACAO, "{PAGE}"), (ACAM, "DELETE")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-redirect", "PUT, preflight redirects")
            .method("PUT")
            .preflight(307, &[(ACAO, "{PAGE}"), (ACAM, "PUT"), ("location", "{API}{ID}/2")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .hop(At::Api, "/2", Some((204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])), 200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("Redirect is not allowed for a preflight request.")),
        S::new("pf-acao-missing", "PUT, preflight without ACAO")
            .method("PUT")
            .preflight(204, &[(ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("pf-acao-other", "PUT, preflight ACAO names another origin")
            .method("PUT")
            .preflight(204, &[(ACAO, "http://x.example"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("pf-acao-two", "PUT, preflight ACAO sent twice")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("pf-acao-invalid", "PUT, preflight ACAO is not a URL")
            .method("PUT")
            .preflight(204, &[(ACAO, "nope"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'nope'. Have the server send the header with a valid value.")),
        S::new("pf-cred-star", "PUT with credentials, preflight ACAO *")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "*"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-no-acac", "PUT with credentials, preflight without ACAC")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-allowed", "PUT with credentials, everything echoed")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        // --- Methods ----------------------------------------------------------------------
        S::new("method-missing", "PUT, preflight without ACAM")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-invalid", "PUT, ACAM is not a token list")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT, (GET)")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")),
        S::new("method-patch-lower", "fetch method 'patch' (not normalised), ACAM PATCH")
            .method("patch")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PATCH")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method patch is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-patch-upper", "fetch method 'PATCH', ACAM patch")
            .method("PATCH")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "patch")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-put-lower", "fetch method 'put' (normalised to PUT), ACAM put")
            .method("put")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "put")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-star", "DELETE, ACAM *")
            .method("DELETE")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("method-star-cred", "DELETE with credentials, ACAM * (literal then)")
            .method("DELETE")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.")),
        // --- Request headers ----------------------------------------------------------------
        S::new("header-missing", "X-Foo, preflight without ACAH")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("header-invalid", "X-Foo, ACAH is not a token list")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "x-foo, x bar")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")),
        S::new("header-case", "X-Foo, ACAH X-FOO (names compare case-insensitively)")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "X-FOO")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star", "X-Foo, ACAH *")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star-cred", "X-Foo with credentials, ACAH * (literal then)")
            .header("X-Foo", "1")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("auth-star", "Authorization, ACAH * (still covers it in both browsers)")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-listed", "Authorization, ACAH authorization")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "authorization")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-missing", "Authorization, preflight without ACAH")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.")),
        // --- Safelisted request headers -------------------------------------------------------
        S::new("ct-text-plain", "POST text/plain: no preflight")
            .method("POST")
            .header("Content-Type", "text/plain")
            .body("hi")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-json", "POST application/json: preflight, content-type not allowed")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("ct-json-allowed", "POST application/json, ACAH content-type")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "Content-Type")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-quoted", "POST text/plain with a quoted charset (a CORS-unsafe byte)")
            .method("POST")
            .header("Content-Type", "text/plain; charset=\"utf-8\"")
            .body("hi")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-128", "Accept value of exactly 128 bytes: safelisted")
            .header("Accept", &long_accept_128)
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-129", "Accept value of 129 bytes: preflight, accept not allowed")
            .header("Accept", &long_accept_129)
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-language-ok", "Accept-Language with safelisted bytes")
            .header("Accept-Language", "en-US,en;q=0.9")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-language-bad", "Accept-Language with '@': preflight")
            .header("Accept-Language", "en@US")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("content-language-bad", "Content-Language with parentheses: preflight")
            .header("Content-Language", "de(DE)")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("range-single", "Range with one simple range: safelisted")
            .header("Range", "bytes=0-10")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("range-multi", "Range with two ranges: preflight")
            .header("Range", "bytes=0-1,5-6")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field range is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("dpr", "DPR: 1 (safelisted by Chrome only); OPTIONS answers 405")
            .header("DPR", "1")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox does not safelist DPR: it preflights, and the 405 fails the preflight")
            .webkit(Verdict::Blocked, "WebKit does not safelist DPR either"),
        // --- Exposed response headers -----------------------------------------------------------
        S::new("expose-listed", "ACEH lists X-Custom")
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom"])
            .unreadable(&["x-hidden"])
            .chrome(Allowed),
        S::new("expose-star", "ACEH * without credentials exposes everything")
            .actual(200, &[(ACAO, "*"), (ACEH, "*"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom", "x-hidden"])
            .chrome(Allowed),
        S::new("expose-star-cred", "ACEH * with credentials is a literal name")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACEH, "*"), ("x-custom", "1")])
            .unreadable(&["x-custom"])
            .chrome(Allowed),
        // --- XMLHttpRequest wording ---------------------------------------------------------
        S::new("xhr-allowed", "XHR GET, ACAO echo")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1")])
            .readable(&["x-custom"])
            .chrome(Allowed),
        S::new("xhr-acao-missing", "XHR GET, no ACAO")
            .xhr()
            .chrome(xhr_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("xhr-acao-other", "XHR GET, ACAO another origin (no 'Have the server send' hint for XHR)")
            .xhr()
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin.")),
        S::new("xhr-acao-list", "XHR GET, two origins in ACAO")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed.")),
        S::new("xhr-cred-star", "XHR withCredentials, ACAO *")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "*")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-cred-acac-True", "XHR withCredentials, ACAC True")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-pf-cred-no-acac", "XHR withCredentials PUT, preflight without ACAC")
            .xhr()
            .include()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(xhr_blocked!(concat!("Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-method-missing", "XHR PUT, preflight without ACAM")
            .xhr()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(xhr_blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("xhr-redir-third-echo", "XHR, redirect to a third origin that echoes the page origin")
            .xhr()
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to XMLHttpRequest at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin.")),
        // --- Calls that throw (each browser's own exception text) -----------------------------
        S::new("throw-connect", "fetch with method CONNECT: the call throws")
            .method("CONNECT")
            .chrome(Expect::BlockedSilently),
        S::new("throw-trace", "fetch with method TRACE: the call throws")
            .method("TRACE")
            .chrome(Expect::BlockedSilently),
        S::new("throw-get-body", "GET with a body: the call throws")
            .body("x")
            .chrome(Expect::BlockedSilently),
    ]
    .into_iter()
    .chain(engines())
    .chain(redirects())
    .collect()
}
