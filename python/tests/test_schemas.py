"""Every JSON the CLI prints, for each command, validates against python/miter/schemas/*.schema.json
(with the package's own validator; with `jsonschema` too when it is installed)."""
import json
import os

import pytest

import miter
from miter import schema as S
from conftest import cli

try:
    import jsonschema  # noqa: F401
    HAVE_JSONSCHEMA = True
except ImportError:
    HAVE_JSONSCHEMA = False
    print("note: jsonschema not installed: validating with miter.schema's validator only")

I2C, OPT, BUG = "Circuits/i2c.aig", "Circuits/i2c_opt.aig", "Circuits/i2c_bug.aig"
HA = "Circuits/aiger-examples/halfadder.aag"


def check_valid(value, name):
    S.validate(value, name)
    if HAVE_JSONSCHEMA:
        S.validate(value, name, use_jsonschema=True)


def check_command(command, result, exit_code):
    used = S.validate_command_output(command, result, exit_code)
    if HAVE_JSONSCHEMA:
        S.validate_command_output(command, result, exit_code, use_jsonschema=True)
    return used


@pytest.fixture(scope="module")
def cases(tmp_path_factory, random_set):
    """(command, argv) for every command and its main shapes: verdicts, counterexamples,
    registers, certificates, properties, sequential circuits, truth tables, errors."""
    d = tmp_path_factory.mktemp("schemas")
    set_path, _ = random_set
    cert_eq, cert_neq = d / "eq.cert", d / "neq.cert"
    assert cli("check", "--certify", cert_eq, "Circuits/c17.bench", "Verilog/c17.v").exit_code == 0
    assert cli("check", "--certify", cert_neq, I2C, BUG).exit_code == 1
    seq = ["Circuits/sequential/counter.blif", "Circuits/sequential/counter_bug.aag"]
    bad = d / "bad.aag"
    bad.write_text("aag 1 1 0 1 0\n2\n4\n")
    return [
        ("check", ["check", I2C, OPT]),
        ("check", ["check", I2C, BUG]),
        ("check", ["check", "--timeout", "0.000000001", I2C, OPT]),
        ("check", ["check", "Circuits/s27.bench", "Circuits/s27.bench"]),
        ("check", ["check", "--certify", str(d / "c.cert"), "Circuits/c17.bench", "Verilog/c17.v"]),
        ("check", ["check", "--match", "names", "Circuits/aiger-examples/and.aag", "Circuits/c17.bench"]),
        ("check", ["check", str(bad), str(bad)]),
        ("certify-check", ["certify-check", str(cert_eq)]),
        ("certify-check", ["certify-check", str(cert_neq)]),
        ("stats", ["stats", I2C, "Verilog/i2c.v", "Circuits/c17.bench", "Circuits/adder2.blif", "Circuits/s27.bench",
                   "Circuits/aiger-examples/s2cfair.aig", "Circuits/aiger-examples/toggle-re.aag"] + seq),
        ("stats", ["stats", str(bad)]),
        ("sim", ["sim", HA, "--vector", "00", "--vector", "11"]),
        ("sim", ["sim", "Circuits/s27.bench", "--vector", "0000", "--vector", "1111 101"]),
        ("sim", ["sim", HA, "--vector", "011"]),
        ("decode", ["decode", "Circuits/c17.bench", "-o", str(d / "c17.aag")]),
        ("decode", ["decode", "Circuits/c17.bench", "-o", str(d / "c17t.aag"), "--tokens"]),
        ("decode", ["decode", "Circuits/truth-tables/pair4.tt", "-o", str(d / "pair4.aag")]),
        ("hash", ["hash", I2C, BUG, "Circuits/s27.bench", "--outputs"]),
        ("hash", ["hash", "--bdd-nodes", "0", I2C]),
        ("dedup", ["dedup", I2C, OPT, BUG, "Verilog/i2c.v"]),
        ("dedup", ["dedup", "--timeout", "0.000000001", I2C, OPT]),
        ("pairs", ["pairs", "--max-pairs", "20", "--balance", "--jsonl", str(d / "p.jsonl"), "-"]),
    ], set_path, d


def test_every_command_output_validates(cases):
    items, set_path, d = cases
    stdin = open(set_path).read()
    used = set()
    for command, argv in items:
        r = cli(*(argv + ["--json"]), stdin=stdin if argv[-1] == "-" else None)
        assert r.exit_code in (0, 1, 2, 3), (argv, r.stderr)
        assert r.stdout.strip(), (argv, r.stderr)
        name = check_command(command, json.loads(r.stdout), r.exit_code)
        expected_error = argv[-1] == "011" or any("bad.aag" in a for a in argv) or "--match" in argv
        assert (name == "error") == expected_error, (argv, r.stdout[:300])
        used.add(name)
    assert used >= {"check", "certify_check", "stats", "sim", "decode", "hash", "dedup", "pairs", "error"}


def test_serve_answers_validate(cases, worker):
    items, set_path, d = cases
    stdin = open(set_path).read()
    for command, argv in items:
        ans = worker.request(argv, stdin=stdin if argv[-1] == "-" else None)
        check_valid(ans.raw, "serve_answer")
        check_command(command, ans.result, ans.exit_code)
    ans = worker.request(["random", "--count", "2", "--jsonl", "-"])
    check_valid(ans.raw, "serve_answer")
    assert ans.output and ans.result is None
    bad = worker.request(["nonsense-command"])
    check_valid(bad.raw, "serve_answer")
    check_valid(bad.result, "error")


def test_jsonl_lines_validate(cases):
    items, set_path, d = cases
    for row in cli("dedup", "--jsonl", I2C, OPT, BUG).jsonl():
        check_valid(row, "dedup_class")
    for row in [json.loads(l) for l in open(d / "p.jsonl")]:
        check_valid(row, "pair")


def test_validator_rejects_what_it_should():
    good = cli("stats", "--json", "Circuits/c17.bench").json[0]
    S.validate(good, "stats")
    for broken in [dict(good, ands=-1), dict(good, ands="6"), {k: v for k, v in good.items() if k != "file"},
                   dict(good, surprise=1), dict(good, schema="miter.stats.v2")]:
        with pytest.raises(S.ValidationError):
            S.validate(broken, "stats")
    with pytest.raises(S.ValidationError):
        S.validate({"schema": "miter.check.v1", "verdict": "maybe"}, "check")
    # Every schema file is one the mini validator fully understands (no unknown keywords).
    for name in S.names():
        errs = S.errors(None, S.load(name))
        assert all("not supported" not in e.message for e in errs), (name, errs)


def test_progress_frames_validate(random_set):
    set_path, _ = random_set
    runs = [
        ["check", "--progress", "json", "--bdd-nodes", "0", I2C, OPT],
        ["hash", "--progress", "json", str(set_path)],
        ["dedup", "--progress", "json", str(set_path)],
    ]
    for argv in runs:
        r = cli(*argv)
        frames = [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]
        assert frames, (argv, r.stderr[:300])
        for f in frames:
            check_valid(f, "progress")
        assert frames[-1]["done"] == frames[-1]["total"], argv
