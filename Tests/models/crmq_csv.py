"""crmq run on statements with --format csv, its output read back as tables: what the model
tests in this folder compare with lifetimes and scipy."""
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def crmq_output(binary, *statements):
    """crmq's standard output for the statements with --format csv; a failing run ends the
    test with crmq's error."""
    args = [binary, "--format", "csv"]
    for s in statements:
        args += ["-c", s]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL {statements}: {run.stderr}")
    return run.stdout


def tables(out):
    """Each table of crmq's CSV output (blank lines between), a list of dicts."""
    found = []
    for block in out.strip().split("\n\n"):
        rows = list(csv.DictReader(io.StringIO(block)))
        if rows:
            found.append(rows)
    return found


def crmq_tables(binary, *statements):
    """Each table crmq prints for the statements."""
    return tables(crmq_output(binary, *statements))


def table_with(tables, column):
    """The first table that has this column."""
    return next(t for t in tables if column in t[0])


def parameters(tables):
    """`fit`'s parameter table as {name: value}."""
    return {row["parameter"]: float(row["value"]) for row in table_with(tables, "parameter")}
