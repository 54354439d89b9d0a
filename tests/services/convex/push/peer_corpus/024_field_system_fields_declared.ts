// verdict: warn
// rule: push/system-field
// backend: none
// source: crates/common/src/schemas/validator.rs ObjectValidator::filter_system_fields (from json.rs TryFrom<ValidatorJson> for DocumentSchema) @ 94a42c3db
// why: Declaring _id and _creationTime at the top level is accepted but both validators are silently dropped.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ _id: v.id("things"), _creationTime: v.number(), title: v.string() }).index("by_title", ["title"]),
  }
);
