// Validates Kubernetes manifests offline against the API schemas bundled in kubernetes-models (npm).
import fs from "fs";
import yaml from "js-yaml";
import { Service } from "kubernetes-models/v1";
import { Job } from "kubernetes-models/batch/v1";
const kinds = { "v1/Service": Service, "batch/v1/Job": Job };
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    const key = `${doc.apiVersion}/${doc.kind}`;
    const Kind = kinds[key];
    if (!Kind) { console.log(`FAIL ${file}: no schema for ${key}`); failed++; continue; }
    try { new Kind(doc).validate(); console.log(`PASS ${file}: ${key} ${doc.metadata.name}`); }
    catch (e) { console.log(`FAIL ${file}: ${key}: ${e.message}`); failed++; }
  }
}
process.exit(failed ? 1 : 0);
