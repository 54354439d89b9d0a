// Drives the loopback test deployment with the official npm `convex` clients.
//
//   node tests/loopback/official_js_clients.mjs URL SCENARIO
//
// SCENARIO is `http` (ConvexHttpClient) or `ws` (ConvexClient over WebSocket, using the
// `ws` package because Node 20 has no global WebSocket). The test deployment must have
// `messages:send` (mutation inserting into "messages"), `messages:list` (query listing
// them), `messages:count` (query counting them), `messages:boom` (a failing query) and
// `jobs:run` (an action) registered. Prints one JSON document on stdout and exits 0, or
// prints {"error": ...} and exits 1. It gives up by itself after DEADLINE_MS.
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import WebSocket from "ws";

const DEADLINE_MS = 15000;
const [url, scenario] = process.argv.slice(2);

const fn = (name) => makeFunctionReference(name);

function withDeadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return { name: error.name, message: String(error.message), data: error.data ?? null };
  }
}

async function httpScenario() {
  const client = new ConvexHttpClient(url, { logger: false });
  const before = await client.query(fn("messages:count"), {});
  const id = await client.mutation(fn("messages:send"), { body: "from npm http", n: 7 });
  const after = await client.query(fn("messages:count"), {});
  const list = await client.query(fn("messages:list"), {});
  const action = await client.action(fn("jobs:run"), {});
  const error = await errorOf(client.query(fn("messages:boom"), {}));
  const missing = await errorOf(client.query(fn("messages:missing"), {}));
  return { before, id, after, list, action, error, missing };
}

async function wsScenario() {
  const client = new ConvexClient(url, {
    webSocketConstructor: WebSocket,
    unsavedChangesWarning: false,
    logger: false,
  });
  try {
    const updates = [];
    let notify = () => {};
    const unsubscribe = client.onUpdate(
      fn("messages:list"),
      {},
      (value) => {
        updates.push(value);
        notify();
      },
      (error) => {
        updates.push({ error: String(error.message) });
        notify();
      },
    );
    const nextUpdate = (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (updates.length >= count) resolve(updates[count - 1]);
        };
        notify = check;
        check();
      });
    const initial = await nextUpdate(1);
    const before = await client.query(fn("messages:count"), {});
    const id = await client.mutation(fn("messages:send"), { body: "from npm ws", n: 1 });
    const afterMutation = await nextUpdate(2);
    const after = await client.query(fn("messages:count"), {});
    const action = await client.action(fn("jobs:run"), {});
    const error = await errorOf(client.query(fn("messages:boom"), {}));
    unsubscribe();
    return { initial, before, id, afterMutation, after, action, error };
  } finally {
    await withDeadline(client.close(), 3000, "close");
  }
}

const scenarios = { http: httpScenario, ws: wsScenario };

async function main() {
  const run = scenarios[scenario];
  if (!url || !run) {
    throw new Error(`usage: official_js_clients.mjs URL (${Object.keys(scenarios).join("|")})`);
  }
  return await withDeadline(run(), DEADLINE_MS, scenario);
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(0);
  },
  (error) => {
    process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }) + "\n");
    process.exit(1);
  },
);
