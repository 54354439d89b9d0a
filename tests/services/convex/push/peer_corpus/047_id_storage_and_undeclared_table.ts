// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nonexistent_table_name_reference @ bea52bde0
// why: v.id() only requires a valid identifier: system tables and tables not in the schema are accepted.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ file: v.id("_storage"), job: v.id("_scheduled_functions"), other: v.id("otherTable") }),
  }
);
