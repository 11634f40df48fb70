"""Batched, equivalence-preserving decoding (`miter decode --serve --batch`): the client in
the repository's examples/miter_batch.py (BatchDecoder, MiterLogitsProcessor, legal_ids,
masked_logits), loaded from the checkout. It is found next to this package in a checkout,
beside $MITER_BIN's repository (<repo>/.build/release/miter), or in $MITER_EXAMPLES."""
from __future__ import annotations

import importlib.util
import os


def _candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.environ.get("MITER_EXAMPLES")
    yield os.path.join(here, "..", "..", "examples")
    binary = os.environ.get("MITER_BIN")
    if binary:
        for start in (os.path.abspath(binary), os.path.realpath(binary)):
            d = os.path.dirname(start)
            for _ in range(4):  # <repo>/.build/release/miter, <repo>/.build/<triple>/release/miter
                d = os.path.dirname(d)
                yield os.path.join(d, "examples")


def _load():
    for d in _candidates():
        if d and os.path.isfile(os.path.join(d, "miter_batch.py")):
            spec = importlib.util.spec_from_file_location("miter._miter_batch", os.path.join(d, "miter_batch.py"))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    raise ImportError("miter.decoding needs examples/miter_batch.py of the Miter repository: "
                      "set MITER_EXAMPLES to that directory (or MITER_BIN to <repo>/.build/release/miter)")


_mod = _load()
BatchDecoder = _mod.BatchDecoder
MiterBatchError = _mod.MiterError
MiterLogitsProcessor = _mod.MiterLogitsProcessor
legal_ids = _mod.legal_ids
masked_logits = _mod.masked_logits

__all__ = ["BatchDecoder", "MiterBatchError", "MiterLogitsProcessor", "legal_ids", "masked_logits"]
