#!/usr/bin/env bash
# The whole test suite, as CI runs it: restore, build (Release, warnings as errors), then every xunit v3
# test project through its own runner, which ends with xunit's summary. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Clientele.slnx -c Release -v quiet -nologo

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet "$(dirname "$project")/bin/Release/net10.0/$name.dll" -noColor || status=$?
done
exit "$status"
