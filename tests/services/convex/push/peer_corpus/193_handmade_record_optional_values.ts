// verdict: reject
// rule: push/record-values
// backend: InvalidRecordType
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db
// why: A record's values are a FieldValidator and the parser bails with "Records cannot have optional values" when it is optional; the JS builder refuses v.optional there, so only a hand-made export reaches the backend with it.
const tables = [
  {
    tableName: "things",
    indexes: [],
    documentType: {
      type: "object",
      value: {
        scores: {
          fieldType: { type: "record", keys: { type: "string" }, values: { fieldType: { type: "number" }, optional: true } },
          optional: false,
        },
      },
    },
  },
];

export default { export: () => JSON.stringify({ tables, schemaValidation: true }) };
