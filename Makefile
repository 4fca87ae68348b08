# mash: a children's Multi-Agency Safeguarding Hub from the shell

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/mash
localstatedir ?= $(PREFIX)/var

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
# bash-completion's own directory for this PREFIX, else the usual one
BASHCOMPDIR != $(PKG_CONFIG) --define-variable=prefix=$(PREFIX) \
	--define-variable=datadir=$(PREFIX)/share \
	--variable=completionsdir bash-completion 2>/dev/null || true
BASHCOMPDIR := $(or $(BASHCOMPDIR),$(PREFIX)/share/bash-completion/completions)
# libpq: its header only; db-pg.c loads it when a store is a URI
DEPS_CFLAGS != $(PKG_CONFIG) --cflags sqlite3 libcjson libcrypto libpq 2>/dev/null || true
DEPS_LIBS != $(PKG_CONFIG) --libs sqlite3 libcjson 2>/dev/null || \
	echo -lsqlite3 -lcjson
# libcrypto's SHA-256, linked in from libcrypto.a: the shared library
# binds 3 380 symbols as each program starts, half a listing's work
CRYPTO_LIBS ?= -Wl,-Bstatic -lcrypto -Wl,-Bdynamic
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 $(DEPS_CFLAGS) \
	-DMASH_DEFAULT_DB='"$(localstatedir)/lib/mash/mash.db"'
# only the libraries a program calls are loaded when it starts
LDLIBS += -Wl,--as-needed $(DEPS_LIBS) $(CRYPTO_LIBS) -lcsv -lm

# B is where objects go; bin/ holds the programs (README, Layout)
B ?= build
# prove runs the tests side by side: each makes its own store
JOBS ?= 2
BIN ?= bin

PROGS = mash mash-admin mash-refer mash-overdue mash-screen mash-request mash-record mash-decide \
	mash-audit mash-report mash-return
LIBSRC = $(wildcard src/lib/*.c)
LIBOBJ = $(LIBSRC:src/lib/%.c=$(B)/lib/%.o)
UNITS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
FUZZERS = $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
MANS = $(wildcard man/*.[157])
# what the tests run beside the programs: the unit tests, and each fuzz
# harness built to replay its saved inputs (tests/7100-fuzz-regress.t)
TESTPROGS = $(UNITS:%=$(B)/unit/%) $(FUZZERS:%=$(B)/fuzz/replay-%)

all: $(PROGS:%=$(BIN)/%)

# each compile writes the headers it read into a .d file beside its
# output, read back below: a header rebuilds what includes it, and no
# more.  What has no .d (built before, or never) is built again.
DEPFLAGS = -MMD -MP
DEPFILES = $(LIBOBJ:.o=.d) $(PROGS:%=$(B)/%.d) $(UNITS:%=$(B)/unit/%.d)
include $(wildcard $(DEPFILES))
$(foreach o,$(LIBOBJ) $(PROGS:%=$(B)/%.o),\
	$(if $(wildcard $(o:.o=.d)),,$(eval $(o): FORCE)))
$(foreach u,$(UNITS:%=$(B)/unit/%),$(if $(wildcard $(u).d),,$(eval $(u): FORCE)))

$(B)/lib/%.o: src/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/libmash.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Isrc/lib -c -o $@ $<

$(BIN)/%: $(B)/%.o $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmash.a $(LDLIBS)

# the front end needs only libmash's messages: no SQLite, and where
# the man pages are installed
$(BIN)/mash: $(B)/mash.o $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/mash.o $(B)/libmash.a
$(B)/mash.o: override CFLAGS += -DMASH_MANDIR='"$(MANDIR)"'

# the paths built into the programs: a change rebuilds what holds them,
# and make -n and -q see it too
PATHS = $(localstatedir) $(MANDIR)
ifneq ($(file <$(B)/paths),$(PATHS))
$(B)/paths: FORCE
endif
$(B)/paths:
	@mkdir -p $(@D)
	@echo '$(PATHS)' >$@
$(B)/lib/store.o $(B)/lib/cli.o $(B)/mash.o: $(B)/paths
.PHONY: FORCE

# one source each: its .d is $@.d
$(B)/unit/%: tests/unit/%.c $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Isrc/lib -Itests/unit $(LDFLAGS) -o $@ \
		$< $(B)/libmash.a $(LDLIBS)

# the packages a fresh Debian 12 needs to build and test, if missing
PKGS = build-essential pkg-config libsqlite3-dev libcjson-dev libcsv-dev \
	libssl-dev libpq-dev \
	sqlite3 jq mandoc perl python3 python3-jsonschema bsdutils man-db \
	valgrind e2fsprogs tzdata gnuplot-nox libxml2-utils \
	postgresql-15 libfaketime strace
deps:
	@missing=; for p in $(PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update && \
		$$sudo apt-get install -y --no-install-recommends $$missing; \
	else echo "all packages present"; fi

demo: all
	@sh tests/demo.sh $(BIN) $(B)/demo

check: all $(TESTPROGS)
	$(if $(MANS),mandoc -Tlint -W warning $(MANS))
	MASH_BIN=$(CURDIR)/$(BIN) MASH_UNIT=$(CURDIR)/$(B)/unit \
		MASH_SRC=$(CURDIR) prove -j $(JOBS) tests/

# benchmarks against the sqlite3 shell: BENCH_ROWS, BENCH_CASES, BENCH_RUNS;
# BENCH_ONLY=pg: PostgreSQL beside SQLite, =sqlite: all but that;
# BENCH_OUT: another file than results.md (tests/bench/bench.py).  Each
# run prints the machine and the commit, and appends a line a measure
# to tests/bench/history.tsv
bench: all
	python3 tests/bench/bench.py $(BIN) $(B)/bench

# build-asan/man: the programs find the source tree's pages beside
# their bin/, as mash help does (mash(1))
check-asan:
	@mkdir -p build-asan && ln -sfn ../man build-asan/man
	$(MAKE) B=build-asan BIN=build-asan/bin \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' check

# the CLI tests of every program with each program run by Valgrind's
# memcheck (tests/lib.sh honours MASH_WRAP); an error or a definite leak
# is exit 99, and its report in $(B)/valgrind fails the run even where
# a test let the status pass
VALGRIND_TESTS = 0100-admin 0200-refer 0210-refer-json 0220-refer-editor \
	0300-output 0400-security 2000-import 3001-overdue-plan \
	3002-overdue-examples 4000-workflow 4060-stdin 8010-mash
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite \
	--log-file=$(CURDIR)/$(B)/valgrind/%p.log
check-valgrind: all
	rm -rf $(B)/valgrind && mkdir -p $(B)/valgrind
	MASH_BIN=$(CURDIR)/$(BIN) MASH_UNIT=$(CURDIR)/$(B)/unit \
		MASH_SRC=$(CURDIR) MASH_WRAP='$(VALGRIND)' \
		prove -j $(JOBS) $(VALGRIND_TESTS:%=tests/%.t)
	@bad=$$(find $(B)/valgrind -type f -size +0); [ -z "$$bad" ] || \
		{ cat $$bad; echo "valgrind: errors in $$bad"; exit 1; }

# the suite against a throwaway PostgreSQL server (tests/pg/check.sh):
# every test file but those about SQLite's own files, which a PostgreSQL
# store does not have: stores of older schema versions (0110), the
# store file's modes (0400), the overrides on a file of one's own
# (0410: refused on PostgreSQL, 9000 checks that), SQLite's triggers
# rewritten with the sqlite3 shell (1310: 9000 tampers on PostgreSQL),
# SQLite's query plans (3001, 6001), its write-ahead log under a crash
# or a full disk (7010, 7020) and the set-group-id install (8000, 8200,
# 8210)
PG_NOT = 0110-upgrade 0400-security 0410-overrides 1310-audit-tamper \
	3001-overdue-plan 6001-plans 7010-crash 7020-faults 8000-install \
	8200-hub 8210-hub-attacks
check-pg: all $(TESTPROGS)
	MASH_BIN=$(CURDIR)/$(BIN) MASH_UNIT=$(CURDIR)/$(B)/unit \
		MASH_SRC=$(CURDIR) JOBS=$(JOBS) sh tests/pg/check.sh \
		$(filter-out $(PG_NOT:%=tests/%.t),$(sort $(wildcard tests/*.t)))

# the long variants of the reliability tests (tests/stress, tests/README)
stress: all
	MASH_BIN=$(CURDIR)/$(BIN) MASH_UNIT=$(CURDIR)/$(B)/unit \
		MASH_SRC=$(CURDIR) prove tests/stress/

.PHONY: check-valgrind check-pg stress

# fuzzing (tests/fuzz): each harness is built twice: by the ordinary
# compiler with replay.c, so that make check replays its saved inputs
# (tests/7100-fuzz-regress.t), and by clang with libFuzzer for make
# fuzz, which runs each for FUZZ_TIME seconds from its seed corpus
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all

# two sources to one program, so no .d: fuzz.h includes libmash.h alone
$(B)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c \
		tests/fuzz/fuzz.h src/lib/libmash.h $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc/lib -Itests/fuzz $(LDFLAGS) -o $@ $< \
		tests/fuzz/replay.c $(B)/libmash.a $(LDLIBS)

$(B)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h src/lib/libmash.h \
		$(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc/lib -Itests/fuzz $(LDFLAGS) \
		-o $@ $< $(B)/libmash.a $(LDLIBS)

# new inputs go to build-fuzz/corpus, crashes to build-fuzz/crashes
fuzz:
	$(MAKE) B=build-fuzz BIN=build-fuzz/bin CC=$(FUZZ_CC) \
		CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
		LDFLAGS='$(FUZZ_SAN)' $(FUZZERS:%=build-fuzz/fuzz/fuzz-%)
	@for h in $(FUZZERS); do \
		mkdir -p build-fuzz/corpus/$$h build-fuzz/crashes || exit 1; \
		r=tests/fuzz/regress/$$h; [ -d $$r ] || r=; \
		echo "fuzz-$$h: $(FUZZ_TIME) seconds"; \
		build-fuzz/fuzz/fuzz-$$h -max_total_time=$(FUZZ_TIME) \
		    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		    -artifact_prefix=build-fuzz/crashes/$$h- \
		    build-fuzz/corpus/$$h tests/fuzz/corpus/$$h $$r || exit 1; \
	done

clean-fuzz:
	rm -rf build-fuzz

.PHONY: fuzz clean-fuzz

# the pages name the paths of a default build; install them as built
MANSED = s|/usr/local/var/lib/mash|$(localstatedir)/lib/mash|g; \
	s|/usr/local/share/mash|$(SHAREDIR)|g; s|/usr/local/bin|$(BINDIR)|g

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(SHAREDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(PROGS:%=$(BIN)/%) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do d=$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; \
		sed '$(MANSED)' $$m >$$d && chmod 0644 $$d || exit 1; done
	cp -R share/mash/. $(DESTDIR)$(SHAREDIR)/
	for f in $(wildcard share/mash/cron/* share/mash/examples/*); do \
		sed '$(MANSED)' $$f >$(DESTDIR)$(SHAREDIR)/$${f#share/mash/} \
		|| exit 1; done
	chmod -R go+rX,go-w $(DESTDIR)$(SHAREDIR)
	install -m 0644 share/mash/completion/mash.bash \
		$(DESTDIR)$(BASHCOMPDIR)/mash
	for p in $(PROGS:mash=); do \
		ln -sf mash $(DESTDIR)$(BASHCOMPDIR)/$$p || exit 1; done

# a hub (mash(7), DEPLOYMENT): as root, every mash-VERB set-group-id
# MASH_GROUP, never the front end (it runs what it finds on PATH), and
# the store's directory root:MASH_GROUP 2770; users are not members
MASH_GROUP ?= mash
install-hub: install
	@[ "$$(id -u)" = 0 ] || { echo "install-hub: run as root" >&2; exit 1; }
	getent group $(MASH_GROUP) >/dev/null || groupadd --system $(MASH_GROUP)
	for p in $(PROGS:mash=); do \
		chown root:$(MASH_GROUP) $(DESTDIR)$(BINDIR)/$$p && \
		chmod 2755 $(DESTDIR)$(BINDIR)/$$p || exit 1; done
	install -d -o root -g $(MASH_GROUP) -m 2770 \
		$(DESTDIR)$(localstatedir)/lib/mash
	@echo "now create the store, as root:"
	@echo "  $(BINDIR)/mash-admin init --admin LOGIN"

# exactly what install put there; the store and its directory stay
uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p \
		$(DESTDIR)$(BASHCOMPDIR)/$$p; done
	for m in $(MANS); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	cd share/mash && find . ! -type d | while read -r f; do \
		rm -f "$(DESTDIR)$(SHAREDIR)/$$f"; done
	cd share/mash && find . -mindepth 1 -depth -type d | \
		while read -r d; do rmdir "$(DESTDIR)$(SHAREDIR)/$$d"; done \
		2>/dev/null; rmdir $(DESTDIR)$(SHAREDIR) 2>/dev/null || true

clean:
	rm -rf build build-asan build-fuzz bin

.PHONY: all deps demo check check-asan bench install install-hub uninstall \
	clean

# keep the objects: they are not intermediate to anyone but make
.SECONDARY:
