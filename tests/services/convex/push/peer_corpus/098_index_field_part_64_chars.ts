// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// why: A 64-byte path part is a valid identifier and v.any() can contain any path.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any()).index("by_long", ["meta.pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"] as any),
  }
);
