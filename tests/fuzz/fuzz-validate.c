/*
 * fuzz-validate.c: the field rules of validate.c and the name matching
 * of match.c on any bytes.  The first line of the input is one value,
 * the rest another.  Checked besides crashes: a stored form re-validates
 * to itself; text rules agree with a decoder written here from the
 * Unicode table; a name key is no longer than its name and, for text,
 * its own key; similarity lies in [0, 1], is symmetric, and is 1 for
 * equal keys.
 */
#include "fuzz.h"

/*
 * Well-formed UTF-8 (Unicode 15, table 3-7), written apart from
 * mash_utf8_decode so the two can be compared: the length of the
 * sequence at s, or 0.
 */
static size_t
ref_utf8(const unsigned char *s, uint32_t *cp)
{
	static const struct {
		unsigned char	 lo, hi;	/* the first byte */
		unsigned char	 lo2, hi2;	/* the second byte */
		size_t		 n;
	} forms[] = {
		{ 0x00, 0x7f, 0, 0, 1 },
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 },
		{ 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 },
		{ 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 },
		{ 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 },
		{ 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (s[0] < forms[i].lo || s[0] > forms[i].hi)
			continue;
		if (forms[i].n == 1) {
			*cp = s[0];
			return 1;
		}
		if (s[1] < forms[i].lo2 || s[1] > forms[i].hi2)
			return 0;
		for (k = 2; k < forms[i].n; k++)
			if (s[k] < 0x80 || s[k] > 0xbf)
				return 0;
		*cp = s[0] & (0xff >> (forms[i].n + 1));
		for (k = 1; k < forms[i].n; k++)
			*cp = *cp << 6 | (s[k] & 0x3f);
		return forms[i].n;
	}
	return 0;
}

/* the text rule by the reference decoder: 1 good, 0 not */
static int
ref_text(const char *str, size_t max, int layout)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t n;

	if (strlen(str) > max)
		return 0;
	for (; *s != '\0'; s += n) {
		if ((n = ref_utf8(s, &c)) == 0)
			return 0;
		if (layout && (c == '\t' || c == '\n' ||
		    (c == '\r' && s[1] == '\n')))
			continue;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return 0;
	}
	return 1;
}

static void
utf8(const char *s)
{
	uint32_t a, b;
	size_t n, m;

	for (; *s != '\0'; s += n ? n : 1) {
		a = b = 0;
		n = mash_utf8_decode(s, &a);
		m = ref_utf8((const unsigned char *)s, &b);
		fuzz_assert(n == m);
		fuzz_assert(n == 0 || a == b);
	}
}

static void
text(const char *s)
{
	fuzz_assert((mash_check_text(s, MASH_TEXT_MAX) == NULL) ==
	    ref_text(s, MASH_TEXT_MAX, 1));
	fuzz_assert((mash_check_text(s, 8) == NULL) == ref_text(s, 8, 1));
	fuzz_assert((mash_check_name(s) == NULL) ==
	    ref_text(s, MASH_NAME_MAX, 0));
}

static void
identifiers(const char *s)
{
	char nhs[11], nhs2[11], upn[14], upn2[14], pc[9], pc2[9];
	size_t i, sp = 0;

	if (mash_check_nhs(s, nhs) == NULL) {
		fuzz_assert(strlen(nhs) == 10);
		fuzz_assert(strspn(nhs, "0123456789") == 10);
		fuzz_assert(mash_check_nhs(nhs, nhs2) == NULL);
		fuzz_assert(strcmp(nhs, nhs2) == 0);
	}
	if (mash_check_upn(s, upn) == NULL) {
		fuzz_assert(strlen(upn) == 13);
		fuzz_assert(strspn(upn + 1, "0123456789") >= 11);
		fuzz_assert(mash_check_upn(upn, upn2) == NULL);
		fuzz_assert(strcmp(upn, upn2) == 0);
	}
	if (mash_check_postcode(s, pc) == NULL) {
		for (i = 0; pc[i] != '\0'; i++) {
			fuzz_assert(pc[i] == ' ' || (pc[i] >= 'A' &&
			    pc[i] <= 'Z') || (pc[i] >= '0' && pc[i] <= '9'));
			sp += pc[i] == ' ';
		}
		fuzz_assert(sp == 1 && i >= 6 && i <= 8 && pc[i - 4] == ' ');
		fuzz_assert(mash_check_postcode(pc, pc2) == NULL);
		fuzz_assert(strcmp(pc, pc2) == 0);
	}
}

static void
codes(const char *s)
{
	static const enum mash_codeset sets[] = {
		MASH_CODE_SOURCE, MASH_CODE_OUTCOME, MASH_CODE_RAG,
		MASH_CODE_CATEGORY, MASH_CODE_CONSENT, MASH_CODE_GENDER,
		MASH_CODE_ROLE, MASH_CODE_STATE
	};
	const char *stored;
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		stored = mash_code_find(sets[i], s);
		fuzz_assert((stored == NULL) ==
		    (mash_check_code(sets[i], s) != NULL));
		if (stored != NULL)
			fuzz_assert(strcmp(mash_code_find(sets[i], stored),
			    stored) == 0);
	}
	if ((stored = mash_source_code(s)) != NULL)
		fuzz_assert(mash_source_name(stored) != NULL);
	if (mash_check_login(s) == NULL)
		fuzz_assert(strlen(s) >= 1 && strlen(s) <= 32);
}

static void
dob(const char *s)
{
	char d[MASH_DATE_LEN], d2[MASH_DATE_LEN];
	mash_time now = 1773136800;	/* 2026-03-10T10:00:00Z */

	if (mash_check_dob(s, now, d) == NULL) {
		fuzz_assert(strcmp(d, "1900-01-01") >= 0);
		fuzz_assert(strcmp(d, "2026-03-10") <= 0);
		fuzz_assert(mash_check_dob(d, now, d2) == NULL);
		fuzz_assert(strcmp(d, d2) == 0);
	}
}

/* the key of s, newly allocated, in a buffer of the documented size */
static char *
key(const char *s)
{
	size_t n = strlen(s) + 1;
	char *k;

	k = mash_xmalloc(n);
	memset(k, 'x', n);
	mash_name_key(s, k, n);
	fuzz_assert(strlen(k) < n);
	return k;
}

static void
names(const char *a, const char *b)
{
	char *ka, *kb, *kka, small[4];
	double ab, ba;

	ka = key(a);
	kb = key(b);
	/* a key is of text that passed the name rule, never of raw bytes */
	if (mash_check_name(a) == NULL) {
		kka = key(ka);
		fuzz_assert(strcmp(ka, kka) == 0);
		free(kka);
	}
	fuzz_assert(ka[0] != ' ' && (ka[0] == '\0' ||
	    ka[strlen(ka) - 1] != ' '));
	fuzz_assert(strstr(ka, "  ") == NULL);
	mash_name_key(a, small, sizeof(small));
	fuzz_assert(strlen(small) < sizeof(small));
	ab = mash_name_similarity(ka, kb);
	ba = mash_name_similarity(kb, ka);
	fuzz_assert(ab >= 0.0 && ab <= 1.0);
	fuzz_assert(ab == ba);
	fuzz_assert(mash_name_similarity(ka, ka) == 1.0);
	if (strcmp(ka, kb) == 0)
		fuzz_assert(ab == 1.0);
	free(ka);
	free(kb);
}

static void
one(const char *s)
{
	utf8(s);
	text(s);
	identifiers(s);
	codes(s);
	dob(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *nl, *b;

	fuzz_tz();
	s = fuzz_string(data, size);
	one(s);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		b = nl + 1;
		one(s);
		one(b);
	} else
		b = s + strlen(s);
	names(s, b);
	free(s);
	return 0;
}
