#!/usr/bin/env python3
"""BG/BB with lifetimes 0.11.3 as an analyst would: fit BetaGeoBetaBinomFitter on a weighted
summary of opportunities, then P(alive) and the purchases expected in the next 10 for every
customer (the summary's rows repeated by their weights). Prints one JSON line of times."""
import json
import sys
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter

summary = pd.read_csv(sys.argv[1])
start = time.perf_counter()
fitter = BetaGeoBetaBinomFitter().fit(summary["frequency"], summary["recency"], summary["periods"], weights=summary["weights"])
fitted = time.perf_counter()
each = summary.loc[summary.index.repeat(summary["weights"])]
alive = fitter.conditional_probability_alive(0, each["frequency"], each["recency"], each["periods"])
expected = fitter.conditional_expected_number_of_purchases_up_to_time(10, each["frequency"], each["recency"], each["periods"])
done = time.perf_counter()
print(json.dumps({"fit_seconds": fitted - start, "predict_seconds": done - fitted, "customers": int(len(each)),
                  "params": dict(fitter.params_), "alive_mean": float(np.mean(alive))}))
