//! A pre-scan of untrusted zip-based workbooks (xlsx, xlsm, ods) *before* calamine sees
//! them, so that a hostile file is rejected instead of aborting the process:
//!
//! - declared uncompressed sizes and compression ratios from the zip directory (zip bombs;
//!   the zip crate enforces each entry's declared size while inflating, so this bound holds);
//! - `<!DOCTYPE`/`<!ENTITY` in any XML part (entity bombs: refused outright);
//! - the `uniqueCount` of the shared strings (not `count`, the number of references), which calamine reserves memory
//!   for at open (calamine issue 684) — it must fit the part's size; the `<sst>` tag is found
//!   anywhere in the part and its attributes read however they are written (line breaks,
//!   single quotes, a namespace prefix);
//! - the cells of every XML part a worksheet could be stored in — any part but the shared
//!   strings, the calculation chain and relationships, since the workbook's relationships
//!   may place a sheet outside `xl/worksheets/`: row and column past Excel's limits (1,048,576 × 16,384;
//!   larger row numbers wrap silently otherwise), and the area between the first and the
//!   last cell, which calamine allocates densely (calamine issue 693: cells at A1 and
//!   XFD1048576 abort the process).
//!
//! Limits are configurable in the pipeline file (`[limits]`), with safe defaults.

use std::io::{Cursor, Read};

use serde::Deserialize;

use crate::diagnostics::{CellPlace, Chain, CompoundFault, Note};
use crate::model::CellRef;

/// Resource limits for one input file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file, bytes.
    pub max_file_bytes: u64,
    /// Largest sum of declared uncompressed sizes of a zip's entries, bytes.
    pub max_uncompressed_bytes: u64,
    /// Largest compression ratio of an entry over 1 MiB.
    pub max_compression_ratio: f64,
    /// Most entries in a zip.
    pub max_zip_entries: usize,
    /// Largest cell area (rows × columns between the first and last used cell) of a sheet.
    pub max_sheet_cells: u64,
    /// Longest text in a cell (Excel's own limit is 32,767).
    pub max_cell_chars: usize,
    /// Most rows of a submission's data sheet (a larger sheet is `file-too-large`).
    pub max_data_rows: usize,
}

impl Limits {
    /// Checks that every limit can be met by a real file: all at least 1, the
    /// compression ratio at least 1 and finite, the cell text within Excel's 32,767.
    ///
    /// # Errors
    ///
    /// A message naming the first key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        let whole = [
            ("max_file_bytes", self.max_file_bytes),
            ("max_uncompressed_bytes", self.max_uncompressed_bytes),
            ("max_zip_entries", self.max_zip_entries as u64),
            ("max_sheet_cells", self.max_sheet_cells),
            ("max_cell_chars", self.max_cell_chars as u64),
            ("max_data_rows", self.max_data_rows as u64),
        ];
        if let Some((key, _)) = whole.iter().find(|(_, v)| *v == 0) {
            return Err(format!("[limits] {key} must be at least 1"));
        }
        if !(self.max_compression_ratio.is_finite() && self.max_compression_ratio >= 1.0) {
            return Err(format!(
                "[limits] max_compression_ratio = {} must be a number of at least 1",
                self.max_compression_ratio
            ));
        }
        if self.max_cell_chars > 32_767 {
            return Err(format!(
                "[limits] max_cell_chars = {} is more than Excel's 32,767",
                self.max_cell_chars
            ));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_uncompressed_bytes: 512 * 1024 * 1024,
            max_compression_ratio: 250.0,
            max_zip_entries: 10_000,
            max_sheet_cells: 20_000_000,
            max_cell_chars: 32_767,
            max_data_rows: 100_000,
        }
    }
}

/// Excel's sheet limits.
pub const MAX_ROWS: u64 = 1_048_576;
pub const MAX_COLS: u64 = 16_384;

/// Why a file was refused before parsing. Its [`note`](Hazard::note) is what a
/// diagnostic shows; `Display` is that note in English, for logs.
#[derive(Debug, Clone, PartialEq)]
pub enum Hazard {
    FileTooLarge {
        bytes: u64,
        limit: u64,
    },
    UncompressedTooLarge {
        bytes: u64,
        limit: u64,
    },
    CompressionRatio {
        entry: String,
        ratio: f64,
        limit: f64,
    },
    TooManyEntries {
        entries: usize,
        limit: usize,
    },
    Doctype {
        entry: String,
    },
    SharedStringsCount {
        entry: String,
        count: u64,
        bytes: u64,
    },
    CellOutOfRange {
        entry: String,
        cell: CellPlace,
    },
    SheetTooLarge {
        entry: String,
        cells: u64,
        limit: u64,
    },
    /// The zip or compound file is broken; the note says where.
    Corrupt(Note),
}

impl std::fmt::Display for Hazard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.note().fmt(f)
    }
}

impl std::error::Error for Hazard {}

impl Hazard {
    /// The note of a diagnostic about this hazard.
    pub fn note(&self) -> Note {
        match self.clone() {
            Hazard::FileTooLarge { bytes, limit } => Note::FileTooLarge { bytes, limit },
            Hazard::UncompressedTooLarge { bytes, limit } => Note::UncompressedTooLarge { bytes, limit },
            Hazard::CompressionRatio { entry, ratio, limit } => Note::CompressionRatio { entry, ratio, limit },
            Hazard::TooManyEntries { entries, limit } => Note::TooManyEntries {
                entries: entries as u64,
                limit: limit as u64,
            },
            Hazard::Doctype { entry } => Note::Doctype { entry },
            Hazard::SharedStringsCount { entry, count, bytes } => Note::SharedStringsCount { entry, count, bytes },
            Hazard::CellOutOfRange { entry, cell } => Note::CellOutOfRange { entry, place: cell },
            Hazard::SheetTooLarge { entry, cells, limit } => Note::SheetTooLarge { entry, cells, limit },
            Hazard::Corrupt(note) => note,
        }
    }

    /// Whether this is about size (as opposed to malformed or hostile content).
    pub fn is_size(&self) -> bool {
        matches!(
            self,
            Hazard::FileTooLarge { .. }
                | Hazard::UncompressedTooLarge { .. }
                | Hazard::CompressionRatio { .. }
                | Hazard::TooManyEntries { .. }
                | Hazard::SheetTooLarge { .. }
        )
    }
}

/// Checks a zip-based workbook against `limits` and returns it repacked with every XML
/// part *stored* (not compressed), for the reader.
///
/// Each XML part is inflated once, here, and checked; the reader then sees exactly the
/// bytes that were checked and does not inflate them a second time (inflating was the
/// largest single cost of a run). Other parts (images, `vbaProject.bin`) are copied as they
/// are. Entry names, order and contents are unchanged, so an `.ods`'s `mimetype` stays
/// first.
///
/// # Errors
///
/// The first [`Hazard`] found.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, Hazard> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Hazard::FileTooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let corrupt = |e: zip::result::ZipError| Hazard::Corrupt(Note::ZipUnreadable { error: e.to_string() });
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    if zip.len() > limits.max_zip_entries {
        return Err(Hazard::TooManyEntries {
            entries: zip.len(),
            limit: limits.max_zip_entries,
        });
    }
    let mut total: u64 = 0;
    let mut names: Vec<String> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(corrupt)?;
        let size = entry.size();
        let name = entry
            .name()
            .map(|n| n.to_string())
            .map_err(|_| Hazard::Corrupt(Note::ZipEntryName { index: i as u64 }))?;
        total = total.saturating_add(size);
        let ratio = size as f64 / entry.compressed_size().max(1) as f64;
        if size > 1024 * 1024 && ratio > limits.max_compression_ratio {
            return Err(Hazard::CompressionRatio {
                entry: name,
                ratio,
                limit: limits.max_compression_ratio,
            });
        }
        names.push(name);
    }
    if total > limits.max_uncompressed_bytes {
        return Err(Hazard::UncompressedTooLarge {
            bytes: total,
            limit: limits.max_uncompressed_bytes,
        });
    }
    // Room for what the parts declare, but not reserved up front past 64 MiB: declared
    // sizes bound what is read, not what must be allocated before it is.
    let room = total.min(64 * 1024 * 1024) as usize;
    let out = Cursor::new(Vec::with_capacity(room.saturating_add(names.len() * 128)));
    let mut packed = zip::ZipWriter::new(out);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(total > u64::from(u32::MAX));
    let mut part: Vec<u8> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            let entry = zip.by_index_raw(i).map_err(corrupt)?;
            packed.raw_copy_file(entry).map_err(corrupt)?;
            continue;
        }
        part.clear();
        let mut entry = zip.by_index(i).map_err(corrupt)?;
        // The zip reader stops at the declared size, which was bounded above.
        entry.read_to_end(&mut part).map_err(|e| part_error(name, &e))?;
        // Every XML part is scanned as a worksheet could be (a data sheet may be stored
        // under any name the workbook's relationships give it, not only
        // `xl/worksheets/`), but the shared strings, the calculation chain (cell
        // references of every sheet, which no reader allocates for) and relationships.
        let scanned =
            !(lower.ends_with("sharedstrings.xml") || lower.ends_with("calcchain.xml") || lower.ends_with(".rels"));
        if scanned {
            scan_sheet(&part, name, limits)?;
        } else {
            let head = &part[..part.len().min(4096)];
            if has_doctype(head) || has_doctype(&part) {
                return Err(Hazard::Doctype { entry: name.clone() });
            }
            if lower.ends_with("sharedstrings.xml") {
                // The count the reader reserves memory for (calamine reads `uniqueCount`
                // only; `count` is the number of references to the strings, which may be
                // far larger than the part), wherever the `<sst>` tag is and however its
                // attributes are written.
                let tag = start_tag(&part, b"sst").unwrap_or_default();
                let count = attr_value(tag, b"uniqueCount").map(|v| {
                    std::str::from_utf8(v)
                        .ok()
                        .and_then(|t| t.trim().parse::<u64>().ok())
                        .unwrap_or(u64::MAX)
                });
                if let Some(count) = count {
                    // The smallest shared string, `<si/>`, takes 5 bytes.
                    if count > part.len() as u64 / 5 + 16 {
                        return Err(Hazard::SharedStringsCount {
                            entry: name.clone(),
                            count,
                            bytes: part.len() as u64,
                        });
                    }
                }
            }
        }
        // The reader opens only this archive (one entry per name, as the checked one), so
        // it cannot be handed a part the check did not see.
        packed.start_file(name.as_str(), stored).map_err(corrupt)?;
        std::io::Write::write_all(&mut packed, &part).map_err(|e| part_error(name, &e))?;
    }
    Ok(packed.finish().map_err(corrupt)?.into_inner())
}

/// A zip entry that could not be inflated or written back.
fn part_error(entry: &str, e: &dyn std::fmt::Display) -> Hazard {
    Hazard::Corrupt(Note::ZipPartUnreadable {
        entry: entry.to_string(),
        error: e.to_string(),
    })
}

fn has_doctype(head: &[u8]) -> bool {
    let upper: Vec<u8> = head.iter().map(u8::to_ascii_uppercase).collect();
    memchr::memmem::find(&upper, b"<!DOCTYPE").is_some() || memchr::memmem::find(&upper, b"<!ENTITY").is_some()
}

/// The attributes of the first start tag whose local name is `local` (any namespace
/// prefix), anywhere in `xml`: the bytes between the name and the closing `>`.
fn start_tag<'a>(xml: &'a [u8], local: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &xml[at..]).map(|i| at + i) {
        let rest = &xml[lt + 1..];
        at = lt + 1;
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(rest.len());
        let qname = &rest[..end];
        if qname.rsplit(|b| *b == b':').next() == Some(local) {
            let close = tag_end(rest).unwrap_or(rest.len());
            return Some(&rest[end..close.max(end)]);
        }
    }
    None
}

/// The value of attribute `name` in a tag's attribute text: any whitespace around `=`,
/// single or double quotes.
fn attr_value<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&attrs[at..], name).map(|i| at + i) {
        at = i + name.len();
        let before_ok = i == 0 || attrs[i - 1].is_ascii_whitespace() || attrs[i - 1] == b':';
        let rest = &attrs[at..];
        let after = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
        if !before_ok || rest.get(after) != Some(&b'=') {
            continue;
        }
        let rest = &rest[after + 1..];
        let q = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = *rest.get(q).filter(|b| **b == b'"' || **b == b'\'')?;
        let value = &rest[q + 1..];
        let close = memchr::memchr(quote, value)?;
        return Some(&value[..close]);
    }
    None
}

/// Checks an inflated worksheet part: every `<c r=…>` and `<row r=…>` within Excel's
/// limits, and the used area within `max_sheet_cells`; any `<!DOCTYPE` or `<!ENTITY`
/// refuses it.
///
/// A byte scanner, not an XML parser: it looks at every `<` outside comments, CDATA and
/// processing instructions, and reads the element name and, for `row` and `c` (with any
/// namespace prefix), the `r` attribute; a tag ends at the first `>` outside quotes, as
/// in the reader. Attributes it cannot read make the part corrupt, so it is never more
/// lenient than the reader; other malformed XML is left to the reader. It is several
/// times faster than parsing, which matters because every worksheet of every workbook
/// goes through it.
fn scan_sheet(xml: &[u8], name: &str, limits: &Limits) -> Result<(), Hazard> {
    SheetScan::default().tags(xml, name, limits)
}

/// The state of [`scan_sheet`]: the used area so far and the current row.
#[derive(Debug)]
struct SheetScan {
    min_r: u64,
    max_r: u64,
    min_c: u64,
    max_c: u64,
    current_row: u64,
}

impl Default for SheetScan {
    fn default() -> Self {
        SheetScan {
            min_r: u64::MAX,
            max_r: 0,
            min_c: u64::MAX,
            max_c: 0,
            current_row: 0,
        }
    }
}

impl SheetScan {
    /// Checks every tag of a whole worksheet part.
    fn tags(&mut self, data: &[u8], name: &str, limits: &Limits) -> Result<(), Hazard> {
        let mut at = 0;
        // Tags are short and close together: a plain loop beats a vectorised search here.
        while let Some(lt) = data[at..].iter().position(|b| *b == b'<').map(|i| at + i) {
            let rest = &data[lt + 1..];
            // Markup whose text may hold quotes and `>`: skip to its own end.
            let special: Option<&[u8]> = match rest.first() {
                Some(b'?') => Some(b"?>"),
                Some(b'!') if rest.starts_with(b"!--") => Some(b"-->"),
                Some(b'!') if rest.starts_with(b"![CDATA[") => Some(b"]]>"),
                // `<!DOCTYPE`, `<!ENTITY` … have no place in a worksheet.
                Some(b'!') => {
                    return Err(Hazard::Doctype {
                        entry: name.to_string(),
                    })
                }
                _ => None,
            };
            if let Some(close) = special {
                match memchr::memmem::find(rest, close) {
                    Some(i) => {
                        at = lt + 1 + i + close.len();
                        continue;
                    }
                    None => return Ok(()),
                }
            }
            // The tag ends at the first `>` outside quotes (`>` may appear in a value).
            let Some(gt) = tag_end(rest).map(|i| lt + 1 + i) else {
                return Ok(());
            };
            let tag = &data[lt + 1..gt];
            at = gt + 1;
            if matches!(tag.first(), Some(b'/') | None) {
                continue;
            }
            let end = tag
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'/')
                .unwrap_or(tag.len());
            let qname = &tag[..end];
            let local = qname.rsplit(|b| *b == b':').next().unwrap_or(qname);
            match local {
                b"row" => self.row(attr(&tag[end..], b"r", name)?, name)?,
                b"c" => self.cell(attr(&tag[end..], b"r", name)?, name, limits)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn row(&mut self, r: Option<&[u8]>, name: &str) -> Result<(), Hazard> {
        let Some(value) = r else {
            self.current_row += 1;
            return Ok(());
        };
        let r: u64 = std::str::from_utf8(value)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        if r == 0 || r > MAX_ROWS {
            return Err(Hazard::CellOutOfRange {
                entry: name.to_string(),
                cell: CellPlace::Row(String::from_utf8_lossy(value).to_string()),
            });
        }
        self.current_row = r;
        Ok(())
    }

    fn cell(&mut self, r: Option<&[u8]>, name: &str, limits: &Limits) -> Result<(), Hazard> {
        let (row, col) = match r {
            Some(value) => CellRef::parse_one_based(value).ok_or_else(|| Hazard::CellOutOfRange {
                entry: name.to_string(),
                cell: CellPlace::Ref(String::from_utf8_lossy(value).to_string()),
            })?,
            None => (self.current_row.max(1), self.max_c + 1),
        };
        if row == 0 || row > MAX_ROWS || col == 0 || col > MAX_COLS {
            return Err(Hazard::CellOutOfRange {
                entry: name.to_string(),
                cell: CellPlace::RowColumn { row, column: col },
            });
        }
        self.min_r = self.min_r.min(row);
        self.max_r = self.max_r.max(row);
        self.min_c = self.min_c.min(col);
        self.max_c = self.max_c.max(col);
        let area = (self.max_r - self.min_r + 1).saturating_mul(self.max_c - self.min_c + 1);
        if area > limits.max_sheet_cells {
            return Err(Hazard::SheetTooLarge {
                entry: name.to_string(),
                cells: area,
                limit: limits.max_sheet_cells,
            });
        }
        Ok(())
    }
}

/// Where a tag's text (after its `<`) ends: the first `>` outside quotes.
fn tag_end(rest: &[u8]) -> Option<usize> {
    let mut quote = 0u8;
    for (i, &b) in rest.iter().enumerate() {
        if quote != 0 {
            if b == quote {
                quote = 0;
            }
        } else if b == b'>' {
            return Some(i);
        } else if b == b'"' || b == b'\'' {
            quote = b;
        }
    }
    None
}

/// The value of attribute `key` (no namespace prefix) in the attribute text of a tag
/// (what follows its name), quoted with `"` or `'`; `None` when absent. Attributes the
/// scan cannot read, or `key` twice, make the part corrupt (an XML reader refuses them
/// too): a value must never slip past the scan.
fn attr<'a>(mut rest: &'a [u8], key: &[u8], entry: &str) -> Result<Option<&'a [u8]>, Hazard> {
    let bad = || {
        Hazard::Corrupt(Note::XmlAttributeUnreadable {
            entry: entry.to_string(),
        })
    };
    let skip_ws = |s: &'a [u8]| -> &'a [u8] {
        let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
        &s[n..]
    };
    let mut found = None;
    loop {
        rest = skip_ws(rest);
        if rest.is_empty() || rest == b"/" {
            return Ok(found);
        }
        let n = rest
            .iter()
            .take_while(|b| !b.is_ascii_whitespace() && **b != b'=' && **b != b'/')
            .count();
        if n == 0 {
            return Err(bad());
        }
        let k = &rest[..n];
        rest = skip_ws(&rest[n..]);
        rest = skip_ws(rest.strip_prefix(b"=").ok_or_else(bad)?);
        let quote = *rest.first().ok_or_else(bad)?;
        if quote != b'"' && quote != b'\'' {
            return Err(bad());
        }
        let len = memchr::memchr(quote, &rest[1..]).ok_or_else(bad)?;
        if k == key {
            if found.is_some() {
                return Err(Hazard::Corrupt(Note::XmlAttributeTwice {
                    entry: entry.to_string(),
                    attribute: String::from_utf8_lossy(key).to_string(),
                }));
            }
            found = Some(&rest[1..1 + len]);
        }
        rest = &rest[len + 2..];
    }
}

/// The signature of an OLE compound file (BIFF `.xls`, encrypted OOXML).
pub const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks an OLE compound file (BIFF `.xls`) *before* calamine parses it: every sector
/// chain the reader will follow (DIFAT, directory, mini FAT, each stream) must end and stay
/// inside the file. calamine follows chains without a bound: a directory chain that loops
/// grows memory until the process is killed, and a sector past the end of the file panics
/// (found by fuzzing, see `docs/fuzzing.md`).
///
/// # Errors
///
/// [`Hazard::FileTooLarge`], or [`Hazard::Corrupt`] naming the broken structure.
pub fn check_cfb(bytes: &[u8], limits: &Limits) -> Result<(), Hazard> {
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const MAX_REGULAR: u32 = 0xFFFF_FFFA;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Hazard::FileTooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let corrupt = |fault: CompoundFault| Hazard::Corrupt(Note::CompoundFile { fault });
    if bytes.len() < 512 || !bytes.starts_with(&CFB_SIGNATURE) {
        return Err(corrupt(CompoundFault::ShorterThanHeader));
    }
    let u32_at = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    let shift = u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]);
    if shift != 9 && shift != 12 {
        return Err(corrupt(CompoundFault::SectorSize));
    }
    let size = 1usize << shift;
    // Sector `id` starts at (id + 1) × size; a chain may only name sectors that start in
    // the file (calamine slices from the start).
    let n_sectors = bytes.len() / size;
    let sector = |id: u32| -> Result<&[u8], Hazard> {
        let start = (id as usize + 1) * size;
        if id > MAX_REGULAR || start > bytes.len() {
            return Err(corrupt(CompoundFault::SectorPastEnd { sector: id }));
        }
        Ok(&bytes[start..(start + size).min(bytes.len())])
    };
    let words = |s: &[u8]| -> Vec<u32> { (0..s.len() / 4).map(|i| u32_at(s, 4 * i)).collect() };

    // The DIFAT: 109 FAT sector ids in the header, then a chain of DIFAT sectors.
    let mut fat_ids: Vec<u32> = words(&bytes[0x4C..0x200])
        .into_iter()
        .filter(|id| *id <= MAX_REGULAR)
        .collect();
    let mut next = u32_at(bytes, 0x44);
    let mut steps = 0;
    while next <= MAX_REGULAR {
        steps += 1;
        if steps > n_sectors {
            return Err(corrupt(CompoundFault::ChainLoops { chain: Chain::Difat }));
        }
        let mut w = words(sector(next)?);
        next = w.pop().unwrap_or(END_OF_CHAIN);
        fat_ids.extend(w.into_iter().filter(|id| *id <= MAX_REGULAR));
    }
    let mut fat = Vec::new();
    for id in fat_ids {
        fat.extend(words(sector(id)?));
    }
    // Follows a chain in `table`; at most `limit` links, else it loops.
    let walk = |start: u32, table: &[u32], limit: usize, chain: Chain| -> Result<Vec<u32>, Hazard> {
        let mut ids = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN {
            if ids.len() >= limit {
                return Err(corrupt(CompoundFault::ChainLoops { chain }));
            }
            let Some(next) = table.get(id as usize) else {
                return Err(corrupt(CompoundFault::ChainLeavesTable { chain }));
            };
            ids.push(id);
            id = *next;
        }
        Ok(ids)
    };
    let dir_ids = walk(u32_at(bytes, 0x30), &fat, n_sectors, Chain::Directory)?;
    let mut entries = Vec::new();
    for id in &dir_ids {
        let s = sector(*id)?;
        entries.extend(s.chunks_exact(128).map(<[u8]>::to_vec));
    }
    for id in walk(u32_at(bytes, 0x3C), &fat, n_sectors, Chain::MiniFat)? {
        sector(id)?;
    }
    let mini_fat: Vec<u32> = if u32_at(bytes, 0x40) > 0 {
        let mut m = Vec::new();
        for id in walk(u32_at(bytes, 0x3C), &fat, n_sectors, Chain::MiniFat)? {
            m.extend(words(sector(id)?));
        }
        m
    } else {
        Vec::new()
    };
    let cutoff = u64::from(u32_at(bytes, 0x38));
    let version3 = u16::from_le_bytes([bytes[0x1A], bytes[0x1B]]) == 3;
    for (i, e) in entries.iter().enumerate() {
        let kind = e[0x42];
        if kind != 2 && kind != 5 {
            continue;
        }
        let start = u32_at(e, 0x74);
        let mut len = u64::from(u32_at(e, 0x78)) | (u64::from(u32_at(e, 0x7C)) << 32);
        if version3 {
            len &= 0xFFFF_FFFF;
        }
        if len == 0 || start == END_OF_CHAIN {
            continue;
        }
        if i == 0 || len >= cutoff {
            for id in walk(start, &fat, n_sectors, Chain::Stream)? {
                sector(id)?;
            }
        } else {
            walk(start, &mini_fat, mini_fat.len(), Chain::MiniStream)?;
        }
    }
    check_biff_records(bytes, limits)
}

/// Walks the BIFF records of the `Workbook`/`Book` stream (read with the `cfb` crate once
/// the sector chains are known to be sound) and checks every `DIMENSIONS` record: calamine
/// reserves memory for rows × columns of it before reading a cell, and a first row past the
/// last wraps around. Found by fuzzing (`fuzz_submission_biff_dimensions_*`).
fn check_biff_records(bytes: &[u8], limits: &Limits) -> Result<(), Hazard> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        // Not our call to judge: calamine reports what it cannot open.
        return Ok(());
    };
    let name = file
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))
        });
    let Some(name) = name else { return Ok(()) };
    let Ok(stream) = file.open_stream(&name) else {
        return Ok(());
    };
    let mut data = Vec::new();
    if stream
        .take(limits.max_uncompressed_bytes)
        .read_to_end(&mut data)
        .is_err()
    {
        return Ok(());
    }
    let entry = name.display().to_string();
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    // Cell extent of the current sheet substream: calamine allocates it densely.
    let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let mut at = 0usize;
    while at + 4 <= data.len() {
        let typ = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = u16::from_le_bytes([data[at + 2], data[at + 3]]) as usize;
        let body = &data[at + 4..(at + 4 + len).min(data.len())];
        match typ {
            // BOF: a new substream (sheet).
            0x0809 => (min_r, max_r, min_c, max_c) = (u64::MAX, 0, u64::MAX, 0),
            // Cell records: row u16, column u16 first; MULRK/MULBLANK end with the last column.
            0x0006 | 0x00BD | 0x00BE | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E if body.len() >= 4 => {
                let row = u16_at(body, 0);
                let first = u16_at(body, 2);
                let last = if matches!(typ, 0x00BD | 0x00BE) && body.len() >= 6 {
                    u16_at(body, body.len() - 2)
                } else {
                    first
                };
                let col = first.max(last);
                // BIFF8 sheets have 256 columns (IV); anything past is not a real cell.
                if col > 0xFF {
                    return Err(Hazard::CellOutOfRange {
                        entry,
                        cell: CellPlace::RowColumn {
                            row: row + 1,
                            column: col + 1,
                        },
                    });
                }
                min_r = min_r.min(row);
                max_r = max_r.max(row);
                min_c = min_c.min(first.min(last));
                max_c = max_c.max(col);
                let cells = (max_r - min_r + 1).saturating_mul(max_c - min_c + 1);
                if cells > limits.max_sheet_cells {
                    return Err(Hazard::SheetTooLarge {
                        entry,
                        cells,
                        limit: limits.max_sheet_cells,
                    });
                }
            }
            _ => {}
        }
        if typ == 0x0200 {
            let (first_row, last_row, first_col, last_col) = match body.len() {
                10 => (
                    u64::from(u16::from_le_bytes([body[0], body[1]])),
                    u64::from(u16::from_le_bytes([body[2], body[3]])),
                    u64::from(u16::from_le_bytes([body[4], body[5]])),
                    u64::from(u16::from_le_bytes([body[6], body[7]])),
                ),
                14 | 16 => (
                    u64::from(u32::from_le_bytes([body[0], body[1], body[2], body[3]])),
                    u64::from(u32::from_le_bytes([body[4], body[5], body[6], body[7]])),
                    u64::from(u16::from_le_bytes([body[8], body[9]])),
                    u64::from(u16::from_le_bytes([body[10], body[11]])),
                ),
                _ => (0, 0, 0, 0),
            };
            // As calamine reads it: the last row/column is exclusive; a first column past
            // 255 or past the last counts from 0.
            let first_col = if first_col > 0xFF || last_col < first_col {
                0
            } else {
                first_col
            };
            if last_row >= 1 && last_col >= 1 {
                if first_row > last_row - 1 {
                    return Err(Hazard::CellOutOfRange {
                        entry: entry.clone(),
                        cell: CellPlace::Dimensions {
                            first_row,
                            last_row: last_row - 1,
                        },
                    });
                }
                let cells = (last_row - first_row).saturating_mul(last_col - first_col);
                if last_row > MAX_ROWS || cells > limits.max_sheet_cells {
                    return Err(Hazard::SheetTooLarge {
                        entry,
                        cells,
                        limit: limits.max_sheet_cells,
                    });
                }
            }
        }
        at += 4 + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &[u8]) -> Result<(), Hazard> {
        scan_sheet(xml, "xl/worksheets/sheet1.xml", &Limits::default())
    }

    /// Cells at A1 and XFD1048576: an area calamine would allocate densely.
    const FAR: &str = r#"<c r="XFD1048576"/>"#;

    #[test]
    fn sheet_scan_sees_cells_however_they_are_written() {
        assert!(scan(
            br#"<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData></worksheet>"#
        )
        .is_ok());
        let too_large = |xml: String| matches!(scan(xml.as_bytes()), Err(Hazard::SheetTooLarge { .. }));
        assert!(too_large(format!(r#"<c r="A1"/>{FAR}"#)));
        // Namespace prefix, single quotes, spaces around `=`, other attributes first.
        assert!(too_large(r#"<x:c r="A1"/><x:c t="s" r = 'XFD1048576'/>"#.to_string()));
        // `>` inside a value does not end the tag.
        assert!(too_large(r#"<c r="A1"/><c foo=">" r="XFD1048576"/>"#.to_string()));
        // Quotes inside comments, CDATA and processing instructions do not hide tags.
        assert!(too_large(format!(
            r#"<?xml version="1.0"?><!-- don't --><c r="A1"/>{FAR}<!-- ' -->"#
        )));
        assert!(too_large(format!(r#"<v><![CDATA[ " > ]]></v><c r="A1"/>{FAR}"#)));
        // Rows without `r` count on; cells without `r` follow the last column.
        assert!(scan(br#"<row><c/><c/></row><row><c/></row>"#).is_ok());
        assert!(matches!(
            scan(br#"<row r="1048577"><c/></row>"#),
            Err(Hazard::CellOutOfRange { .. })
        ));
        assert!(matches!(scan(br#"<c r="A0"/>"#), Err(Hazard::CellOutOfRange { .. })));
    }

    #[test]
    fn sheet_scan_refuses_what_it_cannot_read() {
        assert!(matches!(
            scan(br#"<c r="A1" r="XFD1048576"/>"#),
            Err(Hazard::Corrupt(_))
        ));
        assert!(matches!(scan(br#"<c r=A1/>"#), Err(Hazard::Corrupt(_))));
        assert!(matches!(scan(br#"<c r="A1/>"#), Ok(()) | Err(Hazard::Corrupt(_))));
        assert!(matches!(
            scan(br#"<!DOCTYPE x [<!ENTITY a "b">]><c r="A1"/>"#),
            Err(Hazard::Doctype { .. })
        ));
        assert!(matches!(
            scan(br#"<c r="A1"/><!entity a "b">"#),
            Err(Hazard::Doctype { .. })
        ));
    }

    #[test]
    fn doctype_detection() {
        assert!(has_doctype(
            b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]>"
        ));
        assert!(!has_doctype(b"<?xml version=\"1.0\"?><sst count=\"1\">"));
    }

    /// A zip of `parts` (name, content), deflated.
    fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut out));
            for (name, data) in parts {
                w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
                std::io::Write::write_all(&mut w, data).unwrap();
            }
            w.finish().unwrap();
        }
        out
    }

    /// Issue 17 (item 2): the shared-strings count is read however the `<sst>` tag is
    /// written (a line break or tab before the attribute, single quotes, a prefix, the tag
    /// after the first 4 KiB).
    #[test]
    fn issue_17_shared_strings_count_cannot_be_hidden_by_formatting() {
        let huge = |sst: String| {
            let bytes = zip_of(&[("xl/sharedStrings.xml", sst.into_bytes())]);
            matches!(check_zip(&bytes, &Limits::default()), Err(Hazard::SharedStringsCount { count, .. }) if count == 4_000_000_000)
        };
        assert!(huge(
            r#"<sst xmlns="x" count="5" uniqueCount="4000000000"><si><t>a</t></si></sst>"#.into()
        ));
        assert!(huge(
            "<sst xmlns=\"x\"\n\tuniqueCount=\"4000000000\"><si><t>a</t></si></sst>".into()
        ));
        assert!(huge(r#"<sst uniqueCount='4000000000'><si><t>a</t></si></sst>"#.into()));
        assert!(huge(
            r#"<x:sst uniqueCount = "4000000000"><x:si><x:t>a</x:t></x:si></x:sst>"#.into()
        ));
        assert!(huge(format!(
            r#"<?xml version="1.0"?><!--{}--><sst uniqueCount="4000000000"><si><t>a</t></si></sst>"#,
            " ".repeat(5000)
        )));
        // An honest count passes.
        let ok = zip_of(&[(
            "xl/sharedStrings.xml",
            br#"<sst count="1" uniqueCount="1"><si><t>a</t></si></sst>"#.to_vec(),
        )]);
        assert!(check_zip(&ok, &Limits::default()).is_ok());
        // `count` is the number of references to the strings (a real TÜİK table: 338
        // references to strings in a 2,844-byte part); only `uniqueCount` is reserved for.
        let many_references = zip_of(&[(
            "xl/sharedStrings.xml",
            br#"<sst count="4000000000" uniqueCount="1"><si><t>a</t></si></sst>"#.to_vec(),
        )]);
        assert!(check_zip(&many_references, &Limits::default()).is_ok());
        assert_eq!(attr_value(b" a='1' b = \"2\"", b"b"), Some(b"2".as_slice()));
        assert_eq!(attr_value(b" xb=\"9\" b=\"2\"", b"b"), Some(b"2".as_slice()));
    }

    /// Issue 17 (item 1): a data sheet stored outside `xl/worksheets/` (the workbook's
    /// relationships may name any part) is scanned all the same.
    #[test]
    fn issue_17_a_sheet_stored_under_another_name_is_scanned() {
        let sheet = format!(r#"<worksheet><sheetData><row r="1"><c r="A1"/></row>{FAR}</sheetData></worksheet>"#);
        for name in [
            "xl/worksheets/sheet1.xml",
            "xl/data/sheet1.xml",
            "xl/blob.xml",
            "custom/x.xml",
        ] {
            let bytes = zip_of(&[(name, sheet.clone().into_bytes())]);
            assert!(
                matches!(check_zip(&bytes, &Limits::default()), Err(Hazard::SheetTooLarge { .. })),
                "{name}"
            );
        }
        // The calculation chain lists cells of every sheet, which no reader allocates for.
        let chain = zip_of(&[(
            "xl/calcChain.xml",
            br#"<calcChain><c r="A1" i="1"/><c r="XFD1048576" i="2"/></calcChain>"#.to_vec(),
        )]);
        assert!(check_zip(&chain, &Limits::default()).is_ok());
    }
}
