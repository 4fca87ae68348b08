/*
 * pgconnect.c URI: what a program's start-up on a PostgreSQL store
 * costs beyond SQLite's, measured in one process for bench.py: libpq
 * loaded as db-pg.c loads it (dlopen), a connection made, and one
 * transaction that takes the store's lock as every command's does.
 * Prints the three in milliseconds.  Only for tests/bench/bench.py.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>

static double
ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	void *(*connect)(const char *);
	int (*status)(const void *);
	void *(*exec)(void *, const char *);
	void (*clear)(void *), (*finish)(void *);
	double t0, t1, t2, t3;
	void *h, *c;

	if (argc != 2)
		return 64;
	t0 = ms();
	if ((h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return 69;
	*(void **)&connect = dlsym(h, "PQconnectdb");
	*(void **)&status = dlsym(h, "PQstatus");
	*(void **)&exec = dlsym(h, "PQexec");
	*(void **)&clear = dlsym(h, "PQclear");
	*(void **)&finish = dlsym(h, "PQfinish");
	if (!connect || !status || !exec || !clear || !finish)
		return 69;
	t1 = ms();
	c = connect(argv[1]);
	if (status(c) != 0)		/* CONNECTION_OK */
		return 75;
	t2 = ms();
	clear(exec(c, "BEGIN; SELECT pg_advisory_xact_lock(1835102056); "
	    "COMMIT"));
	t3 = ms();
	finish(c);
	printf("%.3f %.3f %.3f\n", t1 - t0, t2 - t1, t3 - t2);
	return 0;
}
