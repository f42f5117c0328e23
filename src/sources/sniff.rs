//! What a file really is, from its first bytes, whatever its name says.

/// The container format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Zero bytes.
    Empty,
    /// A zip whose entries look like OOXML (`[Content_Types].xml`, `xl/`): xlsx, xlsm.
    Ooxml,
    /// A zip with an OpenDocument `mimetype` entry (ods).
    Ods,
    /// Another zip.
    Zip,
    /// An OLE2/CFB container holding a `Workbook`/`Book` stream (BIFF .xls).
    Biff,
    /// An OLE2/CFB container holding `EncryptedPackage` (a password-protected OOXML file).
    Encrypted,
    /// Another OLE2/CFB container (e.g. a .doc).
    Cfb,
    /// HTML (TÜİK biruni exports named .xls).
    Html,
    /// XML (SpreadsheetML 2003 or other).
    Xml,
    /// A PDF.
    Pdf,
    /// Text that is not HTML/XML: CSV or similar.
    Text,
    /// Anything else.
    Binary,
}

impl FileKind {
    /// Whether calamine can open a file of this kind as a workbook.
    pub fn is_workbook(self) -> bool {
        matches!(self, FileKind::Ooxml | FileKind::Ods | FileKind::Biff)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Empty => "empty",
            FileKind::Ooxml => "ooxml",
            FileKind::Ods => "ods",
            FileKind::Zip => "zip",
            FileKind::Biff => "biff",
            FileKind::Encrypted => "encrypted",
            FileKind::Cfb => "cfb",
            FileKind::Html => "html",
            FileKind::Xml => "xml",
            FileKind::Pdf => "pdf",
            FileKind::Text => "text",
            FileKind::Binary => "binary",
        }
    }
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs a file's kind from its bytes (the whole file, or at least its first few KiB;
/// CFB and zip detection look further in when the bytes are there).
///
/// # Examples
///
/// ```
/// use yeep::sources::sniff::{sniff, FileKind};
/// assert_eq!(sniff(b""), FileKind::Empty);
/// assert_eq!(sniff(b"%PDF-1.7 ..."), FileKind::Pdf);
/// assert_eq!(sniff(b"a;b;c\n1;2;3\n"), FileKind::Text);
/// assert_eq!(sniff(b"<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"), FileKind::Html);
/// ```
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.is_empty() {
        return FileKind::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if find(bytes, b"mimetypeapplication/vnd.oasis.opendocument").is_some() {
            return FileKind::Ods;
        }
        if find(bytes, b"[Content_Types].xml").is_some() || find(bytes, b"xl/").is_some() {
            return FileKind::Ooxml;
        }
        return FileKind::Zip;
    }
    if bytes.starts_with(CFB_MAGIC) {
        // Directory entry names are UTF-16LE.
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect() };
        if find(bytes, &utf16("EncryptedPackage")).is_some() || find(bytes, &utf16("EncryptionInfo")).is_some() {
            return FileKind::Encrypted;
        }
        if find(bytes, &utf16("Workbook")).is_some()
            || find(bytes, &utf16("Book")).is_some()
            || find(bytes, &utf16("WORKBOOK")).is_some()
        {
            return FileKind::Biff;
        }
        return FileKind::Cfb;
    }
    if bytes.starts_with(b"%PDF") {
        return FileKind::Pdf;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text_start: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    if text_start.starts_with(b"<html")
        || text_start.starts_with(b"<!doctype html")
        || find(&text_start, b"<html").is_some()
    {
        return FileKind::Html;
    }
    if text_start.starts_with(b"<?xml") || text_start.starts_with(b"<") {
        if find(&text_start, b"<html").is_some() {
            return FileKind::Html;
        }
        return FileKind::Xml;
    }
    // Text: no NUL bytes and mostly printable.
    let nul = head.contains(&0);
    let printable = head
        .iter()
        .filter(|b| **b >= 0x20 || matches!(**b, b'\n' | b'\r' | b'\t'))
        .count();
    if !nul && printable * 100 >= head.len() * 95 {
        return FileKind::Text;
    }
    FileKind::Binary
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// Whether a workbook that has passed the guard is password-protected: a BIFF `.xls`
/// whose workbook stream has a `FILEPASS` record (0x002F, written right after the first
/// `BOF`) among its first records, or an `.ods` whose `META-INF/manifest.xml` declares
/// `encryption-data`. (An encrypted `.xlsx` is a compound file, [`FileKind::Encrypted`].)
/// Call it only on bytes the guard has checked: it parses the container.
pub fn is_password_protected(bytes: &[u8], kind: FileKind) -> bool {
    use std::io::Read;
    match kind {
        FileKind::Biff => {
            let Ok(mut cfb) = cfb::CompoundFile::open(std::io::Cursor::new(bytes)) else {
                return false;
            };
            let Some(mut stream) = ["Workbook", "Book", "WORKBOOK", "BOOK"]
                .iter()
                .find_map(|name| cfb.open_stream(name).ok())
            else {
                return false;
            };
            let mut head = Vec::new();
            if stream.by_ref().take(64 * 1024).read_to_end(&mut head).is_err() {
                return false;
            }
            let mut at = 0;
            for _ in 0..64 {
                let Some(rec) = head.get(at..at + 4) else { break };
                let (kind, len) = (
                    u16::from_le_bytes([rec[0], rec[1]]),
                    u16::from_le_bytes([rec[2], rec[3]]),
                );
                if kind == 0x002F {
                    return true;
                }
                // The first BOUNDSHEET or the end of the globals: past where FILEPASS can be.
                if kind == 0x0085 || kind == 0x000A {
                    break;
                }
                at += 4 + usize::from(len);
            }
            false
        }
        FileKind::Ods => {
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                return false;
            };
            let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
                return false;
            };
            let mut text = Vec::new();
            if manifest.take(4 << 20).read_to_end(&mut text).is_err() {
                return false;
            }
            find(&text, b"encryption-data").is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml"), FileKind::Ooxml);
        assert_eq!(
            sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            FileKind::Ods
        );
        assert_eq!(sniff(b"PK\x03\x04....other"), FileKind::Zip);
        assert_eq!(sniff(b"\xEF\xBB\xBFREF_AREA;FREQ\r\n"), FileKind::Text);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><Workbook>"), FileKind::Xml);
        assert_eq!(sniff(&[0u8, 1, 2, 3, 200, 201]), FileKind::Binary);
    }
}
