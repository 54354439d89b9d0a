// verdict: reject
// rule: push/id-table-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// why: v.id() table names are checked at any depth, here inside an array in a union member.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(
      v.union(
        v.object({ kind: v.literal("a") }),
        v.object({ kind: v.literal("b"), refs: v.array(v.id("my table")) }),
      ),
    ),
  }
);
