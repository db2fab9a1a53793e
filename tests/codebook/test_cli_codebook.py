from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from workbench.cli._codebook import register
from workbench.codebook import codebook_from_yaml, load_codebook, rename_code, save_codebook
from workbench.errors import WorkbenchError

from .codebook_strategies import SAMPLE_YAML


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workbench")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["codebook", *argv])
    return int(args.func(args))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(SAMPLE_YAML, encoding="utf-8")
    return path


def test_cli_show_prints_tree(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("show", str(demo), "--lang", "sv") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Demokodbok (demo, version 3, 4 codes)")
    assert "  Vad  <ep-what>  [w]" in out
    assert "Vardagsprocess  <everyday-process>  [e]  (category)" in out


def test_cli_validate_and_strict(demo: Path, tmp_path: Path) -> None:
    assert _run("validate", str(demo), "--strict") == 0
    one = tmp_path / "one.yaml"
    one.write_text(SAMPLE_YAML.replace("label: {sv: När, en: When}", "label: {en: When}"))
    assert _run("validate", str(one)) == 0
    with pytest.raises(WorkbenchError, match="one.yaml: line .*: code 'ep-when'"):
        _run("validate", str(one), "--strict")


def test_cli_convert_between_formats(demo: Path, tmp_path: Path) -> None:
    qdc, back = tmp_path / "demo.qdc", tmp_path / "back.yaml"
    assert _run("convert", str(demo), str(qdc)) == 0
    assert _run("convert", str(qdc), str(back)) == 0
    assert back.read_text(encoding="utf-8") == SAMPLE_YAML
    assert _run("convert", str(demo), str(tmp_path / "demo.csv")) == 0


def test_cli_diff_exit_codes(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("diff", str(demo), str(demo)) == 0
    other = tmp_path / "other.yaml"
    save_codebook(rename_code(load_codebook(demo), "ep-what", "Activity"), other)
    assert _run("diff", str(demo), str(other)) == 1
    assert "~ renamed ep-what" in capsys.readouterr().out


def test_cli_merge_writes_ours_on_conflict(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = codebook_from_yaml(SAMPLE_YAML)
    ours, theirs, out = tmp_path / "ours.yaml", tmp_path / "theirs.yaml", tmp_path / "out.yaml"
    save_codebook(rename_code(base, "ep-what", "Activity"), ours)
    save_codebook(rename_code(base, "ep-what", "Task"), theirs)
    assert _run("merge", str(demo), str(ours), str(theirs), "-o", str(out)) == 1
    assert "conflict: ep-what: label.en: ours 'Activity', theirs 'Task'" in capsys.readouterr().out
    assert load_codebook(out).get("ep-what").label["en"] == "Activity"
    assert _run("merge", str(demo), str(ours), str(demo), "-o", str(out)) == 0


BAD = {
    "malformed.yaml": "id: x\ncodes: [\n",
    "dupid.yaml": SAMPLE_YAML.replace("- id: ep-when", "- id: ep-what"),
    "dupkey.yaml": SAMPLE_YAML.replace("shortcut: w", "shortcut: e"),
    "orphan.yaml": SAMPLE_YAML.replace("parent: everyday-process", "parent: nowhere", 1),
    "cycle.yaml": SAMPLE_YAML.replace(
        "parent: null\n    codable: false", "parent: ep-when\n    codable: false"
    ),
    "notxml.qdc": "this is not xml",
    "wrong.qdc": '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"/>',
    "bomb.qdc": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0">&b;</CodeBook>',
    "xxe.qdc": '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/hostname">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0">&e;</CodeBook>',
    "format.txt": "id: x",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_cli_bad_input_is_one_line_error_and_writes_nothing(name: str, tmp_path: Path) -> None:
    src = tmp_path / name
    src.write_text(BAD[name], encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    for argv in (["validate", str(src)], ["convert", str(src), str(tmp_path / "out.yaml")]):
        with pytest.raises(WorkbenchError) as info:
            _run(*argv)
        message = str(info.value)
        assert message.startswith(name + ": ") and "\n" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_merge_of_unrelated_codebooks_writes_nothing(demo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(SAMPLE_YAML.replace("id: demo", "id: other", 1), encoding="utf-8")
    out = tmp_path / "out.yaml"
    with pytest.raises(WorkbenchError, match="^other.yaml: cannot merge unrelated codebooks"):
        _run("merge", str(demo), str(demo), str(other), "-o", str(out))
    assert not out.exists()


def test_cli_convert_to_unknown_format_reads_nothing(demo: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="unknown codebook format"):
        _run("convert", str(demo), str(tmp_path / "out.docx"))


def test_cli_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="^nope.yaml: cannot read: "):
        _run("show", str(tmp_path / "nope.yaml"))
