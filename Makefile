# mash: a children's Multi-Agency Safeguarding Hub from the shell

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/mash
localstatedir ?= $(PREFIX)/var

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
DEPS_CFLAGS != $(PKG_CONFIG) --cflags sqlite3 libcjson 2>/dev/null || true
DEPS_LIBS != $(PKG_CONFIG) --libs sqlite3 libcjson 2>/dev/null || echo -lsqlite3 -lcjson
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 $(DEPS_CFLAGS) \
	-DMASH_DEFAULT_DB='"$(localstatedir)/lib/mash/mash.db"'
LDLIBS += $(DEPS_LIBS) -lcsv -lm

# B is where objects go; bin/ holds the programs (SPEC 11)
B ?= build
BIN ?= bin

PROGS = mash-admin mash-refer mash-overdue mash-screen mash-request mash-record mash-decide
LIBSRC = $(wildcard src/lib/*.c)
LIBOBJ = $(LIBSRC:src/lib/%.c=$(B)/lib/%.o)
UNITS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
MANS = $(wildcard man/*.[157])

all: $(PROGS:%=$(BIN)/%) $(UNITS:%=$(B)/unit/%)

$(B)/lib/%.o: src/lib/%.c src/lib/mash.h src/lib/store.h src/lib/schema.sql.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libmash.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/%.o: src/%.c src/lib/mash.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc/lib -c -o $@ $<

$(BIN)/%: $(B)/%.o $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmash.a $(LDLIBS)

$(B)/unit/%: tests/unit/%.c tests/unit/tap.h $(B)/libmash.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc/lib -Itests/unit $(LDFLAGS) -o $@ $< \
		$(B)/libmash.a $(LDLIBS)

# the packages a fresh Debian 12 needs to build and test, if missing
PKGS = build-essential pkg-config libsqlite3-dev libcjson-dev libcsv-dev \
	sqlite3 jq mandoc perl python3 bsdutils
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

check: all
	$(if $(MANS),mandoc -Tlint -W warning $(MANS))
	MASH_BIN=$(CURDIR)/$(BIN) MASH_UNIT=$(CURDIR)/$(B)/unit \
		MASH_SRC=$(CURDIR) prove tests/

check-asan:
	$(MAKE) B=build-asan BIN=build-asan/bin \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' check

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(SHAREDIR)
	cp $(PROGS:%=$(BIN)/%) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do s=$${m##*.}; \
		cp $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	cp -R share/mash/. $(DESTDIR)$(SHAREDIR)/
	mkdir -p -m 0770 $(DESTDIR)$(localstatedir)/lib/mash

clean:
	rm -rf build build-asan bin

.PHONY: all deps demo check check-asan install clean

# keep the objects: they are not intermediate to anyone but make
.SECONDARY:
