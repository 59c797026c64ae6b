//! How long building (validating) large policies takes: the largest lists corsgate accepts,
//! and lists over its limits. Validation is linear in the size of the config.
//!
//! ```text
//! cargo run --release -p corsgate --example validate_time
//! ```

use std::time::Instant;

use corsgate::Config;

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn time(label: &str, config: Config) {
    let start = Instant::now();
    let result = config.build();
    let elapsed = start.elapsed();
    let verdict = match result {
        Ok(_) => "valid".to_string(),
        Err(e) => format!("refused ({} problem(s))", e.len()),
    };
    println!(
        "{label}\t{:.1} ms\t{verdict}",
        elapsed.as_secs_f64() * 1000.0
    );
}

fn main() {
    let origins: Vec<String> = (0..10_000)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    time(
        "10,000 origins + 1,000 allow_headers + 1,000 expose_headers",
        Config::new()
            .allow_origins(origins.clone())
            .allow_headers(names("x-request-", 1_000))
            .expose_headers(names("x-exposed-", 1_000)),
    );
    time(
        "40,000 allow_headers",
        Config::new()
            .allow_origins(["https://app.example.com"])
            .allow_headers(names("x-request-", 40_000)),
    );
    time(
        "100,000 allow_headers",
        Config::new()
            .allow_origins(["https://app.example.com"])
            .allow_headers(names("x-request-", 100_000)),
    );
}
