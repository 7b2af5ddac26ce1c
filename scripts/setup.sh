#!/usr/bin/env bash
# Create .venv and install SameStory with its test tools. Idempotent: pip runs
# again only when a requirements file changed since the last successful setup.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "SameStory needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.setup-stamp"
wanted="$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r requirements-dev.txt
    .venv/bin/python -m pip install --quiet --no-deps -e .
    echo "$wanted" > "$stamp"
fi
# Compiled kernels are cached beside analysis/kernels.py; compile them now, not in a first analysis.
kernels_stamp=".venv/.kernels-stamp"
kernels="$(sha256sum analysis/kernels.py | cut -d' ' -f1)"
if [ ! -f "$kernels_stamp" ] || [ "$(cat "$kernels_stamp")" != "$kernels" ]; then
    .venv/bin/python scripts/warm_kernels.py
    echo "$kernels" > "$kernels_stamp"
fi
