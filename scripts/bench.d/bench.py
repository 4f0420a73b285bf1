#!/usr/bin/env python3
"""Runs crmq and the DuckDB CLI on the same snapshot doing the same work, several times each,
and prints median wall time, peak memory (the child's max RSS) and statement times side by
side, with crmq's time as a ratio of DuckDB's. Used by scripts/bench."""
import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


Measured = collections.namedtuple("Measured", "wall rss out err user system")


def run_measured(argv):
    """Runs argv to the end and returns wall seconds, peak RSS in MB, stdout, stderr, and
    its CPU seconds in user space and in the kernel. The output goes to files, not pipes:
    waiting on a process whose pipe is full never ends."""
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
    return Measured(wall, usage.ru_maxrss / 1024, out_text, err_text, usage.ru_utime, usage.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--crmq", required=True)
    parser.add_argument("--duckdb", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--value-chain-data", help="the same snapshot with activities and payments")
    parser.add_argument("--no-models", action="store_true")
    parser.add_argument("--only-own-data", action="store_true", help="the load comparisons and a user's own data, no more")
    parser.add_argument("--scale", action="store_true", help="1M, 3M and 10M customers: how each step's cost grows, and no more")
    parser.add_argument("--synth", help="crmq-synth, to write the larger snapshots --scale measures")
    parser.add_argument("--only-models", action="store_true", help="the models against lifetimes, and no more")
    args = parser.parse_args()
    if args.scale:
        return scale(args)
    if args.only_models:
        return models(args)

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
    reopen(args, sql_file)
    own_data(args)
    if args.only_own_data:
        return
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


def reopen(args, sql_file):
    """The snapshot saved as crmq's own file and reopened to answer one question, against
    DuckDB's CLI opening its own database file holding the same tables (made by the same
    load script) and answering the same question."""
    ours_file = args.data.rstrip("/") + ".crmqdb"
    theirs_file = args.data.rstrip("/") + ".duckdb"
    if not os.path.exists(ours_file):
        subprocess.run([args.crmq, args.data, "-c", f'save snapshot to "{ours_file}"'], check=True, capture_output=True)
    if not os.path.exists(theirs_file):
        subprocess.run([args.duckdb, theirs_file + ".part", "-c", f".read {sql_file}"], check=True, capture_output=True)
        os.replace(theirs_file + ".part", theirs_file)
    ours = [run_measured([args.crmq, ours_file, "-c", "count where revenue > 1000"]) for _ in range(args.runs)]
    theirs = [run_measured([args.duckdb, "-readonly", theirs_file, "-c", "SELECT count(*) FROM figures WHERE revenue > 1000"])
              for _ in range(args.runs)]
    median = lambda runs: statistics.median(r[0] for r in runs)
    peak = lambda runs: max(r[1] for r in runs)
    print()
    print(f"reopen the saved snapshot and count where revenue > 1000: {ours_file} "
          f"({os.path.getsize(ours_file) / 2**20:.0f} MB) against {theirs_file} ({os.path.getsize(theirs_file) / 2**20:.0f} MB)")
    print(f"{'':46} {'crmq':>10} {'DuckDB CLI':>12} {'ratio':>7}")
    print(f"{'open the file and answer':46} {median(ours):9.2f}s {median(theirs):11.2f}s {median(ours) / median(theirs):7.2f}  (target <= 1)")
    print(f"{'peak memory':46} {peak(ours):8.0f}MB {peak(theirs):10.0f}MB {peak(ours) / peak(theirs):7.2f}")


def own_data(args):
    """A user's own data, as it comes: the same transactions as one export file (sniffed,
    its columns recognised), as a European export (semicolons, decimal commas, DD.MM.YYYY),
    and from a PostgreSQL server, against the bare transfer out of it (psql's \\copy)."""
    transactions = os.path.join(args.data, "transactions.csv")
    european = os.path.join(args.data, "european.csv")
    if not os.path.exists(european):
        with open(transactions) as source, open(european + ".part", "w") as out:
            out.write(source.readline().replace(",", ";"))
            for line in source:
                c, d, amount, margin, quantity = line.rstrip("\n").split(",")
                y, m, day = d.split("-")
                out.write(f"{c};{day}.{m}.{y};{amount.replace('.', ',')};{margin.replace('.', ',')};{quantity}\n")
        os.replace(european + ".part", european)
    argvs = [
        [args.crmq, args.data, "-c", "count"],
        [args.crmq, transactions, "-c", "count"],
        [args.crmq, "-c", f'load "{transactions}" columns (customer_id = customer_id, date = date, amount = amount) '
         "format (delimiter ',', decimal '.', date 'YYYY-MM-DD', header true)", "-c", "count"],
        [args.crmq, european, "-c", "count"],
    ]
    # Taken in turns, so that the machine's drift falls on every way alike (the ratios
    # compare runs a few seconds apart, not a minute), in an order turned by one each round
    # so that no way always follows the same one: the sniffed load, always run right after
    # the folder's, once came out 11% slower than the told one, and level with it when the
    # two swapped places.
    runs = [[] for _ in argvs]
    for turn in range(args.runs):
        for k in range(len(argvs)):
            which = (k + turn) % len(argvs)
            runs[which].append(run_measured(argvs[which]))
    folder, export, told, euro = runs
    median = lambda runs: statistics.median(r[0] for r in runs)
    peak = lambda runs: max(r[1] for r in runs)
    print()
    print(f"your own data: {transactions} and the same rows written otherwise; median of {args.runs}")
    print(f"{'':46} {'crmq':>10} {'peak':>9} {'ratio':>7}")
    print(f"{'folder (customers.csv + transactions.csv)':46} {median(folder):9.2f}s {peak(folder):7.0f}MB")
    print(f"{'transactions.csv alone, format and columns told':46} {median(told):9.2f}s {peak(told):7.0f}MB")
    print(f"{'transactions.csv alone, sniffed and recognised':46} {median(export):9.2f}s {peak(export):7.0f}MB "
          f"{median(export) / median(told):7.2f}  (sniffing and mapping; target <= 1.05)")
    print(f"{'european.csv: ; 1.234,56 DD.MM.YYYY, sniffed':46} {median(euro):9.2f}s {peak(euro):7.0f}MB "
          f"{median(euro) / median(export):7.2f}  (against the plain file)")
    postgres(args, transactions, median, peak)
    sqlite(args, transactions, median, peak)


def sqlite(args, transactions, median, peak):
    """The same transactions from a SQLite file (typed columns, as an application would keep
    them), against SQLite's own shell writing them out as CSV to nowhere."""
    shell = shutil.which("sqlite3")
    if not shell:
        print("SQLite not measured: no sqlite3 shell (apt-get install sqlite3)")
        return
    database = os.path.join(args.data, "transactions.sqlite")
    if not os.path.exists(database):
        part = database + ".part"
        if os.path.exists(part):
            os.remove(part)
        made = subprocess.run([shell, part], capture_output=True, text=True, input=
                              "create table transactions (customer_id text, date text, amount real, margin real, quantity integer);\n"
                              f".import --csv --skip 1 '{transactions}' transactions\n")
        if made.returncode != 0 or made.stderr:
            print(f"SQLite not measured: {made.stderr}")
            return
        os.replace(part, database)
    query = "select customer_id, date, amount, margin, quantity from transactions"
    floor, ours = [], []
    # Taken in turns, so that the machine's drift falls on both alike.
    for _ in range(args.runs):
        with open(os.devnull, "w") as null:
            start = time.perf_counter()
            subprocess.run([shell, "-csv", "-header", database, query], stdout=null, check=True)
            floor.append((time.perf_counter() - start, 0))
        ours.append(run_measured([args.crmq, "-c", f'load sqlite "{database}" tables (transactions = transactions)', "-c", "count"]))
    floor_label, ours_label = "SQLite: sqlite3 -csv (query) to /dev/null", "SQLite: load sqlite … tables (…), count"
    print(f"{floor_label:46} {median(floor):9.2f}s {'':>9}          (SQLite's own shell)")
    print(f"{ours_label:46} {median(ours):9.2f}s {peak(ours):7.0f}MB {median(ours) / median(floor):7.2f}")


def postgres(args, transactions, median, peak):
    """The same transactions from a PostgreSQL server started for the bench, against psql
    copying them out to nowhere: the transfer crmq cannot go below."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests", "databases"))
    from postgres_server import PostgresServer
    folder = tempfile.mkdtemp(prefix="crmq-bench-pg-")
    os.chmod(folder, 0o755)
    try:
        server = PostgresServer(os.path.join(folder, "pg"))
        os.makedirs(server.folder)
        server.start()
    except RuntimeError as error:
        print(f"PostgreSQL not measured: {error}")
        return
    try:
        server.psql("create database bench")
        server.psql("create table transactions (customer_id text, date date, amount numeric(12,2), margin numeric(12,2), quantity int)", "bench")
        loaded = server.psql(f"\\copy transactions from '{transactions}' csv header", "bench")
        if loaded.returncode != 0:
            print(f"PostgreSQL not measured: {loaded.stderr}")
            return
        # The bulk load's dirty pages written out first, so that no checkpoint lands in a run.
        server.psql("vacuum analyze transactions", "bench")
        server.psql("checkpoint", "bench")
        query = "select customer_id, date, amount, margin, quantity from transactions"
        floor, ours = [], []
        # Taken in turns, so that the machine's drift falls on both alike.
        for _ in range(args.runs):
            with open(os.devnull, "w") as null:
                start = time.perf_counter()
                server.psql(f"\\copy ({query}) to stdout csv header", "bench", out=null)
                floor.append((time.perf_counter() - start, 0))
            ours.append(run_measured([args.crmq, "-c", f'load postgres "{server.uri("bench")}" tables (transactions = transactions)', "-c", "count"]))
        floor_label, ours_label = "PostgreSQL: psql \\copy (query) to /dev/null", "PostgreSQL: load postgres … tables (…), count"
        print(f"{floor_label:46} {median(floor):9.2f}s {'':>9}          (the floor)")
        print(f"{ours_label:46} {median(ours):9.2f}s {peak(ours):7.0f}MB "
              f"{median(ours) / median(floor):7.2f}  (target <= 1.3)")
    finally:
        server.stop()
        subprocess.run(["rm", "-rf", folder])


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
    theirs_wall, theirs_rss, out = run_measured([args.python, os.path.join(HERE, "lifetimes_clv.py"), args.data])[:3]
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
    per_model(args, theirs)


def per_model(args, theirs):
    """Each purchase model on its own: its fit with standard errors, every customer's point
    figures, and their intervals (p_alive_low … clv_high), beside lifetimes where it has the model."""
    print()
    print(f"each model on {args.data}: fit with standard errors, every customer's figures, their 90% intervals")
    print(f"{'':14} {'fit':>9} {'figures':>9} {'intervals':>10} {'intervals/figures':>18} {'lifetimes fit':>14}")
    for word in ["bgnbd", "paretonbd", "mbgnbd"]:
        run = run_measured([args.crmq, args.data, "-c", ".timer on", "-c", f"set model = {word}", "-c", f"fit {word}",
                            "-c", "fit gammagamma", "-c", "count where clv > 0", "-c", "count where clv_high > 0"])
        _, fit, _, figures, intervals = [float(t) for t in re.findall(r"Run Time: ([0-9.]+) s", run[3])]
        lifetimes = theirs.get(f"{word}_seconds")
        print(f"{word:14} {fit:8.2f}s {figures:8.2f}s {intervals:9.2f}s {intervals / figures:17.1f}x "
              + (f"{lifetimes:13.2f}s  ({lifetimes / fit:.0f}x)" if lifetimes else f"{'(none)':>14}"))
    covariates(args)
    bgbb(args)
    print("targets (issue 14): every fit under 2 s on 1M customers; intervals at most 3x the figures")


def covariates(args):
    """BG/NBD and Pareto/NBD with a two-valued covariate on both processes: the same customers
    and purchases, their customers.csv with `invoiced` (1 for wholesale and public, else 0)."""
    data = args.data.rstrip("/") + "-covariates"
    if not os.path.exists(os.path.join(data, "customers.csv")):
        os.makedirs(data, exist_ok=True)
        with open(os.path.join(args.data, "customers.csv")) as f, open(os.path.join(data, "customers.csv.part"), "w") as out:
            out.write(f.readline().rstrip("\n") + ",invoiced\n")
            for line in f:
                segment = line.split(",")[2]
                out.write(line.rstrip("\n") + ("," + ("1" if segment in ("wholesale", "public") else "0")) + "\n")
        os.replace(os.path.join(data, "customers.csv.part"), os.path.join(data, "customers.csv"))
    for table in ["transactions.csv", "snapshot.json"]:
        if not os.path.exists(os.path.join(data, table)) and os.path.exists(os.path.join(args.data, table)):
            os.symlink(os.path.abspath(os.path.join(args.data, table)), os.path.join(data, table))
    for word in ["bgnbd", "paretonbd"]:
        run = run_measured([args.crmq, data, "-c", ".timer on", "-c", f"fit {word} with invoiced",
                            "-c", f"set model = {word}", "-c", "set covariates = invoiced", "-c", "count where clv > 0"])
        fit, _, _, figures = [float(t) for t in re.findall(r"Run Time: ([0-9.]+) s", run[3])]
        print(f"{word + '+cov':14} {fit:8.2f}s {figures:8.2f}s {'':>10} {'':>18} {'(none)':>14}")


def bgbb(args):
    """BG/BB on lifetimes' donations.csv with every weight times 90 (999,360 customers, the
    same 22 distinct histories): the fit, then every customer's P(alive) and next-10 purchases,
    beside lifetimes doing the same."""
    root = os.path.dirname(os.path.dirname(HERE))
    source = os.path.join(root, "examples", "donations.csv")
    scaled = os.path.join(os.path.dirname(args.data), "donations-1m.csv")
    if not os.path.exists(scaled):
        with open(source) as f, open(scaled + ".part", "w") as out:
            out.write(f.readline())
            for line in f:
                x, tx, n, w = line.strip().split(",")
                out.write(f"{x},{tx},{n},{int(w) * 90}\n")
        os.replace(scaled + ".part", scaled)
    ours = run_measured([args.crmq, scaled, "-c", ".timer on", "-c", "fit bgbb", "-c", "count where p_alive > 0.5 and expected_purchases > 1"])
    fit, figures = [float(t) for t in re.findall(r"Run Time: ([0-9.]+) s", ours[3])]
    theirs_wall, _, out = run_measured([args.python, os.path.join(HERE, "lifetimes_bgbb.py"), scaled])[:3]
    theirs = json.loads(out.strip().splitlines()[-1])
    print(f"{'bgbb (999,360)':14} {fit:8.2f}s {figures:8.2f}s {'':>10} {'':>18} {theirs['fit_seconds']:13.2f}s  "
          f"(lifetimes' figures for every customer: {theirs['predict_seconds']:.2f}s)")


def scale(args, sizes=(1_000_000, 3_000_000, 10_000_000)):
    """How far one machine goes: each step timed on 1M, 3M and 10M customers (about 8
    transactions each) with its peak memory, and its cost per million customers, which
    must stay flat for the cost to grow linearly."""
    rows = []
    for n in sizes:
        data = os.path.join(os.path.dirname(args.data.rstrip("/")), str(n))
        if not os.path.exists(os.path.join(data, "transactions.csv")):
            print(f"generating {data} (seed 1)", file=sys.stderr)
            subprocess.run([args.synth, data, "--customers", str(n), "--seed", "1"], check=True)
        saved = data + ".crmqdb"
        load = run_measured([args.crmq, data, "-c", f'save snapshot to "{saved}"'])
        save_seconds = float(re.search(r"in ([0-9.]+) s", load[2]).group(1))
        reopen = run_measured([args.crmq, saved, "-c", "count where revenue > 1000"])
        models = run_measured([args.crmq, saved, "-c", ".timer on", "-c", "fit bgnbd", "-c", "fit paretonbd", "-c", "fit gammagamma",
                               "-c", "segment by region show sum(clv)"])
        times = [float(x) for x in re.findall(r"Run Time: ([0-9.]+) s", models[3])]
        rows.append((n, load[0] - save_seconds, load[1], reopen[0], reopen[1], *times[:4], models[1], load.user, load.system))
    print(f"how the cost grows: {args.crmq} on 1M, 3M and 10M customers (about 8 transactions each); 2 cores")
    header = ["customers", "load CSV", "peak", "reopen+count", "peak", "fit bgnbd", "fit paretonbd", "fit gammagamma", "every clv", "peak"]
    print("".join(f"{h:>15}" for h in header))
    for r in rows:
        print(f"{r[0]:>15,}{r[1]:>14.2f}s{r[2]:>13.0f}MB{r[3]:>14.2f}s{r[4]:>13.0f}MB{r[5]:>14.2f}s{r[6]:>14.2f}s{r[7]:>14.2f}s{r[8]:>14.2f}s{r[9]:>13.0f}MB")
    print("per million customers (flat = linear):")
    for r in rows:
        m = r[0] / 1e6
        print(f"{r[0]:>15,}{r[1] / m:>14.2f}s{r[2] / m:>13.0f}MB{r[3] / m:>14.3f}s{r[4] / m:>13.0f}MB{r[5] / m:>14.2f}s"
              f"{r[6] / m:>14.2f}s{r[7] / m:>14.2f}s{r[8] / m:>14.2f}s{r[9] / m:>13.0f}MB")
    print("the load's CPU seconds a million customers, in user space (crmq's work) and in the kernel (clearing fresh pages):")
    for r in rows:
        m = r[0] / 1e6
        print(f"{r[0]:>15,}  user {r[10] / m:.2f}s  kernel {r[11] / m:.2f}s")
    fresh_memory()
    biggest = max(r[2] / r[0] for r in rows) * 2**20
    print(f"bytes per customer at the CSV load's peak: {biggest:,.0f}; in 24 GB: about {24 * 2**30 / biggest / 1e6:.0f} million customers")
    histogram(args, rows[0])


FRESH_MEMORY = """
import time
kept, seconds = [], []
for _ in range(8):
    start = time.perf_counter()
    kept.append(bytearray(1 << 30))
    seconds.append(time.perf_counter() - start)
print(", ".join(f"{s:.2f}" for s in seconds))
"""


def fresh_memory():
    """What fresh memory costs on this machine, apart from crmq: 8 GB a gigabyte at a time,
    each made and zeroed (every page faulted in and cleared) and kept, so that the next is
    fresh too. About 0.1-0.2 s a gigabyte on bare hardware; a virtual machine may back its
    memory lazily. In a process of its own: a child's peak memory starts at its parent's."""
    seconds = subprocess.run([sys.executable, "-c", FRESH_MEMORY], capture_output=True, text=True, check=True).stdout.strip()
    print(f"fresh memory, a gigabyte at a time (made and zeroed, kept): {seconds} s")


def histogram(args, million):
    """The fits on a histogram of 100 million customers: the 1M snapshot's crmq_histogram, made
    by `summary sql for duckdb` run in DuckDB's CLI, with every count times 100."""
    data = os.path.join(os.path.dirname(args.data.rstrip("/")), "1000000")
    made = os.path.join(os.path.dirname(args.data.rstrip("/")), "histogram-100m.csv")
    if not os.path.exists(made):
        script = run_measured([args.crmq, data, "-c", "summary sql for duckdb"])[2]
        transactions = os.path.abspath(os.path.join(data, "transactions.csv"))
        run_measured([args.duckdb, "-c",
                      f"CREATE VIEW transactions AS SELECT * FROM read_csv('{transactions}');\n{script}\n"
                      f"COPY (SELECT frequency, recency, age, count * 100 AS count FROM crmq_histogram) TO '{made}.part' (HEADER);"])
        os.replace(made + ".part", made)
    run = run_measured([args.crmq, made, "-c", ".timer on", "-c", "fit bgnbd", "-c", "fit paretonbd"])
    rows = sum(1 for _ in open(made)) - 1
    fits = [float(x) for x in re.findall(r"Run Time: ([0-9.]+) s", run[3])]
    print(f"a histogram of 100 million customers ({rows:,} rows: the 1M's, every count x100): "
          f"fit bgnbd {fits[0]:.2f}s (1M customers: {million[5]:.2f}s), fit paretonbd {fits[1]:.2f}s (1M customers: {million[6]:.2f}s), "
          f"peak {run[1]:.0f}MB")


if __name__ == "__main__":
    main()
