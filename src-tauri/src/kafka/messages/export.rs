//! Export of a session's rows in view to JSONL (which bulk produce reads back) or CSV.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::browse::Session;
use super::schema::export_field;
use super::store::StoredMessage;
use super::{cancelled, JobProgress, LOCK_CHUNK};
use crate::error::{Error, Result};
use crate::registry::Decoder;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

/// Text when the bytes are UTF-8, else base64 with the format named.
fn field(bytes: Option<&[u8]>) -> (serde_json::Value, Option<&'static str>) {
    match bytes {
        None => (serde_json::Value::Null, None),
        Some(b) => match std::str::from_utf8(b) {
            Ok(text) => (json!(text), None),
            Err(_) => (json!(super::codec::base64(b)), Some("base64")),
        },
    }
}

fn jsonl_line(m: &StoredMessage<'_>, decoder: Option<&Decoder>) -> serde_json::Value {
    let (key_schema, value_schema) = (export_field(decoder, m.key(), true), export_field(decoder, m.value(), false));
    let (key, key_format) = match &key_schema {
        Some((json, _)) => (json.clone(), None),
        None => field(m.key()),
    };
    let (value, value_format) = match &value_schema {
        Some((json, _)) => (json.clone(), None),
        None => field(m.value()),
    };
    let headers: Vec<serde_json::Value> = m
        .headers()
        .map(|(name, v)| {
            let (value, format) = field(v);
            let mut h = json!({"name": name, "value": value});
            if let Some(f) = format {
                h["format"] = json!(f);
            }
            h
        })
        .collect();
    let mut line = json!({
        "partition": m.partition,
        "offset": m.offset,
        "timestamp": m.timestamp,
        "key": key,
        "value": value,
        "headers": headers,
    });
    if let Some(f) = key_format {
        line["keyFormat"] = json!(f);
    }
    if let Some(f) = value_format {
        line["valueFormat"] = json!(f);
    }
    // Decoded schema data says which schema it was, so bulk produce can encode it again.
    if let Some((_, tag)) = key_schema {
        line["keySchema"] = tag;
    }
    if let Some((_, tag)) = value_schema {
        line["valueSchema"] = tag;
    }
    line
}

/// A CSV field, quoted when it must be (RFC 4180).
fn csv(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv_line(m: &StoredMessage<'_>, decoder: Option<&Decoder>) -> String {
    let line = jsonl_line(m, decoder);
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let headers: Vec<serde_json::Value> = line["headers"].as_array().cloned().unwrap_or_default();
    format!(
        "{},{},{},{},{},{}\n",
        m.partition,
        m.offset,
        m.timestamp,
        csv(&text(&line["key"])),
        csv(&text(&line["value"])),
        csv(&if headers.is_empty() { String::new() } else { serde_json::Value::Array(headers).to_string() })
    )
}

/// Writes the rows in view to `path` (written whole to a temporary file, then renamed, so a
/// cancelled or failed export leaves no half file). Returns the number written.
pub fn export(
    session: &Session,
    path: &str,
    format: ExportFormat,
    cancel: &AtomicBool,
    progress: impl Fn(JobProgress),
) -> Result<u64> {
    if path.trim().is_empty() {
        return Err(Error::invalid_input("path", "Choose a file to export to."));
    }
    if std::path::Path::new(path).is_dir() {
        return Err(Error::invalid_input("path", format!("\"{path}\" is a folder; choose a file name to export to.")));
    }
    let seqs = session.read()?.view_seqs();
    let total = seqs.len() as u64;
    let partial = format!("{path}.partial");
    let file = std::fs::File::create(&partial)
        .map_err(|e| Error::invalid_input("path", format!("Could not write \"{path}\": {e}.")))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let result = (|| -> Result<u64> {
        if format == ExportFormat::Csv {
            out.write_all(b"partition,offset,timestamp,key,value,headers\n")?;
        }
        let mut written = 0u64;
        let mut buffer = Vec::with_capacity(1 << 20);
        for chunk in seqs.chunks(LOCK_CHUNK as usize) {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            // Rendered under the read lock, written after it is released: the browse
            // thread and the UI's polls never wait for the disk.
            buffer.clear();
            {
                let data = session.read()?;
                for m in chunk.iter().filter_map(|s| data.store.get(*s)) {
                    match format {
                        ExportFormat::Jsonl => {
                            serde_json::to_writer(&mut buffer, &jsonl_line(&m, session.decoder.as_ref()))
                                .map_err(|e| Error::internal(format!("Could not write the export: {e}")))?;
                            buffer.push(b'\n');
                        }
                        ExportFormat::Csv => buffer.extend_from_slice(csv_line(&m, session.decoder.as_ref()).as_bytes()),
                    }
                    written += 1;
                }
            }
            out.write_all(&buffer)?;
            progress(JobProgress { done: written, total });
        }
        out.flush()?;
        Ok(written)
    })();
    // The rename can still fail (the target became a folder, another device): no
    // `.partial` is ever left behind.
    let result = result.and_then(|written| {
        std::fs::rename(&partial, path)
            .map_err(|e| Error::invalid_input("path", format!("Could not write \"{path}\": {e}.")))?;
        Ok(written)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::messages::store::TimestampType;

    #[test]
    fn binary_is_base64_and_csv_quotes() {
        let m = StoredMessage::new(2, 9, (5, TimestampType::CreateTime), Some(&[0xff]), Some(b"a,\"b\""), &[]);
        let line = jsonl_line(&m, None);
        assert_eq!((line["key"].as_str(), line["keyFormat"].as_str()), (Some("/w=="), Some("base64")));
        assert_eq!(csv_line(&m, None), "2,9,5,/w==,\"a,\"\"b\"\"\",\n");
    }
}
