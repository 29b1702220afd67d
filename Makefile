# icpgen: build, test and set-up.  GNU make.
#
#   make demo     set up, build icpgen and the demo site from content/
#   make check    set up, then run every test (the suite under ASan+UBSan)
#   make asan | valgrind | fuzz | lint | bench | regen | install | clean

.SUFFIXES:

VERSION    = 0.1.0
PREFIX    ?= /usr/local
CC        ?= cc
BUILD     ?= build
# LAZY_PKGS are loaded on first use (src/util/lazylib.h), not linked:
# their headers are used, and the path of each one's library.
LINK_PKGS  = md4c lua5.4 libgit2 libsass yaml-0.1 jansson libutf8proc zlib \
	     nettle
LAZY_PKGS  = libqpdf libmicrohttpd
PKGS       = $(LINK_PKGS) $(LAZY_PKGS)
TEST_PKGS  = cmocka libical

WARN       = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	     -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings \
	     -Wformat=2 -Wundef -Wvla -Wno-unused-parameter
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) \
	     -Isrc -I$(BUILD)/gen -MMD -MP \
	     -DICPGEN_VERSION='"$(VERSION)"' \
	     -DICPGEN_THEMEDIR='"$(THEMEDIR)"' \
	     -DICPGEN_NODEDIR='"$(NODEDIR)"' \
	     $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lstemmer \
	     -lpthread -lm -ldl
# The library a package links, by its soname: libdir/soname.
lazylib    = $(shell d=$$(pkg-config --variable=libdir $(1) 2>/dev/null); \
	     n=$$(objdump -p "$$d/$(2).so" 2>/dev/null | \
	     awk '/SONAME/ { print $$2 }'); echo "$$d/$${n:-$(2).so}")
THEMEDIR  ?= $(CURDIR)/themes
NODEDIR   ?= $(CURDIR)/node_modules

LIB_SRC    = $(sort $(wildcard src/*/*.c))
LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ   = $(BUILD)/src/main.o
UNIT_SRC   = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC   = $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

# Sanitizer build used by the test suite.
SAN_FLAGS  = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined

all: $(BUILD)/icpgen

$(BUILD)/icpgen: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(LIB_OBJ) $(MAIN_OBJ) $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/src/util/lazylib.o: ALL_CFLAGS += \
	-DICPGEN_QPDF_LIB='"$(call lazylib,libqpdf,libqpdf)"' \
	-DICPGEN_MHD_LIB='"$(call lazylib,libmicrohttpd,libmicrohttpd)"'

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS)) -o $@ $< \
	    $(LIB_OBJ) $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

# Seed corpora of the fuzz targets are replayed by a plain driver.
$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) \
	    $(LDFLAGS) $(LDLIBS)

units: $(UNIT_BIN) $(REPLAY_BIN)

# docs/open-data.md is also the site's /data/ page: compiled in as a
# string, so the two never differ.
$(BUILD)/gen/opendata_doc.inc: docs/open-data.md
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n",/' $< >$@
$(BUILD)/src/emit/opendata.o: $(BUILD)/gen/opendata_doc.inc

# icpgen init writes a new site from contrib/init/ and the CI recipes in
# contrib/ci/, compiled in so that an installed icpgen needs neither.
INIT_FILES = $(sort $(wildcard contrib/init/*.* contrib/init/*/*.*)) \
	     contrib/init/gitignore contrib/ci/github-workflow.yml \
	     contrib/ci/gitlab-ci.yml
$(BUILD)/gen/init_files.inc: $(INIT_FILES)
	@mkdir -p $(@D)
	for f in $(INIT_FILES); do \
	    printf '"\\001%s",\n' "$$f"; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' \
	        -e 's/$$/\\n",/' "$$f"; \
	done >$@
$(BUILD)/src/cli/init.o: $(BUILD)/gen/init_files.inc

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- set-up ---------------------------------------------------------------

DEB_PKGS = pkg-config git libmd4c-dev liblua5.4-dev libgit2-dev libsass-dev \
	   libyaml-dev libmicrohttpd-dev libcmocka-dev libical-dev libjansson-dev libutf8proc-dev libqpdf-dev qpdf zlib1g-dev nettle-dev \
	   libstemmer-dev clang \
	   libclang-rt-14-dev mandoc valgrind cppcheck clang-tidy chromium \
	   time libxml2-utils python3 dpkg-dev
NODE_STAMP = node_modules/.icpgen-installed

deps: deps-apt $(NODE_STAMP)

deps-apt:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	        --no-install-recommends $$missing >/dev/null || exit 1; \
	fi

# vnu-jar's postinstall only prints; scripts stay off for every package.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# --- the demo -------------------------------------------------------------

DEMO_OUT = $(BUILD)/demo

demo: deps
	@$(MAKE) --no-print-directory all
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-} ./$(BUILD)/icpgen build content --worktree --out $(DEMO_OUT)
	@echo
	@echo "The demo site is in $(CURDIR)/$(DEMO_OUT)"
	@echo "Preview it with:  ./$(BUILD)/icpgen serve content --worktree"
	@echo "then open http://127.0.0.1:8000/ (pages use site addresses, so"
	@echo "serve the folder rather than opening its files directly)"

# --- tests ----------------------------------------------------------------

ASAN_BUILD = build/asan

check: deps
	@$(MAKE) --no-print-directory all EXTRA_CFLAGS=-Werror
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) \
	    CFLAGS="$(SAN_FLAGS)" EXTRA_CFLAGS=-Werror \
	    LDFLAGS="-fsanitize=address,undefined" all units
	@ICPGEN=$(CURDIR)/$(ASAN_BUILD)/icpgen TESTBIN=$(CURDIR)/$(ASAN_BUILD)/tests \
	    ICPGEN_PLAIN=$(CURDIR)/$(BUILD)/icpgen \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    bash tests/run.sh

asan:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" all units

valgrind:
	@$(MAKE) --no-print-directory BUILD=build/vg CFLAGS="-O1 -g" all units
	VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite \
	    --suppressions=$(CURDIR)/tests/valgrind.supp" \
	    VG_ICPGEN=$(CURDIR)/build/vg/icpgen \
	    ICPGEN=$(CURDIR)/tests/valgrind-icpgen.sh \
	    TESTBIN=$(CURDIR)/build/vg/tests \
	    bash tests/run.sh --no-browser

# libFuzzer targets (clang).  FUZZ_TIME seconds per target.
FUZZ_TIME ?= 60
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	    CFLAGS="$(FUZZ_FLAGS)" $(patsubst %,build/fuzz/src/%.o,$(basename $(LIB_SRC:src/%=%)))
	@set -e; for f in $(FUZZ_SRC); do \
	    n=$$(basename $$f .c); \
	    clang -std=c11 -D_GNU_SOURCE -Isrc -O1 -g \
	        -fsanitize=fuzzer,address,undefined $$(pkg-config --cflags $(PKGS)) \
	        -o build/fuzz/$$n $$f $(LIB_OBJ:$(BUILD)/%=build/fuzz/%) $(LDLIBS); \
	    mkdir -p build/fuzz/corpus-$$n; \
	    echo "fuzzing $$n for $(FUZZ_TIME)s"; \
	    build/fuzz/$$n -max_total_time=$(FUZZ_TIME) -timeout=10 \
	        -rss_limit_mb=2048 build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; \
	done

lint: $(BUILD)/gen/opendata_doc.inc
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --std=c11 --inline-suppr -Isrc -I$(BUILD)/gen $(shell pkg-config --cflags-only-I $(PKGS)) \
	    --suppress=missingIncludeSystem src
	clang-tidy --quiet $(LIB_SRC) src/main.c -- -std=c11 -D_GNU_SOURCE -Isrc \
	    -I$(BUILD)/gen \
	    -DICPGEN_VERSION='""' -DICPGEN_THEMEDIR='""' -DICPGEN_NODEDIR='""' \
	    $(shell pkg-config --cflags $(PKGS))
	mandoc -Tlint -W warning docs/*.[157]

# Regenerate the expected output of the golden-site tests, for review
# with git diff before committing.
regen: all
	ICPGEN=$(CURDIR)/$(BUILD)/icpgen bash tests/golden.sh --regen

# Timings on synthetic sites (docs/performance.md): every scenario but
# the 100,000-page one, or those named, e.g. make bench BENCH="10k history".
bench: all
	bash tests/bench/bench.sh $(CURDIR)/$(BUILD)/icpgen $(BENCH)

# --- install and package ---------------------------------------------------
#
# An installed icpgen is self-contained: the binary looks for the theme
# and the NHS.UK frontend SCSS under $(PREFIX)/share/icpgen (compiled
# in; ICPGEN_THEMEDIR and ICPGEN_NODEDIR override it), copied there from
# the pinned npm package at install time.  The binary of a plain make
# uses the checkout instead.

DATADIR    = $(PREFIX)/share/icpgen
NHSUK      = node_modules/nhsuk-frontend
INST_BIN   = $(BUILD)/installed/icpgen
DOCS_INST  = README.md docs/guide.md docs/content.md docs/publishing.md \
	     docs/hooks.md docs/templates.md docs/open-data.md

# Rebuilt every time: PREFIX is compiled into it.
$(INST_BIN): $(LIB_OBJ) FORCE
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -UICPGEN_THEMEDIR -UICPGEN_NODEDIR \
	    -DICPGEN_THEMEDIR='"$(DATADIR)/themes"' \
	    -DICPGEN_NODEDIR='"$(DATADIR)/node_modules"' \
	    -MF $(BUILD)/installed/main.d -o $@ src/main.c $(LIB_OBJ) \
	    $(LDFLAGS) $(LDLIBS)

install: $(INST_BIN)
	@test -f $(NHSUK)/package.json || { echo "make install needs the \
	pinned NHS.UK frontend in $(NHSUK): run make deps (npm ci) first"; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 \
	    $(DESTDIR)$(DATADIR)/ci $(DESTDIR)$(PREFIX)/share/doc/icpgen
	install -m 755 $(INST_BIN) $(DESTDIR)$(PREFIX)/bin/icpgen
	install -m 755 contrib/ci/icpgen-publish contrib/ci/icpgen-deploy \
	    $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/icpgen.1 docs/icpgen-publish.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/
	ln -sf icpgen-publish.1 $(DESTDIR)$(PREFIX)/share/man/man1/icpgen-deploy.1
	install -m 644 docs/icpgen.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 docs/icpgen-lua.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	install -m 644 contrib/ci/github-workflow.yml contrib/ci/gitlab-ci.yml \
	    $(DESTDIR)$(DATADIR)/ci/
	install -m 644 $(DOCS_INST) $(DESTDIR)$(PREFIX)/share/doc/icpgen/
	rm -rf $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR)/node_modules
	cd themes && find default -type f | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/themes/$$f" || exit 1; \
	done
	cd node_modules && { find nhsuk-frontend/packages -name '*.scss'; \
	    echo nhsuk-frontend/package.json; echo nhsuk-frontend/LICENSE; } | \
	    while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/node_modules/$$f" || exit 1; \
	done

# The Debian package: make install into a staging root with PREFIX=/usr,
# dependencies from the libraries the binary links (dpkg-shlibdeps).
DEB_ARCH   = $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB_ROOT   = $(abspath $(BUILD))/deb/root
DEB_FILE   = icpgen_$(VERSION)_$(DEB_ARCH).deb

deb:
	rm -rf $(DEB_ROOT)
	@$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(DEB_ROOT)
	strip --strip-unneeded --remove-section=.comment \
	    --remove-section=.note $(DEB_ROOT)/usr/bin/icpgen
	sh contrib/deb/mkdeb $(DEB_ROOT) $(VERSION) $(DEB_ARCH) $(DEB_FILE) \
	    $(call lazylib,libqpdf,libqpdf) \
	    $(call lazylib,libmicrohttpd,libmicrohttpd)

clean:
	rm -rf build

FORCE:

.PHONY: all units deps deps-apt demo check asan valgrind fuzz lint regen \
	bench install deb clean FORCE
