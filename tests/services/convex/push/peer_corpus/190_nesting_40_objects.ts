// verdict: accept
// backend: none
// source: crates/json_trait/src/lib.rs JsonForm::json_deserialize @ 94a42c3db; crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: 40 nested v.object validators make the export 127 JSON levels deep, the most serde_json's recursion limit (128) lets through.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

let nested: any = v.string();
for (let i = 0; i < 40; i++) nested = v.object({ n: nested });

export default defineSchema({ things: defineTable({ a: nested }) });
