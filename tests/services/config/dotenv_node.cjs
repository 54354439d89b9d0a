// The real npm dotenv (package.json devDependencies, the version convex bundles), for the
// differential tests of cli/services/config/npm_dotenv.py. Reads one JSON request on stdin and
// writes one JSON line on stdout:
//   {"mode": "files", "paths": [...]}  -> per file, as dotenv.config({path}) reads it: the decoded
//                                         text, dotenv's parsed values, and what process.env holds
//   {"mode": "strings", "cases": [...]} -> dotenv.parse of each string
//   {"mode": "select", "scenarios": [{"dir", "env", "names"}]} -> per scenario, what convex 1.48.0
//      sees (src/cli/lib/deploymentSelection.ts): env as the process environment, cwd = dir,
//      config(.env.local), config(), then "" and undefined as null
"use strict";
const fs = require("fs");
const dotenv = require("dotenv");
const { version } = require("dotenv/package.json");

function clearEnv() {
  for (const key of Object.keys(process.env)) delete process.env[key];
}

function files(paths) {
  return paths.map((path) => {
    clearEnv();
    let text = null;
    try {
      text = fs.readFileSync(path, { encoding: "utf8" });
    } catch (error) {
      text = null;
    }
    const { parsed } = dotenv.config({ path });
    const env = {};
    for (const key of Object.keys(parsed)) env[key] = process.env[key];
    return { text, parsed, env };
  });
}

function select(scenarios) {
  return scenarios.map(({ dir, env, names }) => {
    clearEnv();
    Object.assign(process.env, env);
    process.chdir(dir);
    dotenv.config({ path: ".env.local" });
    dotenv.config();
    const seen = {};
    for (const name of names) {
      const value = process.env[name];
      seen[name] = value === undefined || value === "" ? null : value;
    }
    return seen;
  });
}

const request = JSON.parse(fs.readFileSync(0, "utf8"));
let results;
if (request.mode === "files") results = files(request.paths);
else if (request.mode === "strings") results = request.cases.map((text) => dotenv.parse(text));
else if (request.mode === "select") results = select(request.scenarios);
else throw new Error(`unknown mode ${request.mode}`);
process.stdout.write("\n" + JSON.stringify({ version, results }) + "\n");
