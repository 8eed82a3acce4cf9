#!/bin/sh
# does nothing: the benchmark measures the system around the action
cat >/dev/null
echo '{}'
