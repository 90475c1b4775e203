#!/bin/bash
# alternating before (main 8fabac8) / after (h14) JMH runs, short: 1 warmup + 2 measured 1-s iterations
cd /tmp/h14-ab
uptime > uptime-start.txt
for round in 1 2; do
  for side in old new; do
    java -jar /tmp/h14-$side.jar 'FlowBenchmark.(trainStep|logProb|sample)$' \
      -p family=realnvp,maf -p dim=2,64 -p batch=256,1024 \
      -f 1 -wi 1 -i 2 -w 1s -r 1s -rf json -rff $side-$round.json \
      -jvmArgsAppend "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx4g" \
      > $side-$round.log 2>&1
    uptime >> uptime-$side-$round.txt
  done
done
for side in old new; do
  OMP_NUM_THREADS=1 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp /tmp/h14-$side.jar io.github.djlflows.bench.SameJvmOverhead realnvp 64 1024 8 > overhead-$side.log 2>&1
done
uptime > uptime-end.txt
echo done > DONE
