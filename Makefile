# The two commands of README.md. Each builds .venv itself when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CATALOGS := $(wildcard cop/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
export FLASK_APP := cop

.PHONY: run test lint bench bench-cpu install translations extract-messages clean

install: $(STAMP) $(COMPILED)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,deploy]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# Serves on http://127.0.0.1:5000 over plain http, so cookies drop the Secure flag here only.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask cop setup
	COP_SESSION_COOKIE_SECURE=false COP_REMEMBER_COOKIE_SECURE=false \
		$(BIN)/flask run --host 127.0.0.1 --port 5000

# One worker per core (pytest-xdist); the demo tests stay together on one of them.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Style and static checks (pyproject.toml [tool.ruff]), then the import contracts ([tool.importlinter]).
lint: install
	$(BIN)/ruff check cop tests bench migrations
	$(BIN)/lint-imports

# The main pages under load at 10x the region, on SQLite and PostgreSQL (see README, Performance).
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/cpu.py $(BENCH_CPU_ARGS)

# CPU per request in process, the platform beside a lean reference app (bench/reference/), on
# the same factor-10 databases; `make bench` runs it after the load runs (README, Performance).
BENCH_CPU_ARGS ?= --databases sqlite,postgresql
bench-cpu: install
	$(BIN)/python bench/cpu.py $(BENCH_CPU_ARGS)

# For translators: refresh the catalogues from the source, then edit the .po files.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* venv" -k _l -k lazy_gettext -o cop/translations/messages.pot .
	$(BIN)/pybabel update -i cop/translations/messages.pot -d cop/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
