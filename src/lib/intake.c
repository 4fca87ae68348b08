/*
 * intake.c: recording contacts typed as options, sent as JSON, or
 * written in an editor; every path ends in mash_case_create.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmash.h"

#define JSON_ARRAY_MAX	(256L * 1024 * 1024)
#define TEXT_OF(n)	#n
#define TEXT(n)		TEXT_OF(n)
#define JSON_DEPTH_TEXT	TEXT(MASH_JSON_DEPTH)

const struct mash_col mash_case_cols[] = {
	{ "id", NULL, 0 },
	{ "state", NULL, 0 },
	{ "rag", NULL, MASH_COL_EXTRA },
	{ "source", NULL, MASH_COL_EXTRA },
	{ "source_code", NULL, MASH_COL_WIDE },
	{ "reference", NULL, MASH_COL_EXTRA },
	{ "received_at", NULL, MASH_COL_TIME | MASH_COL_EXTRA },
	{ "concern", NULL, MASH_COL_WIDE },
	{ "categories", NULL, MASH_COL_WIDE },
	{ "consent", NULL, MASH_COL_WIDE },
	{ "criteria", NULL, MASH_COL_WIDE },
	{ "assigned_to", NULL, MASH_COL_EXTRA },
	{ "screening_due", NULL, MASH_COL_TIME },
	{ "decision_due", NULL, MASH_COL_TIME | MASH_COL_EXTRA },
	{ "outcome", NULL, MASH_COL_SPARSE | MASH_COL_WHOLE },
	{ "outcome_agency", NULL, MASH_COL_SPARSE | MASH_COL_WHOLE },
	{ "need_code", NULL, MASH_COL_WIDE },
	{ "id", "child_id", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "person_id", "person_id", MASH_COL_CHILD | MASH_COL_EXTRA },
	{ "given_name", "given_name", MASH_COL_CHILD },
	{ "family_name", "family_name", MASH_COL_CHILD },
	{ "dob", "dob", MASH_COL_CHILD },
	{ "expected_dob", "expected_dob", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "gender", "gender", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "ethnicity", "ethnicity", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "disabilities", "disabilities", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "nhs_number", "nhs_number", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "upn", "upn", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "school", "school", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "address", "address", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "postcode", "postcode", MASH_COL_CHILD | MASH_COL_WIDE },
	{ "previous_cases", "previous_cases", MASH_COL_CHILD |
	    MASH_COL_EXTRA },
	{ "contacts_12m", "contacts_12m", MASH_COL_CHILD | MASH_COL_EXTRA },
	{ "possible_matches", "possible_matches", MASH_COL_CHILD },
	{ NULL, NULL, 0 }
};

/* print cases by id, after their transaction has committed */
static int
print_cases(struct mash *m, const int64_t *ids, size_t n,
    enum mash_format f, int raw)
{
	struct mash_out *out;
	cJSON *c;
	size_t i;
	int rc = MASH_OK, rc2;

	out = mash_out_new(f, raw, mash_case_cols);
	for (i = 0; i < n && rc == MASH_OK; i++)
		if ((rc = mash_case_json(m, ids[i], &c)) == MASH_OK) {
			rc = mash_out_row(out, c);
			cJSON_Delete(c);
		}
	rc2 = mash_out_end(out);
	return mash_worse(rc, rc2);
}

const char *
mash_intake_said(const struct mash_intake *in)
{
	static char s[sizeof(in->fields) + 32];
	int n;

	n = snprintf(s, sizeof(s), "%s", in->fields);
	if (in->added > 0)
		snprintf(s + n, sizeof(s) - (size_t)n, "%s%zu child%s added",
		    n > 0 ? "; " : "", in->added, in->added == 1 ? "" : "ren");
	return s;
}

/* what became of a referral already held: nothing is dropped unsaid */
static void
resent(const struct mash_referral *r, const struct mash_intake *in)
{
	const char *src = mash_source_name(r->source);

	if (in->how == MASH_INTAKE_PRESENT)
		mash_warn("source '%s' reference '%s' is already case %lld: "
		    "not recorded again", src, r->reference,
		    (long long)in->id);
	else if (in->how == MASH_INTAKE_UPDATED)
		mash_warn("source '%s' reference '%s' is case %lld: updated: "
		    "%s", src, r->reference, (long long)in->id,
		    mash_intake_said(in));
	else if (in->how == MASH_INTAKE_RENEWED)
		mash_warn("source '%s' reference '%s' was case %lld, closed: "
		    "recorded as case %lld", src, r->reference,
		    (long long)in->previous, (long long)in->id);
}

struct create {
	const struct mash_referral	*r;
	struct mash_intake		*in;
};

static int
create_tx(struct mash *m, void *p)
{
	struct create *c = p;

	return mash_case_create(m, c->r, c->in);
}

int
mash_refer_one(struct mash *m, struct mash_referral *r, enum mash_format f,
    int raw)
{
	struct mash_intake in;
	struct create c;
	int rc;

	memset(&in, 0, sizeof(in));
	c.r = r;
	c.in = &in;
	if ((rc = mash_tx(m, MASH_TX_WRITE, create_tx, &c)) != MASH_OK)
		return rc;
	resent(r, &in);
	return print_cases(m, &in.id, 1, f, raw);
}

/*
 * What cJSON cannot be trusted with, found before it parses: nesting
 * deeper than MASH_JSON_DEPTH, which it would recurse into, and the
 * escape \u0000, which it would decode into a NUL that silently ends
 * the string there.
 */
const char *
mash_json_guard(const char *s)
{
	int depth = 0, in_string = 0;

	for (; *s != '\0'; s++) {
		if (in_string) {
			if (*s == '\\' && strncmp(s + 1, "u0000", 5) == 0)
				return "holds \\u0000, a NUL character";
			if (*s == '\\' && s[1] != '\0')
				s++;
			else if (*s == '"')
				in_string = 0;
		} else if (*s == '"')
			in_string = 1;
		else if (*s == '{' || *s == '[') {
			if (++depth > MASH_JSON_DEPTH)
				return "is nested more than " JSON_DEPTH_TEXT
				    " deep";
		} else if (*s == '}' || *s == ']')
			depth--;
	}
	return NULL;
}

struct batch {
	int64_t		*ids;
	size_t		 n, cap;
	unsigned long	 bad, present;
	unsigned long	 lines;		/* blank lines before the first */
	FILE		*in;
	int		 array;		/* one JSON array, not JSON Lines */
};

/* one referral of a batch: checked, then recorded in the open transaction */
static int
one_json(struct mash *m, const cJSON *obj, unsigned long at,
    struct batch *b)
{
	struct mash_referral r;
	struct mash_intake in;
	char err[160];
	const char *why;
	int rc = MASH_OK;

	mash_referral_init(&r);
	if ((why = mash_referral_json(&r, obj, mash_clock(m), err,
	    sizeof(err))) == NULL)
		why = mash_referral_check(&r);
	if (why != NULL) {
		if (why == err)
			mash_sanitise(err);
		mash_warn("standard input:%lu: %s", at, why);
		b->bad++;
	} else if (b->bad == 0 && (memset(&in, 0, sizeof(in)),
	    rc = mash_case_create(m, &r, &in)) == MASH_OK) {
		resent(&r, &in);
		if (in.how == MASH_INTAKE_PRESENT)
			b->present++;
		else {
			if (b->n == b->cap)
				b->ids = mash_xrealloc(b->ids,
				    (b->cap = b->cap ? b->cap * 2 : 16) *
				    sizeof(*b->ids));
			b->ids[b->n++] = in.id;
		}
	}
	mash_referral_free(&r);
	return rc;
}

static int
json_text(struct mash *m, const char *text, unsigned long at,
    struct batch *b)
{
	const cJSON *e;
	const char *end, *why;
	cJSON *j;
	unsigned long i = 0;
	int rc = MASH_OK;

	if ((why = mash_json_guard(text)) != NULL) {
		mash_warn("standard input:%lu: JSON %s", at, why);
		b->bad++;
		return MASH_OK;
	}
	if ((j = cJSON_ParseWithOpts(text, &end, 0)) == NULL) {
		mash_warn("standard input:%lu: not valid JSON", at);
		b->bad++;
		return MASH_OK;
	}
	/* cJSON stops after one value: what follows would be lost */
	if (end[strspn(end, " \t\r\n")] != '\0') {
		mash_warn("standard input:%lu: text after the JSON value", at);
		cJSON_Delete(j);
		b->bad++;
		return MASH_OK;
	}
	if (cJSON_IsArray(j)) {
		/* in an array, "line" counts referrals from 1 */
		cJSON_ArrayForEach(e, j)
			if ((rc = one_json(m, e, ++i, b)) != MASH_OK)
				break;
	} else
		rc = one_json(m, j, at, b);
	cJSON_Delete(j);
	return rc;
}

static int
json_lines(struct mash *m, FILE *in, struct batch *b)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long at = b->lines;
	int rc = MASH_OK;

	while (rc == MASH_OK && (n = getline(&line, &cap, in)) != -1) {
		at++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((size_t)n != strlen(line)) {
			mash_warn("standard input:%lu: NUL byte", at);
			b->bad++;
			continue;
		}
		rc = json_text(m, line, at, b);
	}
	free(line);
	if (ferror(in))
		return mash_err(MASH_EIO, "standard input:");
	return rc;
}

/* the whole batch, in one transaction: all or nothing */
static int
batch_tx(struct mash *m, void *p)
{
	struct batch *b = p;
	char *all;
	int rc;

	if (b->array) {
		if ((all = mash_slurp(b->in, JSON_ARRAY_MAX)) == NULL)
			rc = mash_err(MASH_EDATA, "standard input: too long, "
			    "not text, or unreadable");
		else
			rc = json_text(m, all, b->lines + 1, b);
		free(all);
	} else
		rc = json_lines(m, b->in, b);
	if (rc == MASH_OK && b->bad > 0)
		rc = mash_err(MASH_EDATA, "%lu bad referral%s: nothing "
		    "recorded", b->bad, b->bad == 1 ? "" : "s");
	return rc;
}

int
mash_refer_json(struct mash *m, FILE *in, enum mash_format f, int raw)
{
	struct batch b = { NULL, 0, 0, 0, 0, 0, NULL, 0 };
	int c, rc;

	/* a leading blank line still counts, so line numbers stay true */
	while ((c = getc(in)) != EOF && isspace(c))
		if (c == '\n')
			b.lines++;
	if (c != EOF)
		ungetc(c, in);
	b.in = in;
	b.array = c == '[';
	if ((rc = mash_tx(m, MASH_TX_WRITE, batch_tx, &b)) == MASH_OK)
		rc = print_cases(m, b.ids, b.n, f, raw);
	free(b.ids);
	return rc;
}

static const char template[] =
    "# Record a contact.  Lines starting with '#' are left out; what\n"
    "# is refused is kept in a file named then.  Give one Child: line for\n"
    "# each child, followed by the lines that describe that child.\n"
    "# Sources: police, school, health, gp, family, anonymous, ...\n"
    "Source: \n"
    "Reference: \n"
    "Received-At: \n"
    "Consent: \n"
    "Categories: \n"
    "Referrer: \n"
    "Child: \n"
    "DOB: \n"
    "# an unborn child: Expected-DOB: instead of DOB:\n"
    "Gender: \n"
    "# Ethnicity: a DfE code (WBRI, ..., REFU, NOBT: not yet obtained)\n"
    "Ethnicity: \n"
    "# Disability: CIN codes, NONE, MOB, HAND, ..., AUT, DDA\n"
    "Disability: \n"
    "NHS-Number: \n"
    "Postcode: \n"
    "Concern:\n";

/* "Key: value" lines, then the concern: the rest after "Concern:" */
static const char *
parse_template(struct mash_referral *r, char *text, mash_time now,
    char *err, size_t errsz)
{
	char *line, *colon, *v, *concern = NULL;
	const char *field, *why;
	size_t len = 0, n;

	while ((line = strsep(&text, "\n")) != NULL) {
		if (line[0] == '#')
			continue;
		if (concern != NULL) {
			/* the concern is gathered in place: memmove, as the
			 * lines it moves overlap where they land */
			if (len > 0)
				concern[len++] = '\n';
			n = strlen(line);
			memmove(concern + len, line, n + 1);
			len += n;
			continue;
		}
		if (line[strspn(line, " \t\r")] == '\0')
			continue;
		if ((colon = strchr(line, ':')) == NULL) {
			snprintf(err, errsz, "'%.40s' is not 'Key: value'",
			    line);
			return err;
		}
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		v[strcspn(v, "\r")] = '\0';
		if (strcasecmp(line, "concern") == 0) {
			/* the concern is never longer than the text */
			concern = line;
			len = strlen(v);
			memmove(concern, v, len + 1);
			continue;
		}
		if ((field = mash_referral_alias(line)) == NULL) {
			snprintf(err, errsz, "'%.40s' is not a field", line);
			return err;
		}
		if (strcmp(field, "child_name") == 0 && *v != '\0')
			mash_referral_child(r);
		if ((why = mash_referral_set(r, field, v, now)) != NULL) {
			snprintf(err, errsz, "%s: '%.40s' %s", line, v, why);
			return err;
		}
	}
	while (concern != NULL && len > 0 && isspace((unsigned char)
	    concern[len - 1]))
		concern[--len] = '\0';
	if (concern != NULL && (why = mash_referral_set(r, "concern", concern,
	    now)) != NULL) {
		snprintf(err, errsz, "Concern %s", why);
		return err;
	}
	return mash_referral_check(r);
}

static int
edit(const char *path)
{
	const char *ed;
	pid_t pid;
	int st;

	if ((ed = getenv("VISUAL")) == NULL || *ed == '\0')
		if ((ed = getenv("EDITOR")) == NULL || *ed == '\0')
			ed = "vi";
	if ((pid = fork()) == -1)
		return mash_err(MASH_ESOFTWARE, "fork:");
	if (pid == 0) {
		/* the user's program: none of the hub's group (mash(7)) */
		if (mash_priv_drop() == -1)
			_exit(127);
		/* a plain name runs as it is; the shell only when needed */
		if (strpbrk(ed, "|&;<>()$`\\\"' \t\n*?[#~=%") == NULL)
			execlp(ed, ed, path, (char *)NULL);
		else	/* through the shell: EDITOR may carry arguments */
			execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed,
			    path, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return mash_err(MASH_EDATA, "editor '%s' failed", ed);
	return MASH_OK;
}

int
mash_editor(const char *tmpl, char *path, size_t n, char **text)
{
	FILE *fp;
	int fd, rc;

	*text = NULL;
	const char *dir;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, n, "%s/mash-edit.XXXXXX", dir);
	if ((fd = mash_user_mkstemp(path)) == -1 ||
	    (fp = fdopen(fd, "w+")) == NULL) {
		rc = mash_err(MASH_ECANTCREAT, "cannot create '%s':", path);
		if (fd != -1) {
			close(fd);
			mash_user_unlink(path);
		}
		path[0] = '\0';	/* nothing is kept there */
		return rc;
	}
	fputs(tmpl, fp);
	rc = fflush(fp) == EOF ? mash_err(MASH_EIO, "cannot write '%s':",
	    path) : edit(path);
	fclose(fp);
	if (rc != MASH_OK)
		return rc;
	/*
	 * The file by its name again, with the user's rights: an editor
	 * that saves by renaming a new file over the old one (Emacs, and
	 * Vim at times) leaves the text typed in another file
	 */
	if ((fp = mash_user_fopen(path)) == NULL)
		return mash_err(MASH_EDATA, "cannot read '%s':", path);
	if ((*text = mash_slurp(fp, MASH_TEXT_MAX + 4096)) == NULL)
		rc = mash_err(MASH_EDATA, "'%s' is too long or not text", path);
	fclose(fp);
	return rc;
}

int
mash_refer_edit(struct mash *m, enum mash_format f, int raw)
{
	struct mash_referral r;
	char path[64], err[160];
	const char *why;
	char *text;
	int rc;

	if ((rc = mash_editor(template, path, sizeof(path), &text)) ==
	    MASH_OK) {
		mash_referral_init(&r);
		if ((why = parse_template(&r, text, mash_clock(m), err,
		    sizeof(err))) != NULL)
			rc = mash_err(MASH_EDATA, "not recorded: %s", why);
		else
			rc = mash_refer_one(m, &r, f, raw);
		mash_referral_free(&r);
	}
	free(text);
	if (rc == MASH_OK)
		mash_user_unlink(path);
	else if (path[0] != '\0')
		mash_warn("your text is kept in '%s'", path);
	return rc;
}
