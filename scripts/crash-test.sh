#!/usr/bin/env bash
# The crash-safety test (tests/Clientele.Tests/CrashSafetyTests.cs) with a long loop. The real server process
# (clientele.dll serve) is killed with SIGKILL at random moments while six clients write to it — creates with
# tags and customData, PATCHes, PUT /customers/batch, tag PUT/DELETE, deletes, events — and restarted on the
# same database each time; after every restart no acknowledged write may be lost and no request half applied.
# CI runs the same test with 20 kills per provider; this runs 200 (CRASH_KILLS), on SQLite and then on a
# throwaway PostgreSQL started by scripts/postgres.sh (or the one CLIENTELE_TEST_POSTGRES already names).
#   scripts/crash-test.sh                      both providers, 200 kills each (about 5 and 7 minutes)
#   CRASH_KILLS=1000 scripts/crash-test.sh sqlite
#   CRASH_SEED=N scripts/crash-test.sh ...     replays the requests and kill moments of a run; every run prints
#                                              its seed, and a failure names it with what was lost or half applied
# Exits non-zero when a provider fails, including a PostgreSQL that cannot be started.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export CRASH_KILLS=${CRASH_KILLS:-200}
providers=("$@")
if [ ${#providers[@]} -eq 0 ]; then
  providers=(sqlite postgres)
fi

dotnet build tests/Clientele.Tests -c Release -v quiet -nologo

if [[ " ${providers[*]} " == *" postgres "* && -z "${CLIENTELE_TEST_POSTGRES:-}" ]]; then
  eval "$(./scripts/postgres.sh start)"
  trap './scripts/postgres.sh stop "$CLIENTELE_TEST_POSTGRES_DIR"' EXIT
fi

status=0
for provider in "${providers[@]}"; do
  echo "== CrashSafetyTests on $provider, $CRASH_KILLS kills"
  CLIENTELE_TEST_PROVIDER=$provider dotnet tests/Clientele.Tests/bin/Release/net10.0/Clientele.Tests.dll \
    -noColor -showLiveOutput -class Clientele.Tests.CrashSafetyTests || status=$?
done
exit "$status"
