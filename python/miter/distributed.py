"""Deduplication of large circuit sets on a Dask cluster, with the same results as one
`miter dedup` run.

    from dask.distributed import Client, LocalCluster
    import miter.distributed
    with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:
        result = miter.distributed.dedup("set.jsonl", client=client, partitions=8)

1. Map: the input is split into shards; each shard is deduplicated by `miter dedup` through
   one `miter serve` worker per Dask worker process (started once, reused): its circuits are
   hashed and bucketed by "INPUTS/OUTPUTS/LATCHES/HASH" and proved inside the shard's buckets.
   Each local class is one small row (first member, representative, bucket).
2. Shuffle: the local classes are shuffled by bucket key (Dask DataFrame shuffle) into P
   partitions, so that every bucket lies whole in one partition.
3. Reduce: in each partition, a bucket holding one local class needs nothing more; the
   representatives of the buckets holding several (the same function met in several shards,
   or hash collisions) are deduplicated by `miter dedup` (the same engine), which merges the
   local classes whose representatives it proves equivalent.
4. Classes are merged into global ids ordered by their first member, as `miter dedup`
   numbers them; undecided pairs are reported and never merged.

Why the map deduplicates and does not only hash: hashing a shard costs as much as
deduplicating it (both are mostly reading and parsing the circuits), so a hash-only map parses
every circuit twice; at 1,000,000 circuits that took 2.4-2.6x one `miter dedup` run.

Equal results: proofs are exact, so the classes (when nothing is undecided) are the
equivalence classes however the comparisons are ordered; the representative is the member
with the fewest ANDs, the earliest on ties (`keep="smallest"`) or the first (`keep="first"`),
the same rule at the shard and at the reduce, which takes the representatives in input order.
Statistics that count comparisons may differ from one run's where buckets hold several classes.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from . import api
from ._worker import Worker

_SHIFT = 32  # key = shard << 32 | position in shard: sorts as the input order

_process_worker: Optional[Worker] = None


def process_worker() -> Worker:
    """The `miter serve` worker of this (Dask worker) process, started on first use."""
    global _process_worker
    if _process_worker is None:
        _process_worker = Worker()
    return _process_worker


def _scratch_dir() -> str:
    d = "/dev/shm"
    return d if os.path.isdir(d) and os.access(d, os.W_OK) else tempfile.gettempdir()


def _run_on_jsonl(argv: List[str], chunks: List[bytes]):
    """Runs `miter ARGV FILE.jsonl` on the given JSONL lines through this process's worker. The
    lines go through a scratch file (in /dev/shm when there is one): ~30% faster than the same
    bytes as the request's "stdin" (no JSON escaping on either side)."""
    fd, path = tempfile.mkstemp(prefix="miter-shard-", suffix=".jsonl", dir=_scratch_dir())
    try:
        with os.fdopen(fd, "wb") as f:
            f.writelines(chunks)
        return api.run(argv[:1] + [path] + argv[1:], worker=process_worker())
    finally:
        os.unlink(path)


def _line_of(item: Any, key: int) -> Tuple[Optional[str], Optional[str]]:
    """(JSONL line, None) for a circuit given as text / (name, aag) / {"name", "aag"} / a JSONL
    line; (None, path) for a file path and (None, (name, bytes)) for binary AIGER."""
    if isinstance(item, str) and item[:1] == "{":
        return item.strip(), None
    name, text = api._split_named(item)
    if text is None:
        return None, name
    if isinstance(text, (bytes, bytearray)) or text[:4] == "aig ":
        # Binary AIGER does not fit a JSON string: it travels as (name, bytes) like a path.
        data = bytes(text) if isinstance(text, (bytes, bytearray)) else text.encode("latin-1")
        if data[:4] != b"aag ":
            return None, (name if name is not None else str(key), data)
        text = data.decode("utf-8")
    return json.dumps({"name": name if name is not None else str(key), "aag": text}, separators=(",", ":")), None


def _local_classes(keys, classes: List[Tuple[int, int, List[int], str]], names: List[Optional[str]],
                   undecided: List[Tuple[int, int, Any]], summary: Dict[str, Any], exit_code: int,
                   rep_columns: Dict[str, list]):
    """A shard's local classes (positions in the shard: first member, representative, members,
    bucket): the rows that are shuffled (first member's and representative's keys, bucket, and
    what the reduce needs to read the representative again) and what goes to the client
    directly, as arrays (keys, names, classes as offsets into one member array)."""
    import pandas as pd
    keys = np.asarray(keys, dtype=np.int64)
    first = np.array([c[0] for c in classes], dtype=np.int64)
    rep = np.array([c[1] for c in classes], dtype=np.int64)
    rows = pd.DataFrame({
        "first": keys[first] if len(classes) else np.array([], dtype=np.int64),
        "rep": keys[rep] if len(classes) else np.array([], dtype=np.int64),
        "bucket": pd.Series([c[3] for c in classes], dtype=object),
        **{k: pd.Series(v, dtype=object if k != "length" else np.int64) for k, v in rep_columns.items()},
    })
    sizes = np.array([len(c[2]) for c in classes], dtype=np.int64)
    members = (np.concatenate([np.asarray(c[2], dtype=np.int64) for c in classes]) if classes
               else np.array([], dtype=np.int64))
    local = {"keys": keys, "names": names, "first": first, "rep": rep,
             "offsets": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64), "members": members,
             "undecided": undecided, "summary": summary, "exit_code": exit_code}
    return rows, local


def _classes_of_answer(ans, keys) -> Tuple[List[Tuple[int, int, List[int], str]], List[Optional[str]], List[Tuple[int, int, Any]], Dict[str, Any]]:
    """(first, rep, members, bucket) per class of a `miter dedup` answer, as positions of its
    input; names by position; undecided pairs by key; the summary."""
    classes_raw, summary, open_raw = api._dedup_parts(ans.result)
    names: List[Optional[str]] = [None] * len(keys)
    classes = []
    for c in classes_raw:
        idx = c["member_indices"]
        for i, m in zip(idx, c["members"]):
            names[i] = m
        classes.append((int(idx[0]), int(c["representative_index"]), idx, c["bucket"]))
    undecided = [(int(keys[p["a_index"]]), int(keys[p["b_index"]]), p.get("reason")) for p in open_raw]
    return classes, names, undecided, summary


def _items_shard(shard: int, items: List[Any], dedup_options: Dict[str, Any]):
    """Map over a bag partition (texts, (name, aag) pairs, paths, binary AIGER): `miter dedup`
    of the shard; key = shard << 32 | position."""
    w = process_worker()
    items = [x for x in items if not (x is None or (isinstance(x, str) and not x.strip()))]
    lines: List[Optional[str]] = []
    paths: List[Any] = []
    for j, item in enumerate(items):
        line, path = _line_of(item, (shard << _SHIFT) | j)
        lines.append(line)
        paths.append(path)
    keys = np.array([(shard << _SHIFT) | j for j in range(len(items))], dtype=np.int64)
    if not items:
        return _local_classes(keys, [], [], [], {}, 0, {"line": [], "path": [], "blob_name": [], "blob": []})
    if all(l is not None for l in lines):
        ans = api.run(["dedup", "-"] + api.options_argv(dedup_options), stdin="\n".join(lines) + "\n", worker=w)
        classes, names, undecided, summary = _classes_of_answer(ans, keys)
        exit_code = ans.exit_code
    else:
        objs = [json.loads(l) if l is not None else p for l, p in zip(lines, paths)]
        r = api.dedup(objs, worker=w, **dedup_options)
        buckets = [c["bucket"] for c in r.raw["classes"]]
        classes = [(int(c.indices[0]), int(c.representative_index), list(c.indices), b) for c, b in zip(r.classes, buckets)]
        names = [None] * len(items)
        for c in r.classes:
            for i, m in zip(c.indices, c.members):
                names[i] = m
        undecided = [(int(keys[p["a_index"]]), int(keys[p["b_index"]]), p.get("reason")) for p in r.undecided_pairs]
        summary, exit_code = r.summary, r.exit_code
    reps = [c[1] for c in classes]
    return _local_classes(keys, classes, names, undecided, summary, exit_code, {
        "line": [lines[j] for j in reps],
        "path": [paths[j] if isinstance(paths[j], str) else None for j in reps],
        "blob_name": [paths[j][0] if isinstance(paths[j], tuple) else None for j in reps],
        "blob": [paths[j][1] if isinstance(paths[j], tuple) else None for j in reps]})


def _read_range(path: str, start: int, end: int) -> Tuple[List[int], List[int], List[bytes]]:
    """The JSONL lines that start in [start, end): offsets, lengths, lines."""
    offsets: List[int] = []
    lengths: List[int] = []
    chunks: List[bytes] = []
    with open(path, "rb") as f:
        pos = start
        if start > 0:
            f.seek(start - 1)
            pos = start - 1 + len(f.readline())  # a line that starts before `start` is the previous shard's
        else:
            f.seek(0)
        while pos < end:
            line = f.readline()
            if not line:
                break
            if line.strip():
                offsets.append(pos)
                lengths.append(len(line))
                chunks.append(line if line.endswith(b"\n") else line + b"\n")
            pos += len(line)
    return offsets, lengths, chunks


def _file_shard(file_index: int, path: str, start: int, end: int, dedup_options: Dict[str, Any]):
    """Map over a byte range of a JSONL file: `miter dedup` of the lines that start there
    (sent as they are); key = file << 40 | byte offset. Only the local classes are shuffled, with
    their representative's line length: the reduce reads the few it needs from the file again."""
    offsets, lengths, chunks = _read_range(path, start, end)
    if not offsets:
        return _local_classes([], [], [], [], {}, 0, {"length": []})
    keys = (np.int64(file_index) << np.int64(40)) + np.array(offsets, dtype=np.int64)
    ans = _run_on_jsonl(["dedup"] + api.options_argv(dedup_options), chunks)
    del chunks
    classes, names, undecided, summary = _classes_of_answer(ans, keys)
    return _local_classes(keys, classes, names, undecided, summary, ans.exit_code, {"length": [lengths[c[1]] for c in classes]})


def _shared_buckets(df):
    """The rows of buckets that hold several local classes, representatives in input order;
    and the number of buckets of the partition."""
    if len(df) == 0:
        return df, 0
    return df[df.duplicated("bucket", keep=False)].sort_values("rep", kind="stable"), int(df["bucket"].nunique())


def _merges_of_answer(result, exit_code: int, reps, firsts, buckets: int) -> Dict[str, Any]:
    """Reduce result: groups of local classes (by first member) proved equivalent, with the
    representative `miter dedup` chose among theirs; undecided pairs of representatives."""
    classes_raw, summary, open_raw = api._dedup_parts(result)
    merges = [([int(firsts[i]) for i in c["member_indices"]], int(reps[c["representative_index"]]))
              for c in classes_raw if len(c["member_indices"]) > 1]
    undecided = [(int(reps[p["a_index"]]), int(reps[p["b_index"]]), p.get("reason")) for p in open_raw]
    return {"merges": merges, "undecided": undecided, "summary": summary, "buckets": buckets, "exit_code": exit_code}


def _nothing_to_merge(buckets: int) -> Dict[str, Any]:
    return {"merges": [], "undecided": [], "summary": {}, "buckets": buckets, "exit_code": 0}


def _reduce_items_partition(df, dedup_options: Dict[str, Any]) -> Dict[str, Any]:
    """Reduce over bag rows: `miter dedup` of the representatives of the shared buckets."""
    shared, buckets = _shared_buckets(df)
    if len(shared) == 0:
        return _nothing_to_merge(buckets)
    # (after the shuffle, missing values may come back as NaN)
    items = []
    for l, p, n, b in zip(shared["line"], shared["path"], shared["blob_name"], shared["blob"]):
        if isinstance(l, str):
            items.append(json.loads(l))
        elif isinstance(p, str):
            items.append(p)
        else:
            items.append((n, bytes(b)))
    r = api.dedup(items, worker=process_worker(), **dedup_options)
    return _merges_of_answer(r.raw, r.exit_code, shared["rep"].to_numpy(), shared["first"].to_numpy(), buckets)


def _reduce_file_partition(df, paths: List[str], dedup_options: Dict[str, Any]) -> Dict[str, Any]:
    """Reduce over file rows: the shared buckets' representatives read back, `miter dedup`."""
    shared, buckets = _shared_buckets(df)
    if len(shared) == 0:
        return _nothing_to_merge(buckets)
    reps = shared["rep"].to_numpy()
    chunks: List[bytes] = []
    fds: Dict[int, int] = {}
    try:
        for k, n in zip(reps.tolist(), shared["length"].to_numpy().tolist()):
            fi, off = k >> 40, k & ((1 << 40) - 1)
            if fi not in fds:
                fds[fi] = os.open(paths[fi], os.O_RDONLY)
            line = os.pread(fds[fi], n, off)
            chunks.append(line if line.endswith(b"\n") else line + b"\n")
    finally:
        for fd in fds.values():
            os.close(fd)
    ans = _run_on_jsonl(["dedup"] + api.options_argv(dedup_options), chunks)
    return _merges_of_answer(ans.result, ans.exit_code, reps, shared["first"].to_numpy(), buckets)


def _jsonl_paths(circuits: Any) -> Optional[List[str]]:
    if isinstance(circuits, (str, os.PathLike)) and os.fspath(circuits).endswith((".jsonl", ".ndjson")):
        return [os.path.abspath(os.fspath(circuits))]
    if isinstance(circuits, (list, tuple)) and circuits and all(
            isinstance(p, (str, os.PathLike)) and os.fspath(p).endswith((".jsonl", ".ndjson")) for p in circuits):
        return [os.path.abspath(os.fspath(p)) for p in circuits]
    return None


def _as_bag(circuits: Any, shard_size: int):
    import dask.bag as db
    if isinstance(circuits, db.Bag):
        return circuits
    if isinstance(circuits, (str, os.PathLike)) and os.fspath(circuits).endswith((".jsonl", ".ndjson")):
        circuits = [os.fspath(circuits)]
    if isinstance(circuits, (list, tuple)) and circuits and all(
            isinstance(p, (str, os.PathLike)) and os.fspath(p).endswith((".jsonl", ".ndjson")) for p in circuits):
        paths = [os.fspath(p) for p in circuits]
        size = sum(os.path.getsize(p) for p in paths)
        # Shards of ~shard_size lines (miter random lines are ~1.5 kB): the JSONL lines travel
        # as they are, parsed only by miter.
        blocksize = max(1 << 20, shard_size * 1500)
        return db.read_text(paths, blocksize=blocksize if size > blocksize else None)
    items = list(circuits)
    return db.from_sequence(items, partition_size=max(1, shard_size))


SUMMED = ("circuits", "classes", "buckets", "collisions", "refutations", "comparisons", "sat_calls", "undecided",
          "incomparable")


def dedup(circuits: Any, client=None, partitions: Optional[int] = None, *, shard_size: int = 20000,
          timeout: Optional[float] = None, match: Optional[str] = None, by_name: bool = False,
          keep: str = "smallest", jobs: int = 1, read_options: Optional[Dict[str, Any]] = None,
          shuffle_method: Optional[str] = None) -> api.DedupResult:
    """Deduplicates `circuits` on Dask: equal results to one `miter dedup` run.

    circuits: a dask.bag.Bag or a list of paths / AIGER texts / (name, aag) pairs / {"name",
    "aag"} dicts, or one or more JSONL files (`miter random --jsonl`), read in shards.
    client: a dask.distributed.Client (default: the current one, else Dask's default scheduler).
    partitions: P, the number of reduce partitions (default: the number of shards, at least 2 x
    the cluster's worker threads).
    shard_size: circuits per map shard. timeout, match ("order" | "names" | "auto"; by_name=True
    is match="names"), keep, jobs: `miter dedup`'s options (jobs = threads of each map and reduce
    request; 1 suits one-thread Dask workers). read_options: top, undriven, liberty. The same
    options go to the map's and the reduce's `miter dedup`, so that their bucket keys agree.
    Returns a DedupResult: classes with member names and input positions (indices), labels,
    summary (counts summed over partitions; "partitions", "shards" and "wall_seconds" added),
    undecided_pairs (never merged)."""
    import dask
    import dask.dataframe as dd
    import pandas as pd

    t0 = time.perf_counter()
    if client is None:
        try:
            from distributed import get_client
            client = get_client()
        except (ImportError, ValueError):
            client = None
    threads = sum(client.nthreads().values()) if client is not None else (os.cpu_count() or 1)
    default_partitions = max(1, 2 * threads)
    common = dict(read_options or {})
    if by_name and match is None:
        match = "names"
    if match is not None:
        common["match"] = match
    dopts = dict(common, timeout=timeout, keep=keep, jobs=jobs)

    files = _jsonl_paths(circuits)
    if files is not None:
        # ~shard_size lines per shard (miter random lines are ~1.5 kB).
        block = max(1 << 16, shard_size * 1500)
        ranges = [(fi, p, a, min(a + block, os.path.getsize(p))) for fi, p in enumerate(files)
                  for a in range(0, max(1, os.path.getsize(p)), block)]
        mapped = [dask.delayed(_file_shard, nout=2)(fi, p, a, b, dopts) for fi, p, a, b in ranges]
        meta = pd.DataFrame({"first": pd.Series([], dtype=np.int64), "rep": pd.Series([], dtype=np.int64),
                             "bucket": pd.Series([], dtype=object), "length": pd.Series([], dtype=np.int64)})
        n_shards = len(ranges)
        reduce_fn, reduce_args = _reduce_file_partition, (files, dopts)
    else:
        bag = _as_bag(circuits, shard_size)
        shards = bag.to_delayed()
        mapped = [dask.delayed(_items_shard, nout=2)(k, s, dopts) for k, s in enumerate(shards)]
        meta = pd.DataFrame({"first": pd.Series([], dtype=np.int64), "rep": pd.Series([], dtype=np.int64),
                             "bucket": pd.Series([], dtype=object), "line": pd.Series([], dtype=object),
                             "path": pd.Series([], dtype=object), "blob_name": pd.Series([], dtype=object),
                             "blob": pd.Series([], dtype=object)})
        n_shards = len(shards)
        reduce_fn, reduce_args = _reduce_items_partition, (dopts,)
    if partitions is None:
        partitions = max(default_partitions, n_shards)
    with dask.config.set({"dataframe.convert-string": False}):
        df = dd.from_delayed([m[0] for m in mapped], meta=meta, verify_meta=False)
        kwargs = {"npartitions": partitions}
        if shuffle_method:
            kwargs["shuffle_method"] = shuffle_method
        shuffled = df.shuffle("bucket", **kwargs)
        parts = shuffled.to_delayed()
    reduced = [dask.delayed(reduce_fn)(p, *reduce_args) for p in parts]
    locals_ = [m[1] for m in mapped]
    if client is not None:
        futures = client.compute(reduced + locals_)
        results = client.gather(futures)
        del futures
    else:
        results = list(dask.compute(*(reduced + locals_)))
    t1 = time.perf_counter()
    out = merge(results[len(reduced):], results[:len(reduced)], partitions=partitions, shards=n_shards, started=t0)
    out.summary["cluster_seconds"] = round(t1 - t0, 6)
    out.summary["merge_seconds"] = round(time.perf_counter() - t1, 6)
    return out


def merge(locals_: Sequence[Dict[str, Any]], reduces: Sequence[Dict[str, Any]], partitions: int = 0,
          shards: int = 0, started: Optional[float] = None) -> api.DedupResult:
    """Global classes: the shards' local classes, joined where a reduce proved their
    representatives equivalent; ordered by first member (input order), as one `miter dedup`
    run numbers them. Array work (numpy) over all circuits; Python objects only for the result."""
    keys = (np.concatenate([l["keys"] for l in locals_]) if locals_ else np.array([], dtype=np.int64))
    names = [n for l in locals_ for n in l["names"]]
    n = len(keys)
    # Input position of every circuit: the rank of its key (shards come in input order, so
    # this is the identity unless a caller's bag was not).
    order = np.argsort(keys, kind="stable")
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)
    sorted_keys = keys[order]

    def positions_of(ks) -> np.ndarray:
        return position[order[np.searchsorted(sorted_keys, np.asarray(ks, dtype=np.int64))]]

    # Local classes numbered in shard order; label = local class of every circuit.
    label = np.empty(n, dtype=np.int64)
    firsts, reps = [], []
    base = 0
    count = 0
    for l in locals_:
        c = len(l["first"])
        label[base + l["members"]] = np.repeat(np.arange(count, count + c, dtype=np.int64), np.diff(l["offsets"]))
        firsts.append(position[base + l["first"]])
        reps.append(position[base + l["rep"]])
        base += len(l["keys"])
        count += c
    first_pos = np.concatenate(firsts) if firsts else np.array([], dtype=np.int64)
    rep_pos = np.concatenate(reps) if reps else np.array([], dtype=np.int64)
    by_position = np.empty(n, dtype=np.int64)
    by_position[position] = label                 # local class by input position
    # Joins (each local class is in one bucket, so in at most one reduce group).
    root = np.arange(count, dtype=np.int64)
    for r in reduces:
        for group_firsts, rep in r["merges"]:
            ids = by_position[positions_of(group_firsts)]
            top = ids[np.argmin(first_pos[ids])]
            root[ids] = top
            rep_pos[top] = positions_of([rep])[0]
    final = root[by_position]                      # per input position
    # Classes by first member: a root's first member is the smallest of its group.
    roots, inverse = np.unique(final, return_inverse=True)
    class_order = np.argsort(first_pos[roots], kind="stable")
    rank = np.empty(len(roots), dtype=np.int64)
    rank[class_order] = np.arange(len(roots), dtype=np.int64)
    cls = rank[inverse]                            # class id per input position
    members_by_class = np.argsort(cls, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(cls, minlength=len(roots)))]) if n else np.array([0])
    name_at = [None] * n
    for i, p in enumerate(position.tolist()):
        name_at[p] = names[i]
    out = []
    for cid in range(len(roots)):
        mem = members_by_class[bounds[cid]:bounds[cid + 1]].tolist()
        rep = int(rep_pos[roots[class_order[cid]]])
        out.append(api.DedupClass(cid, name_at[rep], [name_at[m] for m in mem], rep, mem))
    # A pair left undecided in its shard stays two local classes, and the reduce meets it again.
    first_reason: Dict[Tuple[int, int], Any] = {}
    for r in list(locals_) + list(reduces):
        for a, b, why in r["undecided"]:
            first_reason.setdefault((a, b), why)
    undecided = sorted(first_reason.items())
    undecided_pairs = []
    for (a, b), why in undecided:
        pa, pb = (int(x) for x in positions_of([a, b]))
        undecided_pairs.append({"a": name_at[pa], "b": name_at[pb], "reason": why, "a_index": pa, "b_index": pb})
    summary: Dict[str, Any] = {k: sum(int(r["summary"].get(k, 0) or 0) for r in list(locals_) + list(reduces))
                               for k in SUMMED}
    summary["circuits"] = n
    summary["classes"] = len(out)
    summary["undecided"] = len(undecided_pairs)
    summary["buckets"] = sum(int(r["buckets"]) for r in reduces)
    summary["partitions"] = partitions
    summary["shards"] = shards
    if started is not None:
        summary["wall_seconds"] = round(time.perf_counter() - started, 6)
    exit_code = 3 if any(r["exit_code"] == 3 for r in list(locals_) + list(reduces)) or undecided_pairs else 0
    return api.DedupResult(out, summary, undecided_pairs, exit_code, raw=None, n_inputs=n)
