#!/usr/bin/env bash
# Log in, scan the two images of the official example, and poll the list until both scans end.
# Usage: BASE_URL=http://127.0.0.1:9080 ./examples/curl-walkthrough.sh
set -euo pipefail
BASE_URL=${BASE_URL:-http://127.0.0.1:9080}
PROJECT=2b31ed520b4d4e0a9c3d7f6e5a4b3c21

echo "1. log in as admin (IAM password login, scoped to project A)"
TOKEN=$(curl -sf -D - -o /dev/null -X POST "$BASE_URL/v3/auth/tokens" \
  -H 'Content-Type: application/json' \
  -d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","password":"Admin@12345","domain":{"name":"hss-emulator"}}}},"scope":{"project":{"id":"'"$PROJECT"'"}}}}' \
  | awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')
[ -n "$TOKEN" ] || { echo "no token" >&2; exit 1; }

echo "2. scan two images"
curl -sf -X POST "$BASE_URL/v5/$PROJECT/image/local/batch-scan?enterprise_project_id=all_granted_eps" \
  -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
  -d '{"image_info_list":[{"image_id":"c499ab72-7ee9-4ee6-b6b7-5973230e7a7b"},{"image_id":"b8722a02-162f-4e4e-8100-127605e3a07b"}]}'
echo

echo "3. poll until neither is waiting or scanning"
for attempt in $(seq 1 30); do
  LIST=$(curl -sf "$BASE_URL/v5/$PROJECT/image/local-repositories?image_name=swr.cn-north-7.myhuaweicloud.com/&limit=50" -H "X-Auth-Token: $TOKEN")
  STATES=$(echo "$LIST" | grep -oE '"image_id":"(c499ab72-7ee9-4ee6-b6b7-5973230e7a7b|b8722a02-162f-4e4e-8100-127605e3a07b)"[^}]*"scan_status":"[a-z_]+"' | grep -oE '"scan_status":"[a-z_]+"' | cut -d'"' -f4 | sort | tr '\n' ' ')
  echo "   attempt $attempt: $STATES"
  case "$STATES" in
    *waiting*|*scanning*) sleep 1 ;;
    *) echo "done: $STATES"; exit 0 ;;
  esac
done
echo "scans did not end" >&2
exit 1
