"""Pair sets of `miter pairs` for machine learning: numpy loaders, a PyTorch Geometric dataset
and a HuggingFace `datasets` recipe.

Tensor layout (`--tensors FILE.npz` or `FILE.safetensors`, see Sources/Equivalence/PairsExport.swift):
graph g owns nodes node_offsets[g]:node_offsets[g+1] (constant, inputs, ANDs, one node per
output: local index = AIGER variable) and edges edge_offsets[g]:edge_offsets[g+1] of
edge_index [2, E] (global indices, fanin -> node) with edge_inverted [E]; pair_index [P, 2]
gives each pair's graphs and labels [P] its label (1 equivalent, 0 not).

    from miter.datasets import PairDataset
    from torch_geometric.loader import DataLoader
    ds = PairDataset("pairs.npz", "pairs.jsonl")
    for batch in DataLoader(ds, batch_size=32, follow_batch=["x_a", "x_b"]):
        batch.x_a, batch.edge_index_a, batch.x_a_batch, batch.y ...
"""
from __future__ import annotations

import json
import os
import struct
from typing import Any, Dict, Iterator, List, Optional

import numpy as np

NODE_TYPES = ("const", "input", "and", "output")


def load_tensors(path: str) -> Dict[str, np.ndarray]:
    """The arrays of a pairs tensor file (.npz without pickle, or .safetensors) as numpy.
    A safetensors header's "__metadata__" entries that hold JSON lists (e.g. graph_names)
    are returned decoded."""
    path = os.fspath(path)
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32, "I64": np.int64,
              "U16": np.uint16, "U32": np.uint32, "U64": np.uint64, "F32": np.float32, "F64": np.float64, "BOOL": np.bool_}
    out: Dict[str, Any] = {}
    for name, t in header.items():
        if name == "__metadata__":
            for k, v in (t or {}).items():
                if isinstance(v, str) and v[:1] == "[":
                    try:
                        out[k] = np.array(json.loads(v))
                    except ValueError:
                        pass
            continue
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dtypes[t["dtype"]]).reshape(t["shape"])
    return out


def load_rows(jsonl: str) -> List[dict]:
    """The JSONL rows of `miter pairs --jsonl` (pandas not needed)."""
    with open(os.fspath(jsonl)) as f:
        return [json.loads(line) for line in f if line.strip()]


def graph_arrays(t: Dict[str, np.ndarray], g: int) -> Dict[str, np.ndarray]:
    """Graph g with local indices: node_type [n] u8, edge_index [2, e] i64 (re-based to the
    graph), edge_inverted [e] u8, and its input/output/AND counts."""
    lo, hi = int(t["node_offsets"][g]), int(t["node_offsets"][g + 1])
    elo, ehi = int(t["edge_offsets"][g]), int(t["edge_offsets"][g + 1])
    return {
        "node_type": t["node_type"][lo:hi],
        "edge_index": t["edge_index"][:, elo:ehi] - lo,
        "edge_inverted": t["edge_inverted"][elo:ehi],
        "inputs": int(t["graph_inputs"][g]), "outputs": int(t["graph_outputs"][g]), "ands": int(t["graph_ands"][g]),
    }


def iter_pairs(tensors: str, jsonl: Optional[str] = None) -> Iterator[dict]:
    """Each pair as plain Python/numpy: {"label", "a": graph_arrays, "b": graph_arrays, and the
    JSONL row's names and status when `jsonl` is given}."""
    t = load_tensors(tensors)
    rows = load_rows(jsonl) if jsonl else None
    if rows is not None and len(rows) != len(t["labels"]):
        raise ValueError(f"{jsonl} has {len(rows)} rows but {tensors} {len(t['labels'])} pairs")
    for k, (ga, gb) in enumerate(t["pair_index"]):
        item = {"index": k, "label": int(t["labels"][k]), "a": graph_arrays(t, int(ga)), "b": graph_arrays(t, int(gb)),
                "a_graph": int(ga), "b_graph": int(gb)}
        if "graph_names" in t:
            item.update(a_graph_name=str(t["graph_names"][ga]), b_graph_name=str(t["graph_names"][gb]))
        if rows is not None:
            r = rows[k]
            item.update(a_name=r.get("a_name"), b_name=r.get("b_name"), status=r.get("status"))
        yield item


def hf_dataset(tensors: str, jsonl: Optional[str] = None):
    """A HuggingFace `datasets.Dataset`, one row per pair: label, the two graphs as lists
    (a_node_type, a_edge_index [2][e], a_edge_inverted, b_...), names and status with `jsonl`.

    The JSONL file alone also loads directly: datasets.load_dataset("json", data_files="pairs.jsonl")."""
    import datasets

    def rows():
        for p in iter_pairs(tensors, jsonl):
            r = {"label": p["label"], "a_graph": p["a_graph"], "b_graph": p["b_graph"]}
            for side in ("a", "b"):
                g = p[side]
                r[f"{side}_node_type"] = g["node_type"].astype(np.int64).tolist()
                r[f"{side}_edge_index"] = g["edge_index"].tolist()
                r[f"{side}_edge_inverted"] = g["edge_inverted"].astype(np.int64).tolist()
            if jsonl:
                r.update(a_name=p["a_name"], b_name=p["b_name"], status=p["status"])
            yield r

    return datasets.Dataset.from_list(list(rows()))


def _torch_classes():
    import torch
    from torch_geometric.data import Data, InMemoryDataset

    class PairData(Data):
        """Two graphs and a label: x_a/edge_index_a/edge_attr_a and x_b/edge_index_b/edge_attr_b.
        Batching offsets each edge_index by its own graph's node count (batch with
        follow_batch=["x_a", "x_b"] for x_a_batch / x_b_batch)."""

        def __inc__(self, key, value, *args, **kwargs):
            if key == "edge_index_a":
                return self.x_a.size(0)
            if key == "edge_index_b":
                return self.x_b.size(0)
            return super().__inc__(key, value, *args, **kwargs)

        def __cat_dim__(self, key, value, *args, **kwargs):
            if key in ("edge_index_a", "edge_index_b"):
                return 1
            return super().__cat_dim__(key, value, *args, **kwargs)

        @property
        def num_nodes(self):
            xa, xb = self.get("x_a"), self.get("x_b")
            if xa is not None and xb is not None:
                return int(xa.size(0) + xb.size(0))
            return super().num_nodes

        @num_nodes.setter
        def num_nodes(self, n):  # pragma: no cover - PyG sets it on some paths
            Data.num_nodes.fset(self, n)

    def to_graph(g):
        nt = torch.from_numpy(np.ascontiguousarray(g["node_type"]).astype(np.int64))
        x = torch.nn.functional.one_hot(nt, num_classes=len(NODE_TYPES)).to(torch.float32)
        ei = torch.from_numpy(np.ascontiguousarray(g["edge_index"]).astype(np.int64))
        ea = torch.from_numpy(np.ascontiguousarray(g["edge_inverted"]).astype(np.float32)).view(-1, 1)
        return x, ei, ea

    class PairDataset(InMemoryDataset):
        """The pairs of a `miter pairs` export as PyTorch Geometric PairData: x_* = one-hot node
        types (const, input, and, output), edge_index_* re-based per graph, edge_attr_* =
        inversion (1.0 complemented), y = label (1 equivalent); with `jsonl`, a_name/b_name too."""

        def __init__(self, tensors: str, jsonl: Optional[str] = None, transform=None, pre_transform=None,
                     pre_filter=None):
            super().__init__(None, transform, pre_transform, pre_filter)
            items = []
            for p in iter_pairs(tensors, jsonl):
                xa, eia, eaa = to_graph(p["a"])
                xb, eib, eab = to_graph(p["b"])
                d = PairData(x_a=xa, edge_index_a=eia, edge_attr_a=eaa, x_b=xb, edge_index_b=eib, edge_attr_b=eab,
                             y=torch.tensor([p["label"]], dtype=torch.long),
                             pair=torch.tensor([[p["a_graph"], p["b_graph"]]], dtype=torch.long))
                if jsonl:
                    d.a_name, d.b_name = p["a_name"], p["b_name"]
                if pre_filter is not None and not pre_filter(d):
                    continue
                if pre_transform is not None:
                    d = pre_transform(d)
                items.append(d)
            self._data_list_cache = None
            self._data, self.slices = self.collate(items)

        def loader(self, batch_size: int = 32, shuffle: bool = False, **kwargs):
            """A torch_geometric DataLoader that batches pairs (x_a_batch / x_b_batch included)."""
            from torch_geometric.loader import DataLoader
            return DataLoader(self, batch_size=batch_size, shuffle=shuffle, follow_batch=["x_a", "x_b"], **kwargs)

    return PairData, PairDataset


def __getattr__(name):
    if name in ("PairData", "PairDataset"):
        PairData, PairDataset = _torch_classes()
        globals().update(PairData=PairData, PairDataset=PairDataset)
        return globals()[name]
    raise AttributeError(name)
