//! `corsgate export`'s configs in real headless Chromium: the seed tutorial's page calls its
//! Express API (no `cors` package) through nginx, Caddy, HAProxy and Apache, each started from
//! the exported whole config. As with `corsgate serve` (serve_browser.rs) and `corsgate
//! demo`: allowing `http://localhost:PAGE` (the tutorial's own mistake, the page is on
//! 127.0.0.1) leaves Fetch Data blocked with exactly Chrome's line; allowing the page's
//! origin, the page logs the data and the console has no error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use corsgate_export::{Target, Upstream, Whole};

use crate::export::policy;
use crate::serve_browser::{
    click_fetch_data, expect_tutorial_blocked, expect_tutorial_data_logged, open_tutorial,
    tutorial_page_server,
};
use crate::util::browser::{Browser, Kind};
use crate::util::edge::{self, Edge};
use crate::util::express::Express;

/// How long one target's steps may take.
const SCENARIO_LIMIT: Duration = Duration::from_secs(90);

mod chromium {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::Chromium, SCENARIO_LIMIT;
        tutorial_through_nginx,
        tutorial_through_caddy,
        tutorial_through_haproxy,
        tutorial_through_apache,
    );
}

async fn tutorial_through_nginx(browser: &Browser) {
    tutorial_through(browser, Target::Nginx).await;
}

async fn tutorial_through_caddy(browser: &Browser) {
    tutorial_through(browser, Target::Caddy).await;
}

async fn tutorial_through_haproxy(browser: &Browser) {
    tutorial_through(browser, Target::Haproxy).await;
}

async fn tutorial_through_apache(browser: &Browser) {
    tutorial_through(browser, Target::Apache).await;
}

/// `target` started from the whole config for a policy allowing `origin`, in front of
/// `upstream`.
fn edge_allowing(target: Target, origin: &str, upstream: &Upstream) -> Edge {
    let cors = policy(&format!("allow_origins = [\"{origin}\"]"));
    Edge::start(target, |listen| {
        let whole = Whole {
            listen,
            upstream: upstream.clone(),
        };
        corsgate_export::export(&cors, target, Some(&whole)).expect("exportable")
    })
    .expect("available was checked")
}

async fn tutorial_through(browser: &Browser, target: Target) {
    if !edge::available(target) {
        return;
    }
    let Some(express) = Express::start() else {
        return;
    };
    let upstream = Upstream::parse(&format!("http://127.0.0.1:{}", express.port()))
        .expect("Express's address");
    let api = Arc::new(Mutex::new(String::new()));
    let pages = tutorial_page_server(Arc::clone(&api));
    let page_origin = pages.origin(0);
    let page_url = pages.url("/index.html");

    // The tutorial's first try: localhost allowed, the page on 127.0.0.1.
    let wrong = edge_allowing(
        target,
        &format!("http://localhost:{}", pages.port()),
        &upstream,
    );
    let through = format!("http://localhost:{}", wrong.port());
    open_tutorial(browser, &page_url, &api, &through).await;
    expect_tutorial_blocked(browser, &page_url, &page_origin, &format!("{through}/data")).await;
    drop(wrong);

    // After: the page's origin allowed.
    let edge = edge_allowing(target, &page_origin, &upstream);
    let through = format!("http://localhost:{}", edge.port());
    open_tutorial(browser, &page_url, &api, &through).await;
    click_fetch_data(browser).await;
    expect_tutorial_data_logged(
        browser,
        &format!("through {target}; its output:\n{}", edge.output()),
    )
    .await;
}
