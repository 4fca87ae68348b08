/*
 * plot.c: a report drawn as an SVG or PNG by gnuplot (mash-report(1),
 * --plot): the volumes by source, and the timeliness by RAG, per
 * period.  The data and the script are written to a private directory
 * (0700, files 0600) made with the user's rights; gnuplot runs with
 * the hub's group dropped for good (mash(7), DEPLOYMENT) and writes to
 * the output file the user's own rights created.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmash.h"

#define GNUPLOT	"gnuplot"

/* the timeliness lines: a key of the flat row, and its title */
static const char *const lines[][2] = {
	{ "screened_pct", "screened in time" },
	{ "decided_red_pct", "red decided in time" },
	{ "decided_amber_pct", "amber decided in time" },
	{ "decided_green_pct", "green decided in time" },
};
#define NLINES	(sizeof(lines) / sizeof(lines[0]))

static int
is_svg(const char *file)
{
	size_t n = strlen(file);

	return n > 4 && strcasecmp(file + n - 4, ".svg") == 0;
}

int
mash_plot_kind_ok(const char *file)
{
	size_t n = strlen(file);

	return is_svg(file) || (n > 4 && strcasecmp(file + n - 4, ".png") ==
	    0);
}

/* is a program on PATH, as execvp will look for it? */
static int
on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[PATH_MAX];
	struct stat sb;
	int n;

	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path; ; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(end - p), p,
		    end == p ? "" : "/", name);
		if (n > 0 && (size_t)n < sizeof(buf) && stat(buf, &sb) == 0 &&
		    S_ISREG(sb.st_mode) && access(buf, X_OK) == 0)
			return 1;
		if (*end == '\0')
			return 0;
	}
}

int
mash_plot_ready(const char *file)
{
	if (on_path(GNUPLOT))
		return MASH_OK;
	return mash_err(MASH_EUNAVAILABLE, "cannot draw '%s': gnuplot is not "
	    "on PATH: install the Debian package 'gnuplot-nox'", file);
}

/* the sources that any period counted, in the order of mash(7) */
static size_t
sources_seen(const cJSON *rows, const char **keys, size_t max)
{
	const cJSON *row, *e;
	size_t n = 0, i;

	cJSON_ArrayForEach(row, rows)
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(row,
		    "contacts_by_source")) {
			if (e->valuedouble <= 0)
				continue;
			for (i = 0; i < n && strcmp(keys[i], e->string); i++)
				;
			if (i == n && n < max)
				keys[n++] = e->string;
		}
	return n;
}

static void
put_value(FILE *fp, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		fprintf(fp, "\t%g", v->valuedouble);
	else
		fputs("\t?", fp);	/* no figure: nothing drawn there */
}

/* one line a period: index, period, each source seen, each line */
static double
write_data(FILE *fp, const cJSON *rows, const char **src, size_t nsrc)
{
	const cJSON *row, *by;
	double sum, top = 0;
	cJSON *flat;
	size_t i;
	int n = 0;

	cJSON_ArrayForEach(row, rows) {
		by = cJSON_GetObjectItemCaseSensitive(row, "contacts_by_source");
		fprintf(fp, "%d\t%s", n++, cJSON_GetObjectItemCaseSensitive(row,
		    "period")->valuestring);
		sum = 0;
		for (i = 0; i < nsrc; i++) {
			put_value(fp, cJSON_GetObjectItemCaseSensitive(by,
			    src[i]));
			sum += cJSON_GetObjectItemCaseSensitive(by,
			    src[i])->valuedouble;
		}
		if (nsrc == 0)
			fputs("\t0", fp);
		flat = mash_report_flat(row);
		for (i = 0; i < NLINES; i++)
			put_value(fp, cJSON_GetObjectItemCaseSensitive(flat,
			    lines[i][0]));
		cJSON_Delete(flat);
		fputc('\n', fp);
		top = sum > top ? sum : top;
	}
	return top;
}

static void
write_script(FILE *fp, const char *file, int nrows, double top,
    const char **src, size_t nsrc)
{
	size_t i, col = 3 + (nsrc ? nsrc : 1);

	fprintf(fp, "set terminal %s noenhanced size 1000,800\n", is_svg(file) ?
	    "svg" : "png");
	fputs("set encoding utf8\nset datafile separator \"\\t\"\n"
	    "set datafile missing \"?\"\nset multiplot layout 2,1\n"
	    "set key outside right top\nset xtics rotate by -45 nomirror\n"
	    "set lmargin at screen 0.08\nset rmargin at screen 0.75\n"
	    "set style fill solid 0.8 border -1\nset boxwidth 0.75\n", fp);
	fprintf(fp, "set xrange [-0.5:%d.5]\n", nrows - 1);
	fputs("set title \"Contacts (children) by source\"\n"
	    "set ylabel \"contacts\"\nset style data histograms\n"
	    "set style histogram rowstacked\n", fp);
	fprintf(fp, "set yrange [0:%g]\nplot", top * 1.1 + 1);
	for (i = 0; i < nsrc; i++)
		fprintf(fp, "%s \"data\" using %zu%s title \"%s\"", i ? "," : "",
		    i + 3, i ? "" : ":xtic(2)", src[i]);
	if (nsrc == 0)
		fputs(" \"data\" using 3:xtic(2) title \"none\"", fp);
	fputs("\nset title \"Within the deadline (%)\"\nset ylabel \"%\"\n"
	    "set style data linespoints\nset yrange [0:105]\nplot", fp);
	for (i = 0; i < NLINES; i++)
		fprintf(fp, "%s \"data\" using 1:%zu%s title \"%s\"",
		    i ? "," : "", col + i, i ? "" : ":xtic(2)", lines[i][1]);
	fputs("\nunset multiplot\n", fp);
}

/* a new file of the private directory, for writing */
static FILE *
private_file(const char *dir, const char *name)
{
	char path[PATH_MAX + 16];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	mash_user_begin();
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	mash_user_end();
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		mash_warn("cannot create '%s':", path);
		if (fd != -1)
			close(fd);
		return NULL;
	}
	return fp;
}

static int
write_files(const char *dir, const cJSON *rows, const char *file)
{
	const char *src[64];
	size_t nsrc;
	double top;
	FILE *fp;
	int bad;

	nsrc = sources_seen(rows, src, sizeof(src) / sizeof(src[0]));
	if ((fp = private_file(dir, "data")) == NULL)
		return MASH_ECANTCREAT;
	top = write_data(fp, rows, src, nsrc);
	bad = fclose(fp) != 0;
	if (bad || (fp = private_file(dir, "script")) == NULL)
		return mash_err(MASH_EIO, "cannot write the plot's data:");
	write_script(fp, file, cJSON_GetArraySize(rows), top, src, nsrc);
	if (fclose(fp) != 0)
		return mash_err(MASH_EIO, "cannot write the plot's script:");
	return MASH_OK;
}

/* gnuplot in dir, its output to fd, its messages to a file there */
static int
run(const char *dir, int fd)
{
	pid_t pid;
	int st, e;

	if ((pid = fork()) == -1)
		return mash_err(MASH_ESOFTWARE, "fork:");
	if (pid == 0) {
		/* the user's program: none of the hub's group (mash(7)) */
		if (mash_priv_drop() == -1 || chdir(dir) == -1 ||
		    dup2(fd, STDOUT_FILENO) == -1 ||
		    (e = open("errors", O_WRONLY | O_CREAT | O_EXCL, 0600)) ==
		    -1 || dup2(e, STDERR_FILENO) == -1)
			_exit(126);
		execlp(GNUPLOT, GNUPLOT, "script", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1)
		return mash_err(MASH_ESOFTWARE, "waitpid:");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return mash_err(MASH_EUNAVAILABLE, "cannot run gnuplot: "
		    "install the Debian package 'gnuplot-nox'");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return mash_err(MASH_ESOFTWARE, "gnuplot failed (%s %d)",
		    WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ?
		    WEXITSTATUS(st) : WTERMSIG(st));
	return MASH_OK;
}

/* gnuplot's own words, when it failed */
static void
show_errors(const char *dir)
{
	char path[PATH_MAX + 16], line[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/errors", dir);
	if ((fp = mash_user_fopen(path)) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			mash_warn("gnuplot: %s", line);
	}
	fclose(fp);
}

/* what gnuplot wrote is an image of the kind asked for */
static int
looks_right(const char *file)
{
	static const char png[8] = "\x89PNG\r\n\x1a\n";
	char buf[512];
	size_t n;
	FILE *fp;

	if ((fp = mash_user_fopen(file)) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (is_svg(file))
		return strstr(buf, "<svg") != NULL;
	return n >= 8 && memcmp(buf, png, 8) == 0;
}

static void
remove_dir(const char *dir)
{
	static const char *const names[] = { "data", "script", "errors" };
	char path[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		mash_user_unlink(path);
	}
	mash_user_begin();
	rmdir(dir);
	mash_user_end();
}

static int
draw(const char *dir, const cJSON *rows, const char *file)
{
	int fd, rc;

	if ((rc = write_files(dir, rows, file)) != MASH_OK)
		return rc;
	if ((fd = mash_user_create(file)) == -1) {
		if (errno == EEXIST)
			return mash_err(MASH_ECANTCREAT, "'%s' already exists: "
			    "not overwriting it", file);
		return mash_err(MASH_ECANTCREAT, "cannot create '%s':", file);
	}
	rc = run(dir, fd);
	close(fd);
	if (rc == MASH_OK && !looks_right(file))
		rc = mash_err(MASH_ESOFTWARE, "gnuplot did not draw '%s'",
		    file);
	if (rc != MASH_OK) {
		show_errors(dir);
		mash_user_unlink(file);
	}
	return rc;
}

int
mash_plot(const cJSON *rows, const char *file)
{
	char dir[PATH_MAX];
	const char *tmp;
	int rc;

	if ((rc = mash_plot_ready(file)) != MASH_OK)
		return rc;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/mash-plot.XXXXXX", tmp);
	mash_user_begin();
	rc = mkdtemp(dir) == NULL;
	mash_user_end();
	if (rc)
		return mash_err(MASH_ECANTCREAT, "cannot create '%s':", dir);
	rc = draw(dir, rows, file);
	remove_dir(dir);
	return rc;
}
