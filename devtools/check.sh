#!/usr/bin/env bash
# Every check of `make test`, each run even if an earlier one failed, then one summary. Exit 1 on any failure.
# The last line printed is pytest's own result line (e.g. "78 passed in 9.1s"), which CI reads.
set -u
py="$1"
pytest_log=$(mktemp)
trap 'rm -f "$pytest_log"' EXIT
declare -a results
record() {
  if [[ $2 -eq 0 ]]; then results+=("PASS  $1"); else results+=("FAIL  $1"); fi
}
run_check() {
  local name="$1"; shift
  echo "==> $name"
  "$@"
  record "$name" $?
}
run_check "ruff check" "$py" -m ruff check .
run_check "ruff format --check" "$py" -m ruff format --check .
run_check "mypy (chalicelib; strict on domain/ and services/)" "$py" -m mypy
run_check "IAM policy matches table definitions" "$py" -m devtools.iam_policy --check
run_check "route table matches route modules" "$py" -m devtools.route_table --check
run_check "docs/security.md access tables match the access policy and routes" "$py" -m devtools.security_doc --check
run_check "pages call services, never the store (no store. in chalicelib/web)" bash -c '! grep -rn "store\." chalicelib/web'
run_check "complexity: functions <= 15 (radon), modules <= 800 lines in chalicelib/" "$py" -m devtools.check_complexity
run_check "infra templates match table definitions" "$py" -m devtools.infra --check
run_check "message catalogues: every id the code uses translated in zh_CN and en, none unused, .mo files compiled" "$py" -m devtools.check_messages --strict-unused
run_check "deployment: chalice package (prod), cfn-lint, tables and roles, package size" "$py" -m devtools.deploy_check
# The page scripts' rules without a page (tests/js/*.test.js), in node's own test runner: no npm packages.
page_scripts() {
  if ! command -v node >/dev/null 2>&1; then
    echo "node not found: the page scripts are tested with node --test (install Node.js 20 or newer, e.g. apt-get install nodejs)" >&2
    return 1
  fi
  node --test tests/js/*.test.js
}
run_check "page scripts (node --test)" page_scripts
run_check "fuzz: schemathesis on the dev server as each demo role and signed out" "$py" -m devtools.fuzz
echo "==> pytest"
"$py" -m pytest 2>&1 | tee "$pytest_log"
record "pytest (unit, integration on DynamoDB Local, HTTP through chalice.test.Client)" "${PIPESTATUS[0]}"
echo
echo "Summary:"
printf '  %s\n' "${results[@]}"
echo
grep -E '^=+ .*(passed|failed|error).* =+$' "$pytest_log" | tail -n 1 | sed -E 's/^=+ (.*) =+$/\1/'
for line in "${results[@]}"; do [[ $line == FAIL* ]] && exit 1; done
exit 0
