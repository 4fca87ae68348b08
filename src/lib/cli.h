/*
 * cli.h: the glue of the programs (src/mash-*.c): the command line
 * they share, and the loops of the workflow programs.  The library
 * proper is libmash.h.
 */
#ifndef MASH_CLI_H
#define MASH_CLI_H

#include <getopt.h>

#include "libmash.h"

/* cli.c: what every program shares on its command line */

struct mash_cli {
	const char		*db;
	enum mash_format	 format;
	int			 raw;
	/*
	 * The usage: a line a form of the command, "[-d db] ..." after
	 * the name, an indented line going on with the one before; then
	 * a blank line and a line on each of the program's own options,
	 * "--rag rag<TAB>what it is".  -h prints it all, filled to 80
	 * columns, with the common options and the manual's name.
	 */
	const char		*usage;
};

enum {
	MASH_OPT_RAW = 0x100,
	MASH_OPT_VERSION,
	MASH_OPT_FIRST		/* programs number their own from here */
};

#define MASH_CLI_SHORT	"d:o:h"
#define MASH_CLI_LONG \
	{ "db", required_argument, NULL, 'd' }, \
	{ "format", required_argument, NULL, 'o' }, \
	{ "raw", no_argument, NULL, MASH_OPT_RAW }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, MASH_OPT_VERSION }

/* set up a program: name, signals, umask; the usage for -h and misuse */
void		 mash_cli_init(struct mash_cli *, const char *, const char *);
/* handle a common option; 1 if it was one (may exit), 0 if not */
int		 mash_cli_option(struct mash_cli *, int, const char *);
_Noreturn void	 mash_usage(const struct mash_cli *, int);
/*
 * Call fn for each id among the arguments; "-" reads standard input,
 * one a line, bare ids or JSON objects with an "id".  Returns the
 * worst status fn returned, or MASH_EDATA for a bad line.
 */
int		 mash_each_id(int, char **, int (*)(int64_t, void *), void *);
/*
 * The text of an option given as "-": standard input, less one final
 * line end; exits after a message naming the option if it cannot
 */
char		*mash_stdin_text(const char *);
/* rows (an array; NULL: none) in the format of the command line */
int		 mash_print(const struct mash_cli *, const struct mash_col *,
		    const cJSON *);
/*
 * A listing: run fn in one transaction of the kind given, fn giving
 * its rows (NULL: none), and print them once it has ended as fn said
 * (not after a failed commit).  fn's status, or MASH_EIO if writing
 * failed and fn's status was no error.
 */
int		 mash_list(struct mash *, const struct mash_cli *,
		    const struct mash_col *, enum mash_tx_kind,
		    int (*)(struct mash *, cJSON **, void *), void *);

/* act.c: the workflow programs' common loop */
/*
 * For each case id among the arguments ("-": standard input), run fn
 * in a transaction of its own and print the case as it then stands.
 */
int	 mash_act(struct mash *, int, char **,
	    int (*)(struct mash *, int64_t, void *), void *,
	    const struct mash_cli *);
/* a whole record: JSON, CSV rows, or tables of its parts for people */
int	 mash_record_print(const cJSON *, enum mash_format, int);
int	 mash_show_queue(struct mash *, enum mash_queue, const char *, int,
	    const struct mash_cli *, const struct mash_col *);

#endif
