#!/bin/sh
# Sleeps far past the 2 s timeout and starts a child that sleeps too; the worker must end both.
cat > /dev/null
echo "demo.slow: sleeping 30 s with a timeout of 2 s"
sleep 30 &
sleep 30
