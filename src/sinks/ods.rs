//! A minimal OpenDocument spreadsheet (`.ods`) writer: values only (text and numbers), no
//! styles. Used by `yeep demo` for the unit that re-saves its workbook in LibreOffice, so
//! the `.ods` reading path is exercised by the shipped inputs. The zip is written stored
//! (uncompressed) with fixed timestamps, so the bytes are deterministic.

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum OdsCell {
    Empty,
    Text(String),
    Number(f64),
}

/// A sheet: name and rows of cells.
pub type OdsSheet = (String, Vec<Vec<OdsCell>>);

/// The `.ods` bytes of `sheets`.
///
/// # Examples
///
/// ```
/// use yeep::sinks::ods::{ods_bytes, OdsCell};
/// let bytes = ods_bytes(&[("Veri".into(), vec![vec![OdsCell::Text("Toplam".into()), OdsCell::Number(4.0)]])]);
/// assert!(bytes.starts_with(b"PK\x03\x04"));
/// ```
pub fn ods_bytes(sheets: &[OdsSheet]) -> Vec<u8> {
    let manifest = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        r#"</manifest:manifest>"#
    );
    let entries: Vec<(&str, Vec<u8>)> = vec![
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content_xml(sheets).into_bytes()),
    ];
    stored_zip(&entries)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn content_xml(sheets: &[OdsSheet]) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet>"#
    ));
    for (name, rows) in sheets {
        x.push_str(&format!(r#"<table:table table:name="{}">"#, escape(name)));
        for row in rows {
            x.push_str("<table:table-row>");
            for cell in row {
                match cell {
                    OdsCell::Empty => x.push_str("<table:table-cell/>"),
                    OdsCell::Text(s) => x.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        escape(s)
                    )),
                    OdsCell::Number(v) => x.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                    )),
                }
            }
            if row.is_empty() {
                x.push_str("<table:table-cell/>");
            }
            x.push_str("</table:table-row>");
        }
        x.push_str("</table:table>");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>");
    x
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A zip archive with every entry stored, dated 1980-01-01.
fn stored_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    const DATE: u16 = (1 << 5) | 1;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: u32, central_entry: bool| -> Vec<u8> {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_entry {
                h.extend(20u16.to_le_bytes()); // version made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // stored
            h.extend(0u16.to_le_bytes()); // time
            h.extend(DATE.to_le_bytes());
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_entry {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_known_value() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
    }
}
