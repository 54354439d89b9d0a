// verdict: reject
// rule: push/document-type
// backend: InvalidTopLevelTypeInSchemaError
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: A top-level union member that is itself a union (not an object) is rejected; the backend does not flatten nested unions.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(
      v.union(
        v.object({ a: v.string() }),
        v.union(v.object({ b: v.string() }), v.object({ c: v.string() })),
      ),
    ),
  }
);
