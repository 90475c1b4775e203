#!/usr/bin/env bash
# Rows/s scoring with FlowScorer on local[2] against one Predictor on one thread (SparkScoringBench).
# Usage: flows-bench/run-spark.sh [rows] [artifact...]   (defaults: 10000000 maf/two-moons maf/digits)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-10000000}"
shift || true
ARTIFACTS=("$@")
[ ${#ARTIFACTS[@]} -eq 0 ] && ARTIFACTS=(maf/two-moons maf/digits)
mvn -B -q -DskipTests package dependency:build-classpath -pl flows-bench -am \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
# Spark brings its own SLF4J binding; the --add-opens are what Spark's launcher passes on Java 17
CP="flows-bench/target/classes:$(tr ':' '\n' < flows-bench/target/classpath.txt | grep -v slf4j-simple | paste -sd:)"
OPENS=$(sed -n 's:.*<spark.java17.options>\(.*\)</spark.java17.options>.*:\1:p' pom.xml)
echo "load before: $(uptime)" >&2
echo "| artifact | rows | partitions | Spark rows/s | one predictor rows/s | ratio | Spark rows per CPU-s | predictor rows per CPU-s | RSS MB before / max / end | sum rel. diff |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for a in "${ARTIFACTS[@]}"; do
  # a fixed, pre-touched heap: RSS growth during the run is native memory, not the heap expanding;
  # DJL copies every batch through a direct ByteBuffer that only a GC frees: capping direct memory
  # makes the JVM collect them (without the cap RSS rose ~200 MB over 2M rows, with it it stays flat)
  # shellcheck disable=SC2086
  java $OPENS -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=64m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dlog4j2.configurationFile=flows-spark/src/test/resources/log4j2.properties \
    -cp "$CP" io.github.djlflows.bench.SparkScoringBench "$a" "$ROWS" 2 1024 2>/dev/null
done
echo "load after: $(uptime)" >&2
