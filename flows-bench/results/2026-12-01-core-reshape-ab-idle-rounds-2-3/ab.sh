#!/bin/bash
# issue 14: before (8fabac8) vs after (main 5922b42), alternating rounds, idle machine
cd /tmp/w3
uptime > uptime.txt
for round in 1 2; do
  for side in old new; do
    java -jar /tmp/w3/$side.jar 'FlowBenchmark.(trainStep|logProb|sample)$' \
      -p family=realnvp,maf -p dim=2,64 -p batch=256,1024 \
      -f 1 -wi 2 -i 3 -w 1s -r 1s -rf json -rff core-$side-$round.json \
      -jvmArgsAppend "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Xmx4g" \
      > core-$side-$round.log 2>&1
    uptime >> uptime.txt
  done
done
echo done > AB_DONE
