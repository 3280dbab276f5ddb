#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, mobile preset) on the quick log, history and Trends
# pages of a demo account, served by gunicorn with production settings and Debian's
# chromium; prints the scores as a Markdown table for bench/RESULTS.md.
# Targets: performance >= 95, accessibility 100, best practices >= 95.
# Run: bash bench/lighthouse.sh   (needs npm; installs lighthouse into bench/.node)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8767}
PY=.venv/bin/python
[ -x bench/.node/node_modules/.bin/lighthouse ] || \
  npm install --silent --no-audit --no-fund --prefix bench/.node lighthouse@12.2.3 >/dev/null
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

WORK=$(mktemp -d)
trap 'kill $(cat "$WORK/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=lighthouse-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" DJANGO_STATIC_ROOT="$WORK/static"
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py seed_demo >/dev/null
COOKIE=$($PY manage.py shell --no-imports -c "
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username='demo')
s = SessionStore()
s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), 'django.contrib.auth.backends.ModelBackend'
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print(s.session_key)")
$PY -m gunicorn config.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning &
echo $! > "$WORK/pid"
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break; sleep 0.2; done

export CHROME_PATH=/usr/bin/chromium
echo "| page | performance | accessibility | best practices |"
echo "| --- | --- | --- | --- |"
for page in / /history/ /trends/; do
  for try in 1 2 3; do  # Lighthouse's trace recording sometimes fails (NO_NAVSTART): again
    bench/.node/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$page" --quiet \
      --only-categories=performance,accessibility,best-practices --output=json \
      --output-path="$WORK/report.json" --extra-headers="{\"Cookie\": \"sessionid=$COOKIE\"}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      >"$WORK/lighthouse.log" 2>&1 && break
    [ "$try" = 3 ] && { tail -20 "$WORK/lighthouse.log"; exit 1; }
  done
  $PY - "$WORK/report.json" "$page" <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
if report.get("finalDisplayedUrl", "").endswith("/accounts/login/?next=" + sys.argv[2]):
    raise SystemExit(f"{sys.argv[2]}: not logged in")
c = report["categories"]
print(f"| {sys.argv[2]} | {round(c['performance']['score'] * 100)} | "
      f"{round(c['accessibility']['score'] * 100)} | {round(c['best-practices']['score'] * 100)} |")
PYEOF
done
