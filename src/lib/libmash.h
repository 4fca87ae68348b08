/*
 * libmash.h: the interface of libmash.a, grouped by the file that
 * defines each part.  Programs include it (through cli.h) and nothing
 * of SQLite; the pure modules at the top import nothing below them.
 * What only programs use, their command line, is in cli.h.
 */
#ifndef LIBMASH_H
#define LIBMASH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define MASH_VERSION	"0.1.0"

/* error.c: the exit table of mash(7), and the one way to fail */
enum {
	MASH_OK = 0,
	MASH_FOUND = 1,		/* something was found */
	MASH_EUSAGE = 64,
	MASH_EDATA = 65,
	MASH_ENOINPUT = 66,
	MASH_EUNAVAILABLE = 69,	/* a helper program is missing */
	MASH_ESOFTWARE = 70,
	MASH_ECANTCREAT = 73,
	MASH_EIO = 74,
	MASH_ETEMPFAIL = 75,
	MASH_ENOPERM = 77,
	MASH_ECONFIG = 78
};

extern const char *mash_progname;

void	 mash_setprogname(const char *);
/* "prog: message"; a format ending in ':' appends strerror(errno) */
void	 mash_warn(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
/* mash_warn, then return the status given: return mash_err(65, ...) */
int	 mash_err(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
_Noreturn void mash_die(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * text made safe for a terminal: C0, DEL and C1 controls shown as '?',
 * and each bidirectional control (as validate.c refuses) as one '?'
 */
void	 mash_sanitise(char *);
/* the status to exit with of two: an error first, then "found" */
int	 mash_worse(int, int);
/* flush and check standard output: 0, or MASH_EIO after a message */
int	 mash_close_stdout(void);
void	*mash_xmalloc(size_t);
void	*mash_xrealloc(void *, size_t);
char	*mash_xstrdup(const char *);

/*
 * alloc.c: small blocks, kept a size to a list and reused, for cJSON
 * and SQLite.  mash_small says whether to use them: not under the
 * sanitizers or Valgrind, which then see glibc's.  Each block has its
 * size (at least the bytes asked); NULL when memory runs out.
 */
int	 mash_small(void);
void	*mash_small_alloc(size_t);
void	*mash_small_realloc(void *, size_t);
void	 mash_small_free(void *);
size_t	 mash_small_size(void *);
size_t	 mash_small_roundup(size_t);

/* time.c: instants are seconds since the epoch, stored as UTC text */
typedef int64_t mash_time;
#define MASH_TIME_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and NUL */
#define MASH_DATE_LEN	11	/* "YYYY-MM-DD" and NUL */
#define MASH_YEAR_MIN	1900	/* the years an instant may take, UTC */
#define MASH_YEAR_MAX	9999

/*
 * The current time: MASH_NOW (any input form) if set and not empty,
 * else the clock.  0, or -1 after a message if MASH_NOW is not a time
 * or it (or the clock) reads outside the years, in UTC or local time.
 */
int	 mash_now(mash_time *);
/* is an instant within the years MASH_YEAR_MIN to MASH_YEAR_MAX (UTC)? */
int	 mash_time_in_range(mash_time);
/*
 * Local time is the hub's zone (mash(7)), a tz database name such as
 * Europe/London whose compiled file is in the zoneinfo directory.
 * mash_zone_check: 0 if there is such a zone, else -1; mash_zone_set
 * makes it local time for this process (TZ), whatever TZ was: 0 or -1.
 */
int	 mash_zone_check(const char *);
int	 mash_zone_set(const char *);
/*
 * Parse an instant in any input form of mash(7): ISO 8601 with 'Z' or an
 * offset, without one as local time; YYYY-MM-DD and DD/MM/YYYY (local
 * midnight); DD/MM/YYYY HH:MM[:SS] (local).  0 on success, -1 if not.
 */
int	 mash_time_parse(const char *, mash_time *);
/* a calendar date, YYYY-MM-DD or DD/MM/YYYY, into YYYY-MM-DD; 0 or -1 */
int	 mash_date_parse(const char *, char [MASH_DATE_LEN]);
/* days from 1970-01-01 to a Gregorian date (y >= 1, m 1-12, d may run on) */
int64_t	 mash_civil_days(int, int, int);
/*
 * The instant of a local wall-clock time (y, m, d, hh, mm, ss; hh 24
 * is the next midnight).  A time the autumn change repeats is the first
 * one, in summer time; a time the spring change skips is read on the
 * clock before the change (01:30 is 02:30 BST).  0 or -1.
 */
int	 mash_time_mklocal(int, int, int, int, int, int, mash_time *);
/*
 * The forms of an instant; each writes "?" and returns -1, never a
 * zero date, when the reading is outside the years, else 0.
 */
/* "YYYY-MM-DDTHH:MM:SSZ" */
int	 mash_time_utc(mash_time, char [MASH_TIME_LEN]);
/* "YYYY-MM-DD HH:MM" in local time, for tables */
int	 mash_time_local(mash_time, char *, size_t);
/* the local calendar date of an instant, YYYY-MM-DD */
int	 mash_time_localdate(mash_time, char [MASH_DATE_LEN]);

/* calendar.c: durations and working time, pure (no store) */
enum mash_unit {
	MASH_MINUTES,		/* "90m": clock minutes */
	MASH_HOURS,		/* "4h": clock hours */
	MASH_WORK_HOURS,	/* "6wh": hours inside office hours */
	MASH_WORK_DAYS		/* "3wd": close of the Nth working day after */
};

struct mash_duration {
	long		 n;
	enum mash_unit	 unit;
};

struct mash_calendar {
	int		 open;		/* office opens, minutes after midnight */
	int		 close;		/* office closes, minutes after midnight */
	const int	*holidays;	/* sorted, as yyyymmdd */
	size_t		 nholidays;
};

#define MASH_DURATION_MAX	10000	/* the largest N of any unit */

/* "Nm", "Nh", "Nwh" or "Nwd", N from 1 to MASH_DURATION_MAX; 0 or -1 */
int	 mash_duration_parse(const char *, struct mash_duration *);
/* "HH:MM-HH:MM" into open and close; 0 or -1 */
int	 mash_office_hours_parse(const char *, struct mash_calendar *);
/*
 * The end of a duration that starts at an instant: 0; -1 for a bad
 * duration or calendar; MASH_DEADLINE_RANGE when the start or the end
 * is outside the years an instant may take (mash_time_in_range).
 */
#define MASH_DEADLINE_RANGE	(-2)
int	 mash_deadline(const struct mash_calendar *, mash_time,
	    const struct mash_duration *, mash_time *);
/* Monday to Friday and not a holiday: 1, else 0 (also for no such date) */
int	 mash_is_working_day(const struct mash_calendar *, int, int, int);

struct mash_holiday {
	char	 date[MASH_DATE_LEN];
	char	 name[64];	/* the coronation holiday's name is 51 bytes */
};

/*
 * The bank holidays of England and Wales in a year, in date order:
 * the published dates where they differ from the standing rules,
 * the standing rules (with substitute days) otherwise.  Returns the
 * number written (at most max).
 */
size_t	 mash_bank_holidays(int, struct mash_holiday *, size_t);

/*
 * validate.c: the field rules of mash(7).  Each returns NULL when
 * the value is good (writing its stored form to out where there is an
 * out), or the end of a message: "is not a valid NHS number".
 */
enum mash_codeset {
	MASH_CODE_SOURCE,
	MASH_CODE_OUTCOME,
	MASH_CODE_RAG,
	MASH_CODE_CATEGORY,
	MASH_CODE_CONSENT,
	MASH_CODE_GENDER,
	MASH_CODE_ROLE,
	MASH_CODE_STATE,
	MASH_CODE_ETHNICITY,	/* the DfE codes, upper case */
	MASH_CODE_DISABILITY,
	MASH_CODE_NEED		/* primary need, N0 to N9 */
};

const char	*mash_check_nhs(const char *, char [11]);
const char	*mash_check_upn(const char *, char [14]);
const char	*mash_check_postcode(const char *, char [9]);
/* a date of birth, not in the future of the given instant */
const char	*mash_check_dob(const char *, mash_time, char [MASH_DATE_LEN]);
/*
 * A member of a code set, in any case; sources by name or census code.
 * The refusal lists the members, in a buffer of the set's own.
 */
const char	*mash_check_code(enum mash_codeset, const char *);
/*
 * The stored form of a member, or NULL: a source's census code, else
 * the member's own lower-case name.
 */
const char	*mash_code_find(enum mash_codeset, const char *);
/*
 * A code of the hub's own (an agency, a criterion) as stored: ASCII
 * folded to lower case into buf; NULL if it does not fit
 */
#define MASH_CODE_MAX	33
char		*mash_code_fold(const char *, char *, size_t);
/* the census code of a source name or code, or NULL */
const char	*mash_source_code(const char *);
/* the name of a census code, or NULL */
const char	*mash_source_name(const char *);
/* the members of a code set, NULL-terminated, for usage and completion */
const char *const *mash_codes(enum mash_codeset);
/* the members of a code set as a refusal lists them: "red, amber, green" */
const char	*mash_codes_text(enum mash_codeset);
/* a login name: [a-z_][a-z0-9_.-]*, at most 32 */
const char	*mash_check_login(const char *);
/*
 * UTF-8, at most the given bytes, no control characters but tab, line
 * feed and CRLF (no lone CR, DEL or C1 control), and no bidirectional
 * control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069): that
 * message names the character as U+XXXX, in a buffer the next call reuses
 */
const char	*mash_check_text(const char *, size_t);
/*
 * mash_check_text for what a person writes (a concern, reason, note,
 * summary, question or answer): also more than white space
 */
const char	*mash_check_words(const char *, size_t);
/* mash_check_text to MASH_NAME_MAX, and no tab or line break either */
const char	*mash_check_name(const char *);
/*
 * The length of the UTF-8 sequence at a string and its code point, or 0
 * if it is invalid (overlong, surrogate, past U+10FFFF, truncated).
 */
size_t		 mash_utf8_decode(const char *, uint32_t *);
#define MASH_TEXT_MAX	(1024 * 1024)	/* a free-text field, in bytes */
#define MASH_NAME_MAX	200		/* a name, in bytes */

/* match.c: names for matching children, pure */
/*
 * The matching key of a name: lower case, diacritics folded to ASCII,
 * hyphens, apostrophes and spaces left out ("O'Neill-Smith" is
 * "oneillsmith").  The key is never longer than the name: strlen(name)
 * + 1 bytes will do.
 */
void	 mash_name_key(const char *, char *, size_t);
/* is the similarity at least MASH_CLOSE_NAME?  (cheaper than asking) */
int	 mash_name_close(const char *, const char *);
/*
 * One key compared with many, as matching compares a new child with
 * every child born on the same day: its letters are counted once.
 */
struct mash_name_probe {
	const char	*key;
	size_t		 len;
	unsigned	 count[256];	/* the key's letters */
	unsigned	 other[256];	/* zero between calls */
	/* by a name's length: 1 + the letters it must share; 0: not yet */
	unsigned char	 need[64];
};
void	 mash_name_probe_init(struct mash_name_probe *, const char *);
int	 mash_name_probe_close(struct mash_name_probe *, const char *);
/* Jaro-Winkler similarity of two keys, 0.0 to 1.0 */
double	 mash_name_similarity(const char *, const char *);
/*
 * At or above this, two keys with the same date of birth are a possible
 * match, which a person confirms; nothing is merged on it.  Over 50
 * common given names and 15 family names, 0.90 keeps 97.5% of single
 * typing errors (0.92: 95%) and flags 1% of pairs of different given
 * names with one family name, the twins' case (0.88: 2%).  Decided by
 * it, on keys without spaces: "olivia grent" is close (0.96); "amelia
 * grant" (0.82) and "ella jones"/"emma jones" (0.87) are not; "oliver
 * grant" is (0.91), an acceptable flag, since a person confirms and
 * sees the gender; "eva smith" is not (0.87): a changed first letter
 * of a three-letter name is a different name as often as it is a slip.
 */
#define MASH_CLOSE_NAME	0.90

/* output.c: one writer for -o json|csv|table (mash(7)) */
/* json.c: compact JSON text of a value, newly allocated */
char		*mash_json_print(const cJSON *);
/*
 * The same into *s, of *cap bytes (or NULL and 0), grown as it needs
 * and kept for the next value, as rows of a listing are printed: the
 * text's length
 */
size_t		 mash_json_print_to(const cJSON *, char **, size_t *);

enum mash_format {
	MASH_FORMAT_DEFAULT,	/* table on a terminal, json otherwise */
	MASH_FORMAT_JSON,
	MASH_FORMAT_CSV,
	MASH_FORMAT_TABLE
};

#define MASH_COL_TIME	0x1	/* an instant: local time in tables */
#define MASH_COL_CHILD	0x2	/* a field of each element of "children" */
#define MASH_COL_WIDE	0x4	/* left out of tables */
#define MASH_COL_LATE	0x8	/* seconds late: "55m late", "due in 2h" */
#define MASH_COL_SPARSE	0x10	/* left out of a table when no row has it */
#define MASH_COL_EXTRA	0x20	/* left out, last first, of a table too wide */
#define MASH_COL_MARK	0x40	/* true: "yes" in a table, false: nothing */
#define MASH_COL_WHOLE	0x80	/* a code: never cut in a table */

struct mash_col {
	/* the JSON key; several, space-separated: their values joined */
	const char	*key;
	const char	*head;	/* the CSV and table header; NULL: the key */
	int		 flags;
};

struct mash_out;

int		 mash_format_parse(const char *, enum mash_format *);
/* the format a default stands for here: table on a terminal, else json */
enum mash_format mash_format_resolve(enum mash_format);
struct mash_out	*mash_out_new(enum mash_format, int, const struct mash_col *);
/* write one object: a JSON line, CSV rows, or a table row kept for later */
int		 mash_out_row(struct mash_out *, const cJSON *);
/* where JSON and CSV rows go from now on (tables print at the end) */
void		 mash_out_to(struct mash_out *, FILE *);
/* each object of an array (NULL: none) as mash_out_row writes it */
int		 mash_out_rows(struct mash_out *, const cJSON *);
/* CSV: the header row, if no row has written it; 0 or MASH_EIO */
int		 mash_out_header(struct mash_out *);
/*
 * Free text for reading whole: "label:", then the text indented, its
 * lines filled to the screen's width (COLUMNS, the terminal), never cut
 */
int		 mash_out_text(const char *, const char *);
/*
 * An object's fields for reading whole, one a line after the indent:
 * each column's header, then its value filled to the screen's width,
 * never cut; empty values and MASH_COL_WIDE columns are left out
 */
int		 mash_out_fields(const cJSON *, const struct mash_col *, int);
/* CSV rows that go on from an earlier writer's: no header again */
void		 mash_out_continue(struct mash_out *);
/* print what is kept (tables), free; 0 or MASH_EIO */
int		 mash_out_end(struct mash_out *);
/* free, printing nothing more */
void		 mash_out_drop(struct mash_out *);

/* cli.c: ids and text that the store reads too */
/* an id: a positive decimal integer; 0 or -1 */
int		 mash_parse_id(const char *, int64_t *);
/* read a whole stream into a string, at most max bytes; NULL if more */
char		*mash_slurp(FILE *, size_t);

/*
 * priv.c: a set-group-id program's group (mash(7), DEPLOYMENT).  Every
 * file a user names is opened or created through these, with the
 * user's own rights; errno is kept for the message.
 */
/* is the program running set-group-id (real and effective groups differ)? */
int	 mash_priv_setgid(void);
/* a file to read, or NULL */
FILE	*mash_user_fopen(const char *);
/* a new file, mode 0600, never through a symbolic link: a descriptor or -1 */
int	 mash_user_create(const char *);
/* mkstemp with the user's rights (mode 0600): a descriptor or -1 */
int	 mash_user_mkstemp(char *);
int	 mash_user_rename(const char *, const char *);
int	 mash_user_unlink(const char *);
/* act with the user's rights until mash_user_end (a backup's copy) */
void	 mash_user_begin(void);
void	 mash_user_end(void);
/* lose the group for good, before exec of a user's program: 0 or -1 */
int	 mash_priv_drop(void);
/*
 * What is wrong with the modes of a store and its directory, in buf, or
 * NULL; *bad is 1 for a failure, 0 for a warning (mash-admin check)
 */
const char *mash_deployment(const char *, char *, size_t, int *);

/* referral.c: a contact being recorded, checked field by field */
struct mash_child {
	char	*given_name;
	char	*family_name;
	char	*dob;
	char	*gender;
	char	*nhs_number;
	char	*upn;
	char	*school;
	char	*address;
	char	*postcode;
	char	*ethnicity;	/* a DfE code */
	char	*disabilities;	/* a JSON array of CIN codes */
	char	*expected_dob;	/* an unborn child's */
};

struct mash_referral {
	char			*source;	/* census code */
	char			*reference;
	char			*concern;
	char			*consent;
	char			*referrer;
	char			*referrer_contact;
	char			*report_type;
	char			*risk;
	mash_time		 received_at;
	int			 has_received_at;
	cJSON			*categories;	/* array of codes */
	struct mash_child	*children;
	size_t			 nchildren;
};

void		 mash_referral_init(struct mash_referral *);
void		 mash_referral_free(struct mash_referral *);
/* start a new child; later child fields describe it */
struct mash_child *mash_referral_child(struct mash_referral *);
/* the field an option or template key names ("nhs-number"), or NULL */
const char	*mash_referral_alias(const char *);
/* is this the name of a field (a CSV column)? */
int		 mash_referral_field(const char *);
/*
 * Set a field by its CSV column name (mash-import(5)), "child_name" for a whole
 * name; an empty value leaves it unset.  Returns NULL, or the end of a
 * message: "is not a date".
 */
const char	*mash_referral_set(struct mash_referral *, const char *,
		    const char *, mash_time);
/* what is missing, naming the field, or NULL when whole */
const char	*mash_referral_check(const struct mash_referral *);
/*
 * Fill a referral from a JSON object of the shape mash-record prints;
 * NULL, or a message naming the key.
 */
const char	*mash_referral_json(struct mash_referral *, const cJSON *,
		    mash_time, char *, size_t);

/* store.c: the case store (all SQL lives in the store*.c files) */
struct mash;

#define MASH_ROLE_ADMIN		0x01
#define MASH_ROLE_SCREENER	0x02
#define MASH_ROLE_HEAD		0x04
#define MASH_ROLE_SW		0x08
#define MASH_ROLE_AGENCY	0x10
#define MASH_ROLE_AUDITOR	0x20	/* the trail, never casework */

/* -d, else $MASH_DB, else the built-in default (the Makefile's) */
#ifndef MASH_DEFAULT_DB
#define MASH_DEFAULT_DB	"/var/lib/mash/mash.db"
#endif
const char	*mash_db_path(const char *);
/* open a store and identify the user; returns an exit status */
int		 mash_open(struct mash **, const char *);
/*
 * The same, for an import: SQLite's pages are malloc'd, so mash_bulk
 * can grow its cache (the first open of a process decides, for all)
 */
int		 mash_open_bulk(struct mash **, const char *);
/*
 * Create a store, registering as admin the login given, else the
 * invoking user
 */
int		 mash_create(struct mash **, const char *, const char *,
		    const char *);
void		 mash_close(struct mash *);
/*
 * Run fn in a transaction: MASH_TX_WRITE takes the write lock at once
 * (busy: MASH_ETEMPFAIL), MASH_TX_READ sees one moment of the store.
 * Committed when fn returns MASH_OK or MASH_FOUND, else rolled back;
 * fn's status, or the commit's failure.  Every change and view is
 * audited inside fn, so in the same transaction.  The store's
 * functions never begin one: the programs and their glue say which
 * kind a command needs and run the store's work inside it.
 */
enum mash_tx_kind { MASH_TX_READ, MASH_TX_WRITE };
int		 mash_tx(struct mash *, enum mash_tx_kind,
		    int (*)(struct mash *, void *), void *);
/*
 * While fn is set (NULL: no longer), the rows of the long listings
 * (the queues) are given to it, fn(arg, row), as they are found and
 * then freed, not kept in their array: mash_list writes them to
 * memory, and prints it once the transaction has committed
 */
void		 mash_list_sink(struct mash *, int (*)(void *, const cJSON *),
		    void *);
/*
 * A larger page cache, for an import's long transactions: one it grows
 * to on a store opened by mash_open_bulk
 */
int		 mash_bulk(struct mash *);
/* the time of this command, fixed when the store was opened */
mash_time	 mash_clock(const struct mash *);
/* refuse unless the user holds one of the roles: 0 or MASH_ENOPERM */
int		 mash_need_role(const struct mash *, int, const char *);
/* record a change in the audit table; details may be NULL */
int		 mash_audit(struct mash *, const char *, int64_t, cJSON *);

/* roles as text: "head,social-worker" to a mask; -1 if unknown */
int		 mash_roles_parse(const char *);

/* store-admin.c: users, settings, calendar, criteria, agencies, check */
struct mash_user {
	const char	*login;
	const char	*roles;		/* "head,social-worker" */
	const char	*name;
	const char	*agency;	/* for the role agency */
};
int		 mash_user_add(struct mash *, const struct mash_user *);
/* change a user's roles, name or agency (NULL: unchanged) */
int		 mash_user_set(struct mash *, const struct mash_user *);
/* enable (1) or disable (0) a user; the last admin stays enabled */
int		 mash_user_enable(struct mash *, const char *, int);
/* the listings: their rows, an array to free, for the program to print */
int		 mash_user_list(struct mash *, cJSON **);
int		 mash_config_show(struct mash *, const char *, cJSON **);
int		 mash_config_set(struct mash *, const char *, const char *);
/* a setting's value, newly allocated; NULL if unknown */
char		*mash_setting(struct mash *, const char *);
/* is a code among a setting's comma-separated list?  1 or 0 */
int		 mash_setting_has(struct mash *, const char *, const char *);
/* a whole number from lo to hi, as a setting gives it; else -1 */
int		 mash_setting_whole(const char *, int, int);
int		 mash_holiday_add(struct mash *, const char *, const char *);
int		 mash_holiday_rm(struct mash *, const char *);
int		 mash_holiday_list(struct mash *, cJSON **);
int		 mash_criteria_add(struct mash *, const char *, const char *);
int		 mash_criteria_list(struct mash *, cJSON **);
int		 mash_agency_add(struct mash *, const char *, const char *);
int		 mash_agency_list(struct mash *, cJSON **);
/* an agency code in any case as stored, in buf (MASH_CODE_MAX), or NULL */
const char	*mash_agency_find(struct mash *, const char *, char *);
/* the checks' findings as rows, MASH_FOUND when one is a problem */
int		 mash_check(struct mash *, cJSON **);
/*
 * A backup: in a write transaction, the file created and the backup
 * audited; once that has ended with the status given, the store copied
 * into the file, or the file removed if it failed.
 */
int		 mash_backup(struct mash *, const char *);
int		 mash_backup_copy(struct mash *, const char *, int);
/* the end of the duration a setting names, from an instant */
int		 mash_deadline_from(struct mash *, const char *, mash_time,
		    mash_time *);

/* store-audit.c: the audit trail, its hash chain, who saw what */
#define MASH_HASH_LEN	65	/* a SHA-256 in hex, and NUL */
#define MASH_ANCHOR_LEN	(24 + MASH_HASH_LEN)	/* "ID:HASH" */

struct mash_anchor {
	int64_t	 id;
	char	 hash[MASH_HASH_LEN];
};

struct mash_audit_query {
	int64_t		 case_id;	/* each filter: 0 or NULL for any */
	int64_t		 person;
	const char	*user;
	const char	*action;
	int		 has_since, has_until;
	mash_time	 since, until;
	int		 access;	/* who saw the person's cases */
};

extern const struct mash_col mash_audit_cols[];
extern const struct mash_col mash_access_cols[];
extern const struct mash_col mash_verify_cols[];
/* "ID:HASH" into an anchor; 0 or -1 */
int	 mash_anchor_parse(const char *, struct mash_anchor *);
/*
 * The events that match, oldest first; or, with access, who saw whom.
 * Each is handed to the function as it is read (a trail is long): its
 * status other than MASH_OK stops the listing.
 */
int	 mash_audit_list(struct mash *, const struct mash_audit_query *,
	    int (*)(void *, const cJSON *), void *);
/*
 * Recompute the chain, check the anchors: MASH_OK, MASH_FOUND or
 * error; the verdict, a row
 */
int	 mash_audit_verify(struct mash *, const struct mash_anchor *, size_t,
	    cJSON **);
/* the last row's anchor, and when it was written */
int	 mash_audit_anchor(struct mash *, struct mash_anchor *,
	    char [MASH_TIME_LEN]);

/* store-case.c: cases and children */
/*
 * Record a contact in state new, matching its children.  A (source,
 * reference) already present is an update when its content differs
 * (mash-import(5)): what became of the referral is in how.
 */
enum mash_intake_how {
	MASH_INTAKE_NEW,	/* a new case */
	MASH_INTAKE_PRESENT,	/* already there, with the same content */
	MASH_INTAKE_UPDATED,	/* an open case took the new content */
	MASH_INTAKE_RENEWED,	/* its case is closed: a new case supersedes it */
	MASH_INTAKE_BATCH,	/* a case from since_case on: nothing done;
				   fields: where the referral differs */
	MASH_INTAKE_CONFLICT	/* differs from an update from since_update on */
};
struct mash_intake {
	int64_t		 since_case;	/* cases from this id on: the caller's */
	int64_t		 since_update;	/* updates from this id on: merged */
	enum mash_intake_how how;
	int64_t		 id;		/* the case */
	int64_t		 previous;	/* RENEWED: the closed case */
	int64_t		 update;	/* UPDATED: the update's id */
	char		 fields[128];	/* UPDATED, CONFLICT: "concern,risk";
					   BATCH: the first that differs */
	size_t		 added;		/* UPDATED: children added */
};
int		 mash_case_create(struct mash *, const struct mash_referral *,
		    struct mash_intake *);
/*
 * Add a child to a case: a later CSV row of a household (import.c);
 * twice says the child was one of the case's children already.
 */
int		 mash_case_add_child(struct mash *, int64_t,
		    const struct mash_child *, int *);
/* a case with its children and their history, the shape of mash(7) */
int		 mash_case_json(struct mash *, int64_t, cJSON **);

/* intake.c: recording contacts from options, JSON and an editor */
/* an update in words: "concern,risk; 1 child added" (a static buffer) */
const char	*mash_intake_said(const struct mash_intake *);
/* the columns of a case, one row per child in CSV and tables */
extern const struct mash_col mash_case_cols[];
/* record one referral in its own transaction, and print the case */
int		 mash_refer_one(struct mash *, struct mash_referral *,
		    enum mash_format, int);
/* record JSON Lines or one JSON array of referrals, all or nothing */
int		 mash_refer_json(struct mash *, FILE *, enum mash_format, int);
#define MASH_JSON_DEPTH	16	/* the deepest JSON taken; a referral needs 3 */
/*
 * Asked of JSON text before it is parsed: NULL, or why it is refused
 * (nested deeper than MASH_JSON_DEPTH, or a \u0000 in a string)
 */
const char	*mash_json_guard(const char *);
/*
 * Write a template to a new file (its name into path), open $VISUAL or
 * $EDITOR on it, and read back the text; the caller removes the file.
 */
int		 mash_editor(const char *, char *, size_t, char **);
/* open $EDITOR on a template, record what comes back */
int		 mash_refer_edit(struct mash *, enum mash_format, int);

/* import.c: referrals from CSV (mash-import(5)) */
struct mash_import {
	const char	*file;		/* "-": standard input */
	const char	*source;	/* census code, for rows without one */
	const char	*map;
	const char	*reject;
	int		 ignore_unknown;
	int		 dry_run;
	int		 delimiter;	/* 0: found from the header */
};

int		 mash_import_csv(struct mash *, const struct mash_import *);

/*
 * casework.c: the rules of mash(7) in one table, pure: for each action,
 * the states it may start from, the state it leads to, who may take it
 */
enum mash_action {
	MASH_ACT_SCREEN,
	MASH_ACT_ACCEPT,
	MASH_ACT_DECLINE,
	MASH_ACT_RERATE,
	MASH_ACT_SHARE,
	MASH_ACT_MATCH,
	MASH_ACT_REQUEST,
	MASH_ACT_ANSWER,
	MASH_ACT_RECORD,
	MASH_ACT_DECIDE,
	MASH_ACT_RETURN,
	MASH_ACT_CONSENT,
	MASH_ACT_WITHDRAW,
	MASH_ACT_NEED,
	MASH_ACT_VIEW,		/* a case's whole record */
	MASH_ACT_LIST,		/* done to no one case: */
	MASH_ACT_NAMES,
	MASH_ACT_USER_ADD,
	MASH_ACT_USER_SET,
	MASH_ACT_USER_ENABLE,
	MASH_ACT_USER_DISABLE
};

enum mash_may {
	MASH_MAY,
	MASH_MAY_NOT_ROLE,	/* none of the roles it needs */
	MASH_MAY_NOT_ASSIGNED,	/* a social worker not assigned the case */
	MASH_MAY_NOT_ASKED,	/* an officer of an agency not asked */
	MASH_MAY_NOT_STATE	/* not from the state the case is in */
};

/* how the user stands to the case, for the actions on their own */
#define MASH_MINE_ASSIGNED	0x01	/* it is assigned to them */
#define MASH_MINE_ASKED		0x02	/* a request to their agency */

/* the names of the states, NULL-terminated */
extern const char *const mash_states[];

/*
 * May a user take the action, on a case in this state (NULL: none),
 * with these roles, standing so to it (MASH_MINE_*)?
 */
enum mash_may	 mash_action_may(enum mash_action, const char *, int, int);
/* that, and then may the action start from the state? */
enum mash_may	 mash_action_allowed(enum mash_action, const char *, int,
		    int);
/* may the action start from the state? 1 or 0 */
int		 mash_action_from(enum mash_action, const char *);
/* the state the action leads to; NULL: the case stays where it is */
const char	*mash_action_next(enum mash_action);
/* the roles and the words a refusal names: "accepting a case" */
int		 mash_action_roles(enum mash_action);
const char	*mash_action_what(enum mash_action);
/* 0, or MASH_EDATA after naming the state and what it allows */
int		 mash_state_check(int64_t, const char *, enum mash_action);
/*
 * Does a change to a user leave the hub an enabled admin?  The enabled
 * admins before it, the user's roles before and after (0: disabled).
 */
int		 mash_user_keeps_admin(int64_t, int, int);

/* store-work.c: the hub's workflow; call inside mash_tx */
/* a screening: the RAG, criteria met, a note, and why (each may be NULL) */
struct mash_screening {
	const char	*rag;
	const char	*criteria;	/* comma-separated codes */
	const char	*note;
	const char	*reason;
};
int	 mash_case_screen(struct mash *, int64_t,
	    const struct mash_screening *);
/* a screened case into the hub, assigned; mash-screen screens first */
int	 mash_case_accept(struct mash *, int64_t, const char *);
int	 mash_case_decline(struct mash *, int64_t, const char *, const char *,
	    const char *);
int	 mash_case_share(struct mash *, int64_t, const char *);
/* consent obtained or refused since the contact: consent, reason */
int	 mash_case_consent(struct mash *, int64_t, const char *, const char *);
/* --rag: screen (or revise) a case, or re-rate one in the hub */
int	 mash_case_rate(struct mash *, int64_t, const struct mash_screening *);
/* child and person: confirm (same) or dismiss a possible match */
int	 mash_case_match(struct mash *, int64_t, int64_t, int64_t, int);
int	 mash_case_record(struct mash *, int64_t, const char *, const char *,
	    const char *);
/*
 * Would mash_case_record be refused, but for its summary?  Writes
 * nothing: mash-record asks before it opens an editor.
 */
int	 mash_case_record_check(struct mash *, int64_t, const char *,
	    const char *);
/* a decision: its outcome, agency, reason, and a referral's primary need */
struct mash_decision {
	const char	*outcome;
	const char	*agency;
	const char	*reason;
	const char	*need;
};
int	 mash_case_decide(struct mash *, int64_t, const struct mash_decision *);
/* the primary need of a closed case, given late (mash-decide --need) */
int	 mash_case_need(struct mash *, int64_t, const char *);
int	 mash_case_return(struct mash *, int64_t, const char *);
/* a new request; due may be NULL (from the RAG), a time or a duration */
int	 mash_request_add(struct mash *, int64_t, const char *, const char *,
	    const char *, int64_t *);
int	 mash_request_answer(struct mash *, int64_t, const char *, int);
int	 mash_request_withdraw(struct mash *, int64_t, const char *);
/* the whole record of a case, its view audited (needs a transaction) */
int	 mash_case_view(struct mash *, int64_t, cJSON **);
/*
 * How much of a case the user may view, from its id, state and assignee
 * (mash(7), ROLES): the one rule of mash-record CASE and every listing.
 * MASH_VIEW_AGENCY is an agency officer's: the contact their agency is
 * asked about, and that agency's requests.  -1 on a store error.
 */
enum { MASH_VIEW_NONE, MASH_VIEW_AGENCY, MASH_VIEW_ALL };
int	 mash_case_viewer(struct mash *, int64_t, const char *, const char *);
/* how many possible matches of a case's children are still open */
int	 mash_case_open_matches(struct mash *, int64_t, int64_t *);
/* a listing's audit details: {"list":which,"cases":[each id once]} */
cJSON	*mash_list_details(const char *, const int64_t *, size_t);

enum mash_queue {
	MASH_QUEUE_SCREENING,	/* new and screened, most urgent first */
	MASH_QUEUE_DECISION,	/* recorded, oldest deadline first */
	MASH_QUEUE_CASELOAD	/* by state, or every open case */
};

extern const struct mash_col mash_request_cols[];
extern const struct mash_col mash_event_cols[];
/*
 * The listings give their rows, an array to free (NULL after an
 * error).  In a write transaction: a listing leaves out what the user
 * may not view and audits what it showed; print the rows once that
 * is committed.
 */
int	 mash_case_queue(struct mash *, enum mash_queue, const char *, int,
	    cJSON **);
int	 mash_request_show(struct mash *, int64_t, cJSON **);
/* requests: of one agency, of one case, open only unless all */
int	 mash_request_list(struct mash *, const char *, int64_t, int,
	    cJSON **);

/* store-overdue.c: what is past, or near, its deadline (mash-overdue) */
struct mash_overdue {
	const char		*kind;		/* each filter: NULL for any */
	const char		*rag;
	const char		*agency;	/* keeps request items only */
	const char		*assigned;
	int			 has_within;
	struct mash_duration	 within;	/* also what is due this soon */
	int			 names;		/* add children's names, dobs */
	int			 only_new;	/* --new: not in the last run */
};

/* a kind (screening, request, decision) in any case: its name, or NULL */
const char	*mash_overdue_kind(const char *);
/*
 * The items most overdue first, and the run recorded for mash-admin
 * check, in a write transaction (print the rows once it is committed).
 * MASH_OK when nothing is listed, MASH_FOUND when anything is, else
 * an error status.
 */
int		 mash_overdue_list(struct mash *, const struct mash_overdue *,
		    cJSON **);
/* the plans of the queries mash_overdue_list runs, as query and detail */
int		 mash_overdue_explain(struct mash *, cJSON **);

/* store-report.c: management information (mash-report) */
enum mash_period { MASH_BY_MONTH, MASH_BY_WEEK };

struct mash_report {
	char			 from[MASH_DATE_LEN];	/* "" for the default */
	char			 to[MASH_DATE_LEN];	/* "" for today */
	enum mash_period	 by;
};

/*
 * The rows of a report, a JSON array of one object per period, oldest
 * first (role head or admin), read in one transaction; then the run
 * audited, with counts only, in a write transaction of its own
 */
int		 mash_report(struct mash *, const struct mash_report *,
		    cJSON **);
int		 mash_report_audit(struct mash *, const struct mash_report *,
		    const cJSON *);
/* a row for CSV and tables: "cases_by_rag": {"red": 1} is "cases_red" */
cJSON		*mash_report_flat(const cJSON *);

/* store-return.c: the statutory returns (mash-return) */
struct mash_annex {
	int	 list;				/* 1: contacts, 3: referrals */
	char	 from[MASH_DATE_LEN];		/* "" for the default */
	char	 to[MASH_DATE_LEN];		/* "" for today */
};

/* the columns of Annex A's lists 1 and 3, under Ofsted's headers */
extern const struct mash_col mash_annex1_cols[];
extern const struct mash_col mash_annex3_cols[];
/*
 * The rows of an Annex A list, a JSON array (role head or admin; the
 * run is audited, naming the cases shown, in the caller's write
 * transaction)
 */
int		 mash_return_annex(struct mash *, const struct mash_annex *,
		    cJSON **);
/*
 * The Children in Need census XML of a census year's referrals, newly
 * allocated, its run audited (in a write transaction); MASH_EDATA, naming each case and child and saying how to
 * mend it, where the store's data would break a DfE rule
 */
int		 mash_return_cin(struct mash *, int, char **);

/*
 * store-retention.c: legal holds, the purge of personal data past
 * retention, and subject access (mash(7), RETENTION AND SUBJECT
 * ACCESS)
 */
/* put a case on hold with a reason, or take it off; role admin */
int		 mash_case_hold(struct mash *, int64_t, const char *);
int		 mash_case_unhold(struct mash *, int64_t);
extern const struct mash_col mash_purge_cols[];
/*
 * Erase the personal data of every closed case past retention and not
 * on hold, in one write transaction, giving a row for each case; with
 * dry_run, the rows only, changing nothing.  Role admin.
 */
int		 mash_purge(struct mash *, int, cJSON **);
/* after a purge is committed: rewrite the file without what it erased */
int		 mash_scrub(struct mash *);
/*
 * Every case about a person, each a whole record, for a subject access
 * request, each audited as an export (head, admin or auditor; inside
 * the caller's transaction): a JSON array of records
 */
int		 mash_person_records(struct mash *, int64_t, cJSON **);

/* plot.c: a report drawn by gnuplot (mash-report --plot) */
/* is FILE's suffix .svg or .png?  1 or 0 */
int		 mash_plot_kind_ok(const char *);
/* 0 when gnuplot is on PATH, else MASH_EUNAVAILABLE after a message */
int		 mash_plot_ready(const char *);
/* draw the rows of a report into a new FILE: an exit status */
int		 mash_plot(const cJSON *, const char *);

#endif
