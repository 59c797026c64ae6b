#!/usr/bin/env bash
# Runs every corsgate test: unit, integration, property, doc tests, the peer-library vectors
# and the real-browser tests (headless Chromium and Firefox ESR).
#
# On a fresh Debian machine it installs what the browser tests need when it is missing
# (chromium, chromium-driver, firefox-esr from Debian; geckodriver from crates.io), which
# needs root. Browser tests never skip silently: under CI (CI=true) a missing browser fails.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "test.sh: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi
# cargo installs binaries in ~/.cargo/bin, which may not be on PATH yet: look there too.
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v geckodriver >/dev/null 2>&1; then
  # Debian ships no geckodriver package; Firefox ESR's WebDriver comes from crates.io.
  echo "test.sh: geckodriver (the WebDriver server the Firefox tests drive) is missing;"
  echo "test.sh: building it with 'cargo install geckodriver --locked' (a few minutes, once)"
  cargo install geckodriver --locked
fi

cargo test --workspace --all-targets
cargo test --workspace --doc
