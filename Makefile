# Bibliothèque d'IA territoriales — every set-up step goes through here.
# `make run` installs, migrates, loads the data and serves; `make test` installs and runs the suite.

PYTHON ?= $(shell command -v python3.13 >/dev/null 2>&1 && echo python3.13 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: install run serve data test lint fix quality check-deploy clean

$(VENV)/.installed: requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 is required (Django 6.1 needs >= 3.12); see README.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

data: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) import_collectivites
	$(MANAGE) load_use_cases

run: data serve

serve: install
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

fix: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

quality: lint
	$(MANAGE) makemigrations --check --dry-run

check-deploy: install
	DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-check-only-0123456789 \
	DJANGO_ALLOWED_HOSTS=bibliotheque.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/staticfiles

# Measure every page as in production (gunicorn, whitenoise, DEBUG off) with Chromium and
# publish the EcoIndex figures: bibliotheque/ecoconception.json and docs/ecoconception.md.
.PHONY: ecoindex
ecoindex: install
	$(BIN)/python bin/measure-pages.py

# Load benchmark: 100,000 demo cases on the local PostgreSQL, gunicorn and wrk (issue #7).
# Writes bench/results/<date>-100k.md; knobs in bench/README.md.
.PHONY: bench
bench: install
	$(BIN)/python bench/run.py
