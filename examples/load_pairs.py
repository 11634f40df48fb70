#!/usr/bin/env python3
"""Load the output of `miter pairs` with numpy alone (pandas optional).

    python3 examples/load_pairs.py pairs.jsonl pairs.npz   # or pairs.safetensors

Checks the files against each other: every row's graphs (a_graph, b_graph) are the
tensors' pair_index row and name the row's circuits in graph_names; every
non-equivalent pair's counterexample (lists of 0/1), simulated on the two graphs of
the tensor file, gives different outputs; every equivalent pair gives equal outputs
on 256 random input vectors.

With pandas installed the JSONL is read by `pandas.read_json(path, lines=True)` with
its defaults (bit vectors are JSON lists, so no column is mistaken for numbers).
"""
import json
import struct
import sys

import numpy as np


def load_jsonl(path):
    try:
        import pandas as pd  # optional
        return pd.read_json(path, lines=True).to_dict("records")
    except ImportError:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]


def load_tensors(path):
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    with open(path, "rb") as f:  # safetensors: u64 header length, JSON header, data
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"U8": np.uint8, "I8": np.int8, "I64": np.int64}
    out = {}
    # Safetensors holds numbers only: the graph names are JSON text in the metadata.
    names = header.get("__metadata__", {}).get("graph_names")
    if names is not None:
        out["graph_names"] = np.array(json.loads(names), dtype=str)
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dtypes[t["dtype"]]).reshape(t["shape"])
    return out


def simulate(t, g, vectors):
    """Output values of graph g for input vectors (bool array [V, inputs])."""
    lo, hi = t["node_offsets"][g], t["node_offsets"][g + 1]
    elo, ehi = t["edge_offsets"][g], t["edge_offsets"][g + 1]
    types = t["node_type"][lo:hi]
    vals = np.zeros((hi - lo, vectors.shape[0]), dtype=bool)
    vals[types == 1] = vectors.T
    src = t["edge_index"][0, elo:ehi] - lo
    dst = t["edge_index"][1, elo:ehi] - lo
    inv = t["edge_inverted"][elo:ehi].astype(bool)
    # Nodes are in topological order: constant, inputs, ANDs, outputs.
    fanin = {}
    for s, d, i in zip(src, dst, inv):
        fanin.setdefault(d, []).append((s, i))
    for node in range(hi - lo):
        if types[node] == 2:
            (s0, i0), (s1, i1) = fanin[node]
            vals[node] = (vals[s0] ^ i0) & (vals[s1] ^ i1)
        elif types[node] == 3:
            (s0, i0), = fanin[node]
            vals[node] = vals[s0] ^ i0
    return vals[types == 3].T


def main(jsonl_path, tensor_path):
    rows = load_jsonl(jsonl_path)
    t = load_tensors(tensor_path)
    labels, pairs = t["labels"], t["pair_index"]
    assert len(rows) == len(labels) == len(pairs), (len(rows), len(labels), len(pairs))
    rng = np.random.default_rng(0)
    names = t["graph_names"]
    assert len(names) == len(t["graph_inputs"])
    for k, row in enumerate(rows):
        assert int(row["label"]) == int(labels[k])
        assert row["verdict"] == ("equivalent" if labels[k] == 1 else "not_equivalent")
        ga, gb = int(row["a_graph"]), int(row["b_graph"])
        assert (ga, gb) == tuple(int(g) for g in pairs[k]), f"pair {k}: graphs differ from pair_index"
        assert names[ga] == row["a_name"] and names[gb] == row["b_name"], f"pair {k}: graph_names do not match"
        if labels[k] == 0:
            va = np.array([row["cex_inputs_a"]], dtype=np.int64).astype(bool)
            vb = np.array([row["cex_inputs_b"]], dtype=np.int64).astype(bool)
            assert va.shape[1] == int(t["graph_inputs"][ga]), f"pair {k}: counterexample length"
            assert (simulate(t, ga, va) != simulate(t, gb, vb)).any(), f"pair {k}: counterexample does not separate"
        else:
            v = rng.integers(0, 2, size=(256, int(t["graph_inputs"][ga]))).astype(bool)
            assert (simulate(t, ga, v) == simulate(t, gb, v)).all(), f"pair {k}: equivalent pair differs"
    print(f"ok: {len(rows)} pairs ({int(labels.sum())} equivalent), {len(t['graph_inputs'])} graphs, "
          f"{len(t['node_type'])} nodes, {t['edge_index'].shape[1]} edges")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
