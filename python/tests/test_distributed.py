"""miter.distributed.dedup on a LocalCluster(n_workers=2) equals one `miter dedup` run."""
import json

import pytest

import miter
from conftest import cli

distributed = pytest.importorskip("distributed", reason="dask[distributed] not installed")
pytest.importorskip("dask.dataframe", reason="dask[dataframe] (pandas, pyarrow) not installed")
import miter.distributed as md  # noqa: E402


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def ref_classes(report):
    return [(c["representative"], c["members"]) for c in report["classes"]]


def test_dask_dedup_equals_miter_dedup_on_20000_circuits(client, tmp_path):
    path = tmp_path / "set.jsonl"
    r = cli("random", "--inputs", 8, "--outputs", 2, "--ands", 50, "--count", 2000, "--variants", 5, "--mutants", 4,
            "--seed", 11, "--jsonl", path)
    assert r.exit_code == 0
    ref = cli("dedup", "--json", "-", stdin=open(path).read()).json
    got = md.dedup(str(path), client=client, partitions=5, shard_size=3000)
    assert got.summary["circuits"] == 20000 and got.summary["shards"] > 1
    assert [(c.representative, c.members) for c in got.classes] == ref_classes(ref)
    assert [c.id for c in got.classes] == list(range(len(got.classes)))
    for k in ("circuits", "classes", "buckets", "collisions", "refutations", "comparisons", "undecided"):
        assert got.summary[k] == ref["summary"][k], k
    assert got.undecided_pairs == [] and got.exit_code == 0
    # Input positions: labels agree with the classes, and with `miter random`'s ground truth.
    rows = [json.loads(l) for l in open(path)]
    assert len(got.labels) == 20000
    fc = {}
    for lab, row in zip(got.labels, rows):
        assert fc.setdefault(int(lab), row["function_class"]) == row["function_class"]
    assert len(fc) == len(set(r["function_class"] for r in rows))


def test_dask_dedup_of_items_and_paths(client):
    items = [("i2c", open("Circuits/i2c.aig", "rb").read()), "Circuits/i2c_opt.aig", "Circuits/i2c_bug.aig",
             "Verilog/i2c.v", ("ha", open("Circuits/aiger-examples/halfadder.aag").read())]
    got = md.dedup(items, client=client, partitions=3, shard_size=2)
    assert list(got.labels) == [0, 0, 1, 0, 2]
    assert got.classes[0].members == ["i2c", "Circuits/i2c_opt.aig", "Verilog/i2c.v"]


def test_dask_dedup_by_name_matches_cli(client, random_set):
    path, _ = random_set
    ref = cli("dedup", "--json", "--match", "names", "--keep", "first", str(path)).json
    got = md.dedup(str(path), client=client, partitions=3, shard_size=50, match="names", keep="first")
    assert got.summary["shards"] > 1
    assert [(c.representative, c.members) for c in got.classes] == ref_classes(ref)


def test_dask_dedup_reports_undecided_pairs_never_merged(client, tmp_path):
    files = ["Circuits/i2c.aig", "Circuits/i2c_opt.aig", "Verilog/i2c.v", "Circuits/c17.bench", "Verilog/c17.v"]
    ref = cli("dedup", "--json", "--timeout", "0.000000001", *files)
    got = md.dedup(files, client=client, partitions=2, shard_size=2, timeout=1e-9)
    assert ref.exit_code == 3 and got.exit_code == 3 and got.undecided
    assert [(c.representative, c.members) for c in got.classes] == ref_classes(ref.json)
    assert [(p["a"], p["b"], p["reason"]) for p in got.undecided_pairs] == \
        [(p["a"], p["b"], p["reason"]) for p in ref.json["undecided_pairs"]]
