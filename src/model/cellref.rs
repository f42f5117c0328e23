//! Cell references: one type for a cell's place, shown and parsed as `A1`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A cell's position in a sheet, 0-based, written `A1`-style (`F12` is row 11, column 5).
/// Ordered by row, then column: the order a person reads a sheet in.
///
/// # Examples
///
/// ```
/// use yeep::model::CellRef;
/// let c = CellRef::new(11, 5);
/// assert_eq!(c.to_string(), "F12");
/// assert_eq!(CellRef::parse("F12"), Some(c));
/// assert_eq!(CellRef::parse("xfd1048576"), Some(CellRef::new(1_048_575, 16_383)));
/// assert_eq!(CellRef::parse("F"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// From `usize` coordinates (grids); saturates beyond `u32`, far past Excel's limits.
    pub fn at(row: usize, col: usize) -> Self {
        let c = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        CellRef::new(c(row), c(col))
    }

    /// Parses `F12` (letters in any case, then digits); `None` for anything else,
    /// including references whose row or column does not fit in `u32`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::parse_bytes(s.as_bytes())
    }

    /// [`CellRef::parse`] of raw bytes (XML attributes).
    pub fn parse_bytes(r: &[u8]) -> Option<Self> {
        let (row, col) = Self::parse_one_based(r)?;
        Some(CellRef::new(
            u32::try_from(row.checked_sub(1)?).ok()?,
            u32::try_from(col.checked_sub(1)?).ok()?,
        ))
    }

    /// The 1-based (row, column) of an `A1` reference, in `u64`: for checking references
    /// against sheet limits before anything is allocated for them. Row 0 parses (the
    /// caller judges it).
    pub fn parse_one_based(r: &[u8]) -> Option<(u64, u64)> {
        let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if letters == 0 || letters == r.len() {
            return None;
        }
        let mut col: u64 = 0;
        for b in &r[..letters] {
            col = col
                .checked_mul(26)?
                .checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))?;
        }
        let digits = &r[letters..];
        if !digits.iter().all(u8::is_ascii_digit) || digits.len() > 12 {
            return None;
        }
        let row: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        Some((row, col))
    }

    /// The column's letters (`F` for column 5).
    pub fn column_letters(col: u32) -> String {
        let mut n = u64::from(col) + 1;
        let mut letters = Vec::new();
        while n > 0 {
            let r = (n - 1) % 26;
            letters.push(b'A' + r as u8);
            n = (n - 1) / 26;
        }
        letters.reverse();
        String::from_utf8(letters).unwrap_or_default()
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::column_letters(self.col), u64::from(self.row) + 1)
    }
}

/// Serialised as its `A1` text.
impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CellRef::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a cell reference: {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_both_ways() {
        for (row, col, a1) in [
            (0, 0, "A1"),
            (9, 26, "AA10"),
            (0, 701, "ZZ1"),
            (0, 702, "AAA1"),
            (1_048_575, 16_383, "XFD1048576"),
        ] {
            let c = CellRef::new(row, col);
            assert_eq!(c.to_string(), a1);
            assert_eq!(CellRef::parse(a1), Some(c));
        }
        assert_eq!(CellRef::parse_one_based(b"A1048577"), Some((1_048_577, 1)));
        assert_eq!(CellRef::parse_one_based(b"A0"), Some((0, 1)));
        for bad in ["", "A", "12", "A0", "1A", "A1B", "AAAAAAAAAAAAAAAAAAAAAA1"] {
            assert_eq!(CellRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn reading_order() {
        let mut v = [
            CellRef::parse("B2").unwrap(),
            CellRef::parse("C1").unwrap(),
            CellRef::parse("A2").unwrap(),
        ];
        v.sort();
        assert_eq!(
            v.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["C1", "A2", "B2"]
        );
    }
}
