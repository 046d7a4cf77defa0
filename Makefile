# Les deux commandes du README : `make site` et `make test`. Chacune prépare tout ce qu'il faut.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install site test check serve bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: install
	$(BIN)/annuaire build --resources resources --out site

check: install
	$(BIN)/annuaire check --resources resources

serve: install
	$(BIN)/annuaire serve --resources resources

# Les tests navigateur pilotent le Chromium de Debian (/usr/bin/chromium) : installé ici s'il manque.
test: install
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium manquant : installez le paquet Debian « chromium » (tests navigateur ignorés)"; fi; \
	fi
	$(BIN)/python -m pytest -n 2 tests

bench: install
	$(BIN)/python benchmarks/check_speed.py

clean:
	rm -rf site build .pytest_cache
