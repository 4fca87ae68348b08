/* error.c: messages, exit statuses and allocation that cannot fail */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mash.h"

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

void
mash_sanitise(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls: CSI and OSC in their 8-bit forms */
			p[0] = '?';
			p[1] = '?';
			p++;
		}
	}
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
