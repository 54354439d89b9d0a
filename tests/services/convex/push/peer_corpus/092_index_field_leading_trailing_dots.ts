// verdict: warn
// rule: push/index-field-normalized
// backend: none
// source: crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: ".a" and "b.c." are trimmed to "a" and "b.c" and the index is created on the normalized paths.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.object({ c: v.string() }) }).index("by_a_bc", [".a", "b.c."] as any),
  }
);
