#!/usr/bin/env bash
# rxwire's throwaway Cyrus IMAP, the second real server of the IMAP interop tests.
#   scripts/cyrus.sh install|start|stop|status|conf
# Debian's cyrus-imapd conflicts with dovecot-imapd, so Cyrus is never apt-installed:
# `install` downloads the cyrus-imapd, cyrus-common and sasl2-bin .debs, unpacks them with
# dpkg -x into $RXWIRE_CYRUS_ROOT (default <repo>/.cache/cyrus, gitignored) and, as root,
# apt-installs the shared libraries they need that are missing (none of them conflict with
# Dovecot). `start` runs install when the unpacked tree is missing.
# The server runs on 127.0.0.1 only, everything (config, spool, sasldb, TLS cert) in one dir.
# Environment (all optional):
#   RXWIRE_CYRUS_DIR       working dir            (default: ${TMPDIR:-/tmp}/rxwire-cyrus-$RXWIRE_CYRUS_PORT)
#   RXWIRE_CYRUS_PORT      plain + STARTTLS port  (default 2143)
#   RXWIRE_CYRUSS_PORT     implicit TLS port      (default 2993)
#   RXWIRE_IMAP_USERS      "user:password ..."    (default: those of test/setup/dovecot.ts)
#   RXWIRE_CYRUS_FRESH=1   wipes mail and state on start
# As root, the daemon runs as `nobody` (RXWIRE_CYRUS_USER) through setpriv, like scripts/dovecot.sh.
# Mailboxes are created on first login (autocreate_quota); passwords live in a sasldb.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${RXWIRE_CYRUS_ROOT:-$REPO/.cache/cyrus}
PORT=${RXWIRE_CYRUS_PORT:-2143}
TLS_PORT=${RXWIRE_CYRUSS_PORT:-2993}
DIR=${RXWIRE_CYRUS_DIR:-${TMPDIR:-/tmp}/rxwire-cyrus-$PORT}
USERS=${RXWIRE_IMAP_USERS:-"alice:alicepw bob:bobpw carol:carolpw bench:benchpw interop:interoppw regress:regresspw watcher:watcherpw"}
CONF="$DIR/imapd.conf"
MASTER_CONF="$DIR/cyrus.conf"
PIDFILE="$DIR/run/master.pid"
BIN="$ROOT/usr/lib/cyrus/bin"
# the multiarch triplet (x86_64-linux-gnu, aarch64-linux-gnu, ...): where this system's libc lives
MULTIARCH=$(basename "$(dirname "$(ldd /bin/sh | awk '/libc\.so/ {print $3}')")")
LIBDIR="$ROOT/usr/lib/$MULTIARCH"
DEBS=(cyrus-imapd cyrus-common sasl2-bin)
# libraries of the unpacked packages' Depends that the test server never loads (virus scanner, Zephyr
# notifications): not installed, to keep the download small
SKIP_LIBS='^(libclamav[0-9]*|libzephyr[0-9]*)$'
# the binaries the test server runs; ldd must resolve all of their libraries
NEEDED=(master imapd idled ctl_cyrusdb)

if [ "$(id -u)" = 0 ]; then
  OWNER=${RXWIRE_CYRUS_USER:-nobody}
  OWNER_UID=$(id -u "$OWNER"); OWNER_GID=$(id -g "$OWNER")
  RUN=(setpriv "--reuid=$OWNER_UID" "--regid=$OWNER_GID" --clear-groups --)
else
  OWNER=$(id -un); OWNER_UID=$(id -u); OWNER_GID=$(id -g); RUN=()
fi
OWNER_GROUP=$(getent group "$OWNER_GID" | cut -d: -f1)
export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

is_running() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

missing_libs() {
  local b
  for b in "${NEEDED[@]}"; do ldd "$BIN/$b" 2>/dev/null | awk '/not found/ {print $1}'; done
  ldd "$ROOT/usr/sbin/saslpasswd2" 2>/dev/null | awk '/not found/ {print $1}'
  [ -e "/usr/lib/$MULTIARCH/sasl2/libsasldb.so" ] || echo "sasl2/libsasldb.so"
  [ -e "/usr/lib/$MULTIARCH/sasl2/libplain.so" ] || echo "sasl2/libplain.so"
}

install_cyrus() {
  if [ ! -x "$BIN/imapd" ] || [ ! -x "$ROOT/usr/sbin/saslpasswd2" ] || [ ! -s "$ROOT/.libs" ]; then
    local tmp deb new="$ROOT.new.$$"
    tmp=$(mktemp -d)
    # as root apt would otherwise try (and warn about) its unprivileged _apt sandbox user
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "${DEBS[@]}" >/dev/null) || {
      echo "apt-get download ${DEBS[*]} failed: run apt-get update first" >&2; rm -rf "$tmp"; exit 3; }
    rm -rf "$new"; mkdir -p "$new"
    for deb in "$tmp"/*.deb; do
      dpkg -x "$deb" "$new"
      # the library packages among its Depends (first of each alternative, without versions)
      dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g; s/:any$//' \
        | grep -E '^lib' | grep -vE "$SKIP_LIBS" >> "$new/.libs" || true
    done
    # the SASL mechanisms (PLAIN, LOGIN) and the sasldb backend are plugins, not NEEDED entries
    printf '%s\n' libsasl2-modules libsasl2-modules-db >> "$new/.libs"
    sort -u -o "$new/.libs" "$new/.libs"
    rm -rf "$tmp"
    # a concurrent install may have finished first: then keep its tree
    if [ -x "$BIN/imapd" ] && [ -s "$ROOT/.libs" ]; then rm -rf "$new"; else rm -rf "$ROOT"; mv "$new" "$ROOT"; fi
  fi
  if [ -n "$(missing_libs)" ]; then
    # only the ones not installed at all: upgrading installed libraries would drag their reverse
    # dependencies along (and take minutes)
    local libs=() lib
    while read -r lib; do
      dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q 'install ok installed' || libs+=("$lib")
    done < "$ROOT/.libs"
    if [ "$(id -u)" != 0 ]; then
      echo "Cyrus needs these libraries: $(missing_libs | sort -u | tr '\n' ' ')(as root: apt-get install ${libs[*]})" >&2; exit 3
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${libs[@]}" >/dev/null
    if [ -n "$(missing_libs)" ]; then
      echo "Cyrus still misses libraries after apt-get install: $(missing_libs | sort -u | tr '\n' ' ')" >&2; exit 3
    fi
  fi
  echo "cyrus $(cat "$ROOT/usr/lib/cyrus/cyrus-hardwired-config.txt" 2>/dev/null | awk '/PACKAGE_VERSION/ {print $2}') unpacked in $ROOT"
}

configure() {
  mkdir -p "$DIR/run" "$DIR/conf" "$DIR/conf/socket" "$DIR/conf/proc" "$DIR/conf/log" "$DIR/spool" "$DIR/tls" "$DIR/tmp"
  if [ ! -s "$DIR/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1
  fi
  rm -f "$DIR/sasldb2"
  for entry in $USERS; do
    printf '%s' "${entry#*:}" | "$ROOT/usr/sbin/saslpasswd2" -p -c -f "$DIR/sasldb2" -u localhost "${entry%%:*}"
  done
  cat > "$CONF" <<CONF
configdirectory: $DIR/conf
partition-default: $DIR/spool
defaultpartition: default
temp_path: $DIR/tmp
idlesocket: $DIR/conf/socket/idle
lmtpsocket: $DIR/conf/socket/lmtp
notifysocket: $DIR/conf/socket/notify
syslog_prefix: rxwire-cyrus-$PORT
servername: localhost
# the (unprivileged) user Cyrus would otherwise look up as "cyrus"
cyrus_user: $OWNER
cyrus_group: $OWNER_GROUP
# the same mailbox naming as the test Dovecot: "/" separator, personal folders at top level
unixhierarchysep: yes
altnamespace: yes
# INBOX is created on first login, without a quota
autocreate_quota: 0
# passwords from a sasldb written by saslpasswd2 (realm = servername)
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $DIR/sasldb2
sasl_mech_list: PLAIN LOGIN
allowplaintext: yes
# tests log in with wrong passwords on purpose
failedloginpause: 0
# IDLE: idled pushes changes; polling once a second is the fallback
imapidlepoll: 1
tls_server_cert: $DIR/tls/cert.pem
tls_server_key: $DIR/tls/key.pem
tls_versions: tls1_2 tls1_3
CONF
  cat > "$MASTER_CONF" <<CONF
START {
  recover cmd="$BIN/ctl_cyrusdb -C $CONF -r"
}
SERVICES {
  imap  cmd="$BIN/imapd -C $CONF" listen="127.0.0.1:$PORT" prefork=0 maxchild=200
  imaps cmd="$BIN/imapd -C $CONF -s" listen="127.0.0.1:$TLS_PORT" prefork=0 maxchild=100
}
EVENTS {
  checkpoint cmd="$BIN/ctl_cyrusdb -C $CONF -c" period=30
}
DAEMON {
  idled cmd="$BIN/idled -C $CONF"
}
CONF
  chown -R "$OWNER_UID:$OWNER_GID" "$DIR"
  chmod 700 "$DIR"
  chmod 755 "$DIR/tls"; chmod 644 "$DIR/tls/cert.pem"
}

case "${1:-}" in
  install) install_cyrus ;;
  start)
    if is_running; then echo "cyrus already running, pid $(cat "$PIDFILE"), dir $DIR"; exit 0; fi
    install_cyrus >/dev/null
    if [ "${RXWIRE_CYRUS_FRESH:-0}" = 1 ]; then rm -rf "$DIR/conf" "$DIR/spool"; fi
    configure
    # -d: daemonize; detach from our stdout/stderr so callers waiting for them to close never hang
    "${RUN[@]}" env LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$BIN/master" -C "$CONF" -M "$MASTER_CONF" -p "$PIDFILE" -d \
      </dev/null >>"$DIR/start.log" 2>&1
    for _ in $(seq 100); do
      if is_running && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "cyrus pid $(cat "$PIDFILE") on 127.0.0.1:$PORT (imap+starttls) and :$TLS_PORT (imaps), dir $DIR, users: $(for e in $USERS; do printf "%s " "${e%%:*}"; done)"
        exit 0
      fi
      sleep 0.1
    done
    echo "cyrus did not start; output follows (Cyrus logs to syslog: without /dev/log its reasons are lost)" >&2
    tail -n 40 "$DIR/start.log" >&2 || true
    "${RUN[@]}" env LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$BIN/cyr_info" -C "$CONF" -M "$MASTER_CONF" conf-lint >&2 || true
    exit 1 ;;
  stop)
    if ! is_running; then echo "cyrus not running"; exit 0; fi
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || { echo "cyrus stopped (pid $pid)"; exit 0; }; sleep 0.1; done
    # master runs in its own session (-d): its process group holds imapd and idled too
    if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
    echo "cyrus killed (pid $pid)" ;;
  status)
    if is_running; then echo "running, pid $(cat "$PIDFILE"), dir $DIR"; else echo "not running"; exit 1; fi ;;
  conf) echo "$CONF" ;;
  *) echo "usage: $0 install|start|stop|status|conf" >&2; exit 2 ;;
esac
