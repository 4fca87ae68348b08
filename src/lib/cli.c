/*
 * cli.c: the command line every program shares: common options, usage,
 * and case ids from arguments or standard input.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cli.h"

#define ID_LINE_MAX	4096
#define HELD_BUF	65536	/* a listing's rows written at a time */

void
mash_cli_init(struct mash_cli *cli, const char *argv0, const char *usage)
{
	cJSON_Hooks small = { mash_small_alloc, mash_small_free };

	/* before any tree is built, each freed as it was allocated */
	if (mash_small())
		cJSON_InitHooks(&small);
	mash_setprogname(argv0);
	memset(cli, 0, sizeof(*cli));
	cli->usage = usage;
	/* a closed pipe or a full file is an error to report (74), not a
	 * silent death */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	/* whatever we create holds children's data: owner and group only */
	umask(umask(0) | 007);
}

/* a synopsis or a help line is wrapped to fit this */
#define USAGE_WIDTH	80
/* where the description of an option starts */
#define HELP_COLUMN	28

/*
 * Where a synopsis line may break: at a space outside brackets before
 * an option, a bracket or a '|', so that an option stays with its
 * argument and a bracket with its contents.  The length of the unit
 * at s.
 */
static size_t
unit_len(const char *s, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '[')
			depth++;
		else if (s[i] == ']')
			depth--;
		else if (s[i] == ' ' && depth == 0 && i > 0 && i + 1 < n &&
		    strchr("[-|", s[i + 1]) != NULL)
			return i;
	}
	return n;
}

/* one line of a synopsis from column col, wrapped to indent */
static void
synopsis_line(FILE *f, const char *s, size_t n, int col, int indent)
{
	size_t u;
	int start = col;

	while (n > 0) {
		u = unit_len(s, n);
		if (col > start && col + 1 + (int)u > USAGE_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", (int)u, s);
		s += u, n -= u;
		if (n > 0)
			s++, n--;	/* the space broken at */
	}
	fputc('\n', f);
}

/*
 * The synopsis: each line one form of the command, with the indented
 * lines after it that go on with it, filled to the width.  Returns
 * where it ends: the blank line before the options, or the end.
 */
static const char *
synopsis(FILE *f, const char *usage)
{
	const char *p, *nl;
	int lead = (int)strlen(mash_progname) + 8;	/* "usage: prog " */
	char *form;
	size_t n;

	form = mash_xmalloc(strlen(usage) + 1);
	for (p = usage; *p != '\0' && *p != '\n'; ) {
		fprintf(f, "%s %s ", p == usage ? "usage:" : "      ",
		    mash_progname);
		n = 0;
		do {
			p += strspn(p, " ");
			nl = p + strcspn(p, "\n");
			if (n > 0)
				form[n++] = ' ';
			memcpy(form + n, p, (size_t)(nl - p));
			n += (size_t)(nl - p);
			p = nl + (*nl != '\0');
		} while (*p == ' ');
		synopsis_line(f, form, n, lead, lead + 2);
	}
	free(form);
	return p;
}

/*
 * "-d, --db db<TAB>what it is": the option, a long one alone indented
 * as if it had a short one, then the words of what it is, filled from
 * HELP_COLUMN (on a line of their own after an option too long)
 */
static void
help_line(FILE *f, const char *s)
{
	const char *w;
	size_t len;
	int col;

	len = strcspn(s, "\t\n");
	col = fprintf(f, "%s%.*s", s[0] == '-' && s[1] == '-' ? "      " :
	    "  ", (int)len, s);
	if (col + 2 > HELP_COLUMN) {
		fputc('\n', f);
		col = 0;
	}
	for (w = s + len; *w == '\t' || *w == ' '; w += len) {
		w += strspn(w, "\t ");
		if ((len = strcspn(w, " \n")) == 0)
			break;
		if (col > HELP_COLUMN && col + 1 + (int)len > USAGE_WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		if (col < HELP_COLUMN)
			col += fprintf(f, "%*s", HELP_COLUMN - col, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", (int)len, w);
	}
	fputc('\n', f);
}

/*
 * The common options, each helped when the synopsis shows it (--raw
 * also with -o), and those every program takes
 */
static const struct {
	const char	*shown, *or;	/* in the synopsis; NULL: always */
	const char	*help;
} common[] = {
	{ "[-d db]", NULL, "-d, --db db\tthe store; else $MASH_DB, else "
	    MASH_DEFAULT_DB },
	{ "[-o format]", NULL, "-o, --format format\tjson, csv or table; "
	    "the default is table on a terminal, else json" },
	{ "[--raw]", "[-o format]", "--raw\tCSV fields as stored, with no ' "
	    "put before = + - @ to keep a spreadsheet from running them" },
	{ NULL, NULL, "-h, --help\tprint this help and exit" },
	{ NULL, NULL, "--version\tprint the version and exit" },
};

/*
 * The help: the synopsis, a line for each option (the common ones the
 * synopsis shows, the program's own after the blank line of its usage,
 * -h and --version), and the manual to read
 */
static void
help(FILE *f, const char *usage)
{
	const char *p, *q;
	size_t i;

	p = synopsis(f, usage);
	fputc('\n', f);
	for (i = 0; common[i].shown != NULL; i++)
		if (((q = strstr(usage, common[i].shown)) != NULL && q < p) ||
		    (common[i].or != NULL &&
		    (q = strstr(usage, common[i].or)) != NULL && q < p))
			help_line(f, common[i].help);
	for (p += *p != '\0'; *p != '\0'; p += strcspn(p, "\n"),
	    p += *p != '\0')
		help_line(f, p);
	for (; i < sizeof(common) / sizeof(common[0]); i++)
		help_line(f, common[i].help);
	fprintf(f, "\nSee %s(1).\n", mash_progname);
}

void
mash_usage(const struct mash_cli *cli, int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	if (status == 0)
		help(f, cli->usage);
	else
		synopsis(f, cli->usage);
	if (status == 0 && mash_close_stdout() != 0)
		status = MASH_EIO;
	exit(status);
}

int
mash_cli_option(struct mash_cli *cli, int ch, const char *arg)
{
	switch (ch) {
	case 'd':
		cli->db = arg;
		return 1;
	case 'o':
		if (mash_format_parse(arg, &cli->format) != 0) {
			mash_warn("-o '%s' is not a format (json, csv, table)",
			    arg);
			exit(MASH_EUSAGE);
		}
		return 1;
	case MASH_OPT_RAW:
		cli->raw = 1;
		return 1;
	case 'h':
		mash_usage(cli, 0);
	case MASH_OPT_VERSION:
		printf("%s %s\n", mash_progname, MASH_VERSION);
		exit(mash_close_stdout());
	case '?':
	case ':':
		mash_usage(cli, MASH_EUSAGE);
	default:
		return 0;
	}
}

int
mash_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* an id from a line: a bare id, or a JSON object with an "id" */
static int
line_id(char *line, int64_t *id)
{
	const cJSON *v;
	cJSON *j;
	size_t n;
	int rc = -1;

	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	if (*line != '{')
		return mash_parse_id(line, id);
	if ((j = cJSON_Parse(line)) == NULL)
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(j, "id");
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 &&
	    v->valuedouble <= 9007199254740992.0 &&
	    v->valuedouble == (double)(int64_t)v->valuedouble) {
		*id = (int64_t)v->valuedouble;
		rc = 0;
	}
	cJSON_Delete(j);
	return rc;
}

static int
worst(int a, int b)
{
	return a > b ? a : b;
}

static int
stdin_ids(int (*fn)(int64_t, void *), void *arg)
{
	char line[ID_LINE_MAX];
	unsigned long lineno = 0;
	int64_t id;
	int rc = MASH_OK;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(stdin)) {
			rc = worst(rc, mash_err(MASH_EDATA, "standard input:%lu:"
			    " line too long", lineno));
			while (fgets(line, sizeof(line), stdin) != NULL &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (line_id(line, &id) != 0)
			rc = worst(rc, mash_err(MASH_EDATA, "standard input:%lu:"
			    " not a case id", lineno));
		else
			rc = worst(rc, fn(id, arg));
	}
	if (ferror(stdin))
		rc = worst(rc, mash_err(MASH_EIO, "standard input:"));
	return rc;
}

int
mash_each_id(int argc, char **argv, int (*fn)(int64_t, void *), void *arg)
{
	int64_t id;
	int i, rc = MASH_OK;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			rc = worst(rc, stdin_ids(fn, arg));
		else if (mash_parse_id(argv[i], &id) != 0)
			rc = worst(rc, mash_err(MASH_EUSAGE, "'%s' is not a "
			    "case id", argv[i]));
		else
			rc = worst(rc, fn(id, arg));
	}
	return rc;
}

/*
 * Text an option reads from standard input ("-"): all of it, less one
 * final line end (LF or CRLF), which ends the last line that echo,
 * a here-document or an editor writes and is not part of the text.
 * Only that one: a blank line kept at the end was typed.
 */
char *
mash_stdin_text(const char *opt)
{
	char *s;
	size_t n;

	if ((s = mash_slurp(stdin, MASH_TEXT_MAX)) == NULL)
		mash_die(MASH_EDATA, "%s: standard input is too long, not "
		    "text, or unreadable", opt);
	n = strlen(s);
	if (n > 0 && s[n - 1] == '\n')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '\r')
		s[--n] = '\0';
	return s;
}

char *
mash_slurp(FILE *f, size_t max)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	do {
		if (cap - len < 4096)
			buf = mash_xrealloc(buf, cap = cap ? cap * 2 : 8192);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > max) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	/* a NUL would silently cut the text short: refuse it instead */
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		errno = EILSEQ;
		return NULL;
	}
	return buf;
}

int
mash_print(const struct mash_cli *cli, const struct mash_col *cols,
    const cJSON *rows)
{
	struct mash_out *out;
	int rc;

	if (rows == NULL)
		return MASH_OK;
	out = mash_out_new(cli->format, cli->raw, cols);
	rc = mash_out_rows(out, rows);
	return mash_worse(rc, mash_out_end(out));
}

struct listing {
	int	(*fn)(struct mash *, cJSON **, void *);
	void	 *arg;
	cJSON	 *rows;
	int	  rc;
	FILE	 *mem;		/* the rows held, if they are (held_open) */
};

static int
listing_tx(struct mash *m, void *p)
{
	struct listing *l = p;

	l->rc = l->fn(m, &l->rows, l->arg);
	/*
	 * Rows that could not all be held are not shown, nor audited: none
	 * of them, though those written before the failure were held
	 */
	if (l->mem != NULL && (fflush(l->mem) != 0 || ferror(l->mem))) {
		l->rc = mash_worse(l->rc, mash_err(MASH_EIO,
		    "cannot hold the listing in memory"));
		cJSON_Delete(l->rows);
		l->rows = NULL;
	}
	return l->rc;
}

/*
 * A listing's rows in memory until its transaction has ended: a file
 * that lives in memory alone (memfd_create(2)), written 64 KiB at a
 * time.  A buffer of our own, grown by realloc, took a page fault for
 * each page it filled: a third of a queue's, on a machine where a
 * fault costs as much as a read of the store.  The stream's buffer is
 * given: glibc sizes one it makes itself by st_blksize, whatever size
 * setvbuf(3) asks, and wrote 4 KiB at a time, 630 writes for a
 * screening queue of 2 500 cases.  One listing is held at a time.
 */
static FILE *
held_open(void)
{
	static char buf[HELD_BUF];
	FILE *f;
	int fd;

	if ((fd = memfd_create("mash-listing", MFD_CLOEXEC)) == -1)
		return NULL;
	if ((f = fdopen(fd, "w+")) == NULL)
		close(fd);
	else if (setvbuf(f, buf, _IOFBF, sizeof(buf)) != 0) {
		fclose(f);
		f = NULL;
	}
	return f;
}

/* the rows held to standard output */
static int
held_print(FILE *f)
{
	char buf[HELD_BUF];
	size_t n;

	if (fseek(f, 0, SEEK_SET) != 0)
		return MASH_EIO;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return MASH_EIO;
	return ferror(f) ? MASH_EIO : MASH_OK;
}

static int
held_row(void *out, const cJSON *row)
{
	return mash_out_row(out, row);
}

int
mash_list(struct mash *m, const struct mash_cli *cli,
    const struct mash_col *cols, enum mash_tx_kind kind,
    int (*fn)(struct mash *, cJSON **, void *), void *arg)
{
	struct listing l = { fn, arg, NULL, MASH_OK, NULL };
	struct mash_out *out;
	int rc;

	/*
	 * The long listings write each row as it is found, to memory (a
	 * tree of them all was most of their time and memory); without a
	 * file in memory for that, they are kept as trees.
	 */
	out = mash_out_new(cli->format, cli->raw, cols);
	if ((l.mem = held_open()) != NULL) {
		mash_out_to(out, l.mem);
		mash_list_sink(m, held_row, out);
	}
	rc = mash_tx(m, kind, listing_tx, &l);
	mash_list_sink(m, NULL, NULL);
	mash_out_to(out, stdout);
	/*
	 * Printed once the transaction has ended as fn said: a listing's
	 * audit row is committed first, and no lock is held while a slow
	 * reader takes the rows.  A failed write outranks what was found.
	 * Nothing is printed of a listing that failed.
	 */
	if (rc == l.rc && l.rows != NULL) {
		if (l.mem != NULL)
			rc = mash_worse(rc, held_print(l.mem));
		rc = mash_worse(rc, mash_out_rows(out, l.rows));
		rc = mash_worse(rc, mash_out_end(out));
	} else
		mash_out_drop(out);
	if (l.mem != NULL)
		fclose(l.mem);		/* read, or never to be */
	cJSON_Delete(l.rows);
	return rc;
}
