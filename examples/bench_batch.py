"""Throughput of `miter decode --serve --batch` seen from a Python model loop.

    python3 examples/bench_batch.py MITER_BINARY [BATCH] [INPUTS] [MODEL]

Opens BATCH (default 128) random circuits with INPUTS (default 8) inputs and
2 outputs from `miter random`, then steps every live state once per request
until all are done. MODEL: "uniform" (default: a random legal token, chosen
in Python from the packed mask) or "scores" (a random score row per state;
the server picks the best legal token). Prints one JSON object: batched
steps, state-steps per second, wall time per batched step and per state,
and the server's peak resident memory (VmHWM).
"""

import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from miter_batch import BatchDecoder, legal_ids  # noqa: E402


def main():
    binary = sys.argv[1]
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    inputs = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    model = sys.argv[4] if len(sys.argv) > 4 else "uniform"
    gen = subprocess.run([binary, "random", "--inputs", str(inputs), "--outputs", "2", "--ands", "30",
                          "--count", str(batch), "--seed", "11", "--jsonl", "-"], capture_output=True, text=True, check=True)
    targets = [{"aag": json.loads(line)["aag"]} for line in gen.stdout.splitlines()]
    rng = random.Random(3)
    with BatchDecoder(binary) as dec:
        t0 = time.perf_counter()
        ids = dec.open(targets, features=True)
        t_open = time.perf_counter() - t0
        live = list(ids)
        steps = state_steps = 0
        t0 = time.perf_counter()
        while live:
            if model == "scores":
                dec.step(live, scores=[[rng.random() for _ in range(dec.vocab)] for _ in live])
            else:
                dec.step(live, tokens=[rng.choice(legal_ids(dec.views[i], dec.vocab)) for i in live])
            steps += 1
            state_steps += len(live)
            live = [i for i in live if not dec.views[i]["done"]]
        wall = time.perf_counter() - t0
        results = dec.result(ids)
        with open(f"/proc/{dec.proc.pid}/status") as f:
            hwm = next((int(line.split()[1]) for line in f if line.startswith("VmHWM")), None)
    print(json.dumps({
        "batch": batch, "inputs": inputs, "model": model, "open_seconds": round(t_open, 3),
        "batched_steps": steps, "state_steps": state_steps, "seconds": round(wall, 3),
        "state_steps_per_second": round(state_steps / wall), "us_per_state_step": round(wall / state_steps * 1e6, 2),
        "ms_per_batched_step": round(wall / steps * 1e3, 3), "server_peak_rss_mb": round(hwm / 1024, 1) if hwm else None,
        "verified": sum(r["verified"] for r in results), "mean_ands": round(sum(r["ands"] for r in results) / len(results), 2),
    }))


if __name__ == "__main__":
    main()
