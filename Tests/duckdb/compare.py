#!/usr/bin/env python3
"""Asks crmq and DuckDB the same questions about the same CSV files and compares the answers.

    python Tests/duckdb/compare.py .build/debug/crmq

No expected number is written here: DuckDB, which no one on this team wrote, computes each
one from the snapshot's files with SQL that follows PRODUCT.md's definitions. crmq answers
with --format json (numbers unrounded). Prints one line per check and `N passed, N failed`.
"""
import json
import math
import os
import subprocess
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CRMQ = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/crmq")
results = {"passed": 0, "failed": 0}


def crmq(snapshot, statement, as_of=None):
    args = [CRMQ, os.path.join(ROOT, snapshot), "--format", "json", "-c", statement]
    if as_of:
        args += ["--as-of", as_of]
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise AssertionError(f"crmq failed on {statement!r}: {out.stderr}")
    # One JSON document per statement: its first table's rows are the answer.
    return json.loads(out.stdout)["tables"][0]["rows"]


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def check(name, ours, theirs):
    """Both sides are lists of rows (lists of values) in the same order."""
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{len(ours)} rows against DuckDB's {len(theirs)}")
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
            problems.append(f"row {i}: crmq {a} != duckdb {b}")
            if len(problems) > 5:
                break
    if problems:
        results["failed"] += 1
        print(f"FAIL {name}")
        for p in problems:
            print(f"     {p}")
    else:
        results["passed"] += 1
        print(f"ok   {name} ({len(ours)} rows)")


def rows(objects, keys):
    return [[o[k] for k in keys] for o in objects]


def connect(snapshot, as_of):
    """The snapshot's files as DuckDB tables, transactions up to as_of."""
    d = os.path.join(ROOT, snapshot)
    db = duckdb.connect()
    db.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{d}/customers.csv', header=true, types={{'id': 'VARCHAR'}})")
    db.execute(f"""CREATE TABLE t AS SELECT * FROM read_csv('{d}/transactions.csv', header=true,
                   types={{'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'}})
                   WHERE date <= DATE '{as_of}'""")
    has_margin = "margin" in [r[0] for r in db.execute("DESCRIBE t").fetchall()]
    rate = json.load(open(f"{d}/snapshot.json")).get("margin_rate")
    if has_margin:
        margin = f"coalesce(margin, amount * {rate})" if rate is not None else "margin"
    else:
        margin = f"amount * {rate}" if rate is not None else "NULL::DOUBLE"
    cost = "0"
    if os.path.exists(f"{d}/activities.csv"):
        db.execute(f"""CREATE TABLE a AS SELECT customer_id::VARCHAR AS id, sum(coalesce(quantity, 1) * unit_cost) AS cost
                       FROM read_csv('{d}/activities.csv', header=true, types={{'customer_id': 'VARCHAR'}})
                       JOIN read_csv('{d}/activity_rates.csv', header=true) USING (activity)
                       WHERE date <= DATE '{as_of}' GROUP BY 1""")
        cost = "coalesce((SELECT cost FROM a WHERE a.id = c.id), 0)"
    wallet = "wallet" if "wallet" in [r[0] for r in db.execute("DESCRIBE c").fetchall()] else "NULL::DOUBLE"
    # Per-customer fields exactly as PRODUCT.md §3 defines them.
    db.execute(f"""
        CREATE TABLE f AS
        WITH days AS (SELECT customer_id AS id, date AS d, sum(amount) AS amount FROM t GROUP BY 1, 2),
        per_day AS (SELECT id, count(*) AS n, sum(amount) AS total, arg_min(amount, d) AS first_amount FROM days GROUP BY 1),
        per_row AS (SELECT customer_id AS id, count(*) AS orders, sum(amount) AS revenue, sum({margin}) AS margin,
                           min(date) AS first_purchase, max(date) AS last_purchase,
                           sum(CASE WHEN date > DATE '{as_of}' - INTERVAL 364 DAY THEN amount ELSE 0 END) AS year_revenue
                    FROM t GROUP BY 1)
        SELECT c.id,
               coalesce(r.orders, 0) AS orders,
               coalesce(r.revenue, 0) AS revenue,
               {"coalesce(r.margin, 0)" if margin != "NULL::DOUBLE" else "NULL::DOUBLE"} AS margin,
               r.first_purchase, r.last_purchase,
               p.n - 1 AS frequency,
               date_diff('day', r.first_purchase, r.last_purchase) / 7.0 AS recency,
               date_diff('day', r.first_purchase, DATE '{as_of}') / 7.0 AS age,
               CASE WHEN p.n > 1 THEN (p.total - p.first_amount) / (p.n - 1) WHEN p.n = 1 THEN 0 END AS monetary,
               date_diff('day', r.last_purchase, DATE '{as_of}') AS days_since,
               r.revenue / r.orders AS aov,
               {cost} AS cost_to_serve,
               {"coalesce(r.margin, 0)" if margin != "NULL::DOUBLE" else "NULL::DOUBLE"} - {cost} AS profit,
               CASE WHEN {wallet} > 0 THEN coalesce(r.year_revenue, 0) / {wallet} END AS share_of_wallet,
               c.rowid AS file_order
        FROM c LEFT JOIN per_row r ON r.id = c.id LEFT JOIN per_day p ON p.id = c.id""")
    return db


FIELDS = ["id", "orders", "revenue", "margin", "first_purchase", "last_purchase", "frequency", "recency", "age",
          "monetary", "days_since", "aov", "cost_to_serve", "profit", "share_of_wallet"]


def per_customer_fields(snapshot, as_of):
    db = connect(snapshot, as_of)
    ours = crmq(snapshot, "customers show " + ", ".join(FIELDS), as_of)
    theirs = db.execute(f"SELECT {', '.join(FIELDS)} FROM f ORDER BY file_order").fetchall()
    theirs = [[str(v) if hasattr(v, "isoformat") else v for v in row] for row in theirs]
    check(f"{snapshot} as of {as_of}: every derived field of every customer", rows(ours, FIELDS), theirs)
    return db


def queries(snapshot, as_of, db, cases):
    for statement, sql, keys in cases:
        ours = crmq(snapshot, statement, as_of)
        theirs = [[str(v) if hasattr(v, "isoformat") else v for v in row] for row in db.execute(sql).fetchall()]
        check(f"{snapshot}: {statement}", rows(ours, keys), theirs)


def rfm_scores(snapshot, as_of):
    """RFM scores by docs/reference.md, in SQL: 1 + the number of 20/40/60/80% cuts (quantile_cont,
    linear interpolation) strictly below the value, over the customers who bought; recency on −days_since."""
    db = connect(snapshot, as_of)
    db.execute("""CREATE TABLE cuts AS SELECT
        quantile_cont(-days_since, [0.2, 0.4, 0.6, 0.8]) AS r, quantile_cont(orders, [0.2, 0.4, 0.6, 0.8]) AS f,
        quantile_cont(revenue, [0.2, 0.4, 0.6, 0.8]) AS m FROM f WHERE days_since IS NOT NULL""")
    theirs = db.execute("""SELECT id,
        1 + len(list_filter((SELECT r FROM cuts), lambda q: q < -days_since)),
        1 + len(list_filter((SELECT f FROM cuts), lambda q: q < orders)),
        1 + len(list_filter((SELECT m FROM cuts), lambda q: q < revenue))
        FROM f WHERE days_since IS NOT NULL ORDER BY file_order""").fetchall()
    ours = crmq(snapshot, "customers where days_since is not null show id, r_score, f_score, m_score", as_of)
    check(f"{snapshot} as of {as_of}: RFM scores of every customer who bought", rows(ours, ["id", "r_score", "f_score", "m_score"]),
          [list(r) for r in theirs])


def main():
    db = per_customer_fields("examples/cdnow-sample", "1997-09-30")
    queries("examples/cdnow-sample", "1997-09-30", db, [
        ("count where frequency >= 2 and monetary > 30",
         "SELECT count(*) FROM f WHERE frequency >= 2 AND monetary > 30", ["customers"]),
        ("count where margin is null", "SELECT count(*) FROM f WHERE margin IS NULL", ["customers"]),
        ("segment by frequency where frequency <= 7 show count as n, sum(revenue) as r, avg(monetary) as m, median(age) as a",
         "SELECT frequency, count(*), sum(revenue), avg(monetary), median(age) FROM f WHERE frequency <= 7 GROUP BY 1 ORDER BY 1",
         ["frequency", "n", "r", "m", "a"]),
        ("customers order by revenue desc, id limit 10 show id, revenue",
         "SELECT id, revenue FROM f ORDER BY revenue DESC, id LIMIT 10", ["id", "revenue"]),
    ])
    per_customer_fields("examples/cdnow-sample", "1998-06-30")
    db = per_customer_fields("examples/cdnow", "1997-09-30")
    queries("examples/cdnow", "1997-09-30", db, [
        ("segment by first_purchase show count as n, share(revenue) as s",
         "SELECT first_purchase, count(*), sum(revenue) / (SELECT sum(revenue) FROM f) FROM f GROUP BY 1 ORDER BY 1",
         ["first_purchase", "n", "s"]),
        ("count where days_since between 30 and 90 or not (frequency < 10)",
         "SELECT count(*) FROM f WHERE days_since BETWEEN 30 AND 90 OR NOT (frequency < 10)", ["customers"]),
    ])
    db = per_customer_fields("examples/acme", "2024-12-31")
    db.execute("CREATE TABLE j AS SELECT f.*, c.name, c.segment, c.region, c.satisfaction, c.employees FROM f JOIN c USING (id)")
    queries("examples/acme", "2024-12-31", db, [
        ("segment by region show count as n, sum(revenue) as r, sum(profit) as p, max(last_purchase) as l, min(aov) as a",
         "SELECT region, count(*), sum(revenue), sum(profit), max(last_purchase), min(aov) FROM j GROUP BY 1 ORDER BY 1",
         ["region", "n", "r", "p", "l", "a"]),
        ("customers where name like '%s%' and segment in ('retail', 'public') order by profit show id, profit",
         "SELECT id, profit FROM j WHERE name LIKE '%s%' AND segment IN ('retail', 'public') ORDER BY profit, file_order",
         ["id", "profit"]),
        ("count where satisfaction between 5 and 8 and employees > 50 and last_purchase >= 2024-07-01",
         "SELECT count(*) FROM j WHERE satisfaction BETWEEN 5 AND 8 AND employees > 50 AND last_purchase >= DATE '2024-07-01'",
         ["customers"]),
        ("customers where profit < 0 order by profit / revenue show id, profit / revenue as loss",
         "SELECT id, profit / revenue FROM j WHERE profit < 0 ORDER BY profit / revenue, file_order", ["id", "loss"]),
    ])
    db = per_customer_fields("examples/acme", "2024-06-30")
    for snapshot, as_of in [("examples/acme", "2024-12-31"), ("examples/cdnow", "1997-09-30")]:
        rfm_scores(snapshot, as_of)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
