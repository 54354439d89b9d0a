// verdict: reject
// rule: push/malformed
// backend: InvalidSchema
// source: crates/common/src/schemas/validator.rs TryFrom<ConvexValue> for LiteralValidator @ 94a42c3db
// why: A literal must be a string, number, bigint or boolean; null is "not a valid literal".
const tables = [
  {
    tableName: "things",
    indexes: [],
    documentType: {
      type: "object",
      value: { nothing: { fieldType: { type: "literal", value: null }, optional: false } },
    },
  },
];

export default { export: () => JSON.stringify({ tables, schemaValidation: true }) };
