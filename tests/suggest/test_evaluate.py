from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from _helpers import run_suggest

from workbench.errors import SuggestError
from workbench.suggest import cross_validate, evaluate, learning_curve, read_coded_csv, report


def _write(
    path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "codes")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _rows(texts: list[str], codes: list[list[str]]) -> list[tuple[str, str]]:
    return [(t, ";".join(c)) for t, c in zip(texts, codes, strict=True)]


def test_evaluate_keys_and_not_enough_data(texts, codes) -> None:
    train_codes = [list(c) for c in codes]
    train_codes[0] = ["wait", "rare"]
    result = evaluate(texts, train_codes, texts, codes, random_state=0)
    assert {"micro_f1", "macro_f1", "precision_at_1", "per_code"} <= set(result)
    assert result["micro_f1"] > 0.9
    assert result["precision_at_1"] == 1.0
    assert result["per_code"]["rare"]["status"] == "not enough data"
    assert result["per_code"]["rare"]["f1"] is None
    assert result["not_enough_data"] == ["rare"]
    assert result["per_code"]["wait"]["support"] == 4


def test_evaluate_unknown_test_code_is_an_error(texts, codes) -> None:
    test_codes = [list(c) for c in codes]
    test_codes[2] = ["unseen"]
    with pytest.raises(SuggestError, match="test item 3: code 'unseen'"):
        evaluate(texts, codes, texts, test_codes)


def test_cross_validate_and_learning_curve(texts, codes, codebook) -> None:
    cv = cross_validate(texts * 2, codes * 2, folds=3, random_state=0)
    assert cv["folds"] == 3
    assert 0 <= cv["micro_f1"] <= 1
    rows = learning_curve(
        texts * 2, codes * 2, [0, 6], sources=("prior", "learned", "blend"), codebook=codebook
    )
    assert [(r["n"], r["source"]) for r in rows] == [
        (0, "prior"),
        (0, "learned"),
        (0, "blend"),
        (6, "prior"),
        (6, "learned"),
        (6, "blend"),
    ]
    assert rows[1]["micro_f1"] is None
    assert rows[0]["micro_f1"] is not None


def test_report_has_cv_and_curve(texts, codes) -> None:
    out = report(texts * 2, codes * 2, folds=3, sizes=[6, 12])
    assert set(out) == {"cross_validation", "learning_curve"}
    assert len(out["learning_curve"]) == 2


def test_read_coded_csv_missing_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [("x", "a")], header=("segment", "labels"))
    with pytest.raises(SuggestError, match=r"bad.csv: line 1: missing column\(s\) text, codes"):
        read_coded_csv(path)


def test_read_coded_csv_empty_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "gaps.csv", [("fine", "a"), ("  ", "b")])
    with pytest.raises(SuggestError, match="gaps.csv: line 3: the text is empty"):
        read_coded_csv(path)


def test_read_coded_csv_splits_codes(tmp_path: Path) -> None:
    path = _write(tmp_path / "ok.csv", [("one", "a; b"), ("two", "")])
    assert read_coded_csv(path) == (["one", "two"], [["a", "b"], []])


def test_cli_evaluate_json(tmp_path: Path, texts, codes, capsys) -> None:
    train = _write(tmp_path / "train.csv", _rows(texts, codes))
    test = _write(tmp_path / "test.csv", _rows(texts[:6], codes[:6]))
    assert run_suggest(["suggest", "evaluate", "--train", str(train), "--test", str(test)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"micro_f1", "macro_f1", "precision_at_1", "per_code"} <= set(out)


def test_cli_evaluate_text(tmp_path: Path, texts, codes, capsys) -> None:
    train = _write(tmp_path / "train.csv", _rows(texts, codes))
    args = ["suggest", "evaluate", "--train", str(train), "--test", str(train), "--text"]
    assert run_suggest(args) == 0
    assert "micro-F1" in capsys.readouterr().out


def test_cli_evaluate_unknown_code_names_file_and_line(tmp_path: Path, texts, codes) -> None:
    train = _write(tmp_path / "train.csv", _rows(texts, codes))
    test = _write(tmp_path / "test.csv", [("Kön var lång", "wait"), ("Okänt", "mystery")])
    with pytest.raises(SuggestError, match="test.csv: line 3: code 'mystery' never appears"):
        run_suggest(["suggest", "evaluate", "--train", str(train), "--test", str(test)])


def test_cli_evaluate_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SuggestError, match="nothere.csv: no such file"):
        run_suggest(
            ["suggest", "evaluate", "--train", str(tmp_path / "nothere.csv"), "--test", "x"]
        )
