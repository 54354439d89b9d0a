// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs ValidatorJson @ 94a42c3db
// test: crates/common/src/schemas/json.rs test_map_set_are_any @ bea52bde0
// why: "map" and "set" are serde aliases of "any", so a path under them can be indexed.
const field = (fieldType: object) => ({ fieldType, optional: false });
const tables = [
  {
    tableName: "things",
    indexes: [{ indexDescriptor: "by_m_x", fields: ["m.x"] }],
    documentType: {
      type: "object",
      value: {
        m: field({ type: "map", keys: { type: "string" }, values: { type: "string" } }),
        s: field({ type: "set", value: { type: "string" } }),
      },
    },
  },
];

export default { export: () => JSON.stringify({ tables, schemaValidation: true }) };
