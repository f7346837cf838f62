# The two commands of the README: `make demo` and `make test`. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test bench lint typecheck pytest system venv clean screenshots page-screenshots translations bundle

system:
	./scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml | system
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,sandbox]'
	touch $@

venv: $(VENV)/.installed

# Headless when there is no display, as cli.md says `kiosk demo` decides by itself.
demo: venv
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk demo --headless; \
	else \
	  env -u QT_QPA_PLATFORM $(VENV)/bin/kiosk demo; \
	fi

lint: venv
	$(VENV)/bin/ruff check kiosk province tests bench
	$(VENV)/bin/ruff format --check kiosk province tests bench

typecheck: venv
	$(VENV)/bin/mypy

pytest: venv
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

bench: venv
	$(PY) -m bench

# Every screen, language and size into build/screenshots; the README's few into docs/screenshots.
README_SHOTS := idle-zh_CN-1920x1080 prompt-zh_CN-1920x1080 reasons-zh_CN-1920x1080 qr-zh_CN-1920x1080 \
	thanks-zh_CN-1920x1080 prompt-en_US-1280x800 prompt-zh_CN-1080x1920 paused-zh_CN-1280x800 \
	terminal-idle-zh_CN-1920x1080 cases-zh_CN-1920x1080
screenshots: venv page-screenshots
	$(VENV)/bin/kiosk screenshots --out build/screenshots
	mkdir -p docs/screenshots
	for shot in $(README_SHOTS); do cp build/screenshots/$$shot.png docs/screenshots/; done

# The sandbox's phone page (390×844) and overview, as the browser test sees them, into docs/screenshots.
page-screenshots: venv
	KIOSK_SCREENSHOTS=1 $(VENV)/bin/pytest -q tests/test_phone_page.py -k "not readme"

# Updates assets/i18n/kiosk_en_US.ts from the screens' texts and compiles the .qm.
translations: venv
	$(PY) scripts/translations.py

# The pad as one directory, dist/kiosk (packaging/kiosk.spec), checked as a pad runs it. Not part of `make test`.
$(VENV)/.bundle-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[bundle]'
	touch $@

bundle: $(VENV)/.bundle-installed
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN packaging/kiosk.spec
	packaging/check-bundle.sh dist/kiosk

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
