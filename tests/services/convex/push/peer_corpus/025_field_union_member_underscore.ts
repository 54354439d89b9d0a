// verdict: warn
// rule: push/system-field
// backend: none
// source: crates/common/src/schemas/validator.rs ObjectValidator::filter_system_fields (from json.rs TryFrom<ValidatorJson> for DocumentSchema) @ 94a42c3db
// why: filter_system_fields runs on every object member of a top-level union, so "_meta" is dropped from the first member.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(
      v.union(
        v.object({ kind: v.literal("a"), _meta: v.string() }),
        v.object({ kind: v.literal("b") }),
      ),
    ),
  }
);
