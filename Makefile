# wensou — top-level entry points (INTERFACE.md, "Building"):
#   make deps   install the Debian packages building and running need (root; nothing when present)
#   make deps-dev  also the test, fuzz and benchmark tools
#   make deps-bench  also what only some benchmarks compare with (LibreOffice)
#   make        build build/wensou and the compiled dictionary
#   make install   install under PREFIX (default /usr/local), honouring DESTDIR
#   make test   build and run every test
#   make asan   build and run the tests under AddressSanitizer + UBSan (build-asan/)
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#   make bench  run the benchmarks in bench/

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

PREFIX ?= /usr/local

# building and running: compiler, libraries, jieba's dictionary (compiled at build
# time), gettext's msgfmt
DEB_PACKAGES = build-essential cmake pkg-config gettext \
  libxapian-dev libuv1-dev libjansson-dev libopencc-dev opencc python3-jieba \
  libpoppler-glib-dev libzip-dev libxml2-dev libuchardet-dev libmimalloc-dev libhttp-parser-dev libcsv-dev python3
# tests, sanitizers, fuzzing and benchmarks: Criterion, clang, PDF fixtures
# (pango/cairo, fonts, qpdf), man and git for the install and clone checks, the
# peers the benchmarks compare with, Chromium for the web page's browser test
DEB_DEV_PACKAGES = $(DEB_PACKAGES) libcriterion-dev clang libclang-rt-14-dev \
  libpango1.0-dev libcairo2-dev fonts-noto-cjk qpdf poppler-utils man-db groff-base git locales \
  xapian-tools python3-xapian libicu-dev sqlite3 hyperfine chromium

# benchmarks only, not CI: LibreOffice renders the Word reports for bench/wordpages.py
DEB_BENCH_PACKAGES = $(DEB_DEV_PACKAGES) libreoffice-writer-nogui

.PHONY: all apt deps deps-dev deps-bench configure test asan fuzz bench install clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

configure: $(BUILD)/CMakeCache.txt
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(DEB_PACKAGES)"

deps-dev:
	@$(MAKE) --no-print-directory apt PACKAGES="$(DEB_DEV_PACKAGES)"

deps-bench:
	@$(MAKE) --no-print-directory apt PACKAGES="$(DEB_BENCH_PACKAGES)"

apt:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else echo "all build dependencies are installed"; fi

test: all
	cd $(BUILD) && ASAN_OPTIONS=abort_on_error=1 ctest --output-on-failure -j $(JOBS)

asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DWENSOU_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

fuzz:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DWENSOU_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	cd $(FUZZ_BUILD) && for t in fuzz/fuzz_*; do [ -x "$$t" ] || continue; name=$$(basename $$t); \
	  case $$name in fuzz_pdf|fuzz_docx|fuzz_html) max=131072;; *) max=4096;; esac; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; mkdir -p corpus-$$name; \
	  ASAN_OPTIONS=abort_on_error=1 ./$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$max -timeout=30 -print_final_stats=1 \
	    corpus-$$name ../fuzz/seeds/$$name || exit 1; done

bench: all
	bench/run_all.sh

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
