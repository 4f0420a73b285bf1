"""MBG/NBD reference values from `lifetimes` (ModifiedBetaGeoFitter) on the CDNOW sample's
39-week calibration summary, written into examples/cdnow-sample/reference.json beside the
BG/NBD, Pareto/NBD and Gamma-Gamma values that came the same way. Run once, by hand, in the
models environment (scripts/python-env --models):

    .venv/bin/python Tests/lifetimes/mbgnbd_reference.py
"""
import json
import os

import pandas as pd
from lifetimes import ModifiedBetaGeoFitter
from lifetimes.utils import summary_data_from_transaction_data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "examples/cdnow-sample")

transactions = pd.read_csv(os.path.join(SAMPLE, "transactions.csv"), dtype={"customer_id": str}, parse_dates=["date"])
summary = summary_data_from_transaction_data(
    transactions, "customer_id", "date", observation_period_end="1997-09-30", freq="D")
# Weeks, as the papers and crmq count them: whole days over 7.
summary["recency"] /= 7
summary["T"] /= 7
fitter = ModifiedBetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
params = {k: round(float(v), 6) for k, v in fitter.params_.items()}
# lifetimes' objective is the mean negative log-likelihood over customers.
import numpy as np
log_params = np.log([fitter.params_[k] for k in ("r", "alpha", "a", "b")])
weights = np.ones(len(summary))
ll = -float(ModifiedBetaGeoFitter._negative_log_likelihood(
    log_params, summary["frequency"].values, summary["recency"].values, summary["T"].values, weights, 0.0)) * len(summary)

path = os.path.join(SAMPLE, "reference.json")
reference = json.load(open(path))
reference["mbgnbd"] = params
reference["mbgnbd_ll"] = round(ll, 4)
for row in reference["customers_sample"]:
    x, tx, T = row["frequency"], row["recency_weeks"], row["T_weeks"]
    row["p_alive_mbgnbd"] = round(float(fitter.conditional_probability_alive(x, tx, T)), 6)
    row["expected_purchases_39w_mbgnbd"] = round(float(fitter.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T)), 6)
json.dump(reference, open(path, "w"), indent=1)
print(params, round(ll, 4))
