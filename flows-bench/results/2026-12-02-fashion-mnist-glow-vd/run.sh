#!/usr/bin/env bash
# Fashion-MNIST Glow with variational dequantization, fine-tuned from glow/fashion-mnist (main 15e0147),
# 40 000 steps, warm-up 500 + cosine from 2e-4, two data-parallel workers; resumable: run again to resume
cd /work/runs
exec nice -n 5 java -Xmx6g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/work/runs/jar-vd7/flows-zoo-0.1.0-SNAPSHOT.jar:/work/runs/jar-vd7/lib/*" io.github.djlflows.zoo.cli.FlowsCli \
  train --dataset fashion-mnist --config /work/runs/glow-vd-a7-config.json --threads 2 --out /work/runs/glow-vd-a7 "$@"
