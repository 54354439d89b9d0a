// verdict: accept
// backend: none
// source: crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: The backend needs only a default export whose export() returns schema JSON; defineSchema is not required.
const tables = [
  {
    tableName: "notes",
    indexes: [{ indexDescriptor: "by_body", fields: ["body"] }],
    documentType: { type: "object", value: { body: { fieldType: { type: "string" }, optional: false } } },
  },
];

export default { export: () => JSON.stringify({ tables, schemaValidation: true }) };
