#!/usr/bin/env bash
# Set up (first run only) and open the dashboard on the bundled corpus.
# Extra arguments go to `streamlit run`, e.g. --server.port 8502.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run dashboard.py --browser.gatherUsageStats false "$@"
