"""Reference fits from `lifetimes` on CLVTools' apparel data (examples/apparel, as CLVTools
ships it), written into examples/apparel/reference.json: BG/NBD, Pareto/NBD and
Gamma-Gamma on the whole period (to 2010-12-20) and on CLVTools' 104-week calibration
(to 2006-12-31). Run once, by hand, in the models environment (scripts/python-env --models):

    .venv/bin/python Tests/lifetimes/apparel_reference.py
"""
import json
import os

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDER = os.path.join(ROOT, "examples/apparel")

transactions = pd.read_csv(os.path.join(FOLDER, "apparel_trans.csv"), dtype={"Id": str}, parse_dates=["Date"])
reference = {"source": "lifetimes 0.11.3 on apparel_trans.csv, time in weeks (days / 7)"}
for label, end in [("whole", "2010-12-20"), ("calibration", "2006-12-31")]:
    summary = summary_data_from_transaction_data(
        transactions, "Id", "Date", monetary_value_col="Price", observation_period_end=end, freq="D")
    summary["recency"] /= 7
    summary["T"] /= 7
    bg = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    pareto = ParetoNBDFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    repeat = summary[summary["frequency"] > 0]
    gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    reference[label] = {
        "as_of": end,
        "customers": int(len(summary)),
        "bgnbd": {k: round(float(v), 6) for k, v in bg.params_.items()},
        "paretonbd": {k: round(float(v), 6) for k, v in pareto.params_.items()},
        "gammagamma": {k: round(float(v), 6) for k, v in gg.params_.items()},
    }
json.dump(reference, open(os.path.join(FOLDER, "reference.json"), "w"), indent=1)
print(json.dumps(reference, indent=1))
