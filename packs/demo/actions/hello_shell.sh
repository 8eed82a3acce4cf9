#!/bin/sh
# Reads the parameters (one JSON object) from standard input and greets.
params=$(cat)
name=$(printf '%s' "$params" | sed -n 's/.*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
echo "hello, ${name:-world}, from a POSIX shell (execution ${ATTUNE_EXECUTION_ID:-?})"
