#!/usr/bin/env python3
"""mash benchmarks, side by side with the sqlite3 shell doing the same
raw work in the same run (issue 9).  Deterministic: every input comes
from a seeded generator.  Sized by BENCH_ROWS (CSV rows) and
BENCH_CASES (cases in the big store); prints a table and writes
tests/bench/results.md.

    python3 tests/bench/bench.py BINDIR WORKDIR

BENCH_ONLY picks a part: chain-report (the audit chain and the report),
or pg: the same programs on PostgreSQL beside SQLite, in the same run
(the import, mash-overdue on the big store, start-up and 8 concurrent
writers), written as the section "PostgreSQL beside SQLite" of
results.md, the rest of the file kept.  A full run writes that section
too; BENCH_ONLY=sqlite is a full run without it, for sizes at which the
PostgreSQL rows would take hours (BENCH_ROWS=1000000).  It starts its
own server (tests/pg/server.sh) in a new directory of /tmp and stops
it, and is skipped, saying so, without postgresql-15 or libfaketime:

    BENCH_ONLY=pg make bench

Every run prints first, and results.md's sections start with, the
machine: the CPU model as /proc/cpuinfo names it, its cores and
memory, the kernel, and the disk holding WORK (its device, file system
type and, from /sys/block, whether it spins; "unknown" where they do
not say); the commit (git rev-parse --short HEAD, "-dirty" when a
tracked file other than those this program writes differs from it);
and the load average at the start.  Every part, a full run, chain-report
or pg, then appends to tests/bench/history.tsv (BENCH_HISTORY names
another file) a line for each row it measured, under a header written
once: the run's date, commit, machine, load average at the start and
part (BENCH_ONLY, or "all"), then the measure, its value as one number
in the unit named beside it (s, ms, ratio, MiB, writes/s, per row: the
figure its target is on, else its main one), and the result, target
and met as printed.  A regression is then a change in value between
lines of one measure, read on machines alike.
"""

import datetime
import glob
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
WORK = os.path.abspath(sys.argv[2])
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SEED = 20261126
NOW = "2026-11-26T10:00:00Z"
HERE = os.path.dirname(os.path.abspath(__file__))

ENV = dict(os.environ, TZ="Europe/London", MASH_NOW=NOW, MASH_USER="admin",
           PATH=BIN + ":" + os.environ.get("PATH", ""))
for k in ("MASH_DB", "MASH_EXPLAIN", "NO_COLOR"):
    ENV.pop(k, None)

# invented names from syllables: as many as a city's, few collisions
SYLL = ["ka", "lo", "mi", "ra", "te", "vin", "sa", "do", "re", "na",
        "bel", "tor", "li", "an", "jo", "se", "wen", "du", "fi", "gar"]
GIVEN = [(a + b).capitalize() for a in SYLL for b in SYLL]
POSTCODES = ["%s%d %d%s" % (a, d, n, b) for a in ("LS", "M", "B", "NE")
             for d in range(1, 20) for n in range(10)
             for b in ("AB", "TQ", "LP", "RT", "HX")]


def family(rnd):
    return "".join(rnd.choice(SYLL) for _ in range(3)).capitalize()


def run(cmd, **kw):
    """Run a command; return (seconds, peak RSS in KiB, status)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=kw.get("env", ENV),
                         stdin=kw.get("stdin", subprocess.DEVNULL),
                         stdout=kw.get("stdout", subprocess.DEVNULL),
                         stderr=kw.get("stderr", subprocess.DEVNULL),
                         shell=isinstance(cmd, str))
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, ru.ru_maxrss, p.returncode


def in_turn(cmds, runs):
    """Medians of commands run in turn, so that the machine's drift falls
    on all alike.  Each is a dict: cmd, and optionally env, ok (the exit
    statuses it may end in) and setup (run, untimed, before each run)."""
    times = [[] for _ in cmds]
    for _ in range(runs):
        for c, ts in zip(cmds, times):
            if c.get("setup"):
                c["setup"]()
            t, _, rc = run(c["cmd"], env=c.get("env", ENV))
            if rc not in c.get("ok", (0,)):
                sys.exit("bench: %r exited %d" % (c["cmd"], rc))
            ts.append(t)
    return [statistics.median(ts) for ts in times]


def paired(a, b, runs, ok_a=(0,), ok_b=(0,), env_a=ENV, env_b=ENV,
           setup_a=None, setup_b=None):
    """Medians of two commands run in turn (in_turn)."""
    return in_turn([dict(cmd=a, ok=ok_a, env=env_a, setup=setup_a),
                    dict(cmd=b, ok=ok_b, env=env_b, setup=setup_b)], runs)


def median_of(cmd, runs=RUNS, ok=(0,), setup=None, **kw):
    """The median wall time of several runs; each must end in ok.  cmd
    may be a function giving each run's command."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        c = cmd() if callable(cmd) else cmd
        t, _, rc = run(c, **kw)
        if rc not in ok:
            sys.exit("bench: %r exited %d" % (c, rc))
        times.append(t)
    return statistics.median(times)


def gen_csv(path, rows):
    """A police CSV: households of one to three children."""
    rnd = random.Random(SEED)
    with open(path, "w", newline="") as f:
        f.write("reference,received_at,source,risk,child_given_name,"
                "child_family_name,child_dob,child_gender,postcode,"
                "concern,categories,consent\r\n")
        n = ref = 0
        while n < rows:
            ref += 1
            fam = family(rnd)
            when = "%02d/%02d/2026 %02d:%02d" % (rnd.randint(1, 28),
                                                 rnd.randint(1, 10),
                                                 rnd.randint(0, 23),
                                                 rnd.randint(0, 59))
            pc = rnd.choice(POSTCODES)
            risk = rnd.choice(("high", "medium", "low"))
            kids = min(rnd.choice((1, 1, 2, 3)), rows - n)
            # a household's children have names of their own
            for given in rnd.sample(GIVEN, kids):
                dob = "%02d/%02d/%04d" % (rnd.randint(1, 28),
                                          rnd.randint(1, 12),
                                          rnd.randint(2008, 2025))
                f.write('PN/%07d,%s,police,%s,%s,%s,%s,%s,%s,'
                        '"Officers attended; %s, ""%s"" said so.",'
                        'domestic-abuse;neglect,not-sought\r\n' % (
                            ref, when, risk,
                            given, fam, dob,
                            rnd.choice(("male", "female")), pc,
                            "a child was present", fam))
                n += 1


def fresh_store(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    e = dict(ENV, MASH_DB=path)
    if run(["mash-admin", "init"], env=e)[2] != 0:
        sys.exit("bench: cannot init " + path)
    for login, role in (("head", "head"), ("screener", "screener"),
                        ("sw", "social-worker")):
        run(["mash-admin", "user", "add", login, "--role", role], env=e)
    return e


def variant_bin(name, flag, what):
    """The programs built with flag, in WORK/name: what a part of the
    work costs, by its absence.  Only for this benchmark."""
    root = os.path.dirname(os.path.dirname(HERE))
    b = os.path.join(WORK, name)
    cmd = ["make", "-s", "-C", root, "B=" + b, "BIN=" + b + "/bin",
           "CFLAGS=-O2 -g -D" + flag, b + "/bin/mash-refer"]
    if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("bench: cannot build the programs without " + what)
    return b + "/bin"


def nochain_bin():
    """The programs built with MASH_AUDIT_NOCHAIN, which write audit rows
    without their hash.  mash-audit verify fails on what they write."""
    return variant_bin("nochain", "MASH_AUDIT_NOCHAIN", "the chain")


def nomatch_bin():
    """The programs built with MASH_MATCH_NONE, which offer no possible
    matches: the part of an import its floor does not do."""
    return variant_bin("nomatch", "MASH_MATCH_NONE", "matching")


def sqlite(db, sql, **kw):
    return ["sqlite3", "-batch", db, sql]


BIG_SQL = """
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(cases)d)
INSERT INTO cases (id, state, rag, source, reference, received_at, created_at,
  created_by, concern, screening_due, accepted_at, assigned_to, decision_due,
  outcome, closed_at)
SELECT i, 'closed', 'green', '6', 'BIG/' || i,
  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-11-26T10:00:00Z',
    printf('-%%d minutes', (%(cases)d - i) / 2)),
  '2026-01-01T00:00:00Z', 'admin', 'generated concern text for case ' || i,
  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-11-26T10:00:00Z',
    printf('%%+d minutes', (i * 7919) %% 43200 - 21600)),
  NULL, NULL, NULL, 'nfa', '2026-01-02T00:00:00Z'
FROM n;
INSERT INTO persons (id) SELECT id FROM cases;
INSERT INTO children (case_id, person_id, given_name, family_name, name_key,
  dob, gender, postcode)
SELECT id, id, 'Child' || id, 'Generated', 'child' || id || 'generated',
  date('2008-01-01', printf('+%%d days', (id * 7919) %% 6570)),
  'unknown', 'LS6 2AB' FROM cases;
INSERT INTO audit (at, actor, action, case_id, details)
SELECT created_at, 'admin', 'refer', id, '{}' FROM cases;
COMMIT;
"""

# Which of the big store's cases are open: one in 200, in turn new,
# screened, with the MASH (a request out to the police) and recorded,
# deadlines spread over a month around now.  Those open before are
# closed, and their requests withdrawn.  k numbers the open cases.
OPEN_SQL = """
BEGIN;
UPDATE requests SET state = 'withdrawn', answered_at = '%(now)s',
  answered_by = 'sw', withdraw_reason = 'generated' WHERE state = 'open';
UPDATE cases SET state = 'closed', rag = 'green', accepted_at = NULL,
  assigned_to = NULL, decision_due = NULL, summary = NULL,
  recommendation = NULL, outcome = 'nfa', closed_at = '2026-01-02T00:00:00Z'
  WHERE state <> 'closed';
UPDATE cases SET
  state = CASE %(k)s %% 4 WHEN 0 THEN 'new' WHEN 1 THEN 'screened'
    WHEN 2 THEN 'mash' ELSE 'recorded' END,
  rag = CASE %(k)s %% 4 WHEN 0 THEN 'green' WHEN 2 THEN 'red' ELSE 'amber' END,
  accepted_at = CASE WHEN %(k)s %% 4 >= 2 THEN received_at END,
  assigned_to = CASE WHEN %(k)s %% 4 >= 2 THEN 'sw' END,
  decision_due = CASE WHEN %(k)s %% 4 >= 2 THEN screening_due END,
  summary = CASE WHEN %(k)s %% 4 = 3 THEN 'generated' END,
  recommendation = CASE WHEN %(k)s %% 4 = 3 THEN 'nfa' END,
  outcome = NULL, closed_at = NULL
  WHERE %(open)s;
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
SELECT id, 'police', accepted_at, 'sw', decision_due FROM cases
  WHERE state = 'mash';
COMMIT;
ANALYZE;
"""

# A hub's open cases are its newest: a case is screened within a working
# day of its receipt and decided within three.  Spread through the
# year, as no hub's are, a queue reads a page of each table for each
# case; the benchmark reports that too, as the worst case.
NEWEST_FROM = CASES - CASES // 200   # the last closed id; PG_BIG_SQL's too
NEWEST = dict(open="id > %d" % NEWEST_FROM, k="id")
SPREAD = dict(open="id % 200 = 0", k="(id / 200)")


def open_sql(which):
    """OPEN_SQL for the cases that which (NEWEST, SPREAD) names."""
    return OPEN_SQL % dict(which, now=NOW)


def open_cases(path, which):
    """Open the big store's cases that which names."""
    if run(sqlite(path, open_sql(which)), stderr=None)[2] != 0:
        sys.exit("bench: cannot open the big store's cases")


# The floor of an import into mash's schema: what sqlite3 itself takes
# to .import the file and write the same rows into the same tables,
# indexes, foreign keys and audit, set-based, with nothing validated or
# matched.  No import through this schema can beat it.  Its audit rows
# are mash's: a refer for a case's first child, an add-child for each
# other, their details, and a hash of the chain's length (random: the
# chain's SHA-256 is mash's own work, as matching is), for the new
# children only.
FLOOR_SQL = """
.bail on
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -16384;
BEGIN;
CREATE TEMP TABLE raw (reference, received_at, source, risk, given, family,
  dob, gender, postcode, concern, categories, consent);
CREATE TEMP TABLE base AS SELECT coalesce(max(id), 0) AS person,
  (SELECT coalesce(max(id), 0) FROM children) AS child FROM persons;
.import --csv --skip 1 %(csv)s raw
INSERT INTO cases (source, reference, received_at, created_at, created_by,
  concern, categories, consent, risk, screening_due)
SELECT '6', reference,
  substr(received_at, 7, 4) || '-' || substr(received_at, 4, 2) || '-' ||
    substr(received_at, 1, 2) || 'T' || substr(received_at, 12, 5) || ':00Z',
  '%(now)s', 'admin', concern,
  '["' || replace(categories, ';', '","') || '"]', consent, risk,
  '%(now)s'
FROM raw GROUP BY reference ORDER BY min(rowid);
INSERT INTO persons (id) SELECT rowid + (SELECT person FROM base) FROM raw;
INSERT INTO children (case_id, person_id, given_name, family_name, name_key,
  dob, gender, postcode)
SELECT c.id, r.rowid + (SELECT person FROM base), given, family,
  lower(given || family),
  substr(dob, 7, 4) || '-' || substr(dob, 4, 2) || '-' || substr(dob, 1, 2),
  gender, postcode
FROM raw r JOIN cases c ON c.source = '6' AND c.reference = r.reference
ORDER BY r.rowid;
INSERT INTO audit (at, actor, action, case_id, details, hash)
SELECT '%(now)s', 'admin', CASE WHEN first THEN 'refer' ELSE 'add-child' END,
  case_id, CASE WHEN first THEN json_object('source', '6', 'reference',
  reference, 'children', 1) ELSE '{}' END, lower(hex(randomblob(32)))
FROM (SELECT h.id, h.case_id, c.reference, h.id = (SELECT min(id)
  FROM children WHERE case_id = h.case_id) AS first
  FROM children h JOIN cases c ON c.id = h.case_id
  WHERE h.id > (SELECT child FROM base)) ORDER BY id;
COMMIT;
"""


def big_store(path):
    """Many cases, mostly closed; one in 200 open, the newest."""
    e = fresh_store(path)
    sql = BIG_SQL % {"cases": CASES} + open_sql(NEWEST)
    t, _, rc = run(sqlite(path, sql), stderr=None)
    if rc != 0:
        sys.exit("bench: cannot fill the big store")
    return e, t


# the raw SQL of mash-overdue: the same rows, the same fields, as JSON
# (sqlite3 -json), and the row that records the run: the same work
OVERDUE_SQL = """
SELECT kind, case_id, request_id, rag, due_at,
  unixepoch('%(now)s') - unixepoch(due_at) AS overdue_by,
  assigned_to, agency FROM (
SELECT 'screening' AS kind, id AS case_id, NULL AS request_id, rag,
  screening_due AS due_at, assigned_to, NULL AS agency FROM cases
  INDEXED BY cases_screening
  WHERE state IN ('new','screened') AND screening_due <= '%(now)s'
UNION ALL
SELECT 'request', r.case_id, r.id, c.rag, r.due_at, c.assigned_to,
  r.agency FROM requests r
  INDEXED BY requests_due JOIN cases c ON c.id = r.case_id
  WHERE r.state = 'open' AND r.due_at <= '%(now)s'
UNION ALL
SELECT 'decision', id, NULL, rag, decision_due, assigned_to, NULL
  FROM cases INDEXED BY cases_decision
  WHERE state IN ('mash','recorded') AND decision_due <= '%(now)s')
ORDER BY due_at, kind, case_id, request_id;
INSERT INTO audit (at, actor, action, details)
  VALUES ('%(now)s', 'admin', 'overdue-run', '{}');
""" % {"now": NOW}


# The floor of a queue: sqlite3 itself reading the same cases along
# the same indexes, with their children, each child's earlier cases
# and open possible matches, printing them as JSON, sorting in memory
# as mash does, and writing an audit row.  Paired with the queue, it
# says whether a queue slower than its target is the program's doing
# or the machine's: each case of the big store's queues sits in pages
# of its own, and a page read costs what the machine makes it.
QUEUE_FLOOR_SQL = """
PRAGMA temp_store = MEMORY;
SELECT c.id AS case_id, ch.id AS child_id, c.*, ch.*,
  (SELECT json_group_array(h.case_id) FROM children h
    JOIN cases p ON p.id = h.case_id
    WHERE h.person_id = ch.person_id AND h.case_id <> c.id AND
    (p.received_at < c.received_at OR
     (p.received_at = c.received_at AND p.id < c.id))) AS previous_cases,
  (SELECT json_group_array(person_id) FROM possible_matches
    WHERE child_id = ch.id AND status = 'open') AS possible_matches
FROM cases c INDEXED BY %(index)s JOIN children ch ON ch.case_id = c.id
WHERE %(where)s ORDER BY %(order)s;
INSERT INTO audit (at, actor, action, details)
  VALUES ('%(now)s', 'head', 'list', '{}');
"""


def queue_floor(index, where, order):
    """QUEUE_FLOOR_SQL along an index, for a condition, in an order"""
    return QUEUE_FLOOR_SQL % dict(index=index, where=where, order=order,
                                  now=NOW)


# name, command, and its floor
QUEUES = (("screening queue (mash-screen)", ["mash-screen", "-o", "json"],
           queue_floor("cases_screening", "c.state IN ('new', 'screened')",
                       "c.rag IS NOT 'red', c.screening_due, c.id")),
          ("decision queue (mash-decide)", ["mash-decide", "-o", "json"],
           queue_floor("cases_state", "c.state = 'recorded'",
                       "c.decision_due, c.id")))


REFER_ONE = ("mash-refer --source police --ref W$1-$i --concern c "
             "--child 'Ava Moss' --dob 2016-03-02 >/dev/null")

# The floor of a write: sqlite3, a process a commit as mash-refer is,
# waiting its turn for the lock (.timeout) and writing a case, its
# child and an audit row in one transaction, committed to disk as
# mash's are (WAL, synchronous FULL: an fsync a commit)
SQLITE_ONE = ("sqlite3 -batch \"$DB\" \".timeout 10000\" "
              "\"PRAGMA synchronous = FULL\" \"BEGIN IMMEDIATE\" "
              "\"INSERT INTO cases (source, reference, received_at, "
              "created_at, created_by, concern, screening_due) VALUES ('6', "
              "'W$1-$i', "
              "'%(now)s', '%(now)s', 'admin', 'c', '%(now)s')\" "
              "\"INSERT INTO persons DEFAULT VALUES\" "
              "\"INSERT INTO children (case_id, person_id, given_name, "
              "family_name, name_key, dob) VALUES ((SELECT max(id) FROM "
              "cases), (SELECT max(id) FROM persons), 'Ava', 'Moss', "
              "'avamoss', '2016-03-02')\" "
              "\"INSERT INTO audit (at, actor, action, case_id, details) "
              "VALUES ('%(now)s', 'admin', 'refer', (SELECT max(id) FROM "
              "cases), '{}')\" \"COMMIT\" >/dev/null") % {"now": NOW}


def writes(each, one, failed):
    """A shell loop: one (a write, $i its number) each times, failed
    run after any that fails."""
    return ("i=0; while [ $i -lt %d ]; do i=$((i+1)); %s || %s; done" %
            (each, one, failed))


def concurrent_writers(e, writers=8, each=60, one=REFER_ONE):
    """writers processes, each running one (a write) again and again."""
    script = writes(each, one, "echo fail")
    t0 = time.perf_counter()
    ps = [subprocess.Popen(["sh", "-c", script, "w", str(w)], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
          for w in range(writers)]
    fails = sum(p.communicate()[0].decode().count("fail") for p in ps)
    t = time.perf_counter() - t0
    return writers * each / t, fails


def writers_floor(wps, note):
    """What 8 writers' time goes on: the same commits by sqlite3, each
    its own process (the floor: start-up, the lock and an fsync), and
    one writer alone, its fsync time counted by strace."""
    floor = os.path.join(WORK, "conc-floor.db")
    ef = dict(fresh_store(floor), DB=floor)
    sps, fails = concurrent_writers(ef, one=SQLITE_ONE)
    if fails:
        sys.exit("bench: sqlite3's writes failed")
    note("8 concurrent writers: mash / sqlite3, the same commits",
         "%.0f / %.0f writes/s = %.2fx the floor's time" % (
             wps, sps, sps / wps), value=(sps / wps, "ratio"))
    alone = os.path.join(WORK, "conc-alone.db")
    ea = fresh_store(alone)
    trace = os.path.join(WORK, "writer.strace")
    t, _, rc = run(["strace", "-f", "-c", "-w", "-o", trace, "-e",
                    "trace=fsync,fdatasync", "sh", "-c",
                    writes(60, REFER_ONE.replace("$1", "1"), "exit 1")],
                   env=ea)
    if rc != 0:
        note("one writer alone: fsync time / wall", "strace failed")
        return
    # strace -c -w: % time, seconds (wall), usecs/call, calls, syscall
    sync, calls = 0.0, 0
    with open(trace) as f:
        for line in f:
            w = line.split()
            if len(w) >= 5 and w[-1] in ("fsync", "fdatasync"):
                sync += float(w[1])
                calls += int(w[3])
    note("one writer alone, 60 writes: fsync time / wall (traced)",
         "%.2fs / %.2fs = %.0f%%; %.1f syncs, %.1fms a write" % (
             sync, t, 100 * sync / t, calls / 60, 1e3 * t / 60),
         value=(100 * sync / t, "%"))


# The floor of a report: what sqlite3 itself takes to read the same
# year's cases, the columns the report counts, and every child's person
# (in this store, the year's children), from the same indexes, counting
# only.  Paired with mash-report, it says how much a loaded machine
# slowed both.
REPORT_FLOOR_SQL = """
SELECT count(*), count(source), count(rag), count(screening_due),
  count(accepted_at), count(decision_due), count(closed_at), count(outcome)
  FROM cases WHERE received_at >= '2025-11-27T00:00:00Z'
  AND received_at < '2026-11-27T00:00:00Z';
SELECT count(*), count(person_id) FROM children WHERE case_id >= 0;
"""


def bench_report(eh, note):
    """mash-report over the year up to now on the big store, as the
    Head runs it (issue 19): every figure, one audit row."""
    t, t_sql = paired(["mash-report", "-o", "json", "--from", "2025-11-27",
                       "--to", "2026-11-26"],
                      ["sqlite3", "-batch", eh["MASH_DB"], REPORT_FLOOR_SQL],
                      max(RUNS, 5), env_a=eh)
    note("mash-report over a year of %d cases / sqlite3 reading it" % CASES,
         "%.0fms / %.0fms = %.2fx" % (t * 1e3, t_sql * 1e3, t / t_sql),
         "< 1s", t < 1, value=(t * 1e3, "ms"))


# every row noted in this run, for history.tsv: (measure, value, unit,
# result, target, met)
NOTED = []


def recorder(res):
    """A note(name, result, target, met, value=(number, unit)) that
    keeps and prints a row: the result as people read it, and the one
    number that history.tsv keeps of it, in one unit (s, ms, ratio...)."""
    def note(name, result, target=None, met=None, value=(None, "")):
        res.append((name, result, target or "", "" if met is None else
                    ("yes" if met else "NO")))
        NOTED.append((name, value[0], value[1]) + res[-1][1:])
        print("%-44s %-24s %-16s %s" % res[-1], flush=True)
    return note


def bench_chain(csv, imp_db, note):
    """The chain's cost: the same import, by programs built without it."""
    nb = nochain_bin()
    none_db = os.path.join(WORK, "nochain.db")
    t_chain, t_none = paired(["mash-refer", "--csv", csv],
                             ["mash-refer", "--csv", csv], RUNS,
                             env_a=dict(ENV, MASH_DB=imp_db),
                             env_b=dict(ENV, MASH_DB=none_db,
                                        PATH=nb + ":" + ENV["PATH"]),
                             setup_a=lambda: fresh_store(imp_db),
                             setup_b=lambda: fresh_store(none_db))
    note("import %d rows: with the audit chain / without" % ROWS,
         "%.2fs / %.2fs = %.3fx" % (t_chain, t_none, t_chain / t_none),
         value=(t_chain / t_none, "ratio"))


def bench_queues(big, eh, note, where, target):
    """Each queue on the big store, and its floor; where says which of
    its cases are open, target whether the row has one."""
    for name, cmd, floor in QUEUES:
        t, t_sql = paired(cmd, ["sqlite3", "-batch", "-json", big, floor],
                          max(RUNS, 11), env_a=eh)
        note("%s on %d cases, %s" % (name, CASES, where),
             "%.1fms (sqlite3 reading the same %.1fms = %.2fx)" % (
                 t * 1e3, t_sql * 1e3, t / t_sql),
             "< 50ms" if target else "", t < 0.05 if target else None,
             value=(t * 1e3, "ms"))


def chained_big_store(note):
    """The big store, its audit rows (written with SQL) chained as mash
    would, and mash-audit verify on it; returns its environment."""
    big = os.path.join(WORK, "big.db")
    eb, t_fill = big_store(big)
    note("build store of %d cases (setup)" % CASES, "%.1fs" % t_fill,
         value=(t_fill, "s"))
    t, _, rc = run(["python3", os.path.join(HERE, "rechain.py"), "rechain",
                    big], stderr=None)
    if rc != 0:
        sys.exit("bench: cannot chain the big store")
    note("chain its audit rows with rechain.py (setup)", "%.1fs" % t,
         value=(t, "s"))
    t = median_of(["mash-audit", "verify"], env=eb, runs=max(1, RUNS // 2))
    note("mash-audit verify on %d cases" % CASES, "%.2fs" % t,
         value=(t, "s"))
    return big, eb


def main():
    os.makedirs(WORK, exist_ok=True)
    res = []
    note = recorder(res)

    csv = os.path.join(WORK, "police.csv")
    gen_csv(csv, ROWS)
    imp_db = os.path.join(WORK, "import.db")
    raw_db = os.path.join(WORK, "raw.db")
    e = dict(ENV, MASH_DB=imp_db)

    def fresh_raw():
        if os.path.exists(raw_db):
            os.unlink(raw_db)
    floor_db = os.path.join(WORK, "floor.db")
    floor_sql = os.path.join(WORK, "floor.sql")
    with open(floor_sql, "w") as f:
        f.write(FLOOR_SQL % {"csv": csv, "now": NOW})
    nm = nomatch_bin()
    nm_db = os.path.join(WORK, "nomatch.db")
    e_nm = dict(ENV, MASH_DB=nm_db, PATH=nm + ":" + ENV["PATH"])
    # in turn, all four: on a shared machine the speed of each drifts
    # within minutes, and a floor timed apart moved the ratio by half
    t_imp, t_raw, t_floor, t_nm = in_turn([
        dict(cmd=["mash-refer", "--csv", csv], env=e,
             setup=lambda: fresh_store(imp_db)),
        dict(cmd=["sqlite3", raw_db, ".import --csv %s police" % csv],
             setup=fresh_raw),
        dict(cmd=["sqlite3", "-batch", floor_db, ".read " + floor_sql],
             setup=lambda: fresh_store(floor_db)),
        dict(cmd=["mash-refer", "--csv", csv], env=e_nm,
             setup=lambda: fresh_store(nm_db))], RUNS)
    # the file's bare load, for scale: the floor below is the target
    r = t_imp / t_raw
    note("import %d rows: mash / sqlite3 .import" % ROWS,
         "%.2fs / %.2fs = %.2fx" % (t_imp, t_raw, r), value=(r, "ratio"))
    bench_chain(csv, imp_db, note)
    r = t_imp / t_floor
    note("floor: .import + the same rows set-based into mash's tables",
         "%.2fs = %.2fx .import; mash %.2fx floor" % (
             t_floor, t_floor / t_raw, r), "mash <= 1.5x floor", r <= 1.5,
         value=(r, "ratio"))
    # the floor offers no possible matches: mash without them, beside it
    note("the import without matching (a build for this only) / floor",
         "%.2fs = %.2fx; matching %.0f%% of mash's time" % (
             t_nm, t_nm / t_floor, 100 * (1 - t_nm / t_imp)),
         value=(t_nm / t_floor, "ratio"))

    # memory: 100 000 rows against a million (half the file, if smaller)
    nsmall = 100000 if ROWS > 100000 else ROWS // 2
    small = os.path.join(WORK, "police-small.csv")
    gen_csv(small, nsmall)
    mem = []
    for f in (small, csv):
        fresh_store(imp_db)
        _, kib, rc = run(["mash-refer", "--csv", f], env=e)
        if rc != 0:
            sys.exit("bench: the import of %s failed" % f)
        mem.append(kib / 1024)
    note("import peak RSS %d / %d rows" % (nsmall, ROWS),
         "%.1f / %.1f MiB" % tuple(mem), "< 32 MiB, flat",
         max(mem) < 32 and mem[1] <= mem[0] * 1.25, value=(mem[1], "MiB"))

    big, eb = chained_big_store(note)
    t_over, t_sql = paired(["mash-overdue", "-o", "json"],
                           ["sqlite3", "-batch", "-json", big, OVERDUE_SQL],
                           max(RUNS, 21), ok_a=(0, 1), env_a=eb)
    r = t_over / t_sql
    note("mash-overdue on %d cases / raw SQL" % CASES,
         "%.1fms / %.1fms = %.2fx" % (t_over * 1e3, t_sql * 1e3, r),
         "<= 1.3x, < 50ms", r <= 1.3 and t_over < 0.05, value=(r, "ratio"))
    eh = dict(eb, MASH_USER="head")
    bench_queues(big, eh, note, "the open ones the newest", True)
    # a case with the MASH, its request out: the newest but two
    t = median_of(["mash-record", str(CASES - 2)], env=eh,
                  runs=max(RUNS, 11))
    note("mash-record CASE on %d cases" % CASES, "%.1fms" % (t * 1e3),
         value=(t * 1e3, "ms"))
    bench_report(eh, note)

    # matching at scale: one contact about a child the store knows.  The
    # big store's children are all "ChildN Generated", so its name is
    # close to every child born that day (about CASES / 6570 of them):
    # each contact writes that many possible matches.  A new child with
    # a name of the import's kind, close to none of them, is what most
    # contacts are: its candidates are read and let go.
    n = [0]
    dob = (datetime.date(2008, 1, 1) + datetime.timedelta(
        days=400 * 7919 % 6570)).isoformat()

    def refer(child):
        n[0] += 1
        return ["mash-refer", "-o", "json", "--source", "police", "--ref",
                "M/%d" % n[0], "--concern", "seen again", "--child",
                child(n[0]), "--dob", dob]

    def new_child(i):
        return "%s %s" % (GIVEN[i * 37 % len(GIVEN)], (SYLL[i * 7 % 20] +
                          SYLL[(i * 13 + 5) % 20] + SYLL[(i * 3 + 11) % 20]
                          ).title())
    for what, child in (("", lambda i: "Child400 Generated"),
                        (", a name close to none born that day",
                         new_child)):
        t = median_of(lambda: refer(child), runs=max(RUNS, 11), env=eb)
        note("mash-refer with matching on %d cases%s" % (CASES, what),
             "%.1fms" % (t * 1e3), "< 10ms", t < 0.01,
             value=(t * 1e3, "ms"))

    open_cases(big, SPREAD)
    bench_queues(big, eh, note, "the open ones spread over the year", False)

    # the import again, into a copy of the big store: every child is
    # matched against a million others, as at a hub after some years
    grown = os.path.join(WORK, "grown.db")

    def copy_big():
        for suffix in ("-wal", "-shm"):
            if os.path.exists(grown + suffix):
                os.unlink(grown + suffix)
        shutil.copyfile(big, grown)
    # and mash without matching into the same copy, in the same turns:
    # how much of the growth is the candidates matching reads
    t_small, t, t_gnm = in_turn([
        dict(cmd=["mash-refer", "--csv", small], env=e,
             setup=lambda: fresh_store(imp_db)),
        dict(cmd=["mash-refer", "--csv", small],
             env=dict(ENV, MASH_DB=grown), setup=copy_big),
        dict(cmd=["mash-refer", "--csv", small],
             env=dict(e_nm, MASH_DB=grown), setup=copy_big)],
        max(1, RUNS // 2))
    r = t / t_small
    note("import %d rows into the store of %d cases" % (nsmall, CASES),
         "%.2fs = %.2fx into a new store" % (t, r), "<= 1.5x", r <= 1.5,
         value=(r, "ratio"))
    # the floor's rows, the same file, into the same two stores: what
    # the larger tables cost any writer, matching none
    small_sql = os.path.join(WORK, "floor-small.sql")
    with open(small_sql, "w") as f:
        f.write(FLOOR_SQL % {"csv": small, "now": NOW})
    tf_new, tf_grown = paired(
        ["sqlite3", "-batch", floor_db, ".read " + small_sql],
        ["sqlite3", "-batch", grown, ".read " + small_sql],
        max(1, RUNS // 2), setup_a=lambda: fresh_store(floor_db),
        setup_b=copy_big)
    note("its floor into the same two stores (no matching)",
         "%.2fs / %.2fs = %.2fx; mash's growth %.2fx the floor's" % (
             tf_grown, tf_new, tf_grown / tf_new, r / (tf_grown / tf_new)),
         value=(tf_grown / tf_new, "ratio"))
    note("the same into the big store: mash / without matching",
         "%.2fs / %.2fs; without, %.2fx its floor there" % (
             t, t_gnm, t_gnm / tf_grown),
         value=(t_gnm / tf_grown, "ratio"))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(grown + suffix):
            os.unlink(grown + suffix)

    empty = os.path.join(WORK, "empty.db")
    ee = fresh_store(empty)
    t_list, t_sq = paired(["mash-admin", "user", "list"],
                          ["sqlite3", ":memory:", "select 1"], 31, env_a=ee)
    r = t_list / t_sq
    note("start-up: listing on an empty store / sqlite3",
         "%.2fms / %.2fms = %.2fx" % (t_list * 1e3, t_sq * 1e3, r),
         "<= 1.5x", r <= 1.5, value=(r, "ratio"))

    # one child referred again and again, and a namesake close to it:
    # a contact that gives the namesake its first NHS number withdraws
    # the matches of every earlier contact, so it must not grow with
    # their number faster than they do
    def repeated(n):
        db = os.path.join(WORK, "repeat%d.db" % n)
        er = fresh_store(db)
        f = os.path.join(WORK, "repeat%d.csv" % n)
        with open(f, "w") as out:
            out.write("reference,source,child_given_name,child_family_name,"
                      "child_dob,child_nhs_number,concern\n")
            out.write("K/0,police,Kara,Lee,2015-07-07,,seen\n")
            for i in range(n):
                out.write("R/%d,police,Cara,Lee,2015-07-07,%s,seen\n" %
                          (i, "9434765919" if i % 2 else ""))
        if run(["mash-refer", "--csv", f], env=er)[2] != 0:
            sys.exit("bench: cannot fill " + db)
        return db, er
    few, e_few = repeated(20)
    many, e_many = repeated(2000)

    def copies(db):
        def setup():
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + ".run" + suffix):
                    os.unlink(db + ".run" + suffix)
            # the log too, should a program have left one
            for suffix in ("", "-wal"):
                if os.path.exists(db + suffix):
                    shutil.copyfile(db + suffix, db + ".run" + suffix)
        return setup
    kara = ["mash-refer", "--source", "police", "--ref", "K/1", "--concern",
            "again", "--child", "Kara Lee", "--dob", "2015-07-07",
            "--nhs-number", "4010232137"]
    t_many, t_few = paired(kara, kara, max(RUNS, 11),
                           env_a=dict(e_many, MASH_DB=many + ".run"),
                           env_b=dict(e_few, MASH_DB=few + ".run"),
                           setup_a=copies(many), setup_b=copies(few))
    # a hundred times the contacts: linear work stays far under 10x,
    # the square of them (0.47 s against 0.012 s once) far over
    r = t_many / t_few
    note("a contact withdrawing 2000 / 20 earlier contacts' matches",
         "%.1fms / %.1fms = %.2fx" % (t_many * 1e3, t_few * 1e3, r),
         "<= 10x", r <= 10, value=(r, "ratio"))

    conc = os.path.join(WORK, "conc.db")
    ec = fresh_store(conc)
    wps, fails = concurrent_writers(ec)
    note("8 concurrent writers", "%.0f writes/s, %d failed" % (wps, fails),
         "0 failures", fails == 0, value=(wps, "writes/s"))
    writers_floor(wps, note)
    write_results(res, None if os.environ.get("BENCH_ONLY") == "sqlite"
                  else pg_only())


def pg_only():
    """Only the rows of PostgreSQL beside SQLite (BENCH_ONLY=pg): their
    section of results.md, or None when they were skipped."""
    res = []
    load = pg_compare(recorder(res))
    return pg_section(res, load) if load else None


# --- PostgreSQL beside SQLite (issue 20, BENCH_ONLY=pg) ---

PG_SECTION = "## PostgreSQL beside SQLite"

# the big store's rows on PostgreSQL: those of BIG_SQL and OPEN_SQL's
# NEWEST, each state set in the one pass.  Audit rows without their hash, as
# on SQLite: mash-overdue reads only the last row's hash, to chain its
# own row to; the ids follow the program's own rows (it numbers them
# itself and never asks the identity), and the identities are moved
# past the ids given here.
PG_BIG_SQL = """
\\set ON_ERROR_STOP on
BEGIN;
INSERT INTO cases (id, state, rag, source, reference, received_at, created_at,
  created_by, concern, screening_due, accepted_at, assigned_to, decision_due,
  summary, recommendation, outcome, closed_at)
SELECT i, st,
  CASE st WHEN 'screened' THEN 'amber' WHEN 'mash' THEN 'red'
    WHEN 'recorded' THEN 'amber' ELSE 'green' END,
  '6', 'BIG/' || i, recv, '2026-01-01T00:00:00Z', 'admin',
  'generated concern text for case ' || i, due,
  CASE WHEN st IN ('mash', 'recorded') THEN recv END,
  CASE WHEN st IN ('mash', 'recorded') THEN 'sw' END,
  CASE WHEN st IN ('mash', 'recorded') THEN due END,
  CASE WHEN st = 'recorded' THEN 'generated' END,
  CASE WHEN st = 'recorded' THEN 'nfa' END,
  CASE WHEN st = 'closed' THEN 'nfa' END,
  CASE WHEN st = 'closed' THEN '2026-01-02T00:00:00Z' END
FROM generate_series(1::bigint, %(cases)d) AS g(i),
LATERAL (SELECT
  CASE WHEN i <= %(newest_from)d THEN 'closed'
    WHEN i %% 4 = 1 THEN 'screened' WHEN i %% 4 = 2 THEN 'mash'
    WHEN i %% 4 = 3 THEN 'recorded' ELSE 'new' END AS st,
  to_char(timestamp '2026-11-26 10:00:00'
    - make_interval(mins => ((%(cases)d - i) / 2)::int),
    'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS recv,
  to_char(timestamp '2026-11-26 10:00:00'
    + make_interval(mins => ((i * 7919) %% 43200 - 21600)::int),
    'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS due) AS x;
INSERT INTO persons (id) SELECT id FROM cases;
INSERT INTO children (case_id, person_id, given_name, family_name, name_key,
  dob, gender, postcode)
SELECT id, id, 'Child' || id, 'Generated', 'child' || id || 'generated',
  to_char(date '2008-01-01' + ((id * 7919) %% 6570)::int, 'YYYY-MM-DD'),
  'unknown', 'LS6 2AB' FROM cases ORDER BY id;
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
SELECT id, 'police', accepted_at, 'sw', decision_due FROM cases
  WHERE state = 'mash' ORDER BY id;
INSERT INTO audit (id, at, actor, action, case_id, details)
SELECT a.last + c.id, c.created_at, 'admin', 'refer', c.id, '{}'
FROM cases c, (SELECT coalesce(max(id), 0) AS last FROM audit) a
ORDER BY c.id;
SELECT setval(pg_get_serial_sequence(t, 'id'), m) FROM (VALUES
  ('cases', (SELECT max(id) FROM cases)),
  ('persons', (SELECT max(id) FROM persons)),
  ('children', (SELECT max(id) FROM children)),
  ('requests', (SELECT coalesce(max(id), 1) FROM requests)),
  ('audit', (SELECT max(id) FROM audit))) AS s(t, m);
COMMIT;
VACUUM ANALYZE;
"""


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


class Pg:
    """A throwaway server (tests/pg/server.sh) in a new directory of
    /tmp, and mash's stores in its databases, each made as the issue's
    hub makes one: the role admin, a member of the group role mash,
    owns the database and runs mash-admin init.  The programs refuse
    MASH_USER and MASH_NOW there: the user is the connecting role
    (PGUSER) and the clock is libfaketime's, set to NOW."""

    def __init__(self, bindir, faketime):
        self.bin = bindir
        self.dir = tempfile.mkdtemp(prefix="mash-bench-pg.", dir="/tmp")
        self.server = os.path.join(os.path.dirname(HERE), "pg", "server.sh")
        if run(["sh", self.server, "start", self.dir], stderr=None)[2] != 0:
            shutil.rmtree(self.dir, ignore_errors=True)
            sys.exit("bench: cannot start the PostgreSQL server")
        base = dict(ENV, PGUSER="admin", PGHOST=self.dir)
        for k in ("MASH_USER", "MASH_NOW", "PGDATABASE"):
            base.pop(k, None)
        when = datetime.datetime.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ")
        self.clock = dict(LD_PRELOAD=faketime, FAKETIME_FMT="%s",
                          FAKETIME="%d" % when.replace(
                              tzinfo=datetime.timezone.utc).timestamp(),
                          FAKETIME_DONT_FAKE_MONOTONIC="1")
        self.base = base
        self.psql("CREATE ROLE admin LOGIN IN ROLE mash")

    def psql(self, *sql, db="postgres", script=None):
        cmd = [os.path.join(self.bin, "psql"), "-X", "-q", "-h", self.dir,
               "-U", "mashtest", "-d", db]
        for s in sql:
            cmd += ["-c", s]
        if script:
            cmd += ["-f", script]
        t, _, rc = run(cmd, stderr=None, env=dict(
            self.base, PGOPTIONS="-c client_min_messages=warning"))
        if rc != 0:
            sys.exit("bench: psql failed: %r" % (sql or script,))
        return t

    def uri(self, db):
        return "postgresql:///%s?host=%s" % (db, self.dir)

    def env(self, db, clock=True):
        """The environment of a program on store db, at NOW if clock."""
        e = dict(self.base, MASH_DB=self.uri(db))
        if clock:
            e.update(self.clock)
        return e

    def fresh(self, db):
        """A new store in database db, with fresh_store()'s users."""
        self.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db,
                  "CREATE DATABASE %s OWNER admin" % db)
        e = self.env(db)
        if run(["mash-admin", "init"], env=e)[2] != 0:
            sys.exit("bench: cannot init " + self.uri(db))
        for login, role in (("head", "head"), ("screener", "screener"),
                            ("sw", "social-worker")):
            run(["mash-admin", "user", "add", login, "--role", role], env=e)
        return e

    def cpu(self):
        """Seconds of CPU the server has used: the postmaster, its
        live processes, and those ended (reaped into its children's)."""
        tick = os.sysconf("SC_CLK_TCK")
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
            pm = int(f.readline())
        total = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    st = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(pid) == pm:
                total += sum(int(x) for x in st[11:15])
            elif int(st[1]) == pm:
                total += int(st[11]) + int(st[12])
        return total / tick

    def stop(self):
        run(["sh", self.server, "stop", self.dir], stderr=None)
        shutil.rmtree(self.dir, ignore_errors=True)


def pg_tools():
    """The server's programs and libfaketime, or None and why not."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                  key=lambda p: int(p.split("/")[4]) if
                  p.split("/")[4].isdigit() else 0)
    ft = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not bins:
        return None, None, "no initdb: install postgresql-15"
    if not ft:
        return None, None, "no libfaketime: install libfaketime"
    return os.path.dirname(bins[-1]), ft[0], None


def pg_fill_big(pg, db):
    """The big store on PostgreSQL: the seconds it took to fill."""
    e = pg.fresh(db)
    script = os.path.join(WORK, "pg-big.sql")
    with open(script, "w") as f:
        f.write(PG_BIG_SQL % {"cases": CASES, "newest_from": NEWEST_FROM})
    return e, pg.psql(db=db, script=script)


def pg_import_profile(pg, csv, note):
    """Where one PostgreSQL import's time goes: the program's CPU, the
    server's, and the rest, waiting for each other; and the round trips
    a row costs, counted by strace on a smaller file."""
    e = pg.fresh("profile")
    s0 = pg.cpu()
    wall, _, rc, ru = run_usage(["mash-refer", "--csv", csv], env=e)
    time.sleep(0.5)		# the backend reaped into the postmaster's
    server = pg.cpu() - s0
    if rc != 0:
        sys.exit("bench: the PostgreSQL import failed")
    client = ru.ru_utime + ru.ru_stime
    note("PostgreSQL import %d rows: wall / mash-refer CPU / server CPU"
         % ROWS, "%.1fs / %.1fs / %.1fs; %.0f%% neither" % (
             wall, client, server, 100 * max(0, wall - client - server) /
             wall), value=(wall, "s"))
    if shutil.which("strace") is None:
        return
    n = min(ROWS, 5000)
    small = os.path.join(WORK, "police-rt.csv")
    gen_csv(small, n)
    e = pg.fresh("profile")
    out = os.path.join(WORK, "strace.txt")
    # a round trip is a wait for the server's answer: a poll (a
    # statement sent down the pipeline and not waited for is a send
    # without one)
    if run(["strace", "-f", "-c", "-o", out, "-e", "trace=poll,ppoll",
            "mash-refer", "--csv", small], env=e)[2] != 0:
        return
    with open(out) as f:
        calls = [int(line.split()[3]) for line in f
                 if line.split() and line.split()[-1] in ("poll", "ppoll")]
    if calls:
        note("round trips to the server per CSV row (strace, %d rows)" % n,
             "%.1f" % (sum(calls) / n), value=(sum(calls) / n, "per row"))


def run_usage(cmd, env):
    """run(), with the resource usage of the program too."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t0, ru.ru_maxrss,
            os.waitstatus_to_exitcode(status), ru)


def pg_connect_cost(pg, db):
    """What start-up costs on PostgreSQL beyond SQLite's, in one
    process (pgconnect.c): medians of libpq's dlopen, the connection,
    and one transaction that takes the lock."""
    prog = os.path.join(WORK, "pgconnect")
    if subprocess.run(["cc", "-O2", "-o", prog,
                       os.path.join(HERE, "pgconnect.c"), "-ldl"]).returncode:
        return None
    cols = [[], [], []]
    for _ in range(31):
        p = subprocess.run([prog, pg.uri(db)], env=pg.env(db, clock=False),
                           capture_output=True, text=True)
        if p.returncode != 0:
            return None
        for c, v in zip(cols, p.stdout.split()):
            c.append(float(v))
    return [statistics.median(c) for c in cols]


def pg_compare(note):
    """The rows of PostgreSQL beside SQLite's, each pair in turn in the
    one run; None if the server's programs are not installed."""
    bindir, faketime, why = pg_tools()
    if why:
        print("bench: PostgreSQL skipped: %s" % why, flush=True)
        return None
    load = [loadavg()]
    os.makedirs(WORK, exist_ok=True)
    csv = os.path.join(WORK, "police.csv")
    if not os.path.exists(csv) or os.path.getsize(csv) == 0 or \
            sum(1 for _ in open(csv)) != ROWS + 1:
        gen_csv(csv, ROWS)
    pg = Pg(bindir, faketime)
    try:
        # the import, into a new store each time, in turn
        imp_db = os.path.join(WORK, "import.db")
        runs = max(3, RUNS // 2)
        t_sq, t_pg = paired(["mash-refer", "--csv", csv],
                            ["mash-refer", "--csv", csv], runs,
                            env_a=dict(ENV, MASH_DB=imp_db),
                            env_b=pg.env("import"),
                            setup_a=lambda: fresh_store(imp_db),
                            setup_b=lambda: pg.fresh("import"))
        note("import %d rows: SQLite / PostgreSQL" % ROWS,
             "%.2fs / %.2fs = %.2fx" % (t_sq, t_pg, t_pg / t_sq),
             value=(t_pg / t_sq, "ratio"))
        pg_import_profile(pg, csv, note)

        # mash-overdue on the big stores, unchained on both
        big = os.path.join(WORK, "big-pg.db")
        eb, t_fill = big_store(big)
        e_pg, t_fill_pg = pg_fill_big(pg, "big")
        note("build store of %d cases (setup): SQLite / PostgreSQL" % CASES,
             "%.1fs / %.1fs" % (t_fill, t_fill_pg), value=(t_fill_pg, "s"))
        t_sq, t_pg = paired(["mash-overdue", "-o", "json"],
                            ["mash-overdue", "-o", "json"], max(RUNS, 21),
                            ok_a=(0, 1), ok_b=(0, 1), env_a=eb, env_b=e_pg)
        note("mash-overdue on %d cases: SQLite / PostgreSQL" % CASES,
             "%.1fms / %.1fms = %.2fx" % (t_sq * 1e3, t_pg * 1e3,
                                          t_pg / t_sq),
             value=(t_pg / t_sq, "ratio"))
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(big + suffix):
                os.unlink(big + suffix)
        pg.psql("DROP DATABASE big WITH (FORCE)")

        # start-up: the clock does not matter to a listing, so the
        # program runs on PostgreSQL without libfaketime preloaded
        empty = os.path.join(WORK, "empty.db")
        ee = fresh_store(empty)
        pg.fresh("empty")
        t_sq, t_pg = paired(["mash-admin", "user", "list"],
                            ["mash-admin", "user", "list"], 31, env_a=ee,
                            env_b=pg.env("empty", clock=False))
        note("start-up: listing on an empty store: SQLite / PostgreSQL",
             "%.2fms / %.2fms = %.2fx, +%.2fms" % (
                 t_sq * 1e3, t_pg * 1e3, t_pg / t_sq, (t_pg - t_sq) * 1e3),
             value=(t_pg / t_sq, "ratio"))
        c = pg_connect_cost(pg, "empty")
        if c:
            note("of it: libpq loaded / connected / a locked transaction",
                 "%.2fms / %.2fms / %.2fms" % tuple(c),
                 value=(sum(c), "ms"))

        # 8 concurrent writers, one engine after the other
        conc = os.path.join(WORK, "conc.db")
        wps, fails = concurrent_writers(fresh_store(conc))
        wps_pg, fails_pg = concurrent_writers(pg.fresh("conc"))
        note("8 concurrent writers: SQLite / PostgreSQL",
             "%.0f / %.0f writes/s, %d / %d failed" % (
                 wps, wps_pg, fails, fails_pg), "0 failures",
             fails == 0 and fails_pg == 0, value=(wps_pg, "writes/s"))
    finally:
        pg.stop()
    load.append(loadavg())
    return load


def git(*args):
    """A git command's output in the source tree, or None."""
    p = subprocess.run(["git", "-C", os.path.dirname(os.path.dirname(HERE))]
                       + list(args), capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def commit():
    """The commit built, as git rev-parse --short names it, and "-dirty"
    when a tracked file differs from it (git describe --dirty's rule),
    the files that this program writes aside."""
    head = git("rev-parse", "--short", "HEAD")
    if head is None:
        return "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--",
                  ".", ":(exclude)tests/bench/history.tsv",
                  ":(exclude)tests/bench/results*.md")
    return head + ("-dirty" if changed else "")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def memory():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return "%.1f GiB memory" % (int(line.split()[1]) /
                                                2**20)
    except OSError:
        pass
    return "unknown memory"


def huge_pages():
    """The kernel's transparent huge page mode: where it is "never", the
    programs keep SQLite's page cache in malloc'd pages (db-sqlite.c),
    and a queue takes a page fault for each page of its cache."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            mode = f.read()
    except OSError:
        return "huge pages unknown"
    for word in mode.split():
        if word.startswith("["):
            return "huge pages %s" % word.strip("[]")
    return "huge pages unknown"


def rotational(dev):
    """Whether the block device dev (major, minor) spins, from
    /sys/block (its disk's, for a partition): "rotational", "not
    rotational" or "unknown"."""
    d = os.path.realpath("/sys/dev/block/%d:%d" % dev)
    if os.path.exists(os.path.join(d, "partition")):
        d = os.path.dirname(d)
    try:
        with open(os.path.join(d, "queue", "rotational")) as f:
            return "rotational" if f.read().strip() == "1" else \
                "not rotational"
    except OSError:
        return "unknown"


def disk(path):
    """The disk holding path: its device, file system type and whether
    it spins, from /proc/self/mountinfo and /sys/block; "unknown"
    where they do not say."""
    while not os.path.exists(path):
        path = os.path.dirname(path)
    st = os.stat(path)
    dev = (os.major(st.st_dev), os.minor(st.st_dev))
    best = None
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                a, b = line.split(" - ", 1)
                a, b = a.split(), b.split()
                if a[2] == "%d:%d" % dev and (path + "/").startswith(
                        a[4].rstrip("/") + "/") and \
                        (best is None or len(a[4]) > len(best[0])):
                    best = (a[4], b[1], b[0])
    except (OSError, IndexError, ValueError):
        pass
    if best is None:
        return "unknown"
    return "%s (%s, %s)" % (best[1], best[2], rotational(dev))


def run_info():
    """What every line of this run names, fixed when it starts: when,
    which commit, on what machine, how loaded, and which part."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M:%S UTC"),
        "commit": commit(),
        "machine": "%s, %d cores, %s, %s %s, %s; WORK on %s" % (
            cpu_model(), os.cpu_count() or 0, memory(), platform.system(),
            platform.release(), huge_pages(), disk(WORK)),
        "load": loadavg(),
        "part": os.environ.get("BENCH_ONLY") or "all",
    }


INFO = None


def info():
    global INFO
    if INFO is None:
        INFO = run_info()
    return INFO


def machine():
    """The lines every section starts with: when, what, where."""
    i = info()
    return "- date: %s\n- commit: %s\n- machine: %s\n" % (
        i["date"], i["commit"], i["machine"])


HISTORY_COLS = ("date", "commit", "machine", "load", "part", "measure",
                "value", "unit", "result", "target", "met")


def history_path():
    return os.environ.get("BENCH_HISTORY") or os.path.join(HERE,
                                                           "history.tsv")


def write_history(rows):
    """A line a row at the end of history.tsv, its header first if the
    file is new: the run's date, commit, machine, load and part, then
    the measure, its value in its unit, and the result, target and met
    as printed.  A row without a number leaves value empty."""
    if not rows:
        return
    i = info()
    path = history_path()
    new = not os.path.exists(path) or os.path.getsize(path) == 0

    def cell(v):
        if isinstance(v, float):
            v = "%.6g" % v
        return " ".join(str(v if v is not None else "").split())
    with open(path, "a") as f:
        if new:
            f.write("\t".join(HISTORY_COLS) + "\n")
        for measure, value, unit, result, target, met in rows:
            f.write("\t".join(cell(v) for v in (
                i["date"], i["commit"], i["machine"], i["load"], i["part"],
                measure, value, unit, result, target, met)) + "\n")


def table(res):
    return "| measure | result | target | met |\n|---|---|---|---|\n" + \
        "".join("| %s | %s | %s | %s |\n" % r for r in res)


def pg_section(res, load):
    """The section of the PostgreSQL rows, as results.md has it."""
    bindir = pg_tools()[0]
    version = subprocess.run([os.path.join(bindir, "postgres"), "--version"],
                             capture_output=True, text=True).stdout.strip()
    return ("%s\n\n%s- server: %s, tests/pg/server.sh (a Unix socket, "
            "fsync off), on the same machine\n"
            "- sizes: %d CSV rows, %d cases; medians of %d+ runs, the "
            "engines in turn\n"
            "- load average (1, 5, 15 minutes): %s at the start, %s at "
            "the end\n\n%s" % (PG_SECTION, machine(), version, ROWS, CASES,
                               max(3, RUNS // 2), load[0], load[1],
                               table(res)))


def results_path():
    return os.path.join(HERE, os.environ.get("BENCH_OUT", "results.md"))


def write_results(res, pg=None):
    """results.md: the table, and pg, the section of the PostgreSQL
    rows, if there is one."""
    with open(results_path(), "w") as f:
        f.write("# mash benchmark results\n\n")
        f.write(machine())
        f.write("- load average (1, 5, 15 minutes) at the start: %s\n" %
                info()["load"])
        f.write("- sizes: %d CSV rows, %d cases; medians of %d+ runs\n\n" %
                (ROWS, CASES, RUNS))
        f.write(table(res))
        if pg:
            f.write("\n" + pg)


def write_pg_section(section):
    """The section of the PostgreSQL rows in results.md, in place of
    the one there was; the rest of the file kept."""
    try:
        with open(results_path()) as f:
            head = f.read()
    except FileNotFoundError:
        head = "# mash benchmark results\n"
    head = head.split("\n" + PG_SECTION, 1)[0].rstrip("\n") + "\n\n"
    with open(results_path(), "w") as f:
        f.write(head + section)


def chain_and_report():
    """Only the rows of the audit chain and the report (BENCH_ONLY=
    chain-report): the import of ROWS with and without the chain, and
    mash-audit verify and mash-report on the store of CASES cases, each
    measured as main() measures it."""
    os.makedirs(WORK, exist_ok=True)
    res = []
    note = recorder(res)

    csv = os.path.join(WORK, "police.csv")
    gen_csv(csv, ROWS)
    bench_chain(csv, os.path.join(WORK, "import.db"), note)
    _, eb = chained_big_store(note)
    bench_report(dict(eb, MASH_USER="head"), note)
    write_results(res)


if __name__ == "__main__":
    print("bench: %s, commit %s, part %s\nbench: %s\n"
          "bench: load average %s" % (info()["date"], info()["commit"],
                                      info()["part"], info()["machine"],
                                      info()["load"]), flush=True)
    if os.environ.get("BENCH_ONLY") == "chain-report":
        chain_and_report()
    elif os.environ.get("BENCH_ONLY") == "pg":
        section = pg_only()
        if section:
            write_pg_section(section)
    else:
        main()
    write_history(NOTED)
