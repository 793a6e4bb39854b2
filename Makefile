# microcred: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test test-fast bench lint browser-deps services clean

$(BIN)/microcred: pyproject.toml src/microcred/crypto/compiled/_shape.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,recognition]'
	touch $(BIN)/microcred

install: $(BIN)/microcred

demo: install
	$(BIN)/microcred map --demo --store || test $$? -eq 1  # the survey has two unreadable rows on purpose
	$(BIN)/microcred demo --host $(HOST) --port $(PORT)

# Browser tests need Debian's chromium (and pdftoppm from poppler-utils to look at PDFs; the
# HSM signer tests need SoftHSM from softhsm2; the multi-node test runs nginx as this user;
# the multi-process server test loads it with wrk), axe-core and the interop peer from npm.
DEBIAN_TEST_PACKAGES := chromium poppler-utils softhsm2 nginx wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser-deps: node_modules/.package-lock.json
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
	  || ! command -v softhsm2-util >/dev/null 2>&1 || ! test -x /usr/sbin/nginx \
	  || ! command -v wrk >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_TEST_PACKAGES) >/dev/null; \
	fi

# axe-core and the interop peer (Digital Bazaar's vc library), from the npm registry.
node_modules/.package-lock.json: package-lock.json
	npm ci --silent --no-audit --no-fund

# PostgreSQL, Redis and RabbitMQ are started by the machine; this only checks PostgreSQL answers.
services:
	@$(BIN)/python -c "import sqlalchemy as sa; sa.create_engine('$(PG_URL)').connect().close()" \
	  || { echo "PostgreSQL is not reachable at $(PG_URL): start it with" \
	       "'pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start'"; exit 1; }

test: install browser-deps services
	MICROCRED_TEST_PG_URL=$(PG_URL) $(BIN)/python -m pytest -q --durations=15

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser"

# The VC API load test runs Debian's wrk against `microcred serve --workers 2`.
bench: install
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m microcred.bench --output BENCHMARKS.md

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules .pytest_cache
