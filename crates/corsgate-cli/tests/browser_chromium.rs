//! The demo in real headless Chromium (Debian's `chromium` through `chromedriver`): each
//! scenario asserts the page's verdict and Chrome's console text exactly.

mod support;

use support::browser::Kind;

browser_tests!(Kind::Chromium;
    no_cors_blocks_fetch,
    default_policy_shows_json,
    localhost_is_not_127_0_0_1,
    put_blocked_then_allowed_live,
    screenshot_after_fetch,
    custom_header_needs_allow_headers,
    credentials_need_allow_credentials,
    tutorial_replayed_live,
);
