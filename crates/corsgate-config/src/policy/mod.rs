//! Policy files: TOML parsed once into a built [`Cors`], or every problem with its line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

mod schema;
pub(crate) mod syntax;

pub(crate) use schema::closest;

use corsgate::{Config, Cors};
use serde::Deserialize;
use toml::de::{DeTable, DeValue, Deserializer};
use toml::Spanned;

/// The largest policy file read (a policy is a few lines; this only bounds a mistake).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// One problem in a policy file or a gateway file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), with `line`.
    pub column: Option<usize>,
    /// The key (`allow_origins`, `allow_origins[1]`), when the problem is about one.
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Which kind of file a [`PolicyFileError`] is about (it words the error).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileKind {
    /// A policy file: "invalid CORS policy".
    #[default]
    Policy,
    /// A gateway file: "invalid gateway file".
    Gateway,
}

impl FileKind {
    /// What the file is, in words: "policy file", "gateway file".
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Policy => "policy file",
            FileKind::Gateway => "gateway file",
        }
    }
}

/// Why a policy or gateway file could not be read (or used at all), or everything wrong
/// with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFileError {
    /// The file, as given.
    pub file: PathBuf,
    /// A policy file or a gateway file.
    pub kind: FileKind,
    /// Why the file could not be read or is no policy file at all (the OS error, or its
    /// size), as a sentence; `problems` is empty then.
    pub unreadable: Option<String>,
    /// The problems, in file order where they have a place (empty when `unreadable`).
    pub problems: Vec<Problem>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        }
        if let Some(k) = &self.key {
            write!(f, "{k}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl Problem {
    /// `FILE:LINE:COLUMN: KEY: {label}MESSAGE` (without what it has no place or key for).
    pub fn located(&self, file: &Path, label: &str) -> String {
        let mut out = file.display().to_string();
        if let (Some(l), Some(c)) = (self.line, self.column) {
            out.push_str(&format!(":{l}:{c}"));
        }
        out.push_str(": ");
        if let Some(k) = &self.key {
            out.push_str(&format!("{k}: "));
        }
        out.push_str(label);
        out.push_str(&self.message);
        out
    }
}

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let file = self.file.display();
        if let Some(reason) = &self.unreadable {
            return write!(f, "{file}: {reason}");
        }
        let what = match self.kind {
            FileKind::Policy => "invalid CORS policy",
            FileKind::Gateway => "invalid gateway file",
        };
        write!(
            f,
            "{file}: {what}: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n{}", p.located(&self.file, ""))?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyFileError {}

/// Reads the policy in `path` and builds it (see [`parse`]). Shared by `corsgate check
/// --policy`, `corsgate validate` and, later, the gateway.
///
/// Reads at most [`MAX_FILE_BYTES`] (and one byte more, to tell that there is more) from any
/// kind of file — a regular file, a pipe, `/dev/zero` — so a wrong path never makes it read
/// without end.
pub fn load(path: &Path) -> Result<Cors, PolicyFileError> {
    load_checked(path).map(|checked| checked.cors)
}

/// [`load`], with the warnings of [`check`].
pub fn load_checked(path: &Path) -> Result<Checked, PolicyFileError> {
    let (src, _) = read_text(path, Some(FileKind::Policy))?;
    check(&src).map_err(|problems| PolicyFileError {
        file: path.to_owned(),
        kind: FileKind::Policy,
        unreadable: None,
        problems,
    })
}

/// The text of the file at `path`: at most [`MAX_FILE_BYTES`], UTF-8 (else the problem, at
/// the first byte that is not), and the kind of file it is: `kind`, or when `None`, what
/// [`crate::gateway::is_gateway_file`] says of its text (a file that cannot be read at all
/// is then called a policy file).
pub(crate) fn read_text(
    path: &Path,
    kind: Option<FileKind>,
) -> Result<(String, FileKind), PolicyFileError> {
    let detect = |text: &str| {
        kind.unwrap_or(if crate::gateway::is_gateway_file(text) {
            FileKind::Gateway
        } else {
            FileKind::Policy
        })
    };
    let unreadable = |kind: FileKind, reason: String| PolicyFileError {
        file: path.to_owned(),
        kind,
        unreadable: Some(reason),
        problems: Vec::new(),
    };
    let bytes = match read_capped(path) {
        Ok(bytes) => bytes,
        Err(Unread::Io(e)) => {
            let kind = kind.unwrap_or_default();
            return Err(unreadable(
                kind,
                format!("cannot read the {}: {e}.", kind.noun()),
            ));
        }
        Err(Unread::TooLarge(head)) => {
            let kind = kind.unwrap_or(
                if crate::gateway::mentions_gateway_tables(&String::from_utf8_lossy(&head)) {
                    FileKind::Gateway
                } else {
                    FileKind::Policy
                },
            );
            let why = match kind {
                FileKind::Policy => "a policy is a few lines",
                FileKind::Gateway => "a gateway file is a few dozen lines",
            };
            let noun = kind.noun();
            return Err(unreadable(
                kind,
                format!(
                    "cannot use it as a {noun}: it is larger than {MAX_FILE_BYTES} bytes \
                     (1 MiB), the most corsgate reads from a {noun} ({why}): is it the right \
                     file?"
                ),
            ));
        }
    };
    match String::from_utf8(bytes) {
        Ok(src) => {
            let kind = detect(&src);
            Ok((src, kind))
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let byte = bytes.get(valid).copied().unwrap_or_default();
            Err(PolicyFileError {
                file: path.to_owned(),
                kind: detect(&String::from_utf8_lossy(&bytes)),
                unreadable: None,
                problems: vec![problem(
                    &prefix,
                    Some(valid..valid),
                    None,
                    format!(
                        "the byte 0x{byte:02x} here is not UTF-8 text: TOML files are UTF-8; \
                         save the file as UTF-8."
                    ),
                )],
            })
        }
    }
}

/// Why [`read_capped`] read no text.
enum Unread {
    /// The OS's error.
    Io(std::io::Error),
    /// Larger than [`MAX_FILE_BYTES`]: its first bytes.
    TooLarge(Vec<u8>),
}

/// The bytes of `path`, at most [`MAX_FILE_BYTES`] of them.
fn read_capped(path: &Path) -> Result<Vec<u8>, Unread> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(Unread::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Unread::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Unread::TooLarge(bytes));
    }
    Ok(bytes)
}

/// The keys of the schema, in schema order.
pub fn schema_keys() -> Vec<String> {
    schema::keys().into_iter().map(|(key, _)| key).collect()
}

pub(crate) fn position(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

pub(crate) fn problem(
    src: &str,
    span: Option<Range<usize>>,
    key: Option<String>,
    message: String,
) -> Problem {
    let (line, column) = match span {
        Some(s) => {
            let (l, c) = position(src, s.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    Problem {
        line,
        column,
        key,
        message,
    }
}

pub(crate) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// A policy that builds, with what is worth a warning in it.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The policy, built.
    pub cors: Cors,
    /// Valid, but worth a second look (a wildcard under a public suffix...), each at its
    /// entry.
    pub warnings: Vec<Problem>,
}

/// Parses a policy held in `src` and builds it; `Err` lists every problem.
///
/// The schema is [`corsgate::Config`] (serde, unknown keys refused). See [`check`], which
/// also returns the warnings.
pub fn parse(src: &str) -> Result<Cors, Vec<Problem>> {
    check(src).map(|checked| checked.cors)
}

/// Parses a policy held in `src`, builds it and says what is worth a warning; `Err` lists
/// every problem, in file order (those without a place last).
///
/// On top of serde this reports *all* problems in one go, each with its line and column,
/// the key (and list entry), and the fix: TOML syntax errors (one per mistake: they are
/// reported alone, the rest is checked once the file parses); unknown keys (with the
/// closest known key); values of the wrong type (what the key takes, and an example); and
/// every [`corsgate::ConfigError`] building the policy from the keys that did parse finds,
/// mapped back to the entry it is about. The keys are either all at the top level or all
/// in a `[cors]` table (the gateway's file has other tables beside it).
pub fn check(src: &str) -> Result<Checked, Vec<Problem>> {
    let (root, syntax) = DeTable::parse_recoverable(src);
    if !syntax.is_empty() {
        return Err(in_file_order(syntax::problems(src, &syntax)));
    }
    let mut problems = Vec::new();
    let keys = schema::keys();
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();

    // The policy's table: the top level, or [cors].
    let (policy, prefix) = match root.get_ref().iter().find(|(k, _)| k.get_ref() == "cors") {
        Some((cors_key, cors_value)) => match cors_value.get_ref() {
            DeValue::Table(t) => {
                for (key, _) in root.get_ref().iter() {
                    let name: &str = key.get_ref();
                    if name == "cors" {
                        continue;
                    }
                    let message = if names.iter().any(|k| k == name) {
                        "policy keys go either all at the top level or all under [cors], not \
                         both: move this line under [cors]."
                            .to_owned()
                    } else {
                        unknown_key(name, &names)
                    };
                    problems.push(problem(
                        src,
                        Some(key.span()),
                        Some(name.to_owned()),
                        message,
                    ));
                }
                (Spanned::new(cors_value.span(), t.clone()), "cors.")
            }
            _ => {
                problems.push(problem(
                    src,
                    Some(cors_key.span()),
                    Some("cors".to_owned()),
                    "cors must be a table: write [cors] on a line of its own with the policy \
                     keys under it, or the keys at the top level without it."
                        .to_owned(),
                ));
                return Err(in_file_order(problems));
            }
        },
        None => (root.clone(), ""),
    };

    let result = check_table(src, &policy, prefix, None);
    match result {
        Ok(checked) if problems.is_empty() => Ok(checked),
        Ok(_) => {
            list_the_keys_once(&mut problems, &names);
            Err(in_file_order(problems))
        }
        Err(more) => {
            problems.extend(more);
            list_the_keys_once(&mut problems, &names);
            Err(in_file_order(problems))
        }
    }
}

/// The policy in the table `policy` (the file's top level, `[cors]`, or a gateway route's
/// `[route.cors]`), checked and built: [`check`] once the file parses and the table is
/// found. `prefix` goes before every key named (`cors.`, `route[0].cors.`); `place` is
/// where a problem about the whole table goes, such as a missing `allow_origins` (`None`:
/// nowhere). `Err` lists the problems in file order, without naming the schema's keys in
/// an unknown key's (the caller does that once, with [`list_the_keys_once`]).
pub(crate) fn check_table(
    src: &str,
    policy: &Spanned<DeTable<'_>>,
    prefix: &str,
    place: Option<Range<usize>>,
) -> Result<Checked, Vec<Problem>> {
    let mut problems = Vec::new();
    let keys = schema::keys();
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();

    // Unknown keys and values of the wrong type, key by key; the good ones are kept.
    let mut good = DeTable::new();
    let mut bad_keys: Vec<String> = Vec::new();
    for (key, value) in policy.get_ref().iter() {
        let name: &str = key.get_ref();
        let shown = format!("{prefix}{name}");
        let Some(kind) = keys.iter().find(|(k, _)| k == name).map(|(_, kind)| *kind) else {
            problems.push(problem(
                src,
                Some(key.span()),
                Some(shown),
                unknown_key(name, &names),
            ));
            continue;
        };
        match type_problem(src, name, &shown, kind, value) {
            Some(p) => {
                problems.push(p);
                bad_keys.push(name.to_owned());
            }
            None => {
                good.insert(key.clone(), value.clone());
            }
        }
    }

    // The policy's own validation, on the keys that parsed.
    let config = match Config::deserialize(Deserializer::from(Spanned::new(policy.span(), good))) {
        Ok(c) => c,
        Err(e) => {
            problems.push(problem(
                src,
                e.span(),
                None,
                first_line(e.message()).to_owned(),
            ));
            return Err(in_file_order(problems));
        }
    };
    match Cors::new(config.clone()) {
        Ok(cors) if problems.is_empty() => Ok(Checked {
            cors,
            warnings: warnings(src, &config, policy.get_ref(), prefix, place),
        }),
        Ok(_) => Err(in_file_order(problems)),
        Err(errors) => {
            for e in errors.iter() {
                let field = e.field().as_str();
                // A key whose value had the wrong type was left out: what follows from
                // its absence is not a problem of its own.
                if bad_keys.iter().any(|k| k == field) {
                    continue;
                }
                problems.push(config_problem(
                    src,
                    e,
                    policy.get_ref(),
                    prefix,
                    place.clone(),
                ));
            }
            Err(in_file_order(problems))
        }
    }
}

/// Problems with a place in file order, then those without one.
pub(crate) fn in_file_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
    problems
}

/// "unknown key", with the closest key when there is one.
fn unknown_key(name: &str, names: &[String]) -> String {
    match schema::closest(name, names).as_slice() {
        [] => "unknown key: not a corsgate policy key.".to_owned(),
        [one] => format!("unknown key. Did you mean `{one}`?"),
        several => format!(
            "unknown key. Did you mean {}?",
            several
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// Names the keys once: in the first unknown key with no close match (in file order).
pub(crate) fn list_the_keys_once(problems: &mut [Problem], names: &[String]) {
    problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
    if let Some(p) = problems
        .iter_mut()
        .find(|p| p.message == "unknown key: not a corsgate policy key.")
    {
        p.message = format!(
            "unknown key: not a corsgate policy key. The keys are: {}.",
            names.join(", ")
        );
    }
}

/// The value as written in the file, for "found ...": at most 40 characters.
pub(crate) fn found(src: &str, span: Range<usize>) -> String {
    let text = src.get(span).unwrap_or_default();
    let mut shown: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        shown.push('…');
    }
    format!("(found {})", crate::text::printable(&shown))
}

/// The problem with `value` for a key of `kind`, if its type is wrong.
fn type_problem(
    src: &str,
    name: &str,
    shown: &str,
    kind: schema::Kind,
    value: &Spanned<DeValue<'_>>,
) -> Option<Problem> {
    let wrong = |span: Range<usize>, key: String| {
        let (what, how) = schema::expectation(name, kind);
        Some(problem(
            src,
            Some(span.clone()),
            Some(key),
            format!("{what} {}. {how}", found(src, span)),
        ))
    };
    match (kind, value.get_ref()) {
        (schema::Kind::List, DeValue::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !matches!(item.get_ref(), DeValue::String(_)) {
                    return Some(problem(
                        src,
                        Some(item.span()),
                        Some(format!("{shown}[{i}]")),
                        format!(
                            "each entry must be a string in quotes {}. Write it like: {}",
                            found(src, item.span()),
                            schema::example(name)
                        ),
                    ));
                }
            }
            None
        }
        (schema::Kind::Bool, DeValue::Boolean(_)) => None,
        (schema::Kind::Integer, DeValue::Integer(_)) => {
            // In range for the field's type (i64, u16)? serde says.
            let mut one = DeTable::new();
            one.insert(Spanned::new(0..0, name.to_owned().into()), value.clone());
            match Config::deserialize(Deserializer::from(Spanned::new(0..0, one))) {
                Ok(_) => None,
                Err(_) => wrong(value.span(), shown.to_owned()),
            }
        }
        _ => wrong(value.span(), shown.to_owned()),
    }
}

/// A [`corsgate::ConfigError`] at the entry (or key) it is about.
fn config_problem(
    src: &str,
    e: &corsgate::ConfigError,
    policy: &DeTable<'_>,
    prefix: &str,
    place: Option<Range<usize>>,
) -> Problem {
    let field = e.field().as_str();
    let entry = policy
        .iter()
        .find(|(k, _)| {
            let k: &str = k.get_ref();
            k == field
        })
        .map(|(_, v)| v);
    let span = match (entry, e.index()) {
        (Some(v), Some(i)) => match v.get_ref() {
            DeValue::Array(items) => items.get(i).map(|item| item.span()),
            _ => Some(v.span()),
        },
        (Some(v), None) => Some(v.span()),
        (None, _) => place,
    };
    let key = match e.index() {
        Some(i) => format!("{prefix}{field}[{i}]"),
        None => format!("{prefix}{field}"),
    };
    // The value of an entry is quoted; a key-wide error (a count, a missing key) says it all.
    let value = if e.index().is_none() {
        String::new()
    } else {
        format!("{:?}: ", e.value())
    };
    let message = e.message().trim_end();
    let stop = if message.ends_with('.') { "" } else { "." };
    let missing = if entry.is_none() && !message.contains(" = ") {
        format!(" Add a line such as: {}", schema::example(field))
    } else {
        String::new()
    };
    problem(
        src,
        span,
        Some(key),
        format!("{value}{message}{stop}{missing}"),
    )
}

/// What is valid but worth a warning: `*.` patterns directly under a public suffix
/// (`https://*.com`) without credentials — any site there matches.
fn warnings(
    src: &str,
    config: &Config,
    policy: &DeTable<'_>,
    prefix: &str,
    place: Option<Range<usize>>,
) -> Vec<Problem> {
    if config.allow_credentials || config.dangerously_allow_public_suffix_wildcards {
        // With credentials such a pattern is an error, or was allowed on purpose.
        return Vec::new();
    }
    // The library refuses these patterns with credentials: ask it which ones they are.
    let probe = Config {
        allow_credentials: true,
        dangerously_allow_insecure_origins: true,
        ..config.clone()
    };
    let Err(errors) = Cors::new(probe) else {
        return Vec::new();
    };
    errors
        .iter()
        .filter(|e| e.kind() == corsgate::ErrorKind::PublicSuffixWildcardWithCredentials)
        .map(|e| {
            let mut p = config_problem(src, e, policy, prefix, place.clone());
            let suffix = e
                .value()
                .split_once("*.")
                .map(|(_, rest)| rest.split(':').next().unwrap_or(rest))
                .unwrap_or_default();
            p.message = format!(
                "{:?} is valid, but broad: it matches every site under the public suffix \
                 .{suffix}, where anyone can register a name. List your own origins instead \
                 (e.g. https://*.example.com).",
                e.value()
            );
            p
        })
        .collect()
}

#[cfg(test)]
mod tests;
