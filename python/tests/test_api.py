"""The Python API through `miter serve` gives the CLI's own answers."""
import json
import os
import threading

import numpy as np
import pytest

import miter
from conftest import cli, strip_times

I2C, OPT, BUG = "Circuits/i2c.aig", "Circuits/i2c_opt.aig", "Circuits/i2c_bug.aig"


def test_check_equivalent_matches_cli(worker):
    r = miter.check(I2C, OPT, worker=worker)
    ref = cli("check", "--json", I2C, OPT)
    assert ref.exit_code == 0 and r.exit_code == 0
    assert r.verdict == "equivalent" and r.equivalent and not r.undecided
    assert r.counterexample is None
    assert strip_times(r.raw) == strip_times(ref.json)
    assert r.stats["inputs"] == 147


def test_check_not_equivalent_counterexample(worker):
    r = miter.check(I2C, BUG, worker=worker)
    ref = cli("check", "--json", I2C, BUG)
    assert ref.exit_code == 1 and r.exit_code == 1
    assert r.verdict == "not_equivalent" and not r.equivalent
    assert strip_times(r.raw) == strip_times(ref.json)
    cex = r.counterexample
    assert cex.differing_outputs == ["po007"]
    assert cex.inputs["pi000"] == 1 and cex.inputs["pi001"] == 0
    assert cex.first_bits.dtype == np.uint8 and len(cex.first_bits) == 147
    # The counterexample replays: the two circuits differ on it.
    a = miter.sim(I2C, [cex.vector_first], worker=worker)["results"][0]["outputs"]
    b = miter.sim(BUG, [cex.vector_second], worker=worker)["results"][0]["outputs"]
    assert a != b


def test_check_undecided_is_a_result(worker):
    r = miter.check(I2C, OPT, timeout=1e-9, worker=worker)
    assert isinstance(r, miter.Undecided) and r.exit_code == 3
    assert r.verdict == "undecided" and r.reason == "timeout" and r.open_outputs
    assert cli("check", "--timeout", "0.000000001", I2C, OPT).exit_code == 3


def test_check_generated_texts_match_cli(worker, random_set, tmp_path):
    _, rows = random_set
    by_name = {r["name"]: r["aag"] for r in rows}
    for a, b, verdict in [("c000003", "c000003_v2", "equivalent"), ("c000005", "c000005_m1", "not_equivalent"),
                          ("c000011_v1", "c000011_v3", "equivalent"), ("c000020", "c000021", "not_equivalent")]:
        r = miter.check(by_name[a], by_name[b], worker=worker)
        r2 = miter.check((a + ".aag", by_name[a]), (b + ".aag", by_name[b]), worker=worker)
        pa, pb = tmp_path / (a + ".aag"), tmp_path / (b + ".aag")
        pa.write_text(by_name[a]); pb.write_text(by_name[b])
        ref = cli("check", "--json", pa, pb)
        assert r.verdict == r2.verdict == verdict == ref.json["verdict"]
        assert r.exit_code == ref.exit_code
        if r.counterexample:
            assert r.counterexample.raw == ref.json["counterexample"]


def test_check_options_map_to_flags(worker):
    assert miter.options_argv({"timeout": 5, "match": "names", "allow_extra_inputs": True, "by_name": False,
                               "vector": ["00", "11"], "bdd_nodes": 0}) == \
        ["--timeout", "5", "--match", "names", "--allow-extra-inputs", "--vector", "00", "--vector", "11", "--bdd-nodes", "0"]
    r = miter.check(I2C, BUG, bdd_nodes=0, worker=worker)
    assert r.verdict == "not_equivalent" and r.decided_by != "BDD"


def test_hash_matches_cli(worker):
    files = [I2C, "Verilog/i2c.v", OPT, BUG, "Circuits/c17.bench", "Circuits/s27.bench"]
    rows = miter.hash(files, worker=worker)
    assert rows == cli("hash", "--json", *files).json
    assert rows[0]["hash"] == rows[1]["hash"] == rows[2]["hash"] != rows[3]["hash"]
    assert miter.hash(files, bdd_nodes=0, worker=worker) == cli("hash", "--json", "--bdd-nodes", "0", *files).json
    single = miter.hash("Circuits/aiger-examples/halfadder.aag", outputs=True, worker=worker)
    assert single == cli("hash", "--json", "--outputs", "Circuits/aiger-examples/halfadder.aag").json[0]
    assert miter.bucket_key(single).endswith("/" + single["hash"])


def test_hash_of_text_equals_hash_of_file(worker, random_set):
    path, rows = random_set
    texts = [r["aag"] for r in rows[:30]]
    by_text = miter.hash(texts, worker=worker)
    assert [h["hash"] for h in by_text] == [h["hash"] for h in miter.hash([(r["name"], r["aag"]) for r in rows[:30]], worker=worker)]
    # Same function class <=> same hash (exact at 8 inputs).
    for a, ra in zip(by_text, rows):
        for b, rb in zip(by_text, rows[:30]):
            assert (a["hash"] == b["hash"]) == (ra["function_class"] == rb["function_class"])


def test_stats_matches_cli(worker):
    files = [I2C, "Verilog/i2c.v", OPT, "Circuits/c17.bench", "Circuits/adder2.blif", "Circuits/s27.bench"]
    assert miter.stats(files, worker=worker) == cli("stats", "--json", *files).json
    assert miter.stats("Circuits/c17.bench", worker=worker)["ands"] == 6


def test_dedup_matches_cli(worker, random_set):
    path, rows = random_set
    d = miter.dedup(rows, worker=worker)
    ref = cli("dedup", "--json", "-", stdin=open(path).read())
    assert ref.exit_code == 0 and d.exit_code == 0
    ref_classes = ref.json["classes"]
    assert [c.as_dict() for c in d.classes] == [dict((k, c[k]) for k in ("class", "size", "representative", "members"))
                                                for c in ref_classes]
    assert d.summary["classes"] == ref.json["summary"]["classes"] == len(d)
    # Ground truth: classes are the function classes of `miter random`.
    truth = {}
    for r in rows:
        truth.setdefault(r["function_class"], set()).add(r["name"])
    assert d.partition() == {frozenset(s) for s in truth.values()}
    assert d.labels.shape == (len(rows),) and (d.labels >= 0).all()
    assert miter.dedup(path, worker=worker).partition() == d.partition()
    # Bare texts, and paths mixed with texts, keep the input order.
    bare = miter.dedup([r["aag"] for r in rows], worker=worker)
    assert (bare.labels == d.labels).all()


def test_dedup_paths_and_mixed(worker, tmp_path):
    files = [I2C, OPT, BUG, "Verilog/i2c.v"]
    d = miter.dedup(files, worker=worker)
    ref = cli("dedup", "--json", *files).json
    assert [c.members for c in d.classes] == [c["members"] for c in ref["classes"]]
    assert list(d.labels) == [0, 0, 1, 0]
    text = open("Circuits/aiger-examples/halfadder.aag").read()
    mixed = miter.dedup([I2C, ("ha", text), BUG, OPT, "Circuits/aiger-examples/halfadder.aag"], worker=worker)
    assert list(mixed.labels) == [0, 1, 2, 0, 1]
    assert mixed.classes[1].members == ["ha", "Circuits/aiger-examples/halfadder.aag"]


def test_pairs_match_cli(worker, random_set, tmp_path):
    path, rows = random_set
    opts = ["--max-pairs", "60", "--balance", "--seed", "3"]
    ref = cli("pairs", "--json", *opts, "--jsonl", tmp_path / "ref.jsonl", "--tensors", tmp_path / "ref.npz",
              stdin=open(path).read())
    assert ref.exit_code == 0, ref.stderr
    got = miter.pairs(rows, jsonl=tmp_path / "py.jsonl", tensors=tmp_path / "py.npz", max_pairs=60, balance=True,
                      seed=3, worker=worker)
    assert got["exit_code"] == 0
    def summary(x):
        return strip_times({k: v for k, v in x.items() if k not in ("exit_code", "jsonl", "tensors")})
    assert summary(got) == summary(ref.json)
    a = [strip_times(json.loads(l)) for l in open(tmp_path / "py.jsonl")]
    b = [strip_times(json.loads(l)) for l in open(tmp_path / "ref.jsonl")]
    assert a == b and len(a) == 60
    with np.load(tmp_path / "py.npz") as x, np.load(tmp_path / "ref.npz") as y:
        assert sorted(x.files) == sorted(y.files)
        for k in x.files:
            assert np.array_equal(x[k], y[k]), k


def test_errors_raise_miter_error_with_location(worker, tmp_path):
    bad = "aag 1 1 0 1 0\n2\n4\n"
    with pytest.raises(miter.MiterError) as e:
        miter.stats(("bad.aag", bad), worker=worker)
    assert (e.value.file, e.value.line, e.value.column) == ("bad.aag", 3, 1)
    assert "exceeds" in e.value.message and e.value.text.startswith("bad.aag:3:1:")
    p = tmp_path / "bad.aag"
    p.write_text(bad)
    ref = cli("check", "--json", p, p)
    with pytest.raises(miter.MiterError) as e2:
        miter.check(str(p), str(p), worker=worker)
    assert ref.exit_code == 2 and e2.value.result == ref.json
    assert e2.value.file == str(p) and e2.value.line == 3
    with pytest.raises(miter.MiterError) as e3:
        miter.check(I2C, OPT, bogus_option=1, worker=worker)
    assert "bogus-option" in e3.value.message and e3.value.file is None
    with pytest.raises(miter.MiterError):
        miter.check(I2C, "/nonexistent.aig", worker=worker)
    # The worker survives errors.
    assert miter.check(I2C, OPT, worker=worker).equivalent


def test_worker_restarts_after_death_and_is_thread_safe():
    with miter.Worker() as w:
        assert miter.check(I2C, OPT, worker=w).equivalent
        pid = w.pid
        os.kill(pid, 9)
        import time
        time.sleep(0.2)
        assert miter.check(I2C, BUG, worker=w).verdict == "not_equivalent"
        assert w.pid != pid and w.restarts >= 1
        results, errors = [], []

        def work(k):
            try:
                for j in range(15):
                    r = miter.check(I2C, BUG if (k + j) % 2 else OPT, worker=w)
                    results.append((r.verdict == "equivalent") == ((k + j) % 2 == 0))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors and len(results) == 90 and all(results)
    assert w.pid is None


def test_binary_aiger_bytes(worker):
    data = open("Circuits/aiger-examples/mult2.aig", "rb").read()
    assert miter.stats(data, worker=worker)["ands"] == cli("stats", "--json", "Circuits/aiger-examples/mult2.aig").json[0]["ands"]
    assert miter.check(data, "Circuits/aiger-examples/mult2.aig", worker=worker).equivalent


def test_module_level_default_worker():
    assert miter.check("Circuits/c17.bench", "Verilog/c17.v").equivalent
    assert miter.default_worker() is miter.default_worker()


def test_sim_decode_certify(worker, tmp_path):
    s = miter.sim("Circuits/aiger-examples/halfadder.aag", np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), worker=worker)
    assert [r["outputs"] for r in s["results"]] == ["00", "10", "10", "01"]
    assert s == cli("sim", "--json", "Circuits/aiger-examples/halfadder.aag", *sum((["--vector", v] for v in ["00", "01", "10", "11"]), [])).json
    d = miter.decode("Circuits/c17.bench", worker=worker)
    assert d["verified"] and d["aag"].startswith("aag ")
    assert miter.check("Circuits/c17.bench", d["aag"], worker=worker).equivalent
    cert = tmp_path / "cert.txt"
    assert miter.check("Circuits/c17.bench", "Verilog/c17.v", certify=str(cert), worker=worker).equivalent
    c = miter.certify_check(str(cert), worker=worker)
    assert c["result"] == "holds" and c["claim"] == "equivalent"


def test_random_circuits(worker):
    rows = miter.random_circuits(count=3, variants=1, inputs=5, ands=10, seed=2, worker=worker)
    assert [r["name"] for r in rows] == ["c000000", "c000000_v1", "c000001", "c000001_v1", "c000002", "c000002_v1"]
    assert rows == cli("random", "--count", 3, "--variants", 1, "--inputs", 5, "--ands", 10, "--seed", 2, "--jsonl", "-").jsonl()


def test_worker_follows_chdir(tmp_path):
    (tmp_path / "x.aag").write_text("aag 1 1 0 1 0\n2\n3\n")
    here = os.getcwd()
    with miter.Worker() as w:
        assert miter.stats("Circuits/c17.bench", worker=w)["ands"] == 6
        os.chdir(tmp_path)
        try:
            assert miter.stats("x.aag", worker=w)["inputs"] == 1
        finally:
            os.chdir(here)
        assert miter.stats("Circuits/c17.bench", worker=w)["ands"] == 6


def test_decoding_batch_client():
    try:
        from miter import decoding
    except ImportError as e:
        print(f"SKIP miter.decoding: {e}")
        pytest.skip(str(e))
    import random
    rng = random.Random(0)
    with decoding.BatchDecoder() as dec:
        ids = dec.open([{"tt": ["8"]}, {"aag": open("Circuits/aiger-examples/halfadder.aag").read()}])
        live = list(ids)
        for _ in range(500):
            if not live:
                break
            dec.step(live, tokens=[rng.choice(decoding.legal_ids(dec.views[i], dec.vocab)) for i in live])
            live = [i for i in live if not dec.views[i]["done"]]
        assert not live
