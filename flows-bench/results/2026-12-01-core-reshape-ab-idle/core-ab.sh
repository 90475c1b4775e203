#!/bin/bash
# issue 14 before (8fabac8, /tmp/h14-old.jar) vs after (main, flows-bench/target/benchmarks.jar), alternating, idle machine
cd /tmp/w2
cp /work/main/flows-bench/target/benchmarks.jar /tmp/w2/new.jar
cp /tmp/h14-old.jar /tmp/w2/old.jar
uptime > core-uptime.txt
for round in 1; do
  for side in old new; do
    env $MALLOC_ENV java -jar /tmp/w2/$side.jar 'FlowBenchmark.(trainStep|logProb|sample)$' \
      -p family=realnvp,maf -p dim=2,64 -p batch=256,1024 \
      -f 1 -wi 1 -i 2 -w 1s -r 1s -rf json -rff core-$side-$round.json \
      -jvmArgsAppend "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx4g" \
      > core-$side-$round.log 2>&1
    uptime >> core-uptime.txt
  done
done
for round in 1 2; do
for side in old new; do
  env $MALLOC_ENV OMP_NUM_THREADS=1 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp /tmp/w2/$side.jar io.github.djlflows.bench.SameJvmOverhead realnvp 64 1024 8 > overhead-$side-$round.log 2>&1
done
done
uptime >> core-uptime.txt
echo done > CORE_DONE
