/* error.c: messages, exit statuses and allocation that cannot fail */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmash.h"

const char *mash_progname = "mash";

void
mash_setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL)
		return;
	p = strrchr(argv0, '/');
	mash_progname = p ? p + 1 : argv0;
}

/*
 * The length of the UTF-8 of a bidirectional control at p (U+061C,
 * U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), else 0: they
 * reorder what follows them on the screen, so a table or a message
 * could read differently from what is stored.
 */
static size_t
bidi_len(const unsigned char *p)
{
	if (p[0] == 0xd8 && p[1] == 0x9c)
		return 2;
	if (p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
	    (p[2] >= 0xaa && p[2] <= 0xae)))
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 3;
	return 0;
}

void
mash_sanitise(char *s)
{
	unsigned char *p = (unsigned char *)s, *q = p;
	size_t n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			*q++ = '?';
			p++;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls: CSI and OSC in their 8-bit forms */
			*q++ = '?';
			*q++ = '?';
			p += 2;
		} else if ((n = bidi_len(p)) > 0) {
			/* one '?': one character, as wide as the table counts */
			*q++ = '?';
			p += n;
		} else
			*q++ = *p++;
	}
	*q = '\0';
}

static void vwarn(const char *, va_list) __attribute__((format(printf, 1, 0)));

static void
vwarn(const char *fmt, va_list ap)
{
	char msg[1024];
	int saved = errno;
	size_t n = strlen(fmt);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* values in messages came from outside: no escapes to a terminal */
	mash_sanitise(msg);
	fprintf(stderr, "%s: %s", mash_progname, msg);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
mash_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

int
mash_err(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	return status;
}

void
mash_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

int
mash_worse(int a, int b)
{
	/* an error outranks "found", which outranks "done" */
	if (a >= MASH_EUSAGE)
		return a;
	if (b >= MASH_EUSAGE)
		return b;
	return a ? a : b;
}

int
mash_close_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return mash_err(MASH_EIO, "cannot write standard output:");
	return MASH_OK;
}

void *
mash_xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		mash_die(MASH_ESOFTWARE, "out of memory");
	return p;
}

void *
mash_xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		mash_die(MASH_ESOFTWARE, "out of memory");
	return p;
}

char *
mash_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(mash_xmalloc(n), s, n);
}
