/*
 * json.c: the compact JSON printer (src/lib/json.c): every byte of a
 * string escaped as before it was rewritten to print a byte at a time,
 * and room made for strings of escapes at any length
 */
#include <stdlib.h>

#include "libmash.h"
#include "tap.h"

/* the escape of one byte, as JSON needs it and json.c writes it */
static size_t
escape(unsigned char c, char *out)
{
	if (c == '"' || c == '\\')
		return (size_t)sprintf(out, "\\%c", c);
	if (c == '\n')
		return (size_t)sprintf(out, "\\n");
	if (c == '\t')
		return (size_t)sprintf(out, "\\t");
	if (c == '\r')
		return (size_t)sprintf(out, "\\r");
	if (c < 0x20)
		return (size_t)sprintf(out, "\\u%04x", c);
	*out = (char)c;
	return 1;
}

/* the string s, as json.c prints it, made the slow way */
static char *
expected(const char *s)
{
	char *w, *p;

	p = w = malloc(6 * strlen(s) + 3);
	*p++ = '"';
	for (; *s != '\0'; s++)
		p += escape((unsigned char)*s, p);
	*p++ = '"';
	*p = '\0';
	return w;
}

static void
string_is(const char *s, const char *name)
{
	static char *kept;		/* one buffer for every call */
	static size_t cap;
	cJSON *j = cJSON_CreateString(s);
	char *got = mash_json_print(j), *want = expected(s);
	size_t n;

	is(got, want, name);
	n = mash_json_print_to(j, &kept, &cap);
	ok(n == strlen(want) && strcmp(kept, want) == 0,
	    "%s: the same into a buffer kept from the last", name);
	free(got);
	free(want);
	cJSON_Delete(j);
}

/* n copies of the bytes of unit, then a tail */
static char *
repeat(const char *unit, size_t n, const char *tail)
{
	size_t u = strlen(unit), i;
	char *s = malloc(u * n + strlen(tail) + 1);

	for (i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	strcpy(s + u * n, tail);
	return s;
}

int
main(void)
{
	char all[256], *s, *got;
	cJSON *o;
	size_t n;
	int i;

	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	string_is("", "the empty string");
	string_is("Ava Moss", "a plain string, as it is");
	string_is(all, "every byte but NUL: the controls, \" and \\ escaped");
	string_is("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x99\x82",
	    "UTF-8 passed through as bytes");
	/* at the end of the first 512 bytes, a byte short, exact, over */
	for (n = 505; n <= 515; n++) {
		s = repeat("x", n, "");
		string_is(s, "a string at the edge of the first room");
		free(s);
		s = repeat("x", n - 6, "\n");
		string_is(s, "its escape at the edge");
		free(s);
		s = repeat("x", n - 6, "\x01");
		string_is(s, "a six-byte escape at the edge");
		free(s);
	}
	/* past the first 512 bytes, and past each doubling of the room */
	for (n = 1; n <= 4096; n *= 4) {
		s = repeat("\x01", n, "end");
		string_is(s, "controls alone, each six bytes");
		free(s);
		s = repeat("a\n\"\\", n, "");
		string_is(s, "escapes among plain bytes");
		free(s);
		s = repeat("x", n * 100, "\x1f");
		string_is(s, "a long string, its escape last");
		free(s);
	}

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a\"b", "line\none");
	cJSON_AddNumberToObject(o, "n", -42);
	cJSON_AddNumberToObject(o, "f", 0.5);
	cJSON_AddNullToObject(o, "none");
	cJSON_AddItemToObject(o, "l", cJSON_CreateArray());
	cJSON_AddItemToArray(cJSON_GetObjectItem(o, "l"), cJSON_CreateTrue());
	cJSON_AddItemToArray(cJSON_GetObjectItem(o, "l"), cJSON_CreateFalse());
	got = mash_json_print(o);
	is(got, "{\"a\\\"b\":\"line\\none\",\"n\":-42,\"f\":0.5,\"none\":null,"
	    "\"l\":[true,false]}", "an object: keys escaped too, values "
	    "of each kind");
	free(got);
	cJSON_Delete(o);
	return done_testing();
}
