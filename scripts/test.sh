#!/usr/bin/env bash
# The whole test suite, as CI runs it: build (Release, warnings as errors), start a throwaway PostgreSQL
# (scripts/postgres.sh installs Debian's package when missing), then run every xunit v3 test project through
# its own runner once per storage provider: SQLite, then PostgreSQL. Each run ends with xunit's summary.
# Exits non-zero on any failure, including a PostgreSQL that cannot be started: that is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Clientele.slnx -c Release -v quiet -nologo

eval "$(./scripts/postgres.sh start)"
trap './scripts/postgres.sh stop "$CLIENTELE_TEST_POSTGRES_DIR"' EXIT

status=0
for provider in sqlite postgres; do
  for project in tests/*/*.csproj; do
    name=$(basename "$project" .csproj)
    echo "== $name on $provider"
    CLIENTELE_TEST_PROVIDER=$provider dotnet "$(dirname "$project")/bin/Release/net10.0/$name.dll" -noColor || status=$?
  done
done
exit "$status"
