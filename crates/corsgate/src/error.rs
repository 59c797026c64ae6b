//! Typed configuration errors.
//!
//! [`Config::build`](crate::Config::build) checks the whole policy and returns every problem
//! at once, so a user fixes a config in one round instead of one error per restart. Each
//! [`ConfigError`] names the field (and list index), the offending value, a machine-readable
//! [`ErrorKind`], and a message that says how to fix it. Shells (the gateway, `corsgate
//! validate`) map field and index back to a file and line.

use std::fmt;

/// The `Config` field an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `allow_origins`
    AllowOrigins,
    /// `allow_methods`
    AllowMethods,
    /// `allow_headers`
    AllowHeaders,
    /// `expose_headers`
    ExposeHeaders,
    /// `allow_credentials`
    AllowCredentials,
    /// `max_age`
    MaxAge,
    /// `allow_private_network`
    AllowPrivateNetwork,
    /// `preflight_status`
    PreflightStatus,
}

impl Field {
    /// The field's name in the schema (TOML key, JSON key, builder method stem).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::AllowOrigins => "allow_origins",
            Field::AllowMethods => "allow_methods",
            Field::AllowHeaders => "allow_headers",
            Field::ExposeHeaders => "expose_headers",
            Field::AllowCredentials => "allow_credentials",
            Field::MaxAge => "max_age",
            Field::AllowPrivateNetwork => "allow_private_network",
            Field::PreflightStatus => "preflight_status",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong, as a category a program can match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `allow_origins` is empty and no origin predicate is set.
    NoOrigins,
    /// An origin or origin pattern is not in the form browsers send (see the message).
    InvalidOrigin,
    /// `*` in `allow_origins` together with `allow_credentials = true`.
    WildcardOriginWithCredentials,
    /// A plain-`http` origin that is not loopback, with credentials.
    InsecureOriginWithCredentials,
    /// A `*.` pattern directly under a public suffix, with credentials.
    PublicSuffixWildcardWithCredentials,
    /// Not an HTTP token (empty, spaces, non-ASCII, separators...).
    InvalidToken,
    /// CONNECT, TRACE or TRACK: browsers refuse to send them.
    ForbiddenMethod,
    /// A request header `fetch()` never lets a page set (Fetch "forbidden request-header").
    ForbiddenRequestHeader,
    /// An `Access-Control-*` name: part of the protocol, never an application header.
    CorsProtocolHeader,
    /// `Set-Cookie` / `Set-Cookie2`: browsers never expose them.
    ForbiddenResponseHeader,
    /// `*` in `expose_headers` with credentials: browsers read it literally then.
    WildcardExposeWithCredentials,
    /// `max_age` outside -1..=86400.
    MaxAgeOutOfRange,
    /// `preflight_status` other than 200 or 204.
    InvalidPreflightStatus,
    /// A list longer than corsgate accepts (see [`Config`](crate::Config)'s limits); its
    /// entries are not checked one by one.
    TooManyEntries,
}

/// One problem in a [`Config`](crate::Config).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    field: Field,
    index: Option<usize>,
    value: String,
    kind: ErrorKind,
    message: String,
}

impl ConfigError {
    pub(crate) fn new(
        field: Field,
        index: Option<usize>,
        value: impl Into<String>,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> Self {
        ConfigError {
            field,
            index,
            value: value.into(),
            kind,
            message: message.into(),
        }
    }

    /// The field the error is about.
    pub fn field(&self) -> Field {
        self.field
    }

    /// For list fields, the position of the offending entry.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The offending value, as written in the config.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The error category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What is wrong and how to fix it, without the field prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.field)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if !self.value.is_empty() || self.index.is_some() {
            write!(f, " = {:?}", self.value)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Every problem found in a [`Config`](crate::Config), in field order. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors {
    errors: Vec<ConfigError>,
}

impl ConfigErrors {
    pub(crate) fn from_vec(errors: Vec<ConfigError>) -> Self {
        debug_assert!(!errors.is_empty());
        ConfigErrors { errors }
    }

    /// The individual errors.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// Iterates over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, ConfigError> {
        self.errors.iter()
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false: a `ConfigErrors` holds at least one error.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl<'a> IntoIterator for &'a ConfigErrors {
    type Item = &'a ConfigError;
    type IntoIter = std::slice::Iter<'a, ConfigError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl IntoIterator for ConfigErrors {
    type Item = ConfigError;
    type IntoIter = std::vec::IntoIter<ConfigError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "invalid CORS policy: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}
