#!/usr/bin/env bash
# The Debian packages the lab and its tests run against. Installs the missing ones when run as
# root (without letting Debian's maintainer scripts start apache2/haproxy/nginx on *:80);
# otherwise prints the command and fails. Used by `npm test` (pretest) and by .ci/run.
set -euo pipefail

# command-or-file : Debian package
wanted=(
  "haproxy:haproxy"
  "apache2:apache2"
  "/usr/lib/apache2/modules/libphp8.2.so:libapache2-mod-php"
  "php:php-cli"
  "cloud-init:cloud-init"
  "chromium:chromium"
  "wrk:wrk"
  "nginx:nginx-light"
  "curl:curl"
  "openssl:openssl"
  "ss:iproute2"
  "shellcheck:shellcheck"
)
missing=()
for pair in "${wanted[@]}"; do
  probe=${pair%%:*}; pkg=${pair##*:}
  if [[ $probe == /* ]]; then [[ -e $probe ]] || missing+=("$pkg")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg"); fi
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "The tests run against real software that is missing here: ${missing[*]}" >&2
  echo "Install it with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing the Debian packages the tests need: ${missing[*]} (apt-get)…"
created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; created_policy=1
fi
remove_policy() { if ((created_policy)); then rm -f /usr/sbin/policy-rc.d; fi; }
trap remove_policy EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/haproxy-lab-apt.log 2>&1 \
  || { tail -n 40 /tmp/haproxy-lab-apt.log; exit 1; }
