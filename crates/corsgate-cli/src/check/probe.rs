//! The page's request, validated once ([`Probe`]): the input of every later stage of a check.

use bytes::Bytes;
use corsgate_browser::RefusalKind;
use corsgate_browser::{
    Body, CorsRequest, CredentialsMode, Engine, Flow, Initiator, Plan, Refused, Url,
};

use super::CheckError;

/// One cross-origin request as the page's JavaScript makes it, checked: the URL, origin,
/// headers and method are ones the browser core accepts (or the page's call throws, which is
/// a result, not a usage error).
///
/// corsgate adds what the browser adds (`Origin`, `Accept`, the preflight) and sends exactly
/// that. Build one with [`Probe::page`]; `corsgate check`'s flags build one with
/// [`CheckArgs::probe`](super::CheckArgs::probe).
#[derive(Clone, Debug)]
pub struct Probe {
    /// The URL as given (the report shows it untouched).
    url: String,
    /// The origin as given.
    origin: String,
    /// The page's call, for the browser core.
    request: CorsRequest,
    /// The body the page sends, if any.
    body: Option<Bytes>,
    /// Chrome's flow before anything is sent, or the exception the page's call throws.
    chrome: Result<Flow, Refused>,
}

/// A [`Probe`] being described; [`PageCall::build`] validates it.
#[derive(Clone, Debug)]
#[must_use]
pub struct PageCall {
    url: String,
    origin: String,
    method: String,
    headers: Vec<(String, String)>,
    credentials: CredentialsMode,
    initiator: Initiator,
    body: Option<String>,
}

impl Probe {
    /// A `fetch(url)` from a page at `origin`: `GET`, no headers, credentials `same-origin`.
    ///
    /// Refuses an `origin` with a path, query or fragment: browsers send `scheme://host[:port]`
    /// only, and the browser core would silently keep just the origin of such a URL.
    ///
    /// ```
    /// use corsgate_cli::check::Probe;
    ///
    /// let probe = Probe::page("http://localhost:3000/data", "http://127.0.0.1:5500")?
    ///     .method("PUT")
    ///     .header("X-Demo", "hello")
    ///     .build()?;
    /// assert_eq!(probe.method(), "PUT");
    /// assert!(Probe::page("http://localhost:3000/data", "http://127.0.0.1:5500/app").is_err());
    /// # Ok::<(), corsgate_cli::check::CheckError>(())
    /// ```
    pub fn page(url: impl Into<String>, origin: impl Into<String>) -> Result<PageCall, CheckError> {
        let origin = origin.into();
        check_origin(&origin)?;
        Ok(PageCall {
            url: url.into(),
            origin,
            method: "GET".to_owned(),
            headers: Vec::new(),
            credentials: CredentialsMode::SameOrigin,
            initiator: Initiator::Fetch,
            body: None,
        })
    }

    /// The URL the page requests, as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The page's origin, as given.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The method, as written.
    pub fn method(&self) -> &str {
        &self.request.method
    }

    /// The headers the page sets, in order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.request.headers
    }

    /// The page's call as the browser core takes it.
    pub fn request(&self) -> &CorsRequest {
        &self.request
    }

    /// The body the page sends, if any.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    /// What Chrome plans before sending anything; `None` when the page's call throws.
    pub fn plan(&self) -> Option<&Plan> {
        self.chrome.as_ref().ok().map(Flow::plan)
    }

    /// `engine`'s flow before anything is sent, or the exception the page's call throws.
    pub(crate) fn flow(&self, engine: Engine) -> Result<Flow, Refused> {
        match engine {
            Engine::Chrome => self.chrome.clone(),
            other => Flow::new(&self.request, other),
        }
    }
}

impl PageCall {
    /// The method the page uses.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = method.into();
        self
    }

    /// A request header the page sets (repeatable).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The page's credentials mode.
    pub fn credentials(mut self, credentials: CredentialsMode) -> Self {
        self.credentials = credentials;
        self
    }

    /// The API the page calls (Chrome words its messages after it).
    pub fn initiator(mut self, initiator: Initiator) -> Self {
        self.initiator = initiator;
        self
    }

    /// A string body (fetch sets `Content-Type: text/plain;charset=UTF-8` unless a header
    /// sets one).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Validates the call: a URL or origin the browser core cannot use is a usage error; an
    /// exception the page's call would throw is kept for the report.
    pub fn build(self) -> Result<Probe, CheckError> {
        let (url, origin) = (self.url.trim(), self.origin.trim());
        let mut request = match self.initiator {
            Initiator::Fetch => CorsRequest::fetch(url, origin),
            Initiator::XmlHttpRequest => CorsRequest::xhr(url, origin),
        }
        .method(self.method)
        .credentials(self.credentials);
        for (name, value) in self.headers {
            request = request.header(name, value);
        }
        if self.body.is_some() {
            request = request.body(Body::Text);
        }
        let chrome = Flow::new(&request, Engine::Chrome);
        if let Err(refused) = &chrome {
            usage_refusal(refused, &self.url, &self.origin)?;
        }
        Ok(Probe {
            url: self.url,
            origin: self.origin,
            request,
            body: self.body.map(Bytes::from),
            chrome,
        })
    }
}

/// Refuses an origin the browser's URL parser reads as more than scheme://host[:port] (a
/// path, query, fragment or user name); what it cannot parse at all is the core's to refuse.
fn check_origin(given: &str) -> Result<(), CheckError> {
    let Ok(url) = Url::parse(given.trim()) else {
        return Ok(());
    };
    let origin = url.origin();
    if matches!(origin, corsgate_browser::WebOrigin::Opaque) {
        return Ok(());
    }
    let bare = origin.serialize();
    let rest = url.as_str().strip_prefix(bare.as_str());
    if matches!(rest, Some("" | "/")) {
        return Ok(());
    }
    Err(CheckError::Usage(format!(
        "--origin '{given}' is not an origin: an origin is scheme://host[:port] with no path, \
         e.g. {bare}."
    )))
}

/// A bad URL or origin is a usage error, not something the page would do.
fn usage_refusal(r: &Refused, url: &str, origin: &str) -> Result<(), CheckError> {
    let message = match r.kind {
        RefusalKind::InvalidOrigin => format!(
            "--origin '{origin}' is not an origin: give scheme://host[:port] without a path, e.g. http://127.0.0.1:5500 ({}).",
            r.message
        ),
        RefusalKind::InvalidUrl => format!(
            "'{url}' is not a URL: give an absolute http: or https: URL, e.g. http://localhost:3000/data."
        ),
        RefusalKind::UnsupportedScheme => {
            format!("'{url}' is not an http: or https: URL; only those take part in CORS.")
        }
        _ => return Ok(()),
    };
    Err(CheckError::Usage(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "http://localhost:3000/data";

    #[test]
    fn origins_have_no_path() {
        assert!(check_origin("http://127.0.0.1:5500").is_ok());
        assert!(check_origin("http://127.0.0.1:5500/").is_ok());
        assert!(check_origin("null").is_ok());
        let e = check_origin("http://a.com/path").unwrap_err().to_string();
        assert!(e.contains("e.g. http://a.com."), "{e}");
        assert!(check_origin("http://a.com?x").is_err());
        assert!(check_origin("http://a.com#x").is_err());
    }

    #[test]
    fn bad_urls_and_origins_are_usage_errors() {
        let e = Probe::page("not a url", "http://127.0.0.1:5500")
            .unwrap()
            .build()
            .unwrap_err();
        assert!(e.to_string().starts_with("'not a url' is not a URL"), "{e}");
        let e = Probe::page(API, "nonsense").unwrap().build().unwrap_err();
        assert!(e.to_string().contains("(The page origin 'nonsense'"), "{e}");
        let e = Probe::page("ftp://localhost/x", "http://127.0.0.1:5500")
            .unwrap()
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("not an http: or https: URL"), "{e}");
    }

    #[test]
    fn an_exception_of_the_page_is_a_result() {
        let probe = Probe::page(API, "http://127.0.0.1:5500")
            .unwrap()
            .method("TRACE")
            .build()
            .unwrap();
        assert!(probe.plan().is_none());
        assert!(probe.flow(Engine::Firefox).is_err());
    }
}
