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

/*
 * A byte at a time into room made for the string and its quotes, and
 * more for each escape: a call to add() for each piece of it was most
 * of the time a long listing took to print.
 */
static void
add_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + strlen(s);
	unsigned char c;
	char *p;

	reserve(b, (size_t)(end - s) + 2);
	p = b->s + b->len;
	*p++ = '"';
	for (; s < end; s++) {
		if ((c = (unsigned char)*s) >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		/* six bytes for this one, one for each after it, a quote */
		b->len = (size_t)(p - b->s);
		reserve(b, 6 + (size_t)(end - s));
		p = b->s + b->len;
		*p++ = '\\';
		if (c == '"' || c == '\\')
			*p++ = (char)c;
		else if (c == '\n')
			*p++ = 'n';
		else if (c == '\t')
			*p++ = 't';
		else if (c == '\r')
			*p++ = 'r';
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
		add(b, cJSON_IsArray(v) ? "[" : "{", 1);
		cJSON_ArrayForEach(e, v) {
			if (e != v->child)
				add(b, ",", 1);
			if (cJSON_IsObject(v)) {
				add_string(b, e->string);
				add(b, ":", 1);
			}
			add_value(b, e);
		}
		add(b, cJSON_IsArray(v) ? "]" : "}", 1);
	} else
		add(b, "null", 4);
}

char *
mash_json_print(const cJSON *v)
{
	struct buf b = { NULL, 0, 0 };

	add(&b, "", 0);
	add_value(&b, v);
	return b.s;
}
