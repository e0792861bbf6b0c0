"""``wps-assistant``: ingest, ask, batch and serve from the command line (the views: :mod:`.cli_views`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from assistant import cli_views
from assistant.schema import Filters
from assistant.settings import Settings
from assistant.web.render import plain_text

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wps-assistant",
        description="Cited answers from the communiqués of the WPS Focal Points Network. "
        "Settings come from WPS_* environment variables (see docs/settings.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="bring the index up to date with the corpus folder")
    ingest.add_argument("--corpus", type=Path, help="corpus folder (default: WPS_CORPUS_DIR)")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="re-embed everything into a new index generation (also sets a damaged embedded store aside)",
    )
    ingest.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="wait this long for a running ingest (default: WPS_INGEST_WAIT_SECONDS)",
    )

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question", nargs="+", help="the question")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--history", nargs="*", default=[], metavar="TEXT", help="earlier questions, oldest first")
    ask.add_argument("--doc", action="append", default=[], help="only this document id (repeatable)")
    ask.add_argument("--section", action="append", default=[], help="only this section (repeatable)")

    batch = sub.add_parser("batch", help="answer a JSONL file of questions")
    batch.add_argument("input", type=Path, help='lines of {"id": ..., "question": ..., "history": [...]}')
    batch.add_argument("output", type=Path, nargs="?", help="where to write answers (default: stdout)")

    evaluate = sub.add_parser("eval", help="measure answer quality and speed on a question file")
    evaluate.add_argument("questions", type=Path, help="JSONL: id, kind, question, history, gold, answer_keys")
    evaluate.add_argument("--corpus", type=Path, help="corpus folder (default: WPS_CORPUS_DIR)")
    evaluate.add_argument("--report", type=Path, help="write a Markdown report (+ .png chart, + .json) here")
    evaluate.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    evaluate.add_argument("--baseline", action="store_true", help="also run llama-index defaults, side by side")
    evaluate.add_argument("--split", help="only questions of this split (e.g. test)")
    evaluate.add_argument(
        "--modes",
        type=lambda v: [m.strip() for m in v.split(",") if m.strip()],
        help="answerers side by side, e.g. extractive,generative (generative needs WPS_LLM_MODE)",
    )

    feedback = sub.add_parser("feedback", help="export the thumbs up/down recorded in the chat and the API")
    feedback.add_argument("output", type=Path, nargs="?", help="JSONL file to write (default: stdout)")

    cli_views.add_parsers(sub)

    serve = sub.add_parser("serve", help="start the web app (chat, API)")
    serve.add_argument("--host", help="default: WPS_HOST")
    serve.add_argument("--port", type=int, help="default: WPS_PORT")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    try:
        if args.command == "ingest":
            return _ingest(args, settings)
        if args.command == "ask":
            return _ask(args, settings)
        if args.command == "batch":
            return _batch(args, settings)
        if args.command == "eval":
            return _eval(args, settings)
        if args.command == "feedback":
            return _feedback(args, settings)
        if args.command in cli_views.COMMANDS:
            return cli_views.run(args, settings, _load)
        return _serve(args, settings)
    except (RuntimeError, OSError, ValueError) as exc:  # missing corpus or index, bad settings: a message
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # what the store raises itself (damaged files, a server gone) gets its message
        from assistant.index.errors import store_failure

        failure = store_failure(exc, settings)
        if failure is None:
            raise
        print(f"error: {failure}", file=sys.stderr)
        return 1


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.index.e5 import E5Model
    from assistant.index.embeddings import MiniLMEmbedding
    from assistant.ingest.pipeline import ingest_corpus

    if args.corpus:
        settings = settings.model_copy(update={"corpus_dir": args.corpus})
    report = ingest_corpus(
        settings,
        lambda: MiniLMEmbedding.from_settings(settings),  # loaded only if something needs embedding
        rebuild=args.rebuild,
        show_progress=not args.quiet,
        wait_seconds=args.wait,
        e5=E5Model.from_settings(settings),
    )
    print(report.summary())
    return 0


def _load(settings: Settings):
    from assistant.pipeline.factory import build_assistant

    assistant, _ = build_assistant(settings)
    return assistant


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.pipeline.plan.question import QuestionError, check_question

    question = " ".join(args.question)
    try:
        check_question(question, settings)  # before loading anything: a bad question fails fast
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    answer = _load(settings).ask(question, args.history, Filters(tuple(args.doc), tuple(args.section)))
    print(answer.model_dump_json(indent=2) if args.json else plain_text(answer))
    return 0


def _batch(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.pipeline.plan.question import QuestionError

    if not args.input.is_file():
        print(f"error: input file not found: {args.input}", file=sys.stderr)
        return 1
    assistant = _load(settings)
    out: TextIO = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    failures = 0
    try:
        with args.input.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                record: dict = {"line": number}
                try:
                    item = json.loads(line)
                    if not isinstance(item, dict):
                        raise ValueError("each line must be a JSON object")
                    record = {"id": item.get("id", number)}
                    history = item.get("history") or []
                    if not isinstance(history, list):
                        raise ValueError("history must be a list of strings")
                    # The line's own id names the record; an answer's id is issued by the web server only.
                    record |= assistant.ask(item.get("question", ""), history).model_dump(exclude={"id"})
                except (ValueError, QuestionError) as exc:  # json.JSONDecodeError is a ValueError
                    failures += 1
                    record["error"] = str(exc)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
    finally:
        if args.output:
            out.close()
    if failures:
        print(f'{failures} line(s) could not be answered; see their "error" field', file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.questions import QuestionFileError
    from assistant.evaluation.report import table, write_report
    from assistant.evaluation.run import run

    if not args.questions.is_file():
        print(f"error: question file not found: {args.questions}", file=sys.stderr)
        return 1
    try:
        results = run(settings, args.questions, args.corpus, baseline=args.baseline, split=args.split, modes=args.modes)
    except QuestionFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(results, indent=2, ensure_ascii=False) if args.json else table(results))
    if args.report:
        written = write_report(results, args.report)
        print("report: " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.feedback import FeedbackStore

    text = FeedbackStore(settings.feedback_file).export()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"{len(text.splitlines())} feedback record(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.app import serve

    update = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    serve(settings.model_copy(update=update))
    return 0


if __name__ == "__main__":
    sys.exit(main())
