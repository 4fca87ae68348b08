/*
 * match.c: names for matching children (mash(7)).  A key makes the
 * spellings of one name that differ only by case, accents, spacing,
 * hyphens and apostrophes compare equal; the similarity then scores
 * what is left, the typing and hearing errors of a referral taken over
 * the phone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libmash.h"

/*
 * The ASCII of U+00C0 to U+017F (Latin-1 Supplement letters and Latin
 * Extended-A): the accented letters of the European names a hub sees,
 * reduced to their base letters so that "Zoë" typed as "Zoe" or "ł"
 * typed as "l" still meet.  NULL (× and ÷) is kept as it is.
 */
static const char *const fold[0x180 - 0xC0] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", NULL,
	/* U+00D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", NULL,
	/* U+00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* U+0108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* U+0118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* U+0128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* U+0138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* U+0148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* U+0158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* U+0168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* U+0178 */ "y", "z", "z", "z", "z", "z", "z", "s"
};

/*
 * What separates the parts of a name.  Besides the ASCII hyphen and
 * apostrophe, the forms word processors and phones put in their place
 * (U+2019 and U+2018 quotes, U+02BC, U+2010 and U+2011 hyphens, the
 * no-break space), so "O’Brien" pasted from a letter meets "O'Brien".
 * And '|', which the keys of stores before version 7 put between the
 * given and family names: those keys became today's by leaving out
 * spaces and '|' (schema.sql.h), so a name that holds one must too.
 */
static int
is_separator(uint32_t c)
{
	switch (c) {
	case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
	case '-': case '\'': case '|':
	case 0x00A0: case 0x02BC: case 0x2010: case 0x2011: case 0x2018:
	case 0x2019:
		return 1;
	}
	return 0;
}

/*
 * A combining accent (U+0300 to U+036F) is dropped, so a name typed
 * decomposed, as macOS does, gets the key of the same name composed.
 */
static int
is_combining(uint32_t c)
{
	return c >= 0x300 && c <= 0x36F;
}

/* what the n bytes of character c at s become in a key; *len its size */
static const char *
key_of(const char *s, uint32_t c, size_t n, char *buf, size_t *len)
{
	if (c >= 'A' && c <= 'Z') {
		buf[0] = (char)(c - 'A' + 'a');
		*len = 1;
		return buf;
	}
	if (c >= 0xC0 && c < 0x180 && fold[c - 0xC0] != NULL) {
		*len = strlen(fold[c - 0xC0]);
		return fold[c - 0xC0];
	}
	*len = n;
	return s;
}

/*
 * A key is never longer than its name (every folded letter is two bytes
 * of UTF-8 and becomes at most two of ASCII), so a buffer of the name's
 * length and a NUL is enough.  A smaller one gets whole characters only.
 * Separators are left out altogether, not made one space: "O'Neill",
 * "ONeill" and "O Neill", "Smith-Jones" and "Smith Jones" are one name,
 * however a referral split it into given and family names (mash(7)).
 */
void
mash_name_key(const char *in, char *out, size_t size)
{
	const char *rep;
	char buf[1];
	uint32_t c;
	size_t n, len = 0, rlen;

	if (size == 0)
		return;
	for (; *in != '\0'; in += n) {
		/* a byte that is not UTF-8 is kept as it is, like any other */
		if ((n = mash_utf8_decode(in, &c)) == 0) {
			n = 1;
			c = 0xFFFD;
		}
		if (is_separator(c) || is_combining(c))
			continue;
		rep = key_of(in, c, n, buf, &rlen);
		if (len + rlen > size - 1)
			break;
		memcpy(out + len, rep, rlen);
		len += rlen;
	}
	out[len] = '\0';
}

/*
 * Mark the characters of a and b that match within the Jaro window:
 * equal, not already matched, at most half the longer length less one
 * apart.  Returns how many.
 */
static size_t
jaro_match(const char *a, size_t la, const char *b, size_t lb,
    char *ma, char *mb)
{
	size_t i, j, lo, hi, win, m = 0;

	win = (la > lb ? la : lb) / 2;
	win = win > 0 ? win - 1 : 0;
	for (i = 0; i < la; i++) {
		lo = i > win ? i - win : 0;
		hi = i + win + 1 < lb ? i + win + 1 : lb;
		for (j = lo; j < hi; j++) {
			if (!mb[j] && a[i] == b[j]) {
				ma[i] = mb[j] = 1;
				m++;
				break;
			}
		}
	}
	return m;
}

/* matched characters that are out of order, taken in pairs */
static size_t
jaro_transpositions(const char *a, size_t la, const char *b,
    const char *ma, const char *mb)
{
	size_t i, k = 0, t = 0;

	for (i = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	return t / 2;
}

static double
jaro(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), m, t;
	char stack[512], *flags;

	/* names are short: the heap only for something that is not one */
	flags = la + lb <= sizeof(stack) ? stack : mash_xmalloc(la + lb);
	memset(flags, 0, la + lb);
	m = jaro_match(a, la, b, lb, flags, flags + la);
	t = m ? jaro_transpositions(a, la, b, flags, flags + la) : 0;
	if (flags != stack)
		free(flags);
	if (m == 0)
		return 0.0;
	return ((double)m / la + (double)m / lb + (double)(m - t) / m) / 3;
}

/*
 * Jaro-Winkler, Winkler's prefix scale 0.1 over at most four leading
 * characters: names typed in a hurry keep their start more often than
 * their end.  Bytes, not characters, since keys are ASCII but for what
 * the fold leaves alone.
 */
double
mash_name_similarity(const char *a, const char *b)
{
	size_t p;
	double j;

	if (strcmp(a, b) == 0)
		return 1.0;
	if (*a == '\0' || *b == '\0')
		return 0.0;
	j = jaro(a, b);
	for (p = 0; p < 4 && a[p] != '\0' && a[p] == b[p]; p++)
		continue;
	return j + (double)p * 0.1 * (1.0 - j);
}

void
mash_name_probe_init(struct mash_name_probe *p, const char *key)
{
	const unsigned char *c;

	memset(p, 0, sizeof(*p));
	p->key = key;
	p->len = strlen(key);
	for (c = (const unsigned char *)key; *c != '\0'; c++)
		p->count[*c]++;
}

/*
 * Jaro matches at most the m characters two keys share, so it is at
 * most (m/la + m/lb + 1) / 3, and the Winkler prefix adds at most 0.4
 * of what is left.  The fewest shared characters a key of lb bytes
 * needs to reach MASH_CLOSE_NAME that way; more than lb when none do.
 */
static size_t
probe_need(struct mash_name_probe *p, size_t lb)
{
	size_t m;
	double jmax;

	if (lb < sizeof(p->need) && p->need[lb] != 0)
		return p->need[lb] - 1;
	for (m = 0; m <= lb && m <= p->len; m++) {
		jmax = ((double)m / (double)p->len + (double)m / (double)lb +
		    1.0) / 3.0;
		/* a hair of slack: the bound must never be below the real */
		if (0.6 * jmax + 0.4 >= MASH_CLOSE_NAME - 1e-9)
			break;
	}
	if (m > lb || m > p->len)
		m = lb + 1;
	if (lb < sizeof(p->need))
		p->need[lb] = (unsigned char)(m + 1);
	return m;
}

/*
 * Close, as mash_name_similarity counts it, without working it out for
 * the many names that cannot be.  Matching scans every child born on a
 * day, so this is the hot path of intake: one pass over b counts the
 * characters it shares with the key, and stops at the first that
 * leaves too few to come, as most of the names it is given do.
 */
int
mash_name_probe_close(struct mash_name_probe *p, const char *b)
{
	const unsigned char *u = (const unsigned char *)b;
	size_t lb = strlen(b), i, m = 0, need;
	int close;

	if (p->len == 0 || lb == 0)
		return mash_name_similarity(p->key, b) >= MASH_CLOSE_NAME;
	if ((need = probe_need(p, lb)) > lb)
		return 0;
	for (i = 0; i < lb; i++)
		if (p->other[u[i]]++ < p->count[u[i]])
			m++;
		else if (m + (lb - i - 1) < need) {
			i++;
			break;
		}
	close = m >= need;
	/* the counts back to zero, for the next name */
	while (i-- > 0)
		p->other[u[i]] = 0;
	return close && mash_name_similarity(p->key, b) >= MASH_CLOSE_NAME;
}

int
mash_name_close(const char *a, const char *b)
{
	struct mash_name_probe p;

	mash_name_probe_init(&p, a);
	return mash_name_probe_close(&p, b);
}
