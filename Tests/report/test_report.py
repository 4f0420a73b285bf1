"""Opens crmq's HTML report in a real browser (headless Chromium, Debian's `chromium`) and
looks at it as a reader would: the page loads with nothing logged to the console (Chromium
logs an SVG attribute it cannot draw, such as a NaN or a negative width), every chart has a
size and marks in it, the screenshot is a page of text and charts rather than a blank, in the
light scheme and in the dark; and the file holds no address outside itself, no script, no
font or picture to fetch. The checks are first shown to catch a page that breaks each rule.

    python Tests/report/test_report.py .build/debug/crmq
"""
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(ROOT, "examples", "acme")
CDNOW = os.path.join(ROOT, "examples", "cdnow-sample")

REPORTS = {
    # name: (statements before, report clause, sections that must be there, sections that must be left out)
    "acme": (f'load "{ACME}"', "", ["The whale curve", "The credit watch list", "The value star and the value map"], ["no holdout"]),
    "acme-north": (f'load "{ACME}"', "where region = 'North'", ["The portfolio", "Customers most worth a retention call"], []),
    "cdnow": (f'load "{CDNOW}" as of 1997-09-30', "", ["The model against the holdout", "Lifetime value"], ["no payments", "no valuestar.csv"]),
}

# Measures every <svg> after layout, and each lead sentence; written into the page for --dump-dom.
MEASURE = """<script>
const charts = [...document.querySelectorAll('svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('rect, circle, polyline, line, path')].slice(1)
    .filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height, marks};
});
const sections = [...document.querySelectorAll('section h2')].map(h => h.textContent);
const leads = [...document.querySelectorAll('p.lead')].map(p => p.textContent);
document.body.insertAdjacentHTML('beforeend', '<pre id="measured">' +
  JSON.stringify({charts, sections, leads}).replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</pre>');
</script>"""


def chromium(*args):
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def console_lines(page):
    """What the page logged to the console (Chromium logs console messages as CONSOLE lines)."""
    run = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + page)
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


def measure(page, tmp):
    copy = os.path.join(tmp, "measure-" + os.path.basename(page))
    with open(page, encoding="utf-8") as f:
        html = f.read()
    with open(copy, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", MEASURE + "</body>"))
    dom = chromium("--dump-dom", "file://" + copy).stdout
    found = re.findall(r'<pre id="measured">(.*?)</pre>', dom, re.S)  # the last: the first is the script's own text
    if len(found) < 2:
        raise AssertionError("the measuring script wrote nothing")
    text = found[-1].replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return json.loads(text)


def screenshot(page, tmp, dark):
    png = os.path.join(tmp, os.path.basename(page) + (".dark" if dark else "") + ".png")
    chromium(*(["--force-dark-mode"] if dark else []), "--window-size=1100,2400", "--screenshot=" + png, "file://" + page)
    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    background = image.getpixel((5, 5))
    differs = [i for i, p in enumerate(pixels) if sum(abs(a - b) for a, b in zip(p, background)) > 60]
    colours = {pixels[i] for i in differs if max(pixels[i]) - min(pixels[i]) > 40}
    cells = {(3 * (i % width) // width, 3 * (i // width) // height) for i in differs}
    return {"background": background, "drawn": len(differs) / len(pixels), "colours": len(colours), "cells": len(cells)}


def static_problems(html):
    problems = []
    for pattern, what in [(r"https?:", "an address"), (r"(?:src|href)\s*=\s*[\"']//", "an address"),
                          (r"<script", "a script"), (r"<link", "a linked file"), (r"<img", "a picture"),
                          (r"<iframe", "a frame"), (r"@import", "an imported style"), (r"url\((?!#)", "a fetched url()")]:
        if re.search(pattern, html, re.I):
            problems.append(f"{what}: {re.search(pattern, html, re.I).group(0)}")
    return problems


def check_page(name, page, tmp, must, must_omit):
    failures = []
    with open(page, encoding="utf-8") as f:
        html = f.read()
    failures += static_problems(html)
    failures += [f"console: {line}" for line in console_lines(page)]
    measured = measure(page, tmp)
    for chart in measured["charts"]:
        if chart["width"] < 100 or chart["height"] < 50 or chart["marks"] < 3:
            failures.append(f"chart not drawn: {chart}")
    if not measured["charts"]:
        failures.append("no chart on the page")
    for section in must:
        if section not in measured["sections"]:
            failures.append(f"no section {section!r} in {measured['sections']}")
    if len(measured["leads"]) != len(measured["sections"]) - (1 if "Not in this report" in measured["sections"] else 0):
        failures.append("a section without its sentence")
    for reason in must_omit:
        if reason not in html:
            failures.append(f"left out without saying {reason!r}")
    light, dark = screenshot(page, tmp, dark=False), screenshot(page, tmp, dark=True)
    for scheme, look in [("light", light), ("dark", dark)]:
        if look["drawn"] < 0.03 or look["colours"] < 20 or look["cells"] < 6:
            failures.append(f"{scheme} screenshot looks blank: {look}")
    if sum(light["background"]) < 600 or sum(dark["background"]) > 150:
        failures.append(f"the schemes are not light and dark: {light['background']} / {dark['background']}")
    print(f"{'ok' if not failures else 'FAIL'}   {name}: {len(measured['sections'])} sections, {len(measured['charts'])} charts "
          f"(least marks {min((c['marks'] for c in measured['charts']), default=0)}), light {light['drawn']:.1%} drawn, "
          f"dark {dark['drawn']:.1%} drawn, background {light['background']} / {dark['background']}")
    for failure in failures:
        print("       " + failure)
    return failures


def self_checks(page, tmp):
    """Each rule first catches a page that breaks it, so that a pass means something."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    failures = []
    broken = os.path.join(tmp, "broken.html")
    with open(broken, "w", encoding="utf-8") as f:
        f.write(html.replace("</main>", '<svg width="10" height="10"><rect width="-5" height="3"/></svg></main>'))
    if not console_lines(broken):
        failures.append("self-check: a negative width in an SVG was not caught on the console")
    blank = os.path.join(tmp, "blank.html")
    with open(blank, "w", encoding="utf-8") as f:
        f.write(re.sub(r"<svg.*?</svg>", '<svg width="700" height="300"><rect width="700" height="300" fill="#fff"/></svg>', html, flags=re.S))
    if all(c["marks"] >= 3 for c in measure(blank, tmp)["charts"]):
        failures.append("self-check: an empty chart was not caught")
    if not static_problems(html.replace("</main>", '<img src="https://example.com/x.png"></main>')):
        failures.append("self-check: an external picture was not caught")
    empty = os.path.join(tmp, "empty.html")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><body></body></html>")
    if screenshot(empty, tmp, dark=False)["drawn"] >= 0.03:
        failures.append("self-check: a blank page was not caught")
    print(("ok" if not failures else "FAIL") + "   the checks catch a broken page, an empty chart, an external address and a blank page")
    for failure in failures:
        print("       " + failure)
    return failures


def check_markdown(crmq, tmp):
    path = os.path.join(tmp, "md", "q4.md")
    os.makedirs(os.path.dirname(path))
    run = subprocess.run([crmq, "-c", f'load "{ACME}"; report to "{path}"'], capture_output=True, text=True, timeout=120)
    failures = [] if run.returncode == 0 else [f"exit {run.returncode}: {run.stderr}"]
    if not failures:
        with open(path, encoding="utf-8") as f:
            page = f.read()
        linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page)
        for name in linked:
            try:
                ET.parse(os.path.join(os.path.dirname(path), name))
            except (OSError, ET.ParseError) as error:
                failures.append(f"chart {name}: {error}")
        if len(linked) < 5:
            failures.append(f"only {len(linked)} charts linked")
        if "## The whale curve" not in page or "| group |" not in page:
            failures.append("sections or tables missing")
    print(("ok" if not failures else "FAIL") + f"   markdown: q4.md with its charts beside it")
    for failure in failures:
        print("       " + failure)
    return failures


def main():
    crmq = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        pages = {}
        for name, (setup, clause, must, must_omit) in REPORTS.items():
            page = os.path.join(tmp, name + ".html")
            run = subprocess.run([crmq, "-c", f'{setup}; report {clause} to "{page}"'], capture_output=True, text=True, timeout=300)
            if run.returncode != 0:
                failures.append(name)
                print(f"FAIL   {name}: exit {run.returncode}: {run.stderr}")
                continue
            pages[name] = page
            failures += check_page(name, page, tmp, must, must_omit)
        if "acme" in pages:
            failures += self_checks(pages["acme"], tmp)
        failures += check_markdown(crmq, tmp)
    print(f"{'passed' if not failures else 'FAILED'}: the report in a browser ({len(failures)} problems)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
