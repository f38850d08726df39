# KafkaDesk: two commands for a newcomer, and the few steps they are made of.
#   make run    install what is missing, start the local 3-broker Kafka sandbox, open KafkaDesk
#   make test   install what is missing, run every test layer, print `N passed, N failed`
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Build output and downloads live outside the clone, so a fresh clone reuses them.
export KAFKADESK_CACHE ?= $(HOME)/.cache/kafkadesk
export CARGO_TARGET_DIR ?= $(KAFKADESK_CACHE)/target
SANDBOX := $(CARGO_TARGET_DIR)/debug/sandbox
APP := $(CARGO_TARGET_DIR)/debug/kafkadesk

.PHONY: help run test bench bench-topics bench-messages deps ui app sandbox-tool sandbox sandbox-stop sandbox-status clean bundle bundle-appimage test-bundle fuzz chaos stress bench-responsiveness bench-registry test-matrix

help:
	@echo "make run           start the local Kafka sandbox and open KafkaDesk"
	@echo "make test          run every test (unit, UI, integration on real Kafka, end-to-end)"
	@echo "make sandbox-stop  stop the local Kafka sandbox"
	@echo "make bench         run the benchmarks (results in bench/results.json, bench/RESULTS.md)"
	@echo "make bundle        build release packages (.deb, .rpm) into \$$CARGO_TARGET_DIR/release/bundle"
	@echo "make test-bundle   install the .deb into a fresh root and drive the installed app"
	@echo "make bench-registry  search 1M Avro records vs plain JSON (Schema Registry decoding)"
	@echo "make fuzz          property tests over every parser, 100,000 cases each"
	@echo "make chaos         kill and freeze brokers while the app works (bench/chaos-results.json)"
	@echo "make test-matrix   integration subset against Kafka 3.9 (KRaft and ZooKeeper), 4.1 and 4.4"

deps:
	@scripts/install-deps.sh

# The UI is built first: the app embeds ui/dist. Rebuilt only when its sources change.
UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/package-lock.json ui/vite.config.ts $(wildcard ui/tsconfig*.json)
ui: deps ui/dist/index.html

ui/dist/index.html: $(UI_SOURCES)
	npm --prefix ui run build
	@touch $@

app: ui
	cargo build -p kafkadesk

sandbox-tool: deps
	cargo build -q -p kafkadesk-tests --bin sandbox

sandbox: sandbox-tool
	$(SANDBOX) start

sandbox-stop: sandbox-tool
	$(SANDBOX) stop

sandbox-status: sandbox-tool
	$(SANDBOX) status

run: app sandbox
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): run this in a desktop session, or under Xvfb with 'xvfb-run -a make run'."; \
	  exit 1; \
	fi
	@echo "Opening KafkaDesk; the sandbox keeps running after you close it (make sandbox-stop)."
	$(APP) --connect "Local sandbox"

test: app sandbox-tool
	@scripts/test.sh

bench: bench-topics bench-messages

bench-topics: deps
	bench/topics.sh

clean:
	rm -rf ui/dist ui/node_modules tests/e2e-artifacts

# Messages benchmark vs kcat (issue 5): bench/results.json "messages", bench/RESULTS.md section.
bench-messages: deps
	bench/messages.sh

# Schema Registry benchmark (issue 11): whole-topic search over 1M Avro records vs the same
# search over plain JSON, and the decode rate; starts its own Kafka and Apicurio unless given.
bench-registry: deps
	bench/registry.sh

# Issue 9: 200 disconnects during requests to a SIGSTOPped leader, under valgrind (any invalid
# read, write or free fails it); the result goes to bench/stress-valgrind.log.
stress: deps
	cargo test -p kafkadesk-tests --test stress --no-run
	KAFKADESK_STRESS_ROUNDS=200 valgrind --error-exitcode=99 --errors-for-leak-kinds=none --trace-children=no \
	  $$(cargo test -p kafkadesk-tests --test stress --no-run --message-format=json 2>/dev/null | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1) \
	  --nocapture 2>&1 | tee bench/stress-valgrind.log

# Issue 9: the responsiveness probe in the real window (bench/responsiveness.json).
bench-responsiveness: app
	dbus-run-session -- cargo test -p kafkadesk-tests --test e2e -- --ignored --nocapture responsiveness

# Release packages with Tauri's bundler (issue 15), named with the version, e.g.
# $(CARGO_TARGET_DIR)/release/bundle/deb/KafkaDesk_0.1.0_amd64.deb. The Tauri CLI comes from npm
# (@tauri-apps/cli in ui/). AppImage is a separate target: its bundler downloads linuxdeploy
# and the AppImage runtime from GitHub.
TAURI := $(CURDIR)/ui/node_modules/.bin/tauri
LINUX_BUNDLES ?= deb,rpm
bundle: ui
	@$(TAURI) --version >/dev/null 2>&1 || { echo "The Tauri CLI (@tauri-apps/cli, a devDependency in ui/package.json) does not run: remove ui/node_modules and run make bundle again (npm must install optional dependencies: the CLI's native part is one)."; exit 1; }
	cd src-tauri && $(TAURI) build --ci --bundles $(LINUX_BUNDLES)
	@ls -l $(CARGO_TARGET_DIR)/release/bundle/*/*.deb $(CARGO_TARGET_DIR)/release/bundle/*/*.rpm 2>/dev/null || true

bundle-appimage: ui
	cd src-tauri && $(TAURI) build --ci --bundles appimage

# The .deb installed into a fresh root and driven under Xvfb (screenshot installed-app.png),
# then its sizes into bench/RESULTS.md.
# Kafka: KAFKADESK_TEST_BOOTSTRAP if set, else the test starts a 3-node cluster of its own. The
# keyring gets a throwaway data dir, as in scripts/test.sh.
test-bundle: bundle
	keyring_dir=$$(mktemp -d) && trap 'rm -rf "$$keyring_dir"' EXIT && \
	dbus-run-session -- env XDG_DATA_HOME="$$keyring_dir" bash -c 'echo -n kafkadesk | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
	  && exec cargo test -p kafkadesk-tests --test e2e -- --ignored --test-threads=1 installed_app'
	bench/bundle.sh

# The window's weight on the release build (issue 16): cold start, idle memory, memory with
# 10,000 topics, longest task opening 5 MiB values. bench/results.json, bench/RESULTS.md.
bench-window: deps
	bench/window.sh
# Property tests over every parser input reaches (issue 9), 100,000 cases per target in a
# release build; `make test` runs the same targets with 256 cases each.
FUZZ_CASES ?= 100000
fuzz: deps
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --release -p kafkadesk --lib fuzz:: -- --test-threads=2

# Brokers killed and frozen while the app works (issue 9): its own 3-broker cluster;
# results in bench/chaos-results.json.
chaos: deps
	cargo test -p kafkadesk-tests --test chaos -- --ignored --nocapture

# Issue 13: a subset of the integration suite against Kafka 3.9.1 (KRaft and ZooKeeper), 4.1.1
# and 4.4.0 (KAFKADESK_MATRIX="<version>:<kraft|zookeeper> ..." for another matrix); prints
# per version `N passed, N failed`. Results in bench/RESULTS.md ("Version matrix"). The app
# crate embeds ui/dist, hence the UI build first.
test-matrix: ui
	scripts/test-matrix.sh
