/*
 * json.c: compact JSON text of a cJSON value.  cJSON's own printer
 * formats every number with sprintf and reads it back with sscanf to be
 * sure of it, which made printing most of the cost of a long listing;
 * the numbers here are ids, counts and seconds, printed as integers.
 */
#include <stdlib.h>
#include <string.h>

#include "libmash.h"

struct buf {
	char	*s;
	size_t	 len, cap;
};

/* room for n more bytes and the NUL after them */
static void
reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		/* most lines of output fit the first 512 bytes */
		b->cap = (b->len + n + 1) * 2 < 512 ? 512 :
		    (b->len + n + 1) * 2;
		b->s = mash_xrealloc(b->s, b->cap);
	}
}

static void
add(struct buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* one byte of punctuation: most of the calls, and the room is there */
static void
add1(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

/* the bytes a JSON string cannot hold as they are, and its end */
static const unsigned char special[256] = {
	[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1,
	[7] = 1, [8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1,
	[14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1,
	[21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1,
	[28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1
};

/*
 * Each run of bytes that needs no escape, found by the table, is copied
 * whole, then the escape that ends it: half the instructions of copying
 * a byte at a time, for the strings that are most of a listing.  Room
 * is made once for the string as it stands, and again only at an
 * escape, which may take six bytes for one.
 */
static void
add_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t n, left = strlen(s);
	unsigned char c;
	char *p;

	reserve(b, left + 2);
	p = b->s + b->len;
	*p++ = '"';
	for (;;) {
		for (n = 0; !special[u[n]]; n++)
			continue;
		memcpy(p, u, n);
		p += n;
		if ((c = u[n]) == '\0')
			break;
		u += n + 1;
		left -= n + 1;
		b->len = (size_t)(p - b->s);
		reserve(b, 6 + left + 1);
		p = b->s + b->len;
		*p++ = '\\';
		if (c == '"' || c == '\\')
			*p++ = (char)c;
		else if (c == '\n' || c == '\t' || c == '\r')
			*p++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		else {
			memcpy(p, "u00", 3);
			p[3] = hex[c >> 4];
			p[4] = hex[c & 15];
			p += 5;
		}
	}
	*p++ = '"';
	*p = '\0';
	b->len = (size_t)(p - b->s);
}

static void
add_number(struct buf *b, double d)
{
	char num[32], *p = num + sizeof(num);
	unsigned long long u;
	int neg = d < 0;

	/* an integer exactly representable: digits by hand */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(long long)d) {
		u = (unsigned long long)(neg ? -d : d);
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u > 0);
		if (neg)
			*--p = '-';
		add(b, p, (size_t)(num + sizeof(num) - p));
		return;
	}
	if (d != d || d - d != 0) {	/* NaN or infinite: JSON has none */
		add(b, "null", 4);
		return;
	}
	snprintf(num, sizeof(num), "%.17g", d);
	add(b, num, strlen(num));
}

static void
add_value(struct buf *b, const cJSON *v)
{
	const cJSON *e;

	if (cJSON_IsString(v))
		add_string(b, v->valuestring);
	else if (cJSON_IsNumber(v))
		add_number(b, v->valuedouble);
	else if (cJSON_IsTrue(v))
		add(b, "true", 4);
	else if (cJSON_IsFalse(v))
		add(b, "false", 5);
	else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		add1(b, cJSON_IsArray(v) ? '[' : '{');
		cJSON_ArrayForEach(e, v) {
			if (e != v->child)
				add1(b, ',');
			if (cJSON_IsObject(v)) {
				add_string(b, e->string);
				add1(b, ':');
			}
			add_value(b, e);
		}
		add1(b, cJSON_IsArray(v) ? ']' : '}');
	} else
		add(b, "null", 4);
}

char *
mash_json_print(const cJSON *v)
{
	char *s = NULL;
	size_t cap = 0;

	mash_json_print_to(v, &s, &cap);
	return s;
}

size_t
mash_json_print_to(const cJSON *v, char **s, size_t *cap)
{
	struct buf b = { *s, 0, *cap };

	add(&b, "", 0);
	add_value(&b, v);
	*s = b.s;
	*cap = b.cap;
	return b.len;
}
