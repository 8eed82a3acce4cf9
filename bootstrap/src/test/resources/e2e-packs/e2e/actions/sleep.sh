#!/bin/sh
# Sleeps for the "seconds" parameter, then reports a JSON result.
params=$(cat)
seconds=$(printf '%s' "$params" | sed -n 's/.*"seconds"[[:space:]]*:[[:space:]]*\([0-9.]*\).*/\1/p')
sleep "${seconds:-1}"
echo "{\"slept\": ${seconds:-1}, \"execution\": \"$ATTUNE_EXECUTION_ID\"}"
