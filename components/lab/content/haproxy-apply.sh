#!/bin/bash
# haproxy-lab-apply: check a staged haproxy.cfg, install it atomically, reload HAProxy.
#
# One script for every path a config takes: cloud-init runs it at first boot (installed as
# /usr/local/sbin/haproxy-lab-apply), the AWS stack's config push runs it over SSH, and the local
# lab runs this very file. A config that fails `haproxy -c` never replaces the running one.
set -euo pipefail

readonly PROG=haproxy-lab-apply

usage() {
  cat <<'EOF'
Usage: haproxy-lab-apply --staged FILE [--target FILE] [--reload MODE] [--haproxy BIN] [--check-only]

Checks FILE with `haproxy -c -f FILE`. Only when the check passes, installs it as the target
(copy to a temporary file in the target's directory, then an atomic rename; the target gets the
staged file's mode, and its owner when run as root) and reloads HAProxy. When the check fails the
target is left untouched, the reason goes to stderr and to syslog (tag haproxy-lab), and the exit
status is 1, so cloud-init (or the caller) reports the failure.

Options:
  --staged FILE   the candidate configuration (required)
  --target FILE   the configuration HAProxy runs (default: /etc/haproxy/haproxy.cfg)
  --reload MODE   how to make HAProxy use it (default: systemd):
                    systemd    enable haproxy at boot; `systemctl reload` when it is active,
                               `systemctl restart` when it is not
                    pid:FILE   send SIGUSR2 to the master process whose PID is in FILE
                               (haproxy -W / master-worker: a seamless reload)
                    none       install only
  --haproxy BIN   the haproxy binary (default: haproxy on PATH)
  --check-only    check the staged file and stop; installs and reloads nothing
  -h, --help      show this help

Exit status: 0 applied (or, with --check-only, valid); 1 the check failed or could not run
(target untouched); 2 usage error; 3 install failed (target untouched); 4 reload failed
(the new, checked configuration is installed).
EOF
}

# log LEVEL MESSAGE: to syslog (when logger works) and to stdout, or stderr for errors.
log() {
  local level=$1
  shift
  if command -v logger >/dev/null 2>&1; then
    logger -t haproxy-lab -p "daemon.$level" -- "$*" 2>/dev/null || true
  fi
  if [[ $level == err ]]; then
    printf '%s: %s\n' "$PROG" "$*" >&2
  else
    printf '%s: %s\n' "$PROG" "$*"
  fi
}

usage_error() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  printf 'Run %s --help for usage.\n' "$PROG" >&2
  exit 2
}

staged=""
target="/etc/haproxy/haproxy.cfg"
reload="systemd"
haproxy_bin="haproxy"
check_only=0

while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --check-only) check_only=1; shift ;;
    --staged | --target | --reload | --haproxy)
      (($# >= 2)) || usage_error "$1 needs a value"
      case $1 in
        --staged) staged=$2 ;;
        --target) target=$2 ;;
        --reload) reload=$2 ;;
        --haproxy) haproxy_bin=$2 ;;
        *) usage_error "unknown option '$1'" ;;
      esac
      shift 2
      ;;
    --staged=* ) staged=${1#*=}; shift ;;
    --target=* ) target=${1#*=}; shift ;;
    --reload=* ) reload=${1#*=}; shift ;;
    --haproxy=* ) haproxy_bin=${1#*=}; shift ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

[[ -n $staged ]] || usage_error "--staged FILE is required (the configuration to check and install)"
[[ -f $staged && -r $staged ]] || usage_error "--staged $staged is not a readable file"
[[ -n $target ]] || usage_error "--target needs a file name"
target_dir=$(dirname -- "$target")
[[ -d $target_dir ]] || usage_error "--target $target: directory $target_dir does not exist"
[[ ! -d $target ]] || usage_error "--target $target is a directory; name the configuration file"
pid_file=""
case $reload in
  systemd | none) ;;
  pid:?*) pid_file=${reload#pid:} ;;
  *) usage_error "--reload '$reload' is not one of: systemd, pid:FILE, none" ;;
esac

if ! command -v "$haproxy_bin" >/dev/null 2>&1; then
  log err "cannot check $staged: '$haproxy_bin' not found (install the haproxy package, or pass --haproxy BIN); $target left untouched"
  exit 1
fi

# One apply at a time per target directory (first boot and a config push may overlap).
# Locking the directory itself leaves no lock file behind.
if command -v flock >/dev/null 2>&1; then
  exec 9<"$target_dir"
  if ! flock -w 60 9; then
    log err "another haproxy-lab-apply still holds the lock on $target_dir after 60 s; nothing changed"
    exit 3
  fi
fi

if ! check_output=$("$haproxy_bin" -c -f "$staged" 2>&1); then
  log err "REFUSED $staged: 'haproxy -c' failed; $target left untouched"
  # The checker's own words, line by line, so the log shows which line of the file is wrong.
  while IFS= read -r line; do
    [[ -n $line ]] && log err "haproxy -c: $line"
  done <<<"$check_output"
  exit 1
fi

if ((check_only)); then
  log info "$staged is valid (haproxy -c); --check-only: nothing installed"
  exit 0
fi

digest=$(sha256sum -- "$staged" | cut -c1-12)
if [[ -f $target ]] && cmp -s -- "$staged" "$target"; then
  log info "$target already matches $staged (sha256 $digest)"
else
  tmp=$(mktemp "$target_dir/.$(basename -- "$target").XXXXXX") || { log err "cannot create a temporary file in $target_dir; $target left untouched"; exit 3; }
  trap 'rm -f -- "$tmp"' EXIT
  if ! { cp -- "$staged" "$tmp" && chmod --reference="$staged" -- "$tmp"; }; then
    log err "cannot copy $staged to $tmp; $target left untouched"
    exit 3
  fi
  if ((EUID == 0)) && ! chown --reference="$staged" -- "$tmp"; then
    log err "cannot give $tmp the owner of $staged; $target left untouched"
    exit 3
  fi
  # rename(2) within one directory: readers see the old file or the new one, never half of one.
  if ! mv -f -- "$tmp" "$target"; then
    log err "cannot move $tmp over $target; $target left untouched"
    exit 3
  fi
  trap - EXIT
  log info "installed $staged as $target (sha256 $digest)"
fi

case $reload in
  none)
    log info "not reloading (--reload none)"
    ;;
  systemd)
    if ! systemctl enable --quiet haproxy; then
      log err "systemctl enable haproxy failed (is systemd running here? use --reload pid:FILE or none otherwise)"
      exit 4
    fi
    if systemctl is-active --quiet haproxy; then
      action=reload
    else
      action=restart
    fi
    if ! systemctl "$action" haproxy; then
      log err "systemctl $action haproxy failed; see: journalctl -u haproxy"
      exit 4
    fi
    log info "haproxy ${action}ed by systemd with $target (sha256 $digest)"
    ;;
  pid:*)
    pid=""
    if [[ -r $pid_file ]]; then
      read -r pid <"$pid_file" || true
    fi
    if [[ ! $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
      log err "no running haproxy master with the PID in $pid_file ('$pid'); start it with: haproxy -W -D -p $pid_file -f $target"
      exit 4
    fi
    if ! kill -USR2 "$pid"; then
      log err "cannot signal haproxy master $pid (SIGUSR2)"
      exit 4
    fi
    log info "signalled haproxy master $pid (SIGUSR2) to reload $target (sha256 $digest)"
    ;;
  *) usage_error "--reload '$reload' is not one of: systemd, pid:FILE, none" ;;
esac
exit 0
