#!/usr/bin/env bash
# Runs on the GPU machine (no Node there; .gpu/ brings it). One call measures, on the same card:
# our WebGPU training step (with and without our filter-gradient kernel) and a kernel profile, and
# the PyTorch reference recipe. Results land in $OUT (the device tool brings them back).
set -uo pipefail
out="${OUT:-gpu-out}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/card.txt"
bash .gpu/device-run.sh node dist/main/cli.js bench --backends webgpu --base 32 --steps 20 --profile --compare-kernels --json \
  > "$out/bench-webgpu.json" 2> "$out/bench-webgpu.err"
echo "bench exit $?"
python3 .gpu/torch_unet_drive.py .gpu/DRIVE 300 64 32 > "$out/torch.txt" 2>&1
echo "torch exit $?"
grep -h 'ms_per_step\|infer_ms' "$out/torch.txt"
node_path=/tmp/gpu-node/node
[ -x "$node_path" ] && "$node_path" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).rows[0];
  console.log(`webgpu ${r.device}: ${r.trainMsPerStep} ms/step (stock kernel ${r.trainMsPerStepStockKernels}), ${r.predictMsPerImage} ms/image`);
  if (r.profile) console.log(JSON.stringify(r.profile));' "$out/bench-webgpu.json"
