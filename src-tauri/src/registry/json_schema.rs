//! JSON Schema through the `jsonschema` crate: records are JSON text; encoding validates
//! first and names the failing path (`/items/0/qty: 0 is less than the minimum of 1`).

use serde_json::Value as Json;

use crate::error::{Error, Result};

pub struct JsonSchema {
    validator: jsonschema::Validator,
}

impl JsonSchema {
    pub fn parse(text: &str) -> Result<JsonSchema> {
        let raw: Json = serde_json::from_str(text).map_err(|e| {
            Error::invalid_input("schema", format!("The JSON Schema is not JSON: {e} (line {}, column {}).", e.line(), e.column()))
        })?;
        let validator = jsonschema::validator_for(&raw)
            .map_err(|e| Error::invalid_input("schema", format!("The JSON Schema is not valid: {e}.")))?;
        Ok(JsonSchema { validator })
    }

    /// The first problem of `value` against the schema, with its path.
    fn check(&self, value: &Json) -> std::result::Result<(), String> {
        match self.validator.iter_errors(value).next() {
            None => Ok(()),
            Some(e) => {
                let path = e.instance_path.to_string();
                Err(format!("{}: {e}", if path.is_empty() { "/" } else { &path }))
            }
        }
    }

    /// Shown as it is; a record that breaks its schema still shows, with the reason.
    pub fn decode(&self, body: &[u8]) -> std::result::Result<Json, String> {
        serde_json::from_slice(body).map_err(|e| format!("The record is not JSON: {e}"))
    }

    pub fn encode(&self, value: &Json) -> std::result::Result<Vec<u8>, String> {
        self.check(value)?;
        serde_json::to_vec(value).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validates_with_a_path() {
        let s = JsonSchema::parse(r#"{"type":"object","properties":{"qty":{"type":"integer","minimum":1}},"required":["qty"]}"#).unwrap();
        assert_eq!(s.encode(&json!({"qty": 2})).unwrap(), br#"{"qty":2}"#);
        let e = s.encode(&json!({"qty": 0})).unwrap_err();
        assert!(e.starts_with("/qty:"), "{e}");
        assert!(JsonSchema::parse("{").err().unwrap().message.contains("line 1"));
    }
}
