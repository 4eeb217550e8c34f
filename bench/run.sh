#!/usr/bin/env bash
# Clientele's benchmark, end to end and unattended, loopback only, bounded in time:
#   bench/run.sh [--customers N] [--duration S] [--providers sqlite,postgres] [--smoke] [other Clientele.Bench options]
# Builds Release; installs Debian's wrk and gnuplot-nox when missing; starts a throwaway PostgreSQL (scripts/postgres.sh)
# when the postgres provider is asked for; then Clientele.Bench writes the data set, runs the baseline (and wrk against it),
# imports and serves on each provider, drives every scenario, and writes bench/RESULTS.md and bench/results.png.
# --smoke: 2,000 customers, 1 s per scenario, SQLite only, report in bench/out/smoke.md (under a minute once built).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

customers=100000
providers=sqlite,postgres
smoke=false
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --smoke) smoke=true ;;
    --customers) customers=${args[i + 1]:-$customers} ;;
    --customers=*) customers=${args[i]#*=} ;;
    --providers) providers=${args[i + 1]:-$providers} ;;
    --providers=*) providers=${args[i]#*=} ;;
  esac
done
if $smoke; then
  customers=2000
  providers=sqlite
fi

echo "== Release build"
for project in src/Clientele/Clientele.csproj bench/Baseline/Clientele.Baseline.csproj bench/Clientele.Bench/Clientele.Bench.csproj; do
  timeout 600 dotnet build "$project" -c Release -v quiet -nologo
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if ((${#missing[@]})); then
  echo "== Installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ,$providers, == *,postgres,* ]]; then
  echo "== Throwaway PostgreSQL"
  eval "$(timeout 600 ./scripts/postgres.sh start)"
  trap './scripts/postgres.sh stop "$CLIENTELE_TEST_POSTGRES_DIR"' EXIT
fi

# The bench stops itself after its own budget (--budget); this is the backstop above it.
limit=$((1800 + customers / 400))
echo "== Clientele.Bench (stopped after at most $((limit / 60)) minutes)"
timeout --kill-after=60 "$limit" \
  dotnet bench/Clientele.Bench/bin/Release/net10.0/Clientele.Bench.dll --command "bench/run.sh $*" "$@"
