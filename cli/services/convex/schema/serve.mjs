// A warm evaluator: one Node process that keeps esbuild (and its service) loaded and answers
// the same questions as evaluate_schema.mjs and analyze_functions.mjs, one request at a time,
// so that a watching command answers a save without a cold start.
// Usage: node serve.mjs PROJECT_ROOT EVALUATE_SCHEMA_MJS ANALYZE_FUNCTIONS_MJS
// Requests, one JSON object a line on stdin: {id, kind: "schema" | "functions", paths, result}.
// Each answer is written to the file `result` names, as the helpers write theirs, and then
// the line `APP-DONE <id>` goes to stdout (and the step under way to `result`.stage, as the
// helper writes it). What the project's modules print goes to stderr.
import readline from "node:readline";
import path from "node:path";
import url from "node:url";

const [rootArg, schemaHelper, functionsHelper] = process.argv.slice(2);
const root = path.resolve(rootArg);
const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;
// A module's stray promise must not end the server: the request it belongs to still answers.
process.on("unhandledRejection", (error) => console.error(`unhandled rejection: ${error}`));

const { evaluateSchemas, writeResult, stageWriter } = await import(url.pathToFileURL(schemaHelper).href);
const { analyzeModules } = await import(url.pathToFileURL(functionsHelper).href);

// Warm up: load esbuild and start its service before the first request.
const { loadEsbuild } = await import(url.pathToFileURL(schemaHelper).href);
let esbuild = null;
try {
  esbuild = loadEsbuild(root);
  await esbuild.transform("", {});
} catch {
  // the first request reports why esbuild cannot be used
}
stdoutWrite("APP-READY\n");

// esbuild's service pings this process every second while it runs: stop it when no request
// came for a while (saves come in bursts), so that waiting costs no CPU; the next request
// starts it again in milliseconds, the module itself stays loaded. Never while a request runs:
// a build under way when esbuild.stop() is called never settles (esbuild 0.27).
const IDLE_MS = Number(process.env.APP_WARM_IDLE_MS) || 3000;
let idle = null;
function restSoon() {
  clearTimeout(idle);
  idle = setTimeout(() => esbuild?.stop?.(), IDLE_MS);
}
restSoon();

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  clearTimeout(idle);
  const request = JSON.parse(line);
  const answer =
    request.kind === "schema"
      ? await evaluateSchemas(root, request.paths, stageWriter(request.result))
      : await analyzeModules(root, request.paths);
  writeResult(request.result, answer);
  stdoutWrite(`APP-DONE ${request.id}\n`);
  restSoon();
}
process.exit(0);
