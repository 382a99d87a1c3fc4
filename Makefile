# San — build, run and test.  `make run` and `make test` are all a newcomer
# needs (README.md); both install missing Debian packages first.

CC		?= cc
BUILD		 = build
# Kore's flags (-DKORE_USE_PGSQL ...) are read when compiling, not when make
# starts: on a fresh machine `make run` installs Kore (deps) after parsing.
KORE_FEATURES	 = $(shell cat /usr/share/kore/features 2>/dev/null)
WARN		 = -Wall -Wextra -Werror -Wstrict-prototypes \
		   -Wmissing-prototypes -Wmissing-declarations -Wshadow \
		   -Wpointer-arith -Wsign-compare -Wtype-limits
CFLAGS		+= -std=gnu11 -O2 -g -fPIC -fstack-protector-all \
		   -D_GNU_SOURCE $(WARN) $(KORE_FEATURES) -Isrc
LDLIBS		 = -lsodium -ljansson -lpq -lqrencode $(VIPS_LIBS)
# libvips (thumbnails, src/thumb.c): its headers only for thumb.c, as system
# headers (glib's do not pass our warnings).
VIPS_CFLAGS	 = $(shell pkg-config --cflags vips 2>/dev/null | sed 's/-I/-isystem /g')
VIPS_LIBS	 = $(shell pkg-config --libs vips 2>/dev/null || echo -lvips)

SRCS		:= $(wildcard src/*.c)
OBJS		:= $(SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/assets.o \
		   $(BUILD)/obj/web_assets.o
ASSETS		:= assets/openapi.json

.PHONY: all build run test unit migrate admin clean deps bench fuzz \
	ledger-check audit-verify cluster-test soak sqlmap

all: build

build: $(BUILD)/san.so $(BUILD)/san-hash

deps:
	@sh scripts/install-deps.sh

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h)
	@test -n "$(KORE_FEATURES)" || { echo "Kore is not installed: make deps"; exit 1; }
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/assets.c: $(ASSETS) scripts/embed-assets.sh
	@mkdir -p $(BUILD)
	sh scripts/embed-assets.sh $(ASSETS) > $@

$(BUILD)/obj/thumb.o: CFLAGS += $(VIPS_CFLAGS)

$(BUILD)/obj/assets.o: $(BUILD)/assets.c
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

# The web app (assets/app/ -> build/web/, embedded; src/web.c serves it).
WEB_SRCS	:= $(wildcard assets/app/*.* assets/app/pages/*.js assets/app/pages/*/*.js) \
		   assets/build.mjs assets/package-lock.json scripts/build-web.sh
$(BUILD)/web/index.html: $(WEB_SRCS)
	sh scripts/build-web.sh

$(BUILD)/web_assets.c: $(BUILD)/web/index.html scripts/embed-web.sh
	sh scripts/embed-web.sh $(BUILD)/web > $@

$(BUILD)/obj/web_assets.o: $(BUILD)/web_assets.c src/web.h
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

# -Bsymbolic: our symbols win inside the module.  Seen: libcom_err (pulled in
# by libpq's GSSAPI) also exports error_message() and was called instead.
$(BUILD)/san.so: $(OBJS)
	$(CC) -shared -Wl,-Bsymbolic -o $@ $(OBJS) $(LDLIBS)

# Operator tool: argon2id hash of a password read on stdin.
$(BUILD)/san-hash: tools/san-hash.c src/validate.c src/validate.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -o $@ tools/san-hash.c src/validate.c -lsodium

# Unit tests: tests/unit/test_X.c links src/X.c (and src/validate.c).
UNIT_TESTS	:= $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
# Pure units may use the validators: validate.c is linked with each.
$(BUILD)/unit/test_%: tests/unit/test_%.c src/%.c src/validate.c $(wildcard src/*.h)
	@mkdir -p $(BUILD)/unit
	$(CC) -std=gnu11 -g -D_GNU_SOURCE $(WARN) -Isrc $(VIPS_CFLAGS) -o $@ $< src/$*.c \
	    $(filter-out src/$*.c,src/validate.c) \
	    -lcmocka -ljansson -lqrencode -lsodium $(VIPS_LIBS)

unit: $(UNIT_TESTS)

run: deps build
	@sh scripts/run.sh

test: deps build unit
	@sh scripts/test.sh

migrate: deps
	@sh scripts/with-db.sh sh scripts/migrate.sh

admin: deps build
	@sh scripts/with-db.sh sh scripts/admin.sh "$(EMAIL)"

# The subsidy ledger's audit (scripts/ledger-check.sh): exits 1 on a problem.
ledger-check:
	@sh scripts/with-db.sh sh scripts/ledger-check.sh

# Recompute the audit and decision hash chains; fails when one is broken.
audit-verify: deps
	@sh scripts/with-db.sh sh scripts/audit-verify.sh

bench: deps build
	@sh scripts/bench.sh

fuzz:
	@sh scripts/fuzz.sh

# Primary + streaming replica, two San nodes, nginx; kill -9 of a node and
# a stopped replica under load (tests/cluster/run.sh; a short variant runs
# in make test).
cluster-test: deps build
	@bash tests/cluster/run.sh

# sqlmap against a scratch server (tests/security/sqlmap.sh): one point
# per route family by default (make test runs that); SQLMAP_SCOPE=all for
# every point, SQLMAP_FULL=1 for every point at level 5 / risk 2 (hours;
# ledger in tests/security/SQLMAP.md), SQLMAP_ONLY, SQLMAP_JOBS.
sqlmap: deps build
	@bash tests/security/sqlmap.sh

# A long mixed load (reads, checkouts, payment callbacks) sampling worker
# RSS, PostgreSQL connections and errors (scripts/soak.sh; SOAK_MINUTES,
# default 30; not part of make test).
soak: deps build
	@bash scripts/soak.sh

clean:
	rm -rf $(BUILD)
	@sh -c '. scripts/lib.sh; pg_cluster_down var/pg' 2>/dev/null || true
	rm -rf var
