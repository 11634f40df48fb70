"""Python bindings of Miter: logic-circuit equivalence checking, functional hashing,
deduplication and proved pairs for machine learning, through one long-lived `miter serve`
process (found through $MITER_BIN or PATH).

    import miter
    r = miter.check("Circuits/i2c.aig", "Circuits/i2c_bug.aig")
    r.verdict, r.counterexample.differing_outputs      # ('not_equivalent', ['po007'])
"""
from ._worker import Answer, Worker, default_worker, find_binary, set_default_worker
from .api import (CheckResult, Counterexample, DedupClass, DedupResult, PairsResult, Undecided,
                  bucket_key, certify_check, check, decode, dedup, hash, is_aiger_text, options_argv,
                  pairs, random_circuits, run, sim, stats)
from .errors import MiterError, WorkerCrashed

__version__ = "0.1.0"

__all__ = [
    "Answer", "Worker", "default_worker", "find_binary", "set_default_worker",
    "CheckResult", "Counterexample", "DedupClass", "DedupResult", "PairsResult", "Undecided",
    "bucket_key", "certify_check", "check", "decode", "dedup", "hash", "is_aiger_text", "options_argv",
    "pairs", "random_circuits", "run", "sim", "stats", "MiterError", "WorkerCrashed",
]
