#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 60 s each) and fails on a crash.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). The stable toolchain is used in
# nightly mode (RUSTC_BOOTSTRAP=1), since the sanitizer flags cargo-fuzz passes are unstable.
set -euo pipefail
secs=${1:-60}
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for target in origin request_headers config_toml; do
  echo "== fuzz $target for ${secs}s"
  mkdir -p "corpus/$target"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048
done
echo "fuzz: no crash in any target"
