"""Figures drawn in a worker thread: names are in the result at once, files exist after close()."""
from __future__ import annotations

import pytest

from verify.report import BackgroundRenderer, render_figures


def _result(kind="loglog_fit", data=None):
    data = data or {"x": [16, 64, 256], "y": [1.0, 0.5, 0.25], "log_half_widths": [0.1, 0.1, 0.1],
                    "slope": -0.5, "intercept": 1.386, "predicted_slope": -0.5, "predicted_text": "−1/2",
                    "variable": "m"}
    return {"id": "t.fig", "checks": [{"figures": [{"kind": kind, "title": "a slope", "data": data}]}]}


def test_background_renderer_names_first_and_draws_the_same_png(tmp_path):
    result = _result()
    with BackgroundRenderer(tmp_path / "bg") as figures:
        figures(result)
        assert result["checks"][0]["figures"][0]["file"] == "figures/t.fig__01.png"  # before drawing ends
    sync = _result()
    render_figures(sync, tmp_path / "sync")
    bg, fg = (tmp_path / "bg" / "t.fig__01.png"), (tmp_path / "sync" / "t.fig__01.png")
    assert bg.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and bg.stat().st_size == fg.stat().st_size


def test_a_drawing_error_surfaces_at_close(tmp_path):
    renderer = BackgroundRenderer(tmp_path)
    renderer(_result(data={"x": [1, 2]}))  # no "y": the drawing raises in the worker
    with pytest.raises(KeyError):
        renderer.close()
