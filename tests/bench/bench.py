#!/usr/bin/env python3
"""mash benchmarks, side by side with the sqlite3 shell doing the same
raw work in the same run (issue 9).  Deterministic: every input comes
from a seeded generator.  Sized by BENCH_ROWS (CSV rows) and
BENCH_CASES (cases in the big store); prints a table and writes
tests/bench/results.md.

    python3 tests/bench/bench.py BINDIR WORKDIR
"""

import datetime
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
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


def paired(a, b, runs, ok_a=(0,), ok_b=(0,), env_a=ENV, env_b=ENV,
           setup_a=None, setup_b=None):
    """Medians of two commands run in turn, so that the machine's drift
    falls on both alike; setup_a and setup_b run, untimed, before each."""
    ta, tb = [], []
    for _ in range(runs):
        for cmd, ok, e, ts, setup in ((a, ok_a, env_a, ta, setup_a),
                                      (b, ok_b, env_b, tb, setup_b)):
            if setup:
                setup()
            t, _, rc = run(cmd, env=e)
            if rc not in ok:
                sys.exit("bench: %r exited %d" % (cmd, rc))
            ts.append(t)
    return statistics.median(ta), statistics.median(tb)


def median_of(cmd, runs=RUNS, ok=(0,), setup=None, **kw):
    """The median wall time of several runs; each must end in ok."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t, _, rc = run(cmd, **kw)
        if rc not in ok:
            sys.exit("bench: %r exited %d" % (cmd, rc))
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


def nochain_bin():
    """The programs built with MASH_AUDIT_NOCHAIN, which write audit rows
    without their hash: the cost of the chain, by its absence.  Only for
    this benchmark; mash-audit verify fails on what they write."""
    root = os.path.dirname(os.path.dirname(HERE))
    b = os.path.join(WORK, "nochain")
    cmd = ["make", "-s", "-C", root, "B=" + b, "BIN=" + b + "/bin",
           "CFLAGS=-O2 -g -DMASH_AUDIT_NOCHAIN", b + "/bin/mash-refer"]
    if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("bench: cannot build the programs without the chain")
    return b + "/bin"


def sqlite(db, sql, **kw):
    return ["sqlite3", "-batch", db, sql]


BIG_SQL = """
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(cases)d)
INSERT INTO cases (id, state, rag, source, reference, received_at, created_at,
  created_by, concern, screening_due, accepted_at, assigned_to, decision_due,
  outcome, closed_at)
SELECT i,
  CASE WHEN i %% 200 <> 0 THEN 'closed'
       ELSE ('new', 'screened', 'mash', 'recorded')[0] END,
  'green', '6', 'BIG/' || i,
  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-11-26T10:00:00Z',
    printf('-%%d minutes', (%(cases)d - i) / 2)),
  '2026-01-01T00:00:00Z', 'admin', 'generated concern text for case ' || i,
  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-11-26T10:00:00Z',
    printf('%%+d minutes', (i * 7919) %% 43200 - 21600)),
  NULL, NULL, NULL,
  CASE WHEN i %% 200 <> 0 THEN 'nfa' END,
  CASE WHEN i %% 200 <> 0 THEN '2026-01-02T00:00:00Z' END
FROM n;
COMMIT;
"""


# The floor of an import into mash's schema: what sqlite3 itself takes
# to .import the file and write the same rows into the same tables,
# indexes, foreign keys and audit, set-based, with nothing validated or
# matched.  No import through this schema can beat it.
FLOOR_SQL = """
.bail on
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -16384;
BEGIN;
CREATE TEMP TABLE raw (reference, received_at, source, risk, given, family,
  dob, gender, postcode, concern, categories, consent);
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
INSERT INTO persons (id) SELECT rowid FROM raw;
INSERT INTO children (case_id, person_id, given_name, family_name, name_key,
  dob, gender, postcode)
SELECT c.id, r.rowid, given, family, lower(given || family),
  substr(dob, 7, 4) || '-' || substr(dob, 4, 2) || '-' || substr(dob, 1, 2),
  gender, postcode
FROM raw r JOIN cases c ON c.source = '6' AND c.reference = r.reference
ORDER BY r.rowid;
INSERT INTO audit (at, actor, action, case_id, details)
SELECT '%(now)s', 'admin', 'refer', case_id, '{"source":"6"}'
FROM children ORDER BY id;
COMMIT;
"""


def big_store(path):
    """Many cases, mostly closed; one in 200 open, deadlines spread over
    a month around now, in every open state."""
    e = fresh_store(path)
    # SQLite has no tuple indexing: states are set in a second pass
    sql = BIG_SQL.replace("('new', 'screened', 'mash', 'recorded')[0]",
                          "'new'") % {"cases": CASES}
    sql += """
BEGIN;
UPDATE cases SET state = 'screened', rag = 'amber'
  WHERE state = 'new' AND id %% 800 = 200;
UPDATE cases SET state = 'mash', rag = 'red', assigned_to = 'sw',
  accepted_at = received_at, decision_due = screening_due
  WHERE state = 'new' AND id %% 800 = 400;
UPDATE cases SET state = 'recorded', rag = 'amber', assigned_to = 'sw',
  accepted_at = received_at, decision_due = screening_due,
  summary = 'generated', recommendation = 'nfa'
  WHERE state = 'new' AND id %% 800 = 600;
INSERT INTO persons (id) SELECT id FROM cases;
INSERT INTO children (case_id, person_id, given_name, family_name, name_key,
  dob, gender, postcode)
SELECT id, id, 'Child' || id, 'Generated', 'child' || id || 'generated',
  date('2008-01-01', printf('+%%d days', (id * 7919) %% 6570)),
  'unknown', 'LS6 2AB' FROM cases;
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
SELECT id, 'police', accepted_at, 'sw', decision_due FROM cases
  WHERE state = 'mash';
INSERT INTO audit (at, actor, action, case_id, details)
SELECT created_at, 'admin', 'refer', id, '{}' FROM cases;
COMMIT;
ANALYZE;
""".replace("%%", "%")
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


def concurrent_writers(e, writers=8, each=60):
    """writers processes, each recording contacts one after another."""
    script = ("i=0; while [ $i -lt %d ]; do i=$((i+1)); "
              "mash-refer --source police --ref W$1-$i --concern c "
              "--child 'Ava Moss' --dob 2016-03-02 >/dev/null "
              "|| echo fail; done") % each
    t0 = time.perf_counter()
    ps = [subprocess.Popen(["sh", "-c", script, "w", str(w)], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
          for w in range(writers)]
    fails = sum(p.communicate()[0].decode().count("fail") for p in ps)
    t = time.perf_counter() - t0
    return writers * each / t, fails


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
         "< 1s", t < 1)


def recorder(res):
    """A note(name, value, target, met) that keeps and prints a row."""
    def note(name, value, target=None, met=None):
        res.append((name, value, target or "", "" if met is None else
                    ("yes" if met else "NO")))
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
         "%.2fs / %.2fs = %.3fx" % (t_chain, t_none, t_chain / t_none))


def chained_big_store(note):
    """The big store, its audit rows (written with SQL) chained as mash
    would, and mash-audit verify on it; returns its environment."""
    big = os.path.join(WORK, "big.db")
    eb, t_fill = big_store(big)
    note("build store of %d cases (setup)" % CASES, "%.1fs" % t_fill)
    t, _, rc = run(["python3", os.path.join(HERE, "rechain.py"), "rechain",
                    big], stderr=None)
    if rc != 0:
        sys.exit("bench: cannot chain the big store")
    note("chain its audit rows with rechain.py (setup)", "%.1fs" % t)
    t = median_of(["mash-audit", "verify"], env=eb, runs=max(1, RUNS // 2))
    note("mash-audit verify on %d cases" % CASES, "%.2fs" % t)
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
    t_imp, t_raw = paired(["mash-refer", "--csv", csv],
                          ["sqlite3", raw_db, ".import --csv %s police" % csv],
                          RUNS, env_a=e, setup_a=lambda: fresh_store(imp_db),
                          setup_b=fresh_raw)
    r = t_imp / t_raw
    note("import %d rows: mash / sqlite3 .import" % ROWS,
         "%.2fs / %.2fs = %.2fx" % (t_imp, t_raw, r), "<= 2x", r <= 2)
    bench_chain(csv, imp_db, note)
    floor_db = os.path.join(WORK, "floor.db")
    floor_sql = os.path.join(WORK, "floor.sql")
    with open(floor_sql, "w") as f:
        f.write(FLOOR_SQL % {"csv": csv, "now": NOW})
    t_floor = median_of(["sqlite3", "-batch", floor_db, ".read " + floor_sql],
                        setup=lambda: fresh_store(floor_db))
    note("floor: .import + the same rows set-based into mash's tables",
         "%.2fs = %.2fx .import; mash %.2fx floor" % (
             t_floor, t_floor / t_raw, t_imp / t_floor))

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
         max(mem) < 32 and mem[1] <= mem[0] * 1.25)

    big, eb = chained_big_store(note)
    t_over, t_sql = paired(["mash-overdue", "-o", "json"],
                           ["sqlite3", "-batch", "-json", big, OVERDUE_SQL],
                           max(RUNS, 21), ok_a=(0, 1), env_a=eb)
    r = t_over / t_sql
    note("mash-overdue on %d cases / raw SQL" % CASES,
         "%.1fms / %.1fms = %.2fx" % (t_over * 1e3, t_sql * 1e3, r),
         "<= 1.5x, < 50ms", r <= 1.5 and t_over < 0.05)
    eh = dict(eb, MASH_USER="head")
    for name, cmd in (("screening queue (mash-screen)",
                       ["mash-screen", "-o", "json"]),
                      ("decision queue (mash-decide)",
                       ["mash-decide", "-o", "json"]),
                      ("mash-record CASE", ["mash-record", "400"])):
        t = median_of(cmd, env=eh, runs=max(RUNS, 11))
        note(name + " on %d cases" % CASES, "%.1fms" % (t * 1e3))
    bench_report(eh, note)

    # matching at scale: one contact about a child the store knows
    n = [0]

    def refer():
        n[0] += 1
        return ["mash-refer", "-o", "json", "--source", "police", "--ref",
                "M/%d" % n[0], "--concern", "seen again", "--child",
                "Child400 Generated", "--dob",
                (datetime.date(2008, 1, 1) + datetime.timedelta(
                    days=400 * 7919 % 6570)).isoformat()]
    times = []
    for _ in range(max(RUNS, 11)):
        t, _, rc = run(refer(), env=eb)
        if rc != 0:
            sys.exit("bench: mash-refer into the big store failed")
        times.append(t)
    note("mash-refer with matching on %d cases" % CASES,
         "%.1fms" % (statistics.median(times) * 1e3))

    # the import again, into a copy of the big store: every child is
    # matched against a million others, as at a hub after some years
    grown = os.path.join(WORK, "grown.db")

    def copy_big():
        for suffix in ("-wal", "-shm"):
            if os.path.exists(grown + suffix):
                os.unlink(grown + suffix)
        shutil.copyfile(big, grown)
    t_small, t = paired(["mash-refer", "--csv", small],
                        ["mash-refer", "--csv", small], max(1, RUNS // 2),
                        env_a=e, env_b=dict(ENV, MASH_DB=grown),
                        setup_a=lambda: fresh_store(imp_db), setup_b=copy_big)
    note("import %d rows into the store of %d cases" % (nsmall, CASES),
         "%.2fs = %.2fx into a new store" % (t, t / t_small))
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
         "<= 1.5x", r <= 1.5)

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
         "<= 10x", r <= 10)

    conc = os.path.join(WORK, "conc.db")
    ec = fresh_store(conc)
    wps, fails = concurrent_writers(ec)
    note("8 concurrent writers", "%.0f writes/s, %d failed" % (wps, fails),
         "0 failures", fails == 0)
    write_results(res)


def write_results(res):
    commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short",
                             "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open(os.path.join(HERE, os.environ.get("BENCH_OUT", "results.md")),
              "w") as f:
        f.write("# mash benchmark results\n\n")
        f.write("- date: %s\n" % datetime.datetime.now(
            datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
        f.write("- commit: %s\n" % commit)
        f.write("- machine: %s, %d cores, %s %s\n" % (
            cpu, os.cpu_count() or 0, platform.system(), platform.release()))
        f.write("- sizes: %d CSV rows, %d cases; medians of %d+ runs\n\n" %
                (ROWS, CASES, RUNS))
        f.write("| measure | result | target | met |\n|---|---|---|---|\n")
        for r in res:
            f.write("| %s | %s | %s | %s |\n" % r)


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
    if os.environ.get("BENCH_ONLY") == "chain-report":
        chain_and_report()
    else:
        main()
