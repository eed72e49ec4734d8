#!/usr/bin/env bash
# Checks the deployment files on a machine without Docker (docs/deployment.md):
#  - the pytest module that reads Dockerfile, compose.yaml and deploy/ (always);
#  - `nginx -t` on deploy/nginx.conf with the upstreams pointed at loopback and a throwaway
#    certificate (where nginx is installed: apt-get install nginx-light).
# Neither `docker build` nor `docker compose config` runs here: no engine, no compose plugin.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python -m pytest ungkultur/core/tests/test_deploy_files.py -q -n 0

if ! command -v nginx >/dev/null 2>&1; then
  echo "nginx is not installed: deploy/nginx.conf not checked (apt-get install nginx-light)"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
# Debian 12's nginx (1.22) predates `http2 on;` (1.25), which the proxy image (1.27) has.
sed -e 's/app[12]:8000/127.0.0.1:8000/' -e "s|/etc/nginx/certs|$tmp|" \
  -e 's/^\(\s*\)http2 on;/\1# http2 on;/' deploy/nginx.conf > "$tmp/site.conf"
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log stderr;
events {}
http { include $tmp/site.conf; }
CONF
nginx -t -q -c "$tmp/nginx.conf" && echo "deploy/nginx.conf: nginx -t passed"
