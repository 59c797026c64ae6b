//! Policy files: TOML parsed once into a built [`Cors`], or every problem with its line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use corsgate::{Config, Cors};
use serde::Deserialize;
use toml::de::{DeTable, DeValue, Deserializer};
use toml::Spanned;

/// The largest policy file read (a policy is a few lines; this only bounds a mistake).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// One problem in a policy file.
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

/// Why a policy file could not be read (or used at all), or everything wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFileError {
    /// The file, as given.
    pub file: PathBuf,
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

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let file = self.file.display();
        if let Some(reason) = &self.unreadable {
            return write!(f, "{file}: {reason}");
        }
        write!(
            f,
            "{file}: invalid CORS policy: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            if p.line.is_some() {
                write!(f, "\n{file}:{p}")?;
            } else {
                write!(f, "\n{file}: {p}")?;
            }
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
    let unreadable = |reason: String| PolicyFileError {
        file: path.to_owned(),
        unreadable: Some(reason),
        problems: Vec::new(),
    };
    let bytes = read_capped(path).map_err(unreadable)?;
    let src = String::from_utf8(bytes).map_err(|_| PolicyFileError {
        file: path.to_owned(),
        unreadable: None,
        problems: vec![Problem {
            line: None,
            column: None,
            key: None,
            message: "it is not UTF-8 text; TOML files are UTF-8.".to_owned(),
        }],
    })?;
    parse(&src).map_err(|problems| PolicyFileError {
        file: path.to_owned(),
        unreadable: None,
        problems,
    })
}

/// The bytes of `path`, at most [`MAX_FILE_BYTES`] of them; `Err` says why not, as a
/// sentence for after "FILE: ".
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let cannot_read = |e: std::io::Error| format!("cannot read the policy file: {e}.");
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "cannot use it as a policy file: it is larger than {MAX_FILE_BYTES} bytes (1 MiB), \
             the most corsgate reads from a policy file (a policy is a few lines): is it the \
             right file?"
        ));
    }
    Ok(bytes)
}

/// The keys of the schema, in schema order.
pub fn schema_keys() -> Vec<String> {
    let full = Config {
        max_age: Some(0),
        preflight_status: Some(204),
        ..Config::default()
    };
    match toml::Table::try_from(full) {
        Ok(t) => t.keys().cloned().collect(),
        Err(_) => Vec::new(),
    }
}

/// An example of a valid value for `key`.
fn example(key: &str) -> &'static str {
    match key {
        "allow_origins" => r#"allow_origins = ["https://app.example.com", "http://localhost:*"]"#,
        "allow_methods" => r#"allow_methods = ["GET", "POST", "PUT"]"#,
        "allow_headers" => r#"allow_headers = ["content-type", "authorization"]"#,
        "expose_headers" => r#"expose_headers = ["x-total-count"]"#,
        "max_age" => "max_age = 600",
        "preflight_status" => "preflight_status = 204",
        _ => "KEY = true",
    }
}

fn position(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

fn problem(src: &str, span: Option<Range<usize>>, key: Option<String>, message: String) -> Problem {
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

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn closest<'a>(key: &str, keys: &'a [String]) -> Option<&'a str> {
    keys.iter()
        .map(|k| (distance(key, k), k))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// Parses a policy held in `src` and builds it; `Err` lists every problem.
///
/// The schema is [`corsgate::Config`] (serde, unknown keys refused). On top of serde this
/// reports *all* problems in one go, each with its line and column, the key (and list
/// entry), and the fix: TOML syntax errors; unknown keys (with the closest known key); values
/// of the wrong type (with an example of the right one); and every [`corsgate::ConfigError`]
/// building the policy finds, mapped back to the entry it is about.
pub fn parse(src: &str) -> Result<Cors, Vec<Problem>> {
    let (table, syntax) = DeTable::parse_recoverable(src);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| {
                problem(
                    src,
                    e.span(),
                    None,
                    format!(
                        "TOML syntax error: {}.",
                        first_line(e.message()).trim_end_matches('.')
                    ),
                )
            })
            .collect());
    }
    let keys = schema_keys();
    let mut problems = Vec::new();
    let table_span = table.span();
    for (key, value) in table.get_ref().iter() {
        let name: &str = key.get_ref();
        if !keys.iter().any(|k| k == name) {
            let hint = match closest(name, &keys) {
                Some(k) => format!(" Did you mean `{k}`?"),
                None => String::new(),
            };
            problems.push(problem(
                src,
                Some(key.span()),
                Some(name.to_owned()),
                format!("unknown key.{hint} The keys are: {}.", keys.join(", ")),
            ));
            continue;
        }
        let mut one = DeTable::new();
        one.insert(key.clone(), value.clone());
        let de = Deserializer::from(Spanned::new(table_span.clone(), one));
        if let Err(e) = Config::deserialize(de) {
            problems.push(problem(
                src,
                e.span().or_else(|| Some(value.span())),
                Some(name.to_owned()),
                format!(
                    "{}. Write it like: {}",
                    first_line(e.message()).trim_end_matches('.'),
                    example(name)
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let config = match Config::deserialize(Deserializer::from(table.clone())) {
        Ok(c) => c,
        Err(e) => {
            return Err(vec![problem(
                src,
                e.span(),
                None,
                first_line(e.message()).to_owned(),
            )])
        }
    };
    let errors = match Cors::new(config) {
        Ok(cors) => return Ok(cors),
        Err(errors) => errors,
    };
    for e in errors.iter() {
        let field = e.field().as_str();
        let entry = table
            .get_ref()
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
            (None, _) => None,
        };
        let key = match e.index() {
            Some(i) => format!("{field}[{i}]"),
            None => field.to_owned(),
        };
        let value = if e.value().is_empty() && e.index().is_none() {
            String::new()
        } else {
            format!("{:?}: ", e.value())
        };
        let message = e.message().trim_end();
        let stop = if message.ends_with('.') { "" } else { "." };
        let missing = if entry.is_none() && !message.contains(" = ") {
            format!(" Add a line such as: {}", example(field))
        } else {
            String::new()
        };
        problems.push(problem(
            src,
            span,
            Some(key),
            format!("{value}{message}{stop}{missing}"),
        ));
    }
    Err(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_policy_parses() {
        let c = parse("allow_origins = [\"http://127.0.0.1:5500\"]\nallow_methods = [\"GET\", \"PUT\"]\nmax_age = 600\n")
            .unwrap()
            .config();
        assert_eq!(c.allow_methods, ["GET", "PUT"]);
        assert_eq!(c.max_age, Some(600));
    }

    #[test]
    fn every_problem_is_listed_with_its_line() {
        let src = "allow_origins = [\"https://a.com\", \"https://b.com:443\", \"*\"]\nallow_credentials = true\nallow_method = [\"PUT\"]\nmax_age = \"10\"\n";
        let p = parse(src).unwrap_err();
        // Unknown key and wrong type are reported together (validation waits for them).
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(p[0].line, Some(3));
        assert_eq!(p[0].key.as_deref(), Some("allow_method"));
        assert!(p[0].message.contains("Did you mean `allow_methods`?"));
        assert_eq!(p[1].line, Some(4));
        assert_eq!(p[1].key.as_deref(), Some("max_age"));
        assert!(p[1].message.contains("max_age = 600"), "{}", p[1].message);
    }

    #[test]
    fn validation_errors_point_at_the_entry() {
        let src = "allow_credentials = true\nallow_origins = [\n  \"https://a.com\",\n  \"https://b.com:443\",\n  \"*\",\n]\n";
        let p = parse(src).unwrap_err();
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(p[0].key.as_deref(), Some("allow_origins[1]"));
        assert_eq!((p[0].line, p[0].column), (Some(4), Some(3)));
        assert_eq!(p[1].key.as_deref(), Some("allow_origins[2]"));
        assert_eq!(p[1].line, Some(5));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let p = parse("allow_origins = [\"https://a.com\"\nmax_age = 1\n").unwrap_err();
        assert!(p[0].line.is_some());
        assert!(p[0].message.starts_with("TOML syntax error"));
    }

    #[test]
    fn missing_origins_say_what_to_add() {
        let p = parse("allow_methods = [\"PUT\"]\n").unwrap_err();
        assert_eq!(p[0].key.as_deref(), Some("allow_origins"));
        assert_eq!(p[0].line, None);
        assert!(
            p[0].message.contains("allow_origins = ["),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn schema_keys_match_the_config() {
        let keys = schema_keys();
        assert!(keys.contains(&"allow_origins".to_owned()));
        assert!(keys.contains(&"max_age".to_owned()));
        assert!(keys.contains(&"dangerously_allow_public_suffix_wildcards".to_owned()));
        assert_eq!(keys.len(), 12);
    }
}
