/*
 * fuzz-json.c: the JSON referral reader, as mash-refer --json meets a
 * line: the depth guard, cJSON, then mash_referral_json and
 * mash_referral_check on the object or each element of an array.
 * Checked besides crashes: the guard refuses exactly the valid JSON
 * that is nested too deep or holds a \u0000 (which cJSON would turn
 * into a NUL that cuts its string short); no key given twice is taken
 * (one of the two would be dropped); a referral taken holds only values its own
 * field rules take again (so nothing reaches the store that the rules
 * refuse); a refusal names the key and, made safe as intake.c makes
 * it, carries no control character.
 */
#include "fuzz.h"

static const mash_time now = 1773136800;	/* 2026-03-10T10:00:00Z */

static int
depth(const cJSON *j)
{
	const cJSON *e;
	int d, max = 0;

	if (!cJSON_IsArray(j) && !cJSON_IsObject(j))
		return 0;
	cJSON_ArrayForEach(e, j)
		if ((d = depth(e)) > max)
			max = d;
	return max + 1;
}

static void
name_ok(const char *s)
{
	fuzz_assert(s == NULL || (*s != '\0' && mash_check_name(s) == NULL));
}

static void
same(const char *s, const char *(*rule)(const char *, char *))
{
	char buf[32];

	if (s == NULL)
		return;
	fuzz_assert(strlen(s) < sizeof(buf));
	fuzz_assert(rule(s, buf) == NULL && strcmp(s, buf) == 0);
}

static const char *
nhs(const char *s, char *out)
{
	return mash_check_nhs(s, out);
}

static const char *
upn(const char *s, char *out)
{
	return mash_check_upn(s, out);
}

static const char *
postcode(const char *s, char *out)
{
	return mash_check_postcode(s, out);
}

static const char *
dob(const char *s, char *out)
{
	return mash_check_dob(s, now, out);
}

static void
child_ok(const struct mash_child *c)
{
	fuzz_assert(c->given_name != NULL || c->family_name != NULL);
	name_ok(c->given_name);
	name_ok(c->family_name);
	name_ok(c->school);
	name_ok(c->address);
	same(c->dob, dob);
	same(c->nhs_number, nhs);
	same(c->upn, upn);
	same(c->postcode, postcode);
	fuzz_assert(c->gender == NULL ||
	    mash_check_code(MASH_CODE_GENDER, c->gender) == NULL);
}

/* a referral taken is one the rules would take again, field by field */
static void
referral_ok(const struct mash_referral *r)
{
	const cJSON *e, *f;
	size_t i;

	fuzz_assert(mash_source_name(r->source) != NULL);
	fuzz_assert(mash_check_text(r->concern, MASH_TEXT_MAX) == NULL);
	name_ok(r->reference);
	name_ok(r->referrer);
	name_ok(r->referrer_contact);
	name_ok(r->report_type);
	name_ok(r->risk);
	fuzz_assert(r->consent == NULL ||
	    mash_check_code(MASH_CODE_CONSENT, r->consent) == NULL);
	fuzz_assert(!r->has_received_at || r->received_at <= now + 300);
	cJSON_ArrayForEach(e, r->categories) {
		fuzz_assert(cJSON_IsString(e));
		fuzz_assert(mash_check_code(MASH_CODE_CATEGORY,
		    e->valuestring) == NULL);
		for (f = e->next; f != NULL; f = f->next)
			fuzz_assert(strcmp(e->valuestring, f->valuestring));
	}
	fuzz_assert(r->nchildren > 0);
	for (i = 0; i < r->nchildren; i++)
		child_ok(&r->children[i]);
}

static void
keys_once(const cJSON *obj)
{
	const cJSON *a, *b;

	cJSON_ArrayForEach(a, obj)
		for (b = a->next; b != NULL; b = b->next)
			fuzz_assert(strcmp(a->string, b->string) != 0);
}

static void
one(const cJSON *obj)
{
	struct mash_referral r;
	const cJSON *e;
	char err[160];
	const char *why;

	mash_referral_init(&r);
	if ((why = mash_referral_json(&r, obj, now, err, sizeof(err))) ==
	    NULL)
		why = mash_referral_check(&r);
	if (why == NULL) {
		referral_ok(&r);
		keys_once(obj);
		cJSON_ArrayForEach(e,
		    cJSON_GetObjectItemCaseSensitive(obj, "children"))
			keys_once(e);
	} else if (why == err) {
		fuzz_assert(strlen(err) < sizeof(err));
		mash_sanitise(err);
		for (why = err; *why != '\0'; why++)
			fuzz_assert((unsigned char)*why >= 0x20 &&
			    *why != 0x7f);
	}
	mash_referral_free(&r);
}

/* an escaped NUL: "\u0000" after an odd run of backslashes */
static int
has_nul(const char *s)
{
	const char *p, *q;

	for (p = s; (p = strstr(p, "u0000")) != NULL; p++) {
		for (q = p; q > s && q[-1] == '\\'; q--)
			;
		if ((p - q) % 2 == 1)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const cJSON *e;
	cJSON *j;
	char *text;
	const char *why;

	fuzz_tz();
	/* intake refuses a line or an array with a NUL byte before this */
	if (memchr(data, '\0', size) != NULL)
		return 0;
	text = fuzz_string(data, size);
	why = mash_json_guard(text);
	if ((j = cJSON_ParseWithOpts(text, NULL, 1)) != NULL) {
		fuzz_assert((why != NULL) == (depth(j) > MASH_JSON_DEPTH ||
		    has_nul(text)));
		if (why == NULL && cJSON_IsArray(j))
			cJSON_ArrayForEach(e, j)
				one(e);
		else if (why == NULL)
			one(j);
		cJSON_Delete(j);
	}
	free(text);
	return 0;
}
