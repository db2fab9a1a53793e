"""``workbench suggest``: evaluate code suggestions on coded CSV files, and the machine layer
of a project: fit, report, apply (predictions and the review queue), validate, precision,
prevalence.

Nothing here imports scikit-learn until a subcommand runs: ``workbench`` starts in well under
a second for every other command.  Choices the project layer checks (``--level``,
``--source``) are therefore named as plain text here; a wrong one is refused in one line.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import SuggestError
from workbench.project import open_project

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


def _check_test_codes(
    train_codes: list[list[str]], test_codes: list[list[str]], lines: list[int], name: str
) -> None:
    seen = {c for row in train_codes for c in row}
    for row, line in zip(test_codes, lines, strict=True):
        for code in row:
            if code not in seen:
                raise SuggestError(
                    f"{name}: line {line}: code {code!r} never appears in the training file"
                )


def _format_text(result: dict[str, Any]) -> str:
    out = [
        f"micro-F1        {result['micro_f1']:.3f}",
        f"macro-F1        {result['macro_f1']:.3f}",
        f"precision@1     {result['precision_at_1']:.3f}",
        f"Brier score     {result['brier']:.4f}",
        f"fit time        {result['fit_seconds']:.2f} s",
        "",
        f"{'code':30s} {'prec':>6s} {'recall':>6s} {'F1':>6s} {'support':>7s}",
    ]
    for code, row in result["per_code"].items():
        if row["status"] == "not enough data":
            out.append(
                f"{code:30s} not enough data ({row.get('train_examples', 'too few')} training example(s))"
            )
        else:
            out.append(
                f"{code:30s} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
                f" {row['support']:7d}"
            )
    return "\n".join(out)


def _format_prevalence(result: dict[str, Any]) -> str:
    """The prevalence table of ``suggest evaluate --text``."""
    out = [
        "",
        f"prevalence ({result['prevalence_method']}, 95 % bootstrap interval; "
        "estimated without the test labels)",
        f"{'code':30s} {'true':>6s} {'estim.':>6s} {'95 % interval':>15s} {'CC':>6s}",
    ]
    for code, row in result["prevalence"].items():
        interval = f"{row['ci_low']:.3f}-{row['ci_high']:.3f}"
        out.append(
            f"{code:30s} {row['true']:6.3f} {row['estimate']:6.3f} {interval:>15s}"
            f" {row['classify_and_count']:6.3f}"
        )
    out.append(
        f"mean absolute error: {result['prevalence_mae']:.3f} "
        f"(classify and count {result['classify_and_count_mae']:.3f})"
    )
    for code, note in result["prevalence_notes"].items():
        out.append(f"  {code}: {note}")
    return "\n".join(out)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from workbench.suggest import DEFAULT_METHOD, evaluate
    from workbench.suggest._evaluate import read_coded_csv_lines

    train_texts, train_codes, _ = read_coded_csv_lines(Path(args.train))
    test_texts, test_codes, test_lines = read_coded_csv_lines(Path(args.test))
    _check_test_codes(train_codes, test_codes, test_lines, Path(args.test).name)
    result = evaluate(
        train_texts,
        train_codes,
        test_texts,
        test_codes,
        language=args.language,
        embeddings=args.embeddings,
        random_state=args.seed,
        prevalence=args.bootstrap >= 0,
        prevalence_method=args.prevalence_method or DEFAULT_METHOD,
        n_boot=max(args.bootstrap, 0),
        fine_tune_epochs=args.fine_tune_epochs,
    )
    if args.text:
        print(_format_text(result))
        if "prevalence" in result and result["prevalence"]:
            print(_format_prevalence(result))
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def _cmd_fit(args: argparse.Namespace) -> int:
    from workbench.project import _suggestions

    with open_project(args.project) as project:
        model = _suggestions.fit(project)
    learned = sum(1 for status in model.status_.values() if status == "ok")
    print(f"fitted and stored the suggester: {learned} code(s) learned from codings")
    for code, status in sorted(model.status_.items()):
        if status != "ok":
            print(f"  {code}: {status}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from workbench.project import _suggestions

    with open_project(args.project, read_only=True) as project:
        result = _suggestions.report(project, folds=args.folds)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return 0
    cv = result["cross_validation"]
    print(_format_text({**cv, "fit_seconds": cv.get("fit_seconds", 0.0)}))
    print("\nlearning curve (labelled segments: micro-F1)")
    for row in result["learning_curve"]:
        print(f"  {row['n']:6d} ({row['source']}): {row['micro_f1']:.3f}")
    return 0


def _cmd_apply(args: argparse.Namespace) -> int:
    from workbench.project import _suggestions

    if args.coder is not None:
        print(
            "workbench: --coder is no longer needed and is ignored: the queue belongs to the "
            "project, and whoever accepts or rejects an item is its reviewer",
            file=sys.stderr,
        )
    with open_project(args.project) as project:
        predicted = _suggestions.predict(project)
        codes = project.store.predictions_frame(text=False)["code"].nunique()
        queued = _suggestions.queue_review(project, min_confidence=args.min_confidence)
    print(
        f"predicted {codes} code(s) for {predicted} segment(s) nobody has coded; stored apart "
        "from the codings and replaced by the next apply"
    )
    if queued:
        print(
            f"queued {queued} suggestion(s) with confidence >= {args.min_confidence} for "
            "review (the tagger's review mode); no codings were written"
        )
    else:
        print(
            f"no prediction reached confidence {args.min_confidence}: nothing new to review "
            "(a lower --min-confidence queues more); no codings were written"
        )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from workbench.project import _predictions

    with open_project(args.project) as project:
        drawn = _predictions.validate(project, sample=args.sample, seed=args.seed)
    print(
        f"drew {drawn} prediction(s) at random, stratified by code and probability band, into "
        "the review queue; accept or reject each in the tagger's review mode, then "
        f"`workbench suggest precision {args.project}` measures the suggestions and "
        f"`workbench suggest prevalence {args.project}` uses the decisions"
    )
    return 0


def _percent(value: float) -> str:
    return "  n/a" if math.isnan(value) else f"{100 * value:5.1f}"


def _cmd_precision(args: argparse.Namespace) -> int:
    from workbench.project import _predictions

    with open_project(args.project, read_only=True) as project:
        table = _predictions.precision(project, lang=args.lang)
    if args.json:
        print(table.to_json(orient="records", force_ascii=False, indent=2))
        return 0
    print("precision of the suggestions (probability >= 0.5) from validation decisions, %")
    print(f"{'code':40s} {'decided':>7s} {'accepted':>8s} {'prec.':>6s} {'95 % interval':>15s}")
    for row in table.itertuples(index=False):
        interval = f"{_percent(row.ci_low)}-{_percent(row.ci_high).strip()}"
        print(
            f"{str(row.label)[:40]:40s} {row.n:7d} {row.accepted:8d} {_percent(row.precision)}"
            f" {interval:>15s}"
        )
    return 0


def _cmd_prevalence(args: argparse.Namespace) -> int:
    from workbench.project import _predictions

    with open_project(args.project, read_only=True) as project:
        table = _predictions.prevalence(
            project,
            level=args.level,
            by=args.by,
            source=args.source,
            lang=args.lang,
            n_boot=args.bootstrap,
            seed=args.seed,
        )
    if args.json:
        print(table.to_json(orient="records", force_ascii=False, indent=2))
        return 0
    print(_format_project_prevalence(table, args.level, args.by))
    return 0


def _format_project_prevalence(table: pd.DataFrame, level: str, by: str | None) -> str:
    """The text table of ``suggest prevalence``: one block per source (and group)."""
    unit = "participants" if level == "participant" else "segments"
    out: list[str] = []
    keys = ["source"] if by is None else ["source", by]
    for key, block in table.groupby(keys, sort=False):
        values = key if isinstance(key, tuple) else (key,)
        title = f"{values[0]}" + (f", {by} = {values[1]}" if by is not None else "")
        out += [
            "",
            f"{title}: share of {unit} with each code, % (95 % bootstrap interval)",
            f"{'code':40s} {'estim.':>6s} {'interval':>13s} {'CC':>6s} {'human':>6s} "
            f"{'model':>6s} method",
        ]
        notes: list[str] = []
        for row in block.itertuples(index=False):
            interval = f"{_percent(row.ci_low).strip()}-{_percent(row.ci_high).strip()}"
            out.append(
                f"{str(row.label)[:40]:40s} {_percent(row.estimate):>6s} {interval:>13s} "
                f"{_percent(row.classify_and_count):>6s} {row.n_human:6d} {row.n_estimated:6d} "
                f"{row.method}"
            )
            if row.note:
                notes.append(f"  {row.code}: {row.note}")
        out += notes
    out.append(
        "\nCC: classify and count (the model's suggestions counted as they are), for "
        "comparison; human/model: how many were coded by people / estimated by the model"
    )
    return "\n".join(out)


def register(subparsers: Any) -> None:
    """Add ``suggest`` and its subcommands to the ``workbench`` parser."""
    p = subparsers.add_parser(
        "suggest", help="code suggestions: evaluate, report, apply, validate, prevalence"
    )
    sub = p.add_subparsers(dest="suggest_command", required=True, metavar="SUBCOMMAND")
    e = sub.add_parser(
        "evaluate",
        help="train on one coded CSV (text,codes) and score on another",
        description="CSV columns: text, codes (codes separated by ';', empty for none).",
    )
    e.add_argument("--train", required=True, help="training CSV")
    e.add_argument("--test", required=True, help="test CSV")
    e.add_argument("--language", choices=["auto", "en", "sv"], default="auto")
    e.add_argument(
        "--embeddings",
        default="auto",
        metavar="auto|off|MODEL",
        help="sentence embeddings from a local sentence-transformers model: 'auto' (default) "
        "uses $WORKBENCH_EMBEDDING_MODEL or a bundled model when installed",
    )
    e.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    # No choices= here: naming workbench.suggest's Method would import scikit-learn for
    # every command; evaluate() refuses an unknown method in one line.
    e.add_argument(
        "--prevalence-method",
        metavar="cc|pcc|acc|pacc|emq|coded",
        help="how the share of each code is estimated (default: the benchmarked default, "
        "see workbench.suggest.DEFAULT_METHOD)",
    )
    e.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap replicates for the prevalence intervals (default 1000; "
        "-1 leaves prevalence out)",
    )
    e.add_argument(
        "--fine-tune-epochs",
        type=int,
        default=0,
        metavar="N",
        help="with embeddings: fine-tune the embedding model on the training file for N epochs "
        "first (default 0: none)",
    )
    e.add_argument("--text", action="store_true", help="a readable table instead of JSON")
    e.set_defaults(func=_cmd_evaluate)

    f = sub.add_parser("fit", help="fit the project's suggester on its codings and store it")
    f.add_argument("project")
    f.set_defaults(func=_cmd_fit)

    r = sub.add_parser("report", help="cross-validated quality on the project's own codings")
    r.add_argument("project")
    r.add_argument("--folds", type=int, default=5)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=_cmd_report)

    a = sub.add_parser(
        "apply",
        help="predict the segments nobody has coded and fill the review queue",
        description="Fits the suggester, stores each learned code's probability for every "
        "segment nobody has coded (never as codings) and queues the confident ones for review.",
    )
    a.add_argument("project")
    a.add_argument(
        "--min-confidence",
        type=float,
        default=0.8,
        help="queue predictions of at least this probability for review (default 0.8)",
    )
    # Deprecated: the queue belongs to the project; accepted and ignored with a note.
    a.add_argument("--coder", help=argparse.SUPPRESS)
    a.set_defaults(func=_cmd_apply)

    v = sub.add_parser(
        "validate",
        help="draw a random sample of predictions into the review queue to check them",
        description="A stratified random sample (by code and probability band); the decisions "
        "measure precision and correct the prevalence estimates.",
    )
    v.add_argument("project")
    v.add_argument("--sample", type=int, default=50, help="items to draw (default 50)")
    v.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    v.set_defaults(func=_cmd_validate)

    c = sub.add_parser(
        "precision", help="per-code precision of the suggestions from validation decisions"
    )
    c.add_argument("project")
    c.add_argument("--lang", default="en", metavar="en|sv", help="language of the code labels")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_cmd_precision)

    s = sub.add_parser(
        "prevalence",
        help="how common each code is: people's codings and the model's estimates, with intervals",
    )
    s.add_argument("project")
    s.add_argument(
        "--level",
        default="participant",
        metavar="participant|segment",
        help="share of participants (default) or of segments",
    )
    s.add_argument(
        "--by", metavar="ATTRIBUTE", help="one block per value of a participant attribute"
    )
    s.add_argument(
        "--source", metavar="interviews|survey", help="only one source (default: both, apart)"
    )
    s.add_argument("--lang", default="en", metavar="en|sv", help="language of the code labels")
    s.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="replicates (1000)")
    s.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    s.add_argument("--json", action="store_true", help="JSON records instead of a table")
    s.set_defaults(func=_cmd_prevalence)
