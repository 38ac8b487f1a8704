# Sourced by ./capstan, ./mvnw and .ci/run: makes JAVA_HOME a JDK 21 or newer.
# Uses $JAVA_HOME when it is new enough, else the newest JDK under /usr/lib/jvm, else stops
# with a message saying what to install.
capstan_java_version() {
  # prints the feature version of the java at $1 (17, 21, 25, ...), or 0. The JDK's release file
  # says it without starting a JVM (each start costs ~0.1 s, and every ./capstan command asks);
  # without one, the JVM is asked.
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$release" | head -n 1)
    if [ -n "$v" ]; then
      echo "$v"
      return 0
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { v = $2; sub(/^1\./, "", v); print int(v); found = 1 } END { if (!found) print 0 }'
}

capstan_find_jdk() {
  local need=21 candidate best="" best_version=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(capstan_java_version "$JAVA_HOME/bin/java")
    if [ "$v" -ge "$need" ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(capstan_java_version "$candidate/bin/java")
    if [ "$v" -ge "$need" ] && [ "$v" -gt "$best_version" ]; then
      best="$candidate"
      best_version="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "capstan: needs a JDK $need or newer (found ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME, }none under /usr/lib/jvm)." >&2
    echo "  Install one, e.g. 'sudo apt-get install openjdk-21-jdk' (Debian 13) or Temurin 21/25, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
