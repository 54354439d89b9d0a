// verdict: reject
// rule: push/malformed
// backend: InvalidJson
// source: crates/common/src/schemas/json.rs DatabaseSchemaJson @ 94a42c3db; crates/json_trait/src/lib.rs JsonForm::json_deserialize @ 94a42c3db; crates/isolate/src/environment/schema.rs SchemaEnvironment::run_evaluate_schema @ 94a42c3db
// why: `tables` is a required field of DatabaseSchemaJson, so deserialization fails and json_deserialize reports it as InvalidJson (a bad request, which run_evaluate_schema passes on unchanged).
export default { export: () => JSON.stringify({ schemaValidation: true }) };
