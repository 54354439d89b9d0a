// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// why: Search filter fields are in fields_referenced_in_indexes and must be containable.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string() }).searchIndex("s", { searchField: "body", filterFields: ["channel"] } as any),
  }
);
