/*
 * fuzz-csv.c: the CSV importer, mash_import_csv, on any bytes: libcsv,
 * the row reader, the header and map, and every field rule.  The first
 * byte picks options (1 --reject, 2 --ignore-unknown, 4 --source
 * police, 8 --map); the rest is the file.
 *
 * import.c reads a file by name, so the file is a memfd, opened again
 * through /proc/self/fd: no disk, and the importer's own fopen.  Every
 * run is a --dry-run against one real store made at the first run, so
 * rows go through mash_case_create and its matching inside a
 * transaction that is rolled back: no run writes, so none depends on
 * another.  Checked besides crashes and leaks: the exit status is 0,
 * 1 (only with --reject) or 65; the store still holds no case; every
 * message is one clean line.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static struct mash *m;
static char dir[256], db[300], map[300], rej[300], path[64];
static int fd = -1;

/* share/mash/maps/police-ppn.map, less its comments */
static const char map_text[] =
    "reference=PPN Number\n"
    "received_at=Date Submitted\n"
    "report_type=Incident Type\n"
    "risk=Risk Level\n"
    "child_given_name=Forename\n"
    "child_family_name=Surname\n"
    "child_dob=Date of Birth\n"
    "child_gender=Sex\n"
    "child_nhs_number=NHS No\n"
    "address=Home Address\n"
    "postcode=Post Code\n"
    "concern=Officer Narrative\n"
    "categories=Concern Types\n"
    "consent=Consent to Share\n"
    "referrer_name=Officer Name\n"
    "referrer_contact=Collar Number\n";

static void
remove_store(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[320];
	size_t i;

	mash_close(m);
	m = NULL;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		unlink(p);
	}
	unlink(map);
	rmdir(dir);
}

static void
setup(void)
{
	struct fuzz_capture c;
	const char *tmp;
	FILE *fp;

	fuzz_tz();
	setenv("MASH_USER", "fuzzer", 1);
	setenv("MASH_NOW", "2026-03-10T10:00:00Z", 1);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/mash-fuzz.XXXXXX", tmp);
	fuzz_assert(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/mash.db", dir);
	snprintf(map, sizeof(map), "%s/police.map", dir);
	snprintf(rej, sizeof(rej), "%s/rejected.csv", dir);
	fuzz_assert((fp = fopen(map, "w")) != NULL);
	fputs(map_text, fp);
	fuzz_assert(fclose(fp) == 0);
	fuzz_capture_start(&c);
	fuzz_assert(mash_create(&m, db, NULL, NULL) == MASH_OK);
	fuzz_capture_end(&c);
	atexit(remove_store);
	fuzz_assert((fd = memfd_create("fuzz-csv", 0)) != -1);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
}

/* the file as the importer will open it */
static void
put_file(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	fuzz_assert(ftruncate(fd, 0) == 0);
	while (off < size) {
		n = pwrite(fd, data + off, size - off, (off_t)off);
		fuzz_assert(n > 0);
		off += (size_t)n;
	}
}

/* a dry run leaves nothing: there is still no case 1 */
static void
store_empty(void)
{
	struct fuzz_capture c;
	cJSON *j = NULL;

	fuzz_capture_start(&c);
	fuzz_assert(mash_case_json(m, 1, &j) == MASH_ENOINPUT);
	fuzz_capture_end(&c);
	cJSON_Delete(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mash_import opt;
	struct fuzz_capture c;
	int flags, rc;

	if (m == NULL)
		setup();
	flags = size > 0 ? data[0] : 0;
	put_file(size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
	memset(&opt, 0, sizeof(opt));
	opt.file = path;
	opt.reject = flags & 1 ? rej : NULL;
	opt.ignore_unknown = (flags & 2) != 0;
	opt.source = flags & 4 ? "6" : NULL;
	opt.map = flags & 8 ? map : NULL;
	opt.dry_run = 1;
	fuzz_capture_start(&c);
	rc = mash_import_csv(m, &opt);
	fuzz_capture_end(&c);
	fuzz_assert(rc == MASH_OK || rc == MASH_EDATA ||
	    (rc == MASH_FOUND && opt.reject != NULL));
	fuzz_assert(access(rej, F_OK) == -1);
	store_empty();
	return 0;
}
