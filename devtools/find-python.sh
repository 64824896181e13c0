#!/usr/bin/env sh
# Print a Python 3.12 interpreter: Chalice packages for the Lambda runtime matching the Python that runs it,
# and the design card says python3.12. Falls back to python3 (with a warning) so the app still runs.
for candidate in python3.12 "$(pyenv root 2>/dev/null)/versions/3.12"*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
  if [ -n "$candidate" ] && "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
    echo "$candidate"
    exit 0
  fi
done
echo "warning: Python 3.12 not found; using python3 (deployment packages would then target its version)" >&2
command -v python3
