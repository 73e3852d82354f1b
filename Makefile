# groundup — two commands do all set-up on a fresh machine:
#   make demo   create the virtualenv, install, analyse the built-in example, print the report path
#   make test   create the virtualenv, install, run the whole test suite
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean system-deps

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==24.3.1

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/groundup demo --out out/demo

# The PDF tests render pages with pdftoppm (poppler-utils); install it when it is missing.
system-deps:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/events.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/c3d_read.py
	$(BIN)/python bench/cases.py
	$(BIN)/python bench/video_synthetic.py
	$(BIN)/python bench/video_speed.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
