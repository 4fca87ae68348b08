#!/bin/sh
# make bench's record of a run (tests/bench/bench.py): the machine, the
# commit and the load it names, and history.tsv, a line a measure, its
# header once.  Run through bench.py's own functions, not the
# benchmarks, which take minutes.
. "$(dirname "$0")/lib.sh"

plan 19

H=$T/history.tsv
# as a run of part pg would: two rows noted, one with no number, written
# to the history, then none, then one again
cat >"$T/run.py" <<'PY'
import os
import sys
sys.path.insert(0, os.path.join(os.environ["MASH_SRC"], "tests", "bench"))
import bench
note = bench.recorder([])
note("mash-overdue on 10 cases / raw SQL", "2.0ms / 1.0ms = 2.00x",
     "<= 1.5x", False, value=(2.0, "ratio"))
note("a row\twith a tab", "12 writes/s")
bench.write_history(bench.NOTED)
bench.write_history([])
bench.write_history(bench.NOTED[:1])
os.environ["BENCH_HISTORY"] = os.path.join(os.environ["T"], "none.tsv")
bench.write_history([])
i = bench.info()
with open(os.path.join(os.environ["T"], "info"), "w") as f:
    for k in ("date", "commit", "machine", "load", "part"):
        f.write("%s=%s\n" % (k, i[k]))
f = open(os.path.join(os.environ["T"], "lines"), "w")
f.write(bench.machine())
PY
# no __pycache__ left in the source tree
PYTHONDONTWRITEBYTECODE=1
export MASH_SRC T PYTHONDONTWRITEBYTECODE
BENCH_HISTORY=$H BENCH_ONLY=pg run python3 "$T/run.py" "$MASH_BIN" "$T/work"
check "bench.py's history and machine code run" [ "$rc" = 0 ]

# field NAME: a field of the run's info
field() { sed -n "s/^$1=//p" "$T/info"; }

hdr='date	commit	machine	load	part	measure	value	unit	result	target	met'
check "history.tsv: its header once, a line a row noted, no line for none" \
    [ "$(head -n 1 "$H")" = "$hdr" -a "$(grep -c "^$hdr\$" "$H")" = 1 \
    -a "$(wc -l <"$H")" = 4 ]
check "a run that noted nothing makes no history file" [ ! -e "$T/none.tsv" ]
check "every line has the 11 columns" \
    [ "$(awk -F '\t' 'NF != 11' "$H" | wc -l)" = 0 ]
check "the measure, its number, unit and result, target and met" \
    [ "$(sed -n 2p "$H" | cut -f 6-11)" = "mash-overdue on 10 cases / raw SQL	2	ratio	2.0ms / 1.0ms = 2.00x	<= 1.5x	NO" ]
check "a row with no number: value empty, its tab a space" \
    [ "$(sed -n 3p "$H" | cut -f 6-8)" = "a row with a tab		" ]
check "each line names the run: date, commit, machine, load, part" \
    [ "$(sed -n 4p "$H" | cut -f 1-5)" = "$(field date)	$(field commit)	$(field machine)	$(field load)	pg" ]

model=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -n 1)
case $(field machine) in
"${model:-unknown CPU}, $(getconf _NPROCESSORS_ONLN) cores, "*" GiB memory, "*)
	pass "the machine: the CPU model as /proc/cpuinfo names it, cores, memory" ;;
*)	fail "the machine: $(field machine)" ;;
esac
# what the queues' page faults depend on (db-sqlite.c)
thp=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' \
    /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
case $(field machine) in
*", huge pages ${thp:-unknown}; WORK on "*)
	pass "the machine: the kernel's transparent huge page mode" ;;
*)	fail "the machine, its huge pages: $(field machine)" ;;
esac
# the disk holding WORK, which does not exist yet: that of its parent
want=$(findmnt -n -o SOURCE,FSTYPE --target "$T" 2>/dev/null |
    awk '{ printf "%s (%s, ", $1, $2 }')
case $(field machine) in
*"; WORK on unknown") pass "the disk holding WORK: unknown here" ;;
*"; WORK on $want"*"rotational)"|*"; WORK on $want"*"unknown)")
	pass "the disk holding WORK: device, file system and rotational" ;;
*)	fail "the disk holding WORK: $(field machine), wanted $want" ;;
esac
check "the commit: rev-parse --short, -dirty when a tracked file changed" \
    sh -c 'echo "$1" | grep -Eqx "[0-9a-f]{7,}(-dirty)?|unknown"' sh \
    "$(field commit)"
check "the load average at the start: three numbers" \
    sh -c 'echo "$1" | grep -Eqx "[0-9.]+ [0-9.]+ [0-9.]+"' sh "$(field load)"
check "results.md's lines name the same date, commit and machine" \
    [ "$(cat "$T/lines")" = "- date: $(field date)
- commit: $(field commit)
- machine: $(field machine)" ]
check "the run's date: UTC, to the second" \
    sh -c 'echo "$1" | grep -Eqx "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC"' \
    sh "$(field date)"

# The import's floor (FLOOR_SQL) writes the rows mash writes: the same
# cases, children and persons, and the same audit rows, a refer for a
# case's first child and an add-child for each other, with mash's
# details and a hash of the chain's length.  Into a store that already
# holds children, an audit row for each new child only.
cat >"$T/floor.py" <<'PY'
import os
import shutil
import sys
sys.path.insert(0, os.path.join(os.environ["MASH_SRC"], "tests", "bench"))
import bench
w = sys.argv[2]
os.makedirs(w, exist_ok=True)
csv = os.path.join(w, "p.csv")
bench.gen_csv(csv, 300)
sql = os.path.join(w, "floor.sql")
with open(sql, "w") as f:
    f.write(bench.FLOOR_SQL % {"csv": csv, "now": bench.NOW})
mash, floor, both = (os.path.join(w, n) for n in ("m.db", "f.db", "b.db"))
e = bench.fresh_store(mash)
if bench.run(["mash-refer", "--csv", csv], env=e)[2] != 0:
    sys.exit("mash-refer failed")
bench.fresh_store(floor)
shutil.copyfile(mash, both)
# the same children, under references of their own
if bench.run(["sqlite3", both, "UPDATE cases SET reference = 'OLD/' || id"]
             )[2] != 0:
    sys.exit("cannot rename the references")
for db in (floor, both):
    if bench.run(["sqlite3", "-batch", db, ".read " + sql])[2] != 0:
        sys.exit("the floor failed on " + db)
PY
run python3 "$T/floor.py" "$MASH_BIN" "$T/fw"
# rows DB: what the checks compare, a line each
rows() {
	sqlite3 -batch "$1" "SELECT 'cases', count(*) FROM cases;
	    SELECT 'children', count(*) FROM children;
	    SELECT 'persons', count(*) FROM persons;
	    SELECT action, case_id, details FROM audit
	    WHERE action IN ('refer', 'add-child') ORDER BY id;"
}
check "the floor runs on a new store and on one holding children ($rc)" \
    [ "$rc" = 0 ]
rows "$T/fw/m.db" >"$T/m.rows"
rows "$T/fw/f.db" >"$T/f.rows"
check_same "the floor writes mash's rows and audit rows" "$T/m.rows" \
    "$T/f.rows"
check "into a store holding children: an audit row for each new child" \
    [ "$(sqlite3 "$T/fw/b.db" "SELECT count(*) FROM audit WHERE action IN
    ('refer', 'add-child') AND NOT hash GLOB '*[^0-9a-f]*' AND length(hash) = 64")" \
    = 600 ]

# The floor of each queue reads what the queue shows: the same cases in
# the same order, their children, each child's earlier cases and open
# possible matches.  On the store mash's import made above, with one
# case screened red, three recorded, and case 1's child referred again
# (an earlier case) and under a name a letter from it (a match).
cat >"$T/queues.py" <<'PY'
import json
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.environ["MASH_SRC"], "tests", "bench"))
import bench
db = sys.argv[2]
e = dict(bench.ENV, MASH_DB=db, MASH_USER="head")
sql = ["UPDATE cases SET rag = 'red', state = 'screened' WHERE id = 7",
       "UPDATE cases SET state = 'recorded', decision_due = screening_due, "
       "assigned_to = 'sw', accepted_at = received_at "
       "WHERE id IN (3, 5, 9)"]
if subprocess.run(["sqlite3", db, ";".join(sql)]).returncode != 0:
    sys.exit("cannot set the states")
# case 1's child again, and a name a letter from it, born the same day
given, family, dob = subprocess.run(
    ["sqlite3", "-separator", " ", db, "SELECT given_name, family_name, dob "
     "FROM children WHERE case_id = 1 ORDER BY id LIMIT 1"],
    capture_output=True, text=True).stdout.split()
for ref, name in (("AGAIN/1", given), ("CLOSE/1", given[:-1] + "x")):
    if bench.run(["mash-refer", "--source", "police", "--ref", ref,
                  "--concern", "c", "--child", name + " " + family,
                  "--dob", dob], env=dict(e, MASH_USER="admin"))[2] != 0:
        sys.exit("cannot refer " + ref)
for name, cmd, floor in bench.QUEUES:
    got = subprocess.run(cmd, env=e, capture_output=True, text=True)
    if got.returncode != 0:
        sys.exit("%s failed" % cmd[0])
    mash = [(c["id"], k["id"], k["previous_cases"], k["possible_matches"])
            for c in map(json.loads, got.stdout.splitlines())
            for k in c["children"]]
    got = subprocess.run(["sqlite3", "-batch", "-json", db, floor],
                         capture_output=True, text=True)
    if got.returncode != 0:
        sys.exit("the floor of %s failed" % cmd[0])
    rows = json.loads(got.stdout)
    floor = [(r["case_id"], r["child_id"],
              sorted(json.loads(r["previous_cases"])),
              sorted(json.loads(r["possible_matches"]))) for r in rows]
    cases = [list(dict.fromkeys(r[0] for r in x)) for x in (mash, floor)]
    print(name, len(mash), sum(len(m[2]) for m in mash),
          sum(len(m[3]) for m in mash), "same" if cases[0] == cases[1]
          and sorted(mash) == sorted(floor) else "differ")
PY
run python3 "$T/queues.py" "$MASH_BIN" "$T/fw/m.db"
check "each queue's floor reads the rows it shows" \
    eval '[ "$rc" = 0 ] && [ "$(grep -c " same$" "$out")" = 2 ]'
check "among them an earlier case, a match, and both queues" \
    awk '$2 == "queue" { n++ }
    $1 == "screening" && ($(NF - 2) == 0 || $(NF - 1) == 0) { exit 1 }
    END { exit n != 2 }' "$out"
