"""``workbench suggest``: evaluate code suggestions on coded CSV files.

The project subcommands (``suggest report``, ``suggest apply``) are wired by the project
layer on top of :func:`workbench.suggest.report` and :class:`workbench.suggest.CodeSuggester`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from workbench.errors import SuggestError
from workbench.project import open_project

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

    with open_project(args.project) as project:
        queued = _suggestions.apply(project, min_confidence=args.min_confidence, coder=args.coder)
    print(
        f"queued {queued} suggestion(s) with confidence >= {args.min_confidence} for review; "
        "no codings were written"
    )
    return 0


def register(subparsers: Any) -> None:
    """Add ``suggest`` and its subcommands to the ``workbench`` parser."""
    p = subparsers.add_parser("suggest", help="code suggestions: evaluate, report, apply")
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
        metavar="cc|pcc|acc|pacc|emq",
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

    a = sub.add_parser("apply", help="fill the review queue with confident suggestions")
    a.add_argument("project")
    a.add_argument("--min-confidence", type=float, default=0.8)
    a.add_argument("--coder", help="only segments this coder has not coded")
    a.set_defaults(func=_cmd_apply)
