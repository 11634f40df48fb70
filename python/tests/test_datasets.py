"""Pairs exports as numpy, PyTorch Geometric and HuggingFace datasets."""
import numpy as np
import pytest

import miter
from miter import datasets as D


def bits(v):
    return np.array([int(c) for c in v] if isinstance(v, str) else [int(b) for b in v], dtype=bool)


def simulate(node_type, edge_index, inverted, vector):
    """Output values of one graph (local indices) on one input vector."""
    val = np.zeros(len(node_type), dtype=bool)
    val[node_type == 1] = vector
    fanin = {}
    for s, d, i in zip(edge_index[0], edge_index[1], inverted):
        fanin.setdefault(int(d), []).append((int(s), bool(i)))
    for n in range(len(node_type)):
        if node_type[n] in (2, 3):
            val[n] = all(val[s] ^ i for s, i in fanin[n])
    return val[node_type == 3]


@pytest.fixture(scope="module")
def export(tmp_path_factory, random_set):
    d = tmp_path_factory.mktemp("pairs")
    _, rows = random_set
    r = miter.pairs(rows, jsonl=d / "p.jsonl", tensors=d / "p.npz", max_pairs=80, balance=True, seed=5)
    miter.pairs(rows, tensors=d / "p.safetensors", max_pairs=80, balance=True, seed=5)
    assert r["pairs"] == 80
    return d


def test_numpy_pairs_replay_counterexamples(export):
    rows = D.load_rows(export / "p.jsonl")
    a, b = D.load_tensors(export / "p.npz"), D.load_tensors(export / "p.safetensors")
    for k in ("node_type", "edge_index", "edge_inverted", "pair_index", "labels"):
        assert np.array_equal(a[k], b[k])
    rng = np.random.default_rng(0)
    for p, row in zip(D.iter_pairs(export / "p.npz", export / "p.jsonl"), rows):
        ga, gb = p["a"], p["b"]
        assert p["label"] == row["label"] and p["a_name"] == row["a_name"]
        assert ga["edge_index"].min() >= 0 and ga["edge_index"].max() < len(ga["node_type"])
        if p["label"] == 0:
            oa = simulate(ga["node_type"], ga["edge_index"], ga["edge_inverted"], bits(row["cex_inputs_a"]))
            ob = simulate(gb["node_type"], gb["edge_index"], gb["edge_inverted"], bits(row["cex_inputs_b"]))
            assert (oa != ob).any()
        else:
            v = rng.integers(0, 2, ga["inputs"]).astype(bool)
            assert (simulate(ga["node_type"], ga["edge_index"], ga["edge_inverted"], v) ==
                    simulate(gb["node_type"], gb["edge_index"], gb["edge_inverted"], v)).all()


def test_pyg_dataset_batches_pairs(export):
    try:
        import torch
        import torch_geometric  # noqa: F401
    except ImportError as e:
        print(f"SKIP PyG dataset: {e}")
        pytest.skip(f"torch_geometric not installed: {e}")
    from miter.datasets import PairDataset
    ds = PairDataset(str(export / "p.npz"), str(export / "p.jsonl"))
    assert len(ds) == 80
    item = ds[3]
    assert item.x_a.shape[1] == 4 and item.edge_attr_a.shape == (item.edge_index_a.shape[1], 1)
    assert int(item.edge_index_a.max()) < item.x_a.shape[0] and int(item.edge_index_b.max()) < item.x_b.shape[0]
    batch = next(iter(ds.loader(batch_size=16, shuffle=False)))
    assert batch.y.shape == (16,) and batch.num_graphs == 16
    assert int(batch.x_a_batch.max()) == 15 and int(batch.x_b_batch.max()) == 15
    # Edges of pair i point into pair i's own nodes on both sides (correct __inc__).
    for side in ("a", "b"):
        ei, gb = getattr(batch, f"edge_index_{side}"), getattr(batch, f"x_{side}_batch")
        assert bool((gb[ei[0]] == gb[ei[1]]).all())
        x = getattr(batch, f"x_{side}")
        assert int(ei.max()) < x.shape[0]
    # Pair 5 of the batch is item 5: same graph after un-batching.
    one = ds[5]
    sel = (batch.x_a_batch == 5).nonzero().view(-1)
    assert torch.equal(batch.x_a[sel], one.x_a)
    mask = batch.x_a_batch[batch.edge_index_a[0]] == 5
    assert torch.equal(batch.edge_index_a[:, mask] - sel.min(), one.edge_index_a)
    assert batch.a_name[5] == one.a_name
    # Safetensors give the same dataset.
    ds2 = PairDataset(str(export / "p.safetensors"))
    assert torch.equal(ds2[7].x_b, ds[7].x_b) and torch.equal(ds2[7].y, ds[7].y)


def test_hf_datasets_recipe(export):
    try:
        import datasets
    except ImportError as e:
        print(f"SKIP HF datasets recipe: {e}")
        pytest.skip(f"datasets not installed: {e}")
    h = D.hf_dataset(str(export / "p.npz"), str(export / "p.jsonl"))
    assert h.num_rows == 80 and sum(h["label"]) == 40
    row = h[0]
    assert len(row["a_edge_index"]) == 2 and len(row["a_edge_index"][0]) == len(row["a_edge_inverted"])
    # The JSONL alone loads with load_dataset("json").
    j = datasets.load_dataset("json", data_files=str(export / "p.jsonl"), split="train",
                              cache_dir=str(export / "hf-cache"))
    assert j.num_rows == 80 and j[0]["a_name"] == row["a_name"]
