"""Batched, equivalence-preserving decoding from Python: one `miter decode
--serve --batch` process holds every decoding state.

    from miter_batch import BatchDecoder
    with BatchDecoder() as dec:
        ids = dec.open([{"tt": ["8"]}, {"aag": open("c.aag").read()}])
        views = dec.views          # id -> the latest view of that state
        mask = dec.mask_array(ids) # numpy bool array (len(ids), vocab)
        dec.step(ids, tokens=[...])   # or scores=<(len(ids), vocab) array>

Only the standard library is needed for the protocol; `mask_array` needs
numpy, `mask_tensor` torch, and `MiterLogitsProcessor` HuggingFace
`transformers` (imported on first use). See the README, "Batched serving".
"""

import json
import os
import shutil
import subprocess


class MiterError(RuntimeError):
    """An error reply of the server (bad request, unknown state, ...)."""


def _find_miter(binary=None):
    for candidate in (binary, os.environ.get("MITER_BIN"), shutil.which("miter")):
        if candidate:
            return candidate
    raise FileNotFoundError("miter binary not found: pass it, set MITER_BIN or put it on PATH")


class BatchDecoder:
    """A client of `miter decode --serve --batch` (one request, one reply)."""

    def __init__(self, binary=None, vocab_inputs=None):
        cmd = [_find_miter(binary), "decode", "--serve", "--batch"]
        if vocab_inputs is not None:
            cmd += ["--vocab-inputs", str(vocab_inputs)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.vocab = None
        self.views = {}

    def request(self, obj):
        self.proc.stdin.write(json.dumps(obj, separators=(",", ":")) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise MiterError("miter closed the connection")
        reply = json.loads(line)
        if reply.get("type") == "error":
            raise MiterError(reply["message"])
        for v in reply.get("states", ()):
            self.views[v["id"]] = v
        return reply

    def open(self, targets, features=True):
        """Opens one state per target ({"tt": [hex, ...], "care": [...]} or
        {"aag": text}, optional "max_ands", "max_depth", "max_tokens"); returns their ids."""
        reply = self.request({"op": "open", "targets": list(targets), "features": features})
        self.vocab = reply["vocab"]
        return reply["ids"]

    def step(self, ids, tokens=None, scores=None):
        """One token per state (`tokens`), or the best legal token of each
        score row (`scores`, shape (len(ids), vocab)). Returns the new views;
        a refused token leaves its state unchanged and sets the view's "error"."""
        ids = [int(i) for i in ids]
        if tokens is not None:
            req = {"op": "step", "ids": ids, "tokens": [int(t) for t in tokens]}
        else:
            rows = scores.tolist() if hasattr(scores, "tolist") else [list(r) for r in scores]
            req = {"op": "step", "ids": ids, "scores": rows}
        return self.request(req)["states"]

    def clone(self, ids):
        return self.request({"op": "clone", "ids": [int(i) for i in ids]})["ids"]

    def drop(self, ids):
        ids = [int(i) for i in ids]
        self.request({"op": "drop", "ids": ids})
        for i in ids:
            self.views.pop(i, None)

    def result(self, ids):
        """The finished circuits: dicts with "ands", "depth", "tokens", "aag", "verified"."""
        return self.request({"op": "result", "ids": [int(i) for i in ids]})["results"]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.request({"op": "close"})
            except (MiterError, BrokenPipeError, ValueError):
                pass
            self.proc.stdin.close()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Masks.

    def mask_bytes(self, ids):
        """The packed masks of `ids` as one bytes object, rows of (vocab + 7) // 8 bytes."""
        return b"".join(bytes.fromhex(self.views[i]["mask"]) for i in ids)

    def mask_array(self, ids):
        """numpy bool array (len(ids), vocab): True where the token is legal."""
        import numpy as np
        width = (self.vocab + 7) // 8
        packed = np.frombuffer(self.mask_bytes(ids), dtype=np.uint8).reshape(len(ids), width)
        return np.unpackbits(packed, axis=1, bitorder="little")[:, : self.vocab].astype(bool)

    def mask_tensor(self, ids, device=None):
        """torch bool tensor (len(ids), vocab)."""
        import torch
        return torch.from_numpy(self.mask_array(ids)).to(device) if device else torch.from_numpy(self.mask_array(ids))


def legal_ids(view, vocab):
    """The legal token ids of a view, from its packed mask (standard library only)."""
    bits = bytes.fromhex(view["mask"])
    return [t for t in range(vocab) if bits[t >> 3] >> (t & 7) & 1]


def masked_logits(logits, mask):
    """Logits with illegal tokens at -inf (numpy or torch; `mask` from mask_array / mask_tensor)."""
    if hasattr(logits, "masked_fill"):
        return logits.masked_fill(~mask.to(logits.device), float("-inf"))
    import numpy as np
    return np.where(mask, logits, -np.inf)


def MiterLogitsProcessor(decoder, targets, prompt_length, token_offset=0):
    """A HuggingFace `transformers` LogitsProcessor that masks every token that
    would break equivalence with `targets[row // rows_per_target]`.

    Generated token `t` of the model is decoder token `t - token_offset`
    (ids below the offset, and beyond the decoder's vocabulary, are never
    legal). States are keyed by the generated prefix, so greedy, sampling
    and beam search all work: a new prefix clones its parent's state and
    steps it with the new token; states no row uses any more are dropped.
    """
    from transformers import LogitsProcessor
    import torch

    class _Processor(LogitsProcessor):
        def __init__(self):
            self.decoder = decoder
            self.roots = decoder.open(targets, features=False)
            self.by_prefix = {}

        def state_for(self, row, prefix):
            key = (row, tuple(prefix))
            if key in self.by_prefix:
                return self.by_prefix[key]
            parent = self.state_for(row, prefix[:-1]) if prefix else None
            if parent is None:
                sid = self.decoder.clone([self.roots[row]])[0]
            else:
                sid = self.decoder.clone([parent])[0]
                view = self.decoder.step([sid], tokens=[prefix[-1] - token_offset])[0]
                if "error" in view:
                    raise MiterError(f"row {row}: {view['error']}")
            self.by_prefix[key] = sid
            return sid

        def __call__(self, input_ids, scores):
            rows = input_ids.shape[0]
            per_target = max(1, rows // len(self.roots))
            sids = []
            for r in range(rows):
                prefix = input_ids[r, prompt_length:].tolist()
                sids.append(self.state_for(min(r // per_target, len(self.roots) - 1), prefix))
            # Later prefixes extend this call's, so states no row uses now are never needed again.
            live = set(sids)
            stale = [s for s in self.by_prefix.values() if s not in live]
            if stale:
                self.decoder.drop(stale)
                self.by_prefix = {k: s for k, s in self.by_prefix.items() if s in live}
            mask = self.decoder.mask_tensor(sids)
            full = torch.zeros(scores.shape, dtype=torch.bool)
            width = min(scores.shape[1] - token_offset, mask.shape[1])
            full[:, token_offset:token_offset + width] = mask[:, :width]
            return scores.masked_fill(~full.to(scores.device), float("-inf"))

    return _Processor()
