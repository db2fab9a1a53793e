from __future__ import annotations

import doctest

import workbench.agreement._api as api


def test_api_docstring_examples_run() -> None:
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2
    assert result.failed == 0
