#!/bin/sh
# Offline schema check of the Kubernetes manifests in this folder: installs the npm package kubernetes-models (the
# API's OpenAPI schemas, validated with ajv) into a temporary folder and validates every Service and Job.
# Needs node and npm (apt-get install nodejs npm). It checks the fields and their types, not a cluster's behaviour.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sagebox-k8s.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent kubernetes-models@5.1.0 js-yaml@4.1.0 >/dev/null
cp "$here/validate.mjs" .
node validate.mjs "$here"/*.yaml
