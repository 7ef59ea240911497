# Sourced by ./facet and src/bin/run-tests (and mirrored in the surefire configuration of pom.xml).
# libtorch picks its vectorized kernels (ATen), MKL its GEMM code path and oneDNN its ISA from the CPU
# it runs on: on a machine with AVX-512 they sum floats in another order than on one without, and
# training amplifies the last-bit differences (measured: the same seed gave other item vectors and
# another validation NDCG@10 with each of ATen default/avx2/avx512 and MKL_CBWR unset/AVX2/COMPATIBLE).
# Pinning all three to AVX2, which every x86-64 server of the last decade has, makes a seed give the
# same model on any such machine with the same thread count. Set them yourself to override.
export ATEN_CPU_CAPABILITY="${ATEN_CPU_CAPABILITY:-avx2}"
export MKL_CBWR="${MKL_CBWR:-AVX2}"
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
