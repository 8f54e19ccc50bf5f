# Set-up and everyday commands. `make demo` and `make test` do all the set-up on a fresh machine.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-spark lint bench clean i18n chromium poppler weasyprint

# Two stamps: the demo needs only Lindung and what it runs on (a fresh install reaches the site
# sooner); the tests, lint and benchmarks add the dev extras (Spark, Playwright, schemathesis...).
RUN_STAMP := $(VENV)/.installed-run

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/lindung demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src
	$(BIN)/mypy src

# The browser tests (tests/web/browser) drive Debian's Chromium; install it when it is missing
# and this user can (root, apt-get), else stop with what to do. Never a downloaded browser.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# The report tests (tests/report) read the PDFs back with poppler-utils (pdftotext, pdftoppm);
# install Debian's package when it is missing and this user can, else stop with what to do.
poppler:
	@if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  else \
	    echo "The report tests need poppler-utils (pdftotext, pdftoppm): run 'sudo apt-get install poppler-utils', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# The report tests typeset PDFs with WeasyPrint 70, which loads Debian's libraries when it is
# imported (cffi dlopen): GLib's gobject, Pango and its FreeType backend, HarfBuzz, Fontconfig;
# and HarfBuzz's subset library to embed fonts (without it WeasyPrint warns and subsets with
# fontTools instead). Install the packages when an import fails or warns and this user can, else
# stop with what to do.
WEASYPRINT_PACKAGES := libglib2.0-0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1
weasyprint: $(STAMP)
	@if ! $(BIN)/python -W error::UserWarning -c 'import weasyprint' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(WEASYPRINT_PACKAGES); \
	  else \
	    echo "The report tests need WeasyPrint's libraries (Pango, HarfBuzz with its subset library): run 'sudo apt-get install $(WEASYPRINT_PACKAGES)', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

test: lint chromium poppler weasyprint
	$(BIN)/pytest -n 2 --dist loadfile

# The Spark tests alone, with the slow ones make test leaves out (--spark-full: the whole suite
# on a larger synthetic survey): local mode on one session, and a standalone cluster (a master
# and two workers on 127.0.0.1).
test-spark: $(STAMP)
	$(BIN)/pytest -m spark --spark-full tests/survey/test_spark_*.py tests/registry

# Extract every message of web/ and i18n/labels.py (babel.cfg) and merge it into the catalogues;
# then translate the new entries of src/lindung/i18n/locale/id/LC_MESSAGES/messages.po.
i18n: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg --add-location=file --project=Lindung --version=0.1 -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d src/lindung/i18n/locale -D messages --no-fuzzy-matching --width=100

bench: $(STAMP)
	$(BIN)/python benchmarks/survey_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
