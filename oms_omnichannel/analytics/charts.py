"""What the reports' charts share."""

from __future__ import annotations


def line_type(labels: list) -> str:
	"""The chart type of a trend: a line needs two points. Frappe Charts draws a one-point line as
	an invalid SVG path (errors in the browser, nothing on screen), so a single period is a bar."""
	return "line" if len(labels) > 1 else "bar"
