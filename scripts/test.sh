#!/usr/bin/env bash
# Runs every corsgate test: unit, integration, property, doc tests, the peer-library vectors,
# the real-browser tests (headless Chromium and Firefox ESR; WebKitGTK's MiniBrowser under Xvfb)
# and the side-by-side test against Express with the npm `cors` package
# (crates/corsgate/tests/express_cors.rs).
#
# On a fresh Debian machine it installs what these tests need when it is missing
# (chromium, chromium-driver, firefox-esr, webkit2gtk-driver, xvfb, nodejs, npm, nginx-light,
# caddy, haproxy and apache2 from Debian; geckodriver from crates.io; express and cors from the npm registry, pinned by their
# package-lock.json), which needs root for apt. These tests never skip silently: under CI (CI=true) a missing piece fails.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
# corsgate-cli's webkit tests run WebKitGTK's MiniBrowser (installed with WebKitWebDriver) under
# Xvfb.
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# corsgate-cli's audit_real tests run Debian's nginx (a real server audited).
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# corsgate-cli's export tests run the four servers `corsgate export` writes for.
[ -x /usr/bin/caddy ] || missing+=(caddy)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -q
    # Debian's nginx, caddy, haproxy and apache2 packages start a server when installed (on
    # 0.0.0.0:80 for three of them); the tests run their own on loopback only, so no service
    # is started (policy-rc.d 101: "not allowed").
    policy=/usr/sbin/policy-rc.d
    added_policy=
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    if [ -n "$added_policy" ]; then rm -f "$policy"; fi
    # And if a server just installed started anyway (another init), stop it.
    if command -v systemctl >/dev/null 2>&1; then
      for pair in nginx-light:nginx caddy:caddy haproxy:haproxy apache2:apache2; do
        if [[ " ${missing[*]} " == *" ${pair%%:*} "* ]]; then
          systemctl disable --now "${pair##*:}" >/dev/null 2>&1 || true
        fi
      done
    fi
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

# The Express app of the express_cors test (its node_modules also serve the seed tutorial's
# server in corsgate-cli's serve_browser test): its packages exactly as locked, installed when
# node_modules is missing or older than the lock file.
express_dir=crates/corsgate/tests/data/express
if [ ! -d "$express_dir/node_modules" ] \
  || [ "$express_dir/package-lock.json" -nt "$express_dir/node_modules/.package-lock.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "test.sh: installing express and cors for the express_cors test (npm ci in $express_dir)"
    (cd "$express_dir" && npm ci --no-audit --no-fund)
  else
    echo "test.sh: npm is missing, so the express_cors test can't run (it fails under CI)" >&2
  fi
fi

# CORSGATE_TEST_SETUP_ONLY=1: stop here (the CLI tests check the setup this way).
if [ "${CORSGATE_TEST_SETUP_ONLY:-}" = 1 ]; then
  echo "test.sh: setup done"
  exit 0
fi

cargo test --workspace --all-targets
cargo test --workspace --doc
