//! Instructions per operation, counted by valgrind's cachegrind: the steady measure next to
//! criterion's times.
//!
//! On a shared or virtual machine wall-clock benchmarks move by 10–40 % between runs;
//! instruction counts do not move at all, so an A/B of a code change is read here first.
//! They are not times (a cache miss costs more than an add), which is why criterion and wrk
//! stay the measure of the targets.
//!
//! ```text
//! cargo bench -p corsgate --bench instructions             # every case (needs valgrind)
//! cargo bench -p corsgate --bench instructions -- layer/   # the cases whose name contains this
//! ```
//!
//! How: for each case this binary runs itself under
//! `valgrind --tool=cachegrind --cache-sim=no` twice, once doing the operation `LOW` times
//! and once `HIGH` times after the same setup, and reports
//! `(instructions(HIGH) - instructions(LOW)) / (HIGH - LOW)`: the setup (building the
//! policies, the runtime, the requests kept for reuse) cancels out.
//!
//! Cases (the same requests and policies as `benches/decision.rs` and `benches/layer.rs`):
//! - `decide/...`: `Policy::decide` on a request's `Parts`, with the 1-origin and the
//!   1,000-origin policies, and the hostile `Access-Control-Request-Headers` lists;
//! - `layer/...`: one request through the tutorial's axum app with no CORS layer, with
//!   corsgate's and with tower-http's, via `oneshot` (building the request included; the
//!   table gives each variant's difference from `none`). Each layer wraps the whole router,
//!   or, in the `-route` variants, is added with `Router::layer`, which boxes every route
//!   once more; `passthrough`, a layer that does nothing added that way, is what that
//!   placement costs any layer.
//!
//! Under `cargo test` (no `--bench` argument) every case runs a few times and its outcome is
//! checked, so the harness cannot rot.

use std::hint::black_box;
use std::process::{Command, ExitCode};

use std::convert::Infallible;

use axum::body::Body;
use corsgate::Policy;
use http::request::Parts;
use http::{Request, Response};
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;

// Shared with the other benchmarks and the load-test server; not every piece is used here.
#[allow(dead_code)]
mod common;
use common::cases::{
    cases, check_response, hostile_cases, request, Kind, LAYER_CASES_1000_ORIGINS,
    LAYER_CASES_1_ORIGIN,
};
use common::{
    app, corsgate_app, corsgate_around, policy, tower_around, tower_small, EXACT_LARGE,
    EXACT_SMALL, HEADERS,
};

/// Every app variant, boxed alike so that the boxing costs all of them the same.
type Svc = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

fn boxed<S>(svc: S) -> Svc
where
    S: tower::Service<Request<Body>, Response = Response<Body>, Error = Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    BoxCloneSyncService::new(svc)
}

/// Iteration counts of the two runs of a case.
const LOW: u64 = 200;
const HIGH: u64 = 2200;

/// One measurable operation, set up and ready to run.
enum Work {
    Decide { policy: Box<Policy>, parts: Parts },
    Layer { app: Svc, kind: Kind },
}

/// A case: its name and how to set it up. The setup also checks that the operation gets
/// the outcome it must.
struct Case {
    name: String,
    setup: Box<dyn Fn() -> Work>,
}

fn all_cases() -> Vec<Case> {
    let mut v = Vec::new();
    for (group, many, exact) in [
        ("1-origin", false, EXACT_SMALL),
        ("1000-origins", true, EXACT_LARGE),
    ] {
        for (i, c) in cases(exact, many).into_iter().enumerate() {
            v.push(Case {
                name: format!("decide/{group}/{}", c.name),
                setup: Box::new(move || {
                    let policy = policy(many, &HEADERS);
                    let c = cases(exact, many).swap_remove(i);
                    assert_eq!(policy.decide(&c.parts).outcome(), c.expect, "{}", c.name);
                    Work::Decide {
                        policy: Box::new(policy),
                        parts: c.parts,
                    }
                }),
            });
        }
    }
    for (i, (name, _, _, _)) in hostile_cases(EXACT_SMALL).into_iter().enumerate() {
        v.push(Case {
            name: format!("decide/hostile-acrh/{name}"),
            setup: Box::new(move || {
                let (name, star, parts, expect) = hostile_cases(EXACT_SMALL).swap_remove(i);
                let policy = policy(false, if star { &["*"] } else { &HEADERS });
                assert_eq!(policy.decide(&parts).outcome(), expect, "{name}");
                Work::Decide {
                    policy: Box::new(policy),
                    parts,
                }
            }),
        });
    }
    type Variant = (&'static str, fn() -> Svc);
    // `passthrough`: a layer that does nothing, added with `Router::layer`: what axum's
    // per-route boxing costs any layer. `-route` variants are added that way too; the others
    // wrap the whole router.
    let small: [Variant; 6] = [
        ("none", || boxed(app())),
        ("passthrough", || {
            boxed(app().layer(tower::util::MapResponseLayer::new(|r: Response<Body>| r)))
        }),
        ("corsgate", || boxed(corsgate_around(false))),
        ("corsgate-route", || boxed(corsgate_app(false))),
        ("tower-http", || boxed(tower_around(false))),
        ("tower-http-route", || boxed(tower_small())),
    ];
    let large: [Variant; 4] = [
        ("none", || boxed(app())),
        ("corsgate", || boxed(corsgate_around(true))),
        ("corsgate-route", || boxed(corsgate_app(true))),
        ("tower-http", || boxed(tower_around(true))),
    ];
    let groups: [(&str, &[Variant], _); 2] = [
        ("1-origin", &small, LAYER_CASES_1_ORIGIN),
        ("1000-origins", &large, LAYER_CASES_1000_ORIGINS),
    ];
    for (group, variants, kinds) in groups {
        for (case, kind) in kinds {
            for &(variant, make) in variants {
                let name = format!("layer/{group}/{case}/{variant}");
                v.push(Case {
                    name: name.clone(),
                    setup: Box::new(move || {
                        let app = make();
                        let rt = runtime();
                        let response = rt
                            .block_on(app.clone().oneshot(request(kind)))
                            .expect("infallible");
                        check_response(
                            &response,
                            kind,
                            variant != "none" && variant != "passthrough",
                            &name,
                        );
                        Work::Layer { app, kind }
                    }),
                });
            }
        }
    }
    v
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime")
}

/// Does the operation `iterations` times.
fn run(work: &Work, iterations: u64) {
    match work {
        Work::Decide { policy, parts } => {
            for _ in 0..iterations {
                black_box(policy.decide(black_box(parts)));
            }
        }
        Work::Layer { app, kind } => {
            let rt = runtime();
            rt.block_on(async {
                for _ in 0..iterations {
                    let response = app.clone().oneshot(request(*kind)).await;
                    drop(black_box(response));
                }
            });
        }
    }
}

/// Instructions counted by cachegrind for `--run <case> <iterations>`.
fn count(exe: &str, case: &str, iterations: u64) -> Result<u64, String> {
    let out = Command::new("valgrind")
        .args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            exe,
            "--run",
            case,
            &iterations.to_string(),
        ])
        .output()
        .map_err(|e| {
            format!("cannot run valgrind ({e}); install it: apt-get install -y valgrind")
        })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{case}: the run under valgrind failed:\n{stderr}"));
    }
    stderr
        .lines()
        .find_map(|l| {
            let (_, rest) = l.split_once("I")?;
            let rest = rest.trim_start().strip_prefix("refs:")?;
            rest.trim().replace(',', "").parse().ok()
        })
        .ok_or_else(|| format!("{case}: no instruction count in valgrind's output:\n{stderr}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cases = all_cases();

    // Worker: `--run <case> <iterations>`.
    if let Some(i) = args.iter().position(|a| a == "--run") {
        let (Some(name), Some(n)) = (args.get(i + 1), args.get(i + 2)) else {
            eprintln!("usage: instructions --run <case> <iterations>");
            return ExitCode::from(2);
        };
        let Some(case) = cases.iter().find(|c| &c.name == name) else {
            eprintln!("no case {name:?}");
            return ExitCode::from(2);
        };
        let Ok(n) = n.parse() else {
            eprintln!("bad iteration count {n:?}");
            return ExitCode::from(2);
        };
        run(&(case.setup)(), n);
        return ExitCode::SUCCESS;
    }

    let filter = args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(String::as_str)
        .unwrap_or("");
    let selected: Vec<&Case> = cases.iter().filter(|c| c.name.contains(filter)).collect();

    // `cargo test`: each case a few times, outcomes checked in the setup.
    if !args.iter().any(|a| a == "--bench") {
        for case in &selected {
            run(&(case.setup)(), 3);
        }
        println!("instructions: {} cases ran (test mode)", selected.len());
        return ExitCode::SUCCESS;
    }

    let exe = args[0].clone();
    println!(
        "instructions per operation (cachegrind; ({HIGH} - {LOW} runs) / {})",
        HIGH - LOW
    );
    let mut none = None;
    for case in selected {
        let per = match (count(&exe, &case.name, LOW), count(&exe, &case.name, HIGH)) {
            (Ok(low), Ok(high)) => high.saturating_sub(low) as f64 / (HIGH - LOW) as f64,
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        // Layer variants follow their `none` row: show what the layer adds.
        let extra = match case.name.rsplit_once('/') {
            Some((prefix, "none")) => {
                none = Some((prefix.to_owned(), per));
                String::new()
            }
            Some((prefix, _)) => match &none {
                Some((p, base)) if p == prefix => format!("  ({:+.0} vs none)", per - base),
                _ => String::new(),
            },
            None => String::new(),
        };
        println!("{:<62} {:>10.1}{extra}", case.name, per);
    }
    ExitCode::SUCCESS
}
