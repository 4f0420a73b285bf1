"""BG/BB reference values from `lifetimes` (BetaGeoBetaBinomFitter) on its own donations data
(examples/donations.csv, copied from the lifetimes package: 11,104 donors of a charity's
yearly appeals, 1995 cohort, six opportunities), written to examples/donations-reference.json.
Run once, by hand, in the models environment (scripts/python-env --models):

    .venv/bin/python Tests/lifetimes/bgbb_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = pd.read_csv(os.path.join(ROOT, "examples/donations.csv"))
fitter = BetaGeoBetaBinomFitter().fit(data["frequency"], data["recency"], data["periods"], weights=data["weights"])
params = {k: float(v) for k, v in fitter.params_.items()}
# lifetimes' objective is the mean negative log-likelihood over customers.
ll = -float(fitter._negative_log_likelihood(
    np.log([params[k] for k in ("alpha", "beta", "gamma", "delta")]), data["frequency"].values, data["recency"].values,
    data["periods"].values, data["weights"].values)) * data["weights"].sum()
# Every row at once: lifetimes' BG/BB predictions take arrays.
alive = fitter.conditional_probability_alive(0, data["frequency"], data["recency"], data["periods"])
expected = fitter.conditional_expected_number_of_purchases_up_to_time(10, data["frequency"], data["recency"], data["periods"])
rows = [{"frequency": int(x), "recency": int(tx), "periods": int(n), "p_alive": float(a), "expected_10": float(e)}
        for x, tx, n, a, e in zip(data["frequency"], data["recency"], data["periods"], alive, expected)]
json.dump({"bgbb": params, "bgbb_ll": ll, "rows": rows}, open(os.path.join(ROOT, "examples/donations-reference.json"), "w"), indent=1)
print(params, ll)
