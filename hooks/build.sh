#!/usr/bin/env bash
# `ask deploy` runs this (the ASK CLI's custom build flow: hooks/build.sh at the project's
# top) as `hooks/build.sh <zip to write> <debug flag>`, from a copy of lambda/. It builds
# the same zip as `make lambda` (scripts/build_lambda.py: lambda_function.py, the skill
# package and its dependencies as wheels for the template's runtime and architecture),
# into the path the CLI gave, which the cfn-deployer then uploads to S3.
set -euo pipefail
out="$1"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"${PYTHON:-python3}" scripts/venv.py runtime .venv
.venv/bin/python scripts/build_lambda.py --out "$out"
