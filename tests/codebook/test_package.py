from __future__ import annotations

import pytest

import workbench.codebook as codebook
from workbench.codebook import builtin_codebook, builtin_path, codebook_to_qdc


def test_package_all_names_exist_and_are_public() -> None:
    assert sorted(codebook.__all__) == sorted(set(codebook.__all__))
    for name in codebook.__all__:
        assert hasattr(codebook, name) and not name.startswith("_")


@pytest.mark.skipif(not builtin_path().is_file(), reason="codebooks/gronroos.yaml not written yet")
def test_builtin_codebook_loads_bilingual_and_roundtrips() -> None:
    book = builtin_codebook()
    assert book.id == "gronroos" and len(book) > 5
    assert all(c.label.get("sv") and c.label.get("en") for c in book)
    assert type(book).from_yaml(book.to_yaml()) == book
    from workbench.codebook import codebook_from_qdc

    assert codebook_from_qdc(codebook_to_qdc(book), "gronroos.qdc") == book


def test_builtin_codebook_missing_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.codebook._io as io_module
    from workbench.errors import ProjectError

    monkeypatch.setattr(io_module, "BUILTIN_CODEBOOK", ("codebooks", "missing.yaml"))
    with pytest.raises(
        ProjectError, match="^codebooks/missing.yaml: missing from this installation"
    ):
        io_module.builtin_codebook()
