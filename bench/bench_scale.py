"""How ingest, start-up, query latency and memory grow with corpus size: 1×, 10× (and opt-in 100×).

The base is a generated corpus (``bench/corpus_gen.py``) of ``--base`` paragraphs (default 200), so the
default steps are 200 and 2000 paragraphs; ``--max-scale 100`` adds 20000 (hours of embedding on 2
slow cores). Documents hold ``--paras-per-doc`` paragraphs (default 100). For each step, in fresh
child processes and a temporary index:

* ingest (``bench/bench_ingest.py``'s worker): seconds, nodes embedded, index size on disk, peak RSS;
* serve: ``build_assistant`` time with the model already loaded (Chroma open, all passages fetched,
  term statistics, glossary, steering), then each start-up part timed again on its own (best of 3):
  fetching the
  passages from Chroma, building BM25 over them (llama-index ``BM25Retriever.from_defaults``, which the
  retriever does lazily, on the first question), ``Terms`` and ``Glossary``; the first ask (pays the
  BM25 build) and RSS;
* latency over 30 generated questions (a sentence fragment of a random paragraph, lightly
  paraphrased), p50/p95 of ``timings_ms`` total, plus a breakdown measured per query on the same
  questions: query embedding, one dense Chroma query, one BM25 query, the whole hybrid retrieve, and
  the fetch of the top passages' sentences with their embeddings (``Store.sentences``). The share of
  questions whose source paragraph is cited is printed as a sanity check of the synthetic set.

It ends with a note computed from the measurements: what grows with the corpus and what does not.

    .venv/bin/python bench/bench_scale.py                      # 200 and 2000 paragraphs (~8 min)
    .venv/bin/python bench/bench_scale.py --max-scale 100      # + 20000 paragraphs (very long)
    .venv/bin/python bench/bench_scale.py --base 50 --max-scale 10 --questions 10   # quick

Issue 18's row (``ask`` p50 at 10,000 paragraphs ÷ at the shipped corpus' size), on the embedded store and
on a ``chroma run`` server; ``--fake-vectors`` ingests with hashed vectors (the index has its real shape
and size in minutes instead of hours; the questions' answers are then meaningless, their cost is not),
``--work`` keeps the indexes for a later run, and ``WPS_DENSE_SEARCH=chroma`` measures Chroma's own search:

    .venv/bin/python bench/bench_scale.py --sizes 21,10000 --fake-vectors --work /tmp/scale
    .venv/bin/python bench/bench_scale.py --sizes 21,10000 --fake-vectors --chroma-server
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil
import corpus_gen

INGEST_SCRIPT = Path(__file__).resolve().parent / "bench_ingest.py"


@contextlib.contextmanager
def chroma_server(data: Path):
    """A ``chroma run`` server on a free local port over ``data``; yields the port, stops it on exit."""
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("chroma run exited")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chroma run did not answer within 60 s")
            time.sleep(0.3)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def best_of(f, k: int = 3):
    """(fastest of k runs in seconds, last result)."""
    best = float("inf")
    for _ in range(k):
        t = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - t)
    return best, result


def serve_worker(corpus: Path, index: Path, questions_path: Path, repeats: int) -> None:
    from llama_index.core.schema import QueryBundle
    from llama_index.core.vector_stores import VectorStoreQuery
    from llama_index.retrievers.bm25 import BM25Retriever

    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.pipeline.factory import build_assistant
    from assistant.pipeline.plan.acronyms import Acronyms
    from assistant.pipeline.retrieve.retrievers import metadata_filters
    from assistant.pipeline.terms import Terms
    from assistant.schema import Filters, para_key
    from assistant.settings import Settings

    settings = Settings(corpus_dir=corpus, index_dir=index)
    t = time.perf_counter()
    model = MiniLMEmbedding.from_settings(settings)
    model_s = time.perf_counter() - t
    rss_model = benchutil.current_rss_mb()
    t = time.perf_counter()
    built, _ = build_assistant(settings, embed_model=model)
    build_s = time.perf_counter() - t
    rss_built = benchutil.current_rss_mb()
    questions = [json.loads(line) for line in questions_path.read_text().splitlines() if line.strip()]

    t = time.perf_counter()
    first = built.ask(questions[0]["question"])
    first_ask_ms = (time.perf_counter() - t) * 1000

    for q in questions[:3]:  # warm-up
        built.ask(q["question"])
    total, retrieve, answer_ms, hits, abstained = [], [], [], 0, 0
    for rep in range(repeats):
        for q in questions:
            a = built.ask(q["question"])
            total.append(a.timings_ms["total"])
            retrieve.append(a.timings_ms["retrieve"])
            answer_ms.append(a.timings_ms["answer"])
            if rep == 0:
                abstained += a.abstained
                hits += any(c.doc_id == q["gold_doc"] and int(c.paragraph) == q["gold_paragraph"] for c in a.citations)

    rss_serving = benchutil.current_rss_mb()  # before the extra BM25 copies below

    # start-up parts, each again on its own, best of 3 (a shared machine's load spikes inflate single runs)
    passages_s, passages = best_of(built.store.passages)
    texts = [n.text for n in passages]
    top_k = min(settings.candidate_k, len(passages))
    bm25_s, bm25 = best_of(lambda: BM25Retriever.from_defaults(nodes=passages, similarity_top_k=top_k))
    terms_s, _ = best_of(lambda: Terms(texts))
    glossary_s, _ = best_of(lambda: Acronyms(texts))

    parts: dict[str, list[float]] = {"embed": [], "dense": [], "bm25": [], "hybrid": [], "sentences": []}
    n_sentences = []
    filters = metadata_filters(Filters())
    for q in questions:
        text = q["question"]
        t = time.perf_counter()
        emb = built.embed_model.get_query_embedding(text)
        parts["embed"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        built.store.vector_store.query(
            VectorStoreQuery(query_embedding=emb, similarity_top_k=settings.candidate_k, filters=filters)
        )
        parts["dense"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        bm25.retrieve(text)
        parts["bm25"].append((time.perf_counter() - t) * 1000)
        plan = built.planner.plan(text, [])
        t = time.perf_counter()
        got = built.retrieve(QueryBundle(query_str=plan.query, embedding=emb), plan)
        parts["hybrid"].append((time.perf_counter() - t) * 1000)
        keys = [para_key(p.node) for p in got.passages]
        t = time.perf_counter()
        n_sentences.append(len(built.store.sentences(keys)))
        parts["sentences"].append((time.perf_counter() - t) * 1000)

    benchutil.emit_result(
        {
            "model_s": model_s,
            "build_s": build_s,
            "passages": len(passages),
            "passages_s": passages_s,
            "bm25_s": bm25_s,
            "terms_s": terms_s,
            "glossary_s": glossary_s,
            "first_ask_ms": first_ask_ms,
            "first_ask_timings": first.timings_ms,
            "total": total,
            "retrieve": retrieve,
            "answer": answer_ms,
            "parts": parts,
            "sentences_per_query": sum(n_sentences) / max(len(n_sentences), 1),
            "hit_rate": hits / len(questions),
            "abstain_rate": abstained / len(questions),
            "rss_model_mb": rss_model,
            "rss_built_mb": rss_built,
            "rss_end_mb": rss_serving,
            "peak_rss_mb": benchutil.peak_rss_mb(),
        }
    )


def growth(values: list[float], sizes: list[int]) -> str:
    """'×k for ×n' from the first to the last step."""
    if len(values) < 2 or not values[0]:
        return "n/a"
    return f"×{values[-1] / values[0]:.1f} for ×{sizes[-1] / sizes[0]:.0f} paragraphs"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: .venv/bin/python bench/bench_scale.py --base 200 --max-scale 10",
    )
    parser.add_argument("--base", type=int, default=200, help="paragraphs at 1× (default 200)")
    parser.add_argument(
        "--max-scale", type=int, default=10, choices=[1, 10, 100], help="largest step: 1, 10 or 100 (default 10)"
    )
    parser.add_argument("--paras-per-doc", type=int, default=100, help="paragraphs per document (default 100)")
    parser.add_argument("--questions", type=int, default=30, help="generated questions per step (default 30)")
    parser.add_argument("--repeats", type=int, default=2, help="passes over the questions (default 2)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="seconds allowed per child (default 4 h)")
    parser.add_argument("--json", action="store_true", help="also print one JSON line of the figures at the end")
    parser.add_argument("--sizes", help="paragraph counts to measure, e.g. 100,10000 (instead of --base/--max-scale)")
    parser.add_argument("--fake-vectors", action="store_true", help="ingest with hashed vectors (fast; same shapes)")
    parser.add_argument("--chroma-server", action="store_true", help="store in a `chroma run` server per size")
    parser.add_argument("--work", type=Path, help="keep corpora and indexes here (reused by a later run)")
    parser.add_argument("--worker", nargs=3, type=Path, metavar=("CORPUS", "INDEX", "QS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve_worker(*args.worker, repeats=args.repeats)
        return

    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
    else:
        sizes = [args.base * s for s in (1, 10, 100) if s <= args.max_scale]
    pct = benchutil.pct
    rows_ingest, rows_start, rows_query, rows_parts = [], [], [], []
    results = []
    print(f"load average before: {benchutil.loadavg()}")
    how = ("a Chroma server" if args.chroma_server else "the embedded Chroma") + (
        ", hashed vectors at ingest" if args.fake_vectors else ""
    )
    print(f"store: {how}")
    with contextlib.ExitStack() as stack:
        if args.work:
            tmp = str(args.work.resolve())
            args.work.mkdir(parents=True, exist_ok=True)
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="wps-bench-scale-"))
        os.environ.setdefault("WPS_MINILM_CACHE_DIR", str(Path(tmp) / "models"))
        for n in sizes:
            docs = max(1, round(n / args.paras_per_doc))
            corpus_dir = Path(tmp) / f"corpus{n}"
            index_dir = Path(tmp) / f"index{n}"
            generated = corpus_gen.generate_corpus(corpus_dir, n, docs, args.seed)
            qs_path = Path(tmp) / f"questions{n}.jsonl"
            qs = corpus_gen.make_questions(generated, args.questions, seed=args.seed + 4)
            qs_path.write_text("".join(json.dumps(q) + "\n" for q in qs), encoding="utf-8")
            env: dict[str, str] = {}
            if args.chroma_server:
                server = stack.enter_context(chroma_server(Path(tmp) / f"chroma{n}"))
                env = {"WPS_CHROMA_HOST": "127.0.0.1", "WPS_CHROMA_PORT": str(server)}
            print(f"{n} paragraphs in {docs} documents; ingesting …", flush=True)
            ingest_env = {**env, **({"BENCH_FAKE_VECTORS": "1"} if args.fake_vectors else {})}
            ing = benchutil.run_worker(
                [str(INGEST_SCRIPT), "--worker", str(corpus_dir), str(index_dir)], args.timeout, env=ingest_env
            )
            print(f"      ingested in {ing['ingest_s']:.0f} s; serving …", flush=True)
            srv = benchutil.run_worker(
                [__file__, "--worker", str(corpus_dir), str(index_dir), str(qs_path), "--repeats", str(args.repeats)],
                args.timeout,
                env=env,
            )
            results.append((n, ing, srv))
            nodes = ing["passages"] + ing["sentences"]
            rows_ingest.append(
                [n, docs, nodes, ing["ingest_s"], ing["nodes_embedded"] / ing["ingest_s"], ing["peak_rss_mb"],
                 f"{ing['second_ingest_s']:.2f}", f"{ing['index_mb']:.1f}"]
            )  # fmt: skip
            rows_start.append(
                [n, srv["build_s"] * 1000, srv["passages_s"] * 1000, srv["bm25_s"] * 1000, srv["terms_s"] * 1000,
                 srv["glossary_s"] * 1000, srv["first_ask_ms"], srv["rss_built_mb"], srv["rss_end_mb"]]
            )  # fmt: skip
            rows_query.append(
                [n, pct(srv["total"], 50), pct(srv["total"], 95), pct(srv["retrieve"], 50), pct(srv["answer"], 50),
                 f"{srv['hit_rate']:.2f}", f"{srv['abstain_rate']:.2f}"]
            )  # fmt: skip
            p = srv["parts"]
            rows_parts.append(
                [n, pct(p["embed"], 50), pct(p["dense"], 50), pct(p["bm25"], 50), pct(p["hybrid"], 50),
                 pct(p["sentences"], 50), f"{srv['sentences_per_query']:.1f}"]
            )  # fmt: skip

    print()
    print(f"ingest (child process, torch threads 1; {how}):")
    benchutil.print_table(
        ["paragraphs", "docs", "nodes", "ingest s", "nodes/s", "peak RSS MB", "2nd ingest s", "index MB"], rows_ingest
    )
    print()
    print("start-up of a serving process (model already loaded; ms), and its memory:")
    benchutil.print_table(
        ["paragraphs", "build_assistant", "fetch passages", "BM25 build", "Terms", "Glossary", "1st ask",
         "RSS built MB", "RSS serving MB"],
        rows_start,
    )  # fmt: skip
    print()
    n_q = len(results[0][2]["total"]) if results else 0
    print(f"end-to-end latency over {n_q} asks ({args.repeats} × {args.questions} generated questions; ms):")
    benchutil.print_table(
        ["paragraphs", "p50", "p95", "retrieve p50", "answer p50", "gold cited", "abstained"], rows_query
    )
    print()
    print("per-query parts, each timed alone on the same questions (p50 ms):")
    benchutil.print_table(
        ["paragraphs", "embed query", "dense Chroma", "BM25 query", "hybrid retrieve", "fetch sentences",
         "sentences fetched"],
        rows_parts,
    )  # fmt: skip

    if len(results) >= 2:
        sizes = [n for n, _, _ in results]

        def series(f):
            return [f(ing, srv) for _, ing, srv in results]

        print()
        print(f"where cost grows ({sizes[0]} → {sizes[-1]} paragraphs), from the numbers above:")
        notes = [
            ("ingest time (s)", series(lambda i, s: i["ingest_s"]), "embedding every passage and sentence"),
            ("index on disk (MB)", series(lambda i, s: i["index_mb"]), "Chroma SQLite + HNSW (live generation)"),
            ("fetch all passages (ms)", series(lambda i, s: s["passages_s"] * 1e3), "Store.passages(), at start"),
            ("BM25 build (ms)", series(lambda i, s: s["bm25_s"] * 1e3), "in memory from those passages, 1st question"),
            ("Terms + Glossary (ms)", series(lambda i, s: (s["terms_s"] + s["glossary_s"]) * 1e3), "at start"),
            ("build_assistant (ms)", series(lambda i, s: s["build_s"] * 1e3), "model already loaded"),
            ("first ask (ms)", series(lambda i, s: s["first_ask_ms"]), "pays the BM25 build"),
            ("BM25 query (ms)", series(lambda i, s: pct(s["parts"]["bm25"], 50)), "p50"),
            ("dense Chroma query (ms)", series(lambda i, s: pct(s["parts"]["dense"], 50)), "p50, where kind=passage"),
            ("sentence fetch (ms)", series(lambda i, s: pct(s["parts"]["sentences"], 50)), "p50, with embeddings"),
            ("query embedding (ms)", series(lambda i, s: pct(s["parts"]["embed"], 50)), "p50"),
            ("end-to-end (ms)", series(lambda i, s: pct(s["total"], 50)), "p50"),
            ("serving RSS (MB)", series(lambda i, s: s["rss_end_mb"]), "after the questions"),
        ]  # fmt: skip
        for name, values, why in notes:
            shown = " → ".join(f"{v:.3g}" for v in values)
            print(f"  {name:<30} {shown:<28} {growth(values, sizes):<28} {why}")
        last = results[-1][2]["parts"]
        share = {k: pct(v, 50) for k, v in last.items() if k in ("embed", "dense", "bm25", "sentences")}
        biggest = max(share, key=share.get)
        hybrid = pct(last["hybrid"], 50)
        print(
            f"  at {sizes[-1]} paragraphs the largest per-query part is {biggest} ({share[biggest]:.1f} ms p50); "
            f"hybrid retrieve {hybrid:.1f} ms vs one dense + one BM25 query {share['dense'] + share['bm25']:.1f} ms "
            f"(the rest: llama-index fusion and any repeated dense query)"
        )
    print(f"\nload average after: {benchutil.loadavg()}")
    if args.json:  # for bench/issue18.py
        figures = [
            {"paragraphs": n, "p50_ms": pct(t["total"], 50), "p95_ms": pct(t["total"], 95)} for n, _, t in results
        ]
        print(json.dumps({"scale": figures, "load": benchutil.loadavg()}))


if __name__ == "__main__":
    main()
