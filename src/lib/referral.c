/*
 * referral.c: one set of field rules for every way a contact comes in,
 * options, JSON and CSV, so that no rule is written twice.  Fields are
 * named as the CSV columns of mash-import(5).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libmash.h"

enum rule {
	TEXT,		/* free text, up to MASH_TEXT_MAX */
	NAME,		/* one line, up to MASH_NAME_MAX */
	SOURCE,
	CONSENT,
	WHEN,
	CATEGORIES,
	DOB,
	GENDER,
	NHS,
	UPN,
	POSTCODE,
	ETHNICITY,
	DISABILITIES,
	EXPECTED
};

#define CASE_FIELD(f)	offsetof(struct mash_referral, f), 0
#define CHILD_FIELD(f)	offsetof(struct mash_child, f), 1

static const struct field {
	const char	*name;
	enum rule	 rule;
	size_t		 off;
	int		 child;
} fields[] = {
	{ "reference", NAME, CASE_FIELD(reference) },
	{ "received_at", WHEN, 0, 0 },
	{ "source", SOURCE, CASE_FIELD(source) },
	{ "report_type", NAME, CASE_FIELD(report_type) },
	{ "risk", NAME, CASE_FIELD(risk) },
	{ "concern", TEXT, CASE_FIELD(concern) },
	{ "categories", CATEGORIES, 0, 0 },
	{ "referrer_name", NAME, CASE_FIELD(referrer) },
	{ "referrer_contact", NAME, CASE_FIELD(referrer_contact) },
	{ "consent", CONSENT, CASE_FIELD(consent) },
	{ "child_given_name", NAME, CHILD_FIELD(given_name) },
	{ "child_family_name", NAME, CHILD_FIELD(family_name) },
	{ "child_dob", DOB, CHILD_FIELD(dob) },
	{ "child_gender", GENDER, CHILD_FIELD(gender) },
	{ "child_nhs_number", NHS, CHILD_FIELD(nhs_number) },
	{ "child_upn", UPN, CHILD_FIELD(upn) },
	{ "child_school", NAME, CHILD_FIELD(school) },
	{ "address", NAME, CHILD_FIELD(address) },
	{ "postcode", POSTCODE, CHILD_FIELD(postcode) },
	{ "child_ethnicity", ETHNICITY, CHILD_FIELD(ethnicity) },
	{ "child_disabilities", DISABILITIES, CHILD_FIELD(disabilities) },
	{ "child_expected_dob", EXPECTED, CHILD_FIELD(expected_dob) },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* received_at may run a little ahead of this machine's clock */
#define CLOCK_SKEW	300

/* a refusal says what would be taken (the forms of mash(7)) */
#define NOT_A_DATE	"is not a date: write DD/MM/YYYY or YYYY-MM-DD"
#define NOT_A_TIME	"is not a date and time: write DD/MM/YYYY HH:MM, " \
	"YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM:SSZ"

void
mash_referral_init(struct mash_referral *r)
{
	memset(r, 0, sizeof(*r));
}

static void
child_free(struct mash_child *c)
{
	free(c->given_name);
	free(c->family_name);
	free(c->dob);
	free(c->gender);
	free(c->nhs_number);
	free(c->upn);
	free(c->school);
	free(c->address);
	free(c->postcode);
	free(c->ethnicity);
	free(c->disabilities);
	free(c->expected_dob);
}

void
mash_referral_free(struct mash_referral *r)
{
	size_t i;

	for (i = 0; i < r->nchildren; i++)
		child_free(&r->children[i]);
	free(r->children);
	free(r->source);
	free(r->reference);
	free(r->concern);
	free(r->consent);
	free(r->referrer);
	free(r->referrer_contact);
	free(r->report_type);
	free(r->risk);
	cJSON_Delete(r->categories);
	mash_referral_init(r);
}

struct mash_child *
mash_referral_child(struct mash_referral *r)
{
	struct mash_child *c;

	r->children = mash_xrealloc(r->children,
	    (r->nchildren + 1) * sizeof(*r->children));
	c = &r->children[r->nchildren++];
	memset(c, 0, sizeof(*c));
	return c;
}

/*
 * A file's columns come in the same order row after row: the search
 * starts after the field found last, and finds the next at once.
 */
static const struct field *
find(const char *name)
{
	static size_t next;
	size_t i, n;

	for (n = 0; n < NFIELDS; n++) {
		i = (next + n) % NFIELDS;
		if (strcmp(fields[i].name, name) == 0) {
			next = i + 1;
			return &fields[i];
		}
	}
	return NULL;
}

/* the names people type, in options and the editor's template */
static const struct {
	const char	*alias;
	const char	*field;
} aliases[] = {
	{ "source", "source" }, { "ref", "reference" },
	{ "reference", "reference" }, { "concern", "concern" },
	{ "referrer", "referrer_name" },
	{ "referrer-contact", "referrer_contact" }, { "consent", "consent" },
	{ "category", "categories" }, { "categories", "categories" },
	{ "received-at", "received_at" }, { "report-type", "report_type" },
	{ "risk", "risk" }, { "child", "child_name" }, { "dob", "child_dob" },
	{ "gender", "child_gender" }, { "nhs-number", "child_nhs_number" },
	{ "upn", "child_upn" }, { "school", "child_school" },
	{ "address", "address" }, { "postcode", "postcode" },
	{ "ethnicity", "child_ethnicity" },
	{ "disability", "child_disabilities" },
	{ "disabilities", "child_disabilities" },
	{ "expected-dob", "child_expected_dob" },
};

const char *
mash_referral_alias(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(aliases[i].alias, name) == 0)
			return aliases[i].field;
	return NULL;
}

int
mash_referral_field(const char *name)
{
	return find(name) != NULL;
}

static void
store(char **slot, const char *v)
{
	free(*slot);
	*slot = mash_xstrdup(v);
}

/* "is not a list of known categories (neglect, ...)", from the set */
static const char *
not_a_list(enum mash_codeset set, const char *what)
{
	static char why[2][400];
	char *w = why[set == MASH_CODE_CATEGORY];

	snprintf(w, sizeof(why[0]), "is not a list of %s (%s)", what,
	    mash_codes_text(set));
	return w;
}

/* "a;b" or "a,b": each a known category, kept once */
static const char *
categories(struct mash_referral *r, const char *v)
{
	char *copy, *p, *tok;
	cJSON *a, *e;
	const char *code;
	int seen;

	/* a second --category adds to the first */
	a = r->categories ? cJSON_Duplicate(r->categories, 1) :
	    cJSON_CreateArray();
	copy = mash_xstrdup(v);
	for (p = copy; (tok = strsep(&p, ";,")) != NULL; ) {
		tok += strspn(tok, " ");
		tok[strcspn(tok, " ")] = '\0';
		if (*tok == '\0')
			continue;
		if ((code = mash_code_find(MASH_CODE_CATEGORY, tok)) == NULL)
			break;
		seen = 0;
		cJSON_ArrayForEach(e, a)
			seen |= strcmp(e->valuestring, code) == 0;
		if (!seen)
			cJSON_AddItemToArray(a, cJSON_CreateString(code));
	}
	free(copy);
	if (tok != NULL) {
		cJSON_Delete(a);
		return not_a_list(MASH_CODE_CATEGORY, "known categories");
	}
	cJSON_Delete(r->categories);
	r->categories = a;
	return NULL;
}

/*
 * "MOB;HAND" or "MOB,HAND": each a CIN disability code, kept once, as
 * a JSON array; a second --disability adds to the first.  NONE says
 * there is none, so it stands alone.
 */
static const char *
disabilities(struct mash_child *c, const char *v)
{
	cJSON *a, *e;
	char *copy, *p, *tok;
	const char *code, *why = NULL;
	int seen, none = 0;

	a = c->disabilities ? cJSON_Parse(c->disabilities) : NULL;
	if (a == NULL)
		a = cJSON_CreateArray();
	copy = mash_xstrdup(v);
	for (p = copy; why == NULL && (tok = strsep(&p, ";,")) != NULL; ) {
		tok += strspn(tok, " ");
		tok[strcspn(tok, " ")] = '\0';
		if (*tok == '\0')
			continue;
		if ((code = mash_code_find(MASH_CODE_DISABILITY, tok)) == NULL)
			why = not_a_list(MASH_CODE_DISABILITY,
			    "CIN disability codes");
		seen = 0;
		cJSON_ArrayForEach(e, a)
			seen |= code && strcmp(e->valuestring, code) == 0;
		if (why == NULL && !seen)
			cJSON_AddItemToArray(a, cJSON_CreateString(code));
	}
	free(copy);
	cJSON_ArrayForEach(e, a)
		none |= strcmp(e->valuestring, "NONE") == 0;
	if (why == NULL && none && cJSON_GetArraySize(a) > 1)
		why = "gives NONE with a disability";
	if (why == NULL) {
		free(c->disabilities);
		c->disabilities = mash_json_print(a);
	}
	cJSON_Delete(a);
	return why;
}

/*
 * An unborn child's expected date of birth: no more than 40 weeks
 * ahead, as the census holds a referral to (rule 8606)
 */
static const char *
expected(const char *v, mash_time now, char out[MASH_DATE_LEN])
{
	char today[MASH_DATE_LEN];
	int y, m, d;

	if (mash_date_parse(v, out) != 0)
		return NOT_A_DATE;
	if (mash_time_localdate(now, today) != 0 ||
	    sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return "cannot be checked: today is outside the years taken";
	if (strcmp(out, "1900-01-01") < 0)
		return "is before 1900";
	if (strcmp(out, today) > 0 && mash_civil_days(atoi(out),
	    atoi(out + 5), atoi(out + 8)) - mash_civil_days(y, m, d) > 280)
		return "is more than 40 weeks ahead";
	return NULL;
}

/* split "Ava Mae Smith" into given "Ava Mae" and family "Smith" */
static const char *
whole_name(struct mash_child *c, const char *v)
{
	const char *why, *end, *sp, *g;

	if ((why = mash_check_name(v)) != NULL)
		return why;
	while (*v == ' ')
		v++;
	end = v + strlen(v);
	while (end > v && end[-1] == ' ')
		end--;
	if (end == v)
		return "is not a name";
	for (sp = end; sp > v && sp[-1] != ' '; sp--)
		;
	free(c->family_name);
	c->family_name = strndup(sp, (size_t)(end - sp));
	for (g = sp; g > v && g[-1] == ' '; g--)
		;
	free(c->given_name);
	c->given_name = g > v ? strndup(v, (size_t)(g - v)) : NULL;
	if (c->family_name == NULL || (g > v && c->given_name == NULL))
		mash_die(MASH_ESOFTWARE, "out of memory");
	return NULL;
}

/* digits in one of the date forms, whether or not the day exists */
static int
date_shaped(const char *v)
{
	size_t a, b, c;

	a = strspn(v, "0123456789");
	if (a == 4 && v[4] == '-') {
		b = strspn(v + 5, "0123456789");
		return b == 2 && v[7] == '-' && strspn(v + 8, "0123456789") ==
		    2 && v[10] == '\0';
	}
	if (a < 1 || a > 2 || v[a] != '/')
		return 0;
	b = strspn(v + a + 1, "0123456789");
	if (b < 1 || b > 2 || v[a + 1 + b] != '/')
		return 0;
	c = strspn(v + a + b + 2, "0123456789");
	return c == 4 && v[a + b + 2 + c] == '\0';
}

static const char *
child_rule(const struct field *f, char **slot, const char *v, mash_time now)
{
	char buf[MASH_DATE_LEN + 16];
	const char *why;

	switch (f->rule) {
	case DOB:
		why = mash_check_dob(v, now, buf);
		/* a day that does not exist is in the right form */
		if (why != NULL && strcmp(why, "is not a date") == 0 &&
		    !date_shaped(v))
			why = NOT_A_DATE;
		break;
	case GENDER:
		why = mash_check_code(MASH_CODE_GENDER, v);
		if (why == NULL)
			snprintf(buf, sizeof(buf), "%s",
			    mash_code_find(MASH_CODE_GENDER, v));
		break;
	case NHS:
		why = mash_check_nhs(v, buf);
		break;
	case UPN:
		why = mash_check_upn(v, buf);
		break;
	case POSTCODE:
		why = mash_check_postcode(v, buf);
		break;
	case ETHNICITY:
		if ((why = mash_check_code(MASH_CODE_ETHNICITY, v)) == NULL)
			snprintf(buf, sizeof(buf), "%s",
			    mash_code_find(MASH_CODE_ETHNICITY, v));
		break;
	case EXPECTED:
		why = expected(v, now, buf);
		break;
	default:
		return "has no rule";
	}
	if (why == NULL)
		store(slot, buf);
	return why;
}

static const char *
text_rule(const struct field *f, char **slot, const char *v)
{
	const char *why;

	why = f->rule == TEXT ? mash_check_words(v, MASH_TEXT_MAX) :
	    mash_check_name(v);
	if (why == NULL)
		store(slot, v);
	return why;
}

const char *
mash_referral_set(struct mash_referral *r, const char *name, const char *v,
    mash_time now)
{
	const struct field *f;
	struct mash_child *c = NULL;
	const char *code, *why;
	char **slot;
	mash_time t;

	if (v == NULL || *v == '\0')
		return NULL;
	if (strncmp(name, "child_", 6) == 0 || strcmp(name, "address") == 0 ||
	    strcmp(name, "postcode") == 0)
		c = r->nchildren ? &r->children[r->nchildren - 1] :
		    mash_referral_child(r);
	if (strcmp(name, "child_name") == 0)
		return whole_name(c, v);
	if ((f = find(name)) == NULL)
		return "is not a known field";
	slot = (char **)((f->child ? (char *)c : (char *)r) + f->off);
	switch (f->rule) {
	case TEXT:
	case NAME:
		return text_rule(f, slot, v);
	case SOURCE:
		if ((code = mash_source_code(v)) == NULL)
			return mash_check_code(MASH_CODE_SOURCE, v);
		store(slot, code);
		return NULL;
	case CONSENT:
		if ((why = mash_check_code(MASH_CODE_CONSENT, v)) == NULL)
			store(slot, mash_code_find(MASH_CODE_CONSENT, v));
		return why;
	case WHEN:
		if (mash_time_parse(v, &t) != 0)
			return NOT_A_TIME;
		if (t > now + CLOCK_SKEW)
			return "is in the future";
		r->received_at = t;
		r->has_received_at = 1;
		return NULL;
	case CATEGORIES:
		return categories(r, v);
	case DISABILITIES:
		return disabilities(c, v);
	default:
		return child_rule(f, slot, v, now);
	}
}

const char *
mash_referral_check(const struct mash_referral *r)
{
	size_t i;

	if (r->source == NULL)
		return "source is missing";
	if (r->concern == NULL)
		return "concern is missing";
	if (r->nchildren == 0)
		return "no child is named";
	for (i = 0; i < r->nchildren; i++)
		if (r->children[i].given_name == NULL &&
		    r->children[i].family_name == NULL)
			return "a child has no name";
		else if (r->children[i].dob != NULL &&
		    r->children[i].expected_dob != NULL)
			return "a child has both a date of birth and an "
			    "expected date of birth: give the one that holds";
	return NULL;
}

/* keys a record prints that intake does not take: ignored, not refused */
static int
printed_only(const char *key)
{
	static const char *const keys[] = {
		"id", "state", "rag", "source_code", "criteria", "assigned_to",
		"screening_due", "decision_due", "outcome", "outcome_agency",
		"requests", "summary", "recommendation", "events", "person_id",
		"previous_cases", "contacts_12m", "possible_matches",
		"history", "created_at", "created_by", "accepted_at",
		"closed_at", "share_basis", "recommendation_agency",
		"screening_note", "suggested_criteria", "updated_at",
		"supersedes", "updates", "need_code", "outcome_reason",
		"updated", NULL
	};
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

/* the field a JSON key fills, "" to ignore it, NULL if unknown */
static const char *
json_field(const char *key, int child, char *buf, size_t n)
{
	if (printed_only(key))
		return "";
	if (child) {
		if (strcmp(key, "address") == 0 || strcmp(key, "postcode") == 0)
			return key;
		snprintf(buf, n, "child_%s", key);
		if (strcmp(key, "name") != 0 && !mash_referral_field(buf))
			return NULL;
		return buf;
	}
	if (strcmp(key, "referrer") == 0)
		return "referrer_name";
	if (strcmp(key, "children") == 0 || find(key) == NULL ||
	    find(key)->child)
		return NULL;
	return key;
}

/*
 * A key given twice would be read once (the first "children") or
 * twice with the last kept: either way something sent is dropped.
 * Every key before it was a known one, so this is short.
 */
static int
twice(const cJSON *obj, const cJSON *v)
{
	const cJSON *e;

	for (e = obj->child; e != v; e = e->next)
		if (strcmp(e->string, v->string) == 0)
			return 1;
	return 0;
}

/*
 * An array of strings as one "a;b;" for mash_referral_set, or NULL if
 * an element is not a string.  Grown by doubling: a hostile array of
 * a million strings must not take a million copies.
 */
static char *
join(const cJSON *a)
{
	const cJSON *e;
	char *s;
	size_t len = 0, cap = 64, n;

	s = mash_xmalloc(cap);
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e)) {
			free(s);
			return NULL;
		}
		n = strlen(e->valuestring);
		if (len + n + 2 > cap)
			s = mash_xrealloc(s, cap = 2 * (len + n + 2));
		memcpy(s + len, e->valuestring, n);
		len += n;
		s[len++] = ';';
	}
	s[len] = '\0';
	return s;
}

static const char *
json_members(struct mash_referral *r, const cJSON *obj, int child,
    mash_time now, char *err, size_t errsz)
{
	const cJSON *v;
	const char *field, *why;
	char buf[64], *joined;

	cJSON_ArrayForEach(v, obj) {
		if (twice(obj, v)) {
			snprintf(err, errsz, "key '%.64s' is given twice",
			    v->string);
			return err;
		}
		if (!child && strcmp(v->string, "children") == 0)
			continue;
		if ((field = json_field(v->string, child, buf, sizeof(buf))) ==
		    NULL) {
			snprintf(err, errsz, "key '%.64s' is not a known field",
			    v->string);
			return err;
		}
		if (*field == '\0' || cJSON_IsNull(v))
			continue;
		if ((strcmp(field, "categories") == 0 ||
		    strcmp(field, "child_disabilities") == 0) &&
		    cJSON_IsArray(v)) {
			if ((joined = join(v)) == NULL) {
				snprintf(err, errsz, "key '%s' must be "
				    "an array of strings", v->string);
				return err;
			}
			why = mash_referral_set(r, field, joined, now);
			free(joined);
		} else if (!cJSON_IsString(v)) {
			snprintf(err, errsz, "key '%s' must be a string",
			    v->string);
			return err;
		} else
			why = mash_referral_set(r, field, v->valuestring, now);
		if (why != NULL) {
			snprintf(err, errsz, "key '%s' %s", v->string, why);
			return err;
		}
	}
	return NULL;
}

const char *
mash_referral_json(struct mash_referral *r, const cJSON *obj, mash_time now,
    char *err, size_t errsz)
{
	const cJSON *kids, *k;
	const char *why;

	if (!cJSON_IsObject(obj)) {
		snprintf(err, errsz, "a referral must be a JSON object");
		return err;
	}
	if ((why = json_members(r, obj, 0, now, err, errsz)) != NULL)
		return why;
	kids = cJSON_GetObjectItemCaseSensitive(obj, "children");
	if (kids != NULL && !cJSON_IsArray(kids)) {
		snprintf(err, errsz, "key 'children' must be an array");
		return err;
	}
	cJSON_ArrayForEach(k, kids) {
		if (!cJSON_IsObject(k)) {
			snprintf(err, errsz, "each child must be an object");
			return err;
		}
		mash_referral_child(r);
		if ((why = json_members(r, k, 1, now, err, errsz)) != NULL)
			return why;
	}
	return NULL;
}
