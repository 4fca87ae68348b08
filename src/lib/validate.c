/*
 * validate.c: the field rules of mash(7).  Each check returns NULL
 * for a good value, or the end of a message for the caller to put after
 * the field and the value, so every program words a refusal the same way.
 * Only ASCII is case folded here: a locale must never change what a code
 * or an identifier means.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libmash.h"

static const char nhs_bad[] = "is not a valid NHS number";
static const char upn_bad[] = "is not a valid UPN";
static const char postcode_bad[] = "is not a valid postcode";

static int
isdigit_ascii(int c)
{
	return c >= '0' && c <= '9';
}

static int
upper_ascii(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
isupper_ascii(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
eq_ascii_nocase(const char *a, const char *b)
{
	while (*a != '\0' && lower_ascii((unsigned char)*a) ==
	    lower_ascii((unsigned char)*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

/*
 * NHS number: ten digits, the last a Modulus 11 check on the first nine
 * (weights 10 down to 2).  People write it grouped 3-3-4 with spaces or
 * hyphens, so those are dropped wherever they are.
 */
const char *
mash_check_nhs(const char *s, char out[11])
{
	char d[11];
	size_t n = 0;
	int i, sum = 0, check;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (!isdigit_ascii(*s) || n == 10)
			return nhs_bad;
		d[n++] = *s;
	}
	if (n != 10)
		return nhs_bad;
	for (i = 0; i < 9; i++)
		sum += (d[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	/* a remainder giving 10 is never issued */
	if (check == 10 || check != d[9] - '0')
		return nhs_bad;
	memcpy(out, d, 10);
	out[10] = '\0';
	return NULL;
}

/* The DfE's 23 letters: I, O and S are left out as too like 1, 0 and 5. */
static const char upn_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

static int
upn_letter_value(int c)
{
	const char *p;

	if (!isupper_ascii(c) || (p = strchr(upn_letters, c)) == NULL)
		return -1;
	return (int)(p - upn_letters);
}

/*
 * UPN: a check letter, then LA (3 digits), establishment (4), year (2)
 * and serial (3).  A temporary UPN ends in a letter instead of a digit.
 * The check letter is the sum of each later character's value times its
 * position (2 to 13), mod 23, by the same letter table (DfE, Government
 * Data Standards Catalogue "Unique Pupil Number" 2.0).
 */
const char *
mash_check_upn(const char *s, char out[14])
{
	char u[14];
	int i, v, sum = 0;

	if (strlen(s) != 13)
		return upn_bad;
	for (i = 0; i < 13; i++)
		u[i] = (char)upper_ascii((unsigned char)s[i]);
	u[13] = '\0';
	for (i = 1; i < 13; i++) {
		if (isdigit_ascii(u[i]))
			v = u[i] - '0';
		else if (i == 12)
			v = upn_letter_value(u[i]);
		else
			v = -1;
		if (v == -1)
			return upn_bad;
		sum += v * (i + 1);
	}
	if (upn_letter_value(u[0]) != sum % 23)
		return upn_bad;
	memcpy(out, u, sizeof u);
	return NULL;
}

/* 'A' a letter, '9' a digit */
static int
shape_is(const char *s, size_t n, const char *shape)
{
	size_t i;

	if (strlen(shape) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (shape[i] == 'A' ? !isupper_ascii(s[i]) :
		    !isdigit_ascii(s[i]))
			return 0;
	return 1;
}

static int
outward_ok(const char *s, size_t n)
{
	static const char *const shapes[] = {
		"A9", "A99", "A9A", "AA9", "AA99", "AA9A", NULL
	};
	const char *const *p;

	for (p = shapes; *p != NULL; p++)
		if (shape_is(s, n, *p))
			return 1;
	return 0;
}

/* the inward code's letters never include C I K M O V */
static int
inward_ok(const char *s)
{
	return isdigit_ascii(s[0]) &&
	    isupper_ascii(s[1]) && strchr("CIKMOV", s[1]) == NULL &&
	    isupper_ascii(s[2]) && strchr("CIKMOV", s[2]) == NULL;
}

/*
 * UK postcode, in any case, spaced or not; stored "OUTWARD INWARD".  The
 * inward code is always the last three characters, which is what lets
 * an unspaced postcode be split.  GIR 0AA (Girobank) is the one postcode
 * outside the pattern.
 */
const char *
mash_check_postcode(const char *s, char out[9])
{
	char p[8];
	size_t n = 0, o;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (n == 7)
			return postcode_bad;
		p[n++] = (char)upper_ascii((unsigned char)*s);
	}
	if (n < 5)
		return postcode_bad;
	p[n] = '\0';
	o = n - 3;
	if (!(o == 3 && memcmp(p, "GIR0AA", 6) == 0) &&
	    !(outward_ok(p, o) && inward_ok(p + o)))
		return postcode_bad;
	memcpy(out, p, o);
	out[o] = ' ';
	memcpy(out + o + 1, p + o, 4);
	return NULL;
}

/*
 * A date of birth, not after today where the hub is.  The floor of 1900
 * catches a year typed short or wrong (0016 for 2016), whatever years
 * mash_date_parse allows.  An unborn child's expected date is not a
 * date of birth: it is checked with mash_date_parse alone.
 */
const char *
mash_check_dob(const char *s, mash_time now, char out[MASH_DATE_LEN])
{
	char d[MASH_DATE_LEN], today[MASH_DATE_LEN], utc[MASH_TIME_LEN];

	if (mash_date_parse(s, d) == -1)
		return "is not a date";
	/*
	 * A date before the UTC date of two days ago is before today in
	 * any time zone: only a date near today asks the hub's calendar,
	 * the slower of the two.
	 */
	if (mash_time_utc(now - 2 * 86400, utc) == -1 ||
	    strncmp(d, utc, MASH_DATE_LEN - 1) >= 0) {
		if (mash_time_localdate(now, today) == -1)
			return "cannot be checked: today is outside the years "
			    "taken";
		if (strcmp(d, today) > 0)
			return "is in the future";
	}
	if (strcmp(d, "1900-01-01") < 0)
		return "is before 1900";
	memcpy(out, d, sizeof d);
	return NULL;
}

/* mash(7); the two source lists run in step, census code for name */
static const char *const source_names[] = {
	"family", "acquaintance", "self", "individual",
	"school", "education",
	"gp", "health-visitor", "school-nurse", "health", "a-and-e",
	"health-other",
	"housing",
	"social-care", "la-internal", "other-la", "early-help",
	"police", "legal", "other", "anonymous", "unknown", NULL
};
static const char *const source_codes[] = {
	"1A", "1B", "1C", "1D",
	"2A", "2B",
	"3A", "3B", "3C", "3D", "3E",
	"3F",
	"4",
	"5A", "5B", "5C", "5D",
	"6", "7", "8", "9", "10", NULL
};
static const char *const outcomes[] = {
	"cpat", "early-help", "caf", "single-agency", "nfa", NULL
};
static const char *const rags[] = { "red", "amber", "green", NULL };
static const char *const categories[] = {
	"neglect", "physical", "emotional", "sexual", "domestic-abuse",
	"cse", "cce", "missing", "mental-health", "substance-misuse", "fgm",
	"radicalisation", "other", NULL
};
static const char *const consents[] = {
	"given", "refused", "not-sought", "unknown", NULL
};
static const char *const genders[] = {
	"male", "female", "other", "unknown", NULL
};
static const char *const roles[] = {
	"admin", "screener", "head", "social-worker", "agency", "auditor", NULL
};

/* the DfE's codes (mash(7), CODES), kept as written: upper case */
static const char *const ethnicities[] = {
	"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH",
	"AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH",
	"REFU", "NOBT", NULL
};
static const char *const disabilities[] = {
	"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH",
	"CON", "AUT", "DDA", NULL
};
static const char *const needs[] = {
	"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", NULL
};

static const struct codeset {
	const char *const	*names;
	const char		*bad;
} codesets[] = {
	[MASH_CODE_SOURCE] = { source_names, "is not a known source" },
	[MASH_CODE_OUTCOME] = { outcomes, "is not a known outcome" },
	[MASH_CODE_RAG] = { rags, "is not a known RAG rating" },
	[MASH_CODE_CATEGORY] = { categories, "is not a known category" },
	[MASH_CODE_CONSENT] = { consents, "is not a known consent" },
	[MASH_CODE_GENDER] = { genders, "is not a known gender" },
	[MASH_CODE_ROLE] = { roles, "is not a known role" },
	/* casework.c's, the one list of the states */
	[MASH_CODE_STATE] = { mash_states, "is not a known state" },
	[MASH_CODE_ETHNICITY] = { ethnicities, "is not a known ethnicity code" },
	[MASH_CODE_DISABILITY] = { disabilities,
	    "is not a known disability code" },
	[MASH_CODE_NEED] = { needs, "is not a known primary need code" }
};
#define NCODESETS	(sizeof(codesets) / sizeof(codesets[0]))

/* the index of s in a NULL-terminated list, ignoring ASCII case; or -1 */
static int
find(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (eq_ascii_nocase(list[i], s))
			return i;
	return -1;
}

const char *
mash_source_code(const char *s)
{
	int i;

	if ((i = find(source_names, s)) == -1 &&
	    (i = find(source_codes, s)) == -1)
		return NULL;
	return source_codes[i];
}

const char *
mash_source_name(const char *code)
{
	int i;

	return (i = find(source_codes, code)) == -1 ? NULL : source_names[i];
}

const char *
mash_code_find(enum mash_codeset set, const char *s)
{
	int i;

	if ((size_t)set >= NCODESETS)
		return NULL;
	if (set == MASH_CODE_SOURCE)
		return mash_source_code(s);
	i = find(codesets[set].names, s);
	return i == -1 ? NULL : codesets[set].names[i];
}

/*
 * The hub's own codes (agencies, criteria) are made lower case when
 * they are added, so folding what a user typed finds them in any case,
 * as mash_code_find finds the fixed ones (mash(7), CODES).
 */
char *
mash_code_fold(const char *s, char *buf, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 >= n)
			return NULL;
		buf[i] = (char)lower_ascii((unsigned char)s[i]);
	}
	buf[i] = '\0';
	return buf;
}

/*
 * The refusal names what is taken (mash(7), CODES), from the list that
 * is checked: "is not a known state (new, screened, ...)"; a source
 * is also taken by its census code.  Each set has a buffer of its own.
 */
const char *
mash_check_code(enum mash_codeset set, const char *s)
{
	static char why[NCODESETS][400];

	if ((size_t)set >= NCODESETS)
		return "is not a known code";
	if (mash_code_find(set, s) != NULL)
		return NULL;
	if (why[set][0] == '\0')
		snprintf(why[set], sizeof(why[set]), "%s (%s%s)",
		    codesets[set].bad, mash_codes_text(set),
		    set == MASH_CODE_SOURCE ? ", or a census code" : "");
	return why[set];
}

const char *
mash_codes_text(enum mash_codeset set)
{
	static char text[NCODESETS][320];
	const char *const *c;
	size_t n = 0;

	if ((size_t)set >= NCODESETS)
		return "";
	if (text[set][0] != '\0')
		return text[set];
	for (c = codesets[set].names; *c != NULL && n < sizeof(text[set]);
	    c++)
		n += (size_t)snprintf(text[set] + n, sizeof(text[set]) - n,
		    "%s%s", n ? ", " : "", *c);
	return text[set];
}

const char *const *
mash_codes(enum mash_codeset set)
{
	static const char *const none[] = { NULL };

	return (size_t)set < NCODESETS ? codesets[set].names : none;
}

/* the shape of a Unix login name that is safe in a path and a table */
const char *
mash_check_login(const char *s)
{
	static const char bad[] = "is not a valid login name";
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return bad;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || isdigit_ascii(s[i]) ||
		    strchr("_.-", s[i]) != NULL) || i == 32)
			return bad;
	return NULL;
}

static int
is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t
mash_utf8_decode(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/* C0 and C1 could only begin overlong forms; F5 up pass U+10FFFF */
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	/* a NUL is not a continuation byte, so a short string stops here */
	for (i = 1; i < n; i++) {
		if (!is_cont(s[i]))
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return n;
}

/*
 * The bidirectional controls: embeddings and overrides (U+202A to
 * U+202E), isolates (U+2066 to U+2069) and the marks (U+200E, U+200F,
 * U+061C).  Each can make a name or a note read on the screen in an
 * order other than the one stored; script of either direction needs
 * none of them to be written.
 */
static int
bidi(uint32_t c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Text layout allowed: tab and line feed, and a carriage return only as
 * part of CRLF, which is how text written on Windows and pasted into a
 * CSV arrives.  A lone CR and the C1 controls (U+0080 to U+009F) are
 * refused with the other controls: they can move the cursor or start an
 * escape sequence when a record is printed on a terminal, and in real
 * text they are only ever the sign of a mangled encoding.
 */
static const char *
check_text(const char *s, size_t max, int layout)
{
	static char why[64];
	uint32_t c;
	size_t n;

	if (strlen(s) > max)
		return "is too long";
	for (; *s != '\0'; s += n) {
		if ((n = mash_utf8_decode(s, &c)) == 0)
			return "is not valid UTF-8";
		if (layout && (c == '\t' || c == '\n' ||
		    (c == '\r' && s[1] == '\n')))
			continue;
		if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
			return "contains a control character";
		if (bidi(c)) {
			snprintf(why, sizeof(why), "contains the "
			    "bidirectional control U+%04X", (unsigned)c);
			return why;
		}
	}
	return NULL;
}

const char *
mash_check_text(const char *s, size_t max)
{
	return check_text(s, max, 1);
}

/* white space: ASCII's, and the Unicode spaces a paste brings */
static int
space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
	    c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/*
 * What a person writes for others to read (a concern, a reason, a
 * note, a summary, a question, an answer) says something: a value of
 * white space alone would pass any "is it given?" test and say nothing.
 */
const char *
mash_check_words(const char *s, size_t max)
{
	const char *p;
	uint32_t c;
	size_t n;

	for (p = s; *p != '\0'; p += n)
		if ((n = mash_utf8_decode(p, &c)) == 0 || !space(c))
			return check_text(s, max, 1);
	return "holds only white space";
}

/* a name is one line of a table: no tabs or line breaks either */
const char *
mash_check_name(const char *s)
{
	return check_text(s, MASH_NAME_MAX, 0);
}
