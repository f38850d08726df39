//! Avro binary → compact JSON text without a `Value` tree in between. apache-avro's
//! schema-aware serde deserializer reads the binary; the seeds here follow the same schema and
//! write each value as it is read, with the logical types shown as `write_json` shows them.
//! Searches decode every record they pass, and building and freeing apache-avro's `Value` tree
//! (a `String` per field, a `Vec` per record) was most of their cost.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use apache_avro::schema::{Schema, UuidSchema};
use apache_avro::GenericSingleObjectReader;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use super::{bytes_text, civil_date, fullname, time_of_day, write, write_decimal, write_timestamp};

/// A schema this module can write, with its named types for `Ref`s.
pub(super) struct TextSchema {
    main: Schema,
    names: HashMap<String, Schema>,
    reader: GenericSingleObjectReader,
}

impl TextSchema {
    /// `None` for schemas whose binary layout the seeds cannot follow one to one: big-decimal
    /// (its own scale inside the bytes) and records apache-avro reads differently because of
    /// its Rust-derive attributes. Those records go through the `Value` tree instead.
    pub(super) fn new(main: &Schema, names: &HashMap<String, Schema>) -> Option<TextSchema> {
        if !streamable(main, names, &mut Vec::new()) {
            return None;
        }
        // The Confluent framing (magic byte + id) is cut off before the body reaches the
        // reader, so it expects no single-object header.
        let reader = GenericSingleObjectReader::builder().schema(main.clone()).header(Vec::new()).build().ok()?;
        Some(TextSchema { main: main.clone(), names: names.clone(), reader })
    }

    fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        match schema {
            Schema::Ref { name } => self.names.get(&fullname(name)).unwrap_or(schema),
            other => other,
        }
    }
}

fn streamable(schema: &Schema, names: &HashMap<String, Schema>, seen: &mut Vec<String>) -> bool {
    match schema {
        Schema::BigDecimal => false,
        Schema::Record(r) => {
            const RUST_ONLY: [&str; 2] = ["org.apache.avro.rust.union_of_records", "org.apache.avro.rust.tuple"];
            let name = fullname(&r.name);
            if seen.contains(&name) {
                return true;
            }
            seen.push(name);
            !RUST_ONLY.iter().any(|a| r.attributes.contains_key(*a)) && r.fields.iter().all(|f| streamable(&f.schema, names, seen))
        }
        Schema::Array(a) => streamable(&a.items, names, seen),
        Schema::Map(m) => streamable(&m.types, names, seen),
        Schema::Union(u) => u.variants().iter().all(|s| streamable(s, names, seen)),
        Schema::Ref { name } => {
            let full = fullname(name);
            seen.contains(&full) || names.get(&full).is_some_and(|s| streamable(s, names, seen))
        }
        _ => true,
    }
}

thread_local! {
    /// The schema of the record being read on this thread, and the text buffer it is written
    /// to (kept for its capacity). apache-avro reaches its schema-aware deserializer only
    /// through `read_deser::<T: DeserializeOwned>`, which hands `T` no state of ours.
    static WRITING: RefCell<(Option<Arc<TextSchema>>, Vec<u8>)> = const { RefCell::new((None, Vec::new())) };
}

/// Appends the record in `body` to `out` as compact JSON, fields in schema order.
pub(super) fn write_record(schema: &Arc<TextSchema>, body: &mut &[u8], out: &mut Vec<u8>) -> Result<(), apache_avro::Error> {
    WRITING.with(|w| w.borrow_mut().0 = Some(Arc::clone(schema)));
    let read = schema.reader.read_deser::<Written>(body);
    WRITING.with(|w| w.borrow_mut().0 = None);
    let Written(text) = read?;
    out.extend_from_slice(&text);
    WRITING.with(|w| w.borrow_mut().1 = text);
    Ok(())
}

struct Written(Vec<u8>);

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Written, D::Error> {
        let (schema, mut out) = WRITING.with(|w| {
            let mut w = w.borrow_mut();
            (w.0.clone(), std::mem::take(&mut w.1))
        });
        let schema = schema.ok_or_else(|| de::Error::custom("no schema to write the record with"))?;
        out.clear();
        JsonSeed::new(&schema, &schema.main, &mut out).deserialize(deserializer)?;
        Ok(Written(out))
    }
}

/// Writes the value at one place in the schema.
struct JsonSeed<'a> {
    types: &'a TextSchema,
    schema: &'a Schema,
    out: &'a mut Vec<u8>,
}

impl<'a> JsonSeed<'a> {
    fn new(types: &'a TextSchema, schema: &'a Schema, out: &'a mut Vec<u8>) -> JsonSeed<'a> {
        JsonSeed { types, schema: types.resolve(schema), out }
    }
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = ();

    /// Asks for what the schema holds, so unions and enums arrive with their index and
    /// logical types with their base type.
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.schema {
            Schema::Null => d.deserialize_unit(self),
            Schema::Boolean => d.deserialize_bool(self),
            Schema::Int | Schema::Date | Schema::TimeMillis => d.deserialize_i32(self),
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => d.deserialize_i64(self),
            Schema::Float => d.deserialize_f32(self),
            Schema::Double => d.deserialize_f64(self),
            Schema::String | Schema::Uuid(UuidSchema::String) => d.deserialize_string(self),
            Schema::Array(_) => d.deserialize_seq(self),
            Schema::Map(_) | Schema::Record(_) => d.deserialize_map(self),
            Schema::Enum(_) | Schema::Union(_) => d.deserialize_enum("", &[], self),
            _ => d.deserialize_byte_buf(self),
        }
    }
}

impl<'de> Visitor<'de> for JsonSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a value of Avro type {:?}", self.schema)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        write(self.out, &v);
        Ok(())
    }

    fn visit_i32<E: de::Error>(self, v: i32) -> Result<(), E> {
        match self.schema {
            Schema::Date => write(self.out, &civil_date(i64::from(v))),
            Schema::TimeMillis => write(self.out, &time_of_day(i64::from(v) * 1000)),
            _ => write(self.out, &v),
        }
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        match self.schema {
            Schema::TimeMicros => write(self.out, &time_of_day(v)),
            Schema::TimestampMillis | Schema::LocalTimestampMillis => write_timestamp(self.out, i128::from(v) * 1_000_000, 3),
            Schema::TimestampMicros | Schema::LocalTimestampMicros => write_timestamp(self.out, i128::from(v) * 1000, 6),
            Schema::TimestampNanos | Schema::LocalTimestampNanos => write_timestamp(self.out, i128::from(v), 9),
            _ => write(self.out, &v),
        }
        Ok(())
    }

    fn visit_f32<E: de::Error>(self, v: f32) -> Result<(), E> {
        write(self.out, &v);
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        write(self.out, &v);
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write(self.out, v);
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.visit_str(&v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        match self.schema {
            Schema::Decimal(d) => write_decimal(self.out, v, d.scale),
            Schema::Uuid(_) => match apache_avro::Uuid::from_slice(v) {
                Ok(uuid) => write(self.out, &uuid.to_string()),
                Err(e) => return Err(E::custom(format!("a UUID must be 16 bytes: {e}"))),
            },
            Schema::Duration(_) => {
                let part = |n: usize| v.get(n * 4..n * 4 + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes).unwrap_or(0);
                let (months, days, millis) = (part(0), part(1), part(2));
                self.out.extend_from_slice(format!(r#"{{"days":{days},"millis":{millis},"months":{months}}}"#).as_bytes());
            }
            _ => write(self.out, &bytes_text(v)),
        }
        Ok(())
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<(), E> {
        self.visit_bytes(&v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let items = match self.schema {
            Schema::Array(a) => &*a.items,
            _ => return Err(de::Error::custom("an array where the schema has none")),
        };
        self.out.push(b'[');
        let mut first = true;
        loop {
            let mark = self.out.len();
            if !first {
                self.out.push(b',');
            }
            if seq.next_element_seed(JsonSeed::new(self.types, items, self.out))?.is_none() {
                self.out.truncate(mark);
                break;
            }
            first = false;
        }
        self.out.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.schema {
            Schema::Record(record) => {
                // Fields arrive in schema order, one per schema field.
                self.out.push(b'{');
                for (n, field) in record.fields.iter().enumerate() {
                    if map.next_key_seed(Identifier)?.is_none() {
                        return Err(de::Error::custom(format!("record {} ended before field {}", record.name.name(), field.name)));
                    }
                    if n > 0 {
                        self.out.push(b',');
                    }
                    write(self.out, &field.name);
                    self.out.push(b':');
                    map.next_value_seed(JsonSeed::new(self.types, &field.schema, self.out))?;
                }
                self.out.push(b'}');
            }
            Schema::Map(m) => {
                // Sorted by key, so the same map always reads the same.
                let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let mut text = Vec::new();
                    map.next_value_seed(JsonSeed::new(self.types, &m.types, &mut text))?;
                    entries.push((key, text));
                }
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                self.out.push(b'{');
                for (n, (key, text)) in entries.iter().enumerate() {
                    if n > 0 {
                        self.out.push(b',');
                    }
                    write(self.out, key);
                    self.out.push(b':');
                    self.out.extend_from_slice(text);
                }
                self.out.push(b'}');
            }
            _ => return Err(de::Error::custom("a map where the schema has none")),
        }
        Ok(())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        match self.schema {
            Schema::Enum(_) => {
                let ((), variant) = data.variant_seed(Symbol(self.out))?;
                variant.unit_variant()
            }
            Schema::Union(u) => {
                let (index, variant) = data.variant_seed(Identifier)?;
                let branch = index
                    .and_then(|i| u.variants().get(i))
                    .ok_or_else(|| de::Error::custom("a union branch the schema does not have"))?;
                variant.newtype_variant_seed(JsonSeed::new(self.types, branch, self.out))
            }
            _ => Err(de::Error::custom("an enum or union where the schema has none")),
        }
    }
}

/// A record field's name (ignored: the schema gives it) or a union branch's index.
struct Identifier;

impl<'de> DeserializeSeed<'de> for Identifier {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Identifier {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name or a union branch")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<usize>, E> {
        Ok(None)
    }

    fn visit_u32<E: de::Error>(self, v: u32) -> Result<Option<usize>, E> {
        Ok(usize::try_from(v).ok())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(v).ok())
    }
}

/// Writes an enum's symbol.
struct Symbol<'a>(&'a mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Symbol<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Symbol<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an enum symbol")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write(self.0, v);
        Ok(())
    }
}
