#!/usr/bin/env python3
"""Does a reading model trained at ingest from the corpus itself make the tiers more trustworthy?

    OMP_NUM_THREADS=1 .venv/bin/python bench/reader_experiment.py pairs   # can it learn its own task?
    OMP_NUM_THREADS=1 .venv/bin/python bench/reader_experiment.py train   # per index: train, score dumps
    .venv/bin/python bench/reader_experiment.py evaluate                  # tier feature and reranker

Inputs: copies of the evaluation indexes and dumps (cp /work/main/artifacts/eval/{index-*,rome.jsonl,
multi.jsonl,dev10.jsonl} artifacts/eval/), or --indexes/--answers pointing at them.

``train`` fine-tunes the reader below (a cross-encoder from the packaged MiniLM weights) on
pairs made from each evaluation index's own sentences -- never from the questions -- exactly as ingest
would, times it, and scores every dumped answer (artifacts/eval/{rome,multi,dev10}.jsonl, made by
bench/eval_dump.py): the question against the sentences of its first citation and of each candidate
passage. ``evaluate`` then measures, with scripts/fit_tiers.py's own labelling and fitting:

(a) the reader's score as an added tier feature: held-out AUC, top-tier precision, coverage and
    unanswerables answered on split a (GroupKFold by document) and on split b (fitted on a);
(b) the reader as a reranker of the candidate passages: hit@1 against the current order;
(c) its cost: training seconds per index, milliseconds per question.

Result (7 Dec 2026, 2 shared cores, 1 torch thread; the dumps of main at 93240ca): it does not help.

* Its own task on documents it did not train on (``pairs``, dev10, 3 of 4 documents to train):
  AUC 0.547 after 1 epoch at lr 5e-5 (180 s); 0.612 after 3 epochs at lr 1.5e-4 (547 s), of which
  positive vs type miss 0.780, vs swapped specific 0.517, vs neighbour 0.543. Within any ingest budget
  the MiniLM cross-encoder barely learns even the near miss it is built to see.
* (a) Tier feature (threshold 0.60). Base: split a held-out AUC 0.684, precision 0.739, coverage 0.573,
  unanswerables answered 0.436; split b 0.737 / 0.750 / 0.592 / 0.472. With the reader's best
  sentence of the first citation, 1 epoch: a 0.634 / 0.700 / 0.596 / 0.615, b 0.744 / 0.770 / 0.563 /
  0.417; 3 epochs: a 0.684 / 0.750 / 0.573 / 0.462, b 0.735 / 0.752 / 0.580 / 0.444 (its weight comes
  out negative). Alone it ranks right against wrong first citations at AUC 0.47-0.54.
* (b) Reranker, hit@1 of answerable questions over the five candidates: current first citation
  a 0.738 / b 0.702; the reader's first a 0.246-0.262 / b 0.180-0.213, i.e. chance (0.234 / 0.218);
  fused by RRF 0.52-0.54 / 0.47-0.53; a GroupKFold-fitted combination falls back to the current order.
* (c) Training at ingest for dev10 (249 paragraphs, 437 sentences, 1731 pairs): 230 s for 1 epoch,
  415 s for 3 (today's whole ingest is 56 s; the allowance is 112 s). Scoring 250-400 ms per question
  for the first citation and five candidates sentence by sentence (about a sixth of that for the first
  citation alone).

Reproduce: ``train`` then ``evaluate`` with the defaults (1 epoch) and with ``--epochs 3 --lr 1.5e-4
--max-length 96 --out artifacts/reader-e3``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_tiers  # noqa: E402
from fit_tiers import QUESTIONS, norm  # noqa: E402

from assistant import words  # noqa: E402

# ============================================================================ the reader
# A cross-encoder fine-tuned from the packaged MiniLM weights on pairs made from the corpus text alone
# (never from questions), so that ingest could train it on documents users bring:
#   positive   a pseudo-question of a sentence's key words asking for one of its specifics (an amount,
#              a number, a year, a name) with the matching question word, paired with that sentence;
#   swapped    the same with one of its specifics (or a rare word) replaced by another of the corpus
#              that the sentence lacks (the near miss);
#   type_miss  the key words asked with a question word whose kind of fact the sentence lacks
#              ("how much" over a sentence without an amount: the fellowship case);
#   neighbour  the pseudo-question paired with the closest other sentence lacking the asked specific.
# Seeded, single-threaded: the same corpus gives the same reader.

# ---------------------------------------------------------------------------- specifics

_AMOUNT = re.compile(
    r"(?:\b(?:EUR|USD|GBP|CHF)|US\$|\$|€|£)\s?\d[\d.,]*(?:\s(?:million|billion|thousand))?"
    r"|\b\d[\d.,]*\s?(?:%|per cent|percent)"
    r"|\b\d[\d.,]*\s(?:million|billion)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:(?:\s+(?:and|of|for|the|on|in|&))*\s+[A-Z][\w'’-]*)*|\b[A-Z]{2,}\b")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*|\d[\d.,]*\d|\d")
_LEADING_NUMBER = re.compile(r"^\s*(?:\(?[0-9ivxIVX]{1,4}[.)]\s+)")

# The question words for each kind of fact, and what a sentence holding that kind looks like.
ASK = {
    "amount": ("how much", "what amount", "how much money"),
    "number": ("how many", "what number of"),
    "year": ("when", "what year", "in which year"),
    "name": ("who", "which", "where"),
}
GENERIC = ("what", "what about", "what does it say on", "")


@dataclass(frozen=True)
class Specific:
    """A fact-bearing span of a sentence and its kind (amount, number, year, name)."""

    text: str
    kind: str


@dataclass(frozen=True)
class Pair:
    """One training example: a pseudo-question, a sentence, 1 when the sentence states what is asked."""

    question: str
    text: str
    label: float
    kind: str  # positive | swapped | type_miss | neighbour


def specifics(sentence: str) -> list[Specific]:
    """The amounts, numbers, years and names a sentence holds, in that order of preference, non-overlapping."""
    body = _LEADING_NUMBER.sub("", sentence)
    taken: list[tuple[int, int]] = []
    out: list[Specific] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, pattern in (("amount", _AMOUNT), ("year", _YEAR), ("number", _NUMBER), ("name", _NAME)):
        for m in pattern.finditer(body):
            text = m.group(0).strip()
            # A name is not the capital that opens the sentence, nor a lone function word ("We", "The").
            if kind == "name" and (m.start() == 0 or text.lower() in words.load("function_words_en")):
                continue
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                out.append(Specific(text, kind))
    return out


def holds_kind(kind: str, sentence: str) -> bool:
    """The sentence holds a fact of this kind (any amount for "amount", any figure for "number", …)."""
    found = {s.kind for s in specifics(sentence)}
    if kind == "number":
        return bool(found & {"number", "amount"}) or bool(
            re.search(rf"\b(?:{'|'.join(sorted(words.load('number_words')))})\b", sentence, re.I)
        )
    return kind in found


def keywords(sentence: str) -> list[str]:
    """The sentence's content words in order (no function words, no paragraph number)."""
    stop = words.load("function_words_en")
    body = _LEADING_NUMBER.sub("", sentence)
    return [w for w in _WORD.findall(body) if w.lower() not in stop and len(w) > 1]


# ---------------------------------------------------------------------------- pairs


def _question(rng: random.Random, ask: str, terms: Sequence[str]) -> str:
    text = " ".join(t for t in (ask, *terms) if t).strip()
    if rng.random() < 0.6:
        text = text.lower()
    return text + ("?" if rng.random() < 0.7 else "")


def _pick_terms(rng: random.Random, terms: Sequence[str], low: int = 2, high: int = 6) -> list[str]:
    if len(terms) <= low:
        return list(terms)
    k = rng.randint(low, min(high, len(terms)))
    chosen = sorted(rng.sample(range(len(terms)), k))
    return [terms[i] for i in chosen]


def make_pairs(sentences: Sequence[str], seed: int = 0, per_sentence: int = 2) -> list[Pair]:
    """Training pairs from a corpus's sentences alone (the four kinds are described above)."""
    rng = random.Random(seed)
    sents = [s for s in sentences if len(keywords(s)) >= 3]
    facts = [specifics(s) for s in sents]
    bags = [{w.lower() for w in keywords(s)} for s in sents]
    pool: dict[str, list[str]] = {}
    for found in facts:
        for f in found:
            pool.setdefault(f.kind, []).append(f.text)
    for kind in pool:
        pool[kind] = sorted(set(pool[kind]))
    vocabulary = sorted({w for bag in bags for w in bag if len(w) > 4})
    pairs: list[Pair] = []
    for i, sentence in enumerate(sents):
        for _ in range(per_sentence):
            answer = rng.choice(facts[i]) if facts[i] and rng.random() < 0.8 else None
            answer_words = set(answer.text.lower().split()) if answer else set()
            terms = [w for w in keywords(sentence) if w.lower() not in answer_words]
            terms = _pick_terms(rng, terms)
            ask = rng.choice(ASK[answer.kind]) if answer else rng.choice(GENERIC)
            question = _question(rng, ask, terms)
            pairs.append(Pair(question, sentence, 1.0, "positive"))

            # Near miss: a specific of the question (or a rare word) swapped for one the sentence lacks.
            cues = [f for f in facts[i] if f != answer and any(f.text.split()[0] == t for t in terms)]
            swapped = list(terms)
            if cues:
                cue = rng.choice(cues)
                others = [t for t in pool.get(cue.kind, []) if t.lower() not in sentence.lower()]
                if others:
                    at = next(j for j, t in enumerate(terms) if t == cue.text.split()[0])
                    swapped[at] = rng.choice(others)
            if swapped == terms and terms:
                others = [w for w in vocabulary if w not in bags[i]]
                if others:
                    at = max(range(len(terms)), key=lambda j: len(terms[j]))
                    swapped[at] = rng.choice(others)
            if swapped != terms:
                pairs.append(Pair(_question(rng, ask, swapped), sentence, 0.0, "swapped"))

            # Type miss: asked for a kind of fact the sentence does not hold.
            missing = [k for k in ASK if not holds_kind(k, sentence)]
            if missing:
                kind = rng.choice(missing)
                pairs.append(Pair(_question(rng, rng.choice(ASK[kind]), terms), sentence, 0.0, "type_miss"))

            # Neighbour: the closest other sentence that lacks the asked specific.
            asked = {t.lower() for t in terms}
            best, best_overlap = None, 0
            for j, bag in enumerate(bags):
                if j == i or (answer and answer.text.lower() in sents[j].lower()):
                    continue
                if not answer and asked <= bag:
                    continue
                overlap = len(asked & bag)
                if overlap > best_overlap or (overlap == best_overlap and overlap and rng.random() < 0.3):
                    best, best_overlap = j, overlap
            if best is not None:
                pairs.append(Pair(question, sents[best], 0.0, "neighbour"))
    return pairs


# ---------------------------------------------------------------------------- the model


@dataclass
class Reader:
    """The fine-tuned cross-encoder: ``score(question, texts)`` is the logit that each text states it."""

    model: Any
    tokenizer: Any
    max_length: int = 128

    def score(self, question: str, texts: Sequence[str], batch_size: int = 32) -> list[float]:
        import torch

        out: list[float] = []
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                chunk = list(texts[start : start + batch_size])
                enc = self.tokenizer(
                    [question] * len(chunk),
                    chunk,
                    truncation="only_second",
                    max_length=self.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                out.extend(self.model(**enc).logits[:, 0].tolist())
        return out

    def best(self, question: str, sentences: Iterable[str]) -> float:
        """The highest score over a passage's sentences (the passage states it if one sentence does)."""
        scores = self.score(question, list(sentences))
        return max(scores) if scores else float("-inf")

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(folder)
        self.tokenizer.save_pretrained(folder)

    @classmethod
    def load(cls, folder: Path, threads: int = 1) -> Reader:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        torch.set_num_threads(threads)
        model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True)
        return cls(model, AutoTokenizer.from_pretrained(folder, local_files_only=True))


def train(
    sentences: Sequence[str],
    base: Path,
    seed: int = 0,
    epochs: int = 1,
    batch_size: int = 16,
    learning_rate: float = 5e-5,
    per_sentence: int = 2,
    max_length: int = 128,
    threads: int = 1,
    max_pairs: int | None = None,
) -> Reader:
    """Fine-tune a cross-encoder from the MiniLM weights at ``base`` on the corpus's own pairs."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    hf_logging.set_verbosity_error()  # the fresh classification head is expected, not a warning
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1, local_files_only=True)
    pairs = make_pairs(sentences, seed=seed, per_sentence=per_sentence)
    rng = random.Random(seed)
    if max_pairs is not None and len(pairs) > max_pairs:
        pairs = rng.sample(pairs, max_pairs)
    steps = epochs * ((len(pairs) + batch_size - 1) // batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    for _ in range(epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch = [pairs[k] for k in order[start : start + batch_size]]
            enc = tokenizer(
                [p.question for p in batch],
                [p.text for p in batch],
                truncation="only_second",
                max_length=max_length,
                padding=True,
                return_tensors="pt",
            )
            logits = model(**enc).logits[:, 0]
            loss = loss_fn(logits, torch.tensor([p.label for p in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
    model.eval()
    return Reader(model, tokenizer, max_length)


# ============================================================================ the experiment

SETS = ("rome", "multi", "dev10")
_SPLIT = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z0-9(“\"])")


def documents(index_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Each document's paragraphs (text → its sentences), read from an evaluation index."""
    from assistant.index.store import Store, paragraph_text
    from assistant.settings import Settings

    store = Store.live(Settings(index_dir=index_dir))
    by_key: dict[str, list] = defaultdict(list)
    for sentence, _ in store.sentence_records():
        by_key[sentence.para_key].append(sentence)
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for key, parts in by_key.items():
        out[parts[0].address.doc_id][paragraph_text(key, parts)] = [x.text for x in parts]
    return out


def paragraphs(index_dir: Path) -> dict[str, list[str]]:
    """Every paragraph's text and its sentences, all documents together."""
    return {text: sents for doc in documents(index_dir).values() for text, sents in doc.items()}


def pair_task(args: argparse.Namespace) -> None:
    """Can the reader learn its own task? Train on the pairs of three quarters of dev10's documents and
    score the pairs of the others (AUC of positive against each kind of negative)."""
    import torch
    from sklearn.metrics import roc_auc_score

    from assistant.index.embeddings import packaged_model_path

    torch.set_num_threads(args.threads)
    docs = documents(args.indexes / "index-dev10")
    names = sorted(docs)
    held = set(names[::4])
    fit_sents = [s for d in names if d not in held for ss in docs[d].values() for s in ss]
    test_sents = [s for d in sorted(held) for ss in docs[d].values() for s in ss]
    started = time.perf_counter()
    reader = train(
        fit_sents,
        packaged_model_path(),
        seed=args.seed,
        epochs=args.epochs,
        per_sentence=args.per_sentence,
        max_length=args.max_length,
        threads=args.threads,
        learning_rate=args.lr,
    )
    seconds = time.perf_counter() - started
    pairs = make_pairs(test_sents, seed=args.seed + 5, per_sentence=1)
    scores = np.array([reader.score(p.question, [p.text])[0] for p in pairs])
    y = np.array([p.label for p in pairs])
    print(
        f"pair task: trained on {len(fit_sents)} sentences of {len(names) - len(held)} documents in {seconds:.0f} s "
        f"({args.epochs} epochs, lr {args.lr:g}); held-out documents {sorted(held)}"
    )
    print(f"  held-out pair AUC, all negatives: {roc_auc_score(y, scores):.3f}")
    for kind in ("swapped", "type_miss", "neighbour"):
        keep = np.array([p.kind in ("positive", kind) for p in pairs])
        print(f"  positive vs {kind:9}: {roc_auc_score(y[keep], scores[keep]):.3f}")


def sentences_of(text: str, known: dict[str, list[str]]) -> list[str]:
    return known.get(text) or [s for s in _SPLIT.split(text) if s.strip()] or [text]


def train_and_score(args: argparse.Namespace) -> None:
    import torch

    from assistant.index.embeddings import packaged_model_path

    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        known = paragraphs(args.indexes / f"index-{name}")
        sentences = [s for ss in known.values() for s in ss]
        pairs = make_pairs(sentences, seed=args.seed, per_sentence=args.per_sentence)
        started = time.perf_counter()
        reader = train(
            sentences,
            packaged_model_path(),
            seed=args.seed,
            epochs=args.epochs,
            per_sentence=args.per_sentence,
            max_pairs=args.max_pairs,
            max_length=args.max_length,
            threads=args.threads,
            learning_rate=args.lr,
        )
        seconds = time.perf_counter() - started
        print(f"{name}: {len(known)} paragraphs, {len(sentences)} sentences, {len(pairs)} pairs, {seconds:.1f} s")
        scored, per_question = [], []
        for line in (args.answers / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            question = a.get("standalone_question") or a["question"]
            cited = [c["text"] for c in a.get("citations") or a.get("related") or []]
            candidates = a.get("candidates") or []
            t0 = time.perf_counter()
            texts = list(dict.fromkeys(cited[:1] + candidates))
            scores = {}
            for text in texts:
                scores[text] = {"best": reader.best(question, sentences_of(text, known))}
            if texts:
                per_question.append((time.perf_counter() - t0) * 1000)
            for text in cited[:1]:
                scores[text]["passage"] = reader.score(question, [text])[0]
            scored.append(
                {
                    "id": a["id"],
                    "first": scores[cited[0]] if cited else None,
                    "candidates": [scores[c]["best"] for c in candidates],
                }
            )
        (args.out / f"{name}.json").write_text(
            json.dumps(
                {
                    "train_seconds": seconds,
                    "paragraphs": len(known),
                    "sentences": len(sentences),
                    "pairs": min(len(pairs), args.max_pairs or len(pairs)),
                    "ms_per_question_p50": float(np.median(per_question)),
                    "ms_per_question_mean": float(np.mean(per_question)),
                    "rows": scored,
                }
            ),
            encoding="utf-8",
        )
        print(f"  scoring: {np.median(per_question):.0f} ms per question (p50, {args.threads} thread)")


# ---------------------------------------------------------------------------- evaluation


def tier_rows(args: argparse.Namespace, extra: list[str]) -> list[dict]:
    """fit_tiers.rows() with the reader's features appended to each row's x."""
    reader = {}
    for name in args.sets:
        for r in json.loads((args.out / f"{name}.json").read_text())["rows"]:
            reader[r["id"]] = r
    out = []
    for r in fit_tiers.rows(args.answers, fit_tiers.FEATURES):
        first = (reader.get(r["id"]) or {}).get("first")
        cands = (reader.get(r["id"]) or {}).get("candidates") or []
        values = {
            "ce": first["best"] if first else -10.0,
            "ce_passage": first.get("passage", -10.0) if first else -10.0,
            "ce_margin": (first["best"] - max(cands)) if first and cands else 0.0,
        }
        out.append({**r, "x": r["x"] + [values[f] for f in extra]})
    return out


def tier_table(args: argparse.Namespace) -> None:
    from sklearn.metrics import roc_auc_score

    threshold = args.cost / (1 + args.cost)
    print(f"\n(a) tier model, threshold {threshold:.2f}; split a held out by document (GroupKFold 5), b fitted on a")
    print("features                          split  rows  AUC    precision coverage unans.answered")
    for extra in ([], ["ce"], ["ce_passage"], ["ce", "ce_margin"]):
        data = tier_rows(args, extra)
        a = [r for r in data if r["split"] == "a"]
        b = [r for r in data if r["split"] == "b"]
        p_a = fit_tiers.held_out(a, args.C)
        model = fit_tiers.fit(np.array([r["x"] for r in a]), np.array([r["y"] for r in a]), args.C)
        p_b = model.predict_proba(np.array([r["x"] for r in b]))[:, 1]
        label = "+".join(["base", *extra])
        for split, rows_, p in (("a cv", a, p_a), ("b", b, p_b)):
            y = np.array([r["y"] for r in rows_])
            ans = np.array([r["answerable"] for r in rows_])
            prec, cov = fit_tiers.precision_coverage(p, y, ans, threshold)
            wrong = float((p[~ans] >= threshold).mean())
            auc = roc_auc_score(y, p)
            print(f"{label:33} {split:5} {len(rows_):4d}  {auc:.3f}  {prec:.3f}     {cov:.3f}    {wrong:.3f}")
            if split == "b":
                for name in args.sets:
                    keep = np.array([r["set"] == name for r in rows_])
                    yk, ak, pk = y[keep], ans[keep], p[keep]
                    prec, cov = fit_tiers.precision_coverage(pk, yk, ak, threshold)
                    wrong = float((pk[~ak] >= threshold).mean()) if (~ak).any() else float("nan")
                    print(f"{'':33}   {name:6}{keep.sum():3d}         {prec:.3f}     {cov:.3f}    {wrong:.3f}")
        if extra:
            print(f"{'':33} weights {fit_tiers.raw_weights(model, fit_tiers.FEATURES + extra)}")
    # The reader alone: does it separate a right first citation from a wrong one?
    data = tier_rows(args, ["ce"])
    for split in ("a", "b"):
        rows_ = [r for r in data if r["split"] == split]
        y = np.array([r["y"] for r in rows_])
        ce = np.array([r["x"][-1] for r in rows_])
        ans = np.array([r["answerable"] for r in rows_])
        auc_right, auc_ans = roc_auc_score(y, ce), roc_auc_score(ans, ce)
        print(f"reader alone, split {split}: AUC right first citation {auc_right:.3f}, answerable {auc_ans:.3f}")


def rerank_table(args: argparse.Namespace) -> None:
    """hit@1 of the candidates in the current order, by the reader, and by the two fused."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    print("\n(b) reranking the answerer's candidate passages (answerable questions with candidates)")
    items = []
    for name in args.sets:
        reader = {r["id"]: r for r in json.loads((args.out / f"{name}.json").read_text())["rows"]}
        answers = {
            json.loads(line)["id"]: json.loads(line)
            for line in (args.answers / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        }
        for line in QUESTIONS[name].read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            a = answers.get(q["id"])
            gold = q.get("gold") or []
            if not a or not gold or not a.get("candidates"):
                continue
            cands = a["candidates"]
            hits = [any(norm(g) in norm(c) for g in gold) for c in cands]
            cited = [c["text"] for c in a.get("citations") or a.get("related") or []]
            doc = q.get("doc") or ""
            items.append(
                {
                    "set": name,
                    "split": q["split"],
                    "kind": q["kind"],
                    "group": f"{name}:{(doc[0] if isinstance(doc, list) and doc else doc) or 'none'}",
                    "hits": hits,
                    "ce": reader[q["id"]]["candidates"],
                    "cited_hit": bool(cited) and any(norm(g) in norm(cited[0]) for g in gold),
                }
            )

    def features(it: dict) -> np.ndarray:
        ce = np.array(it["ce"])
        ranks = np.arange(len(ce))
        return np.column_stack([ranks, 1 / (ranks + 1), ce, ce - ce.max(), (ce >= ce.max()).astype(float)])

    def pick_learned(train: list[dict], test: list[dict]) -> list[int]:
        x = np.vstack([features(it) for it in train])
        y = np.concatenate([it["hits"] for it in train]).astype(int)
        model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
        return [int(np.argmax(model.predict_proba(features(it))[:, 1])) for it in test]

    a = [it for it in items if it["split"] == "a"]
    b = [it for it in items if it["split"] == "b"]
    learned_a = np.zeros(len(a), dtype=int)
    groups = [it["group"] for it in a]
    for fit_idx, test_idx in GroupKFold(n_splits=5).split(a, groups=groups):
        picks = pick_learned([a[i] for i in fit_idx], [a[i] for i in test_idx])
        learned_a[test_idx] = picks
    learned_b = pick_learned(a, b)

    def rrf(it: dict) -> int:
        ce_rank = np.argsort(np.argsort(-np.array(it["ce"])))
        fused = 1 / (60 + np.arange(len(it["ce"]))) + 1 / (60 + ce_rank)
        return int(np.argmax(fused))

    print("split  set      n  cited@1  cand0@1  reader@1  rrf@1    learned@1 chance@1 any-of-5")
    for split, group, learned in (("a", a, learned_a), ("b", b, learned_b)):
        for name in (*args.sets, "all"):
            keep = [i for i, it in enumerate(group) if name in ("all", it["set"])]
            if not keep:
                continue
            sub = [group[i] for i in keep]
            cited = np.mean([it["cited_hit"] for it in sub])
            cand0 = np.mean([it["hits"][0] for it in sub])
            ce1 = np.mean([it["hits"][int(np.argmax(it["ce"]))] for it in sub])
            fused = np.mean([it["hits"][rrf(it)] for it in sub])
            lrn = np.mean([group[i]["hits"][learned[i]] for i in keep])
            anyk = np.mean([any(it["hits"]) for it in sub])
            chance = np.mean([np.mean(it["hits"]) for it in sub])
            figures = (cited, cand0, ce1, fused, lrn, chance, anyk)
            print(f"{split:5}  {name:6} {len(sub):3d}  " + "    ".join(f"{v:.3f}" for v in figures))


def cost_table(args: argparse.Namespace) -> None:
    print("\n(c) cost (threads as trained)")
    for name in args.sets:
        meta = json.loads((args.out / f"{name}.json").read_text())
        print(
            f"{name:6} {meta['paragraphs']:4d} paragraphs {meta['sentences']:5d} sentences {meta['pairs']:5d} pairs: "
            f"train {meta['train_seconds']:.1f} s; scoring {meta['ms_per_question_p50']:.0f} ms/question p50 "
            f"({meta['ms_per_question_mean']:.0f} mean; first citation + up to 5 candidates, sentence by sentence)"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["pairs", "train", "evaluate", "both"])
    parser.add_argument("--answers", type=Path, default=ROOT / "artifacts" / "eval")
    parser.add_argument("--indexes", type=Path, default=ROOT / "artifacts" / "eval")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "reader")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--per-sentence", type=int, default=1)
    parser.add_argument("--max-pairs", type=int, default=None)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cost", type=float, default=1.5)
    parser.add_argument("--C", type=float, default=fit_tiers.C)
    args = parser.parse_args()
    args.sets = args.sets.split(",")
    if args.step == "pairs":
        pair_task(args)
    if args.step in ("train", "both"):
        train_and_score(args)
    if args.step in ("evaluate", "both"):
        tier_table(args)
        rerank_table(args)
        cost_table(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
