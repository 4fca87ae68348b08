/* validate.c: the field rules of mash(7), CODES and CHILDREN */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libmash.h"
#include "tap.h"

typedef const char *checker(const char *, char *);

/* input bytes made printable for a test's name */
static const char *
vis(const char *s)
{
	static char buf[4][128];
	static int n;
	char *b = buf[n++ % 4];
	size_t i = 0;

	for (; *s != '\0' && i < sizeof(buf[0]) - 5; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7F)
			i += snprintf(b + i, 5, "\\x%02X", c);
		else
			b[i++] = (char)c;
	}
	b[i] = '\0';
	return b;
}

static void
accept(checker *f, const char *what, const char *in, const char *want)
{
	char out[64] = "";
	const char *msg;

	msg = f(in, out);
	if (!ok(msg == NULL && strcmp(out, want) == 0,
	    "%s '%s' is stored as '%s'", what, vis(in), want))
		printf("#   got %s '%s'\n", msg ? msg : "(null)", out);
}

static void
refuse(checker *f, const char *what, const char *in, const char *want)
{
	char out[64], name[256];

	snprintf(name, sizeof(name), "%s '%s' %s", what, vis(in), want);
	is(f(in, out), want, name);
}

static void
test_nhs(void)
{
	static const char bad[] = "is not a valid NHS number";
	char in[11];
	int i, all;

	/* 9434765870 also takes the 11 -> 0 rule: the sum is 308 */
	accept(mash_check_nhs, "NHS number", "9434765870", "9434765870");
	accept(mash_check_nhs, "NHS number", "943 476 5870", "9434765870");
	accept(mash_check_nhs, "NHS number", "943-476-5870", "9434765870");
	accept(mash_check_nhs, "NHS number", "4010232137", "4010232137");
	refuse(mash_check_nhs, "NHS number", "9434765871", bad);
	refuse(mash_check_nhs, "NHS number", "4010232138", bad);
	refuse(mash_check_nhs, "NHS number", "943476587", bad);
	refuse(mash_check_nhs, "NHS number", "94347658700", bad);
	refuse(mash_check_nhs, "NHS number", "943476587O", bad);
	refuse(mash_check_nhs, "NHS number", "943.476.5870", bad);
	refuse(mash_check_nhs, "NHS number", "+449434765870", bad);
	refuse(mash_check_nhs, "NHS number", "", bad);
	refuse(mash_check_nhs, "NHS number", "   ", bad);

	/* 000000006 sums to 12: the check would be 10, never issued */
	for (all = 1, i = 0; i < 10; i++) {
		memcpy(in, "000000006", 9);
		in[9] = (char)('0' + i);
		in[10] = '\0';
		all &= mash_check_nhs(in, in) != NULL;
	}
	ok(all, "NHS number whose check digit would be 10 is refused");
}

static int
upn_accepted(const char *s)
{
	char out[14];

	return mash_check_upn(s, out) == NULL;
}

/*
 * Every single-character change of a good UPN, to any digit or letter.
 * The one change that passes is a final digit d made the letter of
 * value d (1 to B, 9 to K): a temporary UPN with the same sum, which the
 * DfE rule accepts, rightly.
 */
static void
test_upn_changes(const char *good)
{
	static const char alpha[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char s[14];
	const char *a;
	int i, passed;

	for (i = 0; i < 13; i++) {
		passed = 0;
		for (a = alpha; *a != '\0'; a++) {
			if (*a == good[i])
				continue;
			memcpy(s, good, sizeof(s));
			s[i] = *a;
			if (upn_accepted(s) && !(i == 12 &&
			    *a == "ABCDEFGHJK"[good[12] - '0'])) {
				printf("#   accepted %s\n", s);
				passed++;
			}
		}
		ok(passed == 0, "UPN %s with character %d changed is refused",
		    good, i + 1);
	}
}

static void
test_upn(void)
{
	static const char bad[] = "is not a valid UPN";

	accept(mash_check_upn, "UPN", "B801200005001", "B801200005001");
	accept(mash_check_upn, "UPN", "b801200005001", "B801200005001");
	/* 266 mod 23 is 13: P (a published worked example says Q: 267) */
	accept(mash_check_upn, "UPN", "P207000016049", "P207000016049");
	refuse(mash_check_upn, "UPN", "Q207000016049", bad);
	/* temporary: 11 digits and a letter; A is 0, so 80 mod 23 is M */
	accept(mash_check_upn, "UPN", "M80120000500A", "M80120000500A");
	accept(mash_check_upn, "UPN", "m80120000500a", "M80120000500A");
	accept(mash_check_upn, "UPN", "B80120000500B", "B80120000500B");
	accept(mash_check_upn, "UPN", "P20700001604K", "P20700001604K");
	test_upn_changes("B801200005001");
	test_upn_changes("P207000016049");
	refuse(mash_check_upn, "UPN", "A801200005001", bad);
	refuse(mash_check_upn, "UPN", "X80120000A001", bad);
	refuse(mash_check_upn, "UPN", "I80120000500A", bad);
	refuse(mash_check_upn, "UPN", "180120000500A", bad);
	refuse(mash_check_upn, "UPN", "M80120000500I", bad);
	refuse(mash_check_upn, "UPN", "M80120000500O", bad);
	refuse(mash_check_upn, "UPN", "M80120000500S", bad);
	refuse(mash_check_upn, "UPN", "B80120000500", bad);
	refuse(mash_check_upn, "UPN", "B8012000050011", bad);
	refuse(mash_check_upn, "UPN", "B801 200005001", bad);
	refuse(mash_check_upn, "UPN", "", bad);
}

static void
test_postcode(void)
{
	static const char bad[] = "is not a valid postcode";

	accept(mash_check_postcode, "postcode", "sw1a1aa", "SW1A 1AA");
	accept(mash_check_postcode, "postcode", "SW1A 1AA", "SW1A 1AA");
	accept(mash_check_postcode, "postcode", " sw1a  1aa ", "SW1A 1AA");
	accept(mash_check_postcode, "postcode", "m1 1ae", "M1 1AE");
	accept(mash_check_postcode, "postcode", "B338TH", "B33 8TH");
	accept(mash_check_postcode, "postcode", "W1A 0AX", "W1A 0AX");
	accept(mash_check_postcode, "postcode", "cr2 6xh", "CR2 6XH");
	accept(mash_check_postcode, "postcode", "DN55 1PT", "DN55 1PT");
	accept(mash_check_postcode, "postcode", "ec1a1bb", "EC1A 1BB");
	accept(mash_check_postcode, "postcode", "gir0aa", "GIR 0AA");
	accept(mash_check_postcode, "postcode", "GIR 0AA", "GIR 0AA");
	refuse(mash_check_postcode, "postcode", "nope", bad);
	refuse(mash_check_postcode, "postcode", "", bad);
	refuse(mash_check_postcode, "postcode", "     ", bad);
	refuse(mash_check_postcode, "postcode", "GIR 0AB", bad);
	refuse(mash_check_postcode, "postcode", "SW1A 1CA", bad);
	refuse(mash_check_postcode, "postcode", "SW1A 1AV", bad);
	refuse(mash_check_postcode, "postcode", "SW1A 1AI", bad);
	refuse(mash_check_postcode, "postcode", "SW1A AAA", bad);
	refuse(mash_check_postcode, "postcode", "SW1A 11A", bad);
	refuse(mash_check_postcode, "postcode", "1W1A 1AA", bad);
	refuse(mash_check_postcode, "postcode", "SWA 1AA", bad);
	refuse(mash_check_postcode, "postcode", "SW1AA 1AA", bad);
	refuse(mash_check_postcode, "postcode", "SW123 1AA", bad);
	refuse(mash_check_postcode, "postcode", "S 1AA", bad);
	refuse(mash_check_postcode, "postcode", "SW1A-1AA", bad);
	refuse(mash_check_postcode, "postcode", "SW1A\t1AA", bad);
}

static void
dob_is(const char *in, mash_time now, const char *want_msg,
    const char *want)
{
	char out[MASH_DATE_LEN] = "", name[128];
	const char *msg;

	msg = mash_check_dob(in, now, out);
	snprintf(name, sizeof(name), "date of birth '%s' %s%s", in,
	    want_msg ? want_msg : "is stored as ", want ? want : "");
	if (want_msg != NULL)
		is(msg, want_msg, name);
	else if (!ok(msg == NULL && strcmp(out, want) == 0, "%s", name))
		printf("#   got %s '%s'\n", msg ? msg : "(null)", out);
}

static void
test_dob(void)
{
	/* 2026-03-10T12:00:00Z, and 2026-06-30T23:30:00Z (BST: 1 July) */
	mash_time now = 1773144000, midsummer = 1782862200;
	char out[MASH_DATE_LEN];

	dob_is("2016-03-02", now, NULL, "2016-03-02");
	dob_is("02/03/2016", now, NULL, "2016-03-02");
	dob_is("2016-02-29", now, NULL, "2016-02-29");
	dob_is("2026-03-10", now, NULL, "2026-03-10");
	dob_is("1900-01-01", now, NULL, "1900-01-01");
	dob_is("31/02/2016", now, "is not a date", NULL);
	dob_is("2015-02-29", now, "is not a date", NULL);
	dob_is("2016-13-01", now, "is not a date", NULL);
	dob_is("03/02/16", now, "is not a date", NULL);
	dob_is("yesterday", now, "is not a date", NULL);
	dob_is("", now, "is not a date", NULL);
	dob_is("2026-03-11", now, "is in the future", NULL);
	dob_is("11/03/2026", now, "is in the future", NULL);
	dob_is("2100-01-01", now, "is in the future", NULL);
	/* time.c may refuse such a year itself: either way, refused */
	ok(mash_check_dob("1899-12-31", now, out) != NULL,
	    "date of birth '1899-12-31' is refused");
	ok(mash_check_dob("0016-03-02", now, out) != NULL,
	    "date of birth '0016-03-02' is refused");
	/* the local date decides: it is already 1 July in London */
	dob_is("2026-07-01", midsummer, NULL, "2026-07-01");
	dob_is("2026-07-02", midsummer, "is in the future", NULL);
	/* either side of the UTC date two days ago: from it, today is asked */
	dob_is("2026-03-07", now, NULL, "2026-03-07");
	dob_is("2026-03-08", now, NULL, "2026-03-08");
	/* the zones furthest from UTC: already the 11th, still the 9th */
	setenv("TZ", "Pacific/Kiritimati", 1);
	tzset();
	dob_is("2026-03-11", now, NULL, "2026-03-11");
	dob_is("2026-03-12", now, "is in the future", NULL);
	setenv("TZ", "Pacific/Pago_Pago", 1);
	tzset();
	dob_is("2026-03-09", now - 7 * 3600, NULL, "2026-03-09");
	dob_is("2026-03-10", now - 7 * 3600, "is in the future", NULL);
	setenv("TZ", "Europe/London", 1);
	tzset();
}

static size_t
count(const char *const *list)
{
	size_t n = 0;

	while (list[n] != NULL)
		n++;
	return n;
}

static char *
upcase(const char *s)
{
	static char buf[64];
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i];
	buf[i] = '\0';
	return buf;
}

/* a refusal: the end of a message, then every member in its order */
static const char *
refusal(enum mash_codeset set, const char *bad)
{
	static char want[600];
	const char *const *c = mash_codes(set);
	size_t n;

	n = (size_t)snprintf(want, sizeof(want), "%s (", bad);
	for (; *c != NULL; c++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%s", *c,
		    c[1] ? ", " : "");
	snprintf(want + n, sizeof(want) - n, "%s)", set == MASH_CODE_SOURCE ?
	    ", or a census code" : "");
	return want;
}

static void
test_codeset(enum mash_codeset set, const char *what, size_t n,
    const char *end)
{
	const char *const *c = mash_codes(set);
	const char *bad = refusal(set, end);
	size_t i;
	int all = 1;

	ok(count(c) == n, "%s: %zu members", what, n);
	for (i = 0; c[i] != NULL; i++) {
		all &= mash_check_code(set, c[i]) == NULL;
		all &= mash_check_code(set, upcase(c[i])) == NULL;
		if (set != MASH_CODE_SOURCE) {
			all &= mash_code_find(set, c[i]) == c[i];
			all &= mash_code_find(set, upcase(c[i])) == c[i];
		}
	}
	ok(all, "%s: every member is accepted, in any case", what);
	is(mash_check_code(set, "nope"), bad, "a made-up code is refused");
	is(mash_check_code(set, ""), bad, "an empty code is refused");
	is(mash_code_find(set, "nope"), NULL, "a made-up code is not found");
}

static int
same(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

static void
test_sources(void)
{
	static const char *const pairs[][2] = {
		{ "family", "1A" }, { "acquaintance", "1B" }, { "self", "1C" },
		{ "individual", "1D" }, { "school", "2A" },
		{ "education", "2B" }, { "gp", "3A" },
		{ "health-visitor", "3B" }, { "school-nurse", "3C" },
		{ "health", "3D" }, { "a-and-e", "3E" },
		{ "health-other", "3F" }, { "housing", "4" },
		{ "social-care", "5A" }, { "la-internal", "5B" },
		{ "other-la", "5C" }, { "early-help", "5D" },
		{ "police", "6" }, { "legal", "7" }, { "other", "8" },
		{ "anonymous", "9" }, { "unknown", "10" }
	};
	const char *const *c = mash_codes(MASH_CODE_SOURCE);
	size_t i;
	int all = 1;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		all &= c[i] != NULL && strcmp(c[i], pairs[i][0]) == 0;
		all &= same(mash_source_code(pairs[i][0]), pairs[i][1]);
		all &= same(mash_source_code(pairs[i][1]), pairs[i][1]);
		all &= same(mash_source_name(pairs[i][1]), pairs[i][0]);
		all &= mash_check_code(MASH_CODE_SOURCE, pairs[i][1]) == NULL;
	}
	ok(all, "sources: every name and census code of mash(7) maps both ways");
	is(mash_source_code("police"), "6", "police is census code 6");
	is(mash_source_code("POLICE"), "6", "source names ignore case");
	is(mash_source_code("1a"), "1A", "census codes ignore case");
	is(mash_code_find(MASH_CODE_SOURCE, "school"), "2A",
	    "a source is stored as its census code");
	is(mash_source_name("1a"), "family", "1a is family");
	is(mash_source_name("police"), NULL,
	    "a source name is not a census code");
	is(mash_source_code("1E"), NULL, "1E is no census code");
	is(mash_source_code("11"), NULL, "11 is no census code");
	is(mash_source_code("6 "), NULL, "a code with a space is refused");
	is(mash_check_code(MASH_CODE_SOURCE, "5d"), NULL, "5d is a source");
	is(mash_check_code(MASH_CODE_SOURCE, "Police"), NULL,
	    "Police is a source");
}

static void
test_codes(void)
{
	test_codeset(MASH_CODE_SOURCE, "sources", 22,
	    "is not a known source");
	test_sources();
	test_codeset(MASH_CODE_OUTCOME, "outcomes", 5,
	    "is not a known outcome");
	test_codeset(MASH_CODE_RAG, "RAG ratings", 3,
	    "is not a known RAG rating");
	test_codeset(MASH_CODE_CATEGORY, "categories", 13,
	    "is not a known category");
	test_codeset(MASH_CODE_CONSENT, "consents", 4,
	    "is not a known consent");
	test_codeset(MASH_CODE_GENDER, "genders", 4, "is not a known gender");
	test_codeset(MASH_CODE_ROLE, "roles", 6, "is not a known role");
	test_codeset(MASH_CODE_STATE, "states", 5, "is not a known state");
	is(mash_code_find(MASH_CODE_RAG, "Red"), "red",
	    "a RAG rating is stored in lower case");
	is(mash_check_code(MASH_CODE_OUTCOME, "single-agency"), NULL,
	    "single-agency is an outcome");
	is(mash_check_code(MASH_CODE_OUTCOME, "single agency"),
	    "is not a known outcome (cpat, early-help, caf, single-agency, "
	    "nfa)", "single agency is not an outcome, and the outcomes are "
	    "named");
	is(mash_check_code(MASH_CODE_CATEGORY, "domestic-abuse"), NULL,
	    "domestic-abuse is a category");
	is(mash_check_code(MASH_CODE_CONSENT, "not-sought"), NULL,
	    "not-sought is a consent");
	is(mash_check_code(MASH_CODE_ROLE, "social-worker"), NULL,
	    "social-worker is a role");
	is(mash_check_code(MASH_CODE_STATE, "mash"), NULL,
	    "mash is a state");
	is(mash_check_code(MASH_CODE_STATE, "open"), "is not a known state "
	    "(new, screened, mash, recorded, closed)",
	    "open is not a case state, and the states are named");
	is(mash_check_code(MASH_CODE_GENDER, "f"), "is not a known gender "
	    "(male, female, other, unknown)", "f is not a gender");
	is(mash_check_code(MASH_CODE_NEED, "N10"), "is not a known primary "
	    "need code (N0, N1, N2, N3, N4, N5, N6, N7, N8, N9)",
	    "N10 is not a primary need");
	is(mash_check_code(MASH_CODE_SOURCE, "polis"), refusal(
	    MASH_CODE_SOURCE, "is not a known source"),
	    "a source refused: every name, and census codes");
	is(mash_codes_text(MASH_CODE_RAG), "red, amber, green",
	    "the RAG ratings as a refusal lists them");
}

static void
login_is(const char *s, int good)
{
	char name[128];

	snprintf(name, sizeof(name), "login name '%s' is %s", vis(s),
	    good ? "accepted" : "refused");
	is(mash_check_login(s), good ? NULL : "is not a valid login name",
	    name);
}

static void
test_login(void)
{
	char s[40];

	login_is("alice", 1);
	login_is("_svc", 1);
	login_is("a", 1);
	login_is("a.b-c_9", 1);
	login_is("j.smith-2", 1);
	memset(s, 'x', 32);
	s[32] = '\0';
	login_is(s, 1);
	s[32] = 'x';
	s[33] = '\0';
	login_is(s, 0);
	login_is("", 0);
	login_is("Alice", 0);
	login_is("alIce", 0);
	login_is("9lives", 0);
	login_is("-x", 0);
	login_is(".x", 0);
	login_is("a b", 0);
	login_is("a/b", 0);
	login_is("a:b", 0);
	login_is("zo\xC3\xAB", 0);
}

static void
text_is(const char *label, const char *s, size_t max, const char *want)
{
	char name[160];

	snprintf(name, sizeof(name), "text %s ('%s') %s", label, vis(s),
	    want ? want : "is accepted");
	is(mash_check_text(s, max), want, name);
}

static void
test_text(void)
{
	static const char utf[] = "is not valid UTF-8";
	static const char ctl[] = "contains a control character";
	size_t M = MASH_TEXT_MAX;

	text_is("empty", "", M, NULL);
	text_is("plain", "Concern raised by school", M, NULL);
	text_is("with tab", "a\tb", M, NULL);
	text_is("with LF", "line one\nline two\n", M, NULL);
	text_is("with CRLF", "line one\r\nline two\r\n", M, NULL);
	text_is("with a lone CR", "line one\rline two", M, ctl);
	text_is("ending in CR", "line one\r", M, ctl);
	text_is("with CR CR LF", "line one\r\r\n", M, ctl);
	text_is("with SOH", "a\x01", M, ctl);
	text_is("with ESC", "\x1B[31mred", M, ctl);
	text_is("with VT", "a\vb", M, ctl);
	text_is("with FF", "a\fb", M, ctl);
	text_is("with DEL", "a\x7F", M, ctl);
	text_is("with C1 CSI U+009B", "a\xC2\x9B" "31m", M, ctl);
	text_is("with C1 U+0080", "\xC2\x80", M, ctl);
	text_is("with U+00A0", "a\xC2\xA0" "b", M, NULL);
	text_is("Zoe with diaeresis", "Zo\xC3\xAB", M, NULL);
	text_is("euro sign", "\xE2\x82\xAC" "5", M, NULL);
	text_is("U+D7FF", "\xED\x9F\xBF", M, NULL);
	text_is("U+E000", "\xEE\x80\x80", M, NULL);
	text_is("emoji", "\xF0\x9F\x98\x80", M, NULL);
	text_is("U+10FFFF", "\xF4\x8F\xBF\xBF", M, NULL);
	text_is("U+110000", "\xF4\x90\x80\x80", M, utf);
	text_is("lead F5", "\xF5\x80\x80\x80", M, utf);
	text_is("overlong '/' C0 AF", "\xC0\xAF", M, utf);
	text_is("overlong C1 BF", "\xC1\xBF", M, utf);
	text_is("overlong 3-byte", "\xE0\x80\xAF", M, utf);
	text_is("overlong 3-byte U+07FF", "\xE0\x9F\xBF", M, utf);
	text_is("overlong 4-byte", "\xF0\x80\x80\xAF", M, utf);
	text_is("overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF", M, utf);
	text_is("surrogate ED A0 80", "\xED\xA0\x80", M, utf);
	text_is("surrogate ED BF BF", "\xED\xBF\xBF", M, utf);
	text_is("surrogate pair", "\xED\xA0\xBD\xED\xB8\x80", M, utf);
	text_is("truncated 3-byte", "\xE2\x82", M, utf);
	text_is("truncated 2-byte at end", "abc\xC3", M, utf);
	text_is("truncated 4-byte then ASCII", "\xF0\x9F\x98" "a", M, utf);
	text_is("lone continuation", "a\x80", M, utf);
	text_is("byte FE", "\xFE", M, utf);
	text_is("byte FF", "\xFF", M, utf);
	text_is("Latin-1 e acute", "caf\xE9", M, utf);
	text_is("5 bytes, max 5", "12345", 5, NULL);
	text_is("6 bytes, max 5", "123456", 5, "is too long");
	text_is("3 two-byte letters, max 5", "\xC3\xAB\xC3\xAB\xC3\xAB", 5,
	    "is too long");
	text_is("empty, max 0", "", 0, NULL);
}

static void
test_name(void)
{
	static const char ctl[] = "contains a control character";
	char s[MASH_NAME_MAX + 2];

	is(mash_check_name("Zo\xC3\xAB O'Brien-Smith"), NULL,
	    "name Zoe O'Brien-Smith is accepted");
	is(mash_check_name(""), NULL, "an empty name is accepted");
	is(mash_check_name("Ava\nSmith"), ctl, "a name with LF is refused");
	is(mash_check_name("Ava\r\nSmith"), ctl, "a name with CRLF is refused");
	is(mash_check_name("Ava\tSmith"), ctl, "a name with a tab is refused");
	is(mash_check_name("Ava\xC0\xAF"), "is not valid UTF-8",
	    "a name that is not UTF-8 is refused");
	memset(s, 'a', MASH_NAME_MAX);
	s[MASH_NAME_MAX] = '\0';
	is(mash_check_name(s), NULL, "a name of MASH_NAME_MAX bytes is accepted");
	s[MASH_NAME_MAX] = 'a';
	s[MASH_NAME_MAX + 1] = '\0';
	is(mash_check_name(s), "is too long", "a longer name is refused");
}

/* each bidirectional control, by its code point, and its neighbours */
static void
test_bidi(void)
{
	static const struct {
		const char	*utf8;
		unsigned	 cp;
	} bidi[] = {
		{ "\xD8\x9C", 0x061C }, { "\xE2\x80\x8E", 0x200E },
		{ "\xE2\x80\x8F", 0x200F }, { "\xE2\x80\xAA", 0x202A },
		{ "\xE2\x80\xAB", 0x202B }, { "\xE2\x80\xAC", 0x202C },
		{ "\xE2\x80\xAD", 0x202D }, { "\xE2\x80\xAE", 0x202E },
		{ "\xE2\x81\xA6", 0x2066 }, { "\xE2\x81\xA7", 0x2067 },
		{ "\xE2\x81\xA8", 0x2068 }, { "\xE2\x81\xA9", 0x2069 },
	};
	char s[32], want[64], shown[32], name[64];
	size_t i;

	for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		snprintf(s, sizeof(s), "Ava %sSmith", bidi[i].utf8);
		snprintf(want, sizeof(want), "contains the bidirectional "
		    "control U+%04X", bidi[i].cp);
		snprintf(name, sizeof(name), "U+%04X in a name", bidi[i].cp);
		is(mash_check_name(s), want, name);
		snprintf(name, sizeof(name), "U+%04X in text", bidi[i].cp);
		is(mash_check_text(s, MASH_TEXT_MAX), want, name);
		snprintf(shown, sizeof(shown), "%s", s);
		mash_sanitise(shown);
		snprintf(name, sizeof(name), "U+%04X is one '?' in a table",
		    bidi[i].cp);
		is(shown, "Ava ?Smith", name);
	}
	/* the neighbours are text: a dash, a quote, a space, Arabic */
	is(mash_check_name("Ava\xE2\x80\x90Smith"), NULL, "U+2010 is a name");
	is(mash_check_name("\xE2\x80\x9C" "Ava\xE2\x80\x9D"), NULL,
	    "U+201C and U+201D are a name");
	is(mash_check_name("Ava\xE2\x80\xAFSmith"), NULL, "U+202F is a name");
	is(mash_check_name("\xE2\x81\xA5"), NULL, "U+2065 is text");
	is(mash_check_name("\xE2\x81\xAA"), NULL, "U+206A is not refused");
	is(mash_check_name("\xD8\xB9\xD9\x84\xD9\x8A"), NULL,
	    "an Arabic name needs no control");
	snprintf(shown, sizeof(shown), "a\x1B[0m\xC2\x9B\xE2\x80\xAE" "b");
	mash_sanitise(shown);
	is(shown, "a?[0m???b", "ESC, C1 CSI and U+202E all shown as '?'");
}

static void
test_decode(void)
{
	uint32_t c = 0;

	ok(mash_utf8_decode("A", &c) == 1 && c == 'A', "decode A");
	ok(mash_utf8_decode("\xC3\xAB", &c) == 2 && c == 0xEB, "decode U+00EB");
	ok(mash_utf8_decode("\xE2\x80\x99x", &c) == 3 && c == 0x2019,
	    "decode U+2019");
	ok(mash_utf8_decode("\xF0\x9F\x98\x80", &c) == 4 && c == 0x1F600,
	    "decode U+1F600");
	ok(mash_utf8_decode("\xC0\xAF", &c) == 0, "refuse overlong C0 AF");
	ok(mash_utf8_decode("\xED\xA0\x80", &c) == 0, "refuse surrogate");
}

int
main(void)
{
	setenv("TZ", "Europe/London", 1);
	tzset();
	test_nhs();
	test_upn();
	test_postcode();
	test_dob();
	test_codes();
	test_login();
	test_text();
	test_name();
	test_bidi();
	test_decode();
	return done_testing();
}
