/*
 * schema.sql.h: the store's schema, version by version.  Each entry
 * takes a store from the version before it; they run in one IMMEDIATE
 * transaction.  Times are UTC text, "YYYY-MM-DDTHH:MM:SSZ", which sorts
 * as it reads; the GLOB checks keep anything else out.
 */
#define UTC_GLOB "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'"
#define UTC(c)	"CHECK (" c " GLOB " UTC_GLOB ")"
#define UTC_OR_NULL(c) "CHECK (" c " IS NULL OR " c " GLOB " UTC_GLOB ")"
#define DATE_GLOB "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
/*
 * A CHECK of "c IN (...)" makes SQLite build a little index on every
 * INSERT; a search in one string does the same check for a fraction of
 * the cost.  NULL passes, as it does IN; a comma never does.
 */
#define ONE_OF(c, list) \
	"CHECK (instr(" c ", ',') = 0 AND " \
	"instr('," list ",', ',' || " c " || ',') > 0)"
#define SOURCES "1A,1B,1C,1D,2A,2B,3A,3B,3C,3D,3E,3F,4,5A,5B,5C,5D,6,7,8,9,10"
#define OUTCOMES "cpat,early-help,caf,single-agency,nfa"
#define ETHNICITIES "WBRI,WIRI,WIRT,WOTH,WROM,MWBC,MWBA,MWAS,MOTH,AIND," \
	"APKN,ABAN,AOTH,BCRB,BAFR,BOTH,CHNE,OOTH,REFU,NOBT"
/*
 * The keys of free text in the audit details of versions 1 and 2: a
 * note, a reason, a lawful basis, a summary, a question, an answer, a
 * criterion's or an agency's text, a holiday's name.
 */
#define FREE_TEXT "'note','reason','basis','summary','question','answer'," \
	"'text','name'"
#define FREE_PATHS "'$.note','$.reason','$.basis','$.summary','$.question'," \
	"'$.answer','$.text','$.name'"

static const char *const schema[] = {
/* version 1 */
"CREATE TABLE settings ("
"  key TEXT PRIMARY KEY,"
"  value TEXT NOT NULL"
") STRICT;"
"CREATE TABLE agencies ("
"  code TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) <= 32),"
"  name TEXT NOT NULL"
") STRICT;"
"CREATE TABLE users ("
"  login TEXT PRIMARY KEY,"
"  name TEXT,"
"  roles TEXT NOT NULL,"		/* comma-separated, checked by the library */
"  agency TEXT REFERENCES agencies(code),"
"  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled = 0 OR enabled = 1),"
"  created_at TEXT NOT NULL " UTC("created_at")
") STRICT;"
"CREATE TABLE holidays ("
"  date TEXT PRIMARY KEY CHECK (date GLOB " DATE_GLOB "),"
"  name TEXT NOT NULL DEFAULT ''"
") STRICT;"
"CREATE TABLE criteria ("
"  code TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND length(code) <= 40),"
"  text TEXT NOT NULL"
") STRICT;"
"CREATE TABLE cases ("
"  id INTEGER PRIMARY KEY,"
"  state TEXT NOT NULL DEFAULT 'new'"
"    " ONE_OF("state", "new,screened,mash,recorded,closed") ","
"  rag TEXT " ONE_OF("rag", "red,amber,green") ","
"  source TEXT NOT NULL " ONE_OF("source", SOURCES) ","
"  reference TEXT,"
"  received_at TEXT NOT NULL " UTC("received_at") ","
"  created_at TEXT NOT NULL " UTC("created_at") ","
"  created_by TEXT NOT NULL REFERENCES users(login),"
"  concern TEXT NOT NULL,"
"  categories TEXT NOT NULL DEFAULT '[]' CHECK (categories GLOB '[[]*]'),"
"  consent TEXT NOT NULL DEFAULT 'unknown'"
"    " ONE_OF("consent", "given,refused,not-sought,unknown") ","
"  referrer TEXT,"
"  referrer_contact TEXT,"
"  report_type TEXT,"
"  risk TEXT,"
"  criteria TEXT NOT NULL DEFAULT '[]' CHECK (criteria GLOB '[[]*]'),"
"  screening_note TEXT,"
"  screening_due TEXT NOT NULL " UTC("screening_due") ","
"  accepted_at TEXT " UTC_OR_NULL("accepted_at") ","
"  assigned_to TEXT REFERENCES users(login),"
"  decision_due TEXT " UTC_OR_NULL("decision_due") ","
"  share_basis TEXT,"
"  summary TEXT,"
"  recommendation TEXT " ONE_OF("recommendation", OUTCOMES) ","
"  recommendation_agency TEXT REFERENCES agencies(code),"
"  outcome TEXT " ONE_OF("outcome", OUTCOMES) ","
"  outcome_agency TEXT REFERENCES agencies(code),"
"  closed_at TEXT " UTC_OR_NULL("closed_at") ","
"  CHECK ((state = 'closed') = (outcome IS NOT NULL)),"
"  CHECK (state = 'new' OR state = 'screened' OR state = 'closed' OR"
"    (assigned_to IS NOT NULL AND decision_due IS NOT NULL))"
") STRICT;"
/* a sender's reference is unique per source: the key of idempotent import */
"CREATE UNIQUE INDEX cases_reference ON cases(source, reference)"
"  WHERE reference IS NOT NULL;"
/* the queues and mash-overdue read only open cases, through these */
"CREATE INDEX cases_screening ON cases(screening_due)"
"  WHERE state IN ('new','screened');"
"CREATE INDEX cases_decision ON cases(decision_due)"
"  WHERE state IN ('mash','recorded');"
"CREATE INDEX cases_assigned ON cases(assigned_to, state)"
"  WHERE assigned_to IS NOT NULL;"
"CREATE INDEX cases_state ON cases(state, id);"
"CREATE TABLE persons ("
"  id INTEGER PRIMARY KEY,"
"  merged_into INTEGER REFERENCES persons(id)"
") STRICT;"
"CREATE TABLE children ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  person_id INTEGER NOT NULL REFERENCES persons(id),"
"  given_name TEXT,"
"  family_name TEXT,"
"  name_key TEXT NOT NULL,"
"  dob TEXT CHECK (dob IS NULL OR dob GLOB " DATE_GLOB "),"
"  gender TEXT NOT NULL DEFAULT 'unknown'"
"    " ONE_OF("gender", "male,female,other,unknown") ","
"  nhs_number TEXT CHECK (nhs_number IS NULL OR"
"    nhs_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),"
"  upn TEXT CHECK (upn IS NULL OR length(upn) = 13),"
"  school TEXT,"
"  address TEXT,"
"  postcode TEXT CHECK (postcode IS NULL OR length(postcode) BETWEEN 6 AND 8),"
"  CHECK (given_name IS NOT NULL OR family_name IS NOT NULL)"
") STRICT;"
"CREATE INDEX children_case ON children(case_id);"
"CREATE INDEX children_person ON children(person_id);"
"CREATE INDEX children_nhs ON children(nhs_number)"
"  WHERE nhs_number IS NOT NULL;"
/* one index serves both the same name and dob, and close names by dob */
"CREATE INDEX children_dob_name ON children(dob, name_key)"
"  WHERE dob IS NOT NULL;"
"CREATE INDEX children_name_postcode ON children(name_key, postcode)"
"  WHERE postcode IS NOT NULL;"
"CREATE TABLE possible_matches ("
"  child_id INTEGER NOT NULL REFERENCES children(id),"
"  person_id INTEGER NOT NULL REFERENCES persons(id),"
"  status TEXT NOT NULL DEFAULT 'open'"
"    " ONE_OF("status", "open,same,not-same") ","
"  PRIMARY KEY (child_id, person_id)"
") STRICT, WITHOUT ROWID;"
"CREATE TABLE requests ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  agency TEXT NOT NULL REFERENCES agencies(code),"
"  state TEXT NOT NULL DEFAULT 'open'"
"    " ONE_OF("state", "open,answered,nil,withdrawn") ","
"  asked_at TEXT NOT NULL " UTC("asked_at") ","
"  asked_by TEXT NOT NULL REFERENCES users(login),"
"  due_at TEXT NOT NULL " UTC("due_at") ","
"  question TEXT,"
"  answered_at TEXT " UTC_OR_NULL("answered_at") ","
"  answered_by TEXT REFERENCES users(login),"
"  answer TEXT,"
"  withdraw_reason TEXT,"
"  CHECK ((state = 'open') = (answered_at IS NULL))"
") STRICT;"
"CREATE UNIQUE INDEX requests_open_agency ON requests(case_id, agency)"
"  WHERE state = 'open';"
"CREATE INDEX requests_due ON requests(due_at) WHERE state = 'open';"
"CREATE INDEX requests_case ON requests(case_id);"
"CREATE INDEX requests_agency ON requests(agency, state);"
/* append-only: the triggers refuse any change to a written row */
"CREATE TABLE audit ("
"  id INTEGER PRIMARY KEY,"
"  at TEXT NOT NULL " UTC("at") ","
"  actor TEXT NOT NULL,"
"  action TEXT NOT NULL,"
"  case_id INTEGER,"
"  details TEXT NOT NULL DEFAULT '{}' CHECK (details GLOB '{*}')"
") STRICT;"
"CREATE INDEX audit_case ON audit(case_id) WHERE case_id IS NOT NULL;"
"CREATE INDEX audit_action ON audit(action, id);"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;"
/* REPLACE deletes without firing the delete trigger: refuse it here */
"CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit"
"  WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be replaced'); END;",
/*
 * version 2, for a faster import.  The matching indexes carry
 * person_id, so that matching a child reads only the index, not a
 * table row for every candidate: at a million children those rows are
 * mostly not in the cache.  Every audit row paid for an index on its
 * action that served one lookup.  Possible matches are found by person
 * when one is merged or takes in an NHS number, and a person's NHS
 * numbers are compared with a seek.
 */
"DROP INDEX children_dob_name;"
"CREATE INDEX children_dob_name ON children(dob, name_key, person_id)"
"  WHERE dob IS NOT NULL;"
"DROP INDEX children_name_postcode;"
"CREATE INDEX children_name_postcode ON children(name_key, postcode,"
"  person_id) WHERE postcode IS NOT NULL;"
/* only the last overdue run is ever looked up by action */
"DROP INDEX audit_action;"
"CREATE INDEX audit_runs ON audit(id) WHERE action = 'overdue-run';"
/* a merge, and a new number, withdraw the matches of a person */
"CREATE INDEX possible_matches_person ON possible_matches(person_id);"
/* a person's lowest and highest NHS number, each one seek */
"DROP INDEX children_person;"
"CREATE INDEX children_person ON children(person_id, nhs_number);",
/*
 * "updates": a referral sent again with other content (mash-import(5)).
 * An open case takes the new values; each update keeps when, who, the
 * fields it changed, their values before, and how many children it
 * added.  A closed case is never changed: the new contact is a new case
 * that supersedes it, under the same (source, reference), so the
 * reference's key takes the case it supersedes as a third part.
 */
"ALTER TABLE cases ADD COLUMN updated_at TEXT " UTC_OR_NULL("updated_at") ";"
"ALTER TABLE cases ADD COLUMN supersedes INTEGER REFERENCES cases(id);"
"DROP INDEX cases_reference;"
"CREATE UNIQUE INDEX cases_reference ON cases(source, reference,"
"  ifnull(supersedes, 0)) WHERE reference IS NOT NULL;"
"CREATE TABLE case_updates ("
"  id INTEGER PRIMARY KEY,"
"  case_id INTEGER NOT NULL REFERENCES cases(id),"
"  at TEXT NOT NULL " UTC("at") ","
"  actor TEXT NOT NULL REFERENCES users(login),"
"  received_at TEXT " UTC_OR_NULL("received_at") ","
"  fields TEXT NOT NULL DEFAULT '[]' CHECK (fields GLOB '[[]*]'),"
"  children INTEGER NOT NULL DEFAULT 0,"
"  previous TEXT NOT NULL DEFAULT '{}' CHECK (previous GLOB '{*}')"
") STRICT;"
"CREATE INDEX case_updates_case ON case_updates(case_id, id);",
/*
 * version 4, a tamper-evident trail that keeps no free text (mash(7),
 * mash-audit(1)).  Each row gets its hash: the upgrade fills those of
 * the older rows (migrate, in store.c), which the update trigger allows
 * only while a row has none.  Free text leaves the details for
 * event_text, where erasure can reach it; the details keep the names
 * of those fields, under "fields".
 */
"ALTER TABLE audit ADD COLUMN hash TEXT CHECK (hash IS NULL OR"
"  (length(hash) = 64 AND NOT hash GLOB '*[^0-9a-f]*'));"
"DROP TRIGGER audit_no_update;"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
"  WHEN OLD.hash IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;"
"CREATE TABLE event_text ("
"  audit_id INTEGER NOT NULL REFERENCES audit(id),"
"  field TEXT NOT NULL,"
"  text TEXT,"			/* NULL once erased */
"  PRIMARY KEY (audit_id, field)"
") STRICT, WITHOUT ROWID;"
"INSERT INTO event_text (audit_id, field, text)"
"  SELECT a.id, j.key, j.value FROM audit a, json_each(a.details) j"
"  WHERE j.key IN (" FREE_TEXT ") AND j.type = 'text';"
"UPDATE audit SET details = json_remove(details, " FREE_PATHS ")"
"  WHERE EXISTS (SELECT 1 FROM json_each(details)"
"    WHERE key IN (" FREE_TEXT "));"
"UPDATE audit SET details = json_set(details, '$.fields', json("
"  (SELECT json_group_array(field) FROM event_text"
"    WHERE audit_id = audit.id)))"
"  WHERE id IN (SELECT audit_id FROM event_text);"
/* the reports read a period's cases by their receipt (mash-report(1)) */
"CREATE INDEX cases_received ON cases(received_at);",
/*
 * "returns": what the statutory returns need (mash-return(1)).  A
 * child's ethnicity (the DfE code, NOBT until known), disabilities (a
 * JSON array of CIN codes, empty until known) and, for an unborn
 * child, the expected date of birth; a case's primary need code, given
 * with a referral outcome.  Referrals are read by the date of their
 * decision.
 */
"ALTER TABLE children ADD COLUMN ethnicity TEXT NOT NULL DEFAULT 'NOBT'"
"  " ONE_OF("ethnicity", ETHNICITIES) ";"
"ALTER TABLE children ADD COLUMN disabilities TEXT NOT NULL DEFAULT '[]'"
"  CHECK (disabilities GLOB '[[]*]');"
"ALTER TABLE children ADD COLUMN expected_dob TEXT"
"  CHECK (expected_dob IS NULL OR expected_dob GLOB " DATE_GLOB ");"
"ALTER TABLE cases ADD COLUMN need_code TEXT"
"  " ONE_OF("need_code", "N0,N1,N2,N3,N4,N5,N6,N7,N8,N9") ";"
"CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;",
/*
 * version 6, "retention" (mash-admin(1), RETENTION): a legal hold on a case
 * (mash-admin hold), and when a purge erased its personal data.  A
 * purge reads the closed cases not yet erased, oldest first, through
 * cases_purge.
 */
"ALTER TABLE cases ADD COLUMN held_at TEXT " UTC_OR_NULL("held_at") ";"
"ALTER TABLE cases ADD COLUMN held_by TEXT REFERENCES users(login);"
"ALTER TABLE cases ADD COLUMN held_reason TEXT;"
"ALTER TABLE cases ADD COLUMN erased_at TEXT " UTC_OR_NULL("erased_at") ";"
"CREATE INDEX cases_purge ON cases(closed_at)"
"  WHERE state = 'closed' AND erased_at IS NULL;",
/*
 * version 7, one key for a whole name (mash(7), match.c): a key no
 * longer keeps spaces, nor '|' between the given and family names, so
 * that "O'Neill", "ONeill" and "O Neill" are one name however a
 * referral split it.  Leaving both out of an older key gives the key
 * of today exactly.
 */
"UPDATE children SET name_key = replace(replace(name_key, ' ', ''), '|', '')"
"  WHERE name_key GLOB '*[ |]*';",
/*
 * version 8, "report": a year's report reads its cases and their
 * children from two indexes alone, never a row of the tables
 * (mash-report(1)).  cases_received carries every column the report
 * counts, children_case each child's person.  Both still serve what
 * they served: a range of receipt, a case's children.
 */
"DROP INDEX cases_received;"
"CREATE INDEX cases_received ON cases(received_at, id, source, rag,"
"  screening_due, accepted_at, decision_due, closed_at, outcome);"
"DROP INDEX children_case;"
"CREATE INDEX children_case ON children(case_id, person_id);",
};

#define SCHEMA_VERSION	((int)(sizeof(schema) / sizeof(schema[0])))
#define APPLICATION_ID	0x4d415348	/* "MASH" */
