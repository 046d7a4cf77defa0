# Les deux commandes du README : `make site` et `make test`. Chacune prépare tout ce qu'il faut.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lock lint site apercu contributing contributing-check test test-adoption check-resources check serve bench bench-site clean schemas codeowners codeowners-check diff stale lint-ci schemas-check cog opening-hours suncalc leaflet

# Options de `annuaire check` en CI : --format github (annotations) ou --format gitlab (rapport Code Quality).
CHECK_FLAGS ?=
# Responsables par défaut de tout le dépôt dans CODEOWNERS : comptes de la forge séparés par des espaces, sans @.
CODEOWNERS_DEFAUT :=
# Révision de référence de `make diff` (la branche visée par la demande de fusion).
BASE ?= origin/main

# Toutes les dépendances, directes et indirectes, à la version et à l'empreinte (sha256) écrites dans
# requirements.lock ; puis le projet lui-même, sans rien résoudre de plus. `pip check` signale un verrou
# en retard sur pyproject.toml : lancez alors `make lock`. D'abord un pip récent, verrouillé lui aussi
# (requirements-pip.lock) : celui d'un venv neuf refuse les extras du verrou (pydantic[email]).
LOCK := requirements.lock
PIP_LOCK := requirements-pip.lock
PIP_VERSION := 26.3
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK) $(PIP_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(PIP_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# Régénère requirements.lock depuis pyproject.toml (dépendances, extras `test`, setuptools de la construction)
# et requirements-pip.lock (pip $(PIP_VERSION)),
# avec pip-tools installé dans son propre environnement. À lancer après chaque changement de dépendance.
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(PIP_TOOLS)
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra test --build-deps-for editable \
		--output-file $(LOCK) pyproject.toml
	echo "pip==$(PIP_VERSION)" | $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file $(PIP_LOCK) -

site: install
	$(BIN)/annuaire build --resources resources --out site

# L'aperçu téléchargeable des demandes de fusion : des liens vers index.html, il s'ouvre depuis le disque.
apercu: install
	$(BIN)/annuaire build --resources resources --out site --fichiers-locaux

check: install
	$(BIN)/annuaire check --resources resources $(CHECK_FLAGS)

serve: install
	$(BIN)/annuaire serve --resources resources

# Style (ruff, sans rien modifier) et types (mypy) du code : `make test` commence par là.
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# Les tests navigateur pilotent le Chromium de Debian (/usr/bin/chromium) : installé ici s'il manque.
test: lint
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium manquant : installez le paquet Debian « chromium » (tests navigateur ignorés)"; fi; \
	fi
	$(BIN)/python -m pytest -n 2 -m "not slow" --durations=15 tests

# Un nouveau territoire dans un clone du dépôt (annuaire init, une structure, un service), puis la suite
# sans ses tests navigateur dans ce clone : plusieurs minutes.
test-adoption: install
	$(BIN)/python -m pytest -m slow tests/test_adoption.py

# Les seules vérifications qui lisent resources/ (les fiches du territoire) : annuaire check et schémas.
check-resources: install
	$(BIN)/python -m pytest -q tests/test_resources.py

# Schémas JSON des fiches (aide des éditeurs), générés à partir des modèles.
schemas: install
	$(BIN)/annuaire schema --out schemas

codeowners: install
	$(BIN)/annuaire codeowners --resources resources --out CODEOWNERS $(addprefix --default-owner ,$(CODEOWNERS_DEFAUT))

codeowners-check: install
	$(BIN)/annuaire codeowners --resources resources --out CODEOWNERS $(addprefix --default-owner ,$(CODEOWNERS_DEFAUT)) --check

# Résumé Markdown des fiches modifiées depuis $(BASE) ; `make -s diff` n'affiche que le résumé.
diff: install
	@$(BIN)/annuaire diff --base $(BASE) --resources resources

# Fiches non vérifiées depuis 12 mois, par structure ; `make -s stale` n'affiche que le rapport.
stale: install
	@$(BIN)/annuaire stale --resources resources

# Fichiers de CI : actionlint et schémas officiels (embarqués par check-jsonschema : sans réseau), Dependabot compris.
lint-ci: install
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms $(filter-out %/config.yml,$(wildcard .github/ISSUE_TEMPLATE/*.yml))
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

# Les valeurs de chaque liste dans CONTRIBUTING.md, tirées des référentiels (section entre deux repères).
contributing: install
	$(BIN)/annuaire guide --resources resources

contributing-check: install
	$(BIN)/annuaire guide --resources resources --check

schemas-check: install
	$(BIN)/annuaire schema --out schemas --check

bench: install
	$(BIN)/python benchmarks/check_speed.py

# Le site à 10 000 services : durée de construction, tailles, premier résultat des filtres (plusieurs minutes).
bench-site: install
	$(BIN)/python benchmarks/site_build.py

# Communes, départements et EPCI du code officiel géographique (paquet npm d'Etalab ; npm et le réseau requis).
COG_VERSION ?= 6.0.0
cog:
	$(PYTHON) scripts/update_cog.py --version $(COG_VERSION)

# Bibliothèques embarquées dans site_templates/assets/vendor/ (npm et le réseau requis) : opening_hours pour
# « ouvert maintenant », suncalc pour ses horaires au lever ou au coucher du soleil, Leaflet pour la carte d'un
# bassin (seulement si un serveur de tuiles est configuré).
OPENING_HOURS_VERSION ?= 3.15.0
SUNCALC_VERSION ?= 2.0.2
LEAFLET_VERSION ?= 1.9.4
opening-hours:
	$(PYTHON) scripts/update_vendor.py opening_hours $(OPENING_HOURS_VERSION)
suncalc:
	$(PYTHON) scripts/update_vendor.py suncalc $(SUNCALC_VERSION)
leaflet:
	$(PYTHON) scripts/update_vendor.py leaflet $(LEAFLET_VERSION)

clean:
	rm -rf site build .pytest_cache
