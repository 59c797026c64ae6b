//! The page's call: what its code passes to `fetch()` or `XMLHttpRequest`.
//!
//! [`CorsRequest`] is what the page's code says: URL, method, headers, credentials, mode, body
//! and which API made the call. What the browser makes of it before any network traffic is
//! [`crate::normalize`]'s business.

/// The request's credentials mode: whether cookies and HTTP auth go with it.
///
/// It matters twice for CORS: with `Include`, the server may not answer `*` (it must echo the
/// origin and send `Access-Control-Allow-Credentials: true`), and `*` in the allow-lists stops
/// being a wildcard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CredentialsMode {
    /// `credentials: "omit"`: never send cookies.
    Omit,
    /// `credentials: "same-origin"` (the `fetch()` default; also XHR without
    /// `withCredentials`): cookies only to the page's own origin.
    #[default]
    SameOrigin,
    /// `credentials: "include"` (or XHR `withCredentials = true`): cookies everywhere.
    Include,
}

impl CredentialsMode {
    /// The JavaScript spelling (`"omit"`, `"same-origin"`, `"include"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialsMode::Omit => "omit",
            CredentialsMode::SameOrigin => "same-origin",
            CredentialsMode::Include => "include",
        }
    }
}

/// Which API the page used. Chrome words its messages after it ("Access to fetch at" vs
/// "Access to XMLHttpRequest at") and adds a `withCredentials` hint for XHR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Initiator {
    /// `fetch()`.
    #[default]
    Fetch,
    /// `XMLHttpRequest`.
    XmlHttpRequest,
}

/// The request mode. Pages almost always use `Cors` (the `fetch()` default for a URL); the other
/// two are modelled because Chrome's hints mention them and they change what is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RequestMode {
    /// `mode: "cors"`: the CORS protocol applies to cross-origin URLs.
    #[default]
    Cors,
    /// `mode: "no-cors"`: no CORS checks, but the response is opaque (unreadable), only
    /// `GET`/`HEAD`/`POST` are allowed and non-safelisted headers are dropped.
    NoCors,
    /// `mode: "same-origin"`: a cross-origin URL is an error.
    SameOrigin,
}

/// What the page passes as the body, insofar as it decides `Content-Type` (and a preflight).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A string: `text/plain;charset=UTF-8`.
    Text,
    /// `URLSearchParams`: `application/x-www-form-urlencoded;charset=UTF-8`.
    UrlSearchParams,
    /// `FormData`: `multipart/form-data; boundary=…`.
    FormData,
    /// A `Blob`/`File`: its `type` (lower-cased; none when empty or not printable ASCII).
    Blob {
        /// The blob's `type` as the page constructed it.
        mime_type: String,
    },
    /// `ArrayBuffer`, a typed array or `DataView`: no `Content-Type`.
    Bytes,
    /// A `ReadableStream` (`fetch()` with `duplex: "half"`): no `Content-Type`, but it always
    /// needs a preflight.
    Stream,
    /// An HTML `Document` (XHR only): `text/html;charset=UTF-8`.
    HtmlDocument,
    /// An XML `Document` (XHR only): `application/xml;charset=UTF-8`.
    XmlDocument,
}

/// The boundary shown for a `FormData` body (Chrome's is random; the value never matters to
/// CORS, only the `multipart/form-data` essence does).
pub const FORM_DATA_BOUNDARY: &str = "----WebKitFormBoundaryCorsgateExample";

impl Body {
    /// The `Content-Type` this body sets when the page did not set one.
    pub fn content_type(&self) -> Option<String> {
        match self {
            Body::None | Body::Bytes | Body::Stream => None,
            Body::Text => Some("text/plain;charset=UTF-8".into()),
            Body::UrlSearchParams => Some("application/x-www-form-urlencoded;charset=UTF-8".into()),
            Body::FormData => Some(format!(
                "multipart/form-data; boundary={FORM_DATA_BOUNDARY}"
            )),
            Body::Blob { mime_type } => (!mime_type.is_empty()
                && mime_type.bytes().all(|b| (0x20..=0x7E).contains(&b)))
            .then(|| mime_type.to_ascii_lowercase()),
            Body::HtmlDocument => Some("text/html;charset=UTF-8".into()),
            Body::XmlDocument => Some("application/xml;charset=UTF-8".into()),
        }
    }

    /// Is there a body at all?
    pub fn is_some(&self) -> bool {
        !matches!(self, Body::None)
    }
}

/// A cross-origin (or same-origin) request as the page's code writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsRequest {
    /// The URL passed to `fetch()` / `open()`, absolute.
    pub url: String,
    /// The page's origin, e.g. `http://127.0.0.1:5500` (or `null` for an opaque origin).
    pub origin: String,
    /// The method as written (`"put"` is normalised to `PUT`, `"patch"` stays `patch`).
    pub method: String,
    /// Headers as the page sets them, in order; repeated names are allowed.
    pub headers: Vec<(String, String)>,
    /// Credentials mode.
    pub credentials: CredentialsMode,
    /// Request mode.
    pub mode: RequestMode,
    /// The body.
    pub body: Body,
    /// `fetch()` or `XMLHttpRequest`.
    pub initiator: Initiator,
    /// XHR only: a listener on `xhr.upload` forces a preflight (progress events would reveal
    /// whether the server accepted the request).
    pub upload_listeners: bool,
}

impl CorsRequest {
    /// A `fetch(url)` from a page at `origin`: `GET`, no headers, `same-origin` credentials.
    pub fn fetch(url: impl Into<String>, origin: impl Into<String>) -> Self {
        CorsRequest {
            url: url.into(),
            origin: origin.into(),
            method: "GET".into(),
            headers: Vec::new(),
            credentials: CredentialsMode::SameOrigin,
            mode: RequestMode::Cors,
            body: Body::None,
            initiator: Initiator::Fetch,
            upload_listeners: false,
        }
    }

    /// An `XMLHttpRequest` `open("GET", url)` from a page at `origin`.
    pub fn xhr(url: impl Into<String>, origin: impl Into<String>) -> Self {
        CorsRequest {
            initiator: Initiator::XmlHttpRequest,
            ..CorsRequest::fetch(url, origin)
        }
    }

    /// Sets the method (builder style).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = method.into();
        self
    }

    /// Adds a header (builder style); repeated names are kept, as `Headers.append` does.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the credentials mode (builder style).
    pub fn credentials(mut self, credentials: CredentialsMode) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the request mode (builder style).
    pub fn mode(mut self, mode: RequestMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the body (builder style).
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Marks that the page listens to `xhr.upload` events (builder style).
    pub fn upload_listeners(mut self, yes: bool) -> Self {
        self.upload_listeners = yes;
        self
    }
}
