#!/usr/bin/env bash
# The Python package's tests (python/tests): installs the package into a virtual environment
# over the system site-packages (so a CPU torch installed there is reused; PyPI's torch wheel
# brings GBs of CUDA libraries) and runs pytest against the `miter` that `swift build` / `swift
# test` made (MITER_BIN overrides). pytest comes from PyPI when missing; tests whose optional
# packages (torch_geometric, dask[distributed], pandas, datasets: .ci/run installs them) are
# missing print SKIP with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1; then echo "SKIP python/tests: no python3"; exit 0; fi
bin=${MITER_BIN:-$PWD/.build/debug/miter}
[ -x "$bin" ] || swift build --product miter
pip_install() { timeout 600 "$py" -m pip install -q --disable-pip-version-check "$@"; }
venv=.build/python-venv
if python3 -m venv --system-site-packages "$venv" >/dev/null 2>&1; then
    py="$venv/bin/python"
    pip_install ./python || pip_install --no-build-isolation ./python
else
    # No venv module (Debian without python3-venv): the package from the source tree.
    echo "note: python3 -m venv unavailable; testing python/ from the source tree"
    py=python3
    export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"
fi
"$py" -c "import numpy" 2>/dev/null || pip_install numpy || true
"$py" -c "import pytest" 2>/dev/null || pip_install pytest
MITER_BIN="$bin" "$py" -m pytest -q -rs python/tests
