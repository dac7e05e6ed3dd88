# The two set-up commands are `make run` and `make test`; everything else serves them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format check messages lock clean worker scheduler bench

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

# Quiet migrations, so that the demo logins are the last lines before the server's own banner.
run: $(VENV)/.installed
	@$(PY) manage.py migrate --noinput -v 0
	@echo "Hjulet: http://127.0.0.1:$(PORT)/  (deadline reminders: run make scheduler beside it)"
	@$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

worker: $(VENV)/.installed
	$(PY) manage.py db_worker

# Queues the periodic tasks (deadline reminders, statistics, routine publication) every 15
# minutes; the worker runs them.
scheduler: $(VENV)/.installed
	$(PY) manage.py run_scheduler --interval 15

# Server time of the heavy pages against DATABASE_URL (README, Benchmarks): fill the database
# first with `manage.py generate_scale_data`.
bench: $(VENV)/.installed
	$(PY) bench/run.py

# Extract new strings into the catalogues and compile them (needs GNU gettext).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l sv -l en --no-obsolete --add-location file -i ".venv/*"
	$(PY) manage.py compilemessages -i ".venv"

# Re-pin dependencies after editing pyproject.toml.
lock:
	$(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet pip-tools
	PIP_CONFIG_FILE=/dev/null .lockenv/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	PIP_CONFIG_FILE=/dev/null .lockenv/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml
	rm -rf .lockenv

clean:
	rm -rf $(VENV) staticfiles
