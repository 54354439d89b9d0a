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

const exit = process.exit.bind(process);
const nodeVersion = process.versions.node;
function finish(result) {
  const text = JSON.stringify({ node: nodeVersion, ...result });
  fs.writeFileSync(`${resultFile}.tmp`, text);
  fs.renameSync(`${resultFile}.tmp`, resultFile); // a killed writer leaves no half result
  exit(0); // the schema may have left timers or sockets open
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

// The backend evaluates the bundle in a bare isolate (SchemaEnvironment in convex-backend's
// crates/isolate/src/environment/schema.rs): environment variables, cryptographic
// randomness and async operations such as fetch throw; Date and performance.now stand
// still. Mirror that while the schema runs, so code that only works here fails here too.
const realProcess = process;
function schemaEnvironment() {
  const refuse = (what) => () => {
    throw new Error(`${what} unsupported when evaluating schema`);
  };
  const saved = {
    process: globalThis.process,
    Date: globalThis.Date,
    fetch: globalThis.fetch,
    now: performance.now,
    getRandomValues: globalThis.crypto?.getRandomValues,
    randomUUID: globalThis.crypto?.randomUUID,
  };
  const env = new Proxy({}, { get: refuse("Environment variables"), has: refuse("Environment variables"), ownKeys: refuse("Environment variables") });
  globalThis.process = new Proxy(realProcess, { get: (target, key) => (key === "env" ? env : target[key]) });
  const RealDate = saved.Date;
  const frozen = RealDate.now();
  globalThis.Date = class Date extends RealDate {
    constructor(...args) {
      if (args.length) super(...args);
      else super(frozen);
    }
    static now() {
      return frozen;
    }
  };
  performance.now = () => 0;
  globalThis.fetch = refuse("fetch");
  if (globalThis.crypto) {
    globalThis.crypto.getRandomValues = refuse("Cryptographic randomness");
    globalThis.crypto.randomUUID = refuse("Cryptographic randomness");
  }
  return () => {
    globalThis.process = saved.process;
    globalThis.Date = saved.Date;
    globalThis.fetch = saved.fetch;
    performance.now = saved.now;
    if (globalThis.crypto) {
      globalThis.crypto.getRandomValues = saved.getRandomValues;
      globalThis.crypto.randomUUID = saved.randomUUID;
    }
  };
}

// How deeply the JSON text nests: serde_json, which reads it in the backend, refuses more
// than 127 levels (its recursion limit of 128), and Python's json stops near 1000.
function jsonDepth(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

const began = performance.now();
const restore = schemaEnvironment();
let module_;
try {
  module_ = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
} catch (error) {
  restore();
  finish({ ok: false, kind: "import", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

// What the backend accepts as a schema (run_evaluate_schema in schema.rs): a default
// export that is neither null nor undefined, whose export() returns a string of JSON.
const schema = module_.default;
let exported;
let failure;
if (schema === undefined || schema === null) {
  failure = { ok: false, kind: "no_default_export", message: "it has no default export" };
} else if (typeof schema.export !== "function") {
  failure = { ok: false, kind: "not_schema", message: `its default export is ${describe(schema)}, not a schema from defineSchema()` };
} else {
  try {
    exported = schema.export();
  } catch (error) {
    failure = { ok: false, kind: "export", message: error instanceof Error ? error.message : String(error) };
  }
}
restore();
if (failure) finish(failure);
if (typeof exported !== "string") {
  finish({ ok: false, kind: "not_schema", message: `its default export's export() returns ${describe(exported)}, not a string` });
}
// The files the bundle was made of (so a cached result can tell when it is stale), and
// facts the push rules need about the text itself.
const facts = {
  inputs,
  depth: jsonDepth(exported),
  bytes: Buffer.byteLength(exported),
  seconds: (performance.now() - began) / 1000,
};
if (facts.depth > 127) finish({ ok: true, schema: null, ...facts });
try {
  finish({ ok: true, schema: JSON.parse(exported), ...facts });
} catch (error) {
  finish({ ok: false, kind: "export", message: `its export() is not JSON: ${error.message}` });
}
