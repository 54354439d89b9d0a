// verdict: reject
// rule: push/lone-surrogate
// backend: InvalidJson
// source: crates/json_trait/src/lib.rs JsonForm::json_deserialize @ 94a42c3db; crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: JSON.stringify writes a lone surrogate as the escape \ud800, which serde_json refuses to read into a string, so the whole schema fails to parse.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({ things: defineTable({ a: v.literal("\uD800") }) });
