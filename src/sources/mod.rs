//! Sources: the only place input files are opened and calamine appears. Each reader turns
//! one file into observations and diagnostics, and accounts for every value it read.

pub mod guard;
pub mod sniff;
pub mod submission;
pub mod tuik;

use serde::{Deserialize, Serialize};

/// What happened to one input file: the manifest's per-file line. Conserved:
/// `values_read == values_accepted + values_rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAccount {
    /// Path relative to the input folder, `/`-separated.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// `submission` or `tuik`.
    pub source: String,
    /// Reporting unit (submissions) or `tuik`.
    pub unit_id: String,
    pub period: String,
    /// The date the unit filled it in (`Tarih` on the Bilgi sheet, `YYYY-MM-DD`), if given.
    pub submitted: String,
    /// `accepted`, `rejected` (whole file), `superseded` (a later resubmission won) …
    pub status: String,
    pub values_read: u64,
    pub values_accepted: u64,
    pub values_rejected: u64,
}

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
