// verdict: reject
// rule: push/malformed
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs DatabaseSchemaJson @ 94a42c3db; crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: `tables` is a required field of DatabaseSchemaJson, so deserialization fails and the isolate reports InvalidSchema.
export default { export: () => JSON.stringify({ schemaValidation: true }) };
