# The two commands a new developer needs: `make run` (demo newsroom) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
UV_VERSION := 0.13.9

.PHONY: install run test lint format check clean bench-images bench bench-site bench-import \
	load-test bench-newsletter bench-desk bench-audience
BENCH_ARTICLES ?= 100000
BENCH_DB ?= newsroom_bench
LOAD_ARTICLES ?= $(BENCH_ARTICLES)
BENCH_URL = postgres://$$(whoami)@127.0.0.1:5432/$(BENCH_DB)

# Create the virtual environment and install exactly what uv.lock pins.
$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --quiet
	@touch $@

install: $(VENV)/.synced

## make run: migrate a SQLite database under var/, load the demo newsroom, serve it on 127.0.0.1:$(PORT),
## with the background worker that sends newsletters beside it (its log: var/worker.log), stopped
## when the server stops.
run: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Serving the demo newsroom on http://127.0.0.1:$(PORT)/ (admin: /admin/)"
	@echo "Newsletter worker: var/worker.log (without EMAIL_HOST, mail is printed there)"
	@export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(MANAGE) db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## make test: the whole suite; on PostgreSQL when DATABASE_URL points there, else SQLite. In
## parallel, one process a core (pytest-xdist; each has its own test database and Redis
## database): TEST_PROCESSES=0 runs it in this process, as when debugging with a breakpoint.
TEST_PROCESSES ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

## make bench: our pages (uncached and cached) and a cold crawl of a 5,000-story archive in the
## same wrk rounds as the Wagtail peer and the Django ceiling (/work/shared/peers/run_peer.sh),
## then search and the admin story list at 100,000 stories (BENCH_DB), all as ratios. About
## 12 min with both databases present. ROUNDS=, DURATION= as the harness; QUICK=1: a smoke test.
PEER_BENCH_DB ?= newsroom_peer_bench
BENCH_MEDIA_ROOT ?= /tmp/newsroom-bench-media
bench: install
	DATABASE_URL=postgres://$$(whoami)@127.0.0.1:5432/$(PEER_BENCH_DB) MEDIA_ROOT=$(BENCH_MEDIA_ROOT) \
		$(MANAGE) bench_peers --search-db $(BENCH_DB) --search-articles $(BENCH_ARTICLES) \
		$(if $(QUICK),--quick) $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-audience

## make bench-audience: a cached story page and its beacon with counting off and on, the beacon
## against the fixed-page ceiling (same wrk rounds), the fold of 1,000,000 events (bench_fold)
## and the desk's audience pages on a year of rollups for BENCH_DB's 100,000 stories (made in SQL
## the first time, a few minutes). ROUNDS=, DURATION= as make bench; QUICK=1: a smoke test.
bench-audience: install
	DATABASE_URL=postgres://$$(whoami)@127.0.0.1:5432/$(PEER_BENCH_DB) MEDIA_ROOT=$(BENCH_MEDIA_ROOT) \
		$(MANAGE) bench_audience --desk-db $(BENCH_DB) $(if $(QUICK),--quick) $(BENCH_AUDIENCE_ARGS)

## make bench-site: a fresh BENCH_ARTICLES-story corpus, EXPLAIN of every listing, then each page
## through gunicorn + wrk, uncached and cached, against our own fixed page; the desk's timings.
bench-site: install
	dropdb --if-exists -h 127.0.0.1 $(BENCH_DB) && createdb -h 127.0.0.1 $(BENCH_DB)
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) generate_corpus --articles $(BENCH_ARTICLES)
	DATABASE_URL=$(BENCH_URL) $(MANAGE) explain_listings
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench_site
	DATABASE_URL=$(BENCH_URL) $(MANAGE) bench_desk

## make load-test: 100 readers for 60 s (home, article, section, search, feed) while two editors
## save a story every second through the admin; gunicorn on PostgreSQL, over loopback. Uses
## BENCH_DB as it is, or creates it with LOAD_ARTICLES stories (BENCH_ARTICLES by default).
load-test: install
	psql -h 127.0.0.1 -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 $(BENCH_DB)
	DATABASE_URL=$(BENCH_URL) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_URL) $(MANAGE) load_test --corpus $(LOAD_ARTICLES) $(LOAD_ARGS)

## make bench-desk: five editorial tasks (file, return, approve and schedule, correct, find) done by
## headless Chromium in our desk (the demo newsroom in a throwaway SQLite under BENCH_DESK_VAR) and in
## the Wagtail peer's admin (/work/shared/peers, its venv from run_peer.sh): median clicks, page
## loads and server ms of 3 runs, ours/Wagtail. About 10 min. BENCH_ARGS=--ours-only: ours alone.
BENCH_DESK_VAR ?= /tmp/newsroom-bench-desk
bench-desk: install
	rm -rf $(BENCH_DESK_VAR) && mkdir -p $(BENCH_DESK_VAR)
	VAR_DIR=$(BENCH_DESK_VAR) MEDIA_ROOT=$(BENCH_DESK_VAR)/uploads DATABASE_URL= \
		$(MANAGE) bench_desk_speed $(BENCH_ARGS)

## make bench-images: time rendition builds for 6000x4000 photos; bytes of WebP/AVIF vs JPEG.
bench-images: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) bench_images --images 3 --size 6000x4000

## make bench-newsletter: an issue to BENCH_SUBSCRIBERS (50,000) confirmed subscribers on PostgreSQL,
## sent by the real worker through a local SMTP sink: messages/s, time to first message, worker RSS.
BENCH_SUBSCRIBERS ?= 50000
BENCH_NEWSLETTER_DB ?= newsroom_bench_newsletter
bench-newsletter: install
	dropdb --if-exists -h 127.0.0.1 $(BENCH_NEWSLETTER_DB) && createdb -h 127.0.0.1 $(BENCH_NEWSLETTER_DB)
	DATABASE_URL=postgres://$$(whoami)@127.0.0.1:5432/$(BENCH_NEWSLETTER_DB) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=postgres://$$(whoami)@127.0.0.1:5432/$(BENCH_NEWSLETTER_DB) \
		$(MANAGE) bench_newsletter --subscribers $(BENCH_SUBSCRIBERS) $(BENCH_ARGS)

## make bench-import: peak memory of import_wordpress on a generated 20,000-post export.
bench-import: install
	$(MANAGE) bench_wordpress_import --posts $${BENCH_POSTS:-20000}

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
