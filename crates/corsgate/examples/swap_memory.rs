//! Memory over policy swaps: the process's resident set while one `Cors` handle is given
//! 10,000 distinct 1,000-origin policies in turn (what a gateway reloading its file, or the
//! demo's policy editor, does over a long life). Linux only (reads /proc/self/statm).
//!
//! ```text
//! cargo run --release -p corsgate --example swap_memory
//! ```

use corsgate::Config;

fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

/// 1,000 exact origins, a method and headers that no other `i` has.
fn policy(i: usize) -> Config {
    Config::new()
        .allow_origins((0..1000).map(|j| format!("https://app{j}.tenant{i}.example.com")))
        .allow_methods(["GET", "POST", &format!("M{i}")])
        .allow_headers([format!("x-request-{i}")])
        .expose_headers([format!("x-exposed-{i}")])
}

fn main() {
    let cors = policy(0).build().expect("valid");
    println!("swaps\trss_mib");
    println!("0\t{:.1}", rss_mib());
    for i in 1..=10_000 {
        cors.replace(policy(i)).expect("valid");
        if i % 1000 == 0 {
            println!("{i}\t{:.1}", rss_mib());
        }
    }
}
