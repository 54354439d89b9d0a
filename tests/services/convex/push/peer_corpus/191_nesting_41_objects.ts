// verdict: reject
// rule: push/too-deep
// backend: InvalidJson
// source: crates/json_trait/src/lib.rs JsonForm::json_deserialize @ 94a42c3db; crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: 41 nested v.object validators make the export 130 JSON levels deep; serde_json stops at its recursion limit of 128, so the schema cannot be read.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

let nested: any = v.string();
for (let i = 0; i < 41; i++) nested = v.object({ n: nested });

export default defineSchema({ things: defineTable({ a: nested }) });
