"""Measure answer quality and speed on a question file, and the same for plain llama-index defaults.

Question file: one JSON object a line with ``id``, ``kind``, ``question``, optional ``history``
(earlier user turns), ``gold`` (exact substrings of the corpus that a correct citation must contain;
empty when the corpus does not answer) and ``answer_keys`` (short facts a correct answer contains).
A cited paragraph is relevant when it contains one of the gold substrings. Ranking metrics come from
llama-index (``HitRate``, ``MRR``); the rest is counted here.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate

from assistant.embeddings import MiniLMEmbedding
from assistant.parsing import doc_id_for
from assistant.service import Assistant, build_assistant
from assistant.settings import Settings


class QuestionFileError(ValueError):
    """A question file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    question: str
    history: tuple[str, ...] = ()
    gold: tuple[str, ...] = ()
    answer_keys: tuple[str, ...] = ()
    split: str = ""
    gold_docs: tuple[str, ...] = ()  # documents a correct answer cites (optional; file stems)

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass
class Outcome:
    """What one system did with one question."""

    id: str
    kind: str
    answerable: bool
    abstained: bool
    hit1: float
    hit3: float
    mrr: float
    quote_covers: bool
    key_share: float
    docs_cited: float | None  # share of gold_docs among the cited documents (None without gold_docs)
    cited_words: float
    latency_ms: float
    split: str = ""


@dataclass
class Reply:
    """A system's reply reduced to what is scored: its cited texts in order, its answer, abstention."""

    ids: list[str]
    texts: list[str]
    answer: str
    abstained: bool
    first_quote: str = ""


@dataclass
class Summary:
    n: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    quote_covers: float = 0.0
    key_share: float = 0.0
    docs_cited: float | None = None
    abstain_unanswerable: float | None = None
    answered_answerable: float | None = None
    cited_words: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    by_kind: dict[str, dict] = field(default_factory=dict)


def load_questions(path: Path, split: str | None = None) -> list[Question]:
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            q = Question(
                id=str(item["id"]),
                kind=str(item.get("kind", "question")),
                question=str(item["question"]),
                history=tuple(item.get("history") or ()),
                gold=tuple(item.get("gold") or ()),
                answer_keys=tuple(item.get("answer_keys") or ()),
                gold_docs=tuple(str(d).lower() for d in item.get("gold_docs") or ()),
                split=str(item.get("split", "")),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise QuestionFileError(f"{path}:{number}: not a question object ({exc})") from exc
        if split is None or q.split == split:
            questions.append(q)
    return questions


def _covers(quote: str, gold: Iterable[str]) -> bool:
    """The quote contains a gold passage, or most of its words (quotes may be a clause of it)."""
    q_words = set(quote.lower().split())
    for g in gold:
        if g in quote:
            return True
        g_words = g.lower().split()
        if g_words and sum(w in q_words for w in g_words) / len(g_words) >= 0.6:
            return True
    return False


def score(q: Question, got: Reply, relevant: set[str], latency_ms: float) -> Outcome:
    expected = list(relevant) or ["-"]  # llama-index metrics need a non-empty expectation

    def metric(m, k: int | None = None) -> float:
        ids = got.ids[:k] if k else got.ids
        return float(m.compute(expected_ids=expected, retrieved_ids=ids).score) if ids and relevant else 0.0

    answer = got.answer.lower()
    keys = [k for k in q.answer_keys if k]
    return Outcome(
        id=q.id,
        kind=q.kind,
        answerable=q.answerable,
        abstained=got.abstained,
        hit1=metric(HitRate(), 1),
        hit3=metric(HitRate(), 3),
        mrr=metric(MRR()),
        quote_covers=bool(q.gold) and _covers(got.first_quote, q.gold),
        key_share=sum(k.lower() in answer for k in keys) / len(keys) if keys else 0.0,
        docs_cited=(
            sum(any(i.split("#")[0] == d for i in got.ids) for d in q.gold_docs) / len(q.gold_docs)
            if q.gold_docs
            else None
        ),
        cited_words=statistics.mean(len(t.split()) for t in got.texts) if got.texts else 0.0,
        latency_ms=latency_ms,
        split=q.split,
    )


def by_split(outcomes: list[Outcome]) -> dict[str, dict]:
    """Figures per split ("tune", "test") when the question file has several: parameters are chosen
    on one part, and the other shows how well that choice holds on questions it was not tuned on."""
    splits = sorted({o.split for o in outcomes if o.split}, key=lambda name: (name != "tune", name))
    if len(splits) < 2:
        return {}
    return {name: asdict(summarize([o for o in outcomes if o.split == name])) for name in splits}


def summarize(outcomes: list[Outcome]) -> Summary:
    def block(rows: list[Outcome]) -> dict:
        answerable = [o for o in rows if o.answerable]
        unanswerable = [o for o in rows if not o.answerable]
        latencies = sorted(o.latency_ms for o in rows)
        mean = lambda xs: round(statistics.mean(xs), 3) if xs else 0.0  # noqa: E731
        return {
            "n": len(rows),
            "hit1": mean([o.hit1 for o in answerable]),
            "hit3": mean([o.hit3 for o in answerable]),
            "mrr": mean([o.mrr for o in answerable]),
            "quote_covers": mean([float(o.quote_covers) for o in answerable]),
            "key_share": mean([o.key_share for o in answerable]),
            "docs_cited": mean(docs)
            if (docs := [o.docs_cited for o in answerable if o.docs_cited is not None])
            else None,
            "abstain_unanswerable": mean([float(o.abstained) for o in unanswerable]) if unanswerable else None,
            "answered_answerable": mean([float(not o.abstained) for o in answerable]) if answerable else None,
            "cited_words": round(statistics.mean(o.cited_words for o in rows), 1) if rows else 0.0,
            "latency_p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
            "latency_p95_ms": round(latencies[max(0, int(0.95 * len(latencies)) - 1)], 1) if latencies else 0.0,
        }

    summary = Summary(**block(outcomes))
    for kind in sorted({o.kind for o in outcomes}):
        summary.by_kind[kind] = block([o for o in outcomes if o.kind == kind])
    return summary


# --------------------------------------------------------------------------- the two systems


class OurSystem:
    name = "assistant"

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def relevant(self, q: Question) -> set[str]:
        ids = set()
        for doc in self.assistant.documents():
            paragraphs = self.assistant.paragraphs(doc["doc_id"])
            ids |= {f"{doc['doc_id']}#p{p['paragraph']}" for p in paragraphs if any(g in p["text"] for g in q.gold)}
        return ids

    def reply(self, q: Question) -> Reply:
        a = self.assistant.ask(q.question, list(q.history))
        cited = a.citations
        ids = list(dict.fromkeys(f"{c.doc_id}#p{c.paragraph}" for c in cited))
        return Reply(ids, [c.text for c in cited], a.answer, a.abstained, cited[0].quote if cited else "")


class BaselineSystem:
    """llama-index defaults on the same corpus and model: SimpleDirectoryReader, SentenceSplitter
    defaults, an in-memory VectorStoreIndex, top-3 retrieval, the first chunk as the answer, no
    abstention and no conversation handling.

    ``chunk_size`` (tokens) replaces the splitter's default of 1024. The default chunks hold about a
    third of a communiqué each, so a top-3 "hit" is nearly certain and tells a reader little; chunks
    the size of our passages make the same comparison at the precision a citation needs."""

    def __init__(
        self, corpus_dir: Path, embed_model: MiniLMEmbedding, top_k: int = 3, chunk_size: int | None = None
    ) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        documents = SimpleDirectoryReader(str(corpus_dir), recursive=True).load_data()
        splitter = (
            SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_size // 10)
            if chunk_size
            else SentenceSplitter()
        )
        self.index = VectorStoreIndex.from_documents(documents, embed_model=embed_model, transformations=[splitter])
        self.nodes = list(self.index.docstore.docs.values())
        self.retriever = self.index.as_retriever(similarity_top_k=top_k)

    @staticmethod
    def _id(node) -> str:
        """'<document id>#<chunk id>', the document id being the file stem as in our index."""
        return f"{doc_id_for(Path(node.metadata.get('file_name', '')))}#{node.node_id}"

    def relevant(self, q: Question) -> set[str]:
        return {self._id(n) for n in self.nodes if any(g in n.get_content() for g in q.gold)}

    def reply(self, q: Question) -> Reply:
        nodes = self.retriever.retrieve(q.question)
        texts = [n.node.get_content() for n in nodes]
        first = texts[0] if texts else ""
        return Reply([self._id(n.node) for n in nodes], texts, first, False, first)


def evaluate(system, questions: list[Question], progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    outcomes = []
    for i, q in enumerate(questions, start=1):
        started = time.perf_counter()
        got = system.reply(q)
        latency = (time.perf_counter() - started) * 1000
        outcomes.append(score(q, got, system.relevant(q), latency))
        if progress:
            progress(i, len(questions))
    return outcomes


def run(
    settings: Settings,
    questions_path: Path,
    corpus_dir: Path | None = None,
    baseline: bool = False,
    split: str | None = None,
    embed_model: MiniLMEmbedding | None = None,
) -> dict:
    """Index the corpus into a temporary folder, answer every question, summarize (and the baseline)."""
    questions = load_questions(questions_path, split)
    if not questions:
        raise QuestionFileError(f"{questions_path}: no questions{f' in split {split!r}' if split else ''}")
    corpus = Path(corpus_dir or settings.corpus_dir)
    embed_model = embed_model or MiniLMEmbedding.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix="wps-eval-") as tmp:
        # An embedded store in a temporary folder, whatever WPS_CHROMA_HOST says: evaluation never
        # touches the index people are using.
        eval_settings = settings.model_copy(update={"corpus_dir": corpus, "index_dir": Path(tmp), "chroma_host": None})
        assistant, report = build_assistant(eval_settings, ingest=True, embed_model=embed_model)
        results = {"questions": str(questions_path), "corpus": str(corpus), "split": split, "systems": {}}
        ours = evaluate(OurSystem(assistant), questions)
        results["systems"]["assistant"] = _result(ours)
        if report and report.failed:
            results["unreadable_files"] = report.failed
        if baseline:
            base = evaluate(BaselineSystem(corpus, embed_model), questions)
            results["systems"]["baseline"] = _result(base)
            small = BaselineSystem(corpus, embed_model, chunk_size=eval_settings.chunk_max_tokens)
            results["systems"][f"baseline {eval_settings.chunk_max_tokens}-token"] = _result(evaluate(small, questions))
    return results


def _result(outcomes: list[Outcome]) -> dict:
    return {
        "summary": asdict(summarize(outcomes)),
        "by_split": by_split(outcomes),
        "outcomes": [asdict(o) for o in outcomes],
    }


# --------------------------------------------------------------------------- reports

ROWS = [
    ("hit@1", "hit1"),
    ("hit@3", "hit3"),
    ("MRR", "mrr"),
    ("first quote covers gold", "quote_covers"),
    ("answer keys present", "key_share"),
    ("gold documents cited", "docs_cited"),
    ("abstains when unanswerable", "abstain_unanswerable"),
    ("answers when answerable", "answered_answerable"),
    ("cited passage, words", "cited_words"),
    ("latency p50, ms", "latency_p50_ms"),
    ("latency p95, ms", "latency_p95_ms"),
]


def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value:g}"


def table(results: dict) -> str:
    """Overall figures side by side, then each system's figures per question kind."""
    systems = results["systems"]
    names = list(systems)
    lines = [f"{'':28}" + "".join(f"{n:>22}" for n in names)]
    for label, key in ROWS:
        lines.append(f"{label:28}" + "".join(f"{_fmt(systems[n]['summary'][key]):>22}" for n in names))
    columns = [(n, split, s) for n in names for split, s in systems[n].get("by_split", {}).items()]
    if columns:
        lines += ["", "By split (parameters were tuned on 'tune'; 'test' is held out):"]
        lines.append(f"{'':28}" + "".join(f"{f'{n[:14]} {split}':>22}" for n, split, _ in columns))
        for label, key in ROWS:
            lines.append(f"{label:28}" + "".join(f"{_fmt(s[key]):>22}" for _, _, s in columns))
    for name in names:
        by_kind = systems[name]["summary"]["by_kind"]
        lines += ["", f"{name} by kind: " + ", ".join(f"{k} ({v['n']})" for k, v in by_kind.items())]
        for label, key in ROWS[:8]:
            lines.append(f"  {label:26}" + "".join(f"{_fmt(v[key]):>14}" for v in by_kind.values()))
    return "\n".join(lines)


def write_report(results: dict, path: Path) -> list[Path]:
    """A Markdown report with a bar chart (PNG beside it) and the JSON of all outcomes."""
    import matplotlib

    matplotlib.use("Agg")  # no display here
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = path.with_suffix(".png")
    data = path.with_suffix(".json")
    systems = results["systems"]
    keys = [r for r in ROWS[:8]]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(systems), 1)
    for i, (name, system) in enumerate(systems.items()):
        values = [system["summary"][k] or 0.0 for _, k in keys]
        ax.bar([x + i * width for x in range(len(keys))], values, width, label=name)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(keys))])
    ax.set_xticklabels([label for label, _ in keys], rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Answer quality")
    fig.tight_layout()
    fig.savefig(chart, dpi=110)
    plt.close(fig)
    data.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    text = [
        "# WPS Communiqué Assistant — evaluation",
        "",
        f"Questions: `{results['questions']}`" + (f" (split {results['split']})" if results["split"] else ""),
        f"Corpus: `{results['corpus']}`",
        "",
        f"![chart]({chart.name})",
        "",
        "```",
        table(results),
        "```",
        "",
        f"All outcomes: [{data.name}]({data.name})",
    ]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return [path, chart, data]
