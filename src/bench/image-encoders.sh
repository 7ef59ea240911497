#!/usr/bin/env bash
# Regenerates docs/IMAGE-ENCODERS.md: every committed image encoder measured side by side in one run
# (real-photo re-shoot on Debian's opencv-doc photographs, catalog-samples re-shoot and neighbour
# agreement, images/s raw and through the pipeline) plus the validation image->text top-1 recorded
# in each trained descriptor. Takes several minutes on 2 cores (the InceptionV3 trunk dominates).
#   src/bench/image-encoders.sh [SCRATCH_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${1:-/tmp/facet-image-encoders}
photos=${FACET_PHOTOS:-/usr/share/doc/opencv-doc/examples/data}
[ -d "$photos" ] || { echo "needs Debian's opencv-doc photographs under $photos" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out"
./facet bench reshoot --photos "$photos" --json "$out/photos.json" >"$out/photos.log" 2>&1
./facet ingest --catalog catalog-samples --work "$out/w" >"$out/ingest.log" 2>&1
./facet bench reshoot --work "$out/w" --json "$out/catalog.json" >"$out/catalog.log" 2>&1
for m in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['encoders']))" "$out/photos.json"); do
  ./facet bench encode --items 32 --image-model "$m" --json "$out/encode-$m.json" >"$out/encode-$m.log" 2>&1 || true
done
python3 src/bench/image-encoders-table.py "$out" models >docs/IMAGE-ENCODERS.md
echo "wrote docs/IMAGE-ENCODERS.md from $out"
