// verdict: warn
// rule: push/system-field
// backend: none
// source: crates/common/src/schemas/validator.rs ObjectValidator::filter_system_fields (from json.rs TryFrom<ValidatorJson> for DocumentSchema) @ 94a42c3db
// why: The top-level field "_hidden" is a valid identifier but is silently dropped from the document type by filter_system_fields.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ name: v.string(), _hidden: v.string() }),
  }
);
