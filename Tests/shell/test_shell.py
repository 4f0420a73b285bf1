#!/usr/bin/env python3
"""Drives the real crmq binary through a pseudo-terminal, as a person at the prompt would:
type a statement, Tab-complete a keyword, a field and a customer id, read the answer, make
an error and keep going, Up-arrow to recall, Ctrl-C on a line, Ctrl-C during a long load,
Ctrl-D to quit, and find the history file written.

    python Tests/shell/test_shell.py .build/debug/crmq
"""
import os
import shutil
import sys
import tempfile
import time

import pexpect
import pyte

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CRMQ = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/crmq"))
results = {"passed": 0, "failed": 0}
PROMPT = "acme> "


def step(name, fn):
    try:
        fn()
        results["passed"] += 1
        print(f"ok   {name}")
    except Exception as e:  # a failed expectation or a timeout
        results["failed"] += 1
        print(f"FAIL {name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        for line in str(e).splitlines()[1:]:
            print("     " + line)


def big_snapshot(directory):
    """Three customers and three million transactions: a load that takes a while."""
    os.makedirs(directory)
    with open(os.path.join(directory, "customers.csv"), "w") as f:
        f.write("id\nA\nB\nC\n")
    with open(os.path.join(directory, "transactions.csv"), "w") as f:
        f.write("customer_id,date,amount\n")
        f.write("A,2024-01-01,1.5\nB,2024-01-02,2.5\nC,2024-01-03,3.5\n" * 1_000_000)


class Terminal:
    """The program in a pseudo-terminal, its output kept two ways: a screen as a terminal
    would show it (libedit redraws lines with cursor moves), and the plain transcript."""

    def __init__(self, argv, env, rows=40, columns=120):
        self.child = pexpect.spawn(argv[0], argv[1:], cwd=ROOT, env=env, encoding="utf-8", dimensions=(rows, columns))
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.transcript = ""

    def pump(self):
        while True:
            try:
                text = self.child.read_nonblocking(65536, timeout=0.05)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.stream.feed(text)
            self.transcript += text

    def lines(self):
        return [line.rstrip() for line in self.screen.display]

    def cursor_line(self):
        return self.screen.display[self.screen.cursor.y].rstrip()

    def wait_for(self, condition, what, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.pump()
            if condition():
                return
        raise AssertionError(f"waited {timeout}s for {what}; the screen shows:\n" + "\n".join(l for l in self.lines() if l))

    def wait_for_text(self, text, timeout=20):
        """Text that appears in the output after now."""
        mark = len(self.transcript)
        self.wait_for(lambda: text in self.transcript[mark:], repr(text), timeout)

    def wait_for_prompt(self, prompt=PROMPT):
        self.wait_for(lambda: self.cursor_line() == prompt.rstrip() or self.cursor_line() == prompt, "the prompt")

    def wait_for_line(self, text):
        """The line being edited reads `text` (after the prompt)."""
        self.wait_for(lambda: self.cursor_line().endswith(text), f"the line to read {text!r}")

    def send(self, text):
        self.child.send(text)

    def control(self, letter):
        self.child.sendcontrol(letter)


home = tempfile.mkdtemp(prefix="crmq-home-")
big = os.path.join(home, "big")
big_snapshot(big)
env = dict(os.environ, HOME=home, TERM="xterm", NO_COLOR="1", PAGER="cat")
shell = Terminal([CRMQ, "examples/acme"], env)


def start():
    shell.wait_for(lambda: any("acme: 61 customers" in l for l in shell.lines()), "the banner")
    shell.wait_for_prompt()


def complete_keyword_and_field():
    shell.send("cou\t")
    shell.wait_for_line("acme> count")
    shell.send("where rev\t")
    shell.wait_for_line("acme> count where revenue")
    shell.send("> 100k\r")
    shell.wait_for_text("customers\r\n")
    shell.wait_for_prompt()
    assert "        4" in shell.transcript.split("count where revenue > 100k")[-1]


def complete_customer_id():
    shell.send("profile MUE\t")
    shell.wait_for_line("acme> profile MUELLER")
    shell.send("\r")
    shell.wait_for_text("Müller Maschinenbau GmbH (MUELLER)")
    shell.wait_for_prompt()


def an_error_keeps_the_session():
    shell.send("count where revnue > 1\r")
    shell.wait_for_text("did you mean `revenue`?")
    assert "unknown field `revnue`" in shell.transcript
    shell.wait_for_prompt()
    shell.send("count where region = 'Asia'\r")
    shell.wait_for_text("        2\r\n")
    shell.wait_for_prompt()


def up_arrow_recalls_and_ctrl_c_abandons():
    shell.send("\x1b[A")  # Up: the last statement comes back
    shell.wait_for_line("acme> count where region = 'Asia'")
    shell.control("c")
    shell.wait_for_text("^C")
    shell.wait_for_prompt()
    shell.send("count\r")  # the abandoned line did not run: a fresh statement does
    shell.wait_for_text("       61\r\n")
    shell.wait_for_prompt()


def load_an_export_file_and_keep_no_password():
    shell.send('load "examples/apparel/apparel_tr\t')  # Tab offers export files, not only folders
    shell.wait_for_line('acme> load "examples/apparel/apparel_trans.csv"')
    shell.send(" as app\r")
    shell.wait_for_text("loaded app: 600 customers")
    shell.wait_for_prompt("app> ")
    shell.send('load postgres "postgresql://ann:s3cret-pw@/shop?host=/nonexistent" tables (transactions = orders)\r')
    shell.wait_for_text("cannot connect")
    shell.wait_for_prompt("app> ")
    echoed = shell.transcript[shell.transcript.rindex("error:"):]
    assert "s3cret-pw" not in echoed and "ann:*********@" in echoed, echoed
    history = open(os.path.join(home, ".crmq_history")).read()
    assert "s3cret-pw" not in history and "ann:***@" in history, history
    shell.send("use acme\r")
    shell.wait_for_prompt()


def a_statement_over_two_lines():
    shell.send("count where (revenue\r")
    shell.wait_for(lambda: shell.cursor_line().endswith("...>"), "the continuation prompt")
    shell.send("> 100k)\r")
    shell.wait_for_text("        4\r\n")
    shell.wait_for_prompt()


def a_recalled_two_line_statement_shows_and_runs_whole():
    shell.send("\x1b[A")  # Up: both lines come back, the second under the first line's text
    shell.wait_for(lambda: shell.cursor_line() == "      > 100k)"
                   and "acme> count where (revenue" in shell.lines()[shell.screen.cursor.y - 1], "the recalled statement")
    mark = len(shell.transcript)
    shell.send("\r")
    shell.wait_for_text("        4\r\n")
    assert "error" not in shell.transcript[mark:], shell.transcript[mark:]
    shell.wait_for_prompt()


def ctrl_l_clears_the_screen():
    shell.send("count\r")
    shell.wait_for_text("       61\r\n")
    shell.wait_for_prompt()
    shell.send("cou")
    shell.control("l")  # the screen clears; the line being typed stays, at the top
    shell.wait_for(lambda: shell.lines()[0] == "acme> cou" and not any("61" in l for l in shell.lines()), "a cleared screen")
    shell.control("c")
    shell.wait_for_prompt()


def ctrl_c_stops_a_long_load():
    shell.send(f'load "{big}" as big\r')
    time.sleep(0.5)
    shell.control("c")
    shell.wait_for(lambda: "interrupted" in shell.transcript or "loaded big" in shell.transcript, "the load to end")
    assert "loaded big" not in shell.transcript, "the load finished before Ctrl-C reached it"
    shell.wait_for_prompt()
    mark = len(shell.transcript)
    shell.send("snapshots\r")  # acme is still loaded and in use; big is not there
    shell.wait_for_text("* the snapshot in use")
    answer = shell.transcript[mark:]
    assert "acme *" in answer and "big" not in answer.replace("snapshots", ""), answer


def ctrl_d_quits_and_history_is_kept():
    shell.control("d")
    shell.child.expect(pexpect.EOF)
    shell.child.close()
    assert shell.child.exitstatus == 0, f"exit status {shell.child.exitstatus}"
    history = open(os.path.join(home, ".crmq_history")).read()
    assert "count\\040where\\040revenue\\040>\\040100k" in history, history
    # One entry, its second line indented under the first line's text (six columns: "acme> ").
    assert "count\\040where\\040(revenue\\012" + "\\040" * 6 + ">\\040100k)" in history, "the two-line statement is one entry"


def history_comes_back_after_a_restart():
    again = Terminal([CRMQ, "examples/acme", "--no-init"], env)
    again.wait_for_prompt()
    again.send("\x1b[A")
    again.wait_for_line("acme> snapshots")
    again.send("\x1b[A\x1b[A\x1b[A")  # back past the load and the count to the statement typed over two lines
    again.wait_for(lambda: any(l.startswith("acme> count where (revenue") for l in again.lines()) and again.cursor_line() == "      > 100k)",
                   "the two-line statement, whole, its second line under the first's text")
    again.control("c")
    again.wait_for_prompt()
    again.control("d")
    again.child.expect(pexpect.EOF)


def the_init_file_runs_at_start_unless_no_init():
    with open(os.path.join(home, ".crmqrc"), "w") as f:
        f.write(".mode csv\n")
    with_init = Terminal([CRMQ, "examples/acme"], env)
    with_init.wait_for_prompt()
    with_init.send("count\r")
    with_init.wait_for_text("customers\r\n61\r\n")  # CSV, as ~/.crmqrc asked
    with_init.control("d")
    with_init.child.expect(pexpect.EOF)
    without = Terminal([CRMQ, "examples/acme", "--no-init"], env)
    without.wait_for_prompt()
    without.send("count\r")
    without.wait_for_text("─────────\r\n       61\r\n")  # a table: the file was skipped
    without.control("d")
    without.child.expect(pexpect.EOF)


for name, fn in [
    ("the banner and the prompt", start),
    ("Tab completes a keyword and a field; the answer prints", complete_keyword_and_field),
    ("Tab completes a customer id", complete_customer_id),
    ("an error is shown and the session goes on", an_error_keeps_the_session),
    ("Up recalls the last statement; Ctrl-C abandons the line", up_arrow_recalls_and_ctrl_c_abandons),
    ("Tab completes an export file, which loads as it is; a password stays out of the error and the history",
     load_an_export_file_and_keep_no_password),
    ("an open parenthesis continues on a second line", a_statement_over_two_lines),
    ("a recalled two-line statement shows its second line under the first and runs whole", a_recalled_two_line_statement_shows_and_runs_whole),
    ("Ctrl-L clears the screen and keeps the line", ctrl_l_clears_the_screen),
    ("Ctrl-C stops a long load and leaves the session as it was", ctrl_c_stops_a_long_load),
    ("Ctrl-D quits with status 0 and the history file holds the statements", ctrl_d_quits_and_history_is_kept),
    ("history, a two-line statement whole, comes back after a restart", history_comes_back_after_a_restart),
    ("~/.crmqrc runs at start; --no-init skips it", the_init_file_runs_at_start_unless_no_init),
]:
    step(name, fn)

shutil.rmtree(home, ignore_errors=True)
print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
