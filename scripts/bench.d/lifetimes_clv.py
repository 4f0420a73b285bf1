#!/usr/bin/env python3
"""The job crmq's model step does, done with `lifetimes` 0.11.3 as an analyst would today:
read transactions.csv, summarise per customer (frequency, recency and T in weeks, monetary),
fit BG/NBD and Gamma-Gamma, and value every customer over 36 months at 10% a year.
Prints one JSON line: the times and the fitted parameters."""
import json
import sys
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter
from lifetimes.utils import summary_data_from_transaction_data

directory = sys.argv[1]
as_of = json.load(open(f"{directory}/snapshot.json"))["as_of"]
start = time.perf_counter()
transactions = pd.read_csv(f"{directory}/transactions.csv", usecols=["customer_id", "date", "amount"], parse_dates=["date"])
summary = summary_data_from_transaction_data(
    transactions, "customer_id", "date", monetary_value_col="amount", observation_period_end=as_of, freq="D")
summary["recency"] /= 7  # weeks, as crmq and the papers count
summary["T"] /= 7
summarised = time.perf_counter()
bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
bgnbd_seconds = time.perf_counter() - summarised
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
monthly = 1.10 ** (1 / 12) - 1
clv = ggf.customer_lifetime_value(
    bgf, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"],
    time=36, discount_rate=monthly, freq="W")
done = time.perf_counter()
# MBG/NBD, which lifetimes also has: its fit alone, as crmq's per-model line times it.
modified = time.perf_counter()
ModifiedBetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
mbgnbd_seconds = time.perf_counter() - modified
print(json.dumps({
    "summary_seconds": summarised - start,
    "model_seconds": done - summarised,
    "total_seconds": done - start,
    "bgnbd_seconds": bgnbd_seconds,
    "mbgnbd_seconds": mbgnbd_seconds,
    "bgnbd": dict(bgf.params_),
    "gammagamma": {"p": ggf.params_["p"], "q": ggf.params_["q"], "gamma": ggf.params_["v"]},
    "clv_total": float(np.nansum(clv)),
}))
