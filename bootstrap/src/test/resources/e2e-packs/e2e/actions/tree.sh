#!/bin/sh
# Starts a child that starts a grandchild, writes the three PIDs into the "dir" parameter's folder (when given),
# then sleeps for the "seconds" parameter: a process tree for a cancel to end. Left alone, it ends its tree itself.
params=$(cat)
dir=$(printf '%s' "$params" | sed -n 's/.*"dir"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
seconds=$(printf '%s' "$params" | sed -n 's/.*"seconds"[[:space:]]*:[[:space:]]*\([0-9.]*\).*/\1/p')
seconds=${seconds:-1}
dir=${dir:-$(mktemp -d)}
sh -c 'sleep "$2" & echo $! > "$1/grandchild.pid"; wait' tree "$dir" "$seconds" &
child=$!
echo $child > "$dir/child.pid"
echo $$ > "$dir/self.pid"
echo "tree started"
sleep "$seconds"
while [ ! -s "$dir/grandchild.pid" ]; do sleep 0.05; done
kill "$(cat "$dir/grandchild.pid")" "$child" 2>/dev/null
wait
echo "{\"slept\": $seconds}"
