#!/usr/bin/env bash
# Retarget citations of the old model write-up, "MODEL.md" (a file that was never part of this
# repository), to the project's own docs/model.md, which keeps the same section numbers
# (1–5, 3a–3c). Purely mechanical, so it can be re-run after merging branches that still cite
# MODEL.md; test/standalone.test.ts fails while any citation is left. Two spellings: the plain
# name, and the one escaped in test regular expressions (MODEL\.md → docs\/model\.md).
# Excluded: the reference fixtures copied verbatim (their README explains the name), this
# script and that test.
set -euo pipefail
cd "$(dirname "$0")/.."
git grep -lz 'MODEL\\\?\.md' -- . \
  ':!test/fixtures/reference/' ':!scripts/retarget-model-refs.sh' ':!test/standalone.test.ts' |
  xargs -0 -r sed -i -e 's#\bMODEL\\\.md\b#docs\\/model\\.md#g' -e 's#\bMODEL\.md\b#docs/model.md#g'
