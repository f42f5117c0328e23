//! Sources: pure readers, bytes → raw outcome, and the only place calamine appears. The
//! guard checks untrusted bytes before a reader sees them; [`submission`] hands back a
//! workbook's raw cells, [`tuik`] a table's selected cells. What they mean is judged in
//! `validate`; files are found, cached and read in `pipeline`.

pub mod guard;
pub mod sniff;
pub mod submission;
pub mod tuik;

/// SHA-256 of a byte slice, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex (digests), without an allocation per byte.
///
/// # Examples
///
/// ```
/// assert_eq!(yeep::sources::hex(&[0x00, 0x9f, 0xff]), "009fff");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}
