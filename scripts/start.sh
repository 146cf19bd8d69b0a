#!/usr/bin/env bash
# npm start: builds the package, then serves the demo chat page (www/) with the embedded STOMP
# broker: SockJS at /chat, raw STOMP over WebSocket at /ws. PORT picks the port (default 8080).
# Extra arguments go to the server, e.g. `npm start -- --broker tcp://127.0.0.1:61613` (or set
# STOMP_BROKER) to relay every session to a real broker instead.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/build.sh"
cd "$ROOT"
port="${PORT:-8080}"
say "starting the demo server on http://127.0.0.1:$port/ (Ctrl-C stops it)"
exec node server/main.mjs --port "$port" --static /=www --static /pkg=pkg --sockjs /chat --ws /ws "$@"
