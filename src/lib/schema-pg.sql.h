/*
 * schema-pg.sql.h: the store's schema in PostgreSQL, at the version
 * schema.sql.h reaches, made in one script (a PostgreSQL store has no
 * older versions to upgrade from).  The tables, columns, defaults,
 * checks, keys and indexes are SQLite's, written as PostgreSQL reads
 * them:
 *
 *	INTEGER PRIMARY KEY	bigint, an identity the server numbers
 *	INTEGER			bigint: SQLite's integers are 64-bit
 *	TEXT			text COLLATE "C": compared and sorted by
 *				bytes, as SQLite does
 *	GLOB			a regular expression anchored at both ends,
 *				or LIKE where it names the first and last
 *				characters only
 *	instr() lists		IN lists
 *	RAISE() triggers	a PL/pgSQL function raising check_violation,
 *				a constraint failure as SQLite's is
 *	user_version and	one row of mash_meta
 *	application_id
 *
 * JSON is kept as text, not jsonb, which would reorder an object's keys
 * and change the bytes a program prints.  The audit rows are numbered
 * by the program (the chain, store-audit.c); the build without the
 * chain (bench) lets the trigger below number them.
 */
#define SCHEMA_PG_VERSION	8
#define PG_STR_(x)	#x
#define PG_STR(x)	PG_STR_(x)

#define PG_TEXT	"text COLLATE \"C\""
/*
 * A row's id is one more than the largest, as SQLite's rowid is, not a
 * sequence's: a sequence never gives back what a rolled-back
 * transaction took, and ids would differ between the engines after a
 * failed or dry-run import.  Writes are serialised (db-pg.c), so the
 * largest cannot change under the trigger.
 */
#define PG_ID	"bigint PRIMARY KEY"
#define PG_NEXT_ID(t) \
	"CREATE FUNCTION " t "_next_id() RETURNS trigger LANGUAGE plpgsql " \
	"AS $$ BEGIN IF NEW.id IS NULL THEN " \
	"SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM " t "; " \
	"END IF; RETURN NEW; END $$;" \
	"CREATE TRIGGER " t "_id BEFORE INSERT ON " t " FOR EACH ROW " \
	"EXECUTE FUNCTION " t "_next_id();"
#define PG_UTC_RE "'^[0-9]{4}-[01][0-9]-[0-3][0-9]" \
	"T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$'"
#define PG_UTC(c)	"CHECK (" c " ~ " PG_UTC_RE ")"
#define PG_UTC_OR_NULL(c) "CHECK (" c " IS NULL OR " c " ~ " PG_UTC_RE ")"
#define PG_DATE_RE "'^[0-9]{4}-[01][0-9]-[0-3][0-9]$'"
/* a JSON array, a JSON object: the first and last characters */
#define PG_ARRAY(c)	"CHECK (" c " LIKE '[%]')"
#define PG_OBJECT(c)	"CHECK (" c " LIKE '{%}')"
#define PG_ONE_OF(c, list)	"CHECK (" c " IN (" list "))"
#define PG_SOURCES "'1A','1B','1C','1D','2A','2B','3A','3B','3C','3D','3E'," \
	"'3F','4','5A','5B','5C','5D','6','7','8','9','10'"
#define PG_OUTCOMES "'cpat','early-help','caf','single-agency','nfa'"
#define PG_ETHNICITIES "'WBRI','WIRI','WIRT','WOTH','WROM','MWBC','MWBA'," \
	"'MWAS','MOTH','AIND','APKN','ABAN','AOTH','BCRB','BAFR','BOTH'," \
	"'CHNE','OOTH','REFU','NOBT'"

static const char schema_pg[] =
/* the version and the application id, one row (db_version) */
"CREATE TABLE mash_meta ("
"  one boolean PRIMARY KEY DEFAULT true CHECK (one),"
"  version integer NOT NULL,"
"  app integer NOT NULL"
");"
"INSERT INTO mash_meta (version, app) VALUES ("
    PG_STR(SCHEMA_PG_VERSION) ", 1296126792);"	/* "MASH" */
"CREATE TABLE settings ("
"  key " PG_TEXT " PRIMARY KEY,"
"  value " PG_TEXT " NOT NULL"
");"
"CREATE TABLE agencies ("
"  code " PG_TEXT " PRIMARY KEY CHECK (code ~ '^[a-z]' AND"
"    length(code) <= 32),"
"  name " PG_TEXT " NOT NULL"
");"
"CREATE TABLE users ("
"  login " PG_TEXT " PRIMARY KEY,"
"  name " PG_TEXT ","
"  roles " PG_TEXT " NOT NULL,"
"  agency " PG_TEXT " REFERENCES agencies(code),"
"  enabled bigint NOT NULL DEFAULT 1 CHECK (enabled = 0 OR enabled = 1),"
"  created_at " PG_TEXT " NOT NULL " PG_UTC("created_at")
");"
"CREATE TABLE holidays ("
"  date " PG_TEXT " PRIMARY KEY CHECK (date ~ " PG_DATE_RE "),"
"  name " PG_TEXT " NOT NULL DEFAULT ''"
");"
"CREATE TABLE criteria ("
"  code " PG_TEXT " PRIMARY KEY CHECK (code ~ '^[a-z]' AND"
"    length(code) <= 40),"
"  text " PG_TEXT " NOT NULL"
");"
"CREATE TABLE cases ("
"  id " PG_ID ","
"  state " PG_TEXT " NOT NULL DEFAULT 'new'"
"    " PG_ONE_OF("state", "'new','screened','mash','recorded','closed'") ","
"  rag " PG_TEXT " " PG_ONE_OF("rag", "'red','amber','green'") ","
"  source " PG_TEXT " NOT NULL " PG_ONE_OF("source", PG_SOURCES) ","
"  reference " PG_TEXT ","
"  received_at " PG_TEXT " NOT NULL " PG_UTC("received_at") ","
"  created_at " PG_TEXT " NOT NULL " PG_UTC("created_at") ","
"  created_by " PG_TEXT " NOT NULL REFERENCES users(login),"
"  concern " PG_TEXT " NOT NULL,"
"  categories " PG_TEXT " NOT NULL DEFAULT '[]' " PG_ARRAY("categories") ","
"  consent " PG_TEXT " NOT NULL DEFAULT 'unknown'"
"    " PG_ONE_OF("consent", "'given','refused','not-sought','unknown'") ","
"  referrer " PG_TEXT ","
"  referrer_contact " PG_TEXT ","
"  report_type " PG_TEXT ","
"  risk " PG_TEXT ","
"  criteria " PG_TEXT " NOT NULL DEFAULT '[]' " PG_ARRAY("criteria") ","
"  screening_note " PG_TEXT ","
"  screening_due " PG_TEXT " NOT NULL " PG_UTC("screening_due") ","
"  accepted_at " PG_TEXT " " PG_UTC_OR_NULL("accepted_at") ","
"  assigned_to " PG_TEXT " REFERENCES users(login),"
"  decision_due " PG_TEXT " " PG_UTC_OR_NULL("decision_due") ","
"  share_basis " PG_TEXT ","
"  summary " PG_TEXT ","
"  recommendation " PG_TEXT " " PG_ONE_OF("recommendation", PG_OUTCOMES) ","
"  recommendation_agency " PG_TEXT " REFERENCES agencies(code),"
"  outcome " PG_TEXT " " PG_ONE_OF("outcome", PG_OUTCOMES) ","
"  outcome_agency " PG_TEXT " REFERENCES agencies(code),"
"  closed_at " PG_TEXT " " PG_UTC_OR_NULL("closed_at") ","
/* version 3 */
"  updated_at " PG_TEXT " " PG_UTC_OR_NULL("updated_at") ","
"  supersedes bigint REFERENCES cases(id),"
/* version 5 */
"  need_code " PG_TEXT " " PG_ONE_OF("need_code", "'N0','N1','N2','N3',"
"    'N4','N5','N6','N7','N8','N9'") ","
/* version 6 */
"  held_at " PG_TEXT " " PG_UTC_OR_NULL("held_at") ","
"  held_by " PG_TEXT " REFERENCES users(login),"
"  held_reason " PG_TEXT ","
"  erased_at " PG_TEXT " " PG_UTC_OR_NULL("erased_at") ","
"  CHECK ((state = 'closed') = (outcome IS NOT NULL)),"
"  CHECK (state = 'new' OR state = 'screened' OR state = 'closed' OR"
"    (assigned_to IS NOT NULL AND decision_due IS NOT NULL))"
");"
"CREATE UNIQUE INDEX cases_reference ON cases(source, reference,"
"  coalesce(supersedes, 0)) WHERE reference IS NOT NULL;"
"CREATE INDEX cases_screening ON cases(screening_due)"
"  WHERE state IN ('new','screened');"
"CREATE INDEX cases_decision ON cases(decision_due)"
"  WHERE state IN ('mash','recorded');"
"CREATE INDEX cases_assigned ON cases(assigned_to, state)"
"  WHERE assigned_to IS NOT NULL;"
"CREATE INDEX cases_state ON cases(state, id);"
"CREATE INDEX cases_received ON cases(received_at, id, source, rag,"
"  screening_due, accepted_at, decision_due, closed_at, outcome);"
"CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;"
"CREATE INDEX cases_purge ON cases(closed_at)"
"  WHERE state = 'closed' AND erased_at IS NULL;"
"CREATE TABLE persons ("
"  id " PG_ID ","
"  merged_into bigint REFERENCES persons(id)"
");"
"CREATE TABLE children ("
"  id " PG_ID ","
"  case_id bigint NOT NULL REFERENCES cases(id),"
"  person_id bigint NOT NULL REFERENCES persons(id),"
"  given_name " PG_TEXT ","
"  family_name " PG_TEXT ","
"  name_key " PG_TEXT " NOT NULL,"
"  dob " PG_TEXT " CHECK (dob IS NULL OR dob ~ " PG_DATE_RE "),"
"  gender " PG_TEXT " NOT NULL DEFAULT 'unknown'"
"    " PG_ONE_OF("gender", "'male','female','other','unknown'") ","
"  nhs_number " PG_TEXT " CHECK (nhs_number IS NULL OR"
"    nhs_number ~ '^[0-9]{10}$'),"
"  upn " PG_TEXT " CHECK (upn IS NULL OR length(upn) = 13),"
"  school " PG_TEXT ","
"  address " PG_TEXT ","
"  postcode " PG_TEXT " CHECK (postcode IS NULL OR"
"    length(postcode) BETWEEN 6 AND 8),"
/* version 5 */
"  ethnicity " PG_TEXT " NOT NULL DEFAULT 'NOBT'"
"    " PG_ONE_OF("ethnicity", PG_ETHNICITIES) ","
"  disabilities " PG_TEXT " NOT NULL DEFAULT '[]' "
    PG_ARRAY("disabilities") ","
"  expected_dob " PG_TEXT " CHECK (expected_dob IS NULL OR"
"    expected_dob ~ " PG_DATE_RE "),"
"  CHECK (given_name IS NOT NULL OR family_name IS NOT NULL)"
");"
"CREATE INDEX children_case ON children(case_id, person_id);"
"CREATE INDEX children_person ON children(person_id, nhs_number);"
"CREATE INDEX children_nhs ON children(nhs_number)"
"  WHERE nhs_number IS NOT NULL;"
"CREATE INDEX children_dob_name ON children(dob, name_key, person_id)"
"  WHERE dob IS NOT NULL;"
"CREATE INDEX children_name_postcode ON children(name_key, postcode,"
"  person_id) WHERE postcode IS NOT NULL;"
"CREATE TABLE possible_matches ("
"  child_id bigint NOT NULL REFERENCES children(id),"
"  person_id bigint NOT NULL REFERENCES persons(id),"
"  status " PG_TEXT " NOT NULL DEFAULT 'open'"
"    " PG_ONE_OF("status", "'open','same','not-same'") ","
"  PRIMARY KEY (child_id, person_id)"
");"
"CREATE INDEX possible_matches_person ON possible_matches(person_id);"
"CREATE TABLE requests ("
"  id " PG_ID ","
"  case_id bigint NOT NULL REFERENCES cases(id),"
"  agency " PG_TEXT " NOT NULL REFERENCES agencies(code),"
"  state " PG_TEXT " NOT NULL DEFAULT 'open'"
"    " PG_ONE_OF("state", "'open','answered','nil','withdrawn'") ","
"  asked_at " PG_TEXT " NOT NULL " PG_UTC("asked_at") ","
"  asked_by " PG_TEXT " NOT NULL REFERENCES users(login),"
"  due_at " PG_TEXT " NOT NULL " PG_UTC("due_at") ","
"  question " PG_TEXT ","
"  answered_at " PG_TEXT " " PG_UTC_OR_NULL("answered_at") ","
"  answered_by " PG_TEXT " REFERENCES users(login),"
"  answer " PG_TEXT ","
"  withdraw_reason " PG_TEXT ","
"  CHECK ((state = 'open') = (answered_at IS NULL))"
");"
"CREATE UNIQUE INDEX requests_open_agency ON requests(case_id, agency)"
"  WHERE state = 'open';"
"CREATE INDEX requests_due ON requests(due_at) WHERE state = 'open';"
"CREATE INDEX requests_case ON requests(case_id);"
"CREATE INDEX requests_agency ON requests(agency, state);"
/* append-only: the triggers refuse any change to a written row */
"CREATE TABLE audit ("
"  id " PG_ID ","
"  at " PG_TEXT " NOT NULL " PG_UTC("at") ","
"  actor " PG_TEXT " NOT NULL,"
"  action " PG_TEXT " NOT NULL,"
"  case_id bigint,"
"  details " PG_TEXT " NOT NULL DEFAULT '{}' " PG_OBJECT("details") ","
/* version 4 */
"  hash " PG_TEXT " CHECK (hash IS NULL OR hash ~ '^[0-9a-f]{64}$')"
");"
"CREATE INDEX audit_case ON audit(case_id) WHERE case_id IS NOT NULL;"
"CREATE INDEX audit_runs ON audit(id) WHERE action = 'overdue-run';"
/*
 * A written row is never changed, deleted or truncated: a constraint
 * failure, as SQLite's RAISE(ABORT) is.  SQLite lets the upgrade to
 * version 4 hash the rows that have no hash; no such row is ever
 * written here.
 */
"CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
"  BEGIN"
"    RAISE EXCEPTION 'audit rows cannot be %', CASE TG_OP"
"      WHEN 'UPDATE' THEN 'changed' WHEN 'DELETE' THEN 'deleted'"
"      ELSE 'truncated' END USING ERRCODE = 'check_violation';"
"  END $$;"
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
"  FOR EACH ROW EXECUTE FUNCTION audit_refuse();"
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
"  FOR EACH ROW EXECUTE FUNCTION audit_refuse();"
"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
"  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();"
/* version 3 */
"CREATE TABLE case_updates ("
"  id " PG_ID ","
"  case_id bigint NOT NULL REFERENCES cases(id),"
"  at " PG_TEXT " NOT NULL " PG_UTC("at") ","
"  actor " PG_TEXT " NOT NULL REFERENCES users(login),"
"  received_at " PG_TEXT " " PG_UTC_OR_NULL("received_at") ","
"  fields " PG_TEXT " NOT NULL DEFAULT '[]' " PG_ARRAY("fields") ","
"  children bigint NOT NULL DEFAULT 0,"
"  previous " PG_TEXT " NOT NULL DEFAULT '{}' " PG_OBJECT("previous")
");"
"CREATE INDEX case_updates_case ON case_updates(case_id, id);"
/* version 4 */
"CREATE TABLE event_text ("
"  audit_id bigint NOT NULL REFERENCES audit(id),"
"  field " PG_TEXT " NOT NULL,"
"  text " PG_TEXT ","			/* NULL once erased */
"  PRIMARY KEY (audit_id, field)"
");"
PG_NEXT_ID("cases") PG_NEXT_ID("persons") PG_NEXT_ID("children")
PG_NEXT_ID("requests") PG_NEXT_ID("audit") PG_NEXT_ID("case_updates");
