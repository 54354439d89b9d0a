// verdict: reject
// rule: push/id-table-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// why: The table name inside v.id() is parsed as a TableName and "bad-name" is not an identifier.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ owner: v.id("bad-name") }),
  }
);
