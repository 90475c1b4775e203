# Shared by the flows-bench runner scripts (sourced, not run).

# start_run <benchmarks jar> <out dir>: stops with the build command when the jar is missing,
# creates the output folder and records the machine's load before the run in <out>/load.txt.
start_run() {
  if [[ ! -f "$1" ]]; then
    echo "missing $1: run 'mvn -B -q -pl flows-bench -am package -DskipTests' first" >&2
    exit 1
  fi
  mkdir -p "$2"
  echo "load before: $(uptime)" | tee "$2/load.txt"
}
