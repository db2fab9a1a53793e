"""The agreement report: figures with bootstrap intervals, per code, as text or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from workbench.agreement._bootstrap import interval

__all__ = ["NO_UNITS", "NO_VARIATION", "OK", "AgreementReport", "figure"]

OK = "ok"
NO_VARIATION = "undefined (no variation)"
NO_UNITS = "undefined (no units rated by two coders)"

FIGURES = ("percent_agreement", "krippendorff_alpha", "fleiss_kappa")
TITLES = {
    "percent_agreement": "percent agreement",
    "krippendorff_alpha": "Krippendorff's alpha",
    "fleiss_kappa": "Fleiss' kappa",
}


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def figure(point: float, boot: npt.NDArray[np.float64], n: float) -> dict[str, Any]:
    """One figure: value, 95 % bootstrap interval, number of units, and a status."""
    n_units = int(round(n))
    value = _num(point)
    if n_units == 0:
        status = NO_UNITS
    elif value is None:
        status = NO_VARIATION
    else:
        status = OK
    low, high = interval(boot) if value is not None and boot.size else (None, None)
    return {"value": value, "ci_low": low, "ci_high": high, "n": n_units, "status": status}


def _cell(x: Any, width: int) -> str:
    if isinstance(x, float) and math.isfinite(x):
        return f"{x:>{width}.3f}"
    return f"{'-':>{width}s}"


def _fmt(fig: dict[str, Any], key: str = "value") -> str:
    if fig[key] is None:
        return str(fig["status"])
    text = f"{fig[key]:6.3f}"
    if fig.get("ci_low") is not None:
        text += f"  [{fig['ci_low']:6.3f}, {fig['ci_high']:6.3f}]"
    return text


@dataclass
class AgreementReport:
    """Agreement figures for a set of coders.

    ``overall``: ``percent_agreement``, ``krippendorff_alpha``, ``fleiss_kappa`` (each a dict
    with ``value``, ``ci_low``, ``ci_high``, ``n``, ``status``) and ``cohen_kappa`` (a list of
    ``{coders, kappa, ci_low, ci_high, n, status}``, one per pair of coders).
    ``per_code``: one row per code (empty for a plain reliability table).
    ``pooling`` says what the overall figures pool.
    """

    overall: dict[str, Any]
    per_code: pd.DataFrame
    coders: list[str]
    units: int
    level: str
    bootstrap: int
    pooling: str
    unit_name: str = "units"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (no NaN: undefined figures are ``None`` with a ``status``)."""
        per_code = [
            {k: (_num(v) if isinstance(v, float) else v) for k, v in row.items()}
            for row in self.per_code.to_dict(orient="records")
        ]
        out: dict[str, Any] = {key: dict(self.overall[key]) for key in FIGURES}
        out["cohen_kappa"] = [dict(pair) for pair in self.overall["cohen_kappa"]]
        out.update(
            units=self.units,
            coders=list(self.coders),
            level=self.level,
            bootstrap=self.bootstrap,
            pooling=self.pooling,
            per_code=per_code,
        )
        return out

    def to_text(self) -> str:
        """A readable summary: overall figures with 95 % intervals, then the per-code table."""
        lines = [
            f"coders: {', '.join(self.coders)}   level: {self.level}   "
            f"{self.unit_name}: {self.units}   bootstrap: {self.bootstrap}",
            f"overall ({self.pooling}); 95 % bootstrap intervals in brackets",
        ]
        named = [(TITLES[key], _fmt(self.overall[key]), self.overall[key]["n"]) for key in FIGURES]
        named += [
            (
                f"Cohen's kappa {pair['coders'][0]}/{pair['coders'][1]}",
                _fmt(pair, "kappa"),
                pair["n"],
            )
            for pair in self.overall["cohen_kappa"]
        ]
        width = max(len(name) for name, _, _ in named)
        for name, text, n in named:
            lines.append(f"  {name:<{width}s}  {text:<26s}  n={n}")
        lines.extend(f"note: {note}" for note in self.notes)
        if not self.per_code.empty:
            lines.append("")
            kappas = [c for c in self.per_code.columns if c.startswith("kappa ")]
            kappas = [c for c in kappas if not c.endswith(("_ci_low", "_ci_high"))]
            head = f"{'code':<28s} {'n':>7s} {'agree':>6s} {'alpha':>7s} {'fleiss':>7s}"
            head += "".join(f" {c[6:]:>12s}" for c in kappas)
            lines.append(head)
            for values in self.per_code.to_dict(orient="records"):
                text = (
                    f"{str(values['code'])[:28]:<28s} {int(values['n']):>7d}"
                    f" {_cell(values['percent_agreement'], 6)}"
                    f" {_cell(values['krippendorff_alpha'], 7)}"
                    f" {_cell(values['fleiss_kappa'], 7)}"
                )
                text += "".join(f" {_cell(values[c], 12)}" for c in kappas)
                if values["status"] != OK:
                    text += f"  {values['status']}"
                lines.append(text)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()
