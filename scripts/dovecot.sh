#!/usr/bin/env bash
# rxwire's throwaway Dovecot for the IMAP integration tests and benchmarks.
#   scripts/dovecot.sh start|stop|status|conf
# Runs on 127.0.0.1 only, everything (config, state, Maildirs, TLS cert, log) in one temp dir.
# Environment (all optional):
#   RXWIRE_DOVECOT_DIR   working dir            (default: ${TMPDIR:-/tmp}/rxwire-dovecot-$RXWIRE_IMAP_PORT)
#   RXWIRE_IMAP_PORT     plain + STARTTLS port  (default 1143)
#   RXWIRE_IMAPS_PORT    implicit TLS port      (default 1993)
#   RXWIRE_IMAP_USERS    "user:password ..."    (default "alice:alicepw bob:bobpw carol:carolpw bench:benchpw")
#   RXWIRE_DOVECOT_FRESH=1 wipes mail and state on start
# As root, Dovecot refuses to run mail processes as root, so the daemon runs as `nobody`
# (RXWIRE_DOVECOT_USER) through setpriv. Stop sends SIGTERM to the master PID, then SIGKILL.
set -euo pipefail
IMAP_PORT=${RXWIRE_IMAP_PORT:-1143}
IMAPS_PORT=${RXWIRE_IMAPS_PORT:-1993}
DIR=${RXWIRE_DOVECOT_DIR:-${TMPDIR:-/tmp}/rxwire-dovecot-$IMAP_PORT}
USERS=${RXWIRE_IMAP_USERS:-"alice:alicepw bob:bobpw carol:carolpw bench:benchpw"}
CONF="$DIR/dovecot.conf"
PIDFILE="$DIR/run/master.pid"

if [ "$(id -u)" = 0 ]; then
  OWNER=${RXWIRE_DOVECOT_USER:-nobody}
  OWNER_UID=$(id -u "$OWNER"); OWNER_GID=$(id -g "$OWNER")
  RUN=(setpriv "--reuid=$OWNER_UID" "--regid=$OWNER_GID" --clear-groups --)
else
  OWNER=$(id -un); OWNER_UID=$(id -u); OWNER_GID=$(id -g); RUN=()
fi
OWNER_GROUP=$(getent group "$OWNER_GID" | cut -d: -f1)

is_running() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

configure() {
  command -v dovecot >/dev/null || { echo "dovecot is not installed: apt-get install -y dovecot-imapd" >&2; exit 3; }
  mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail" "$DIR/tls"
  if [ ! -s "$DIR/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1
  fi
  : > "$DIR/passwd"
  for entry in $USERS; do printf '%s:{PLAIN}%s::::::\n' "${entry%%:*}" "${entry#*:}" >> "$DIR/passwd"; done
  cat > "$CONF" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $DIR/run
state_dir = $DIR/state
instance_name = rxwire-dovecot-$IMAP_PORT
# process titles carry user and state (".../imap [carol 127.0.0.1 IDLE]"): tests find a session to kill by them
verbose_proctitle = yes
log_path = $DIR/dovecot.log
default_internal_user = $OWNER
default_internal_group = $OWNER_GROUP
default_login_user = $OWNER
first_valid_uid = 1
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests log in with wrong passwords on purpose: no failure delay, and no per-IP auth
# penalty (the auth process cannot open anvil's penalty socket, so it disables penalties).
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/passwd
}
userdb {
  driver = static
  args = uid=$OWNER_UID gid=$OWNER_GID home=$DIR/mail/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
protocol imap {
  mail_plugins = \$mail_plugins imap_zlib
  mail_max_userip_connections = 200
  imap_idle_notify_interval = 2 mins
}
mailbox_idle_check_interval = 1 secs
CONF
  chown -R "$OWNER_UID:$OWNER_GID" "$DIR"
  chmod 700 "$DIR"
  chmod 755 "$DIR/tls"; chmod 644 "$DIR/tls/cert.pem"
}

case "${1:-}" in
  start)
    if is_running; then echo "dovecot already running, pid $(cat "$PIDFILE"), dir $DIR"; exit 0; fi
    if [ "${RXWIRE_DOVECOT_FRESH:-0}" = 1 ]; then rm -rf "$DIR/mail" "$DIR/state"; fi
    configure
    # detach from our stdout/stderr: callers that wait for them to close (execFileSync) must not hang
    "${RUN[@]}" dovecot -c "$CONF" </dev/null >>"$DIR/start.log" 2>&1
    for _ in $(seq 100); do
      if is_running && (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null; then
        echo "dovecot pid $(cat "$PIDFILE") on 127.0.0.1:$IMAP_PORT (imap+starttls) and :$IMAPS_PORT (imaps), dir $DIR"
        exit 0
      fi
      sleep 0.1
    done
    echo "dovecot did not start; log follows" >&2
    tail -n 40 "$DIR/dovecot.log" >&2 || true
    exit 1 ;;
  stop)
    if ! is_running; then echo "dovecot not running"; exit 0; fi
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || { echo "dovecot stopped (pid $pid)"; exit 0; }; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    echo "dovecot killed (pid $pid)" ;;
  status)
    if is_running; then echo "running, pid $(cat "$PIDFILE"), dir $DIR"; else echo "not running"; exit 1; fi ;;
  conf) echo "$CONF" ;;
  *) echo "usage: $0 start|stop|status|conf" >&2; exit 2 ;;
esac
