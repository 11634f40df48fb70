#!/usr/bin/env python3
"""Drive `miter decode --serve` with a model over its JSON-lines protocol.

Protocol (one JSON object per line, stdin/stdout of the miter process):

  client -> miter  (only when no TARGET file is given on the command line)
      {"targets": ["<hex>", ...], "care": ["<hex>", ...]?, "max_ands": N?, "max_depth": N?}
      truth tables in hexadecimal, most significant digit first (ABC's order),
      2^n/4 digits for n inputs (n = 2..16)
  miter -> client
      {"type": "start", "inputs": n, "outputs": m, "vocabulary": ["PAD", "EOS", "0", "1",
       "AND", "NAND", "x0", "¬x0", ...], "max_depth": D, "max_ands": A or null}
  then, until the circuit is complete:
      {"type": "step", "step": k, "legal": [token ids], "output": o, "level": l,
       "left_child": bool, "on": "<hex>", "off": "<hex>", "ands": a}
          `on`/`off`: minterms where the current slot must be 1 / 0 (the ISF)
  client -> miter
      {"token": id}            or      {"scores": [one float per vocabulary entry]}
          (scores: miter takes the best legal token)
  an illegal answer gets {"type": "error", "message": ...} and the same step again.
  miter -> client, at the end
      {"type": "done", "ands": a, "depth": d, "tokens": [...], "verified": true,
       "ands_before": a0 or null, "aag": "<ASCII AIGER of the result>"}

The dummy model below scores legal leaves above operators and picks randomly among the best,
so it exercises the mask; any policy (a neural network, say) fits the same loop.
"""
import json
import random
import subprocess
import sys


def decode(miter, targets=None, target_file=None, seed=0, extra_args=()):
    rng = random.Random(seed)
    args = [miter, "decode", "--serve", *extra_args]
    if target_file:
        args.append(target_file)
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    if target_file is None:
        p.stdin.write(json.dumps({"targets": targets}) + "\n")
        p.stdin.flush()
    start = json.loads(p.stdout.readline())
    if start.get("type") != "start":
        raise RuntimeError(f"miter refused: {start}")
    vocab = start["vocabulary"]
    steps = 0
    while True:
        line = p.stdout.readline()
        if not line:
            raise RuntimeError("miter ended early")
        msg = json.loads(line)
        if msg["type"] == "done":
            p.stdin.close()
            p.wait()
            return msg, steps
        if msg["type"] == "error":
            raise RuntimeError(msg["message"])
        legal = msg["legal"]
        # Dummy model: random scores, leaves preferred (short circuits).
        scores = [rng.random() + (1.0 if name not in ("AND", "NAND") else 0.0) for name in vocab]
        if steps % 2 == 0:
            reply = {"scores": scores}
        else:
            reply = {"token": max(legal, key=lambda t: scores[t])}
        p.stdin.write(json.dumps(reply) + "\n")
        p.stdin.flush()
        steps += 1


if __name__ == "__main__":
    miter = sys.argv[1] if len(sys.argv) > 1 else ".build/release/miter"
    # Two 4-input targets: a 4-input AND and a parity (hex, minterm 15 first).
    done, steps = decode(miter, targets=["8000", "6996"], seed=1)
    print(f"decoded in {steps} steps: {done['ands']} ANDs, depth {done['depth']}, verified {done['verified']}")
    print(done["aag"], end="")
