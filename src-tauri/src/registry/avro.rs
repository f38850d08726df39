//! Avro through apache-avro: binary to readable JSON (decimals as exact strings,
//! timestamps and dates as ISO-8601, UUIDs as text, unions unwrapped), and JSON to binary
//! guided by the schema, with errors that name the field path and the expected type.

use std::collections::HashMap;

use apache_avro::headers::HeaderBuilder;
use apache_avro::schema::{Name, Schema};
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
    /// Reads records with the schema's names resolved once: apache-avro's `from_avro_datum`
    /// resolves them again for every record. `None` for a schema with references.
    reader: Option<GenericSingleObjectReader>,
}

/// Confluent framing (magic byte + id) is cut off before the body reaches the reader, so the
/// single-object reader is given an empty header to expect.
struct NoHeader;

impl HeaderBuilder for NoHeader {
    fn build_header(&self) -> Vec<u8> {
        Vec::new()
    }
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
        let reader = match parsed.len() {
            1 => GenericSingleObjectReader::new_with_header_builder(main.clone(), NoHeader).ok(),
            _ => None,
        };
        Ok(AvroSchema { main, schemata: parsed, names, reader })
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

    /// The record as compact JSON text appended to `out`, fields in schema order — the one
    /// Avro → JSON conversion: searches read this text directly (no JSON tree per record).
    pub fn decode_text(&self, body: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), String> {
        let mut reader = body;
        let value = match &self.reader {
            Some(r) => r.read_value(&mut reader),
            None => apache_avro::from_avro_datum_schemata(&self.main, self.schemata.iter().collect(), &mut reader, None),
        }
        .map_err(|e| format!("The bytes do not fit the Avro schema: {e}"))?;
        if !reader.is_empty() {
            return Err(format!("The bytes do not fit the Avro schema: {} bytes left over after the record.", reader.len()));
        }
        self.write_json(&value, &self.main, out);
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
                Schema::Decimal(d) => write(out, &decimal_text(b, d.scale)),
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
            Value::TimestampMillis(ms) | Value::LocalTimestampMillis(ms) => write(out, &timestamp(*ms as i128 * 1_000_000, 3)),
            Value::TimestampMicros(us) | Value::LocalTimestampMicros(us) => write(out, &timestamp(*us as i128 * 1000, 6)),
            Value::TimestampNanos(ns) | Value::LocalTimestampNanos(ns) => write(out, &timestamp(*ns as i128, 9)),
            Value::Decimal(d) => {
                let scale = match schema {
                    Schema::Decimal(s) => s.scale,
                    _ => 0,
                };
                match <Vec<u8>>::try_from(d) {
                    Ok(bytes) => write(out, &decimal_text(&bytes, scale)),
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
            apache_avro::to_avro_datum_schemata(&self.main, self.schemata.iter().collect(), avro)
        } else {
            apache_avro::to_avro_datum(&self.main, avro)
        };
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
                let obj = v.as_object().ok_or_else(|| expected(&format!("an object (record {})", r.name.name)))?;
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
                    return Err(format!("{path}/{extra}: record {} has no such field.", r.name.name));
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
            Schema::Uuid => {
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
        Schema::String | Schema::Uuid => "string".into(),
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
    fn search_text_is_compact_json_in_schema_order_and_reads_as_the_record() {
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
}
