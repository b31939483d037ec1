# Bibliothèque d'IA territoriales — every set-up step goes through here.
# `make run` installs, migrates, loads the data and serves; `make test` installs and runs the suite.

PYTHON ?= $(shell command -v python3.13 >/dev/null 2>&1 && echo python3.13 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
PYTEST_ARGS ?=
# Development defaults read by bibliotheque/settings.py (git-ignored, never in the image).
DEV_ENV ?= var/dev.env

.PHONY: install run serve data test browser-tools lint fix quality check-deploy clean

$(VENV)/.installed: requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 is required (Django 6.1 needs >= 3.12); see README.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

$(DEV_ENV):
	@mkdir -p $(dir $@)
	@printf '%s\n' \
		'# Written by `make run`: development defaults for manage.py in this clone (git-ignored).' \
		'# Read by bibliotheque/settings.py only when DJANGO_DEBUG is not in the environment.' \
		'DJANGO_DEBUG=1' > $@
	@echo "$@ written: manage.py commands run in development mode without exporting anything."

data: install $(DEV_ENV)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) import_collectivites
	$(MANAGE) load_use_cases
	$(MANAGE) load_solutions

run: data serve

serve: install
	$(MANAGE) runserver 127.0.0.1:8000

# axe-core for the accessibility checks of tests/browser/, installed when npm is there.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else \
		echo "npm introuvable : axe-core n’est pas installé, les contrôles d’accessibilité" \
			"de tests/browser/ seront ignorés (installez Node.js et npm, puis relancez make test)."; \
	fi

browser-tools: $(AXE)
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
		echo "Chromium introuvable : les tests navigateur seront ignorés (apt-get install -y chromium)."

test: install browser-tools
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

# Load benchmark: 100,000 demo cases on the local PostgreSQL, gunicorn as shipped and wrk.
# Writes bench/results/<date>-100k.md; knobs in bench/README.md. Then the two-node check.
.PHONY: bench two-nodes
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/two_nodes.py

# Two gunicorn nodes sharing PostgreSQL and Redis: a publication through one is served by the
# other within a second (docs/catalogue.md).
two-nodes: install
	$(BIN)/python bench/two_nodes.py
