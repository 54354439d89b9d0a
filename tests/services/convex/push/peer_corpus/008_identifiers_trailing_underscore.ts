// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/types/index.rs IndexDescriptor::new @ 94a42c3db; crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db
// why: "a_" and "b__c" contain a non-underscore character, so they are valid table, field and index names.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    a_: defineTable({ a_: v.string(), b__c: v.string() })
      .index("a_", ["a_"])
      .index("b__c", ["b__c"]),
  }
);
