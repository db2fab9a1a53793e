"""``workbench suggest`` on a project: apply without a coder, validate, precision, prevalence;
every mistake one line and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers import SUGGEST_TEXTS, suggest_project

import workbench
from workbench.cli import main
from workbench.project._predictions import PREVALENCE_COLUMNS
from workbench.store import QueuePurpose


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    suggest_project(folder).close()
    return folder


def _one_line(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err
    return err


def test_cli_suggest_apply_without_a_coder(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "apply", str(study), "--min-confidence", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "predicted 2 code(s) for 3 segment(s) nobody has coded" in out
    assert "no codings were written" in out
    with workbench.open(study, read_only=True) as p:
        queue = p.store.queue_frame()
        assert f"queued {len(queue)} suggestion(s) with confidence >= 0.05" in out
        assert set(queue["purpose"]) == {QueuePurpose.REVIEW}
        assert set(p.codings()["coder"]) == {"anna"}
        assert len(p.predictions()) == 6


def test_cli_suggest_apply_coder_is_a_deprecated_no_op(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "apply", str(study), "--coder", "erik"]) == 0
    captured = capsys.readouterr()
    assert "--coder is no longer needed and is ignored" in captured.err
    assert "predicted 2 code(s)" in captured.out


def test_cli_suggest_apply_says_when_nothing_reaches_the_threshold(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "apply", str(study), "--min-confidence", "1"]) == 0
    assert "nothing new to review (a lower --min-confidence queues more)" in (
        capsys.readouterr().out
    )
    assert main(["suggest", "apply", str(study), "--min-confidence", "2"]) == 2
    _one_line(capsys, "--min-confidence 2.0 is not between 0 and 1")


@pytest.mark.parametrize(
    "command",
    [["prevalence"], ["validate", "--sample", "5"], ["precision"]],
)
def test_cli_suggest_before_apply_is_one_line(
    study: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", command[0], str(study), *command[1:]]) == 2
    _one_line(capsys, "no predictions yet; run `workbench suggest apply")


def test_cli_suggest_validate_precision_prevalence(
    study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "apply", str(study)]) == 0
    capsys.readouterr()
    assert main(["suggest", "validate", str(study), "--sample", "0"]) == 2
    _one_line(capsys, "--sample must be 1 or more")
    assert main(["suggest", "validate", str(study), "--sample", "4", "--seed", "2"]) == 0
    assert "drew 4 prediction(s) at random" in capsys.readouterr().out
    assert main(["suggest", "precision", str(study)]) == 2
    _one_line(capsys, "no validation decisions yet")
    with workbench.open(study) as p:
        for item in p.store.queue_frame(purpose=QueuePurpose.VALIDATION)["id"]:
            p.store.review_suggestion(int(item), "accepted", user="zoe")
    assert main(["suggest", "precision", str(study), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} <= set(SUGGEST_TEXTS)
    assert main(["suggest", "precision", str(study)]) == 0
    assert "precision of the suggestions" in capsys.readouterr().out
    assert main(["suggest", "prevalence", str(study), "--json", "--bootstrap", "50"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and list(records[0]) == list(PREVALENCE_COLUMNS)
    assert {r["source"] for r in records} == {"interviews"}
    assert main(["suggest", "prevalence", str(study), "--level", "segment", "--lang", "sv"]) == 0
    text = capsys.readouterr().out
    assert "interviews: share of segments with each code" in text
    assert "Tillgänglighet" in text
    assert main(["suggest", "prevalence", str(study), "--level", "word"]) == 2
    _one_line(capsys, "level 'word' is not one of participant, segment")


def test_cli_suggest_evaluate_fine_tune_epochs_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "text,codes\n" + "".join(
        f'"{t}",{code}\n' for code, texts in SUGGEST_TEXTS.items() for t in texts
    )
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    args = ["suggest", "evaluate", "--train", str(tmp_path / "a.csv")]
    args += ["--test", str(tmp_path / "a.csv"), "--embeddings", "off", "--bootstrap", "-1"]
    assert main([*args, "--fine-tune-epochs", "-1"]) == 2
    _one_line(capsys, "fine_tune_epochs -1 is not a whole number >= 0")
    assert main([*args, "--fine-tune-epochs", "0"]) == 0
