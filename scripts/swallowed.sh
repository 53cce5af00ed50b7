#!/usr/bin/env bash
# Lists every `let _ =`, `.ok()`, `unwrap_or_default()` and `unwrap_or(0)` in the Rust code
# (the app, its tests, benches and the E2E harness) that has no comment on the line or the line
# above saying why it cannot matter (STYLE.md 15). Prints nothing and exits 0 when there are none.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r f; do
  awk -v file="$f" '
    /#\[cfg\(test\)\]/ { in_tests = 1 }
    !in_tests && /let _ =|\.ok\(\)|unwrap_or_default\(\)|unwrap_or\(0\)/ {
      if ($0 !~ /\/\// && prev !~ /^[[:space:]]*\/\//) { printf "%s:%d: %s\n", file, NR, $0; found = 1 }
    }
    { prev = $0 }
    END { exit found }
  ' "$f" || status=1
done < <(find src-tauri tests -name '*.rs' -not -path '*/target/*' | sort)
exit $status
