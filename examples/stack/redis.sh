#!/bin/sh
# Runs Debian's redis-server in the foreground for examples/stack.toml.
#
# --supervised systemd makes redis send READY=1 to $NOTIFY_SOCKET (which superv
# sets for a program with ready = "notify") once it accepts connections, so
# superv marks it ready exactly then, with no polling.
#
# The data is kept in $STACK_DATA in an append-only file (no RDB snapshots:
# --save ""), so it survives a restart of redis alone: `superv stop redis`
# then `superv start web` brings redis back with the data, and leaves the
# completed one-shot `migrate` done rather than running it again.
#
# exec keeps redis the process superv started (its pid, its signals).
set -eu
: "${REDIS_PORT:?set by [superv] environment in stack.toml}"
: "${STACK_DATA:?set by [superv] environment in stack.toml}"
mkdir -p "$STACK_DATA"
exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly yes \
    --dir "$STACK_DATA" --daemonize no --supervised systemd --logfile ""
