#!/usr/bin/env node
// Validates Kubernetes objects (multi-document YAML, from the files named or from stdin) against the
// Kubernetes and Prometheus Operator schemas of the kubernetes-models packages. Prints one line per
// object and exits 1 if any object is invalid, of a kind with no schema here, or given twice.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** The model class of an apiVersion and kind, or undefined when no package here has one. */
async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === "monitoring.coreos.com"
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return undefined;
    throw e;
  }
}

function describe(error) {
  const details = (error.errors ?? [])
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
  return details.length > 0 ? details.join("; ") : error.message;
}

const sources = process.argv.length > 2
  ? process.argv.slice(2).map((file) => ({ name: file, text: readFileSync(file, "utf8") }))
  : [{ name: "stdin", text: readFileSync(0, "utf8") }];

let failures = 0;
const seen = new Set();
for (const { name, text } of sources) {
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      console.log(`INVALID ${name}: not YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    const { apiVersion = "?", kind = "?", metadata = {} } = object;
    const id = `${apiVersion} ${kind} ${metadata.namespace ?? "-"}/${metadata.name}`;
    const Model = await modelClass(apiVersion, kind);
    if (Model === undefined) {
      console.log(`INVALID ${id} (${name}): no schema for this apiVersion and kind`);
      failures++;
      continue;
    }
    if (seen.has(id)) {
      console.log(`INVALID ${id} (${name}): given twice`);
      failures++;
      continue;
    }
    seen.add(id);
    try {
      new Model(object).validate();
      console.log(`valid ${id}`);
    } catch (e) {
      console.log(`INVALID ${id} (${name}): ${describe(e)}`);
      failures++;
    }
  }
}
if (seen.size === 0 && failures === 0) {
  console.log("INVALID: no objects given");
  failures++;
}
process.exit(failures > 0 ? 1 : 0);
