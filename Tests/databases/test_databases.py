"""crmq reading where the data lives: a SQLite file and a real PostgreSQL server (started
here from a temporary folder, as a non-root user, on a Unix socket only), each holding
examples/acme's customers and transactions under other names and types. Every derived field
of every customer must equal the plain CSV load's; a wrong password, a missing table or
column, a server that is not there are each one clear error; no password is ever echoed.

    .venv/bin/python Tests/databases/test_databases.py .build/debug/crmq
"""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import pexpect

from postgres_server import PostgresServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACME = os.path.join(ROOT, "examples", "acme")
FIELDS = "id, orders, revenue, margin, frequency, recency, age, monetary, first_purchase, last_purchase, days_since, region"
PASSWORD = "s3cret-Pa55"
# acme's snapshot.json says as_of; a database has no snapshot.json, so its loads say it.
AS_OF = "as of 2024-12-31"

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/crmq"
results = []


def check(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f"\n     {detail}" if detail and not ok else ""))


def crmq(*statements, expect_ok=True):
    args = [binary, "--format", "csv"]
    for s in statements:
        args += ["-c", s]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if expect_ok and run.returncode != 0:
        check(False, statements[0], run.stderr)
    return run


def table(out):
    """The answer's table, without the load message before it or the answers after it."""
    rest = out[out.index("id,orders"):] if "id,orders" in out else ""
    return rest.split("\n\n")[0].rstrip("\n") + "\n"


def sorted_rows(text):
    """The table's rows in id order: a load without a customers table lists them as they first buy."""
    lines = text.rstrip("\n").split("\n")
    return "\n".join([lines[0]] + sorted(lines[1:])) + "\n"


def rows(name):
    with open(os.path.join(ACME, name), newline="") as f:
        return list(csv.DictReader(f))


PLAIN = table(crmq(f'load "{ACME}"', f"customers show {FIELDS}").stdout)
# A load's where and an expression, on the file: the database loads below must agree.
RULES = "where product != 'bearings' and quantity > 2"
BOUGHT_FIELDS = FIELDS.replace(", region", "")
RULED = sorted_rows(table(crmq(f'load "{ACME}/transactions.csv" {AS_OF} columns (amount = amount * 2) {RULES}',
                               f"customers show {BOUGHT_FIELDS}").stdout))
# A transactions-only load has the customers who bought; the plain load has one more.
BOUGHT = sorted_rows(table(crmq(f'load "{ACME}"', f"customers where orders > 0 show {FIELDS.replace(', region', '')}").stdout))


def starting_kib():
    """The address space of crmq waiting for its first statement, in KiB."""
    process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    with open(f"/proc/{process.pid}/statm") as f:
        pages = int(f.read().split()[0])
    process.stdin.close()
    process.wait()
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def under_limit(kib, statement):
    """crmq running one statement under an address-space limit (ulimit -v)."""
    return subprocess.run(["bash", "-c", f'ulimit -v {kib}; exec "$0" -c "$1"', binary, statement],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_sqlite(folder):
    path = os.path.join(folder, "crm.db")
    db = sqlite3.connect(path)
    db.execute("create table clients (client_no text primary key, name text, segment text, region text)")
    db.executemany("insert into clients values (?, ?, ?, ?)", [(r["id"], r["name"], r["segment"], r["region"]) for r in rows("customers.csv")])
    db.execute("create table sales (client_no text, sold_on text, total real, margin real, qty integer, product text)")
    db.executemany("insert into sales values (?, ?, ?, ?, ?, ?)", [
        (r["customer_id"], r["date"], float(r["amount"]), float(r["margin"]) if r["margin"] else None,
         int(r["quantity"]) if r["quantity"] else None, r["product"]) for r in rows("transactions.csv")])
    db.commit()
    db.close()
    mapped = "columns (customer_id = client_no, date = sold_on, amount = total, quantity = qty)"
    out = crmq(f'load sqlite "{path}" {AS_OF} tables (transactions = sales, customers = clients) {mapped}', f"customers show {FIELDS}")
    check(out.returncode == 0 and table(out.stdout) == PLAIN, "sqlite: every derived field of every customer equals the CSV load's", out.stdout[:400] + out.stderr)
    check("customer_id ← client_no, date ← sold_on, amount ← total, quantity ← qty" in out.stdout, "sqlite: the load message says the mapping", out.stdout[:300])
    out = crmq(f'load sqlite "{path}" {AS_OF} tables (transactions = \'select * from sales where total > 0\') {mapped}',
               f"customers show {FIELDS.replace(', region', '')}")
    check(out.returncode == 0 and sorted_rows(table(out.stdout)) == BOUGHT, "sqlite: a query as the transactions, without a customers table", out.stderr)
    # where and an expression of the table's columns, as on a file; with a customers table too.
    computed = "columns (customer_id = client_no, date = sold_on, amount = total * 2, quantity = qty)"
    out = crmq(f'load sqlite "{path}" {AS_OF} tables (transactions = sales) {computed} {RULES}', f"customers show {BOUGHT_FIELDS}")
    check(out.returncode == 0 and sorted_rows(table(out.stdout)) == RULED and "left out" in out.stdout,
          "sqlite: where and amount = total * 2 give the file's answers", out.stdout[:300] + out.stderr)
    out = crmq(f'load sqlite "{path}" {AS_OF} tables (transactions = sales, customers = clients) {computed} {RULES}',
               f"customers where orders > 0 show {BOUGHT_FIELDS}")
    check(out.returncode == 0 and sorted_rows(table(out.stdout)) == RULED, "sqlite: the same with a customers table", out.stdout[:300] + out.stderr)
    out = crmq(f'load sqlite "{path}" tables (transactions = sales) {computed} where prodct = 1', expect_ok=False)
    check(out.returncode == 1 and "unknown column `prodct`" in out.stderr and "did you mean `product`" in out.stderr,
          "sqlite: a where on a column the table lacks is an error at it", out.stderr)
    # A folder whose snapshot.json names the database and its tables loads the same.
    recipe = os.path.join(folder, "recipe")
    os.makedirs(recipe)
    with open(os.path.join(recipe, "snapshot.json"), "w") as f:
        json.dump({"as_of": "2024-12-31", "source": {"sqlite": path}, "tables": {
            "transactions": {"table": "sales", "columns": {"customer_id": "client_no", "date": "sold_on", "amount": "total", "quantity": "qty"}},
            "customers": {"query": "select * from clients"}}}, f)
    out = crmq(f'load "{recipe}"', f"customers show {FIELDS}")
    check(out.returncode == 0 and table(out.stdout) == PLAIN, "sqlite: a snapshot.json naming the database and its tables", out.stderr)
    ruled = os.path.join(folder, "ruled")
    os.makedirs(ruled)
    with open(os.path.join(ruled, "snapshot.json"), "w") as f:
        json.dump({"as_of": "2024-12-31", "source": {"sqlite": path}, "tables": {
            "transactions": {"table": "sales", "where": RULES.removeprefix("where "), "columns": {
                "customer_id": "client_no", "date": "sold_on", "amount": "total * 2", "quantity": "qty"}},
            "customers": {"table": "clients"}}}, f)
    out = crmq(f'load "{ruled}"', f"customers where orders > 0 show {BOUGHT_FIELDS}")
    check(out.returncode == 0 and sorted_rows(table(out.stdout)) == RULED, "sqlite: a snapshot.json's where and expression on a database", out.stdout[:300] + out.stderr)
    # More rows than one streamed block holds (8 MiB of CSV): each customer's purchases and
    # their sum as SQLite groups them. Reals read back as the very doubles stored: 1/3 and
    # 0.1 + 0.2 each one customer's one purchase (SQLite's own text has 15 digits: 0.333333333333333).
    many = os.path.join(folder, "many.db")
    db = sqlite3.connect(many)
    db.execute("create table sales (client_no text, sold_on text, total real)")
    db.executemany("insert into sales values (?, ?, ?)",
                   ((f"C{g % 5000}", f"2024-{g % 12 + 1:02d}-{g % 28 + 1:02d}", (g % 997 + 1) / 4) for g in range(400_000)))
    db.executemany("insert into sales values (?, ?, ?)", [("third", "2024-06-01", 1 / 3), ("tenths", "2024-06-01", 0.1 + 0.2)])
    db.commit()
    expected = sorted((c, n, round(t, 2)) for c, n, t in db.execute("select client_no, count(*), sum(total) from sales group by 1"))
    db.close()
    out = crmq(f'load sqlite "{many}" tables (transactions = sales) columns (customer_id = client_no, date = sold_on, amount = total)',
               "customers show id, orders, revenue")
    got = list(csv.DictReader(io.StringIO(table(out.stdout))))
    check(out.returncode == 0 and sorted((r["id"], int(r["orders"]), round(float(r["revenue"]), 2)) for r in got) == expected,
          "sqlite: rows across streamed blocks arrive whole (orders and revenue as SQLite sums them)", out.stderr[-300:])
    exact = {r["id"]: r["revenue"] for r in got if r["id"] in ("third", "tenths")}
    check(exact == {"third": repr(1 / 3), "tenths": repr(0.1 + 0.2)}, "sqlite: a real reads back as the same double", str(exact))
    # Rows SQLite makes as it steps (a recursive count to 100 million), none stored.
    endless = ("with recursive g(n) as (select 1 union all select n + 1 from g where n < 100000000) "
               "select ''C'' || (n % 5000) as client_no, ''2024-01-'' || printf(''%02d'', n % 28 + 1) as sold_on, 1.5 as total from g")
    ctrl_c_stops_a_database_load("sqlite", f'load sqlite "{many}" as endless tables (transactions = \'{endless}\') '
                                 "columns (customer_id = client_no, date = sold_on, amount = total)", folder)
    for statement, message in [
        (f'load sqlite "{folder}/nope.db" tables (transactions = sales)', "sqlite " + folder + "/nope.db: no such database file"),
        (f'load sqlite "{path}" tables (transactions = nosuch)', "no such table: nosuch"),
        (f'load sqlite "{path}" tables (transactions = sales) columns (amount = nosuch)', "maps amount to `nosuch`, and the header has no such column"),
        (f'load sqlite "{path}" tables (transactions = \'select client_no, sold_on from sales\') columns (customer_id = client_no, date = sold_on)', "no column for amount"),
    ]:
        out = crmq(statement, expect_ok=False)
        check(out.returncode == 1 and message in out.stderr, f"sqlite refuses: {message}", out.stderr)


def ctrl_c_stops_a_database_load(kind, load, folder, password=None):
    """Ctrl-C at the prompt while 100 million generated rows stream in (`load` names them as
    the snapshot `endless`): the database is told to stop (the prompt is back long before the
    rest could have come), nothing is loaded, and the message shows no password."""
    home = os.path.join(folder, "home")
    os.makedirs(home, exist_ok=True)
    child = pexpect.spawn(binary, [], cwd=ROOT, encoding="utf-8", dimensions=(40, 200),
                          env=dict(os.environ, HOME=home, TERM="xterm", NO_COLOR="1", PAGER="cat"))
    child.expect("crmq> ")
    child.sendline(load)
    time.sleep(1.5)
    child.sendcontrol("c")
    started = time.time()
    ended = child.expect(["interrupted: the load of .*? was stopped", "loaded endless"], timeout=120)
    waited = time.time() - started
    shown = child.after
    child.expect("crmq> ")
    child.sendline("snapshots")
    child.expect("crmq> ")
    listed = child.before
    child.sendeof()
    child.expect(pexpect.EOF)
    check(ended == 0 and "endless" not in listed.replace("snapshots", "", 1),
          f"{kind}: Ctrl-C stops a streaming load and loads nothing", shown + listed)
    if password:
        check(password not in shown and "***" in shown, f"{kind}: the interruption names the connection without its password", shown)
    # The rest would take the database half a minute or more to give (20M such rows take
    # psql's \copy 8 s); a stopped one ends within a second or two.
    check(waited < 10, f"{kind}: the database stops giving rows at Ctrl-C (the prompt came back after {waited:.1f}s)")


def test_postgres(folder):
    try:
        server = PostgresServer(os.path.join(folder, "postgres"), password=PASSWORD)
        os.makedirs(server.folder)
        server.start()
    except RuntimeError as error:
        check(False, "postgres: a server starts", str(error))
        return
    try:
        server.psql("create database shop")
        setup = server.psql("create schema crm; "
                            "create table crm.clients (client_no text primary key, name text, segment text, region text); "
                            "create table crm.orders (client_no text, ordered_at timestamp, total numeric(12,2), margin numeric(12,2), qty int, product text)", "shop")
        check(setup.returncode == 0, "postgres: the tables are made", setup.stderr)
        clients = os.path.join(folder, "clients.csv")
        with open(clients, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["client_no", "name", "segment", "region"])
            for r in rows("customers.csv"):
                w.writerow([r["id"], r["name"], r["segment"], r["region"]])
        loaded = server.psql(f"\\copy crm.clients (client_no, name, segment, region) from '{clients}' csv header", "shop")
        loaded2 = server.psql(f"\\copy crm.orders (client_no, ordered_at, total, margin, qty, product) from '{ACME}/transactions.csv' csv header", "shop")
        check(loaded.returncode == 0 and loaded2.returncode == 0, "postgres: acme copied in", loaded.stderr + loaded2.stderr)

        uri, sockets = server.uri("shop"), server.sockets
        mapped = "columns (customer_id = client_no, date = ordered_at, amount = total, quantity = qty)"
        out = crmq(f'load postgres "{uri}" {AS_OF} tables (transactions = \'crm.orders\', customers = \'crm.clients\') {mapped}', f"customers show {FIELDS}", "snapshots")
        check(out.returncode == 0 and table(out.stdout) == PLAIN, "postgres: every derived field of every customer equals the CSV load's", out.stderr)
        check("loaded shop:" in out.stdout and "from postgres crm@localhost/shop crm.orders:" in out.stdout, "postgres: named after the database, the table shown", out.stdout[:300])
        check(PASSWORD not in out.stdout + out.stderr, "postgres: the password is nowhere in the output")
        narrow = "columns (customer_id = client_no, date = ordered_at, amount = total)"
        out = crmq(f'load postgres "host={sockets} dbname=shop user=crm password={PASSWORD}" {AS_OF} tables '
                   f'(transactions = \'select client_no, ordered_at, total, margin from crm.orders where total > 0\') {narrow}',
                   f"customers show {FIELDS.replace(', region', '')}")
        check(out.returncode == 0 and sorted_rows(table(out.stdout)) == BOUGHT, "postgres: a query as the transactions, a key=value connection string", out.stderr)
        computed = "columns (customer_id = client_no, date = ordered_at, amount = total * 2, quantity = qty)"
        out = crmq(f'load postgres "{uri}" {AS_OF} tables (transactions = \'crm.orders\', customers = \'crm.clients\') {computed} {RULES}',
                   f"customers where orders > 0 show {BOUGHT_FIELDS}")
        check(out.returncode == 0 and sorted_rows(table(out.stdout)) == RULED and "left out" in out.stdout,
              "postgres: where and amount = total * 2 give the file's answers", out.stdout[:300] + out.stderr)
        out = crmq(f'load postgres "{uri}" tables (transactions = \'crm.orders\') {computed} where ordered_at > 3', expect_ok=False)
        check(out.returncode == 1 and "cannot compare a date with a number" in out.stderr, "postgres: a where of the wrong type is an error at it", out.stderr)
        for statement, message in [
            (f'load postgres "postgresql://crm:wrong-{PASSWORD}@/shop?host={sockets}" tables (transactions = orders)', "password authentication failed for user \"crm\""),
            (f'load postgres "postgresql://crm:{PASSWORD}@/shop?host={folder}/nowhere" tables (transactions = orders)', "cannot connect"),
            (f'load postgres "{uri}" tables (transactions = \'crm.nosuch\')', "relation \"crm.nosuch\" does not exist"),
            (f'load postgres "{uri}" tables (transactions = \'crm.orders\') columns (amount = nosuch)', "maps amount to `nosuch`"),
            (f'load postgres "{uri}" tables (transactions = \'select client_no, ordered_at, total / 0 as total from crm.orders\') {narrow}', "division by zero"),
        ]:
            out = crmq(statement, expect_ok=False)
            check(out.returncode == 1 and message in out.stderr, f"postgres refuses: {message}", out.stderr)
            check(PASSWORD not in out.stderr, f"postgres: no password in the error ({message})", out.stderr)
        # More rows than one block holds (8 MiB of CSV), and between them one row longer than
        # a block (a 9 MB note, quoted, with a comma, quotes and a line break in it): rows cut
        # at a block's end and the long one must each arrive whole, once. The answer is the
        # server's own: each customer's purchases and their sum, grouped in SQL.
        made = server.psql(
            "create table crm.many (client_no text, ordered_at date, total numeric(12,2), note text); "
            "insert into crm.many select 'C' || (g % 5000), date '2024-01-01' + (g % 365), ((g % 997) + 1) / 4.0, '' "
            "from generate_series(1, 200000) g; "
            "insert into crm.many values ('C7', '2024-06-01', 2.50, 'a \"quoted\", note' || E'\\n' || repeat('n', 9000000)); "
            "insert into crm.many select 'C' || (g % 5000), date '2024-01-01' + (g % 365), ((g % 997) + 1) / 4.0, '' "
            "from generate_series(200001, 400000) g", "shop")
        check(made.returncode == 0, "postgres: 400,001 rows and a 9 MB one made", made.stderr)
        grouped = server.psql("copy (select client_no, count(*), sum(total) from crm.many group by 1 order by 1) to stdout csv", "shop")
        expected = sorted((r[0], int(r[1]), round(float(r[2]), 2)) for r in csv.reader(grouped.stdout.splitlines()))
        out = crmq(f'load postgres "{uri}" tables (transactions = \'crm.many\') columns (customer_id = client_no, date = ordered_at, amount = total)',
                   "customers show id, orders, revenue")
        got = sorted((r["id"], int(r["orders"]), round(float(r["revenue"]), 2))
                     for r in csv.DictReader(io.StringIO(table(out.stdout))))
        check(out.returncode == 0 and len(expected) == 5000 and got == expected,
              "postgres: rows across blocks and a row longer than a block arrive whole (orders and revenue as the server sums them)",
              out.stderr[-300:] + str([g for g in got if g not in expected][:3]))
        # Two small series crossed: rows made as they are sent, none stored first.
        endless = ("select ''C'' || (a % 5000) as client_no, date ''2024-01-01'' + (b % 365) as ordered_at, 1.5 as total "
                   "from generate_series(1, 10000) a, generate_series(1, 10000) b")
        ctrl_c_stops_a_database_load("postgres", f'load postgres "{uri}" as endless tables (transactions = \'{endless}\') '
                                     "columns (customer_id = client_no, date = ordered_at, amount = total)", folder, PASSWORD)
        # A load the memory limit cannot hold is refused before a row crosses (the planner's
        # estimate of the rows, and the room every load needs), and a roomier limit lets it in.
        if os.path.exists("/proc/self/statm"):
            start = starting_kib()
            load = f'load postgres "{uri}" {AS_OF} tables (transactions = \'crm.orders\') {mapped}'
            tight = under_limit(start + 60 * 1024, load)
            check(tight.returncode == 1 and "needs about" in tight.stderr and "ulimit -v" in tight.stderr,
                  "postgres: a load too big for ulimit -v is refused before it starts", tight.stderr[-400:])
            roomy = under_limit(start + 600 * 1024, load)
            check(roomy.returncode == 0, "postgres: under a roomy limit the same load goes through", roomy.stderr[-400:])
    finally:
        server.stop()


folder = tempfile.mkdtemp(prefix="crmq-db-")
os.chmod(folder, 0o755)
try:
    test_sqlite(folder)
    test_postgres(folder)
finally:
    shutil.rmtree(folder, ignore_errors=True)
failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
