"""Draw the figures a check described (verify._model.Figure) as PNG files beside the report."""
from __future__ import annotations

import concurrent.futures
import copy
import math
import re
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from verify.report._atomic import write_atomic


_GLYPHS = str.maketrans({"𝒟": "D"})  # not in matplotlib's DejaVu font (it would warn and draw a box)


def _plain(text: str) -> str:
    return str(text).translate(_GLYPHS)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:80]


def _convergence(ax_pair, d):
    ax, ax2 = ax_pair
    w = np.asarray(d["widths"])
    ax.errorbar(w, d["means"], yerr=d["half_widths"], fmt="o", label="MC mean (interval)")
    grid = np.geomspace(w.min(), w.max() * 4, 100)
    ax.plot(grid, d["fit_intercept"] + d["fit_slope"] * grid ** (-d["bias_order"]), "-", label="fit L + c/n")
    ax.axhline(d["fit_intercept"], ls=":", color="C1", label=f"extrapolated L = {d['fit_intercept']:.5g}")
    ax.axhline(d["claimed"], ls="--", color="C3", label=_plain(f"claimed {d.get('claimed_text') or ''} = {d['claimed']:.5g}"))
    ax.set_xscale("log")
    ax.set_xlabel("width n")
    ax.set_ylabel("mean over networks")
    ax.legend(fontsize=7)
    ax2.loglog(w, d["variance"], "o", label="variance across networks")
    wf = w[w >= d.get("fluctuation_from", 0)]
    ax2.loglog(wf, np.exp(d["fluctuation_intercept"]) * wf ** d["fluctuation_slope"], "-",
               label=f"fit slope {d['fluctuation_slope']:.3f}")
    ax2.loglog(wf, np.exp(d["fluctuation_intercept"]) * wf[0] ** (d["fluctuation_slope"] - d["fluctuation_expected"])
               * wf ** d["fluctuation_expected"], "--", label=f"expected slope {d['fluctuation_expected']:g}")
    ax2.set_xlabel("width n")
    ax2.legend(fontsize=7)


def _loglog(ax, d):
    x, y = np.asarray(d["x"]), np.asarray(d["y"])
    lo = y * np.exp(-np.asarray(d["log_half_widths"]))
    hi = y * np.exp(np.asarray(d["log_half_widths"]))
    ax.errorbar(x, y, yerr=[y - lo, hi - y], fmt="o", label="MC mean (interval)")
    ax.loglog(x, np.exp(d["intercept"]) * x ** d["slope"], "-", label=f"fit slope {d['slope']:.3f}")
    if d.get("predicted_slope") is not None:
        ax.loglog(x, np.exp(d["intercept"]) * x[0] ** (d["slope"] - d["predicted_slope"]) * x ** d["predicted_slope"],
                  "--", label=_plain(f"predicted {d.get('predicted_text') or ''} = {d['predicted_slope']:g}"))
    ax.set_xlabel(d.get("variable", "n"))
    ax.legend(fontsize=7)


def _curves(ax, d):
    x = np.asarray(d["x"])
    for name, ys in d["curves"].items():
        ax.plot(x, ys, label=_plain(name))
    ax.set_xlabel(d.get("xlabel", ""))
    ax.set_ylabel(d.get("ylabel", ""))
    if d.get("logx"):
        ax.set_xscale("log")
    if d.get("logy"):
        ax.set_yscale("log")
    ax.legend(fontsize=7)


def _log_ticks(ax) -> None:
    """Log axes with labelled ticks only, at 1·10ᵏ (over more than 2.5 decades), 1, 2, 5·10ᵏ (over more than 0.8) or
    every integer multiple, in plain text: matplotlib's default unlabelled minor ticks were a third of a figure's
    drawing time and its 10² labels went through the mathtext parser (another fifth)."""
    for axis, limits in ((ax.xaxis, ax.get_xlim), (ax.yaxis, ax.get_ylim)):
        if axis.get_scale() != "log":
            continue
        lo, hi = sorted(limits())
        decades = math.log10(hi / lo) if lo > 0 else math.inf
        subs = (1.0,) if decades > 2.5 else (1.0, 2.0, 5.0) if decades > 0.8 else tuple(range(1, 10))
        axis.set_major_locator(LogLocator(subs=subs))
        axis.set_minor_locator(NullLocator())
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def _draw(path: Path, kind: str, data: dict, title: str) -> None:
    wide = kind == "convergence"
    # matplotlib's object API, not pyplot: no global figure registry, so a worker thread may draw
    f = Figure(figsize=(9 if wide else 5, 3.4))
    FigureCanvasAgg(f)
    axes = f.subplots(1, 2 if wide else 1)
    if kind == "convergence":
        _convergence(axes, data)
    elif kind == "loglog_fit":
        _loglog(axes, data)
    else:
        _curves(axes, data)
    for ax in np.atleast_1d(axes):
        _log_ticks(ax)
    f.suptitle(_plain(title), fontsize=8)
    # fixed margins: tight_layout measured every text box and took half the render time
    f.subplots_adjust(left=0.1 if wide else 0.16, right=0.98, bottom=0.15, top=0.88, wspace=0.25)
    # atomically: a file on disk is a whole figure, even after a kill -9 mid-drawing (resume redraws
    # only the missing ones)
    write_atomic(path, lambda fh: f.savefig(fh, format="png", dpi=90), binary=True)


def _plan(result: dict, folder: Path) -> list[tuple]:
    """Name every figure's file in the result (at once, so the result can be saved) and list the drawings."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs, k = [], 0
    for check in result["checks"]:
        for fig in check["figures"]:
            k += 1
            name = f"{_safe(result['id'])}__{k:02d}.png"
            fig["file"] = f"figures/{name}"
            jobs.append((folder / name, fig["kind"], copy.deepcopy(fig["data"]), f"{result['id']}: {fig['title']}"))
    return jobs


def render(result: dict, folder: Path) -> None:
    """Draw every figure of a claim result into `folder`, recording each file name in the result."""
    for job in _plan(result, folder):
        _draw(*job)


class BackgroundRenderer:
    """Draws the figures of one claim while the next claim computes (a figure costs ~0.2 s of Agg
    drawing; JAX releases the GIL). One worker: drawings stay in order. close() waits and re-raises."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="figures")
        self._pending: list[concurrent.futures.Future] = []

    def __call__(self, result: dict) -> None:
        self._submit(_plan(result, self.folder))

    def redraw_missing(self, results: list[dict]) -> None:
        """Draw the figures of already recorded results that are not on disk: a run killed (-9)
        between saving a claim's result and finishing its drawings lost them; --resume calls this.
        _plan names files by position, so it gives the recorded names again."""
        for result in results:
            self._submit([job for job in _plan(result, self.folder) if not job[0].exists()])

    def _submit(self, jobs: list[tuple]) -> None:
        self._pending += [self._pool.submit(_draw, *job) for job in jobs]

    def close(self) -> None:
        try:
            for fut in self._pending:
                fut.result()
        finally:
            self._pool.shutdown(wait=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
