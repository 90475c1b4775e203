#!/usr/bin/env bash
# Fashion-MNIST Glow, K = 8 steps per level (the shipped glow/fashion-mnist has 4), 64 hidden channels, uniform dequantization,
# logit margin 1e-6, 32 000 steps, warm-up 2000 + cosine from 2.5e-4 (at 5e-4 after warm-up 1000 the loss spiked to 81 280 nats near step 1300), two data-parallel workers; code main caeb340.
# Resumable: run again to resume.
cd /work/runs
exec nice -n 5 java -Xmx6g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/work/runs/jar-k8/flows-zoo-0.1.0-SNAPSHOT.jar:/work/runs/jar-k8/lib/*" io.github.djlflows.zoo.cli.FlowsCli \
  train --dataset fashion-mnist --config /work/runs/glow-k8-config.json --threads 2 --out /work/runs/glow-k8 "$@"
