#!/bin/sh
# Fails on purpose, the way a real script reports trouble: a message on standard error and a non-zero status.
cat > /dev/null
echo "checking the disk"
echo "demo.fail: the disk is full (simulated failure)" >&2
exit 3
