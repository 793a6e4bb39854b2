# microcred: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

# The suite runs in pytest-xdist workers, one per core (PYTEST_WORKERS=1 runs it in one process).
PYTEST_WORKERS ?= auto
# Test files live in memory where the machine has /dev/shm: a SQLite commit there costs
# microseconds, on a disk several milliseconds (each one waits for fsync), and the suite commits
# tens of thousands of times.
TEST_TMPDIR ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo $${TMPDIR:-/tmp})
PYTEST := TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal
# make test-fast: SQLite only; no Chromium, PostgreSQL, Celery, node or nginx.
FAST := not browser and not postgres and not interop and not multinode
REDIS_START := redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" \
  --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
# Wall time of the command that follows, printed with the machine's cores and load.
TIMED = start=$$(date +%s); status=0;
SAY_TIME = echo "$@: $$(( $$(date +%s) - start )) s wall time, $$(nproc) cores," \
  "load average $$(cut -d' ' -f1-3 /proc/loadavg)"; exit $$status

.PHONY: install dev-install lock demo test test-fast test-deep bench lint browser-deps services clean

# Versions come from requirements.lock (pip constraints; `make lock` refreshes it), so a new
# release upstream cannot change an install until the lock is refreshed on purpose. uv (itself
# pinned in the lock, installed by pip) installs them: the whole test install takes seconds
# where pip takes minutes. A wheel folder that pip is pointed at (PIP_FIND_LINKS) is given to
# uv too, so a machine's local CPU build of torch is found the same way.
LOCK := requirements.lock
FIND_LINKS := $(if $(PIP_FIND_LINKS),--find-links $(PIP_FIND_LINKS))
PIP_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python -c $(LOCK) $(FIND_LINKS)

$(BIN)/uv: $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(LOCK) uv
	touch $@

# The application alone (what `make demo` needs): no test tools, no recognition model.
$(BIN)/microcred: pyproject.toml $(LOCK) src/microcred/crypto/compiled/_shape.c $(BIN)/uv
	$(PIP_INSTALL) -e .
	touch $(BIN)/microcred

# The tests' tools and the recognition model (torch, CPU build) on top.
$(VENV)/.dev-installed: $(BIN)/microcred
	$(PIP_INSTALL) -e '.[dev,recognition]'
	touch $@

install: $(BIN)/microcred
dev-install: $(VENV)/.dev-installed

# Refresh requirements.lock from a clean virtualenv with every extra, newest allowed versions.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[dev,recognition,hsm]' uv
	{ echo "# pip constraints for make install; refresh with make lock ($$(date -u +%F))"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^microcred' \
	  | sed 's/+[a-z0-9.]*$$//'; } > $(LOCK)
	rm -rf .lock-venv

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

# PostgreSQL, Redis and RabbitMQ are started by the machine; this checks each one answers.
services:
	@$(BIN)/python -c "import sqlalchemy as sa; sa.create_engine('$(PG_URL)').connect().close()" \
	  || { echo "PostgreSQL is not reachable at $(PG_URL): start it with" \
	       "'pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start'"; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379).ping()" 2>/dev/null \
	  || { echo "Redis is not reachable at 127.0.0.1:6379: start it with '$(REDIS_START)'"; exit 1; }
	@$(BIN)/python -c "import kombu; kombu.Connection('amqp://guest:guest@127.0.0.1:5672//')\
	.ensure_connection(max_retries=1, timeout=5)" 2>/dev/null \
	  || { echo "RabbitMQ is not reachable at 127.0.0.1:5672 (guest/guest): start it with" \
	       "'rabbitmq-server -detached'"; exit 1; }

# The whole suite (what .ci/run calls): every test, in parallel, with the 15 slowest named.
test: dev-install browser-deps services
	@$(TIMED) MICROCRED_TEST_PG_URL=$(PG_URL) $(PYTEST) --durations=15 || status=$$?; $(SAY_TIME)

# The inner loop: SQLite only, no browser, no node, no nginx, no brokers.
test-fast: dev-install
	@$(TIMED) $(PYTEST) -m "$(FAST)" || status=$$?; $(SAY_TIME)

# The property tests with ten times the examples, drawn at random (tests/property_profiles.py).
test-deep: dev-install services
	@$(TIMED) MICROCRED_HYPOTHESIS_PROFILE=deep MICROCRED_TEST_PG_URL=$(PG_URL) \
	  $(PYTEST) -m hypothesis -o timeout=3600 --durations=15 || status=$$?; $(SAY_TIME)

# The VC API load test runs Debian's wrk against `microcred serve --workers 2`.
bench: dev-install
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m benchmarks --output BENCHMARKS.md

lint: dev-install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules .pytest_cache .lock-venv
