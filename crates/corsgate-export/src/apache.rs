//! Apache httpd: `mod_setenvif` expressions, `mod_rewrite` for preflights, `mod_headers`.

use crate::{Plan, Whole};

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let _ = (plan, whole);
    String::new()
}

pub(crate) fn base() -> String {
    String::new()
}
