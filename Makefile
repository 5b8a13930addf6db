# Top-level GNU Makefile.  `./configure` writes config.mk; everything else is here.
#
#   make                 build build/stap, build/staprun, build/stapio
#   make SAN=1           the same with ASan/UBSan, into build-san/
#   make doc             the tapset reference pages into build/doc/ (part of `make`)
#   make check           run every test (testsuite/run-tests)
#   make install         lay files out like SystemTap under $(DESTDIR)$(prefix)

ifeq ($(wildcard config.mk),)
$(error config.mk is missing: run `autoreconf -fi && ./configure` first)
endif
include config.mk

ifeq ($(SAN),1)
B := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B := build
SANFLAGS :=
endif

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS := -std=gnu11 -g $(or $(CFLAGS_USER),-O2) $(WARN) $(SANFLAGS) \
	-DSTAP_VERSION='"$(VERSION)"' \
	-DPKGDATADIR='"$(datadir)/systemtap"' \
	-DPKGLIBEXECDIR='"$(libexecdir)/systemtap"' \
	-MMD -MP
LDFLAGS := $(LDFLAGS_USER) $(SANFLAGS)

TRANSLATOR_SRCS := $(sort $(wildcard translator/*.c translator/probes/*.c translator/debuginfo/*.c))
STAPRUN_SRCS := $(sort $(wildcard staprun/*.c))
STAPIO_SRCS := $(sort $(wildcard stapio/*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

PROGS := $(B)/stap
ifneq ($(STAPRUN_SRCS),)
PROGS += $(B)/staprun
endif
ifneq ($(STAPIO_SRCS),)
PROGS += $(B)/stapio
endif

UNIT_SRCS := $(sort $(wildcard testsuite/unit/*.c))
UNIT_PROGS := $(patsubst testsuite/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))
# unit tests link every translator object but main.o
TRANSLATOR_LIB_OBJS := $(filter-out $(B)/obj/translator/main.o,$(call obj,$(TRANSLATOR_SRCS)))

# developer tools built like unit tests but not run as tests
TOOL_SRCS := $(sort $(wildcard testsuite/tools/*.c))
TOOL_PROGS := $(patsubst testsuite/tools/%.c,$(B)/tools/%,$(TOOL_SRCS))

all: $(PROGS) $(UNIT_PROGS) $(TOOL_PROGS) doc

$(B)/tools/%: testsuite/tools/%.c $(TRANSLATOR_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DW_CFLAGS) $(ELF_CFLAGS) $(BPF_CFLAGS) -Itranslator $(LDFLAGS) -o $@ $^ $(DW_LIBS) $(ELF_LIBS) $(BPF_LIBS) -lm

$(B)/unit/%: testsuite/unit/%.c $(TRANSLATOR_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DW_CFLAGS) $(ELF_CFLAGS) $(BPF_CFLAGS) -Itranslator $(LDFLAGS) -o $@ $^ $(DW_LIBS) $(ELF_LIBS) $(BPF_LIBS) -lm

$(B)/stap: $(call obj,$(TRANSLATOR_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(DW_LIBS) $(ELF_LIBS) $(BPF_LIBS) -lm

$(B)/staprun: $(call obj,$(STAPRUN_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^

$(B)/stapio: $(call obj,$(STAPIO_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

# The tapset reference (function::NAME, probe::NAME, tapset::FILE .3stap) from
# the tapset's doc comments; the directories are prerequisites so that a
# file added or removed regenerates the pages.
TAPSET_DIRS := $(shell find tapset -type d)
TAPSET_STPS := $(shell find tapset -name '*.stp')

$(B)/tapset-man: $(B)/obj/doc/tapset-man.o
	$(CC) $(LDFLAGS) -o $@ $^

$(B)/doc/.stamp: $(B)/tapset-man $(TAPSET_DIRS) $(TAPSET_STPS)
	rm -rf $(B)/doc
	$(B)/tapset-man -V $(VERSION) -o $(B)/doc tapset
	touch $@

doc: $(B)/doc/.stamp

$(B)/obj/translator/%.o: translator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DW_CFLAGS) $(ELF_CFLAGS) $(BPF_CFLAGS) -Itranslator -c -o $@ $<

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

check: all
	bash testsuite/run-tests

install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(libexecdir)/systemtap \
		$(DESTDIR)$(datadir)/systemtap $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man8 \
		$(DESTDIR)$(mandir)/man3
	$(INSTALL) -m 755 $(B)/stap $(DESTDIR)$(bindir)/stap
	if [ -f $(B)/staprun ]; then $(INSTALL) -m 755 $(B)/staprun $(DESTDIR)$(bindir)/staprun; fi
	if [ -f $(B)/stapio ]; then $(INSTALL) -m 755 $(B)/stapio $(DESTDIR)$(libexecdir)/systemtap/stapio; fi
	rm -rf $(DESTDIR)$(datadir)/systemtap/tapset $(DESTDIR)$(datadir)/systemtap/runtime
	cp -R tapset $(DESTDIR)$(datadir)/systemtap/tapset
	cp -R runtime $(DESTDIR)$(datadir)/systemtap/runtime
	for m in doc/*.1; do [ -f "$$m" ] && $(INSTALL) -m 644 $$m $(DESTDIR)$(mandir)/man1/; done; true
	for m in doc/*.8; do [ -f "$$m" ] && $(INSTALL) -m 644 $$m $(DESTDIR)$(mandir)/man8/; done; true
	for m in $(B)/doc/*.3stap; do [ -f "$$m" ] && $(INSTALL) -m 644 "$$m" $(DESTDIR)$(mandir)/man3/; done; true

clean:
	rm -rf build build-san

distclean: clean
	rm -rf config.mk config.log config.status autom4te.cache

.PHONY: all doc check install clean distclean
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
