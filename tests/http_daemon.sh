# http_daemon.sh — sourced by the shell tests. start_http_daemon LOG CMD... runs
# CMD --http 127.0.0.1:PORT on a port the kernel has just called free (bound to
# port 0, then let go) and waits until it listens; a daemon that exits first
# (another process took the port meanwhile) is started again on another, three
# times at most, as tests/test_http.c does. Sets port and serve_pid; fails (1)
# when none listened.
start_http_daemon() {
  log=$1
  shift
  for attempt in 1 2 3; do
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$@" --http "127.0.0.1:$port" 2> "$log" &
    serve_pid=$!
    for i in $(seq 100); do
      grep -q "(HTTP)" "$log" && return 0
      kill -0 "$serve_pid" 2> /dev/null || break
      sleep 0.1
    done
    kill "$serve_pid" 2> /dev/null
    wait "$serve_pid" 2> /dev/null || true
  done
  return 1
}
