// verdict: warn
// rule: push/system-field
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db; crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new @ 94a42c3db
// why: NaN parses as a float literal; the top-level _a field holding it is dropped before the schema is stored, so the non-finite literal never reaches serialization.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({ things: defineTable({ _a: v.literal(NaN), b: v.string() }) });
