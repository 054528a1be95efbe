#!/bin/sh
# Fuzzes sync-core's parsers of outside bytes with Jazzer for longer than the suite does (60 s).
#
#   bench/fuzz.sh 10m                                  # every parser, one 10-minute run
#   bench/fuzz.sh 30m WireCodec.decode,Ticket.parse    # only these (names as ParserTargets lists them)
#   bench/fuzz.sh 2h SignedEntry.parse 5               # five runs one after another (a fresh seed each)
#
# The corpus grows in sync-core/target/fuzz/.cifuzz-corpus and is reused by the next run (until
# `mvnw clean`). A finding stops the run, fails it with the parser's name and the input in hex,
# and leaves the input in sync-core/target/fuzz/crash-*: fix the parser, then keep the input as a
# regression case in sync-core/src/test/resources/org/savesync/core/fuzz/ParserFuzzTestInputs/parsers/.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

duration="${1:?usage: bench/fuzz.sh DURATION [PARSER,PARSER...] [RUNS]   e.g. bench/fuzz.sh 10m}"
only="${2:-}"
runs="${3:-1}"

i=1
while [ "$i" -le "$runs" ]; do
    echo "# fuzz run $i/$runs: ${only:-every parser} for $duration  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  load: $(cut -d' ' -f1-3 /proc/loadavg)"
    # -Dtest picks the (quick) seed replay for the ordinary test execution; -Pfuzz adds the fuzz execution.
    ./mvnw -B -pl sync-core test -Pfuzz -Dtest=ParserSeedsTest \
        -Dsavesync.fuzz.duration="$duration" -Dsavesync.fuzz.only="$only"
    i=$((i + 1))
done
ls sync-core/target/fuzz/.cifuzz-corpus/*/parsers 2>/dev/null | wc -l | sed 's/^/# corpus now holds /; s/$/ inputs/'
