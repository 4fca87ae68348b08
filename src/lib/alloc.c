/*
 * alloc.c: the small blocks of cJSON's trees and of SQLite, each kept
 * on a list of its size when freed and given out again from there.
 *
 * A queue builds a tree of some forty blocks for each case and frees
 * it once the case is printed, and SQLite allocates as many again:
 * Debian's SQLite is built without its own allocator of small blocks
 * (OMIT_LOOKASIDE).  Through glibc, which sends most of them through
 * its bins and consolidates them, they were a fifth of mash-screen's
 * instructions on a million cases (callgrind).  Blocks are never given
 * back: a program keeps at most what it held at once.
 *
 * Under AddressSanitizer and Valgrind every block is glibc's, so that
 * they see each one (mash_small).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libmash.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND()	RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND()	0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define SANITIZED	1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED	0
#endif

#define GRAIN	16		/* blocks' sizes step by this; their alignment */
#define CLASSES	32		/* a small block holds at most GRAIN * CLASSES */
#define SLAB	(64 * 1024)	/* malloc'd at a time, cut into blocks */
#define LARGE	CLASSES		/* the class of a block from malloc */

/* before each block: 16 bytes, so that the block stays aligned */
struct head {
	size_t	class;		/* its list, or LARGE */
	size_t	size;		/* the bytes it holds */
};

static void	*freed[CLASSES];	/* each list linked through its blocks */
static char	*next, *end;		/* the rest of the newest slab */
static void	*slabs;			/* each slab's first word, the one before */

int
mash_small(void)
{
	static int on = -1;

	if (on < 0)
		on = !SANITIZED && !UNDER_VALGRIND();
	return on;
}

static void *
large(size_t n)
{
	struct head *h;

	if (n > SIZE_MAX - sizeof(*h) || (h = malloc(sizeof(*h) + n)) == NULL)
		return NULL;
	h->class = LARGE;
	h->size = n;
	return h + 1;
}

void *
mash_small_alloc(size_t n)
{
	struct head *h;
	size_t class, take;
	void **p;

	if (n > GRAIN * CLASSES)
		return large(n);
	class = n == 0 ? 0 : (n - 1) / GRAIN;
	if ((p = freed[class]) != NULL) {
		freed[class] = *p;
		return p;
	}
	take = sizeof(*h) + (class + 1) * GRAIN;
	/* no slab yet, or too little left of it */
	if (next == NULL || (size_t)(end - next) < take) {
		if ((p = malloc(SLAB)) == NULL)
			return NULL;
		*p = slabs;
		slabs = p;
		next = (char *)p + GRAIN;
		end = (char *)p + SLAB;
	}
	h = (struct head *)(void *)next;
	next += take;
	h->class = class;
	h->size = (class + 1) * GRAIN;
	return h + 1;
}

void
mash_small_free(void *v)
{
	struct head *h;

	if (v == NULL)
		return;
	h = (struct head *)v - 1;
	if (h->class == LARGE) {
		free(h);
		return;
	}
	*(void **)v = freed[h->class];
	freed[h->class] = v;
}

size_t
mash_small_size(void *v)
{
	return v == NULL ? 0 : ((struct head *)v - 1)->size;
}

/* a small block grows within its size, a large one by realloc */
void *
mash_small_realloc(void *v, size_t n)
{
	struct head *h;
	void *p;

	if (v == NULL)
		return mash_small_alloc(n);
	h = (struct head *)v - 1;
	if (n <= h->size)
		return v;
	if (h->class == LARGE && n > GRAIN * CLASSES) {
		if (n > SIZE_MAX - sizeof(*h) ||
		    (h = realloc(h, sizeof(*h) + n)) == NULL)
			return NULL;
		h->size = n;
		return h + 1;
	}
	if ((p = mash_small_alloc(n)) == NULL)
		return NULL;
	memcpy(p, v, h->size);
	mash_small_free(v);
	return p;
}

/* the size mash_small_alloc would give for n bytes */
size_t
mash_small_roundup(size_t n)
{
	if (n == 0)
		return GRAIN;
	return n > GRAIN * CLASSES ? n : (n + GRAIN - 1) / GRAIN * GRAIN;
}
