//! Caddy: a Caddyfile with named matchers, deferred `header` operations and `respond`.

use crate::{Plan, Whole};

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let _ = (plan, whole);
    String::new()
}
