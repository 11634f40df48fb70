"""Shared fixtures: the miter binary ($MITER_BIN, else the repository's release build, else
PATH), the repository root as working directory (the shipped circuits are named relative to
it, as in the README), and `cli()` to run the CLI itself for comparison."""
import json
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
try:
    import miter  # noqa: F401  (the installed package: pip install ./python)
except ImportError:
    sys.path.insert(0, os.path.join(REPO, "python"))  # else the checkout

if not os.environ.get("MITER_BIN"):
    for candidate in (os.path.join(REPO, ".build", "release", "miter"), shutil.which("miter")):
        if candidate and os.path.exists(candidate):
            os.environ["MITER_BIN"] = candidate
            break
if not os.environ.get("MITER_BIN") or not os.path.exists(os.environ["MITER_BIN"]):
    pytest.exit("miter binary not found: build it (swift build -c release --product miter) or set MITER_BIN", 2)

os.chdir(REPO)
MITER = os.environ["MITER_BIN"]


class CLIResult:
    def __init__(self, proc):
        self.exit_code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def json(self):
        return json.loads(self.stdout)

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def cli(*args, stdin=None, timeout=300):
    """Runs `miter ARGS...` as its own process (the reference the worker must equal)."""
    proc = subprocess.run([MITER] + [str(a) for a in args], input=stdin, capture_output=True, text=True, timeout=timeout)
    return CLIResult(proc)


@pytest.fixture(scope="session")
def miter_bin():
    return MITER


@pytest.fixture(scope="session")
def worker():
    import miter
    w = miter.Worker()
    yield w
    w.close()


@pytest.fixture(scope="session")
def random_set(tmp_path_factory):
    """A small `miter random` set (sources, equivalent variants, mutants) as JSONL and rows."""
    d = tmp_path_factory.mktemp("random")
    path = d / "set.jsonl"
    r = cli("random", "--inputs", 8, "--outputs", 2, "--ands", 40, "--count", 40, "--variants", 3, "--mutants", 2,
            "--seed", 7, "--jsonl", path)
    assert r.exit_code == 0, r.stderr
    rows = [json.loads(line) for line in open(path)]
    return path, rows


def strip_times(x):
    """A report without its timings (keys ending in seconds / _s), which differ run to run."""
    if isinstance(x, dict):
        return {k: strip_times(v) for k, v in x.items()
                if not (k.endswith("seconds") or k.endswith("_s") or k in ("seconds", "jobs"))}
    if isinstance(x, list):
        return [strip_times(v) for v in x]
    return x
