#!/usr/bin/env bash
# Check (and, as root, install) the Debian packages the portal needs.
#   scripts/system-deps.sh run    - what `make run` needs (venv, WeasyPrint's libraries, a font)
#   scripts/system-deps.sh test   - the above plus what the test suite needs
#                                   (chromium, poppler-utils, gettext, redis-server)
set -euo pipefail
purpose=${1:-run}

missing=()
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing+=("$1"); }

# The interpreter the Makefile builds the virtualenv from (Debian's own when present).
python=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3 )}
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  missing+=("python3-venv")
fi
need_pkg libpango-1.0-0
need_pkg libpangoft2-1.0-0
need_pkg libharfbuzz-subset0
need_pkg fonts-dejavu-core
if [ "$purpose" = test ]; then
  need_pkg chromium
  need_pkg poppler-utils
  need_pkg gettext
  need_pkg redis-server  # the fault tests start a private Redis to pause and kill
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
