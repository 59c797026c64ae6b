//! The demo in real headless Firefox ESR (through `geckodriver`, from crates.io): the same
//! scenarios as Chromium, asserting the page's verdicts (geckodriver does not expose the
//! console).

mod support;

use support::browser::Kind;

browser_tests!(Kind::Firefox;
    no_cors_blocks_fetch,
    default_policy_shows_json,
    localhost_is_not_127_0_0_1,
    put_blocked_then_allowed_live,
    screenshot_after_fetch,
    custom_header_needs_allow_headers,
    credentials_need_allow_credentials,
    tutorial_replayed_live,
);
