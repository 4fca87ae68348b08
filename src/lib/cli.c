/*
 * cli.c: the command line every program shares: common options, usage,
 * and case ids from arguments or standard input.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mash.h"

#define ID_LINE_MAX	4096

void
mash_cli_init(struct mash_cli *cli, const char *argv0, const char *usage)
{
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

void
mash_usage(const struct mash_cli *cli, int status)
{
	FILE *f = status == 0 ? stdout : stderr;
	const char *p, *nl;

	/* each line is one form of the command, or goes on with one */
	for (p = cli->usage; ; p = nl + 1) {
		nl = strchr(p, '\n');
		if (*p == ' ')
			fprintf(f, "      %*s", (int)strlen(mash_progname), "");
		else
			fprintf(f, "%s %s ", p == cli->usage ? "usage:" :
			    "      ", mash_progname);
		fprintf(f, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL || nl[1] == '\0')
			break;
	}
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
