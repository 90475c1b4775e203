#!/bin/bash
# realnvp-image/fashion-mnist retrain (issue 20 item 4): one core, one intra-op thread; jar snapshot of main 526e29b
cd /work/runs/rnvpi
echo "start $(date -u +%H:%M:%S)" >> run-notes.txt
taskset -c 1 java -Xmx6g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/work/runs/jar-rnvpi/flows-zoo-0.1.0-SNAPSHOT.jar:/work/runs/jar-rnvpi/lib/*" io.github.djlflows.zoo.cli.FlowsCli \
  train --config config.json --out /work/runs/rnvpi/realnvp-image-fashion-mnist > train.log 2>&1
echo "exit $? $(date -u +%H:%M:%S)" >> run-notes.txt
