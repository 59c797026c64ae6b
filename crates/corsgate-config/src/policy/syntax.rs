//! TOML syntax errors, one problem per mistake.
//!
//! The TOML parser recovers from an error and goes on, so one mistake (an array left open,
//! a missing comma) can give several errors, some at the same place. The file is cut into
//! its top-level statements — a `key = value` line with its continuation lines, or a table
//! header — and each statement is parsed on its own: its first error is the mistake. A line
//! that starts with `key =` always starts a statement, even inside a bracket left open above
//! it (no value can continue that way), so an open array does not swallow the rest of the
//! file. Errors only the whole file shows (a duplicate key) are kept, one per statement,
//! until a statement has a mistake of its own (what the whole file shows after it may
//! follow from it).

use std::ops::Range;

use toml::de::DeTable;

use super::{problem, Problem};

/// One top-level statement: its bytes and, for `key = value`, the key as written.
struct Statement {
    range: Range<usize>,
    key: Option<String>,
}

/// The syntax problems of `src`, given the errors of parsing it whole (not empty).
pub(crate) fn problems(src: &str, whole: &[toml::de::Error]) -> Vec<Problem> {
    problems_in_tables(src, whole, &|_| String::new())
}

/// [`problems`], each key named after `table(offset)`, the prefix of the table the
/// statement at that offset is in (`server.`, `route[0].`; empty at the top level).
pub(crate) fn problems_in_tables(
    src: &str,
    whole: &[toml::de::Error],
    table: &dyn Fn(usize) -> String,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut failed = false;
    for st in statements(src) {
        let text = &src[st.range.clone()];
        let (_, errors) = DeTable::parse_recoverable(text);
        let own = errors
            .iter()
            .filter_map(|e| e.span().map(|s| (s.start + st.range.start, e)))
            .min_by_key(|(start, _)| *start);
        let found = match own {
            Some((start, e)) => Some((start, e)),
            None if failed => None,
            None => whole
                .iter()
                .filter_map(|e| e.span().map(|s| (s.start, e)))
                .filter(|(start, _)| st.range.contains(start))
                .min_by_key(|(start, _)| *start),
        };
        failed |= own.is_some();
        if let Some((start, e)) = found {
            out.push(problem(
                src,
                Some(start..start),
                st.key
                    .as_ref()
                    .map(|k| format!("{}{k}", table(st.range.start))),
                format!(
                    "TOML syntax error: {}.",
                    super::first_line(e.message()).trim_end_matches('.')
                ),
            ));
        }
    }
    if out.is_empty() {
        // Never seen, but never lose an error: the first one of the whole file.
        if let Some(e) = whole.first() {
            out.push(problem(
                src,
                e.span(),
                None,
                format!(
                    "TOML syntax error: {}.",
                    super::first_line(e.message()).trim_end_matches('.')
                ),
            ));
        }
    }
    out
}

/// The top-level statements of `src`, in order, covering all of it.
fn statements(src: &str) -> Vec<Statement> {
    let mut starts: Vec<(usize, Option<String>)> = Vec::new();
    let mut scan = Scan::default();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = key_of(trimmed);
        let blank = trimmed.is_empty() || trimmed.starts_with('#');
        if scan.multiline.is_none() && (key.is_some() || (scan.depth == 0 && !blank)) {
            scan.depth = 0;
            starts.push((offset, key));
        }
        scan.line(line);
        offset += line.len();
    }
    let mut out = Vec::new();
    if starts.first().is_none_or(|(s, _)| *s > 0) {
        let end = starts.first().map_or(src.len(), |(s, _)| *s);
        out.push(Statement {
            range: 0..end,
            key: None,
        });
    }
    for (i, (start, key)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(src.len(), |(s, _)| *s);
        out.push(Statement {
            range: *start..end,
            key: key.clone(),
        });
    }
    out
}

/// The key of a `key = value` line (dotted keys as written), or `None`.
fn key_of(line: &str) -> Option<String> {
    let mut rest = line;
    let mut parts = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let (part, after) = if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"')?;
            (&r[..end], &r[end + 1..])
        } else if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'')?;
            (&r[..end], &r[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            (&rest[..end], &rest[end..])
        };
        parts.push(part);
        rest = after.trim_start_matches([' ', '\t']);
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        return rest.starts_with('=').then(|| parts.join("."));
    }
}

/// Brackets and strings open at the end of the lines scanned so far.
#[derive(Default)]
struct Scan {
    /// `[` and `{` not yet closed.
    depth: usize,
    /// Inside a `"""` or `'''` string: its delimiter.
    multiline: Option<&'static str>,
}

impl Scan {
    fn line(&mut self, line: &str) {
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(delim) = self.multiline {
                match rest.find(delim) {
                    Some(i) => {
                        rest = &rest[i + delim.len()..];
                        self.multiline = None;
                    }
                    None => return,
                }
                continue;
            }
            let Some(c) = rest.chars().next() else { return };
            if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                self.multiline = Some(if c == '"' { "\"\"\"" } else { "'''" });
                rest = &rest[3..];
                continue;
            }
            match c {
                '#' => return,
                '"' | '\'' => {
                    // A one-line string: to its closing quote, or the end of the line.
                    let body = &rest[1..];
                    let mut end = None;
                    let mut escaped = false;
                    for (i, ch) in body.char_indices() {
                        if c == '"' && escaped {
                            escaped = false;
                        } else if c == '"' && ch == '\\' {
                            escaped = true;
                        } else if ch == c {
                            end = Some(i);
                            break;
                        }
                    }
                    match end {
                        Some(i) => rest = &body[i + 1..],
                        None => return,
                    }
                    continue;
                }
                '[' | '{' => self.depth += 1,
                ']' | '}' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(src: &str) -> Vec<Problem> {
        let (_, errors) = DeTable::parse_recoverable(src);
        assert!(!errors.is_empty(), "no syntax error in {src:?}");
        problems(src, &errors)
    }

    #[test]
    fn statements_follow_keys_and_brackets() {
        let src = "# head\nallow_origins = [\n  \"a\", # x = 1\n]\n\"max_age\" = 1\n[cors]\nx.y = \"\"\"\nz = 1\n\"\"\"\n";
        let st = statements(src);
        let keys: Vec<Option<&str>> = st.iter().map(|s| s.key.as_deref()).collect();
        assert_eq!(
            keys,
            [
                None,
                Some("allow_origins"),
                Some("max_age"),
                None,
                Some("x.y")
            ]
        );
        assert_eq!(st.last().map(|s| s.range.end), Some(src.len()));
    }

    #[test]
    fn an_open_array_is_one_problem() {
        let p =
            syntax("allow_origins = [\"https://a.com\",\nallow_methods = [\"PUT\"]\nmax_age = 1\n");
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].key.as_deref(), Some("allow_origins"));
        assert_eq!(p[0].line, Some(1));
        assert!(p[0].message.contains("unclosed array"), "{p:#?}");
    }

    #[test]
    fn separate_mistakes_are_separate_problems() {
        let p = syntax("allow_origins = \"x\nfoo bar baz\nmax_age = = 3\n");
        let lines: Vec<Option<usize>> = p.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(1), Some(2), Some(3)], "{p:#?}");
    }

    #[test]
    fn a_duplicate_key_is_reported_once() {
        let p = syntax("max_age = 1\nmax_age = 2\n");
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].line, Some(2));
    }
}
