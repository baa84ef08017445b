#!/usr/bin/env bash
# Time and peak memory of one program evaluation per stack under mocks, against the floor of
# loading @pulumi/pulumi alone. Median of N runs (default 5). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
npx tsc -p tsconfig.build.json

measure() { # label, command...
  local label=$1; shift
  local walls=() rsss=()
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -v "$@" >/dev/null; } 2>&1 )
    wall=$(grep 'Elapsed (wall clock)' <<<"$out" | awk '{print $NF}' | awk -F: '{ if (NF==3) print ($1*3600+$2*60+$3)*1000; else print ($1*60+$2)*1000 }')
    rss=$(grep 'Maximum resident set size' <<<"$out" | awk '{print $NF}')
    walls+=("$wall"); rsss+=("$rss")
  done
  local mw mr
  mw=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mr=$(printf '%s\n' "${rsss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s wall %6.0f ms   peak RSS %7.1f MiB\n' "$label" "$mw" "$(echo "$mr / 1024" | bc -l)"
  echo "$mw $mr" > ".tmp/bench-$label"
}

mkdir -p .tmp
measure floor node -e "require('@pulumi/pulumi')"
for stack in dev staging prod; do
  measure "$stack" node bench/evaluate.cjs "$stack"
done
read -r fw fr < .tmp/bench-floor
for stack in dev staging prod; do
  read -r w r < ".tmp/bench-$stack"
  printf '%-8s %.2fx floor time, %.2fx floor memory\n' "$stack" "$(echo "$w / $fw" | bc -l)" "$(echo "$r / $fr" | bc -l)"
done
