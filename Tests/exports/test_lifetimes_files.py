"""The CDNOW master file as the `lifetimes` package ships it (runs of spaces, CRLF line ends,
YYYYMMDD dates, zero-padded ids, its amount named dollar_value) loads as it is, needing only
its amount and quantity named, and gives every customer the same derived fields as
examples/cdnow (the same purchases in crmq's own layout).

    .venv/bin/python Tests/exports/test_lifetimes_files.py .build/debug/crmq
"""
import os
import subprocess
import sys

import lifetimes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MASTER = os.path.join(os.path.dirname(lifetimes.__file__), "datasets", "CDNOW_master.txt")
FIELDS = "orders, revenue, quantity_total, frequency, recency, age, monetary, first_purchase, last_purchase, days_since"


def crmq(binary, load, statement):
    run = subprocess.run([binary, "--format", "csv", "-c", load, "-c", statement], cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL {load}: {run.stderr}")
    return run.stdout, run.stderr


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/crmq"
    failed = 0
    with open(MASTER, "rb") as f:
        head = f.read(200)
    assert b"\r\n" in head and b"  " in head, "the master file is not as lifetimes ships it"
    for as_of in ["", " as of 1997-09-30"]:
        statement = f"customers show {FIELDS.replace('quantity_total, ', '')}"
        ours, message = crmq(binary, f'load "{MASTER}" as master{as_of} columns (amount = dollar_value, quantity = number_of_cds)', statement)
        plain, _ = crmq(binary, f'load "examples/cdnow"{as_of}', statement)
        # The load message comes first; the tables after it must match row for row.
        table = lambda out: out[out.index("orders,"):]
        if table(ours) != table(plain):
            failed += 1
            print(f"FAIL master{as_of}: fields differ from examples/cdnow")
        else:
            rows = table(ours).count("\n") - 1
            print(f"ok   CDNOW_master.txt{as_of}: every derived field of {rows} customers equals examples/cdnow's")
        if "amount ← dollar_value, quantity ← number_of_cds (delimiter 'spaces', date 'YYYYMMDD')" not in ours:
            failed += 1
            print(f"FAIL master{as_of}: the load message does not say the mapping and dialect:\n{ours[:300]}")
    print(f"{2 - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
