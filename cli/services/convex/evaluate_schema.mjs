// Bundles convex/schema.ts the way the Convex CLI does (esbuild from the project's
// `convex` package, same options) and evaluates it with the real `convex/server`.
// Prints one result line, prefixed with a marker, so stray output of the schema
// module itself can never be mistaken for the result.
// Usage: node evaluate_schema.mjs PROJECT_ROOT SCHEMA_PATH
import { createRequire } from "node:module";
import path from "node:path";

const MARKER = "@@app-result@@";
const root = path.resolve(process.argv[2]);
const schemaPath = process.argv[3];

function finish(result) {
  process.stdout.write(`\n${MARKER}${JSON.stringify({ node: process.versions.node, ...result })}\n`);
  process.exit(0);
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

const schema = module_.default;
if (schema === undefined) {
  finish({ ok: false, kind: "no_default_export", message: "it has no default export" });
}
if (typeof schema?.export !== "function" || typeof schema.tables !== "object" || !("schemaValidation" in schema)) {
  finish({ ok: false, kind: "not_schema", message: `its default export is ${describe(schema)}, not a schema from defineSchema()` });
}
try {
  // The files the bundle was made of, so a cached result can tell when it is stale.
  finish({ ok: true, schema: JSON.parse(schema.export()), inputs });
} catch (error) {
  finish({ ok: false, kind: "export", message: error instanceof Error ? error.message : String(error) });
}
