// verdict: warn
// rule: push/filter-field-repeated
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TextIndexSchemaJson> for TextIndexSchema @ 94a42c3db
// why: Search filterFields are deserialized into a set, so the repeated "status" collapses into one.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string(), status: v.string() }).searchIndex("s", { searchField: "body", filterFields: ["status", "status"] }),
  }
);
