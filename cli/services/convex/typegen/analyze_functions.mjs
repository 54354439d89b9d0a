// The public functions of the project's function modules, with their argument and return
// validators, read as the Convex CLI bundles the modules (esbuild from the project's
// `convex` package) and as `convex/server` registers them (`exportArgs()`/`exportReturns()`).
// Run as a program it writes {node, results: [one per MODULE: {ok, functions} or
// {ok: false, message}]} to the file $APP_RESULT_FILE names; serve.mjs imports
// `analyzeModules` to answer from one warm process.
// Usage: APP_RESULT_FILE=FILE node analyze_functions.mjs PROJECT_ROOT MODULE_PATH...
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import url from "node:url";

function kindOf(value) {
  if (value?.isQuery) return "query";
  if (value?.isMutation) return "mutation";
  if (value?.isAction) return "action";
  return null;
}

// A project fresh from a clone may not have its functions folder's _generated/ yet (the
// Convex CLI writes it when it pushes, from a deployment). Its JavaScript does not depend on
// the deployment, so where a module imports a missing _generated/server, api or dataModel,
// it is served from the pinned CLI's own templates, as `convex codegen` would write it.
const GENERATED = /^\.{1,2}\/(?:.*\/)?_generated\/(server|api|dataModel)(?:\.js)?$/;

function generatedFallback(root, templates) {
  return {
    name: "missing-generated",
    setup(build) {
      build.onResolve({ filter: GENERATED }, async (args) => {
        if (args.pluginData === "fallback") return undefined;
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "fallback",
        });
        if (found.errors.length === 0) return undefined;
        return { path: GENERATED.exec(args.path)[1], namespace: "convex-generated" };
      });
      build.onLoad({ filter: /.*/, namespace: "convex-generated" }, (args) => ({
        contents: templates[args.path],
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

async function loadTemplates(root) {
  const dist = path.join(root, "node_modules", "convex", "dist", "esm", "cli", "codegen_templates");
  const { serverCodegen } = await import(url.pathToFileURL(path.join(dist, "server.js")).href);
  const { apiCodegen } = await import(url.pathToFileURL(path.join(dist, "api.js")).href);
  // dataModel has types only: `convex codegen` writes no JavaScript for it.
  return {
    server: serverCodegen({ useTypeScript: false, envVars: undefined }).JS,
    api: apiCodegen([], { useTypeScript: false }).JS,
    dataModel: "export {};",
  };
}

async function analyze(esbuild, root, templates, modulePath) {
  const source = fs.readFileSync(path.join(root, modulePath), "utf8");
  const node = /^\s*["']use node["'];?/.test(source); // runs in Node on the backend
  let code;
  try {
    const built = await esbuild.build({
      entryPoints: [modulePath],
      absWorkingDir: root,
      bundle: true,
      platform: node ? "node" : "browser",
      format: "esm",
      target: "esnext",
      jsx: "automatic",
      conditions: ["convex", "module"],
      write: false,
      logLevel: "silent",
      plugins: [generatedFallback(root, templates)],
    });
    code = built.outputFiles[0].text;
  } catch (error) {
    return { ok: false, message: error.errors?.[0]?.text ?? String(error.message ?? error) };
  }
  let namespace;
  try {
    namespace = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const functions = [];
  for (const [name, value] of Object.entries(namespace)) {
    const kind = kindOf(value);
    if (!kind || !value.isPublic) continue;
    functions.push({
      name,
      kind,
      args: JSON.parse(value.exportArgs()),
      returns: JSON.parse(value.exportReturns() ?? "null"),
    });
  }
  return { ok: true, functions };
}

// One result per module path (relative to `root`).
export async function analyzeModules(root, modules) {
  let esbuild;
  try {
    esbuild = createRequire(path.join(root, "node_modules", "convex", "package.json"))("esbuild");
  } catch (error) {
    return modules.map(() => ({ ok: false, message: `esbuild (a dependency of convex) cannot be loaded: ${error.message}` }));
  }
  let templates;
  try {
    templates = await loadTemplates(root);
  } catch (error) {
    return modules.map(() => ({ ok: false, message: `convex's codegen templates cannot be loaded: ${error.message}` }));
  }
  const results = [];
  for (const modulePath of modules) results.push(await analyze(esbuild, root, templates, modulePath));
  return results;
}

async function main() {
  const root = path.resolve(process.argv[2]);
  const modules = process.argv.slice(3);
  const resultFile = process.env.APP_RESULT_FILE;
  if (!resultFile) {
    console.error("usage: APP_RESULT_FILE=FILE node analyze_functions.mjs PROJECT_ROOT MODULE_PATH...");
    process.exit(2);
  }
  const exit = process.exit.bind(process);
  console.log = console.error; // what the modules print is not our result
  console.info = console.error;
  const results = await analyzeModules(root, modules);
  fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify({ node: process.versions.node, results }));
  fs.renameSync(`${resultFile}.tmp`, resultFile);
  exit(0);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === url.fileURLToPath(import.meta.url)) await main();
