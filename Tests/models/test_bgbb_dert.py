"""BG/BB's forecast of counts and DERT. `forecast new customer opportunities 6` against
lifetimes' BetaGeoBetaBinomFitter.expected_number_of_transactions_in_first_n_periods (FHS
2010 eq. 7) at the same parameters. DERT (discounted expected residual transactions) for
every donor of lifetimes' donations.csv, against the paper's closed form as CLVTools and BTYD
compute it — B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ)(1+d)) · ₂F₁(1, δ+n+1; γ+δ+n+1;
1/(1+d)) / L(α, β, γ, δ | x, tₓ, n) — with scipy's hyp2f1 and the likelihood written here
afresh from the paper's eq. 5; crmq sums the same quantity as a series instead.

    .venv/bin/python Tests/models/test_bgbb_dert.py .build/debug/crmq
"""
import math
import os
import sys

import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter
from scipy.special import betaln, hyp2f1

from crmq_csv import ROOT, crmq_tables, parameters, table_with

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/crmq"


def likelihood(a, b, g, d, x, tx, n):
    """Eq. 5: alive through n, or gone after opportunity tₓ + i."""
    total = math.exp(betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n) - betaln(g, d))
    for i in range(int(n - tx)):
        total += math.exp(betaln(a + x, b + tx - x + i) - betaln(a, b) + betaln(g + 1, d + tx + i) - betaln(g, d))
    return total


failures = 0
for rate, label in [(0.1, "10% (the default)"), (0.25, "25%")]:
    tables = crmq_tables(binary, 'load "examples/donations.csv"', f"set discount = {rate * 100:g}%", "fit bgbb",
                         "customers show frequency, recency, age, dert")
    p = parameters(tables)
    a, b, g, d = p["alpha"], p["beta"], p["gamma"], p["delta"]
    worst = 0.0
    donors = table_with(tables, "dert")
    groups = list({(r["frequency"], r["recency"], r["age"]): r for r in donors}.values())
    for row in groups:
        x, tx, n = float(row["frequency"]), float(row["recency"]), float(row["age"])
        theirs = (math.exp(betaln(a + x + 1, b + n - x) - betaln(a, b)) * math.exp(betaln(g, d + n + 1) - betaln(g, d)) / (1 + rate)
                  * hyp2f1(1, d + n + 1, g + d + n + 1, 1 / (1 + rate)) / likelihood(a, b, g, d, x, tx, n))
        worst = max(worst, abs(float(row["dert"]) / theirs - 1))
    ok = len(donors) == 11104 and len(groups) == 22 and worst < 1e-10
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} donations.csv at a discount of {label}: DERT of each of the {len(groups)} histories equals the "
          f"closed form (largest relative difference {worst:.1e}, {len(donors)} donors)")

# The count forecast of a new donor over the six appeals, against lifetimes' eq. 7.
tables = crmq_tables(binary, 'load "examples/donations.csv"', "fit bgbb", "forecast new customer opportunities 6")
p = parameters(tables)
forecast = table_with(tables, "probability")
ours = {int(row["purchases"]): float(row["probability"]) for row in forecast if row["purchases"].isdigit()}
donations = pd.read_csv(os.path.join(ROOT, "examples", "donations.csv"))
fitter = BetaGeoBetaBinomFitter()
fitter.params_ = pd.Series({"alpha": p["alpha"], "beta": p["beta"], "gamma": p["gamma"], "delta": p["delta"]})
fitter.data = pd.DataFrame({"frequency": donations["frequency"], "weights": donations["weights"]})
theirs = fitter.expected_number_of_transactions_in_first_n_periods(6)["model"] / donations["weights"].sum()
worst = max(abs(ours[x] / theirs[x] - 1) for x in theirs.index)
ok = sorted(ours) == list(range(7)) and worst < 1e-9
failures += not ok
print(f"{'ok  ' if ok else 'FAIL'} donations.csv: a new donor's chance of 0 … 6 gifts in six appeals equals lifetimes' eq. 7 "
      f"(largest relative difference {worst:.1e})")
sys.exit(1 if failures else 0)
