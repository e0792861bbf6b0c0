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

Compare mode (``--variant``/``--before``): one corpus ingested from empty by each variant in turn, each in
its own child, best of ``--repeats``; wall and CPU seconds, ratios to the first variant, seconds per stage
(parse, chunk, minilm, e5 — on its own thread, so overlapping — e5 wait, store) and the re-ingest time:

    .venv/bin/python bench/bench_ingest.py --corpus ../shared/eval/dev10/corpus --before /work/main \
        --variant after: --variant serial:WPS_INGEST_PARALLEL_ENCODERS=false \
        --variant batch16:WPS_EMBED_BATCH_SIZE=16 --variant threads2:WPS_ONNX_THREADS=2,WPS_E5_THREADS=2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import assistant  # noqa: F401  (sets the offline environment before any model library loads)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil


def cpu_seconds() -> float:
    """User + system CPU of this process, all threads: what the work costs whatever the load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


FAKE_VECTORS = "BENCH_FAKE_VECTORS"  # set to 1: both encoders replaced by hashing (scale runs, bench_scale.py)


def fake_vectors(texts: list[str]) -> np.ndarray:
    """A unit vector per text from its hash: the stored index has the real shape and size in seconds,
    not hours (for measuring what a question costs at scale, not what it finds)."""
    out = np.empty((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
        v = np.random.default_rng(seed).standard_normal(384)
        out[i] = v / np.linalg.norm(v)
    return out


def worker(corpus_dir: Path, index_dir: Path, threads: int, batch_size: int | None) -> None:
    t0 = time.perf_counter()
    from assistant.index.e5 import E5Model
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.index.store import Store
    from assistant.ingest.corpus import corpus_files
    from assistant.ingest.parse import parse_file
    from assistant.ingest.pipeline import ingest_corpus
    from assistant.schema import PASSAGE, SENTENCE
    from assistant.settings import Settings

    imported = time.perf_counter()
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, torch_threads=threads)  # + WPS_* variables
    if batch_size:
        settings = settings.model_copy(update={"embed_batch_size": batch_size})
    files = corpus_files(corpus_dir)
    paragraphs = sum(len(parse_file(f).paragraphs) for f in files)
    parsed = time.perf_counter()
    embed_model = MiniLMEmbedding.from_settings(settings)  # as the app builds it
    e5 = E5Model.from_settings(settings)  # as `wps-assistant ingest` does: every passage gets its e5 twin
    loaded = time.perf_counter()
    rss_model = benchutil.current_rss_mb()
    if os.environ.get(FAKE_VECTORS):
        embed_model._encoder.encode = lambda texts, batch_size=32: fake_vectors(list(texts))
        if e5 is not None:
            e5._model.passage = lambda texts: fake_vectors(list(texts))

    started, cpu = time.perf_counter(), cpu_seconds()
    report = ingest_corpus(settings, embed_model, show_progress=False, e5=e5)
    first, first_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = benchutil.peak_rss_mb()

    started, cpu = time.perf_counter(), cpu_seconds()
    again = ingest_corpus(settings, embed_model, show_progress=False, e5=e5)
    second, second_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    store = Store.live(settings)

    benchutil.emit_result(
        {
            "batch_size": embed_model.embed_batch_size,
            "fake_vectors": bool(os.environ.get(FAKE_VECTORS)),
            "e5": e5 is not None,
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
            "ingest_cpu_s": first_cpu,
            "stages": getattr(report, "stage_seconds", {}),  # absent in older checkouts (--before)
            "second_ingest_s": second,
            "second_cpu_s": second_cpu,
            "second_stages": getattr(again, "stage_seconds", {}),
            "second_unchanged": len(again.unchanged),
            "second_embedded": again.nodes_embedded,
            "rss_model_mb": rss_model,
            "peak_rss_mb": peak,
            "index_mb": benchutil.dir_size_mb(index_dir),
        }
    )


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    """``name:WPS_A=1,WPS_B=x`` → (name, environment); ``name:`` alone is the defaults."""
    name, _, assignments = text.partition(":")
    env = dict(a.split("=", 1) for a in assignments.split(",") if a.strip())
    return name, env


def compare(args: argparse.Namespace, tmp: Path) -> None:
    """Each variant (settings through WPS_* variables, or another checkout's code) ingests the same corpus
    from empty in its own child, in turn, twice over (ABAB order, so a load spike hits every variant
    alike); printed: best wall and CPU seconds of each, the ratio to the first variant, and the stages."""
    variants = [parse_variant(v) for v in args.variant] or [("defaults", {})]
    if args.before:
        variants.insert(0, ("before", {"PYTHONPATH": str(args.before.resolve())}))
    corpus = args.corpus.resolve()
    runs: dict[str, list[dict]] = {name: [] for name, _ in variants}
    for rep in range(args.repeats):
        for i, (name, env) in enumerate(variants):
            index_dir = tmp / f"index-{i}-{rep}"
            r = benchutil.run_worker(
                [__file__, "--worker", str(corpus), str(index_dir), "--threads", str(args.threads)],
                timeout=args.timeout,
                env=env,
            )
            runs[name].append(r)
            print(
                f"  {name}: {r['ingest_s']:.1f} s wall, {r['ingest_cpu_s']:.1f} s CPU; re-ingest "
                f"{r['second_ingest_s']:.2f} s; load {benchutil.loadavg()}",
                flush=True,
            )
    base = min(r["ingest_s"] for r in runs[variants[0][0]])
    base_cpu = min(r["ingest_cpu_s"] for r in runs[variants[0][0]])
    rows = []
    for name, _env in variants:
        best = min(runs[name], key=lambda r: r["ingest_s"])
        wall, cpu = best["ingest_s"], min(r["ingest_cpu_s"] for r in runs[name])
        again = min(r["second_ingest_s"] for r in runs[name])
        stages = " ".join(f"{k} {v:.1f}" for k, v in best["stages"].items())
        rows.append(
            [name, best["nodes_embedded"], wall, f"{wall / base:.2f}", cpu, f"{cpu / base_cpu:.2f}", f"{again:.2f}",
             stages or "-"]
        )  # fmt: skip
    print()
    benchutil.print_table(
        ["variant", "nodes", "ingest s", "÷ first", "CPU s", "÷ first", "re-ingest s", "stages (s, best run)"], rows
    )
    settings = {name: " ".join(f"{k}={v}" for k, v in env.items()) or "defaults" for name, env in variants}
    for name, text in settings.items():
        print(f"  {name}: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: .venv/bin/python bench/bench_ingest.py --paragraphs 2000 --docs 20",
    )
    benchutil.add_corpus_options(parser)
    parser.add_argument("--batch-size", type=int, help="texts per embedding call (default: WPS_EMBED_BATCH_SIZE)")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="compare mode: NAME:WPS_X=1,WPS_Y=2 (repeatable); ingests --corpus from empty once per variant",
    )
    parser.add_argument("--before", type=Path, help="compare mode: another checkout (e.g. /work/main) as variant 1")
    parser.add_argument("--repeats", type=int, default=2, help="compare mode: runs of each variant (default 2)")
    parser.add_argument("--worker", nargs=2, type=Path, metavar=("CORPUS", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.threads, args.batch_size)
        return

    print(f"load average before: {benchutil.loadavg()}; torch threads {args.threads}")
    if args.variant or args.before:
        with tempfile.TemporaryDirectory(prefix="wps-bench-ingest-") as tmp:
            # one MiniLM export for every child (it is made at model load, outside the ingest's time)
            os.environ.setdefault("WPS_MINILM_CACHE_DIR", str(Path(tmp) / "models"))
            compare(args, Path(tmp))
        print(f"load average after: {benchutil.loadavg()}")
        return
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
