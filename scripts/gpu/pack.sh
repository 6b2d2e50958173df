#!/usr/bin/env bash
# Packs everything the GPU check needs (see ../shared/gpu/README.md): Node, production node_modules,
# the built code and a DRIVE subset for the PyTorch reference. Run here after `npm ci` and the build,
# then give the device tool: carry [".gpu"], command `bash scripts/gpu/check.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
drive="${1:-../shared/data/DRIVE}"
rm -rf .gpu/DRIVE && mkdir -p .gpu/DRIVE
# 4 training and 2 test images keep the payload under the carry limit; speed needs no more.
for split in training:21:24 test:01:02; do
  IFS=: read -r name from to <<<"$split"
  for i in $(seq -w "$from" "$to"); do
    for sub in images 1st_manual mask; do
      mkdir -p ".gpu/DRIVE/$name/$sub"
      cp "$drive/$name/$sub/$i"_* ".gpu/DRIVE/$name/$sub/"
    done
  done
done
bash ../shared/gpu/pack.sh dist
