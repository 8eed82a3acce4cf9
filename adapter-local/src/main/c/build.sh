#!/bin/sh
# Compiles attune-launch.c into OUTPUT: adapter-local's Maven build runs this when the machine has gcc.
#   sh build.sh SOURCE OUTPUT
# Static where the C library's static archive is installed (Debian's libc6-dev ships libc.a): the binary then runs
# on any Linux of the same architecture, such as an image whose C library is older than the builder's. Otherwise
# dynamic, with a note. No debug information and no build path in the binary: the same source and compiler give
# the same bytes.
set -eu
source=$1
output=$2
mkdir -p "$(dirname "$output")"
flags="-std=c11 -O2 -Wall -Wextra -s -ffile-prefix-map=$(dirname "$source")=."
log="$output.static.log"
if gcc $flags -static -o "$output.tmp" "$source" 2>"$log"; then
  cat "$log" >&2
else
  echo "attune-launch: static linking failed (no libc.a?), linking dynamically: $(head -n 1 "$log")" >&2
  gcc $flags -o "$output.tmp" "$source"
fi
rm -f "$log"
mv "$output.tmp" "$output"
