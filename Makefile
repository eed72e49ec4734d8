# Ungkultur. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check bench faults load install migrate seed worker messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Ungkultur trenger Python 3.11 eller nyere (fant $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# The site on http://$(HOST):$(PORT) with a task worker beside it; Ctrl-C stops both. The worker
# runs without the reloader (whose thread could die and leave an idle process behind), so a
# worker that fails exits, and the loop starts it again; its tasks wait in the database meanwhile
# (one it was running is queued again, core/workers.py).
WORKER = $(BIN)/python manage.py task_worker --interval 1 --no-reload
run: seed
	@trap 'kill 0' INT TERM EXIT; \
	while true; do $(WORKER); echo "Oppgavekjøreren stoppet ($$?), starter igjen."; sleep 1; done & \
	echo "Ungkultur kjører på http://$(HOST):$(PORT)/  (Ctrl-C for å stoppe)"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(WORKER)

# The whole suite, on one worker per core (each with its own test database and browser).
# DATABASE_URL=postgres://... runs it on PostgreSQL; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The suite as if started at AT, Oslo time (the clock ticks on from there; conftest.py): no test
# may depend on when it runs. make test-clock AT="2027-03-28 01:30" ARGS=ungkultur/surveys
AT ?= 2026-12-05 00:30
.PHONY: test-clock
test-clock: install
	UNGKULTUR_TEST_NOW="$(AT)" $(BIN)/python -m pytest -n $(TEST_WORKERS) $(ARGS)

# Lint, migrations and deploy checks (CI runs this too).
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Benchmarks (the README's benchmarks) against PostgreSQL; not part of the tests.
bench: install
	$(BIN)/python bench/run.py
	@for b in participation surveys indicators enrolment_import; do \
		if [ -f bench/$$b.py ]; then $(BIN)/python bench/$$b.py || exit 1; fi; \
	done

# The production setup under faults (docs/deployment.md): a task worker killed during an
# export, PostgreSQL restarted during two minutes of submissions, Redis restarted. It restarts
# this machine's PostgreSQL and Redis: not while others use them.
faults: install
	$(BIN)/python bench/faults.py

# 200 mixed users for five minutes (locust) on the demo data in its own PostgreSQL database.
$(VENV)-load/.installed: bench/requirements-load.txt
	$(PYTHON) -m venv $(VENV)-load
	$(VENV)-load/bin/python -m pip install --quiet -r bench/requirements-load.txt
	@touch $@

load: install $(VENV)-load/.installed
	$(BIN)/python bench/load.py

# Needs GNU gettext (developers only): extract strings, then compile the catalogues.
messages: install
	$(BIN)/python manage.py makemessages --no-obsolete -l nn -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
