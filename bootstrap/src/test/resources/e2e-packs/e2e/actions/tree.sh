#!/bin/sh
# Starts a child that starts a grandchild, writes the three PIDs into the "dir" parameter's folder (when given),
# then sleeps for the "seconds" parameter: a process tree for a cancel to end.
params=$(cat)
dir=$(printf '%s' "$params" | sed -n 's/.*"dir"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
seconds=$(printf '%s' "$params" | sed -n 's/.*"seconds"[[:space:]]*:[[:space:]]*\([0-9.]*\).*/\1/p')
dir=${dir:-$(mktemp -d)}
sh -c 'sleep 600 & echo $! > "$1/grandchild.pid"; wait' tree "$dir" &
echo $! > "$dir/child.pid"
echo $$ > "$dir/self.pid"
echo "tree started"
sleep "${seconds:-1}"
echo "{\"slept\": ${seconds:-1}}"
