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

static void
add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		/* most lines of output fit the first 512 bytes */
		b->cap = (b->len + n + 1) * 2 < 512 ? 512 :
		    (b->len + n + 1) * 2;
		b->s = mash_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
add_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	const char *run;

	add(b, "\"", 1);
	for (run = s; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		add(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			add(b, esc, 2);
			esc[1] = 'u';
		} else if (c == '\n')
			add(b, "\\n", 2);
		else if (c == '\t')
			add(b, "\\t", 2);
		else if (c == '\r')
			add(b, "\\r", 2);
		else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			add(b, esc, 6);
		}
	}
	add(b, run, (size_t)(s - run));
	add(b, "\"", 1);
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
