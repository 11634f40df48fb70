#!/usr/bin/env python3
"""Dask dedup (miter.distributed.dedup on a LocalCluster) against one `miter dedup` run:
wall time, peak memory (summed RSS of every process involved, sampled every 50 ms) and
whether the classes are equal.

    python3 python/bench/bench_dask_dedup.py                 # 1,000,000 circuits
    python3 python/bench/bench_dask_dedup.py -n 100000 --workers 2 --partitions 8

Circuits: `miter random --inputs 8 --outputs 2 --ands 50 --count N/10 --variants 5 --mutants 4`
(N circuits: each source with 5 equivalent rewrites and 4 mutants), as one JSONL file.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import psutil  # noqa: E402  (a dependency of dask.distributed)

import miter  # noqa: E402
import miter.distributed  # noqa: E402


class PeakRSS:
    """Peak of the summed RSS of a process tree (roots and all descendants), sampled."""

    def __init__(self, roots, interval=0.05):
        self.roots = [psutil.Process(p) for p in roots]
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        procs = {}
        for r in self.roots:
            try:
                procs[r.pid] = r
                for c in r.children(recursive=True):
                    procs[c.pid] = c
            except psutil.Error:
                pass
        total = 0
        for p in procs.values():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            time.sleep(self.interval)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self._sample()


def generate(path, n, seed):
    miter_bin = miter.find_binary()
    t = time.perf_counter()
    subprocess.run([miter_bin, "random", "--inputs", "8", "--outputs", "2", "--ands", "50", "--count", str(max(1, n // 10)),
                    "--variants", "5", "--mutants", "4", "--seed", str(seed), "--jsonl", path], check=True)
    return time.perf_counter() - t


def single_run(path, jobs):
    miter_bin = miter.find_binary()
    out = path + ".single.json"
    t = time.perf_counter()
    with open(path, "rb") as fin, open(out, "wb") as fout:
        p = subprocess.Popen([miter_bin, "dedup", "--json", "--jobs", str(jobs), "-"], stdin=fin, stdout=fout)
        with PeakRSS([p.pid]) as m:
            p.wait()
    wall = time.perf_counter() - t
    assert p.returncode in (0, 3), p.returncode
    return wall, m.peak, out


def dask_run(path, workers, partitions, shard_size):
    from dask.distributed import Client, LocalCluster
    t_cluster = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        cluster_seconds = time.perf_counter() - t_cluster
        # Warm: one tiny run starts each worker's `miter serve` (not counted).
        client.run(lambda: miter.distributed.process_worker().request(["stats", "-"], stdin="aag 0 0 0 0 0\n"))
        t = time.perf_counter()
        with PeakRSS([os.getpid()]) as m:
            result = miter.distributed.dedup(path, client=client, partitions=partitions, shard_size=shard_size)
        wall = time.perf_counter() - t
    return wall, m.peak, result, cluster_seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--circuits", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=None, help="reduce partitions (default: one per shard)")
    ap.add_argument("--shard-size", type=int, default=25_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--input", help="an existing JSONL set instead of generating one")
    args = ap.parse_args()
    partitions = args.partitions
    tmp = tempfile.mkdtemp(prefix="miter-bench-")
    path = args.input or os.path.join(tmp, "set.jsonl")
    if not args.input:
        g = generate(path, args.circuits, args.seed)
        print(f"generated {args.circuits} circuits ({os.path.getsize(path) / 1e6:.0f} MB JSONL) in {g:.1f} s", flush=True)

    s_wall, s_peak, ref_path = single_run(path, jobs=args.workers)
    print(f"miter dedup (one process, --jobs {args.workers}): {s_wall:.1f} s, peak RSS {s_peak / 2**20:.0f} MiB", flush=True)

    d_wall, d_peak, res, cs = dask_run(path, args.workers, partitions, args.shard_size)
    print(f"Dask dedup ({args.workers} workers x 1 thread, {res.summary['shards']} shards -> {res.summary['partitions']} partitions): "
          f"{d_wall:.1f} s, peak RSS {d_peak / 2**20:.0f} MiB (all processes: client, scheduler, workers, miter serve), "
          f"{len(res.classes)} classes; cluster start {cs:.1f} s not counted; "
          f"map+shuffle+reduce {res.summary['cluster_seconds']:.1f} s, merge in the client {res.summary['merge_seconds']:.1f} s", flush=True)
    # The single run's report is read only now, so that it is not in the client's memory above.
    with open(ref_path) as f:
        ref = json.load(f)
    os.unlink(ref_path)
    ref_classes = [[c["representative"], c["members"]] for c in ref["classes"]]
    got = [[c.representative, c.members] for c in res.classes]
    equal = ref_classes == got and ref["summary"]["classes"] == len(res.classes)
    print(f"equal classes (members, order, representatives): {equal}")
    print(f"ratio: time {d_wall / s_wall:.2f}x, memory {d_peak / s_peak:.2f}x")
    if not args.input:
        os.unlink(path)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
