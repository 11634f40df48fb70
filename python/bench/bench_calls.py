#!/usr/bin/env python3
"""Calls per second of miter.check on small pairs: through one `miter serve` worker against
one `miter check` process per call (subprocess.run, files on disk). Median of 3 runs each.

    python3 python/bench/bench_calls.py            # 2,000 worker calls, 200 process calls per run
    python3 python/bench/bench_calls.py --calls 5000 --process-calls 300

Pairs: `miter random --inputs 8 --outputs 2 --ands 50` sources with an equivalent variant and a
mutant (half the calls equivalent, half not), sent inline as AIGER text to the worker and as
files to the processes.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import miter  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=2000, help="worker calls per run")
    ap.add_argument("--process-calls", type=int, default=200, help="process calls per run")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    rows = miter.random_circuits(inputs=8, outputs=2, ands=50, count=100, variants=1, mutants=1, seed=3)
    by_family = {}
    for r in rows:
        by_family.setdefault(r["family"], {})[r["kind"]] = r["aag"]
    pairs = []
    for fam in sorted(by_family):
        f = by_family[fam]
        pairs.append((f["source"], f["variant1"], True))
        pairs.append((f["source"], f["mutant1"], False))
    tmp = tempfile.mkdtemp(prefix="miter-bench-calls-")
    files = []
    for k, (a, b, eq) in enumerate(pairs):
        pa, pb = os.path.join(tmp, f"{k}a.aag"), os.path.join(tmp, f"{k}b.aag")
        with open(pa, "w") as f:
            f.write(a)
        with open(pb, "w") as f:
            f.write(b)
        files.append((pa, pb, eq))
    binary = miter.find_binary()

    with miter.Worker() as w:
        for a, b, eq in pairs[:20]:  # warm up, and check the verdicts
            assert miter.check(a, b, worker=w).equivalent == eq
        worker_rates = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for k in range(args.calls):
                a, b, eq = pairs[k % len(pairs)]
                r = miter.check(a, b, worker=w)
                assert r.equivalent == eq
            worker_rates.append(args.calls / (time.perf_counter() - t))

    process_rates = []
    for _ in range(args.runs):
        t = time.perf_counter()
        for k in range(args.process_calls):
            pa, pb, eq = files[k % len(files)]
            p = subprocess.run([binary, "check", "--json", pa, pb], capture_output=True)
            assert p.returncode == (0 if eq else 1)
        process_rates.append(args.process_calls / (time.perf_counter() - t))

    shutil.rmtree(tmp, ignore_errors=True)
    wm, pm = statistics.median(worker_rates), statistics.median(process_rates)
    print(f"worker (miter serve, inline AIGER): {wm:,.0f} calls/s  (runs: {', '.join(f'{x:,.0f}' for x in worker_rates)}; "
          f"{1e3 / wm:.3f} ms per call)")
    print(f"one process per call (miter check --json): {pm:,.0f} calls/s  (runs: {', '.join(f'{x:,.0f}' for x in process_rates)}; "
          f"{1e3 / pm:.3f} ms per call)")
    print(f"ratio: {wm / pm:.1f}x (goal >= 20x)")
    return 0 if wm / pm >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
