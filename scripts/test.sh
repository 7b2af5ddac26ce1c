#!/usr/bin/env bash
# Set up (first run only), make sure Chromium is there, and run every test.
# Extra arguments go to pytest, e.g. -k ingest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

CHROMIUM="${SAMESTORY_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing Debian chromium for the browser tests…" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    else
        echo "The browser tests need Chromium at $CHROMIUM." >&2
        echo "Install it with: sudo apt-get install chromium" >&2
        echo "(or set SAMESTORY_CHROMIUM=/path/to/chromium)" >&2
        exit 1
    fi
fi
export SAMESTORY_CHROMIUM="$CHROMIUM"

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
    echo "pytest collected no tests: that is a failure here." >&2
    exit 1
fi
exit "$status"
