"""Reports of a run: results.json (schema in SCHEMA.md), summary.md, figures/."""
from verify.report._figures import BackgroundRenderer, render as render_figures
from verify.report._html import write_html
from verify.report._markdown import summary_markdown

__all__ = ["BackgroundRenderer", "render_figures", "summary_markdown", "write_html"]
