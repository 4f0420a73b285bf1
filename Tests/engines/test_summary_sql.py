"""The summary made where the data lives: `summary sql for duckdb|postgres|spark` run in the
real engines (DuckDB's Python package; a PostgreSQL server started here as the database
tests start theirs; Spark in local mode through PySpark, its output the folder of part files
Spark writes) on the same tables crmq loads from their CSV files. The summary each engine
makes, loaded back into crmq, must give every customer every field crmq derives itself — to
the cent, days exact — the same credit scores, the same fitted parameters and the same
comparison of two snapshots.

Three data sets: examples/acme (customers, transactions, activities, payments), 2,000
customers generated as the benchmark's are (crmq-synth, with costs to serve and invoices),
and a small one written here with everything awkward the rules must get right — returns, a zero amount,
purchases on one day, rows and invoices after as_of, a missing margin, a customer with only
returns, one who bought only after as_of, one who never bought, an activity without a quantity.

    .venv/bin/python Tests/engines/test_summary_sql.py .build/debug/crmq
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "databases"))
from postgres_server import PostgresServer  # noqa: E402

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/crmq"
SYNTH = os.path.join(os.path.dirname(os.path.abspath(binary)), "crmq-synth")
results = []
FIELDS = ["orders", "revenue", "margin", "first_purchase", "last_purchase", "frequency", "recency", "age", "monetary",
          "days_since", "aov", "cost_to_serve", "profit", "share_of_wallet", "credit_score", "credit_grade", "region"]
TABLES = {
    "customers": "id text, name text, segment text, region text, wallet double precision",
    "transactions": "customer_id text, date date, amount double precision, margin double precision",
    "activities": "customer_id text, date date, activity text, quantity double precision",
    "activity_rates": "activity text, unit_cost double precision",
    "payments": "customer_id text, due date, paid date, amount double precision",
}
ALL = "tables (customers = customers, activities = activities, activity_rates = activity_rates, payments = payments)"


def check(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f"\n     {detail}" if detail and not ok else ""))


def crmq(*statements):
    args = [binary, "--format", "json"]
    for s in statements:
        args += ["-c", s]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"{statements}: {run.stderr}")
    decoder, docs, at = json.JSONDecoder(), [], 0
    while at < len(run.stdout):
        if run.stdout[at].isspace():
            at += 1
            continue
        doc, at = decoder.raw_decode(run.stdout, at)
        docs.append(doc)
    return docs


def script(engine, as_of, extra=""):
    return crmq(f"summary sql for {engine} as of {as_of} {extra}")[0]["scripts"][0]


def customers(*statements, fields=FIELDS):
    """Every customer's fields, by id, after the statements (a load first)."""
    rows = crmq(*statements, f"customers show id, {', '.join(fields)}")[-1]["tables"][0]["rows"]
    return {r["id"]: r for r in rows}


def fitted(*statements):
    tables = crmq(*statements, "fit")[-1]["tables"]
    return {(t["title"], r["parameter"]): r["value"] for t in tables if t["title"] for r in t["rows"]}


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        return abs(a - b) <= 0.005 + 1e-9 * abs(a)
    return a == b


def compare_customers(name, ours, theirs, fields=FIELDS):
    wrong = [(c, f, ours[c].get(f), theirs.get(c, {}).get(f)) for c in ours for f in fields
             if c not in theirs or not same(ours[c].get(f), theirs[c].get(f))]
    missing = sorted(set(ours) ^ set(theirs))
    check(not wrong and not missing, f"{name}: every field of every customer ({len(ours)}) equals crmq's own",
          f"{wrong[:6]} missing {missing[:6]}")


# An engine sums in its own order (a hash aggregate, parallel threads), so a sum may differ
# from crmq's in its last bit; a fit's flat likelihood turns that into a few parts in a
# million of a parameter. Five significant digits, the published tables' precision and more.
FIT_DIGITS = 1e-5


def compare_fits(name, ours, theirs):
    wrong = [(k, v, theirs.get(k)) for k, v in ours.items() if theirs.get(k) is None or abs(v - theirs[k]) > FIT_DIGITS * max(1, abs(v))]
    check(bool(ours) and not wrong, f"{name}: the same fitted parameters (to five significant digits)", str(wrong))


def close(a, b):
    """Equal, numbers to a part in a million (clv rests on the fits), anything else exactly."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-6 * max(1, abs(a))
    return a == b


def write_awkward(folder):
    """A snapshot with every case the rules must get right, in crmq's layout."""
    os.makedirs(folder)
    rows = {
        "customers.csv": [["id", "name", "segment", "region", "wallet"],
                          ["A", "Able", "retail", "West", "1000"], ["B", "Baker", "retail", "East", ""],
                          ["C", "Cole", "trade", "West", "500"], ["D", "Dale", "trade", "North", "0"],
                          ["E", "Eve", "trade", "North", "200"], ["F", "Fox", "retail", "East", "100"]],
        "transactions.csv": [["customer_id", "date", "amount", "margin"],
                             # A: two purchases on one day, a return, a zero amount, a purchase after as_of
                             ["A", "2024-01-05", "100", "30"], ["A", "2024-01-05", "50", "10"], ["A", "2024-02-10", "-20", "-6"],
                             ["A", "2024-03-01", "0", "0"], ["A", "2024-05-20", "80.25", "20"], ["A", "2024-07-01", "500", "100"],
                             # B: a missing margin makes B's margin unknown
                             ["B", "2023-06-30", "40", "12"], ["B", "2024-06-01", "60", ""],
                             # C: only returns
                             ["C", "2024-03-03", "-15", "-5"],
                             # D: only after as_of
                             ["D", "2024-08-08", "70", "21"],
                             # E: one purchase long ago (outside the 52 weeks)
                             ["E", "2022-01-02", "33.33", "9.99"]],
        "activities.csv": [["customer_id", "date", "activity", "quantity"],
                           ["A", "2024-02-01", "call", "2"], ["A", "2024-02-02", "visit", ""], ["B", "2024-04-04", "call", "1"],
                           ["F", "2024-05-05", "visit", "3"], ["A", "2024-09-09", "visit", "1"]],
        "activity_rates.csv": [["activity", "unit_cost"], ["call", "12.5"], ["visit", "80"]],
        "payments.csv": [["customer_id", "due", "paid", "amount"],
                         ["A", "2023-10-01", "2023-10-20", "100"], ["A", "2024-02-01", "2024-01-30", "150"],
                         ["A", "2024-05-01", "", "80.25"], ["A", "2024-06-30", "", "10"], ["A", "2024-06-01", "2024-07-15", "40"],
                         ["B", "2024-06-15", "2024-06-20", "60"], ["B", "2024-08-01", "", "5"], ["E", "2022-02-01", "2022-04-01", "33.33"]],
    }
    for name, lines in rows.items():
        with open(os.path.join(folder, name), "w", newline="") as f:
            csv.writer(f).writerows(lines)


def duckdb_summary(folder, sql, out):
    import duckdb
    con = duckdb.connect()
    for table, columns in TABLES.items():
        path = os.path.join(folder, f"{table}.csv")
        if os.path.exists(path):
            with open(path) as f:
                header = next(csv.reader(f))
            kinds = {"double": "DOUBLE", "text": "VARCHAR", "date": "DATE"}
            types = {c.split()[0]: kinds[c.split()[1]] for c in columns.split(", ") if c.split()[0] in header}
            con.execute(f"create table {table} as select * from read_csv('{path}', header = true, types = {types!r})")
    con.execute(sql)
    con.execute(f"copy crmq_summary to '{out}' (header)")
    return out


def test_engine(engine, run_script, label):
    """run_script(folder, sql, out csv) runs a script on a folder's tables, writes crmq_summary
    out and says where (the file, or Spark's folder of parts)."""
    work = tempfile.mkdtemp(prefix=f"crmq-summary-{engine}-")
    try:
        awkward = os.path.join(work, "awkward")
        write_awkward(awkward)
        # Generated data, as the benchmark's: 2,000 customers with costs to serve and invoices.
        generated = os.path.join(work, "generated")
        subprocess.run([SYNTH, generated, "--customers", "2000", "--seed", "3", "--serving-and-paying"], check=True, capture_output=True)
        for name, folder, as_of, extra in [("acme", os.path.join(ROOT, "examples", "acme"), "2024-12-31", ""),
                                           ("acme", os.path.join(ROOT, "examples", "acme"), "2024-06-30", ""),
                                           ("awkward", awkward, "2024-06-30", ""),
                                           ("generated", generated, "2024-12-28", "columns (wallet = null)")]:
            out = os.path.join(work, f"{name}-{as_of}.csv")
            out = run_script(folder, script(engine, as_of, f"{ALL} {extra}"), out)
            ours = customers(f'load "{folder}" as of {as_of}')
            theirs = customers(f'load "{out}"')
            compare_customers(f"{label} {name} as of {as_of}", ours, theirs)
            if name != "awkward":
                compare_fits(f"{label} {name} as of {as_of}", fitted(f'load "{folder}" as of {as_of}'), fitted(f'load "{out}"'))
        # compare counts the 52 weeks' revenue the summary carries.
        acme = os.path.join(ROOT, "examples", "acme")
        ours = crmq(f'load "{acme}" as of 2024-06-30 as h1', f'load "{acme}" as of 2024-12-31 as h2', "compare h1 h2")[-1]["tables"]
        h1, h2 = (run_script(acme, script(engine, day, ALL), os.path.join(work, f"h-{day}.csv")) for day in ["2024-06-30", "2024-12-31"])
        theirs = crmq(f'load "{h1}" as h1', f'load "{h2}" as h2', "compare h1 h2")[-1]["tables"]
        check(close(ours, theirs), f"{label}: compare of two summaries answers as of the two snapshots", f"{ours[:1]}\n     {theirs[:1]}")
        # where and an expression, as a load's: on the transactions alone.
        rule = "columns (amount = amount * 2) where amount > 100 and customer_id != 'ACME'"
        out = os.path.join(work, "ruled.csv")
        out = run_script(acme, script(engine, "2024-12-31", rule), out)
        bare = FIELDS[:FIELDS.index("share_of_wallet")]
        ours = customers(f'load "{acme}/transactions.csv" as of 2024-12-31 {rule}', fields=bare)
        theirs = customers(f'load "{out}"', fields=bare)
        compare_customers(f"{label} where and amount = amount * 2", ours, theirs, fields=bare)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def postgres_tables(server, folder):
    """A folder's tables copied into the server's database crm, afresh."""
    server.psql("drop schema if exists public cascade; create schema public", "crm")
    for table, columns in TABLES.items():
        path = os.path.join(folder, f"{table}.csv")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            header = next(csv.reader(f))
        # crmq's columns typed; any other (acme's account_manager, …) as text.
        known = {c.split()[0]: c for c in columns.split(", ")}
        made = server.psql(f"create table {table} ({', '.join(known.get(h, h + ' text') for h in header)})", "crm")
        copied = server.psql(f"\\copy {table} ({', '.join(header)}) from '{path}' csv header", "crm")
        if made.returncode or copied.returncode:
            raise RuntimeError(made.stderr + copied.stderr)


def postgres_runner(server):
    def run(folder, sql, out):
        postgres_tables(server, folder)
        ran = subprocess.run([f"{server.bin}/psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", "crm"], input=sql,
                             env=server.env, capture_output=True, text=True)
        if ran.returncode:
            raise RuntimeError(ran.stderr)
        copied = server.psql(f"\\copy crmq_summary to '{out}' csv header", "crm")
        if copied.returncode:
            raise RuntimeError(copied.stderr)
        return out
    return run


def spark_runner(spark):
    kinds = {"double": "double", "text": "string", "date": "date"}

    def run(folder, sql, out):
        for table, columns in TABLES.items():
            path = os.path.join(folder, f"{table}.csv")
            if not os.path.exists(path):
                spark.catalog.dropTempView(table)
                continue
            with open(path) as f:
                header = next(csv.reader(f))
            known = {c.split()[0]: kinds[c.split()[1]] for c in columns.split(", ")}
            schema = ", ".join(f"`{h}` {known.get(h, 'string')}" for h in header)
            spark.read.csv(path, header=True, schema=schema).createOrReplaceTempView(table)
        # The script as spark-sql -f runs it: statement by statement, comments left out.
        body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
        for statement in [s.strip() for s in body.split(";") if s.strip()]:
            spark.sql(statement)
        # The export the script's comment gives: a folder of part files.
        folder_out = out[:-len(".csv")]
        spark.sql(f"INSERT OVERWRITE DIRECTORY '{folder_out}' USING csv OPTIONS (header 'true') SELECT * FROM crmq_summary")
        return folder_out
    return run


test_engine("duckdb", duckdb_summary, "duckdb")
folder = tempfile.mkdtemp(prefix="crmq-summary-pg-")
os.chmod(folder, 0o755)
try:
    server = PostgresServer(os.path.join(folder, "pg"))
    os.makedirs(server.folder)
    server.start()
    try:
        server.psql("create database crm")
        test_engine("postgres", postgres_runner(server), "postgres")
        # The same tables read by crmq from the server: summarised there, and as they are
        # (activities with their rates and payments beside the transactions).
        acme = os.path.join(ROOT, "examples", "acme")
        postgres_tables(server, acme)
        ours = customers(f'load "{acme}" as of 2024-12-31')
        every = "tables (transactions = transactions, customers = customers, activities = activities, activity_rates = activity_rates, payments = payments)"
        theirs = customers(f'load postgres "{server.uri("crm")}" summarised as of 2024-12-31 {every}')
        compare_customers("load postgres … summarised", ours, theirs)
        theirs = customers(f'load postgres "{server.uri("crm")}" as of 2024-12-31 {every}')
        compare_customers("load postgres with activities, their rates and payments", ours, theirs)
    finally:
        server.stop()
except RuntimeError as error:
    check(False, "postgres: a server starts and the script runs", str(error))
finally:
    shutil.rmtree(folder, ignore_errors=True)

try:
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("crmq-summary-test")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        test_engine("spark", spark_runner(spark), "spark")
    finally:
        spark.stop()
except Exception as error:  # no Java, no PySpark: a failure, not a skip
    check(False, "spark: a local session starts and the script runs", str(error)[:2000])

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
