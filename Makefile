# The two commands of the README: `make run` and `make test`. Both start from a bare machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run serve-https demo test check install browser bench-deps contract-tools

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -e ".[test]" -c constraints.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	@echo
	@echo "  Cramp tracker is starting. Open it on this machine: http://localhost:$(PORT)/"
	@# runserver 0.0.0.0 listens on IPv4 only: an IPv6 address would not answer.
	@for ip in $$(hostname -I 2>/dev/null); do case $$ip in *:*) continue;; esac; \
	  echo "  On a phone on the same network:  http://$$ip:$(PORT)/"; done
	@echo "  Plain HTTP on a phone works online only: for offline and install, make serve-https."
	@echo
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

# gunicorn behind Caddy with its local CA, as deploy/ runs them: HTTPS for trying on a phone.
HTTPS_PORT ?= 8443
serve-https: install
	PORT=$(PORT) HTTPS_PORT=$(HTTPS_PORT) deploy/serve-https

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo

# Debian's chromium drives the browser tests; Playwright never downloads a browser of its own.
# Caddy and certutil (libnss3-tools) put HTTPS in front of the app for the offline test.
browser:
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v caddy >/dev/null || missing="$$missing caddy"; \
	  command -v certutil >/dev/null || missing="$$missing libnss3-tools"; \
	  [ -z "$$missing" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }

# The API's contract tests (tests/test_api_contract.py) run a client generator, a spec
# validator and Redocly's linter, each pinned, in .contract-tools/: the Python tools need
# pydantic 2, which the app's FHIR models cannot share; Redocly comes from npm.
TOOLS := .contract-tools
$(TOOLS)/.installed: tests/contract/tools.txt tests/contract/package.json tests/contract/package-lock.json
	$(PYTHON) -m venv $(TOOLS)/venv
	$(TOOLS)/venv/bin/pip install --quiet -r tests/contract/tools.txt
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cp tests/contract/package.json tests/contract/package-lock.json $(TOOLS)/
	npm ci --prefix $(TOOLS) --no-audit --no-fund --ignore-scripts --silent
	touch $@

contract-tools: $(TOOLS)/.installed

test: install browser contract-tools
	$(PY) -m pytest -n 2

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit --quiet --recursive --severity-level medium --exclude "*/migrations/*" config tracker accounts bench

# Only for bench/load.py.
bench-deps: install
	$(PY) -m pip install --quiet -e ".[test,bench]" -c constraints.txt
