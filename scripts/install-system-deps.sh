#!/usr/bin/env bash
# Install the Debian tools the tests and the build need:
#   rapper (raptor2-utils), virtuoso-t and isql-vt (virtuoso-opensource),
#   chromium and chromedriver (chromium, chromium-driver).
#
# Idempotent and non-interactive (safe with no stdin, as in CI). If every
# binary is already on PATH, apt is not touched at all.
#
# The Debian package's own Virtuoso service is kept from running: its stock
# ini listens on all interfaces on 1111/8890 with the well-known password
# dba/dba, and the tests use a private instance from scripts/virtuoso.sh.
set -euo pipefail

PACKAGES=(raptor2-utils virtuoso-opensource chromium chromium-driver)
BINARIES=(rapper virtuoso-t isql-vt chromium chromedriver)
SERVICE=virtuoso-opensource-7

say() { printf 'install-system-deps: %s\n' "$*"; }

SUDO=()
if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { say "must run as root (or have sudo)"; exit 1; }
    SUDO=(sudo -n)
fi

missing_binaries() {
    local b out=()
    for b in "${BINARIES[@]}"; do
        command -v "$b" >/dev/null 2>&1 || out+=("$b")
    done
    echo "${out[*]}"
}

# Stop and disable the packaged service if something started it (postinst on a
# systemd host, an earlier install, a reboot). Harmless when it is not there.
neutralise_system_service() {
    [[ -e "/etc/init.d/$SERVICE" || -e "/lib/systemd/system/$SERVICE.service" ]] || return 0
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        if systemctl is-active --quiet "$SERVICE" 2>/dev/null; then
            say "stopping the system $SERVICE service"
            "${SUDO[@]}" systemctl stop "$SERVICE" || true
        fi
        if systemctl is-enabled --quiet "$SERVICE" 2>/dev/null; then
            say "disabling the system $SERVICE service"
            "${SUDO[@]}" systemctl disable "$SERVICE" >/dev/null 2>&1 || true
        fi
    else
        if [[ -e "/var/run/$SERVICE.pid" ]] && kill -0 "$(cat "/var/run/$SERVICE.pid")" 2>/dev/null; then
            say "stopping the system $SERVICE service"
            "${SUDO[@]}" "/etc/init.d/$SERVICE" stop >/dev/null 2>&1 || true
        fi
        if compgen -G "/etc/rc[2345].d/S*$SERVICE" >/dev/null; then
            say "disabling the system $SERVICE service"
            "${SUDO[@]}" update-rc.d "$SERVICE" disable >/dev/null 2>&1 || true
        fi
    fi
}

report_versions() {
    say "rapper:       $(rapper --version 2>/dev/null | head -n1)"
    say "virtuoso-t:   $(virtuoso-t --help 2>&1 | sed -n 's/^Version //p' | head -n1)"
    say "isql-vt:      $(command -v isql-vt)"
    say "chromium:     $(chromium --version 2>/dev/null | head -n1)"
    say "chromedriver: $(chromedriver --version 2>/dev/null | head -n1)"
}

missing="$(missing_binaries)"
# J20_FORCE_APT=1 runs apt even when everything is present (to upgrade, or to
# re-run the package scripts).
if [[ -z "$missing" && -z "${J20_FORCE_APT:-}" ]]; then
    say "all of ${BINARIES[*]} already present; skipping apt"
    neutralise_system_service
    report_versions
    exit 0
fi
say "missing: ${missing:-nothing (J20_FORCE_APT set)}; installing ${PACKAGES[*]}"

export DEBIAN_FRONTEND=noninteractive
# The package's config script asks for a DBA password. An empty answer is the
# documented "leave the defaults" choice; preseeding it (and the frontend
# above) keeps dpkg from waiting on a terminal that is not there.
"${SUDO[@]}" debconf-set-selections <<'EOF'
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password
EOF

# The postinst starts the service to set that password. A policy-rc.d that
# answers 101 ("action forbidden") stops invoke-rc.d from starting anything
# during this one transaction; one the admin already has is left alone.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
    if ((created_policy)); then
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap cleanup EXIT
if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\n# Temporary, from january20 scripts/install-system-deps.sh\nexit 101\n' \
        | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    created_policy=1
fi

# Another apt/dpkg (unattended-upgrades, a parallel provisioning step) may
# hold the lock; wait for it instead of failing.
APT_OPTS=(-o DPkg::Lock::Timeout=900)
say "apt-get update"
"${SUDO[@]}" apt-get "${APT_OPTS[@]}" update </dev/null
say "apt-get install"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y \
    --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${PACKAGES[@]}" </dev/null

cleanup
created_policy=0
neutralise_system_service

missing="$(missing_binaries)"
if [[ -n "$missing" ]]; then
    say "still missing after install: $missing"
    exit 1
fi
say "installed ${PACKAGES[*]}"
report_versions
