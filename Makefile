# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make site   builds site/internal/, site/public/ and their PDFs in site/pdf/
#               (the PDFs are printed by Debian's chromium; see README)
#   make test   runs the whole test suite (browser tests too: set CI=true to require them)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
# Compiled Python goes under .cache/ (git ignores it, make clean removes it), never beside
# the sources: each build's processes then load the tool's modules without compiling them.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/.cache/pycache

.PHONY: site pdf test check check-site bench serve clean new redact

# The virtual environment is (re)made when absent or when requirements.txt or
# pyproject.toml changes; the core is installed into it from macros/ (editable, offline:
# with the setuptools Python 3.11's venv carries).
$(VENV)/.installed: requirements.txt pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Both sites and both PDFs are built, checked and put in place together, or none is.
site: $(VENV)/.installed
	$(VENV)/bin/selfeval build --pdf

pdf: site

test: $(VENV)/.installed
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/ruff check --quiet .
	$(PY) -m pytest tests

check: $(VENV)/.installed
	$(VENV)/bin/selfeval check

# The public source and the redaction report, for information-governance sign-off.
redact: $(VENV)/.installed
	$(VENV)/bin/selfeval redact

# Links and markup of the built sites in site/ (run make site first).
check-site: $(VENV)/.installed
	$(VENV)/bin/selfeval check-site --out site

# Build time and memory against a plain MkDocs build, at 1x, 10x and 20x the content.
bench: $(VENV)/.installed
	$(VENV)/bin/selfeval bench

# Live preview; VERSION=public previews the public version (redacted, small numbers hidden).
serve: $(VENV)/.installed
	$(VENV)/bin/selfeval serve $(if $(VERSION),--version $(VERSION))

# Another council's blank project: make new NAME="London Borough of Example" DIR=../lbe
new: $(VENV)/.installed
	$(VENV)/bin/selfeval new --name "$(NAME)" --dir "$(DIR)"

clean:
	rm -rf site .pytest_cache .cache
