#!/usr/bin/env bash
# Every check of `make test`, each run even if an earlier one failed, then one summary. Exit 1 on any failure.
set -u
py="$1"
declare -a names results
run_check() {
  local name="$1"; shift
  echo "==> $name"
  if "$@"; then results+=("PASS  $name"); else results+=("FAIL  $name"); fi
}
run_check "pytest (unit, integration on DynamoDB Local, HTTP)" "$py" -m pytest
run_check "ruff check" "$py" -m ruff check .
run_check "ruff format --check" "$py" -m ruff format --check .
run_check "IAM policy matches table definitions" "$py" -m devtools.iam_policy --check
echo
echo "Summary:"
printf '  %s\n' "${results[@]}"
for line in "${results[@]}"; do [[ $line == FAIL* ]] && exit 1; done
exit 0
