//! The crate's integration tests, through its public API only: the Chromium 156 recordings
//! replayed byte for byte, and property tests that no input makes the simulator panic.

mod chromium_156 {
    //! Request/response vectors recorded from Chromium 156 (`data/chromium_156_vectors.json`),
    //! replayed through [`simulate`] with the same server answers.
    //!
    //! Each vector is one `fetch()` or `XMLHttpRequest` that a page at `http://127.0.0.1:5500`
    //! made in headless Chromium 156.0.8078.79 against a local server answering with the listed
    //! preflight and actual responses (`localhost:3000` and `127.0.0.1:3000` are two other
    //! origins). `blocked` holds the console line Chrome printed, byte for byte; `allowed` means
    //! the page received the response; `blocked_silently` means the fetch failed without a CORS
    //! console line (too many redirects, a `data:` redirect).

    use std::collections::HashMap;

    use corsgate_browser::{
        simulate, Body, CorsRequest, CredentialsMode, Engine, Outcome, Purpose, RequestMode,
        ResponseInfo,
    };
    use http::{HeaderValue, Method, StatusCode};
    use serde::Deserialize;

    /// How many vectors the recording holds (a truncated file must not pass quietly).
    const VECTOR_COUNT: usize = 176;

    #[derive(Deserialize)]
    struct Recording {
        page: String,
        vectors: Vec<Vector>,
        responses: Vec<Answers>,
    }

    #[derive(Deserialize)]
    struct Vector {
        id: String,
        url: String,
        method: String,
        headers: Vec<(String, String)>,
        credentials: String,
        mode: String,
        xhr: bool,
        upload: bool,
        body: String,
        expect: Expect,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Expect {
        Allowed,
        Blocked(String),
        BlockedSilently,
    }

    /// The server's answers for one response id (`None`: 200 without headers).
    #[derive(Deserialize)]
    struct Answers {
        id: String,
        preflight: Option<Answer>,
        actual: Option<Answer>,
    }

    #[derive(Clone, Deserialize)]
    struct Answer {
        status: u16,
        /// Values are written one character per byte (Latin-1), as the server sent them.
        headers: Vec<(String, String)>,
    }

    fn recording() -> Recording {
        serde_json::from_str(include_str!("data/chromium_156_vectors.json"))
            .expect("data/chromium_156_vectors.json parses")
    }

    fn request(page: &str, v: &Vector) -> CorsRequest {
        let mut r = if v.xhr {
            CorsRequest::xhr(&v.url, page)
        } else {
            CorsRequest::fetch(&v.url, page)
        };
        r = r.method(&v.method).upload_listeners(v.upload);
        for (n, val) in &v.headers {
            r = r.header(n, val);
        }
        r.credentials = match v.credentials.as_str() {
            "include" => CredentialsMode::Include,
            "omit" => CredentialsMode::Omit,
            "same-origin" => CredentialsMode::SameOrigin,
            other => panic!("{}: credentials {other:?}", v.id),
        };
        r.mode = match v.mode.as_str() {
            "cors" => RequestMode::Cors,
            "no-cors" => RequestMode::NoCors,
            "same-origin" => RequestMode::SameOrigin,
            other => panic!("{}: mode {other:?}", v.id),
        };
        r.body = match v.body.as_str() {
            "None" => Body::None,
            "Text" => Body::Text,
            "UrlSearchParams" => Body::UrlSearchParams,
            "FormData" => Body::FormData,
            "Bytes" => Body::Bytes,
            "Html" => Body::HtmlDocument,
            b => match b.strip_prefix("Blob:") {
                Some(mime_type) => Body::Blob {
                    mime_type: mime_type.to_owned(),
                },
                None => panic!("{}: body {b:?}", v.id),
            },
        };
        r
    }

    /// The recording server: the last path segment of the URL names the response pair.
    fn answer(answers: &HashMap<&str, &Answers>, method: &Method, url: &str) -> ResponseInfo {
        let path = url.split(['?', '#']).next().unwrap_or("");
        let id = path.rsplit('/').next().unwrap_or("");
        let chosen = answers.get(id).and_then(|a| {
            if method == Method::OPTIONS {
                a.preflight.clone()
            } else {
                a.actual.clone()
            }
        });
        let Some(chosen) = chosen else {
            return ResponseInfo::new(StatusCode::OK);
        };
        let mut resp = ResponseInfo::new(StatusCode::from_u16(chosen.status).unwrap());
        for (n, v) in &chosen.headers {
            let bytes: Vec<u8> = v
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
                .collect();
            resp.headers.append(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_bytes(&bytes).unwrap(),
            );
        }
        resp
    }

    #[test]
    fn every_vector_replays_as_chromium_156_ran_it() {
        let rec = recording();
        assert_eq!(rec.vectors.len(), VECTOR_COUNT, "vectors in the recording");
        let answers: HashMap<&str, &Answers> =
            rec.responses.iter().map(|a| (a.id.as_str(), a)).collect();
        assert_eq!(
            answers.len(),
            rec.responses.len(),
            "response ids are unique"
        );
        let mut failures = Vec::new();
        for v in &rec.vectors {
            let (outcome, sent) = simulate(&request(&rec.page, v), Engine::Chrome, |r| {
                answer(&answers, &r.method, &r.url)
            });
            let ok = match (&v.expect, &outcome) {
                (Expect::Allowed, Outcome::Allowed(_)) => true,
                (Expect::Blocked(line), Outcome::Blocked(b)) => {
                    // Byte for byte, including which of several disallowed headers is
                    // named (Chrome's header order, `header_order` in the crate).
                    b.chrome_message.as_deref() == Some(line.as_str())
                }
                (Expect::BlockedSilently, Outcome::Blocked(b)) => b.chrome_message.is_none(),
                _ => false,
            };
            if !ok {
                let trace: Vec<String> = sent
                    .iter()
                    .map(|r| {
                        let preflight = if r.purpose == Purpose::Preflight {
                            " (preflight)"
                        } else {
                            ""
                        };
                        format!("{} {}{preflight}", r.method, r.url)
                    })
                    .collect();
                failures.push(format!("{}: got {outcome:?}\n  sent {trace:?}", v.id));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} vectors differ:\n{}",
            failures.len(),
            rec.vectors.len(),
            failures.join("\n")
        );
    }
}

mod properties {
    //! Planning and checking never panic, whatever the page or server sends.

    use corsgate_browser::{
        simulate, Body, CorsRequest, CredentialsMode, Engine, Flow, ResponseInfo, Step,
    };
    use http::{HeaderName, HeaderValue, StatusCode};
    use proptest::prelude::*;
    /// Arbitrary header names and values, including invalid ones.
    fn header_pair() -> impl Strategy<Value = (String, String)> {
        (
            prop_oneof![
                "[A-Za-z-]{1,12}",
                "\\PC{0,8}",
                Just("Content-Type".to_owned()),
                Just("Range".to_owned()),
                Just("Accept".to_owned()),
                Just("X-HTTP-Method-Override".to_owned()),
            ],
            prop_oneof![
                "\\PC{0,40}",
                "[ -~]{0,200}",
                Just("bytes=0-1".to_owned()),
                Just("text/plain;charset=\"x".to_owned())
            ],
        )
    }

    /// Arbitrary response header lines (name from the CORS set, value any visible bytes).
    fn response_lines() -> impl Strategy<Value = Vec<(usize, Vec<u8>)>> {
        prop::collection::vec(
            (
                0usize..8,
                prop::collection::vec(prop_oneof![32u8..127, 128u8..=255, Just(b'\t')], 0..60),
            ),
            0..8,
        )
    }

    const NAMES: [&str; 8] = [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
        "access-control-expose-headers",
        "location",
        "x-other",
    ];

    fn build_response(status: u16, lines: &[(usize, Vec<u8>)]) -> ResponseInfo {
        let mut r = ResponseInfo::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
        for (i, v) in lines {
            if let Ok(v) = HeaderValue::from_bytes(v) {
                r.headers
                    .append(HeaderName::from_static(NAMES[i % NAMES.len()]), v);
            }
        }
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn plan_and_checks_never_panic(
            method in prop_oneof!["[A-Za-z]{1,8}", "\\PC{0,6}"],
            headers in prop::collection::vec(header_pair(), 0..6),
            include in any::<bool>(),
            xhr in any::<bool>(),
            url in prop_oneof![Just("http://localhost:3000/data".to_owned()), "\\PC{0,30}", "http://[a-z.]{1,10}(:[0-9]{1,6})?/[ -~]{0,10}"],
            statuses in prop::collection::vec(100u16..600, 1..6),
            lines in prop::collection::vec(response_lines(), 1..6),
            firefox in any::<bool>(),
        ) {
            let engine = if firefox { Engine::Firefox } else { Engine::Chrome };
            let mut req = if xhr { CorsRequest::xhr(url, "http://127.0.0.1:5500") } else { CorsRequest::fetch(url, "http://127.0.0.1:5500") };
            req = req.method(method).credentials(if include { CredentialsMode::Include } else { CredentialsMode::SameOrigin });
            if req.method.eq_ignore_ascii_case("post") {
                req = req.body(Body::Text);
            }
            for (n, v) in headers {
                req = req.header(n, v);
            }
            let mut i = 0usize;
            let _ = simulate(&req, engine, |_| {
                let r = build_response(statuses[i % statuses.len()], &lines[i % lines.len()]);
                i += 1;
                r
            });
            if let Ok(mut flow) = Flow::new(&req, engine) {
                for (s, l) in statuses.iter().zip(lines.iter()) {
                    if let Step::Allowed(_) | Step::Blocked(_) = flow.on_response(&build_response(*s, l)) {
                        break;
                    }
                }
            }
        }
    }
}
