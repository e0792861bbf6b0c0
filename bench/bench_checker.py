"""What checking a generated answer adds, and proof that the extractive path is untouched with the mode off.

.venv/bin/python bench/bench_checker.py                        # shipped corpus, temporary index
.venv/bin/python bench/bench_checker.py --reference old.jsonl  # also diff answers against an older version's
                                                               # `wps-assistant batch` output

Prints, for an answer of five cited sentences over the passages of a real question:
- the whole check at once: split, embed the five sentences in one batch, score support, facts, decide
  (what checking would add if it waited for the whole reply);
- one sentence: what the last sentence costs when its full stop arrives. The answerer checks each
  sentence as soon as it is complete while the model is still writing, so this is the most that can
  be left once the model's last token is in;
- what is left after the stream's end (the decision and the answer's assembly);
- the last two again with support as the hand-set overlap score alone, in the same run (the baseline
  before the fitted support model), and the ratio;
- with WPS_LLM_MODE=off: that no model client was imported, that ask_stream yields the answer alone and
  equal to ask, and warm ask latency; with --reference, how many answers differ from the older version.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)
from assistant.pipeline.factory import build_assistant
from assistant.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import ROOT, SHIPPED, loadavg, pct

QUESTIONS_PATH = ROOT / "tests" / "data" / "questions.jsonl"
QUESTION = "What is recommended on accountability for conflict-related sexual violence?"


def five_sentence_answer(passages) -> str:
    """Five cited sentences taken from the passages (the length a model writes), round-robin."""
    sentences = []
    for i in range(5):
        p = passages[i % len(passages)]
        s = p.sentences[(i // len(passages)) % len(p.sentences)].text.rstrip(".;:, ")
        sentences.append(f"{s} [{p.n}].")
    return " ".join(sentences)


def bench_check(built, repeats: int) -> None:
    from llama_index.core.schema import QueryBundle

    from assistant.pipeline.llm.checker import AnswerChecker
    from assistant.pipeline.llm.claims import split_claims
    from assistant.pipeline.llm.generative import StreamCheck
    from assistant.pipeline.llm.prompt import number_passages
    from assistant.pipeline.llm.support import SupportModel
    from assistant.pipeline.plan.acronyms import Acronyms
    from assistant.pipeline.terms import Terms

    texts = [n.text for n in built.retriever.shared.passages]
    checker = AnswerChecker(built.settings, Terms(texts), Acronyms(texts), built.embed_model.encode)
    plan = built.planner.plan(QUESTION, [])
    bundle = QueryBundle(query_str=plan.query, embedding=built.embed_model.get_query_embedding(plan.query))
    retrieved = built.retrieve(bundle, plan)
    sentences = built.store.sentences([n.node.metadata["para_key"] for n in retrieved.passages])
    passages = number_passages(retrieved.passages, sentences, 100_000)
    answer = five_sentence_answer(passages)
    result = checker.check(answer, passages)
    print(
        f"answer of {len(result.kept) + len(result.removed)} sentences over {len(passages)} passages; "
        f"kept {len(result.kept)}, failure: {result.failure.kind if result.failure else 'none'}"
    )

    whole, rules, last, added, hand_last, hand_added = [], [], [], [], [], []
    tokens = re.findall(r"\S+\s*", answer)
    claims = split_claims(answer)
    vectors = dict(zip((c.plain for c in claims), checker.embed([c.plain for c in claims]), strict=True))
    # The same checker with the sentences' embeddings already known: what the rules cost without MiniLM.
    known = AnswerChecker(built.settings, checker.scorer.terms, checker.acronyms, lambda xs: [vectors[x] for x in xs])

    # The baseline in the same run: support as the hand-set overlap score alone (before the fitted model).
    class HandSet(AnswerChecker):
        """Support as before the fitted model: the hand-set overlap score against its own threshold."""

        def support(self, claim, embedding, passage, question=""):
            return self.scorer.score(claim, embedding, passage)

    before = SupportModel({}, built.settings.check_support_threshold)
    hand = HandSet(built.settings, checker.scorer.terms, checker.acronyms, checker.embed, before)
    for _ in range(repeats):
        t = time.perf_counter()
        checker.check(answer, passages)
        whole.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        known.check(answer, passages)
        rules.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()  # the last sentence alone: checked when its full stop arrives
        checker.verdict(claims[-1], checker.embed([claims[-1].plain])[0], passages)
        last.append((time.perf_counter() - t) * 1000)
        stream, reply = StreamCheck(checker, passages), ""
        for token in tokens:  # what happens while the model writes, as in GenerativeAnswerer.stream
            reply += token
            if set(".!?]") & set(token):
                stream.feed(reply)
        t = time.perf_counter()  # what is left once the stream has ended
        stream.finish(reply)
        added.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        hand.verdict(claims[-1], hand.embed([claims[-1].plain])[0], passages)
        hand_last.append((time.perf_counter() - t) * 1000)
        stream, reply = StreamCheck(hand, passages), ""
        for token in tokens:
            reply += token
            if set(".!?]") & set(token):
                stream.feed(reply)
        t = time.perf_counter()
        stream.finish(reply)
        hand_added.append((time.perf_counter() - t) * 1000)
    for label, values in (
        ("whole check, five sentences at once", whole),
        ("  of which not embedding (the rules)", rules),
        ("one sentence (the last, on its full stop)", last),
        ("  the same, hand-set overlap only (before)", hand_last),
        ("left after the stream's end", added),
        ("  the same, hand-set overlap only (before)", hand_added),
    ):
        print(f"{label:42} p50 {pct(values, 50):6.1f} ms   p95 {pct(values, 95):6.1f} ms")
    print(f"one sentence, fitted model / hand-set (p50): {pct(last, 50) / max(pct(hand_last, 50), 1e-9):.2f}")


def bench_off(built, reference: Path | None) -> None:
    questions = [json.loads(line) for line in QUESTIONS_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    loaded = [m for m in sys.modules if m.startswith(("llama_index.llms.", "openai", "ollama"))]
    loaded += [m for m in ("assistant.pipeline.llm.generative", "assistant.pipeline.llm.condense") if m in sys.modules]
    print(
        f"WPS_LLM_MODE=off: answerer {type(built.answerer).__name__}, condenser "
        f"{type(built.planner.condenser).__name__}; model-client modules imported: {loaded or 'none'}"
    )
    same, timings, answers = 0, [], {}
    for q in questions:
        t = time.perf_counter()
        answer = built.ask(q["question"], q.get("history"))
        timings.append((time.perf_counter() - t) * 1000)
        events = list(built.ask_stream(q["question"], q.get("history")))
        same += len(events) == 1 and events[0].answer == answer.answer and events[0].citations == answer.citations
        answers[q["id"]] = answer
    print(
        f"ask_stream yields the answer alone, equal to ask: {same}/{len(questions)}; "
        f"warm ask p50 {pct(timings, 50):.1f} ms, p95 {pct(timings, 95):.1f} ms"
    )
    if reference:
        old = {}
        for line in reference.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                old[record["id"]] = record
        differ = [
            i
            for i, a in answers.items()
            if i in old
            and (
                old[i]["answer"] != a.answer
                or [c["quote"] for c in old[i]["citations"]] != [c.quote for c in a.citations]
            )
        ]
        print(f"answers differing from {reference}: {len(differ)}/{len(set(answers) & set(old))} {differ or ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--reference", type=Path, help="`wps-assistant batch` output of an older version")
    args = parser.parse_args()
    print(f"load average (1/5 min) at start: {loadavg()}")
    with tempfile.TemporaryDirectory(prefix="wps-bench-checker-") as tmp:
        shutil.copytree(SHIPPED, Path(tmp) / "corpus")
        settings = Settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        built, _ = build_assistant(settings, ingest=True)
        bench_off(built, args.reference)
        bench_check(built, args.repeats)
    print(f"load average (1/5 min) at end: {loadavg()}")


if __name__ == "__main__":
    main()
