//! Render: the audit report as the `--json` document (schema: docs/audit.md).

use super::report::Report;

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report).map(|s| s + "\n")
}
