"""Checks examples/miter_batch.py against `miter decode --serve --batch`.

    python3 examples/test_miter_batch.py [MITER_BINARY]

Prints one line per check and SKIP lines (with the reason) for checks whose
optional packages (numpy, torch, transformers) are missing; exits 1 on a failure.
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from miter_batch import BatchDecoder, MiterError, MiterLogitsProcessor, legal_ids, masked_logits  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else None
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = open(os.path.join(HERE, "..", "Tests", "DecoderTests", "Fixtures", "ct-readme.aag")).read()
TARGETS = [{"tt": ["8"]}, {"tt": ["6996", "fe80"]}, {"aag": SOURCE}]


def check_protocol():
    rng = random.Random(5)
    with BatchDecoder(BIN) as dec:
        ids = dec.open(TARGETS)
        assert dec.vocab == 6 + 2 * 8, dec.vocab
        # A refused token leaves the state as it was and says why.
        before = dec.views[ids[0]]["tokens"]
        view = dec.step([ids[0]], tokens=[dec.vocab - 1])[0]
        assert "error" in view and view["tokens"] == before, view
        try:
            dec.step([12345], tokens=[4])
            raise AssertionError("unknown state accepted")
        except MiterError as e:
            assert "no live state" in str(e)
        forked = None
        live = list(ids)
        steps = 0
        while live:
            tokens = [rng.choice(legal_ids(dec.views[i], dec.vocab)) for i in live]
            dec.step(live, tokens=tokens)
            steps += 1
            if steps == 5:
                forked = dec.clone([ids[2]])[0]   # branch the README circuit mid-way
                live.append(forked)
            live = [i for i in live if not dec.views[i]["done"]]
        results = dec.result(ids + [forked])
        assert all(r["verified"] for r in results)
        # The source's count is the default budget of an "aag" target.
        assert results[2]["ands"] <= 25 and results[3]["ands"] <= 25, results
        dec.drop([forked])
    print(f"protocol: {len(results)} states verified after {steps} batched steps (README circuit {results[2]['ands']} and {results[3]['ands']} ANDs)")


def check_numpy():
    try:
        import numpy as np
    except ImportError:
        print("SKIP numpy masks: numpy is not installed")
        return
    with BatchDecoder(BIN) as dec:
        ids = dec.open(TARGETS)
        mask = dec.mask_array(ids)
        assert mask.shape == (3, dec.vocab)
        for row, i in enumerate(ids):
            assert list(np.flatnonzero(mask[row])) == legal_ids(dec.views[i], dec.vocab)
        # Score rows: the server applies each row's best legal token.
        while not all(dec.views[i]["done"] for i in ids):
            logits = np.random.default_rng(1).normal(size=(3, dec.vocab))
            best = masked_logits(logits, dec.mask_array(ids)).argmax(axis=1)
            views = dec.step(ids, scores=logits)
            for v, b in zip(views, best):
                assert v.get("error") is None
            assert all(np.isfinite(masked_logits(logits, dec.mask_array(ids)).max(axis=1)))
        assert all(r["verified"] for r in dec.result(ids))
    print("numpy masks: mask rows equal the legal sets; score rows decode to verified circuits")


def check_transformers():
    try:
        import torch
        import transformers
    except ImportError as e:
        print(f"SKIP transformers LogitsProcessor: {e.name} is not installed")
        return
    torch.manual_seed(0)
    vocab = 6 + 2 * 8
    config = transformers.GPT2Config(vocab_size=vocab, n_positions=256, n_embd=32, n_layer=1, n_head=2,
                                     bos_token_id=2, eos_token_id=1, pad_token_id=0)
    model = transformers.GPT2LMHeadModel(config).eval()   # random weights, no download
    # A token budget bounds the sequence whatever the model prefers (a random one writes AND after AND).
    targets = [{"tt": ["6996", "fe80"], "max_tokens": 200}, {"aag": SOURCE, "max_tokens": 200}]
    for beams in (1, 2):
        with BatchDecoder(BIN, vocab_inputs=8) as dec:
            rows = len(targets)
            processor = MiterLogitsProcessor(dec, targets, prompt_length=1)
            prompt = torch.full((rows, 1), 2, dtype=torch.long)   # any prompt token; the decoder sees only generated ones
            out = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=240, do_sample=False, num_beams=beams,
                                 logits_processor=transformers.LogitsProcessorList([processor]),
                                 eos_token_id=1, pad_token_id=0)
            for r in range(rows):
                generated = [t for t in out[r, 1:].tolist() if t != 0]
                assert generated and generated[-1] == 1, f"row {r} did not reach EOS in 240 tokens: {generated[:20]}..."
                ids = dec.open([targets[r]], features=False)
                views = None
                for t in generated:
                    views = dec.step(ids, tokens=[t])
                    assert "error" not in views[0], views[0]
                assert views[0]["done"]
                res = dec.result(ids)[0]
                assert res["verified"]
                print(f"transformers LogitsProcessor (beams {beams}): row {r} decoded to {res['ands']} ANDs in {len(generated)} tokens, verified")


if __name__ == "__main__":
    check_protocol()
    check_numpy()
    check_transformers()
    print("ok")
