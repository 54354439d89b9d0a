// verdict: reject
// rule: push/index-field-missing
// also: warning push/system-field
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/validator.rs ObjectValidator::filter_system_fields (from json.rs TryFrom<ValidatorJson> for DocumentSchema) @ 94a42c3db; crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// why: Top-level "_meta" is dropped from the document type, and the multi-part path "_meta.x" gets no system-field exemption.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string(), _meta: v.object({ x: v.string() }) }).searchIndex("s", { searchField: "body", filterFields: ["_meta.x"] }),
  }
);
