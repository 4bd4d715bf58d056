# The two commands the README opens with:
#   make run   set everything up, build the index of articles/ and open the REPL
#   make test  set everything up and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup index lint locales bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

index: setup
	$(BIN)/newsbot index build

run: index
	$(BIN)/newsbot repl

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# ruff (lint + format) on everything; mypy on the modules listed in pyproject's [tool.mypy]
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# the code's texts → bot/locales/newsbot.pot → every language's LC_MESSAGES/newsbot.po (Babel)
locales: setup
	$(BIN)/python -m bot.locales update

# make bench                       every benchmark (long); make bench BENCH_ARGS=--quick: a smoke run
bench: setup
	$(BIN)/python -m benchmarks.run_all $(BENCH_ARGS)

clean:
	rm -rf .newsbot build dist *.egg-info
