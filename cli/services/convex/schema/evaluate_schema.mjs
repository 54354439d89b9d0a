// Bundles a schema.ts the way the Convex CLI does (esbuild from the project's `convex`
// package, same options) and evaluates it with the real `convex/server`, as the backend
// would. Run as a program it writes one JSON document to the file $APP_RESULT_FILE names:
// synchronously, so that it is whole however large the schema (piped stdout is cut at 64 KiB
// by process.exit), and apart from anything the schema module itself prints.
// Usage: APP_RESULT_FILE=FILE node evaluate_schema.mjs PROJECT_ROOT SCHEMA_PATH [SCHEMA_PATH...]
// The document is {node, results: [one result per SCHEMA_PATH]}. serve.mjs imports
// `evaluateSchemas` to answer the same question again and again from one warm process.
// Meanwhile FILE.stage names the step under way ("started", "bundling", "evaluating"), so
// that a deadline tells a node that never started from a schema that never ends.
import fs from "node:fs";
import { createRequire, isBuiltin, SourceMap } from "node:module";
import path from "node:path";
import url from "node:url";

const realProcess = process;
const nodeVersion = process.versions.node;

function writeResult(resultFile, results) {
  const text = JSON.stringify({ node: nodeVersion, results });
  fs.writeFileSync(`${resultFile}.tmp`, text);
  fs.renameSync(`${resultFile}.tmp`, resultFile); // a killed writer leaves no half result
}

// Writes the step under way next to the result file; a step that cannot be told is no failure.
export function stageWriter(resultFile) {
  return (stage) => {
    try {
      fs.writeFileSync(`${resultFile}.stage`, stage);
    } catch {
      // the result still comes; only a deadline's message is less precise
    }
  };
}

function describe(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return value.constructor?.name ? `an instance of ${value.constructor.name}` : "an object";
}

function message(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// The backend evaluates the bundle in a bare isolate (SchemaEnvironment in convex-backend's
// crates/isolate/src/environment/schema.rs): environment variables, cryptographic
// randomness and async operations such as fetch throw; Date and performance.now stand
// still. Mirror that while the schema runs, so code that only works here fails here too.
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
  const noEnv = refuse("Environment variables");
  const env = new Proxy({}, { get: noEnv, has: noEnv, ownKeys: noEnv });
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

// Where each table and index is defined in the project's files, so that a finding can name
// its line: `convex/server` is served through a module that re-exports it and wraps
// defineTable and the index methods to note their callers (V8's call sites, mapped back
// through esbuild's source map). Symbol-keyed notes are invisible to export().
const LOCATION = Symbol.for("app.location");
const INDEXES = Symbol.for("app.indexes");
const LOCATIONS_WRAPPER = `
import { defineTable as realDefineTable } from "convex/server";
export * from "convex/server";
const LOCATION = Symbol.for("app.location");
const INDEXES = Symbol.for("app.indexes");
// The caller's frame is captured now (cheap); its position is read only if wanted (V8
// finds it in time proportional to the size of the calling function: a big schema's
// top level).
function caller(fn) {
  const holder = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = limit;
  return holder;
}
function noteIndexes(proto) {
  if (Object.prototype.hasOwnProperty.call(proto, INDEXES)) return;
  Object.defineProperty(proto, INDEXES, { value: null });
  for (const method of ["index", "searchIndex", "vectorIndex"]) {
    const real = proto[method];
    if (typeof real !== "function") continue;
    const wrapped = function (name, ...rest) {
      if (!Object.prototype.hasOwnProperty.call(this, INDEXES)) Object.defineProperty(this, INDEXES, { value: {} });
      this[INDEXES][name] = caller(wrapped);
      return real.call(this, name, ...rest);
    };
    proto[method] = wrapped;
  }
}
export function defineTable(...args) {
  const table = realDefineTable(...args);
  Object.defineProperty(table, LOCATION, { value: caller(defineTable) });
  noteIndexes(Object.getPrototypeOf(table));
  return table;
}
`;

function locationsPlugin(root) {
  return {
    name: "app-locations",
    setup(build) {
      build.onResolve({ filter: /^convex\/server$/ }, (args) =>
        args.namespace === "app-locations" ? undefined : { path: "convex/server", namespace: "app-locations" },
      );
      build.onLoad({ filter: /.*/, namespace: "app-locations" }, () => ({
        contents: LOCATIONS_WRAPPER,
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

// Schemas larger than this get no locations: the source map (0.6 s for a 730 KB schema) and
// reading the positions (about 0.2 ms a call there) would cost more than the evaluation.
const LOCATIONS_MAX_BYTES = 200_000;

function position(holder) {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, sites) => sites;
  const site = holder?.stack?.[0];
  Error.prepareStackTrace = prepare;
  return site ? [site.getLineNumber(), site.getColumnNumber()] : null;
}

function mapped(map, holder) {
  const at = map && holder ? position(holder) : null;
  if (!at) return null;
  const entry = map.findEntry(at[0] - 1, at[1] - 1);
  if (!entry?.originalSource || entry.originalSource.includes("node_modules")) return null;
  return { file: entry.originalSource, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

// {table: {file, line, column, indexes: {name: {file, line, column}}}} for what the
// project's files define (null where a table comes from elsewhere).
function locations(schema, map) {
  const found = {};
  for (const [name, table] of Object.entries(schema.tables ?? {})) {
    const where = mapped(map, table?.[LOCATION]);
    const indexes = {};
    for (const [index, holder] of Object.entries(table?.[INDEXES] ?? {})) {
      const at = mapped(map, holder);
      if (at) indexes[index] = at;
    }
    if (where || Object.keys(indexes).length) found[name] = { ...(where ?? {}), indexes };
  }
  return found;
}

function sizeOf(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function bundle(esbuild, root, schemaPath) {
  const locate = sizeOf(path.join(root, schemaPath)) <= LOCATIONS_MAX_BYTES;
  try {
    const result = await esbuild.build({
      entryPoints: [schemaPath],
      plugins: locate ? [locationsPlugin(root)] : [],
      sourcemap: locate ? "external" : false,
      sourcesContent: false,
      outfile: path.join(root, "app-schema-bundle.js"), // never written: names the source map's base
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
    const code = result.outputFiles.find((file) => file.path.endsWith(".js")).text;
    const map = result.outputFiles.find((file) => file.path.endsWith(".map"));
    return { code, map: map?.text, inputs: Object.keys(result.metafile.inputs) };
  } catch (error) {
    const first = error.errors?.[0];
    if (!first) return { failure: { ok: false, kind: "bundle", message: String(error.message ?? error) } };
    const loc = first.location;
    const unresolved = /^Could not resolve "([^"]+)"/.exec(first.text);
    const failure = {
      ok: false,
      kind: unresolved ? "resolve" : "syntax",
      // Node's own modules: the Convex runtime has none, and npm cannot install them.
      builtin: unresolved ? isBuiltin(unresolved[1]) : false,
      message: first.text,
      location: loc ? { file: loc.file, line: loc.line, column: loc.column + 1, lineText: loc.lineText } : null,
      more: error.errors.length - 1,
    };
    return { failure };
  }
}

// What the backend accepts as a schema (run_evaluate_schema in schema.rs): a default
// export that is neither null nor undefined, whose export() returns a string of JSON.
async function run(code) {
  const restore = schemaEnvironment();
  try {
    let module_;
    try {
      module_ = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    } catch (error) {
      return { failure: { ok: false, kind: "import", message: message(error) } };
    }
    const schema = module_.default;
    if (schema === undefined || schema === null) {
      return { failure: { ok: false, kind: "no_default_export", message: "it has no default export" } };
    }
    if (typeof schema.export !== "function") {
      const what = `its default export is ${describe(schema)}, not a schema from defineSchema()`;
      return { failure: { ok: false, kind: "not_schema", message: what } };
    }
    try {
      return { exported: schema.export(), schema };
    } catch (error) {
      return { failure: { ok: false, kind: "export", message: error instanceof Error ? error.message : String(error) } };
    }
  } finally {
    restore();
  }
}

async function evaluate(esbuild, root, schemaPath, stage) {
  stage("bundling");
  const bundled = await bundle(esbuild, root, schemaPath);
  if (bundled.failure) return bundled.failure;
  stage("evaluating");
  const began = performance.now();
  const { exported, failure, schema } = await run(bundled.code);
  if (failure) return failure;
  if (typeof exported !== "string") {
    return { ok: false, kind: "not_schema", message: `its default export's export() returns ${describe(exported)}, not a string` };
  }
  // The files the bundle was made of (so a cached result can tell when it is stale), and
  // facts the push rules need about the text itself.
  const facts = {
    inputs: bundled.inputs,
    depth: jsonDepth(exported),
    bytes: Buffer.byteLength(exported),
    seconds: (performance.now() - began) / 1000,
    locations: bundled.map ? locations(schema, new SourceMap(JSON.parse(bundled.map))) : {},
  };
  if (facts.depth > 127) return { ok: true, schema: null, ...facts };
  try {
    return { ok: true, schema: JSON.parse(exported), ...facts };
  } catch (error) {
    return { ok: false, kind: "export", message: `its export() is not JSON: ${error.message}` };
  }
}

// esbuild as the project's `convex` package has it; throws when it cannot be loaded.
export function loadEsbuild(root) {
  return createRequire(path.join(root, "node_modules", "convex", "package.json"))("esbuild");
}

// One result per schema path (paths relative to `root`); `stage` is told each step.
export async function evaluateSchemas(root, schemaPaths, stage = () => {}) {
  let esbuild;
  try {
    esbuild = loadEsbuild(root);
  } catch (error) {
    const failure = { ok: false, kind: "toolchain", message: `esbuild (a dependency of convex) cannot be loaded: ${error.message}` };
    return schemaPaths.map(() => failure);
  }
  const results = [];
  for (const schemaPath of schemaPaths) results.push(await evaluate(esbuild, root, schemaPath, stage));
  return results;
}

async function main() {
  const root = path.resolve(process.argv[2]);
  const schemaPaths = process.argv.slice(3);
  const resultFile = process.env.APP_RESULT_FILE;
  if (!resultFile || schemaPaths.length === 0) {
    console.error("usage: APP_RESULT_FILE=FILE node evaluate_schema.mjs PROJECT_ROOT SCHEMA_PATH...");
    process.exit(2);
  }
  const stage = stageWriter(resultFile);
  stage("started");
  // Stray console.log from the user's module must not reach our stdout.
  console.log = console.error;
  console.info = console.error;
  const exit = process.exit.bind(process);
  writeResult(resultFile, await evaluateSchemas(root, schemaPaths, stage));
  exit(0); // the schema may have left timers or sockets open
}

export { writeResult };

if (process.argv[1] && fs.realpathSync(process.argv[1]) === url.fileURLToPath(import.meta.url)) await main();
