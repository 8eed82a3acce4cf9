# Everyday commands. `make` alone lists them.
#
# The docker-* targets need a Docker engine with BuildKit, or Podman (DOCKER=podman); build, test and demo need
# only Java 17 and Maven. Extra build options go in BUILD_ARGS, e.g. other base images or a trust store:
#   make docker-build-workers DOCKER=podman BUILD_ARGS="--build-arg DEBIAN_IMAGE=... --secret id=cacerts,src=..."

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN ?= mvn
JAVA ?= java
JAR := bootstrap/target/attune-worker.jar
DOCKER ?= docker
DOCKERFILE := docker/Dockerfile.worker
IMAGE ?= attune-worker
BUILD_ARGS ?=
# The version is written once, in the parent POM; the images' labels read it here and the image build checks
# that the jar says the same.
VERSION := $(shell sed -n '0,/<artifactId>attune-worker-parent<\/artifactId>/d; s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
SOURCE ?= $(or $(shell git config --get remote.origin.url 2>/dev/null),unknown)
# Podman's default image format (OCI) drops HEALTHCHECK; Docker's keeps it.
FORMAT := $(if $(filter podman,$(notdir $(DOCKER))),--format docker,)
BUILD = DOCKER_BUILDKIT=1 $(DOCKER) build $(FORMAT) -f $(DOCKERFILE) \
	--build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) --build-arg SOURCE=$(SOURCE) $(BUILD_ARGS)

.PHONY: help build test demo version docker-build-workers \
        docker-build-worker-base docker-build-worker-python docker-build-worker-node docker-build-worker-full

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-28s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build the runnable jar bootstrap/target/attune-worker.jar (tests skipped)
	$(MVN) -q -DskipTests package

test: ## run every test, starting a throwaway PostgreSQL and RabbitMQ for the integration tests
	scripts/test.sh

demo: build ## run the whole system in one JVM with sample actions (no database, no broker)
	$(JAVA) -jar $(JAR) demo

version: ## print the version the POM gives (the jar, the images and their labels carry it)
	@echo $(VERSION)

docker-build-workers: docker-build-worker-base docker-build-worker-python docker-build-worker-node docker-build-worker-full ## build all four worker images

# attune-worker:<variant> from the target worker-<variant> of docker/Dockerfile.worker
docker-build-worker-base: ## build attune-worker:base (shell)
	$(BUILD) --target worker-base -t $(IMAGE):base .

docker-build-worker-python: ## build attune-worker:python (shell, python)
	$(BUILD) --target worker-python -t $(IMAGE):python .

docker-build-worker-node: ## build attune-worker:node (shell, node)
	$(BUILD) --target worker-node -t $(IMAGE):node .

docker-build-worker-full: ## build attune-worker:full (shell, python, node, native)
	$(BUILD) --target worker-full -t $(IMAGE):full .
