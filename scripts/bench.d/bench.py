#!/usr/bin/env python3
"""Runs crmq and the DuckDB CLI on the same snapshot doing the same work, several times each,
and prints median wall time, peak memory (the child's max RSS) and statement times side by
side, with crmq's time as a ratio of DuckDB's. Used by scripts/bench."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_measured(argv):
    """Runs argv to the end and returns wall seconds, peak RSS in MB, stdout and stderr.
    The output goes to files, not pipes: waiting on a process whose pipe is full never ends."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        out_text, err_text = out.read().decode(), err.read().decode()
    if status != 0:
        sys.exit(f"{argv[0]} failed:\n{err_text}\n{out_text[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out_text, err_text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--crmq", required=True)
    parser.add_argument("--duckdb", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--value-chain-data", help="the same snapshot with activities and payments")
    parser.add_argument("--no-models", action="store_true")
    args = parser.parse_args()

    sql = open(os.path.join(HERE, "duckdb-load.sql")).read().replace("DIR", args.data)
    sql_file = os.path.join(args.data, "duckdb-load.sql")
    with open(sql_file, "w") as f:
        f.write(sql)
    statements = [
        ("filter: count where revenue > 1000", "count where revenue > 1000"),
        ("filter: two conditions", "count where orders >= 5 and revenue / orders > 30"),
        ("group-by: segment by region", "segment by region show count, sum(revenue), sum(margin)"),
    ]
    crmq_argv = [args.crmq, args.data, "-c", ".timer on"] + sum((["-c", s] for _, s in statements), [])
    duck_argv = [args.duckdb, "-c", ".timer on", "-c", f".read {sql_file}"]

    # Warm the page cache so that both read the files from memory.
    for name in os.listdir(args.data):
        with open(os.path.join(args.data, name), "rb") as f:
            while f.read(1 << 24):
                pass

    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(run_measured(crmq_argv))
        theirs.append(run_measured(duck_argv))

    def statement_times_crmq(err):
        return [float(x) * 1000 for x in re.findall(r"Run Time: ([0-9.]+) s", err)]

    def statement_times_duck(out):
        return [float(x) * 1000 for x in re.findall(r"Run Time \(s\): real ([0-9.]+)", out)]

    wall_ours = statistics.median(r[0] for r in ours)
    wall_theirs = statistics.median(r[0] for r in theirs)
    rss_ours = max(r[1] for r in ours)
    rss_theirs = max(r[1] for r in theirs)
    customers = sum(1 for _ in open(os.path.join(args.data, "customers.csv"))) - 1
    transactions = sum(1 for _ in open(os.path.join(args.data, "transactions.csv"))) - 1
    print(f"snapshot: {args.data}: {customers:,} customers, {transactions:,} transactions; "
          f"median of {args.runs} runs; 2 cores")
    print()
    print(f"{'':46} {'crmq':>10} {'DuckDB CLI':>12} {'ratio':>7}")
    print(f"{'load CSVs, derive per-customer figures, query':46} {wall_ours:9.2f}s {wall_theirs:11.2f}s {wall_ours / wall_theirs:7.2f}")
    print(f"{'peak memory':46} {rss_ours:8.0f}MB {rss_theirs:10.0f}MB {rss_ours / rss_theirs:7.2f}")
    ours_statements = [statistics.median(t) for t in zip(*(statement_times_crmq(r[3]) for r in ours))]
    # DuckDB's last statements are the same questions asked in SQL (see duckdb-load.sql).
    duck_times = [statement_times_duck(r[2]) for r in theirs]
    theirs_statements = [statistics.median(t) for t in zip(*(d[-len(statements):] for d in duck_times))]
    for (label, _), a, b in zip(statements, ours_statements, theirs_statements):
        print(f"{label:46} {a:8.1f}ms {b:10.1f}ms {a / b:7.2f}")
    print()
    print("targets (issue 2): load ratio <= 0.75, peak memory < 1 GB, filter < 5 ms, group-by < 20 ms")
    value_chain(args)
    if not args.no_models:
        models(args)


def value_chain(args):
    """The value-chain statements once every clv is known (the first statement fits and values)."""
    data = args.value_chain_data or args.data
    statements = ["portfolio", "rfm", "pareto", "ssc"]
    if os.path.exists(os.path.join(data, "payments.csv")):
        statements.append("credit")
    argv = [args.crmq, data, "-c", ".timer on", "-c", "count where clv > 0"] + sum((["-c", s] for s in statements), [])
    runs = [run_measured(argv) for _ in range(args.runs)]
    times = [[float(x) * 1000 for x in re.findall(r"Run Time: ([0-9.]+) s", r[3])][1:] for r in runs]
    print()
    print(f"value chain on {data} (with costs to serve and invoices), clv already known")
    print(f"{'':46} {'crmq':>10}   (DuckDB has no clv to compare with)")
    for k, statement in enumerate(statements):
        print(f"{statement:46} {statistics.median(t[k] for t in times):8.1f}ms")
    print(f"{'peak memory':46} {max(r[1] for r in runs):8.0f}MB")
    print("targets (issue 5): portfolio, rfm, pareto and ssc each < 100 ms")


def json_documents(text):
    """Each JSON document of a stream of them, as crmq --format json prints one per statement."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return documents
        document, at = decoder.raw_decode(text, at)
        documents.append(document)


def models(args):
    """From the CSV files to every customer's CLV: crmq against lifetimes (run once: it is slow)."""
    crmq_argv = [args.crmq, args.data, "--format", "json", "-c", ".timer on", "-c", "fit",
                 "-c", "segment by 1 = 1 show count, sum(clv) as clv"]
    ours = [run_measured(crmq_argv) for _ in range(args.runs)]
    wall = statistics.median(r[0] for r in ours)
    rss = max(r[1] for r in ours)
    # The model step is every statement after the load: fit (with standard errors), then every CLV.
    model_step = statistics.median(sum(float(t) for t in re.findall(r"Run Time: ([0-9.]+) s", r[3])) for r in ours)
    # One JSON document per statement (README): the fit's tables have the parameters' rows.
    fits = [table["rows"] for document in json_documents(ours[0][2]) for table in document["tables"]]
    theirs_wall, theirs_rss, out, _ = run_measured([args.python, os.path.join(HERE, "lifetimes_clv.py"), args.data])
    theirs = json.loads(out.strip().splitlines()[-1])
    print()
    print(f"{'':46} {'crmq':>10} {'lifetimes':>12} {'ratio':>7}")
    print(f"{'CSV to every customer CLV (whole job)':46} {wall:9.2f}s {theirs_wall:11.2f}s {theirs_wall / wall:6.1f}x")
    print(f"{'model step: fit BG/NBD + Gamma-Gamma, every CLV':46} {model_step:9.2f}s {theirs['model_seconds']:11.2f}s "
          f"{theirs['model_seconds'] / model_step:6.1f}x")
    print(f"{'peak memory':46} {rss:8.0f}MB {theirs_rss:10.0f}MB")
    ours_params = {row["parameter"]: row["value"] for fit in fits for row in fit if "parameter" in row}
    theirs_params = dict(theirs["bgnbd"], **theirs["gammagamma"])
    print(f"{'parameters':46} " + ", ".join(
        f"{k} {ours_params[k]:.4g}/{theirs_params[k]:.4g}" for k in ["r", "alpha", "a", "b", "p", "q", "gamma"]))
    pareto = run_measured([args.crmq, args.data, "-c", ".timer on", "-c", "fit bgnbd", "-c", "fit paretonbd"])
    pareto_time = float(re.findall(r"Run Time: ([0-9.]+) s", pareto[3])[-1])
    print(f"{'Pareto/NBD fit with standard errors':46} {pareto_time:9.2f}s {'(minutes)':>12}   lifetimes not run: it takes minutes")
    print(f"{'peak memory, Pareto/NBD':46} {pareto[1]:8.0f}MB")
    print("targets (issue 4): whole job >= 18x faster, model step < 1.5 s, peak memory < 1 GB, parameters to four digits,")
    print("                   Pareto/NBD on 1M customers < 10 s")


if __name__ == "__main__":
    main()
