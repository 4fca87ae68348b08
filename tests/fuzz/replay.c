/*
 * replay.c: a main for a harness without libFuzzer, so that make check
 * runs every saved input (seed corpus and regressions) through the same
 * LLVMFuzzerTestOneInput with the ordinary compiler, and make
 * check-asan under the sanitizers.  Arguments are files or directories
 * of files; a broken invariant aborts, a clean run says how many inputs
 * it replayed.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned long replayed;

static int
replay_file(const char *path)
{
	uint8_t *data;
	FILE *fp;
	long n;

	if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path,
		    strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return 1;
	}
	/* a copy of exactly the input's size, as libFuzzer gives one */
	data = mash_xmalloc(n > 0 ? (size_t)n : 1);
	if (fread(data, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		fclose(fp);
		free(data);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	replayed++;
	return 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
replay_dir(const char *path)
{
	struct dirent **ents;
	char sub[4096];
	int i, n, rc = 0;

	if ((n = scandir(path, &ents, NULL, by_name)) == -1) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path,
		    strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
			    ents[i]->d_name);
			rc |= replay_file(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat sb;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			fprintf(stderr, "replay: cannot read '%s': %s\n",
			    argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(sb.st_mode))
			rc |= replay_dir(argv[i]);
		else
			rc |= replay_file(argv[i]);
	}
	printf("replayed %lu input%s\n", replayed, replayed == 1 ? "" : "s");
	return rc;
}
