// verdict: reject
// rule: push/reserved-index
// backend: IndexNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/database/src/bootstrap_model/index.rs IndexModel::indexes_in_new_schema @ 94a42c3db; crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// why: The parser lets "_fivetran*" names through via new_reserved, but IndexName::new rejects them when the push builds the index diff.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fivetran: v.object({ synced: v.number() }) }).index("_fivetran_by_synced", ["fivetran.synced"]),
  }
);
