/* tap.h: just enough TAP for the library's unit tests */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define plan(n)		printf("1..%d\n", (n))
#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is(got, want, ...) \
	tap_is((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define done_testing()	(printf("1..%d\n", tap_n), tap_failed != 0)

static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s line %d\n", file, line);
	}
	return pass;
}

/* compare two strings, either may be NULL */
static int
tap_is(const char *got, const char *want, const char *file, int line,
    const char *name)
{
	int pass;

	pass = (got == NULL || want == NULL) ? got == want :
	    strcmp(got, want) == 0;
	tap_ok(pass, file, line, "%s", name);
	if (!pass)
		printf("#   got '%s'\n#   want '%s'\n",
		    got ? got : "(null)", want ? want : "(null)");
	return pass;
}

#endif
