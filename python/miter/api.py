"""Module-level functions: each runs one miter command through a Worker (the default one
unless `worker=` is given) and returns a typed result."""
from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._worker import Answer, Worker, default_worker
from .errors import MiterError

Circuit = Union[str, bytes, "os.PathLike[str]", Tuple[str, str], Mapping[str, Any]]

VERDICTS = ("equivalent", "not_equivalent", "undecided")


# ---------------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------------

def is_aiger_text(x: Any) -> bool:
    """True for AIGER file contents (str or bytes starting with 'aag ' or 'aig ')."""
    if isinstance(x, (bytes, bytearray)):
        return bytes(x[:4]) in (b"aag ", b"aig ")
    return isinstance(x, str) and x[:4] in ("aag ", "aig ")


def options_argv(options: Mapping[str, Any]) -> List[str]:
    """Keyword arguments as CLI options: timeout=5 -> --timeout 5, match="names" -> --match names,
    by_name=True -> --by-name (False/None: omitted), vector=["00", "11"] -> --vector 00 --vector 11."""
    out: List[str] = []
    for key, value in options.items():
        flag = "--" + key.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                out += [flag, _fmt(v)]
        else:
            out += [flag, _fmt(value)]
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v)) if v != 0 else "0"
    return os.fspath(v) if isinstance(v, os.PathLike) else str(v)


class _Inputs:
    """Circuits of one request: paths stay paths, ASCII AIGER texts go inline ("files"), binary
    AIGER inline as {"base64": ...}."""

    def __init__(self):
        self.files: Dict[str, Any] = {}
        self._tmp: Optional[str] = None

    def add(self, item: Any, hint: str) -> str:
        name, text = _split_named(item)
        if text is None:
            return name
        if isinstance(text, str) and text[:4] == "aig ":
            text = text.encode("latin-1")
        if isinstance(text, (bytes, bytearray)):
            data = bytes(text)
            if data[:4] == b"aag ":
                value: Any = data.decode("utf-8")
            else:  # binary AIGER travels as base64
                value = {"base64": base64.b64encode(data).decode("ascii")}
            key = name if name is not None else hint + (".aag" if data[:4] == b"aag " else ".aig")
        else:
            value, key = text, (name if name is not None else hint + ".aag")
        base, k = key, 1
        while key in self.files:
            k += 1
            key = f"{base}#{k}"
        self.files[key] = value
        return key

    def _temp_file(self, name: str, data: bytes) -> str:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="miter-py-")
        path = os.path.join(self._tmp, name.replace("/", "_"))
        with open(path, "wb") as f:
            f.write(data)
        return path

    def temp_dir(self) -> str:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="miter-py-")
        return self._tmp

    def cleanup(self):
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _split_named(item: Any) -> Tuple[Optional[str], Any]:
    """(name, text) for a circuit given as text, (name, text) pair or {"name", "aag"} mapping;
    (path, None) for a path."""
    if isinstance(item, Mapping):
        return (str(item["name"]) if item.get("name") is not None else None), item["aag"]
    if isinstance(item, tuple) and len(item) == 2:
        return str(item[0]), item[1]
    if is_aiger_text(item):
        return None, item
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item), None
    raise TypeError(f"a circuit is a path, AIGER text, a (name, aag) pair or a mapping with 'aag'; got {type(item).__name__}")


def _worker(worker: Optional[Worker]) -> Worker:
    return worker if worker is not None else default_worker()


def run(argv: Sequence[str], files: Optional[Mapping[str, str]] = None, stdin: Optional[str] = None,
        worker: Optional[Worker] = None) -> Answer:
    """Any miter command line through the worker; raises MiterError on exit code 2."""
    return _worker(worker).request(list(argv), files=files, stdin=stdin).raise_for_error()


def report_rows(result: Any, *keys: str) -> List[dict]:
    """The per-circuit rows of a report: the JSON array itself, or the list under one of `keys`
    of a typed report object."""
    if isinstance(result, list):
        return result
    if isinstance(result, Mapping):
        for k in keys + ("circuits", "rows", "results", "files", "items"):
            if isinstance(result.get(k), list):
                return result[k]
    raise MiterError(f"unexpected report shape: {str(result)[:200]}")


def normalize_verdict(v: Optional[str]) -> Optional[str]:
    if v is None:
        return None
    return v.strip().replace(" ", "_").replace("-", "_")


# ---------------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------------

class Counterexample:
    """An input vector on which the two circuits differ.

    inputs: {input name: 0/1} (in the first circuit's order); differences: [{"output", "first",
    "second"}]; vector_first / vector_second: the vector in each circuit's input order (0/1
    strings); first_bits / second_bits: the same as numpy uint8 arrays."""

    def __init__(self, raw: Mapping[str, Any]):
        self.raw = dict(raw)
        self.inputs: Dict[str, int] = {k: int(v) for k, v in (raw.get("inputs") or {}).items()}
        self.differences: List[dict] = list(raw.get("differences") or [])
        self.assumed_states: Dict[str, Any] = dict(raw.get("assumed_states") or {})
        self.vector_first: Optional[str] = _bits_str(raw.get("vector_first"))
        self.vector_second: Optional[str] = _bits_str(raw.get("vector_second"))

    @property
    def first_bits(self):
        import numpy as np
        return np.array([c == "1" for c in (self.vector_first or "") if c in "01"], dtype=np.uint8)

    @property
    def second_bits(self):
        import numpy as np
        return np.array([c == "1" for c in (self.vector_second or "") if c in "01"], dtype=np.uint8)

    @property
    def differing_outputs(self) -> List[str]:
        return [str(d.get("output")) for d in self.differences]

    def __repr__(self) -> str:
        return f"Counterexample(differing_outputs={self.differing_outputs}, vector_first={self.vector_first!r})"


def _bits_str(v: Any) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, list):
        return "".join(str(int(b)) for b in v)
    return str(v)


class CheckResult:
    """Result of miter.check: verdict ("equivalent" | "not_equivalent" | "undecided"),
    equivalent (bool), counterexample (Counterexample or None), stats (dict), decided_by,
    exit_code (0/1/3), seconds (time in the worker), raw (the CLI's JSON)."""

    def __init__(self, raw: Mapping[str, Any], exit_code: int, seconds: Optional[float] = None):
        self.raw = dict(raw)
        self.exit_code = exit_code
        self.seconds = seconds
        v = normalize_verdict(raw.get("verdict") or raw.get("result"))
        if v not in VERDICTS:
            v = {0: "equivalent", 1: "not_equivalent", 3: "undecided"}.get(exit_code, v)
        self.verdict: str = v
        self.equivalent: bool = v == "equivalent"
        self.undecided: bool = v == "undecided"
        cex = raw.get("counterexample")
        self.counterexample: Optional[Counterexample] = Counterexample(cex) if isinstance(cex, Mapping) else None
        self.stats: Dict[str, Any] = dict(raw.get("stats") or {})
        self.decided_by: Optional[str] = raw.get("decided_by") or None
        self.reason: Optional[str] = raw.get("reason")
        self.open_outputs: List[str] = list(raw.get("open_outputs") or [])

    def __repr__(self) -> str:
        extra = f", decided_by={self.decided_by!r}" if self.decided_by else ""
        if self.reason:
            extra += f", reason={self.reason!r}"
        return f"{type(self).__name__}(verdict={self.verdict!r}{extra})"


class Undecided(CheckResult):
    """A check that ended without a verdict (exit code 3: timeout, budgets): a result, not an
    error. reason (e.g. "timeout") and open_outputs say what is left."""


def check(a: Circuit, b: Circuit, *, worker: Optional[Worker] = None, **options) -> CheckResult:
    """Are circuits a and b equivalent? a, b: paths or AIGER texts (or (name, aag) pairs).
    Options are miter check's (timeout=5, match="names", bdd_nodes=0, allow_extra_inputs=True, ...).
    Returns CheckResult (Undecided on exit code 3); raises MiterError on errors."""
    inputs = _Inputs()
    try:
        argv = ["check", inputs.add(a, "a"), inputs.add(b, "b")] + options_argv(options)
        ans = run(argv, files=inputs.files, worker=worker)
    finally:
        inputs.cleanup()
    return _check_result(ans)


def _check_result(ans: Answer) -> CheckResult:
    raw = ans.result if isinstance(ans.result, Mapping) else {"output": ans.output}
    cls = Undecided if ans.exit_code == 3 else CheckResult
    return cls(raw, ans.exit_code, ans.seconds)


def certify_check(certificate: str, *, worker: Optional[Worker] = None, **options) -> dict:
    """miter certify-check FILE --json: the report as a dict ("exit_code" added)."""
    ans = run(["certify-check", os.fspath(certificate)] + options_argv(options), worker=worker)
    out = dict(ans.result) if isinstance(ans.result, Mapping) else {"output": ans.output}
    out.setdefault("exit_code", ans.exit_code)
    return out


# ---------------------------------------------------------------------------------------------
# hash, stats, sim, decode
# ---------------------------------------------------------------------------------------------

def _many(circuits: Any) -> Tuple[List[Any], bool]:
    """(items, single): one circuit or an iterable of them."""
    if is_aiger_text(circuits) or isinstance(circuits, (str, os.PathLike, Mapping)) or \
            (isinstance(circuits, tuple) and len(circuits) == 2 and isinstance(circuits[0], str)
             and is_aiger_text(circuits[1])):
        return [circuits], True
    return list(circuits), False


def _per_circuit(command: str, circuits: Any, worker: Optional[Worker], options: Mapping[str, Any],
                 keys: Tuple[str, ...]) -> Union[dict, List[dict]]:
    items, single = _many(circuits)
    if not items:
        return []
    inputs = _Inputs()
    try:
        names = [inputs.add(c, f"circuit{k}") for k, c in enumerate(items)]
        ans = run([command] + names + options_argv(options), files=inputs.files, worker=worker)
    finally:
        inputs.cleanup()
    rows = report_rows(ans.result, *keys)
    return rows[0] if single else rows


def hash(circuits: Any, *, worker: Optional[Worker] = None, **options) -> Union[dict, List[dict]]:
    """Functional hashes: one dict per circuit, as `miter hash --json` prints them (file, hash,
    inputs, outputs, latches, ands, exact, method, patterns; output_hashes with outputs=True).
    One circuit in, one dict out; a list in, a list out. Options: patterns, seed, bdd_nodes,
    by_name, outputs."""
    items, single = _many(circuits)
    if not items:
        return []
    cs = _CircuitSet(items)
    try:
        ans = run(["hash"] + cs.request_argv() + options_argv(options), stdin=cs.stdin, worker=worker)
    finally:
        cs.cleanup()
    rows = report_rows(ans.result, "hashes")
    return rows[0] if single else rows


def bucket_key(row: Mapping[str, Any]) -> str:
    """The dedup bucket of a hash row: "INPUTS/OUTPUTS/LATCHES/HASH" (`miter hash --jsonl`'s "bucket")."""
    if row.get("bucket"):
        return str(row["bucket"])
    return f"{row['inputs']}/{row['outputs']}/{row['latches']}/{row['hash']}"


def stats(circuits: Any, *, worker: Optional[Worker] = None, **options) -> Union[dict, List[dict]]:
    """Inputs, outputs, latches, ANDs and levels: one dict per circuit (`miter stats --json`)."""
    return _per_circuit("stats", circuits, worker, options, ("stats",))


def sim(circuit: Circuit, vectors: Any = None, *, worker: Optional[Worker] = None, **options) -> dict:
    """Simulates input vectors (0/1 strings, or rows of 0/1 numbers / a 2-D numpy array):
    `miter sim --json`'s report (inputs, outputs, latches names; results [{vector, outputs, next}])."""
    vecs: List[str] = []
    if vectors is not None:
        if isinstance(vectors, str):
            vectors = [vectors]
        for v in vectors:
            vecs.append(v if isinstance(v, str) else "".join(str(int(b)) for b in v))
    inputs = _Inputs()
    try:
        argv = ["sim", inputs.add(circuit, "circuit")] + options_argv(dict(options, vector=vecs or None))
        ans = run(argv, files=inputs.files, worker=worker)
    finally:
        inputs.cleanup()
    return ans.result


def decode(target: Circuit, output: Optional[str] = None, *, worker: Optional[Worker] = None, **options) -> dict:
    """The equivalence-preserving decoder (`miter decode TARGET -o OUTPUT --json`). Without
    `output` the result is written to a temporary file and returned as text under "aag"."""
    inputs = _Inputs()
    try:
        out = output if output is not None else os.path.join(inputs.temp_dir(), "decoded.aag")
        argv = ["decode", inputs.add(target, "target"), "-o", os.fspath(out)] + options_argv(options)
        ans = run(argv, files=inputs.files, worker=worker)
        result = dict(ans.result) if isinstance(ans.result, Mapping) else {"output_text": ans.output}
        if output is None and os.path.exists(out):
            with open(out) as f:
                result["aag"] = f.read()
    finally:
        inputs.cleanup()
    return result


# ---------------------------------------------------------------------------------------------
# dedup, pairs
# ---------------------------------------------------------------------------------------------

class _CircuitSet:
    """Circuits for a set command (dedup, pairs): all texts -> one JSONL stream on stdin; all
    paths -> argv; a mix -> texts written to a temporary directory, so that the input order holds.
    `sent[k]` is the name the CLI will report for item k; `names[k]` the caller's name."""

    def __init__(self, items: Iterable[Any], sent_names: str = "user"):
        self.inputs = _Inputs()
        self.argv: List[str] = []
        self.stdin: Optional[str] = None
        self.names: List[str] = []
        self.sent: List[str] = []
        self.raw_args = False
        parsed = []
        for k, item in enumerate(items):
            name, text = _split_named(item)
            if text is not None and isinstance(text, (bytes, bytearray)) and bytes(text[:4]) == b"aag ":
                text = bytes(text).decode("utf-8")
            parsed.append((name if name is not None else str(k), text))
        self.names = [n for n, _ in parsed]
        if any(t is None and os.path.isdir(n) for n, t in parsed):
            # Directories expand inside the CLI: names come back as the CLI reports them.
            self.raw_args = True
            for k, (n, t) in enumerate(parsed):
                self.argv.append(n if t is None else self.inputs._temp_file(f"{k}.aag", _text_bytes(t)))
            return
        unique = len(set(self.names)) == len(self.names)
        texts = [t for _, t in parsed if t is not None]
        if len(texts) == len(parsed) and all(isinstance(t, str) and t[:4] == "aag " for t in texts):
            self.sent = self.names if (unique and sent_names == "user") else [str(k) for k in range(len(parsed))]
            self.stdin = "".join(json.dumps({"name": s, "aag": t}, separators=(",", ":")) + "\n"
                                 for s, (_, t) in zip(self.sent, parsed))
            if not parsed:
                self.stdin = ""
            return
        seen = set()
        for k, (n, t) in enumerate(parsed):
            if t is None and n not in seen:
                self.argv.append(n)
                self.sent.append(n)
                seen.add(n)
            else:
                data = _text_bytes(t) if t is not None else open(n, "rb").read()
                ext = ".aig" if data[:4] == b"aig " else (os.path.splitext(n)[1] if t is None else ".aag")
                path = self.inputs._temp_file(f"{k}{ext}", data)
                self.argv.append(path)
                self.sent.append(path)

    def request_argv(self) -> List[str]:
        return self.argv if self.stdin is None else ["-"]

    def cleanup(self):
        self.inputs.cleanup()


def _text_bytes(t: Any) -> bytes:
    if isinstance(t, (bytes, bytearray)):
        return bytes(t)
    return t.encode("latin-1") if t[:4] == "aig " else t.encode("utf-8")


class DedupClass:
    """One class of proved-equivalent circuits: id, representative and members (names),
    and their positions in the input (representative_index, indices; None when directories
    were expanded by the CLI)."""

    __slots__ = ("id", "representative", "members", "representative_index", "indices")

    def __init__(self, id: int, representative: str, members: List[str],
                 representative_index: Optional[int] = None, indices: Optional[List[int]] = None):
        self.id, self.representative, self.members = id, representative, members
        self.representative_index, self.indices = representative_index, indices

    @property
    def size(self) -> int:
        return len(self.members)

    def __repr__(self) -> str:
        return f"DedupClass(id={self.id}, size={self.size}, representative={self.representative!r})"

    def as_dict(self) -> dict:
        return {"class": self.id, "size": self.size, "representative": self.representative, "members": self.members}


class DedupResult:
    """Classes of proved-equivalent circuits. classes: [DedupClass] ordered by first member;
    summary: the CLI's counts and times; undecided_pairs: [{"a", "b", "reason"}] (never merged);
    labels: class id of every input (numpy int64, None when directories were expanded);
    undecided: True when some pairs were left undecided (exit code 3)."""

    def __init__(self, classes: List[DedupClass], summary: Mapping[str, Any], undecided_pairs: List[dict],
                 exit_code: int, raw: Any = None, n_inputs: Optional[int] = None):
        self.classes = classes
        self.summary = dict(summary)
        self.undecided_pairs = undecided_pairs
        self.exit_code = exit_code
        self.undecided = exit_code == 3 or bool(undecided_pairs)
        self.raw = raw
        self.labels = None
        if n_inputs is not None and all(c.indices is not None for c in classes):
            import numpy as np
            labels = np.full(n_inputs, -1, dtype=np.int64)
            for c in classes:
                labels[c.indices] = c.id
            self.labels = labels

    def __len__(self) -> int:
        return len(self.classes)

    def __iter__(self):
        return iter(self.classes)

    def partition(self) -> set:
        """The classes as a set of frozensets of member names (order-free comparison)."""
        return {frozenset(c.members) for c in self.classes}

    def __repr__(self) -> str:
        return f"DedupResult({self.summary.get('circuits')} circuits -> {len(self.classes)} classes, " \
               f"{len(self.undecided_pairs)} undecided pairs)"


def _dedup_parts(result: Any) -> Tuple[List[dict], dict, List[dict]]:
    if not isinstance(result, Mapping):
        raise MiterError(f"unexpected dedup report: {str(result)[:200]}")
    summary = result.get("summary") or {k: v for k, v in result.items() if not isinstance(v, (list, dict))}
    return list(result.get("classes") or []), dict(summary), list(result.get("undecided_pairs") or [])


def _set_items(circuits: Any) -> Iterable[Any]:
    """The items of a circuit set: a single path is a set of its own (a .jsonl stream read into
    its rows, a directory or file as one path); anything else is already the items."""
    if isinstance(circuits, (str, os.PathLike)) and not is_aiger_text(circuits):
        path = os.fspath(circuits)
        if path.endswith(".jsonl"):
            with open(path) as f:
                return [json.loads(line) for line in f if line.strip()]
        return [path]
    return circuits


def dedup(circuits: Iterable[Any], *, worker: Optional[Worker] = None, **options) -> DedupResult:
    """Classes of proved-equivalent circuits (`miter dedup --json`). circuits: paths (files or
    directories), AIGER texts, (name, aag) pairs or {"name", "aag"} mappings, e.g. the rows of
    `miter random --jsonl`. A single path (a directory or a .jsonl stream) is read as a set.
    Options: timeout, by_name, jobs, keep ("smallest" | "first"), out (directory).
    Undecided pairs are reported (result.undecided_pairs, exit code 3), never raised."""
    cs = _CircuitSet(_set_items(circuits))
    try:
        ans = run(["dedup"] + cs.request_argv() + options_argv(options), stdin=cs.stdin, worker=worker)
    finally:
        cs.cleanup()
    classes_raw, summary, open_raw = _dedup_parts(ans.result)
    index_of = None if cs.raw_args else {s: k for k, s in enumerate(cs.sent)}

    def user(name: str) -> str:
        if index_of is None or name not in index_of:
            return name
        return cs.names[index_of[name]]

    classes = []
    for c in classes_raw:
        members = list(c.get("members") or [])
        rep = c.get("representative")
        if cs.raw_args:
            idx, rep_idx = None, None
        elif "member_indices" in c:  # positions in the CLI's set = positions of the items
            idx, rep_idx = [int(i) for i in c["member_indices"]], int(c["representative_index"])
        else:
            idx, rep_idx = [index_of[m] for m in members], index_of.get(rep)
        if idx is not None:
            classes.append(DedupClass(int(c.get("class", len(classes))), cs.names[rep_idx] if rep_idx is not None else rep,
                                      [cs.names[i] for i in idx], rep_idx, idx))
        else:
            classes.append(DedupClass(int(c.get("class", len(classes))), rep, members))
    undecided = []
    for p in open_raw:
        q = dict(p)
        if not cs.raw_args and "a_index" in p:
            q["a"], q["b"] = cs.names[int(p["a_index"])], cs.names[int(p["b_index"])]
        else:
            q["a"], q["b"] = user(p.get("a")), user(p.get("b"))
        undecided.append(q)
    return DedupResult(classes, summary, undecided, ans.exit_code, ans.result,
                       n_inputs=None if cs.raw_args else len(cs.names))


class PairsResult(dict):
    """The summary `miter pairs --json` prints (pairs, equivalent, not_equivalent,
    undecided_dropped, checks, circuits, classes, seconds), plus exit_code, jsonl and tensors paths."""


def pairs(circuits: Iterable[Any], *, jsonl: Optional[str] = None, tensors: Optional[str] = None,
          worker: Optional[Worker] = None, **options) -> PairsResult:
    """Proved equivalent / not-equivalent pairs for machine learning (`miter pairs`). Writes the
    JSONL rows to `jsonl` and the graph tensors to `tensors` (.npz or .safetensors); options:
    max_pairs, balance, seed, timeout, by_name, ... Inputs as for dedup()."""
    cs = _CircuitSet(_set_items(circuits))
    opts = dict(options)
    if jsonl is not None:
        opts["jsonl"] = os.fspath(jsonl)
    if tensors is not None:
        opts["tensors"] = os.fspath(tensors)
    try:
        ans = run(["pairs"] + cs.request_argv() + options_argv(opts), stdin=cs.stdin, worker=worker)
    finally:
        cs.cleanup()
    out = PairsResult(ans.result if isinstance(ans.result, Mapping) else {"output": ans.output})
    out.setdefault("exit_code", ans.exit_code)
    out.setdefault("jsonl", os.fspath(jsonl) if jsonl is not None else None)
    out.setdefault("tensors", os.fspath(tensors) if tensors is not None else None)
    return out


def random_circuits(*, worker: Optional[Worker] = None, **options) -> List[dict]:
    """`miter random --jsonl -`: the generated circuits as dicts (name, family, kind,
    function_class, aag). Options: inputs, outputs, ands, count, seed, variants, mutants."""
    opts = dict(options)
    opts["jsonl"] = "-"
    ans = run(["random"] + options_argv(opts), worker=worker)
    if isinstance(ans.result, list):  # serve may answer printed JSON lines as their array
        return ans.result
    return [json.loads(line) for line in (ans.output or "").splitlines() if line.strip()]
