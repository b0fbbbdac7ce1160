#!/bin/sh
# The one-shot of examples/stack.toml: brings the data in redis to schema
# version 2, then exits 0 (superv shows it EXITED and starts `web`). It may run
# again (`superv restart migrate`, a reload) against a redis that already has
# the data: each step runs only when the stored version is below it.
set -eu
: "${REDIS_PORT:?set by [superv] environment in stack.toml}"

# redis-cli exits 0 even on an error reply: every reply is checked.
cli() {
    reply=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@") || exit 1
    case "$reply" in
        ERR*|WRONGTYPE*|NOAUTH*|LOADING*) echo "migrate: redis: $* -> $reply" >&2; exit 1 ;;
    esac
    printf '%s\n' "$reply"
}

version=$(cli GET schema:version)
version=${version:-0}
if [ "$version" -lt 1 ]; then
    cli SET app:greeting "Hello from redis, loaded by the migrate one-shot" >/dev/null
fi
if [ "$version" -lt 2 ]; then
    cli DEL app:services >/dev/null
    cli RPUSH app:services redis migrate web >/dev/null
fi
cli SET schema:version 2 >/dev/null
echo "migrate: schema version $version -> 2"
