# Everyday commands. `make` alone lists them.
#
# The docker-* targets need a Docker engine with BuildKit; build, test and demo need only Java 17 and Maven.

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN ?= mvn
JAVA ?= java
JAR := bootstrap/target/attune-worker.jar
DOCKER ?= docker
DOCKERFILE := docker/Dockerfile.worker
IMAGE ?= attune-worker

.PHONY: help build test demo docker-build-workers \
        docker-build-worker-base docker-build-worker-python docker-build-worker-node docker-build-worker-full

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-28s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build the runnable jar bootstrap/target/attune-worker.jar (tests skipped)
	$(MVN) -q -DskipTests package

test: ## run every test, starting a throwaway PostgreSQL and RabbitMQ for the integration tests
	scripts/test.sh

demo: build ## run the whole system in one JVM with sample actions (no database, no broker)
	$(JAVA) -jar $(JAR) demo

docker-build-workers: docker-build-worker-base docker-build-worker-python docker-build-worker-node docker-build-worker-full ## build all four worker images

# attune-worker:<variant> from the target worker-<variant> of docker/Dockerfile.worker
docker-build-worker-base: ## build attune-worker:base (shell)
	DOCKER_BUILDKIT=1 $(DOCKER) build -f $(DOCKERFILE) --target worker-base -t $(IMAGE):base .

docker-build-worker-python: ## build attune-worker:python (shell, python)
	DOCKER_BUILDKIT=1 $(DOCKER) build -f $(DOCKERFILE) --target worker-python -t $(IMAGE):python .

docker-build-worker-node: ## build attune-worker:node (shell, node)
	DOCKER_BUILDKIT=1 $(DOCKER) build -f $(DOCKERFILE) --target worker-node -t $(IMAGE):node .

docker-build-worker-full: ## build attune-worker:full (shell, python, node, native)
	DOCKER_BUILDKIT=1 $(DOCKER) build -f $(DOCKERFILE) --target worker-full -t $(IMAGE):full .
