/*
 * alloc.c: the small blocks of src/lib/alloc.c: aligned, as large as
 * asked, never two over one another, their bytes kept when they grow,
 * and a freed block given out again
 */
#include <stdint.h>
#include <stdlib.h>

#include "libmash.h"
#include "tap.h"

#define LIVE	4000
#define KEPT	"forty bytes: the first of them kept"

struct block {
	unsigned char	*p;
	size_t		 n;
	unsigned char	 mark;
};

static void
fill(struct block *b)
{
	memset(b->p, b->mark, b->n);
}

static int
intact(const struct block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->p[i] != b->mark)
			return 0;
	return 1;
}

/* sizes across the small classes and past them, more of the small */
static size_t
some_size(void)
{
	return rand() % 8 ? (size_t)(rand() % 520) : (size_t)(rand() % 5000);
}

int
main(void)
{
	static struct block live[LIVE];
	size_t n, bad = 0, round = 0;
	unsigned char *p, *q;
	int i, k, broken = 0;

	srand(20261203);
	for (n = 0; n <= 1100; n++) {
		p = mash_small_alloc(n);
		if (p == NULL || (uintptr_t)p % 16 != 0 ||
		    mash_small_size(p) < n)
			bad++;
		if (mash_small_size(p) != mash_small_roundup(n))
			round++;
		mash_small_free(p);
	}
	ok(bad == 0, "each size from 0 to 1100 bytes: aligned to 16, "
	    "holding at least what was asked");
	ok(round == 0, "mash_small_roundup gives the size given");

	/* many blocks, marked, half of them freed and others taken, twice */
	for (i = 0; i < LIVE; i++) {
		live[i].n = some_size();
		live[i].p = mash_small_alloc(live[i].n);
		live[i].mark = (unsigned char)(i % 251 + 1);
		fill(&live[i]);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < LIVE; i++) {
			if (rand() % 2)
				continue;
			if (!intact(&live[i]))
				broken++;
			mash_small_free(live[i].p);
			live[i].n = some_size();
			live[i].p = mash_small_alloc(live[i].n);
			live[i].mark++;
			fill(&live[i]);
		}
	for (i = 0; i < LIVE; i++)
		broken += !intact(&live[i]);
	ok(broken == 0, "%d blocks of mixed sizes, freed and taken again in "
	    "turn: none written over another", LIVE);

	/* growing keeps the bytes, within a block, to a larger, past small */
	for (i = 0; i < LIVE; i++) {
		if (i % 3)
			continue;
		live[i].n = live[i].n + (size_t)(rand() % 900);
		live[i].p = mash_small_realloc(live[i].p, live[i].n);
		/* what was there is still there; the new bytes are marked */
		fill(&live[i]);
	}
	for (i = 0; i < LIVE; i++)
		broken += !intact(&live[i]);
	ok(broken == 0, "a third of them grown: none written over another");
	for (i = 0; i < LIVE; i++)
		mash_small_free(live[i].p);

	p = mash_small_alloc(40);
	strcpy((char *)p, KEPT);
	q = mash_small_realloc(p, 44);
	ok(q == p, "a block grown within its size stays where it is");
	q = mash_small_realloc(p, 300);
	is((char *)q, KEPT, "grown past its size, a block keeps its bytes");
	p = mash_small_realloc(q, 20000);
	is((char *)p, KEPT, "and past the small sizes");
	ok(mash_small_size(p) >= 20000, "to the size asked");
	q = mash_small_realloc(p, 90000);
	is((char *)q, KEPT, "a large block grows by realloc, keeping its "
	    "bytes");
	ok(mash_small_size(q) == 90000, "to the size asked");
	mash_small_free(q);

	p = mash_small_alloc(100);
	mash_small_free(p);
	q = mash_small_alloc(97);
	ok(q == p, "a freed block is given out again for a size like it");
	mash_small_free(q);
	mash_small_free(NULL);
	p = mash_small_realloc(NULL, 10);
	ok(p != NULL && mash_small_size(p) >= 10, "realloc of NULL allocates");
	mash_small_free(p);
	ok(mash_small_alloc(SIZE_MAX - 8) == NULL, "a size that cannot be "
	    "held is NULL, not a wrapped small block");
	return done_testing();
}
