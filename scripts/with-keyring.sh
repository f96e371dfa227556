#!/usr/bin/env bash
# Runs a command with a real, unlocked OS keychain (Secret Service via gnome-keyring on a private D-Bus
# session), so keychain tests are real. Reuses an existing session bus when one is already there.
set -euo pipefail
if [ -n "${CERTDESK_KEYRING_READY:-}" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "error: the tests need dbus and gnome-keyring (run: bash .ci/setup)" >&2
  exit 1
fi
export CERTDESK_KEYRING_READY=1
# The keyring lives in a throwaway home so tests never touch the user's real keychain.
KHOME="$(mktemp -d)"
trap 'rm -rf "$KHOME"' EXIT
export XDG_DATA_HOME="$KHOME/data" XDG_RUNTIME_DIR="$KHOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- bash -c 'echo -n certdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' bash "$@"
