#!/usr/bin/env bash
# `npm test`: type-check, lint, build the engine and the web UI, then every test (unit, integration, browser) with Node's runner.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh

echo "== type-check"
npx tsc -p tsconfig.json --noEmit
npx tsc -p packages/web/tsconfig.json --noEmit

echo "== lint"
npx eslint --max-warnings=0 .

echo "== build (the compiled engine and the web UI that npm start runs)"
node scripts/build.mjs --force >/dev/null

echo "== tests"
mapfile -t files < <(find packages -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --import tsx --test --test-concurrency=2 "${files[@]}"
