// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<DatabaseSchemaJson> for DatabaseSchema @ 94a42c3db
// why: Without schemaValidation the backend defaults it to false, so index fields need not exist in the document type.
const tables = [
  {
    tableName: "things",
    indexes: [{ indexDescriptor: "by_missing", fields: ["missing"] }],
    documentType: { type: "object", value: { a: { fieldType: { type: "string" }, optional: false } } },
  },
];

export default { export: () => JSON.stringify({ tables }) };
