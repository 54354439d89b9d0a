// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: A path part longer than 64 bytes is not an identifier, even on a v.any() table.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any()).index("by_long", ["meta.ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"] as any),
  }
);
