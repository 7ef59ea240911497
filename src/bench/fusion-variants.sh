#!/usr/bin/env bash
# Compares ways of fusing the default image encoder's two frozen parts (InceptionV3 of nsfwjs, the
# catalog ResNet) without running the trunk per variant: the parts' features of check 10's images
# (opencv-doc photographs and their re-shoots, catalog-samples photos and their held-out re-renders,
# bench reshoot's seed 991) and of the fusion head's training views are computed once into CACHE_DIR
# (about 4400 photos: ~25 min on 2 cores), then each family of variants is scored from the cache.
# The training-view file is the one `facet train-encoder --fusion-head --feature-cache` reads.
# Results and their reading: docs/FUSION-VARIANTS.md.
# The colour tables (ColourVariants) add a fixed colour histogram of the same decoded images, and a
# learned material part (LDA of the ResNet part), to learned-whitened parts.
#   src/bench/fusion-variants.sh [CACHE_DIR]   (FUSION_VARIANT_MODES="default lw" runs only those tables)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. src/bin/jdk.sh
JAVA_HOME=$(facet_find_jdk)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
cache=${1:-/tmp/facet-fusion-variants}
mkdir -p "$cache"
mvn -q -B -DskipTests -pl modules/facet-embed -am install >&2
mvn -q -B -pl modules/facet-embed dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cache/cp.txt" >&2
# This tree's own classes first: the local repository may hold other builds of the facet modules.
cp="modules/facet-embed/target/test-classes:modules/facet-embed/target/classes:modules/facet-catalog/target/classes"
cp="$cp:modules/facet-core/target/classes:$(cat "$cache/cp.txt")"
java -Xmx3g -cp "$cp" dev.facet.embed.FusionVariantsBench extract "$cache"
for mode in ${FUSION_VARIANT_MODES:-default lw lw2 lw3 three heads colour lda lda352}; do
  case $mode in
    colour|lda|lda352)
      flags=; [ $mode != colour ] && flags=-Dlda=true; [ $mode = lda352 ] && flags="$flags -DldaInc=352"
      java -Xmx3g $flags -cp "$cp" dev.facet.embed.ColourVariants "$cache" "$cache/colour" 2>/dev/null | grep -v '^\[' >"$cache/eval-$mode.txt"
      echo "$cache/eval-$mode.txt"
      continue ;;
  esac
  fit=; [ $mode = default ] && fit=-Dfit=catalog  # the first table fits PCA and means on the 600 catalog photos
  java -Xmx3g -Dmode=$mode $fit -cp "$cp" dev.facet.embed.FusionVariantsBench eval "$cache" 2>/dev/null | grep -v '^\[' >"$cache/eval-$mode.txt"
  echo "$cache/eval-$mode.txt"
done
