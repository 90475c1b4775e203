#!/usr/bin/env bash
# Fashion-MNIST Glow from scratch, logit alpha 1e-6, uniform dequantization, 40 000 steps, two data-parallel workers;
# resumable: run again to resume from the checkpoint in glow-fm-a6/
cd /work/runs
exec nice -n 5 java -Xmx6g -Dai.djl.offline=true -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "/work/runs/jar-fm5/flows-zoo-0.1.0-SNAPSHOT.jar:/work/runs/jar-fm5/lib/*" io.github.djlflows.zoo.cli.FlowsCli \
  train --dataset fashion-mnist --config /work/runs/glow-fm-a6-config.json --threads 2 --out /work/runs/glow-fm-a6 "$@"
