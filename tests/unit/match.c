/* match.c: name keys and similarity (mash(7), CHILDREN AND THEIR HISTORY) */
#include <stdio.h>
#include <string.h>

#include "libmash.h"
#include "tap.h"

/* two buffers in turn, so that two keys can be compared */
static const char *
key(const char *in)
{
	static char out[2][256];
	static int i;

	i = !i;
	mash_name_key(in, out[i], sizeof(out[i]));
	return out[i];
}

static void
key_is(const char *in, const char *want, const char *name)
{
	is(key(in), want, name);
}

static void
test_keys(void)
{
	key_is("oliviagrant", "oliviagrant", "a key is its own key");
	key_is("  olivia   GRANT ", "oliviagrant",
	    "case is folded, spaces left out");
	key_is("Zo\xC3\xAB O'Brien-Smith", "zoeobriensmith",
	    "Zoë O'Brien-Smith");
	key_is("O\xE2\x80\x99" "Brien", "obrien", "U+2019 apostrophe");
	key_is("O\xE2\x80\x98" "Brien", "obrien", "U+2018 for an apostrophe");
	key_is("O\xCA\xBC" "Brien", "obrien", "U+02BC apostrophe");
	key_is("Anne\xE2\x80\x90Marie", "annemarie", "U+2010 hyphen");
	key_is("Anne - Marie", "annemarie", "spaced hyphen left out");
	key_is("Anne--Marie", "annemarie", "double hyphen left out");
	key_is("-'Anne'-", "anne", "separators at the ends left out");
	key_is("olivia\t\ngrant\r", "oliviagrant", "tabs and line ends");
	key_is("\xC2\xA0" "Ava\xC2\xA0Smith\xC2\xA0", "avasmith",
	    "no-break spaces");
	key_is("", "", "empty name");
	key_is("   ", "", "only spaces");
	key_is("' - '", "", "only separators");
	key_is("a|b", "ab", "'|', which keys before version 7 held, left out");
	key_is("Gro\xC3\x9F" "mann", "grossmann", "ß is ss");
	key_is("\xC3\x86" "thelred \xC3\xA6sa", "aethelredaesa", "Æ æ are ae");
	key_is("\xC3\x98" "ystein Bj\xC3\xB8rn", "oysteinbjorn", "Ø ø are o");
	key_is("\xC5\x81ukasz Wa\xC5\x82\xC4\x99sa", "lukaszwalesa",
	    "Łukasz Wałęsa");
	key_is("\xC3\x9E\xC3\xB3r \xC3\xB0" "a", "thorda", "Þ is th, ð is d");
	key_is("\xC4\xB0pek \xC3\x87" "elik \xC4\xB1\xC5\x9F\xC4\xB1k",
	    "ipekcelikisik", "İpek Çelik ışık");
	key_is("\xC5\x92uvre \xC5\x93", "oeuvreoe", "Œ œ are oe");
	key_is("\xC5\xB8vonne \xC3\xBF", "yvonney", "Ÿ ÿ are y");
	key_is("\xC4\xB2sselmeer", "ijsselmeer", "Ĳ is ij");
	key_is("Du\xC5\xA1" "an \xC5\xBD" "i\xC5\xBE" "ek", "dusanzizek",
	    "Dušan Žižek");
	key_is("\xC3\x80\xC3\x89\xC3\x8E\xC3\x95\xC3\x9C",
	    key("\xC3\xA0\xC3\xA9\xC3\xAE\xC3\xB5\xC3\xBC"),
	    "capitals fold as their small letters");
	key_is("Zoe\xCC\x88", "zoe", "a combining diaeresis is dropped");
	key_is("\xC3\x97\xC3\xB7", "\xC3\x97\xC3\xB7", "× and ÷ are kept");
	key_is("\xD0\x90\xD0\xB2\xD0\xB0", "\xD0\x90\xD0\xB2\xD0\xB0",
	    "Cyrillic is kept as it is");
	key_is("St. John", "st.john", "other ASCII is kept");
	key_is("a\xFF" "b", "a\xFF" "b", "a byte that is not UTF-8 is kept");
}

/*
 * One name however it is written: apostrophes, hyphens and spaces are
 * left out, so these are the same child where the rest agrees (mash(7))
 */
static void
test_one_name(void)
{
	static const char *const oneill[] = {
		"O'Neill", "ONeill", "O Neill", "o-neill", "O\xE2\x80\x99Neill",
		"O\xC2\xA0Neill", NULL
	};
	static const char *const smith[] = {
		"Smith-Jones", "Smith Jones", "SmithJones", "Smith - Jones",
		"Smith\xE2\x80\x91Jones", NULL
	};
	char a[64], b[64];
	size_t i;
	int same = 1;

	for (i = 0; oneill[i] != NULL; i++)
		same &= strcmp(key(oneill[i]), "oneill") == 0;
	ok(same, "O'Neill, ONeill, O Neill, o-neill, O\xE2\x80\x99Neill: one key");
	for (i = 0, same = 1; smith[i] != NULL; i++)
		same &= strcmp(key(smith[i]), "smithjones") == 0;
	ok(same, "Smith-Jones, Smith Jones, SmithJones: one key");
	/* the store's key of a child is the given name's, then the family's */
	mash_name_key("Sean O", a, sizeof(a));
	mash_name_key("Neill", a + strlen(a), sizeof(a) - strlen(a));
	mash_name_key("Sean", b, sizeof(b));
	mash_name_key("O'Neill", b + strlen(b), sizeof(b) - strlen(b));
	is(a, b, "'Sean O' 'Neill' and 'Sean' 'O'Neill': one key");
	ok(mash_name_similarity(key("O'Neill"), key("O Neill")) == 1.0,
	    "and so the same name, not only a close one");
	ok(strcmp(key("Anne Marie"), key("Annemarie")) == 0 &&
	    strcmp(key("Ann Marie"), key("Anne Marie")) != 0,
	    "spacing is set aside, a letter is not");
}

/* every letter of U+00C0 to U+017F folds to lower-case ASCII */
static void
test_fold_range(void)
{
	char in[3], out[8];
	unsigned c;
	size_t i;
	int bad = 0;

	for (c = 0xC0; c < 0x180; c++) {
		if (c == 0xD7 || c == 0xF7)
			continue;
		in[0] = (char)(0xC0 | c >> 6);
		in[1] = (char)(0x80 | (c & 0x3F));
		in[2] = '\0';
		mash_name_key(in, out, sizeof(out));
		for (i = 0; out[i] != '\0'; i++)
			bad += out[i] < 'a' || out[i] > 'z';
		if (i == 0 || i > 2) {
			printf("#   U+%04X folds to '%s'\n", c, out);
			bad++;
		}
	}
	ok(bad == 0, "U+00C0 to U+017F fold to one or two ASCII letters");
}

static void
test_key_sizes(void)
{
	static const char *const names[] = {
		"Zo\xC3\xAB O'Brien-Smith", "Gro\xC3\x9F", "O\xE2\x80\x99" "B",
		"\xC3\x86\xC3\x9E\xC3\x9F", "  a  b  ", "\xD0\x90\xD0\xB2", NULL
	};
	char out[4];
	size_t i;
	int longer = 0;

	for (i = 0; names[i] != NULL; i++)
		longer += strlen(key(names[i])) > strlen(names[i]);
	ok(longer == 0, "a key is never longer than its name");
	mash_name_key("olivia grant", out, sizeof(out));
	is(out, "oli", "a short buffer gets the start of the key");
	mash_name_key("o'neill", out, sizeof(out));
	is(out, "one", "a separator takes no room in a short buffer");
	mash_name_key("\xD0\x90\xD0\xB2\xD0\xB0", out, sizeof(out));
	is(out, "\xD0\x90", "a character is never cut in two");
	mash_name_key("olivia", out, 1);
	is(out, "", "a buffer of one byte gets the empty key");
}

static int
near(double a, double b)
{
	return a - b < 0.0001 && b - a < 0.0001;
}

static void
sim_is(const char *a, const char *b, double want)
{
	double got = mash_name_similarity(a, b);

	if (!ok(near(got, want), "similarity of '%s' and '%s' is %.4f",
	    a, b, want))
		printf("#   got %.4f\n", got);
}

static void
test_similarity(void)
{
	char a[601], b[601];

	sim_is("olivia grant", "olivia grant", 1.0);
	sim_is("", "", 1.0);
	sim_is("", "ava", 0.0);
	sim_is("ava", "", 0.0);
	sim_is("abc", "xyz", 0.0);
	/* the published values of Winkler's examples */
	sim_is("martha", "marhta", 0.9611);
	sim_is("dwayne", "duane", 0.8400);
	sim_is("dixon", "dicksonx", 0.8133);
	sim_is("a", "b", 0.0);
	sim_is("ab", "ba", 0.0);
	ok(mash_name_similarity("martha", "marhta") ==
	    mash_name_similarity("marhta", "martha"), "symmetric");
	/* longer than the stack buffer: the heap is used */
	memset(a, 'a', 600);
	a[600] = '\0';
	memcpy(b, a, sizeof(a));
	b[599] = 'b';
	ok(mash_name_similarity(a, b) > 0.99, "600-byte names compare");
}

static int
close_names(const char *a, const char *b)
{
	char ka[64], kb[64];

	mash_name_key(a, ka, sizeof(ka));
	mash_name_key(b, kb, sizeof(kb));
	return mash_name_similarity(ka, kb) >= MASH_CLOSE_NAME;
}

/* the decisions of MASH_CLOSE_NAME, argued in libmash.h */
static void
test_threshold(void)
{
	ok(close_names("Olivia Grant", "Olivia Grent"),
	    "one-letter variant of the family name is close");
	ok(close_names("Olivia Grant", "Olvia Grant"),
	    "a dropped letter is close");
	ok(close_names("Olivia Grant", "Olivai Grant"),
	    "two letters swapped are close");
	ok(close_names("Ava Smith", "Ava Smyth"),
	    "a short name with one letter changed is close");
	ok(close_names("Jayden Patel", "Jaden Patel"),
	    "a spelling variant is close");
	ok(close_names("Zo\xC3\xAB O'Brien", "zoe obrien"),
	    "a dropped apostrophe is close");
	ok(!close_names("Amelia Grant", "Olivia Grant"),
	    "twins Amelia and Olivia Grant are not close");
	ok(!close_names("Ella Jones", "Emma Jones"),
	    "twins Ella and Emma Jones are not close");
	ok(!close_names("Mia Jones", "Leah Jones"),
	    "twins Mia and Leah Jones are not close");
	ok(!close_names("Evie Smith", "Ava Smith"),
	    "Evie and Ava Smith are not close");
	ok(close_names("Olivia Grant", "Oliver Grant"),
	    "Olivia and Oliver Grant are close (decided: a person confirms)");
	ok(!close_names("Ava Smith", "Eva Smith"),
	    "Ava and Eva Smith are not close (decided: a different name)");
}

/* a little generator of its own: the same names on every run */
static unsigned long seed = 20261126;

static unsigned
next(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

static const char letters[] = "aeioulnrstmkdgh ";

/* a name near a: letters dropped, doubled, swapped, changed */
static void
variant(const char *a, char *b, size_t n)
{
	size_t la = strlen(a), i, j = 0;

	for (i = 0; i < la && j + 2 < n; i++) {
		switch (next(12)) {
		case 0:
			break;
		case 1:
			b[j++] = a[i];
			b[j++] = a[i];
			break;
		case 2:
			b[j++] = letters[next(sizeof(letters) - 1)];
			break;
		case 3:
			if (i + 1 < la) {
				b[j++] = a[i + 1];
				b[j++] = a[i++];
				break;
			}
			/* FALLTHROUGH */
		default:
			b[j++] = a[i];
		}
	}
	b[j] = '\0';
}

/* a name, and a near one */
static void
names(char *a, char *b, size_t n)
{
	size_t la = 3 + next((unsigned)n - 4), i;

	for (i = 0; i < la; i++)
		a[i] = letters[next(sizeof(letters) - 1)];
	a[la] = '\0';
	variant(a, b, n);
}

static void
test_close_bound(void)
{
	char a[24], b[24];
	int i, same = 1, close = 0;

	/* the cheap bound must never say "not close" of a close pair */
	for (i = 0; i < 200000; i++) {
		names(a, b, sizeof(a));
		if (mash_name_close(a, b) !=
		    (mash_name_similarity(a, b) >= MASH_CLOSE_NAME)) {
			same = 0;
			printf("# differs: '%s' '%s'\n", a, b);
			break;
		}
		close += mash_name_close(a, b);
	}
	ok(same, "mash_name_close agrees with the similarity on 200000 pairs");
	ok(close > 1000 && close < 199000,
	    "and the pairs were both close and not (%d close)", close);
	ok(mash_name_close("olivia grant", "olivia grent"),
	    "a one-letter variant is close");
	ok(!mash_name_close("amelia grant", "olivia grant"),
	    "twins are not close");
	ok(!mash_name_close("", "olivia grant") && mash_name_close("", ""),
	    "empty keys: close only to each other");
}

/* one probe against many names, as matching uses it */
static void
test_probe(void)
{
	static const char *const many[] = {
		"olivia grent", "", "olivia grant", "oliviaaaaaa grant",
		"amelia grant", "olivia", "tnarg aivilo", "olivia grant",
		"o", "olivia gran", "zzzzzzzzzzzzzzzzzzzzzzzzz", "olivia grant",
	};
	struct mash_name_probe p, e;
	char a[24], b[24];
	size_t i, c;
	int same = 1;

	mash_name_probe_init(&p, "olivia grant");
	for (i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		same &= mash_name_probe_close(&p, many[i]) ==
		    mash_name_close("olivia grant", many[i]);
	for (c = 0; c < 256; c++)
		same &= p.other[c] == 0;
	ok(same, "a probe answers as mash_name_close, name after name, and "
	    "leaves its scratch counts at zero");
	mash_name_probe_init(&e, "");
	ok(mash_name_probe_close(&e, "") && !mash_name_probe_close(&e, "a"),
	    "an empty probe: close only to an empty key");
	/* a generated name against 100 variants of it and 100 others */
	for (i = 0; i < 1000 && same; i++) {
		names(a, b, sizeof(a));
		mash_name_probe_init(&p, a);
		for (c = 0; c < 200 && same; c++) {
			if (c % 2)
				variant(a, b, sizeof(b));
			else
				names(b, b + 12, 12);
			same = mash_name_probe_close(&p, b) ==
			    (mash_name_similarity(a, b) >= MASH_CLOSE_NAME);
		}
	}
	ok(same, "a probe agrees with the similarity on 200000 pairs");
}

int
main(void)
{
	test_close_bound();
	test_probe();
	test_keys();
	test_one_name();
	test_fold_range();
	test_key_sizes();
	test_similarity();
	test_threshold();
	return done_testing();
}
