# Sourced by bench/members.sh and bench/members_instructions.sh: starts the
# members nginx (nginx/members.conf.template) on a free loopback port in
# $work and waits until it answers. Sets port and nginx_pid; the caller's
# EXIT trap stops nginx_pid. Needs $bench and $work.
start_members_nginx() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  sed -e "s|@PORT@|$port|g" -e "s|@TMP@|$work|g" "$bench/nginx/members.conf.template" >"$work/nginx.conf"
  nginx -p "$work" -c "$work/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
}
