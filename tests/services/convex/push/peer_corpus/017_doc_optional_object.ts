// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: Optionality is not part of a validator's JSON, so v.optional(v.object(...)) exports as a plain object document type.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.optional(v.object({ a: v.string() })) as any).index("by_a", ["a"]),
  }
);
