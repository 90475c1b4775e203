#!/usr/bin/env bash
# Fashion-MNIST Glow, 128 hidden channels (the shipped glow/fashion-mnist has 64), uniform dequantization,
# logit margin 1e-6, 32 000 steps, warm-up 1000 + cosine from 5e-4, two data-parallel workers; code main 211b911.
# Resumable: run again to resume.
cd /work/runs
exec nice -n 5 java -Xmx6g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/work/runs/jar-w128/flows-zoo-0.1.0-SNAPSHOT.jar:/work/runs/jar-w128/lib/*" io.github.djlflows.zoo.cli.FlowsCli \
  train --dataset fashion-mnist --config /work/runs/glow-w128-config.json --threads 2 --out /work/runs/glow-w128 "$@"
