#!/bin/sh
# Sleeps for the "seconds" parameter; a child and a grandchild sleep as long, so that a cancel has a tree to end.
seconds=$(sed -n 's/.*"seconds"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p')
seconds=${seconds:-60}
sh -c "sleep $seconds & wait" &
echo "sleeping ${seconds} s (pid $$)"
sleep "$seconds"
echo '{"slept": '"$seconds"'}'
