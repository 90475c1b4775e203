#!/usr/bin/env bash
# Runs the app jar the way spark-submit does, without a Spark distribution: Spark's own launcher
# class (org.apache.spark.deploy.SparkSubmit) from Spark's jars in the local Maven repository,
# master local[2], the app jar (mvn -Papp package -pl flows-spark -am) as the application.
# Usage: flows-spark/spark-submit-local.sh [SparkScoreExample options]
#   e.g.  flows-spark/spark-submit-local.sh --artifact maf/two-moons --rows 200000 --output /tmp/scored.parquet
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP="$ROOT/flows-spark/target/flows-spark-0.1.0-SNAPSHOT-app.jar"
if [ ! -f "$APP" ]; then
  echo "Building the app jar ..." >&2
  mvn -B -q -f "$ROOT/pom.xml" -Papp -DskipTests package -pl flows-spark -am >&2
fi
SPARK_CP="$ROOT/flows-spark/target/spark-classpath.txt"
mvn -B -q -f "$ROOT/pom.xml" dependency:build-classpath -pl flows-spark \
  -Dmdep.outputFile="$SPARK_CP" -Dmdep.includeScope=provided >&2
# Spark's jars only: what the app jar brings (DJL, the zoo, picocli) is left out
CP=$(tr ':' '\n' < "$SPARK_CP" | grep -v "/ai/djl/\|djlflows\|picocli\|slf4j-simple" | paste -sd:)
OPENS=$(sed -n 's:.*<spark.java17.options>\(.*\)</spark.java17.options>.*:\1:p' "$ROOT/pom.xml")
# shellcheck disable=SC2086
exec java $OPENS -Xmx2g -Dai.djl.offline=true \
  -Dlog4j2.configurationFile="$ROOT/flows-spark/src/test/resources/log4j2.properties" \
  -cp "$CP" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
  --class io.github.djlflows.spark.example.SparkScoreExample "$APP" "$@"
