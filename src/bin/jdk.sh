# Sourced by ./facet, .ci/run and src/bin/run-tests: picks a JDK >= 21.
# Order: JAVA_HOME when it is >= 21, then any JDK >= 21 under /usr/lib/jvm (newest first).
facet_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -1
}
facet_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(facet_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "facet: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}; looked under /usr/lib/jvm). Lucene 10 needs Java 21+: install Temurin 25 or set JAVA_HOME." >&2
  return 1
}
