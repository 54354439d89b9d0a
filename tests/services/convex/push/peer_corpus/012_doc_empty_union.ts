// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: An empty union parses to DocumentSchema::Union([]), which the parser accepts (no member is a non-object).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union()),
  }
);
