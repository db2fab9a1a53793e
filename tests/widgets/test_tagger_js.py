"""The front end's offset conversion (UTF-16 units <-> code points), run in Node when present."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from _helpers import node_module

from workbench.widgets import Tagger

PIECES = ["a", "å", "Ö", "e\u0301", "👩\u200d🍳", "😀", "🇸🇪", " ", "\n", "—", "ß", "𝔘", "\u200b"]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_tagger_js_offsets_match_python_code_points(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    rng = random.Random(5)
    texts = ["".join(rng.choices(PIECES, k=rng.randint(0, 25))) for _ in range(200)]
    script = f"""
        import {{ utf16ToCodePoints, codePointsToUtf16 }} from {json.dumps(node_module(Tagger, tmp_path))};
        const texts = JSON.parse(process.argv[1]);
        const out = texts.map((t) => {{
            const toUnits = [];
            for (let k = 0; k <= [...t].length; k++) toUnits.push(codePointsToUtf16(t, k));
            const toPoints = [];
            for (let u = 0; u <= t.length; u++) toPoints.push(utf16ToCodePoints(t, u));
            return [toUnits, toPoints];
        }});
        console.log(JSON.stringify(out));
    """
    result = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(texts)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for text, (to_units, to_points) in zip(texts, json.loads(result.stdout), strict=True):
        assert to_units == [utf16_len(text[:k]) for k in range(len(text) + 1)]
        # Every unit boundary maps to the code points wholly before it (a cut inside a
        # surrogate pair counts the pair, as the browser never selects half a character).
        for units, points in enumerate(to_points):
            assert utf16_len(text[:points]) >= units
            assert points == 0 or utf16_len(text[: points - 1]) < units
