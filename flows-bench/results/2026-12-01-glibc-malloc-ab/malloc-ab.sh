#!/bin/bash
# glibc malloc A/B: default vs MALLOC_MMAP_THRESHOLD_=32MB + MALLOC_TRIM_THRESHOLD_=1GB, alternating, idle machine
cd /work/main
J="java -Dai.djl.offline=true -Xmx4g -Dai.djl.pytorch.num_interop_threads=1 -cp flows-bench/target/benchmarks.jar io.github.djlflows.bench.DataParallelScaling"
T="MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824"
uptime > /tmp/w2/malloc-uptime.txt
for c in "realnvp 2 1024" "realnvp 64 1024" "maf 64 256" "nsf 64 1024" "glow 2 64"; do
  for side in default tuned; do
    e=""; [ $side = tuned ] && e="$T"
    echo "## $side: $c" >> /tmp/w2/malloc-ab.txt
    env $e $J $c 8 2 1.0 2>/dev/null | tee -a /tmp/w2/malloc-ab.jsonl | grep '^# ' >> /tmp/w2/malloc-ab.txt
  done
done
uptime >> /tmp/w2/malloc-uptime.txt
echo done > /tmp/w2/MALLOC_DONE
