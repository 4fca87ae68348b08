#!/usr/bin/env python3
"""The audit chain of mash-audit(1), computed by another tool.

    rechain.py check DB          print the first row whose hash is not
                                 the documented encoding's (exit 1), or
                                 "ok N" (exit 0)
    rechain.py rechain DB [ID [LAST]]
                                 recompute and store the hash of every
                                 row from ID on, to LAST (default: the
                                 rows without one), dropping the audit
                                 table's triggers around the change and
                                 recreating them as they were

check is an independent verifier of the encoding that mash-audit(1)
documents.  rechain is what someone with the store file can do: the
tests use it to show what anchors catch, and the benchmarks to give a
store made with SQL a chain.  It is no part of mash.
"""

import hashlib
import sqlite3
import sys


def link(prev, row):
    """The hash of a row (id, at, actor, action, case_id, details)."""
    h = hashlib.sha256(prev)
    for v in row:
        h.update(b"" if v is None else str(v).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def rows(db):
    return db.execute("SELECT id, at, actor, action, case_id, details, "
                      "hash FROM audit ORDER BY id")


def check(db):
    prev, n = bytes(32), 0
    for r in rows(db):
        if r[6] != link(prev, r[:6]):
            print("row %d" % r[0])
            return 1
        prev, n = bytes.fromhex(r[6]), n + 1
    print("ok %d" % n)
    return 0


def rechain(db, start, last):
    triggers = db.execute("SELECT name, sql FROM sqlite_schema WHERE "
                          "type = 'trigger' AND tbl_name = 'audit'").fetchall()
    db.execute("BEGIN")
    for name, _ in triggers:
        db.execute('DROP TRIGGER "%s"' % name)
    prev, fixed = bytes(32), []
    for r in rows(db):
        if (start is None and r[6] is None) or \
                (start is not None and start <= r[0] <= last):
            h = link(prev, r[:6])
            fixed.append((h, r[0]))
        else:
            h = r[6]
        prev = bytes.fromhex(h)
    db.executemany("UPDATE audit SET hash = ? WHERE id = ?", fixed)
    for _, sql in triggers:
        db.execute(sql)
    db.execute("COMMIT")
    return 0


def main(argv):
    if len(argv) < 3 or argv[1] not in ("check", "rechain"):
        sys.exit(__doc__)
    db = sqlite3.connect(argv[2], isolation_level=None)
    if argv[1] == "check":
        return check(db)
    start = int(argv[3]) if len(argv) > 3 else None
    last = int(argv[4]) if len(argv) > 4 else float("inf")
    return rechain(db, start, last)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
