// Evaluates a pushed schema bundle (a self-contained ESM module: the CLI bundles `convex`
// into it) the way the backend does: import it, take the default export, call `.export()`.
// Writes one JSON document, {ok: true, schema} or {ok: false, code, message}, to the file
// $APP_RESULT_FILE names: synchronously, so that it is whole however large the schema
// (piped stdout is cut at 64 KiB by process.exit), and apart from anything the bundle prints.
// Usage: APP_RESULT_FILE=FILE node evaluate_pushed_schema.mjs BUNDLE (an absolute path).
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const bundle = process.argv[2];
const resultFile = process.env.APP_RESULT_FILE;
if (!resultFile || !bundle) {
  console.error("usage: APP_RESULT_FILE=FILE node evaluate_pushed_schema.mjs BUNDLE");
  process.exit(2);
}
const finish = (result) => {
  fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
  fs.renameSync(`${resultFile}.tmp`, resultFile); // a killed writer leaves no half result
  process.exit(0); // the bundle may have left timers or sockets open
};
console.log = console.error;
console.info = console.error;
let schema;
try {
  schema = (await import(pathToFileURL(bundle).href)).default;
} catch (error) {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  finish({ ok: false, code: "InvalidSchema", message: `Uncaught ${name}: ${message}` });
}
if (schema === undefined || schema === null) {
  const message = "Schema file is missing a default export.";
  finish({ ok: false, code: "MissingSchemaExportError", message });
}
if (typeof schema.export !== "function" || typeof schema.tables !== "object") {
  const message = "Default export from schema file isn't a Convex schema.";
  finish({ ok: false, code: "InvalidSchemaExport", message });
}
try {
  finish({ ok: true, schema: schema.export() });
} catch (error) {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  finish({ ok: false, code: "InvalidSchema", message: `Uncaught ${name}: ${message}` });
}
