"""Ingest throughput, peak memory, no-change re-ingest time and index size on disk.

Runs the real pipeline (``assistant.ingest.ingest_corpus``: parse, chunk, embed with the packaged
MiniLM, write to an embedded Chroma) into a fresh temporary index for

  (a) the shipped corpus (``corpus/``), and
  (b) a generated corpus (``bench/corpus_gen.py``, 2000 paragraphs in 20 documents by default).

Each corpus is ingested in its own child process, so that its peak resident memory (``ru_maxrss``) is
its own. Printed per corpus: documents, paragraphs, nodes embedded (passages + sentences), ingest
seconds, paragraphs/s and nodes/s, resident memory after loading the model and peak after ingest, the
time of a second ingest with nothing changed (same process: file hashes checked, no new generation), and the index
size on disk (``du`` of the temporary index folder). Model load time is reported apart, not counted in
ingest time. The temporary folders are removed at the end.

    .venv/bin/python bench/bench_ingest.py                      # shipped + 2000 generated paragraphs (~5 min)
    .venv/bin/python bench/bench_ingest.py --paragraphs 200     # quick
    .venv/bin/python bench/bench_ingest.py --paragraphs 10000 --docs 100 --threads 2
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


def worker(corpus_dir: Path, index_dir: Path, threads: int, batch_size: int | None) -> None:
    t0 = time.perf_counter()
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.index.store import Store
    from assistant.ingest.corpus import corpus_files
    from assistant.ingest.parse import parse_file
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.schema import PASSAGE, SENTENCE
    from assistant.settings import Settings

    imported = time.perf_counter()
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, torch_threads=threads)
    if batch_size:
        settings = settings.model_copy(update={"embed_batch_size": batch_size})
    files = corpus_files(corpus_dir)
    paragraphs = sum(len(parse_file(f).paragraphs) for f in files)
    parsed = time.perf_counter()
    embed_model = MiniLMEmbedding.from_settings(settings)  # as the app builds it
    loaded = time.perf_counter()
    rss_model = benchutil.current_rss_mb()

    started = time.perf_counter()
    report = ingest_corpus(settings, embed_model, show_progress=False)
    first = time.perf_counter() - started
    peak = benchutil.peak_rss_mb()

    started = time.perf_counter()
    again = ingest_corpus(settings, embed_model, show_progress=False)
    second = time.perf_counter() - started
    store = Store.live(settings)

    benchutil.emit_result(
        {
            "batch_size": embed_model.embed_batch_size,
            "docs": len(files),
            "paragraphs": paragraphs,
            "passages": store.count(PASSAGE),
            "sentences": store.count(SENTENCE),
            "nodes_embedded": report.nodes_embedded,
            "failed": report.failed,
            "import_s": imported - t0,
            "parse_s": parsed - imported,
            "model_load_s": loaded - parsed,
            "ingest_s": first,
            "second_ingest_s": second,
            "second_unchanged": len(again.unchanged),
            "second_embedded": again.nodes_embedded,
            "rss_model_mb": rss_model,
            "peak_rss_mb": peak,
            "index_mb": benchutil.dir_size_mb(index_dir),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: .venv/bin/python bench/bench_ingest.py --paragraphs 2000 --docs 20",
    )
    benchutil.add_corpus_options(parser)
    parser.add_argument("--batch-size", type=int, help="texts per embedding call (default: WPS_EMBED_BATCH_SIZE)")
    parser.add_argument("--worker", nargs=2, type=Path, metavar=("CORPUS", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.threads, args.batch_size)
        return

    print(f"load average before: {benchutil.loadavg()}; torch threads {args.threads}")
    rows = []
    results = {}
    with tempfile.TemporaryDirectory(prefix="wps-bench-ingest-") as tmp:
        for i, (name, corpus_dir) in enumerate(benchutil.corpus_cases(args, Path(tmp))):
            index_dir = Path(tmp) / f"index{i}"
            wall = time.perf_counter()
            extra = ["--batch-size", str(args.batch_size)] if args.batch_size else []
            r = benchutil.run_worker(
                [__file__, "--worker", str(corpus_dir), str(index_dir), "--threads", str(args.threads), *extra],
                timeout=args.timeout,
            )
            r["wall_s"] = time.perf_counter() - wall
            results[name] = r
            nodes = r["passages"] + r["sentences"]
            rows.append(
                [
                    name,
                    r["docs"],
                    r["paragraphs"],
                    f"{r['passages']}+{r['sentences']}",
                    r["ingest_s"],
                    r["paragraphs"] / r["ingest_s"],
                    r["nodes_embedded"] / r["ingest_s"],
                    r["rss_model_mb"],
                    r["peak_rss_mb"],
                    f"{r['second_ingest_s']:.2f}",
                    f"{r['index_mb']:.1f}",
                ]
            )
            if r["nodes_embedded"] != nodes or r["failed"]:
                print(f"note: {name}: {r['nodes_embedded']} embedded vs {nodes} stored; failed: {r['failed']}")

    print()
    benchutil.print_table(
        ["corpus", "docs", "paras", "passages+sents", "ingest s", "paras/s", "nodes/s", "RSS model MB",
         "peak RSS MB", "2nd ingest s", "index MB"],
        rows,
    )  # fmt: skip
    print()
    for name, r in results.items():
        print(
            f"{name}: process wall {r['wall_s']:.1f} s = imports {r['import_s']:.1f} s + parse {r['parse_s']:.2f} s "
            f"+ model load {r['model_load_s']:.1f} s + ingest {r['ingest_s']:.1f} s + re-ingest; "
            f"2nd ingest: {r['second_unchanged']} unchanged, {r['second_embedded']} embedded; "
            f"embedding batch {r['batch_size']}; "
            f"{r['index_mb'] * 1e3 / max(r['paragraphs'], 1):.1f} kB of index a paragraph"
        )
    print(f"load average after: {benchutil.loadavg()}")
    if args.json:  # for bench/issue18.py
        keys = ("docs", "paragraphs", "nodes_embedded", "ingest_s", "wall_s", "model_load_s", "peak_rss_mb")
        figures = {name: {k: r[k] for k in keys} for name, r in results.items()}
        print(json.dumps({"corpora": figures, "load": benchutil.loadavg()}))


if __name__ == "__main__":
    main()
