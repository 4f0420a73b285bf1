"""The data files shipped inside the `lifetimes` package, loaded by crmq as they are:

- the CDNOW master file (runs of spaces, CRLF line ends, YYYYMMDD dates, zero-padded ids,
  its amount named dollar_value) needs only its amount and quantity named, and gives every
  customer the same derived fields as examples/cdnow (the same purchases in crmq's layout);
- the CDNOW summaries (ID, frequency, recency, T; and ID, x, t_x, T, zbar) fit to the
  published BG/NBD and Gamma-Gamma parameters (Fader, Hardie & Lee 2005) and to what
  lifetimes' own fitters give on the same files;
- donations.csv (a compressed summary: a weight a row) stands for as many customers as its
  weights add up to.

    .venv/bin/python Tests/exports/test_lifetimes_files.py .build/debug/crmq
"""
import os
import subprocess
import sys

import lifetimes
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "models"))
from crmq_csv import crmq_output, parameters, tables  # noqa: E402

DATA = os.path.join(os.path.dirname(lifetimes.__file__), "datasets")
FIELDS = "orders, revenue, frequency, recency, age, monetary, first_purchase, last_purchase, days_since"
# Fader, Hardie & Lee (2005), "Counting your customers the easy way", and their Gamma-Gamma note.
PUBLISHED_BGNBD = {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/crmq"
results = []


def check(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))


def crmq(*statements):
    return crmq_output(binary, *statements)


def close(ours, theirs, tolerance):
    return all(abs(ours[k] / v - 1) < tolerance for k, v in theirs.items())


master = os.path.join(DATA, "CDNOW_master.txt")
with open(master, "rb") as f:
    head = f.read(200)
check(b"\r\n" in head and b"  " in head, "CDNOW_master.txt is as lifetimes ships it (CRLF, runs of spaces)")
for as_of in ["", " as of 1997-09-30"]:
    statement = f"customers show {FIELDS}"
    ours = crmq(f'load "{master}" as master{as_of} columns (amount = dollar_value, quantity = number_of_cds)', statement)
    plain = crmq(f'load "examples/cdnow"{as_of}', statement)
    table = lambda out: out[out.index("orders,"):]
    check(table(ours) == table(plain), f"CDNOW_master.txt{as_of}: every derived field of {table(ours).count(chr(10)) - 1} customers equals examples/cdnow's")
    check("amount ← dollar_value, quantity ← number_of_cds (delimiter 'spaces', date 'YYYYMMDD')" in ours,
          f"CDNOW_master.txt{as_of}: the load message says the mapping and the dialect", ours[:300])

summary_file = os.path.join(DATA, "cdnow_customers_summary.csv")
summary = pd.read_csv(summary_file)
bg = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
ours = parameters(tables(crmq(f'load "{summary_file}"', "fit bgnbd")))
check(close(ours, PUBLISHED_BGNBD, 5e-4), "cdnow_customers_summary.csv: BG/NBD to the published r, α, a, b", f"{ours}")
check(close(ours, dict(bg.params_), 1e-3), "cdnow_customers_summary.csv: BG/NBD as lifetimes' BetaGeoFitter fits it",
      f"crmq {ours}, lifetimes {dict(bg.params_)}")

with_spend = os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv")
spend = pd.read_csv(with_spend)
repeat = spend[spend["x"] > 0]
gg = GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
ours = parameters(tables(crmq(f'load "{with_spend}"', "fit gammagamma")))
theirs = {"p": gg.params_["p"], "q": gg.params_["q"], "gamma": gg.params_["v"]}
check(close(ours, PUBLISHED_GG, 2e-3), "cdnow_customers_summary_with_transactions.csv: Gamma-Gamma to the published p, q, γ", f"{ours}")
check(close(ours, theirs, 1e-3), "cdnow_customers_summary_with_transactions.csv: Gamma-Gamma as lifetimes' GammaGammaFitter fits it",
      f"crmq {ours}, lifetimes {theirs}")

donations = os.path.join(DATA, "donations.csv")
weights = int(pd.read_csv(donations)["weights"].sum())
out = crmq(f'load "{donations}" format (time_unit \'years\')', "count")
check(out.strip().endswith(str(weights)), f"donations.csv: its weights make {weights} customers", out)
# As it is, its T column (periods) counts opportunities: BG/BB's data, fitted as lifetimes fits it.
from lifetimes import BetaGeoBetaBinomFitter
raw = pd.read_csv(donations)
theirs = BetaGeoBetaBinomFitter().fit(raw["frequency"], raw["recency"], raw["periods"], weights=raw["weights"]).params_
out = crmq(f'load "{donations}"', "fit bgbb")
ours = {line.split(",")[0]: float(line.split(",")[1]) for line in out.splitlines() if line.split(",")[0] in theirs.index}
check(all(abs(ours[k] / theirs[k] - 1) < 1e-3 for k in theirs.index),
      f"donations.csv as it is: BG/BB's parameters equal lifetimes' ({dict(theirs)})", out)

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
