"""Build time, throughput, peak memory, size on disk and query latency of the llama-index baseline.

The baseline is ``assistant.evaluate.BaselineSystem`` (the system ``wps-assistant eval --baseline``
scores against ours): SimpleDirectoryReader, SentenceSplitter, an in-memory VectorStoreIndex over
the packaged MiniLM, top-3 retrieval. It is built, for each chunk size (default: the splitter's
default of 1024 tokens, and 200 tokens, the size of our passages), over

  (a) the shipped corpus (``corpus/``), and
  (b) a generated corpus (``bench/corpus_gen.py``, 2000 paragraphs in 20 documents by default),

each in its own child process, so that its peak resident memory (``ru_maxrss``) is its own. Printed
per corpus and chunk size: documents, paragraphs (counted as bench_ingest.py counts them: the
parser's paragraphs), chunks, build seconds (read + split + embed + index), paragraphs/s and
chunks/s, resident memory after loading the model and peak after the build, the size on disk of
``index.storage_context.persist(tmpdir)`` (the baseline keeps its index in memory and never writes
it: this is what persisting it would take), and ``BaselineSystem.reply`` latency p50/p95 over the
questions of ``tests/data/questions.jsonl``, after one warm-up pass, over ``--repeats`` passes.
Model load time is reported apart, not counted in build time. The temporary folders are removed.

    .venv/bin/python bench/bench_baseline.py                      # shipped + 2000 generated paragraphs (~2.5 min)
    .venv/bin/python bench/bench_baseline.py --paragraphs 100     # quick
    .venv/bin/python bench/bench_baseline.py --skip-generated --chunk-sizes 0 200 128
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil

QUESTIONS = benchutil.ROOT / "tests" / "data" / "questions.jsonl"


def worker(corpus_dir: Path, chunk_size: int, threads: int, repeats: int, questions_path: Path) -> None:
    t0 = time.perf_counter()
    # the readers, splitter and index the baseline imports lazily: counted with imports, not in build time
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex  # noqa: F401
    from llama_index.core.node_parser import SentenceSplitter  # noqa: F401

    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.systems import BaselineSystem
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.corpus import corpus_files
    from assistant.ingest.parse import parse_file
    from assistant.settings import Settings

    imported = time.perf_counter()
    files = corpus_files(corpus_dir)
    paragraphs = sum(len(parse_file(f).paragraphs) for f in files)
    questions = load_questions(questions_path)
    parsed = time.perf_counter()
    embed_model = MiniLMEmbedding.from_settings(Settings(torch_threads=threads))
    loaded = time.perf_counter()
    rss_model = benchutil.current_rss_mb()

    started = time.perf_counter()
    system = BaselineSystem(corpus_dir, embed_model, top_k=3, chunk_size=chunk_size or None)
    build = time.perf_counter() - started
    peak = benchutil.peak_rss_mb()
    rss_built = benchutil.current_rss_mb()

    with tempfile.TemporaryDirectory(prefix="wps-bench-baseline-persist-") as tmp:
        started = time.perf_counter()
        system.index.storage_context.persist(persist_dir=tmp)
        persist_s = time.perf_counter() - started
        persisted_mb = benchutil.dir_size_mb(Path(tmp))
        persisted_files = sorted(p.name for p in Path(tmp).iterdir())

    for q in questions:  # warm-up pass
        system.reply(q)
    latencies = []
    for _ in range(repeats):
        for q in questions:
            t = time.perf_counter()
            system.reply(q)
            latencies.append((time.perf_counter() - t) * 1000)

    torch = sys.modules["torch"]  # loaded by the model, after the offline environment was set
    benchutil.emit_result(
        {
            "docs": len(files),
            "paragraphs": paragraphs,
            "chunks": len(system.nodes),
            "chunk_tokens": system.nodes and max(embed_model.count_tokens(n.get_content()) for n in system.nodes),
            "max_seq_length": embed_model.max_seq_length,
            "batch_size": embed_model.embed_batch_size,
            "threads": torch.get_num_threads(),
            "questions": len(questions),
            "import_s": imported - t0,
            "parse_s": parsed - imported,
            "model_load_s": loaded - parsed,
            "build_s": build,
            "persist_s": persist_s,
            "rss_model_mb": rss_model,
            "rss_built_mb": rss_built,
            "peak_rss_mb": peak,
            "persisted_mb": persisted_mb,
            "persisted_files": persisted_files,
            "latencies_ms": latencies,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: .venv/bin/python bench/bench_baseline.py --paragraphs 2000 --repeats 3",
    )
    benchutil.add_corpus_options(parser)
    parser.add_argument(
        "--chunk-sizes",
        type=int,
        nargs="+",
        default=[0, 200],
        help="SentenceSplitter chunk sizes in tokens; 0 = its default of 1024 (default: 0 200)",
    )
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="JSON Lines question file")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the questions for latency (default 3)")
    parser.add_argument("--worker", type=Path, metavar="CORPUS", help=argparse.SUPPRESS)
    parser.add_argument("--worker-chunk-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.worker_chunk_size, args.threads, args.repeats, args.questions.resolve())
        return

    pct = benchutil.pct
    print(f"load average before: {benchutil.loadavg()}; torch threads {args.threads}")
    rows = []
    results = {}
    with tempfile.TemporaryDirectory(prefix="wps-bench-baseline-") as tmp:
        for name, corpus_dir in benchutil.corpus_cases(args, Path(tmp)):
            for size in args.chunk_sizes:
                label = str(size) if size else "1024 (default)"
                wall = time.perf_counter()
                r = benchutil.run_worker(
                    [__file__, "--worker", str(corpus_dir), "--worker-chunk-size", str(size),
                     "--threads", str(args.threads), "--repeats", str(args.repeats),
                     "--questions", str(args.questions.resolve())],
                    timeout=args.timeout,
                )  # fmt: skip
                r["wall_s"] = time.perf_counter() - wall
                results[(name, label)] = r
                lat = r["latencies_ms"]
                rows.append(
                    [
                        name,
                        label,
                        r["docs"],
                        r["paragraphs"],
                        r["chunks"],
                        r["build_s"],
                        r["paragraphs"] / r["build_s"],
                        r["chunks"] / r["build_s"],
                        r["rss_model_mb"],
                        r["peak_rss_mb"],
                        f"{r['persisted_mb']:.2f}",
                        pct(lat, 50),
                        pct(lat, 95),
                    ]
                )

    print()
    benchutil.print_table(
        ["corpus", "chunk tokens", "docs", "paras", "chunks", "build s", "paras/s", "chunks/s", "RSS model MB",
         "peak RSS MB", "persisted MB", "p50 ms", "p95 ms"],
        rows,
    )  # fmt: skip
    print()
    first = next(iter(results.values()), None)
    if first:
        print(
            f"latency: BaselineSystem.reply (query embedding + top-3 over the in-memory index), "
            f"{args.repeats} × {first['questions']} questions of {args.questions.name} after one warm-up pass, "
            "on every corpus (questions about the shipped corpus: on the generated ones only speed is meaningful)"
        )
        print(
            "size on disk: the baseline keeps its index in memory (SimpleVectorStore + SimpleDocumentStore) and "
            "writes nothing; 'persisted MB' is du of index.storage_context.persist(tmpdir) "
            f"({', '.join(first['persisted_files'])}), done only to measure it"
        )
        print(
            f"embedding: batch {first['batch_size']}, model reads at most {first['max_seq_length']} word pieces "
            "a text (longer chunks are truncated when embedded)"
        )
    for (name, label), r in results.items():
        print(
            f"{name}, chunks {label}: process wall {r['wall_s']:.1f} s = imports {r['import_s']:.1f} s "
            f"+ parse/count {r['parse_s']:.2f} s + model load {r['model_load_s']:.1f} s + build {r['build_s']:.1f} s "
            f"+ persist {r['persist_s']:.2f} s + queries; RSS {r['rss_built_mb']:.0f} MB after build; "
            f"longest chunk {r['chunk_tokens']} MiniLM word pieces; "
            f"{r['persisted_mb'] * 1e3 / max(r['paragraphs'], 1):.1f} kB persisted a paragraph"
        )
    print(f"load average after: {benchutil.loadavg()}")
    if args.json:  # for bench/issue18.py
        figures = [
            {"corpus": name, "chunk": label, "p50_ms": pct(r["latencies_ms"], 50), "p95_ms": pct(r["latencies_ms"], 95)}
            for (name, label), r in results.items()
        ]
        print(json.dumps({"retrieve": figures, "load": benchutil.loadavg()}))


if __name__ == "__main__":
    main()
