//! Avro through apache-avro: binary to readable JSON (decimals as exact strings,
//! timestamps and dates as ISO-8601, UUIDs as text, unions unwrapped), and JSON to binary
//! guided by the schema, with errors that name the field path and the expected type.

mod json_text;

use std::collections::HashMap;
use std::sync::Arc;

use apache_avro::schema::{Name, Schema};
use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::GenericSingleObjectReader;
use apache_avro::types::Value;
use serde_json::{json, Value as Json};

use crate::error::{Error, Result};

pub struct AvroSchema {
    /// The schema itself (the last parsed), then its references.
    main: Schema,
    schemata: Vec<Schema>,
    /// Named types by full name, for `Ref`s.
    names: HashMap<String, Schema>,
    /// Writes records straight to JSON text (see `json_text`); `None` for a schema with
    /// references, or one it cannot follow.
    text: Option<Arc<json_text::TextSchema>>,
    /// Otherwise, reads records into a `Value` with the schema's names resolved once
    /// (apache-avro's `from_avro_datum` resolves them again for every record); `None` for a
    /// schema with references.
    reader: Option<GenericSingleObjectReader>,
}

impl AvroSchema {
    pub fn parse(text: &str, references: &[(String, String)]) -> Result<AvroSchema> {
        let mut all: Vec<&str> = references.iter().map(|(_, s)| s.as_str()).collect();
        all.push(text);
        let parsed = if references.is_empty() {
            Schema::parse_str(text).map(|s| vec![s])
        } else {
            Schema::parse_list(all.clone())
        }
        .map_err(|e| Error::invalid_input("schema", format!("The Avro schema is not valid: {e}.")))?;
        let main = parsed.last().cloned().ok_or_else(|| Error::invalid_input("schema", "The Avro schema is empty."))?;
        let mut names = HashMap::new();
        for s in &parsed {
            collect_names(s, &mut names);
        }
        let single = parsed.len() == 1;
        let text = single.then(|| json_text::TextSchema::new(&main, &names)).flatten().map(Arc::new);
        // The Confluent framing (magic byte + id) is cut off before the body reaches a reader,
        // so it expects no single-object header.
        let reader = (single && text.is_none())
            .then(|| GenericSingleObjectReader::builder().schema(main.clone()).header(Vec::new()).build().ok())
            .flatten();
        Ok(AvroSchema { main, schemata: parsed, names, text, reader })
    }

    fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        match schema {
            Schema::Ref { name } => self.names.get(&fullname(name)).unwrap_or(schema),
            other => other,
        }
    }

    /// The record as JSON (for the detail view and export).
    pub fn decode(&self, body: &[u8]) -> std::result::Result<Json, String> {
        let mut text = Vec::new();
        self.decode_text(body, &mut text)?;
        serde_json::from_slice(&text).map_err(|e| format!("The decoded record is not JSON: {e}"))
    }

    /// The record as compact JSON text appended to `out`, fields in schema order (nothing
    /// appended if the bytes do not fit): searches read this text directly, the detail and
    /// export parse it.
    pub fn decode_text(&self, body: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), String> {
        let not_fitting = |e: apache_avro::Error| format!("The bytes do not fit the Avro schema: {e}");
        let mut reader = body;
        let mark = out.len();
        if let Some(text) = &self.text {
            json_text::write_record(text, &mut reader, out).map_err(not_fitting)?;
        } else {
            let value = match &self.reader {
                Some(r) => r.read_value(&mut reader),
                None => GenericDatumReader::builder(&self.main)
                    .writer_schemata(self.schemata.iter().collect())
                    .and_then(|b| b.build())
                    .and_then(|r| r.read_value(&mut reader)),
            }
            .map_err(not_fitting)?;
            self.write_json(&value, &self.main, out);
        }
        if !reader.is_empty() {
            out.truncate(mark);
            return Err(format!("The bytes do not fit the Avro schema: {} bytes left over after the record.", reader.len()));
        }
        Ok(())
    }

    fn write_json(&self, value: &Value, schema: &Schema, out: &mut Vec<u8>) {
        let schema = self.resolve(schema);
        match value {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Boolean(b) => write(out, b),
            Value::Int(i) => write(out, i),
            Value::Long(l) => write(out, l),
            Value::Float(f) => write(out, f),
            Value::Double(d) => write(out, d),
            Value::Bytes(b) | Value::Fixed(_, b) => match schema {
                Schema::Decimal(d) => write_decimal(out, b, d.scale),
                _ => write(out, &bytes_text(b)),
            },
            Value::String(s) | Value::Enum(_, s) => write(out, s),
            Value::Union(i, inner) => {
                let branch = match schema {
                    Schema::Union(u) => u.variants().get(*i as usize),
                    _ => None,
                };
                self.write_json(inner, branch.unwrap_or(&Schema::Null), out);
            }
            Value::Array(items) => {
                let item_schema = match schema {
                    Schema::Array(a) => &*a.items,
                    _ => &Schema::Null,
                };
                out.push(b'[');
                for (n, v) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    self.write_json(v, item_schema, out);
                }
                out.push(b']');
            }
            Value::Map(map) => {
                let value_schema = match schema {
                    Schema::Map(m) => &*m.types,
                    _ => &Schema::Null,
                };
                // Sorted, so the same map always reads the same.
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                self.write_object(keys.into_iter().map(|k| (k.as_str(), &map[k], value_schema)), out);
            }
            Value::Record(fields) => {
                let record = match schema {
                    Schema::Record(r) => Some(r),
                    _ => None,
                };
                // Decoded fields come in schema order; the lookup covers anything else.
                let field_schema = |n: usize, name: &str| {
                    record
                        .and_then(|r| r.fields.get(n).filter(|f| f.name == name).or_else(|| r.lookup.get(name).and_then(|&i| r.fields.get(i))))
                        .map_or(&Schema::Null, |f| &f.schema)
                };
                self.write_object(fields.iter().enumerate().map(|(n, (name, v))| (name.as_str(), v, field_schema(n, name))), out);
            }
            Value::Date(days) => write(out, &civil_date(i64::from(*days))),
            Value::TimeMillis(ms) => write(out, &time_of_day(i64::from(*ms) * 1000)),
            Value::TimeMicros(us) => write(out, &time_of_day(*us)),
            Value::TimestampMillis(ms) | Value::LocalTimestampMillis(ms) => write_timestamp(out, i128::from(*ms) * 1_000_000, 3),
            Value::TimestampMicros(us) | Value::LocalTimestampMicros(us) => write_timestamp(out, i128::from(*us) * 1000, 6),
            Value::TimestampNanos(ns) | Value::LocalTimestampNanos(ns) => write_timestamp(out, i128::from(*ns), 9),
            Value::Decimal(d) => {
                let scale = match schema {
                    Schema::Decimal(s) => s.scale,
                    _ => 0,
                };
                match <Vec<u8>>::try_from(d) {
                    Ok(bytes) => write_decimal(out, &bytes, scale),
                    Err(_) => out.extend_from_slice(b"null"),
                }
            }
            Value::BigDecimal(b) => write(out, &b.to_string()),
            Value::Uuid(u) => write(out, &u.to_string()),
            Value::Duration(d) => write(
                out,
                &json!({ "days": u32::from(d.days()), "millis": u32::from(d.millis()), "months": u32::from(d.months()) }),
            ),
        }
    }

    fn write_object<'v>(&self, entries: impl Iterator<Item = (&'v str, &'v Value, &'v Schema)>, out: &mut Vec<u8>) {
        out.push(b'{');
        for (n, (key, value, schema)) in entries.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            write(out, key);
            out.push(b':');
            self.write_json(value, schema, out);
        }
        out.push(b'}');
    }

    pub fn encode(&self, value: &Json) -> std::result::Result<Vec<u8>, String> {
        let avro = self.from_json(value, &self.main, "")?;
        let written = if self.schemata.len() > 1 {
            GenericDatumWriter::builder(&self.main).schemata(self.schemata.iter().collect()).and_then(|b| b.build())
        } else {
            GenericDatumWriter::builder(&self.main).build()
        }
        .and_then(|w| w.write_value_to_vec(avro));
        written.map_err(|e| format!("The record does not fit the Avro schema: {e}"))
    }

    fn from_json(&self, v: &Json, schema: &Schema, path: &str) -> std::result::Result<Value, String> {
        let schema = self.resolve(schema);
        let at = if path.is_empty() { "/".to_string() } else { path.to_string() };
        let expected = |what: &str| format!("{at}: expected {what}, found {}.", kind_of(v));
        let int = |v: &Json| v.as_i64();
        Ok(match schema {
            Schema::Null => match v {
                Json::Null => Value::Null,
                _ => return Err(expected("null")),
            },
            Schema::Boolean => Value::Boolean(v.as_bool().ok_or_else(|| expected("a boolean"))?),
            Schema::Int => Value::Int(
                int(v).and_then(|i| i32::try_from(i).ok()).ok_or_else(|| expected("an int (32-bit whole number)"))?,
            ),
            Schema::Long => Value::Long(int(v).ok_or_else(|| expected("a long (whole number)"))?),
            Schema::Float => Value::Float(v.as_f64().ok_or_else(|| expected("a float"))? as f32),
            Schema::Double => Value::Double(v.as_f64().ok_or_else(|| expected("a double"))?),
            Schema::Bytes => Value::Bytes(text_bytes(v.as_str().ok_or_else(|| expected("bytes as a string"))?)),
            Schema::String => Value::String(v.as_str().ok_or_else(|| expected("a string"))?.to_string()),
            Schema::Fixed(f) => {
                let b = text_bytes(v.as_str().ok_or_else(|| expected("fixed bytes as a string"))?);
                if b.len() != f.size {
                    return Err(format!("{at}: expected {} bytes, found {}.", f.size, b.len()));
                }
                Value::Fixed(f.size, b)
            }
            Schema::Enum(e) => {
                let s = v.as_str().ok_or_else(|| expected(&format!("one of {}", e.symbols.join(", "))))?;
                let i = e.symbols.iter().position(|x| x == s).ok_or_else(|| format!("{at}: \"{s}\" is not one of {}.", e.symbols.join(", ")))?;
                Value::Enum(i as u32, s.to_string())
            }
            Schema::Array(a) => {
                let items = v.as_array().ok_or_else(|| expected("an array"))?;
                Value::Array(
                    items.iter().enumerate().map(|(i, x)| self.from_json(x, &a.items, &format!("{path}/{i}"))).collect::<std::result::Result<_, _>>()?,
                )
            }
            Schema::Map(m) => {
                let obj = v.as_object().ok_or_else(|| expected("an object (map)"))?;
                Value::Map(
                    obj.iter()
                        .map(|(k, x)| Ok((k.clone(), self.from_json(x, &m.types, &format!("{path}/{k}"))?)))
                        .collect::<std::result::Result<_, String>>()?,
                )
            }
            Schema::Record(r) => {
                let obj = v.as_object().ok_or_else(|| expected(&format!("an object (record {})", r.name.name())))?;
                let mut fields = Vec::with_capacity(r.fields.len());
                for f in &r.fields {
                    let p = format!("{path}/{}", f.name);
                    let value = match obj.get(&f.name) {
                        Some(x) => self.from_json(x, &f.schema, &p)?,
                        None => match &f.default {
                            Some(d) => self.from_json(d, &f.schema, &p)?,
                            None => return Err(format!("{p}: missing (the field has no default).")),
                        },
                    };
                    fields.push((f.name.clone(), value));
                }
                if let Some(extra) = obj.keys().find(|k| !r.fields.iter().any(|f| &f.name == *k)) {
                    return Err(format!("{path}/{extra}: record {} has no such field.", r.name.name()));
                }
                Value::Record(fields)
            }
            Schema::Union(u) => self.union_from_json(v, u.variants(), path)?,
            Schema::Decimal(d) => {
                let text = match v {
                    Json::String(s) => s.clone(),
                    Json::Number(n) => n.to_string(),
                    _ => return Err(expected("a decimal (as a string like \"12.34\")")),
                };
                let unscaled = decimal_unscaled(&text, d.scale).ok_or_else(|| format!("{at}: \"{text}\" is not a decimal with at most {} places.", d.scale))?;
                Value::Decimal(apache_avro::Decimal::from(unscaled))
            }
            Schema::Uuid(_) => {
                let s = v.as_str().ok_or_else(|| expected("a UUID string"))?;
                Value::Uuid(s.parse().map_err(|_| format!("{at}: \"{s}\" is not a UUID."))?)
            }
            Schema::Date => match v {
                Json::String(s) => Value::Date(parse_date(s).ok_or_else(|| format!("{at}: \"{s}\" is not a date (YYYY-MM-DD)."))? as i32),
                _ => Value::Date(int(v).and_then(|i| i32::try_from(i).ok()).ok_or_else(|| expected("a date (YYYY-MM-DD or days)"))?),
            },
            Schema::TimeMillis => Value::TimeMillis(int(v).and_then(|i| i32::try_from(i).ok()).ok_or_else(|| expected("milliseconds of the day"))?),
            Schema::TimeMicros => Value::TimeMicros(int(v).ok_or_else(|| expected("microseconds of the day"))?),
            Schema::TimestampMillis | Schema::LocalTimestampMillis => {
                let ns = time_json(v).ok_or_else(|| expected("a timestamp (ISO-8601 or epoch milliseconds)"))?;
                let ms = ns.map_or_else(|| int(v).unwrap_or_default(), |ns| (ns / 1_000_000) as i64);
                if matches!(schema, Schema::TimestampMillis) { Value::TimestampMillis(ms) } else { Value::LocalTimestampMillis(ms) }
            }
            Schema::TimestampMicros | Schema::LocalTimestampMicros => {
                let ns = time_json(v).ok_or_else(|| expected("a timestamp (ISO-8601 or epoch microseconds)"))?;
                let us = ns.map_or_else(|| int(v).unwrap_or_default(), |ns| (ns / 1000) as i64);
                if matches!(schema, Schema::TimestampMicros) { Value::TimestampMicros(us) } else { Value::LocalTimestampMicros(us) }
            }
            Schema::TimestampNanos | Schema::LocalTimestampNanos => {
                let ns = time_json(v).ok_or_else(|| expected("a timestamp (ISO-8601 or epoch nanoseconds)"))?;
                let n = ns.map_or_else(|| int(v).unwrap_or_default(), |ns| ns as i64);
                if matches!(schema, Schema::TimestampNanos) { Value::TimestampNanos(n) } else { Value::LocalTimestampNanos(n) }
            }
            other => return Err(format!("{at}: Avro type {other:?} is not supported for typing in JSON.")),
        })
    }

    /// A union from either the bare value (the first branch it fits) or Avro's JSON
    /// encoding `{"<type name>": value}`.
    fn union_from_json(&self, v: &Json, variants: &[Schema], path: &str) -> std::result::Result<Value, String> {
        if let Json::Object(obj) = v {
            if obj.len() == 1 {
                let (tag, inner) = obj.iter().next().expect("one entry");
                if let Some((i, s)) = variants.iter().enumerate().find(|(_, s)| type_name(self.resolve(s)).as_deref() == Some(tag.as_str())) {
                    return Ok(Value::Union(i as u32, Box::new(self.from_json(inner, s, path)?)));
                }
            }
        }
        let mut reasons = Vec::new();
        for (i, s) in variants.iter().enumerate() {
            match self.from_json(v, s, path) {
                Ok(x) => return Ok(Value::Union(i as u32, Box::new(x))),
                Err(e) => reasons.push(e),
            }
        }
        let names: Vec<String> = variants.iter().map(|s| type_name(self.resolve(s)).unwrap_or_else(|| "?".into())).collect();
        let at = if path.is_empty() { "/" } else { path };
        Err(format!("{at}: fits none of the union's types ({}): {}", names.join(", "), reasons.last().cloned().unwrap_or_default()))
    }
}

/// Compact JSON of a scalar (or small value): serde_json's escaping and number formats.
fn write<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail, and these values always serialize.
    let _ = serde_json::to_writer(&mut *out, value);
}

fn fullname(name: &Name) -> String {
    name.fullname(None)
}

fn collect_names(schema: &Schema, names: &mut HashMap<String, Schema>) {
    match schema {
        Schema::Record(r) => {
            names.insert(fullname(&r.name), schema.clone());
            for f in &r.fields {
                collect_names(&f.schema, names);
            }
        }
        Schema::Enum(e) => {
            names.insert(fullname(&e.name), schema.clone());
        }
        Schema::Fixed(f) => {
            names.insert(fullname(&f.name), schema.clone());
        }
        Schema::Array(a) => collect_names(&a.items, names),
        Schema::Map(m) => collect_names(&m.types, names),
        Schema::Union(u) => u.variants().iter().for_each(|s| collect_names(s, names)),
        _ => {}
    }
}

/// The name a union branch goes by in Avro's JSON encoding.
fn type_name(s: &Schema) -> Option<String> {
    Some(match s {
        Schema::Null => "null".into(),
        Schema::Boolean => "boolean".into(),
        Schema::Int | Schema::Date | Schema::TimeMillis => "int".into(),
        Schema::Long | Schema::TimeMicros | Schema::TimestampMillis | Schema::TimestampMicros => "long".into(),
        Schema::Float => "float".into(),
        Schema::Double => "double".into(),
        Schema::Bytes => "bytes".into(),
        Schema::String | Schema::Uuid(_) => "string".into(),
        Schema::Array(_) => "array".into(),
        Schema::Map(_) => "map".into(),
        Schema::Record(r) => fullname(&r.name),
        Schema::Enum(e) => fullname(&e.name),
        Schema::Fixed(f) => fullname(&f.name),
        Schema::Ref { name } => fullname(name),
        _ => return None,
    })
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Avro's JSON convention for bytes: each byte one code point (ISO-8859-1).
fn bytes_text(b: &[u8]) -> String {
    b.iter().map(|c| char::from(*c)).collect()
}

fn text_bytes(s: &str) -> Vec<u8> {
    s.chars().map(|c| u32::from(c).min(255) as u8).collect()
}

/// A big-endian two's-complement unscaled value with `scale` places, as exact text.
fn decimal_text(bytes: &[u8], scale: usize) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    // Magnitude as decimal digits, by repeated division of a big-endian byte string.
    let mut mag: Vec<u8> = if negative {
        // Two's complement negate: invert and add one.
        let mut v: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for b in v.iter_mut().rev() {
            let (n, carry) = b.overflowing_add(1);
            *b = n;
            if !carry {
                break;
            }
        }
        v
    } else {
        bytes.to_vec()
    };
    let mut digits = Vec::new();
    while mag.iter().any(|b| *b != 0) {
        let mut rem = 0u32;
        for b in mag.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    while digits.len() <= scale {
        digits.push(b'0');
    }
    digits.reverse();
    let text = String::from_utf8(digits).unwrap_or_default();
    let (int, frac) = text.split_at(text.len() - scale);
    let sign = if negative { "-" } else { "" };
    if scale == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
}

/// `decimal_text` as a JSON string appended to `out`. Searches decode every record, so the
/// common case (an unscaled value that fits an i128) skips the long division and allocations.
fn write_decimal(out: &mut Vec<u8>, bytes: &[u8], scale: usize) {
    if bytes.len() > 16 || scale > 38 {
        return write(out, &decimal_text(bytes, scale));
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let unscaled = bytes.iter().fold(if negative { -1i128 } else { 0 }, |v, b| (v << 8) | i128::from(*b));
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    let mut magnitude = unscaled.unsigned_abs();
    // At least one digit before the point.
    while magnitude > 0 || digits.len() - at <= scale {
        at -= 1;
        digits[at] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
    }
    let digits = &digits[at..];
    out.push(b'"');
    if negative {
        out.push(b'-');
    }
    let (int, frac) = digits.split_at(digits.len() - scale);
    out.extend_from_slice(int);
    if scale > 0 {
        out.push(b'.');
        out.extend_from_slice(frac);
    }
    out.push(b'"');
}

/// "12.34" with scale 3 → 12340 as big-endian two's complement bytes.
fn decimal_unscaled(text: &str, scale: usize) -> Option<Vec<u8>> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > scale || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}{}", "0".repeat(scale - frac.len()));
    let n: i128 = digits.parse().ok()?;
    let n = if negative { -n } else { n };
    let bytes = n.to_be_bytes();
    // Shortest two's complement form.
    let mut start = 0;
    while start < 15 && ((bytes[start] == 0 && bytes[start + 1] & 0x80 == 0) || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0)) {
        start += 1;
    }
    Some(bytes[start..].to_vec())
}

/// Days since 1970-01-01 to `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

fn time_of_day(micros: i64) -> String {
    let s = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    format!("{:02}:{:02}:{:02}.{:06}", s / 3600, s / 60 % 60, s % 60, frac)
}

/// Nanoseconds since the epoch as ISO-8601 UTC with `places` fraction digits.
fn timestamp(ns: i128, places: u32) -> String {
    let secs = ns.div_euclid(1_000_000_000) as i64;
    let frac = ns.rem_euclid(1_000_000_000) as u64 / 10u64.pow(9 - places);
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:0width$}Z", t / 3600, t / 60 % 60, t % 60, width = places as usize)
}

/// `timestamp` as a JSON string appended to `out`, without formatting machinery for years
/// 0–9999 (searches decode every record).
fn write_timestamp(out: &mut Vec<u8>, ns: i128, places: u32) {
    let secs = ns.div_euclid(1_000_000_000) as i64;
    let (y, m, d) = civil(secs.div_euclid(86_400));
    if !(0..=9999).contains(&y) {
        return write(out, &timestamp(ns, places));
    }
    let frac = ns.rem_euclid(1_000_000_000) as u64 / 10u64.pow(9 - places);
    let t = secs.rem_euclid(86_400) as u64;
    let fields: [(u8, u64, usize); 7] =
        [(b'"', y as u64, 4), (b'-', u64::from(m), 2), (b'-', u64::from(d), 2), (b'T', t / 3600, 2), (b':', t / 60 % 60, 2), (b':', t % 60, 2), (b'.', frac, places as usize)];
    for (before, value, width) in fields {
        out.push(before);
        push_digits(out, value, width);
    }
    out.extend_from_slice(b"Z\"");
}

/// `value` as exactly `width` decimal digits, zero-padded.
fn push_digits(out: &mut Vec<u8>, mut value: u64, width: usize) {
    let start = out.len();
    out.resize(start + width, b'0');
    for digit in out[start..].iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// A timestamp typed as ISO-8601 text (`Some(Some(ns))`) or as a number (`Some(None)`).
fn time_json(v: &Json) -> Option<Option<i128>> {
    match v {
        Json::Number(n) if n.is_i64() => Some(None),
        Json::String(s) => parse_timestamp(s).map(Some),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` to nanoseconds since the epoch.
fn parse_timestamp(s: &str) -> Option<i128> {
    let (date, rest) = s.split_once(['T', ' '])?;
    let days = parse_date(date)?;
    let (clock, offset_secs) = if let Some(c) = rest.strip_suffix('Z') {
        (c, 0i64)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let (c, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off[1..].split_once(':')?;
        (c, sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60))
    } else {
        (rest, 0)
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut p = hms.split(':');
    let h: i64 = p.next()?.parse().ok()?;
    let mi: i64 = p.next()?.parse().ok()?;
    let se: i64 = p.next().unwrap_or("0").parse().ok()?;
    if frac.len() > 9 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos: i128 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    let secs = days * 86_400 + h * 3600 + mi * 60 + se - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[
        {"name":"id","type":"long"},
        {"name":"customer","type":"string"},
        {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
        {"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"ref","type":{"type":"string","logicalType":"uuid"}},
        {"name":"day","type":{"type":"int","logicalType":"date"}},
        {"name":"note","type":["null","string"],"default":null},
        {"name":"state","type":{"type":"enum","name":"State","symbols":["NEW","PAID"]}},
        {"name":"tags","type":{"type":"array","items":"string"}}
    ]}"#;

    #[test]
    fn round_trips_with_readable_logical_types() {
        let s = AvroSchema::parse(ORDER, &[]).unwrap();
        let input = json!({
            "id": 7, "customer": "ana", "amount": "-12.30", "placed": "2024-02-29T13:14:15.123Z",
            "ref": "123e4567-e89b-12d3-a456-426614174000", "day": "2024-01-31", "note": "gift",
            "state": "PAID", "tags": ["a", "b"]
        });
        let bytes = s.encode(&input).unwrap();
        let back = s.decode(&bytes).unwrap();
        assert_eq!(back, input);
    }

    #[test]
    fn search_and_detail_text_is_compact_json_in_schema_order_and_reads_as_the_record() {
        let s = AvroSchema::parse(ORDER, &[]).unwrap();
        let input = json!({
            "id": 7, "customer": "a\"b", "amount": "0.50", "placed": "1970-01-01T00:00:00.001Z",
            "ref": "123e4567-e89b-12d3-a456-426614174000", "day": "1970-01-02", "note": null,
            "state": "NEW", "tags": []
        });
        let mut text = Vec::new();
        s.decode_text(&s.encode(&input).unwrap(), &mut text).unwrap();
        assert_eq!(
            String::from_utf8(text.clone()).unwrap(),
            r#"{"id":7,"customer":"a\"b","amount":"0.50","placed":"1970-01-01T00:00:00.001Z","ref":"123e4567-e89b-12d3-a456-426614174000","day":"1970-01-02","note":null,"state":"NEW","tags":[]}"#
        );
        assert_eq!(serde_json::from_slice::<Json>(&text).unwrap(), input);
        // The value the detail and export show keeps the schema order too.
        let value = s.decode(&s.encode(&input).unwrap()).unwrap();
        assert_eq!(serde_json::to_vec(&value).unwrap(), text);
    }

    #[test]
    fn a_schema_with_references_decodes_through_them() {
        let state = r#"{"type":"enum","name":"State","namespace":"shop","symbols":["NEW","PAID"]}"#;
        let order = r#"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"state","type":"shop.State"},
            {"name":"props","type":{"type":"map","values":"long"}}]}"#;
        let s = AvroSchema::parse(order, &[("shop.State".into(), state.into())]).unwrap();
        let input = json!({"state": "PAID", "props": {"b": 2, "a": 1}});
        let mut text = Vec::new();
        s.decode_text(&s.encode(&input).unwrap(), &mut text).unwrap();
        // Map keys sorted, so the same map always reads the same.
        assert_eq!(String::from_utf8(text).unwrap(), r#"{"state":"PAID","props":{"a":1,"b":2}}"#);
    }

    #[test]
    fn errors_name_the_field_path_and_type() {
        let s = AvroSchema::parse(ORDER, &[]).unwrap();
        let e = s.encode(&json!({"id": "seven"})).unwrap_err();
        assert!(e.starts_with("/id: expected a long"), "{e}");
        let e = s.encode(&json!({"id": 1, "customer": "c", "amount": "1.234"})).unwrap_err();
        assert!(e.starts_with("/amount:"), "{e}");
        let e = AvroSchema::parse("{\"type\":\"record\",\"name\":\"X\"", &[]).err().unwrap();
        assert_eq!(e.detail.as_deref(), Some("schema"));
        // Bytes that do not fit are a message, not a panic.
        assert!(s.decode(&[0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn decimals_and_dates_are_exact() {
        assert_eq!(decimal_text(&decimal_unscaled("-0.05", 2).unwrap(), 2), "-0.05");
        assert_eq!(decimal_text(&decimal_unscaled("123456789012.34", 2).unwrap(), 2), "123456789012.34");
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(parse_date("2000-03-01").map(civil_date).as_deref(), Some("2000-03-01"));
        assert_eq!(timestamp(-1_000_000, 3), "1969-12-31T23:59:59.999Z");
    }

    /// Every Avro type, logical types, unions (of a logical type, a fixed, two records), a
    /// named type used twice, and maps whose keys need sorting.
    const EVERY_TYPE: &str = r#"{"type":"record","name":"All","namespace":"t","fields":[
        {"name":"n","type":"null"},{"name":"b","type":"boolean"},{"name":"i","type":"int"},
        {"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},
        {"name":"by","type":"bytes"},{"name":"s","type":"string"},
        {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
        {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":3}},
        {"name":"u","type":{"type":"string","logicalType":"uuid"}},
        {"name":"day","type":{"type":"int","logicalType":"date"}},
        {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
        {"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
        {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
        {"name":"tn","type":{"type":"long","logicalType":"timestamp-nanos"}},
        {"name":"lt","type":{"type":"long","logicalType":"local-timestamp-millis"}},
        {"name":"dur","type":{"type":"fixed","name":"Span","size":12,"logicalType":"duration"}},
        {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
        {"name":"arr","type":{"type":"array","items":{"type":"map","values":"int"}}},
        {"name":"un","type":["null","string",{"type":"long","logicalType":"timestamp-millis"},"Four"]},
        {"name":"recs","type":{"type":"array","items":[
            {"type":"record","name":"P","fields":[{"name":"x","type":"int"}]},
            {"type":"record","name":"Q","fields":[{"name":"x","type":{"type":"int","logicalType":"date"}}]}]}},
        {"name":"again","type":"P"}
    ]}"#;

    fn every_type_record(k: i32) -> Value {
        let map = |pairs: &[(&str, i32)]| Value::Map(pairs.iter().map(|(key, v)| (key.to_string(), Value::Int(*v))).collect());
        let p = |x: i32| Value::Record(vec![("x".into(), Value::Int(x))]);
        let un = match k % 4 {
            0 => Value::Union(0, Box::new(Value::Null)),
            1 => Value::Union(1, Box::new(Value::String("1000".into()))),
            2 => Value::Union(2, Box::new(Value::TimestampMillis(1000))),
            _ => Value::Union(3, Box::new(Value::Fixed(4, vec![0, 1, 200, 255]))),
        };
        Value::Record(vec![
            ("n".into(), Value::Null),
            ("b".into(), Value::Boolean(k % 2 == 0)),
            ("i".into(), Value::Int(-k)),
            ("l".into(), Value::Long(i64::MAX - i64::from(k))),
            ("f".into(), Value::Float(1.5 * k as f32)),
            ("d".into(), Value::Double(-0.25 * f64::from(k))),
            ("by".into(), Value::Bytes(vec![0, 0x22, 0x5c, 0xff])),
            ("s".into(), Value::String(format!("line \"{k}\"\n\u{e9}\u{1F600}"))),
            ("fx".into(), Value::Fixed(4, vec![1, 2, 3, 4])),
            ("dec".into(), Value::Decimal(apache_avro::Decimal::from(vec![0xff, 0x85 - k as u8]))),
            ("u".into(), Value::Uuid("6f1c3b5e-2d4a-4c1e-9f3b-0a1b2c3d4e5f".parse().unwrap())),
            ("day".into(), Value::Date(19_000 + k)),
            ("tm".into(), Value::TimeMillis(3_723_004)),
            ("tu".into(), Value::TimeMicros(3_723_004_005)),
            ("ts".into(), Value::TimestampMicros(-1_000_001)),
            ("tn".into(), Value::TimestampNanos(1_700_000_000_123_456_789)),
            ("lt".into(), Value::LocalTimestampMillis(86_400_000)),
            (
                "dur".into(),
                Value::Duration(apache_avro::Duration::new(
                    apache_avro::Months::new(1),
                    apache_avro::Days::new(2),
                    apache_avro::Millis::new(3),
                )),
            ),
            ("e".into(), Value::Enum(1, "B".into())),
            ("arr".into(), Value::Array(vec![map(&[("z", 1), ("a", 2), ("m", k)]), map(&[])])),
            ("un".into(), un),
            ("recs".into(), Value::Array(vec![Value::Union(0, Box::new(p(k))), Value::Union(1, Box::new(Value::Record(vec![("x".into(), Value::Date(1))])))])),
            ("again".into(), p(7)),
        ])
    }

    #[test]
    fn streamed_text_is_the_value_trees_text_for_every_type() {
        let streamed = AvroSchema::parse(EVERY_TYPE, &[]).unwrap();
        assert!(streamed.text.is_some(), "this schema is written without a Value tree");
        let mut tree = AvroSchema::parse(EVERY_TYPE, &[]).unwrap();
        tree.text = None;
        tree.reader = GenericSingleObjectReader::builder().schema(tree.main.clone()).header(Vec::new()).build().ok();
        for k in 0..4 {
            let body = GenericDatumWriter::builder(&streamed.main).build().unwrap().write_value_to_vec(every_type_record(k)).unwrap();
            let (mut a, mut b) = (b"prefix".to_vec(), b"prefix".to_vec());
            streamed.decode_text(&body, &mut a).unwrap();
            tree.decode_text(&body, &mut b).unwrap();
            assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b), "record {k}");
            let json: Json = serde_json::from_slice(&a[6..]).unwrap();
            let expected_un = [json!(null), json!("1000"), json!("1970-01-01T00:00:01.000Z"), json!("\u{0}\u{1}\u{c8}\u{ff}")];
            assert_eq!(json["un"], expected_un[k as usize], "record {k}");
            assert_eq!(json["recs"], json!([{ "x": k }, { "x": "1970-01-02" }]));
            assert_eq!(json["arr"][0], json!({ "a": 2, "m": k, "z": 1 }));
            assert_eq!(json["dur"], json!({ "days": 2, "millis": 3, "months": 1 }));
        }
    }

    #[test]
    fn streamed_text_refuses_bytes_that_do_not_fit_and_leaves_the_output_as_it_was() {
        let schema = AvroSchema::parse(EVERY_TYPE, &[]).unwrap();
        let body = GenericDatumWriter::builder(&schema.main).build().unwrap().write_value_to_vec(every_type_record(2)).unwrap();
        let mut out = b"kept".to_vec();
        let cut = schema.decode_text(&body[..body.len() - 3], &mut out).unwrap_err();
        assert!(cut.starts_with("The bytes do not fit the Avro schema"), "{cut}");
        let mut longer = body.clone();
        longer.push(0);
        let extra = schema.decode_text(&longer, &mut out).unwrap_err();
        assert!(extra.contains("1 bytes left over"), "{extra}");
        assert_eq!(out, b"kept");
        // A union index past the branches (the last field's int, then an index of 9).
        let mut bad_union = body.clone();
        let at = bad_union.len() - 4;
        bad_union[at] = 18;
        assert!(schema.decode_text(&bad_union, &mut out).is_err());
        assert_eq!(out, b"kept");
    }

    #[test]
    fn fast_decimal_and_timestamp_writers_write_what_the_general_ones_do() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let quoted = |s: String| format!("\"{s}\"");
        for _ in 0..20_000 {
            let len = (next() % 19) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let scale = (next() % 41) as usize;
            let mut out = Vec::new();
            write_decimal(&mut out, &bytes, scale);
            assert_eq!(String::from_utf8(out).unwrap(), quoted(decimal_text(&bytes, scale)), "{bytes:?} scale {scale}");
            // Around the epoch, in the years 0–9999, and outside them (the general path).
            let ns = match next() % 3 {
                0 => i128::from(next() as i32) * 1_000_000,
                1 => i128::from((next() % 253_402_300_800) as i64 - 62_167_219_200) * 1_000_000_000 + i128::from(next() % 1_000_000_000),
                _ => i128::from(next() as i64) * 1000,
            };
            for places in [3, 6, 9] {
                let mut out = Vec::new();
                write_timestamp(&mut out, ns, places);
                assert_eq!(String::from_utf8(out).unwrap(), quoted(timestamp(ns, places)), "{ns} ns, {places} places");
            }
        }
    }
}
