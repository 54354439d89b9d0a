// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db
// why: Without `dimensions` the parser falls back to the legacy `dimension` key ("Support legacy alpha users").
const tables = [
  {
    tableName: "docs",
    indexes: [],
    vectorIndexes: [{ indexDescriptor: "by_embedding", vectorField: "embedding", dimension: 8, filterFields: [] }],
    documentType: {
      type: "object",
      value: { embedding: { fieldType: { type: "array", value: { type: "number" } }, optional: false } },
    },
  },
];

export default { export: () => JSON.stringify({ tables, schemaValidation: true }) };
