//! HAProxy: ACLs, `http-request return` for preflights, `http-after-response` for headers.

use crate::{Plan, Whole};

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let _ = (plan, whole);
    String::new()
}
