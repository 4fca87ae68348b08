/*
 * fuzz.h: what the harnesses share.  Each fuzz-NAME.c defines
 * LLVMFuzzerTestOneInput; clang's libFuzzer drives it under make fuzz,
 * and replay.c feeds it the saved inputs under make check.  A broken
 * invariant aborts, which both count as a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libmash.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* on fd 2 itself: a harness may have stderr pointed elsewhere */
#define fuzz_assert(cond) do { \
	if (!(cond)) { \
		dprintf(2, "%s:%d: invariant broken: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* the input as a C string: cut at a NUL, as every reader sees it */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s;

	s = mash_xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* the hub's zone, so that local times are the same on every machine */
static inline void
fuzz_tz(void)
{
	static int done;

	if (!done) {
		setenv("TZ", "Europe/London", 1);
		tzset();
		done = 1;
	}
}

/*
 * Messages as mash_warn writes them: each line "mash: ...", with no
 * control character (C0, DEL, or C1 in UTF-8) that a terminal would act
 * on.  A line break inside a value would let it forge a second line.
 */
static inline void
fuzz_messages_ok(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;
	int bol = 1;

	for (i = 0; i < len; i++) {
		if (bol)
			fuzz_assert(len - i >= 6 &&
			    memcmp(p + i, "mash: ", 6) == 0);
		bol = p[i] == '\n';
		if (bol)
			continue;
		fuzz_assert(p[i] >= 0x20 && p[i] != 0x7f);
		fuzz_assert(!(p[i] == 0xc2 && i + 1 < len &&
		    p[i + 1] >= 0x80 && p[i + 1] <= 0x9f));
	}
	fuzz_assert(len == 0 || p[len - 1] == '\n');
}

/* stderr into memory while the code under test runs */
struct fuzz_capture {
	FILE	*saved;
	char	*buf;
	size_t	 len;
};

static inline void
fuzz_capture_start(struct fuzz_capture *c)
{
	c->saved = stderr;
	c->buf = NULL;
	c->len = 0;
	if ((stderr = open_memstream(&c->buf, &c->len)) == NULL) {
		stderr = c->saved;
		fuzz_assert(!"open_memstream");
	}
}

/* put stderr back, check what was written, and let it go */
static inline void
fuzz_capture_end(struct fuzz_capture *c)
{
	fclose(stderr);
	stderr = c->saved;
	fuzz_messages_ok(c->buf, c->len);
	free(c->buf);
}

#endif
