// Bundles convex/schema.ts the way the Convex CLI does (esbuild from the project's
// `convex` package, same options) and evaluates it with the real `convex/server`.
// Writes one JSON result to the file $APP_RESULT_FILE names: synchronously, so that it
// is whole however large the schema (piped stdout is cut at 64 KiB by process.exit),
// and apart from anything the schema module itself prints.
// Usage: APP_RESULT_FILE=FILE node evaluate_schema.mjs PROJECT_ROOT SCHEMA_PATH
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(process.argv[2]);
const schemaPath = process.argv[3];
const resultFile = process.env.APP_RESULT_FILE;
if (!resultFile) {
  console.error("evaluate_schema.mjs: APP_RESULT_FILE must name the file for the result");
  process.exit(2);
}

function finish(result) {
  const text = JSON.stringify({ node: process.versions.node, ...result });
  fs.writeFileSync(`${resultFile}.tmp`, text);
  fs.renameSync(`${resultFile}.tmp`, resultFile); // a killed writer leaves no half result
  process.exit(0); // the schema may have left timers or sockets open
}

function describe(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ? `an instance of ${value.constructor.name}` : "an object";
}

// Stray console.log from the user's module must not reach our stdout protocol.
console.log = console.error;
console.info = console.error;

let esbuild;
try {
  const requireFromConvex = createRequire(path.join(root, "node_modules", "convex", "package.json"));
  esbuild = requireFromConvex("esbuild");
} catch (error) {
  finish({ ok: false, kind: "toolchain", message: `esbuild (a dependency of convex) cannot be loaded: ${error.message}` });
}

let code;
let inputs = [];
try {
  const result = await esbuild.build({
    entryPoints: [schemaPath],
    absWorkingDir: root,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "esnext",
    jsx: "automatic",
    conditions: ["convex", "module"],
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  code = result.outputFiles[0].text;
  inputs = Object.keys(result.metafile.inputs);
} catch (error) {
  const first = error.errors?.[0];
  if (!first) finish({ ok: false, kind: "bundle", message: String(error.message ?? error) });
  const loc = first.location;
  finish({
    ok: false,
    kind: /Could not resolve/.test(first.text) ? "resolve" : "syntax",
    message: first.text,
    location: loc ? { file: loc.file, line: loc.line, column: loc.column + 1, lineText: loc.lineText } : null,
    more: error.errors.length - 1,
  });
}

let module_;
try {
  module_ = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
} catch (error) {
  finish({ ok: false, kind: "import", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

// What the backend accepts as a schema (run_evaluate_schema in convex-backend's
// crates/isolate/src/environment/schema.rs): a default export that is neither null nor
// undefined, whose export() returns a string of JSON.
const schema = module_.default;
if (schema === undefined || schema === null) {
  finish({ ok: false, kind: "no_default_export", message: "it has no default export" });
}
if (typeof schema.export !== "function") {
  finish({ ok: false, kind: "not_schema", message: `its default export is ${describe(schema)}, not a schema from defineSchema()` });
}
let exported;
try {
  exported = schema.export();
} catch (error) {
  finish({ ok: false, kind: "export", message: error instanceof Error ? error.message : String(error) });
}
if (typeof exported !== "string") {
  finish({ ok: false, kind: "not_schema", message: `its default export's export() returns ${describe(exported)}, not a string` });
}
try {
  // The files the bundle was made of, so a cached result can tell when it is stale.
  finish({ ok: true, schema: JSON.parse(exported), inputs });
} catch (error) {
  finish({ ok: false, kind: "export", message: `its export() is not JSON: ${error.message}` });
}
