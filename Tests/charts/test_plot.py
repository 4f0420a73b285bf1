"""Draws every kind of chart crmq has to SVG with `plot … to FILE.svg`, renders each to PNG
with cairosvg (an SVG renderer no one here wrote) and looks at the picture: the file must
be well-formed SVG, render at its stated size, and show a chart — enough ink, in more than
one colour, spread over the picture rather than a blank page or a lone title.

    python Tests/charts/test_plot.py .build/debug/crmq
"""
import io
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import cairosvg
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(ROOT, "examples", "acme")
CDNOW = os.path.join(ROOT, "examples", "cdnow-sample")

CHARTS = {
    "whale curve": 'plot pareto to "{}"',
    "rfm heat map": 'plot rfm to "{}"',
    "portfolio grid": 'plot portfolio to "{}"',
    "value star bars": 'plot valuestar for segment retail to "{}"',
    "value map scatter": 'plot valuemap for segment construction to "{}"',
    "migration heat map": 'load "{acme}" as h1 as of 2024-06-30; load "{acme}" as h2; plot compare h1 h2 to "{{}}"',
    "holdout lines": 'load "{cdnow}" as of 1997-09-30; plot validate to "{{}}"',
}


def look(png_bytes):
    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    width, height = image.size
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    ink = [p for p in pixels if sum(p) < 3 * 235]
    colours = {p for p in ink if max(p) - min(p) > 40}  # not grey: the chart's own colours
    # Ink in at least 4 of the 9 cells of a 3×3 division: a chart, not a title on a blank page.
    cells = set()
    for i, p in enumerate(pixels):
        if sum(p) < 3 * 235:
            cells.add((3 * (i % width) // width, 3 * (i // width) // height))
    return width, height, len(ink) / len(pixels), len(colours), len(cells)


def main():
    crmq = os.path.abspath(sys.argv[1])
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, statement in CHARTS.items():
            path = os.path.join(tmp, name.replace(" ", "-") + ".svg")
            script = statement.format(acme=ACME, cdnow=CDNOW).format(path) if "{acme}" in statement or "{cdnow}" in statement else statement.format(path)
            run = subprocess.run([crmq, ACME, "-c", script], capture_output=True, text=True)
            problems = []
            if run.returncode != 0:
                problems.append(f"crmq exited {run.returncode}: {run.stderr.strip()}")
            else:
                try:
                    root = ET.parse(path).getroot()
                    declared = (float(root.get("width")), float(root.get("height")))
                    png = cairosvg.svg2png(url=path)
                    width, height, ink, colours, cells = look(png)
                    if (width, height) != tuple(int(v) for v in declared):
                        problems.append(f"rendered {width}×{height}, declared {declared}")
                    if ink < 0.02:
                        problems.append(f"only {ink:.1%} of the picture is drawn on")
                    if colours < 1:
                        problems.append("no colour: the chart's marks are missing")
                    if cells < 4:
                        problems.append(f"ink in only {cells} of 9 regions")
                except Exception as error:  # a parse or render failure is the finding
                    problems.append(f"{type(error).__name__}: {error}")
            if problems:
                failures += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                print(f"ok   {name}: {width}×{height}, {ink:.1%} drawn on, {colours} colours, ink in {cells}/9 regions")
    print(f"{len(CHARTS) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
