#!/usr/bin/env bash
# Install the Debian tools the tests and the build need:
#   rapper (raptor2-utils), virtuoso-t and isql-vt (virtuoso-opensource),
#   chromium and chromedriver (chromium, chromium-driver),
#   apache2 (Apache httpd, which the tests start over a built site to check
#   its content-negotiation rules).
#
# Idempotent and non-interactive (safe with no stdin, as in CI). If every
# binary is already on PATH, apt is not touched at all.
#
# The Debian package's own Virtuoso service is kept from running: its stock
# ini listens on all interfaces on 1111/8890 with the well-known password
# dba/dba, and the tests use a private instance from scripts/virtuoso.sh.
# So is Apache's: its stock config listens on port 80 on all interfaces, and
# the tests start their own httpd on a loopback port with a config of theirs.
set -euo pipefail

PACKAGES=(raptor2-utils virtuoso-opensource chromium chromium-driver apache2)
BINARIES=(rapper virtuoso-t isql-vt chromium chromedriver apache2)
SERVICES=(virtuoso-opensource-7 apache2 apache-htcacheclean)

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

# Stop and disable a packaged service if something started it (postinst on a
# systemd host, an earlier install, a reboot). Harmless when it is not there.
neutralise_system_service() {
    local service="$1" pidfile
    [[ -e "/etc/init.d/$service" || -e "/lib/systemd/system/$service.service" ]] || return 0
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        if systemctl is-active --quiet "$service" 2>/dev/null; then
            say "stopping the system $service service"
            "${SUDO[@]}" systemctl stop "$service" || true
        fi
        if systemctl is-enabled --quiet "$service" 2>/dev/null; then
            say "disabling the system $service service"
            "${SUDO[@]}" systemctl disable "$service" >/dev/null 2>&1 || true
        fi
    else
        pidfile="/var/run/$service.pid"
        [[ "$service" == apache2 ]] && pidfile=/var/run/apache2/apache2.pid
        if [[ -e "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            say "stopping the system $service service"
            "${SUDO[@]}" "/etc/init.d/$service" stop >/dev/null 2>&1 || true
        fi
        if compgen -G "/etc/rc[2345].d/S*$service" >/dev/null; then
            say "disabling the system $service service"
            "${SUDO[@]}" update-rc.d "$service" disable >/dev/null 2>&1 || true
        fi
    fi
}

neutralise_system_services() {
    local service
    for service in "${SERVICES[@]}"; do
        neutralise_system_service "$service"
    done
}

report_versions() {
    say "rapper:       $(rapper --version 2>/dev/null | head -n1)"
    say "virtuoso-t:   $(virtuoso-t --help 2>&1 | sed -n 's/^Version //p' | head -n1)"
    say "isql-vt:      $(command -v isql-vt)"
    say "chromium:     $(chromium --version 2>/dev/null | head -n1)"
    say "chromedriver: $(chromedriver --version 2>/dev/null | head -n1)"
    say "apache2:      $(apache2 -v 2>/dev/null | sed -n 's/^Server version: //p')"
}

missing="$(missing_binaries)"
# J20_FORCE_APT=1 runs apt even when everything is present (to upgrade, or to
# re-run the package scripts).
if [[ -z "$missing" && -z "${J20_FORCE_APT:-}" ]]; then
    say "all of ${BINARIES[*]} already present; skipping apt"
    neutralise_system_services
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
neutralise_system_services

missing="$(missing_binaries)"
if [[ -n "$missing" ]]; then
    say "still missing after install: $missing"
    exit 1
fi
say "installed ${PACKAGES[*]}"
report_versions
