//! The report as the `--json` document: pretty-printed, one trailing newline.

use super::report::Report;

/// Renders the report.
pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report).map(|s| s + "\n")
}
