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
/// use yeep::demo::ods::{ods_bytes, OdsCell};
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

/// A zip archive with every entry stored (the OpenDocument `mimetype` must be), dated
/// 1980-01-01 so the bytes are deterministic.
fn stored_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        // Writing into memory cannot fail; a zip error here is a bug in the entries.
        w.start_file(*name, options).expect("zip entry");
        w.write_all(data).expect("zip entry");
    }
    w.finish().expect("zip").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_reads_back_with_the_mimetype_first_and_stored() {
        let bytes = ods_bytes(&[(
            "Veri".into(),
            vec![vec![OdsCell::Text("a<b".into()), OdsCell::Number(2.5)]],
        )]);
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        let first = z.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
        drop(first);
        let mut content = String::new();
        std::io::Read::read_to_string(&mut z.by_name("content.xml").unwrap(), &mut content).unwrap();
        assert!(content.contains("a&lt;b") && content.contains(r#"office:value="2.5""#));
        assert_eq!(
            bytes,
            ods_bytes(&[(
                "Veri".into(),
                vec![vec![OdsCell::Text("a<b".into()), OdsCell::Number(2.5)]]
            )])
        );
    }
}
