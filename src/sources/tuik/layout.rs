//! Reading a table's layout from its labels: where the header rows are, where the data
//! starts and ends, which rows are sections (`Erkek-Male`) and which footnotes.

use std::ops::Range;

use super::grid::{Cell, Grid};
use crate::normalise::{fold, fold_words, parse_number, parse_period, strip_footnote, NumberCell};

/// The parts of a table found on a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The stub column: row labels (province, education level, year…).
    pub stub: usize,
    /// The header rows (may be empty for a table without column headers).
    pub header: Range<usize>,
    /// Data rows, including section rows and blank rows; footnotes excluded.
    pub data: Range<usize>,
}

/// Why no table was found on a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no data rows found (no row with a label and a number)")]
pub struct NoTable;

/// Finds the table on a grid.
///
/// The first data row is the first row with a label in the stub column and a number
/// (not a year 1900–2100) or a missing-value sign (`-`, `..`, `x`) right of it. Section rows and blank rows just above it belong to
/// the data; the header rows are the rows above those that have content right of the stub
/// (through merges too), at most six. The data ends at the first footnote row (`Kaynak:`,
/// `Source:`, `TÜİK`, `Not.`, `(1)`, `*`, `- Bilgi yoktur`).
///
/// # Errors
///
/// [`NoTable`] when no row holds a label and a number.
pub fn detect(grid: &Grid) -> Result<Table, NoTable> {
    let stub = (0..grid.height())
        .filter_map(|r| grid.rows[r].iter().position(|c| !c.is_empty()))
        .min()
        .unwrap_or(0);
    let first = (0..grid.height())
        .find(|&r| !grid.cell(r, stub).is_empty() && (stub + 1..grid.width()).any(|c| is_data_number(grid, r, c)))
        .ok_or(NoTable)?;
    let mut start = first;
    while start > 0 && (grid.row_is_empty(start - 1) || is_section_row(grid, start - 1, stub)) {
        start -= 1;
    }
    // Leading blank rows are not part of the data.
    while start < first && grid.row_is_empty(start) {
        start += 1;
    }
    let mut top = start;
    while top > 0
        && start - top < 6
        && (stub + 1..grid.width().max(stub + 1)).any(|c| !grid.label(top - 1, c).trim().is_empty())
    {
        top -= 1;
    }
    let end = (first..grid.height())
        .find(|&r| is_footnote_row(grid, r, stub))
        .unwrap_or(grid.height());
    Ok(Table {
        stub,
        header: top..start,
        data: start..end,
    })
}

/// A cell that is a value (a number, or text that reads as one, or a TÜİK missing-value
/// sign `-`, `..`, `x`), not a year-like integer.
fn is_data_number(grid: &Grid, row: usize, col: usize) -> bool {
    let v = match grid.cell(row, col) {
        Cell::Number(v) => *v,
        Cell::Text(t) if t.trim().is_empty() => return false,
        Cell::Text(t) => match parse_number(strip_footnote(t).0, grid.style) {
            Ok(NumberCell::Value(v)) => v,
            Ok(NumberCell::NotReported | NumberCell::NotAvailable | NumberCell::Confidential) => return true,
            Err(_) => return false,
        },
        Cell::Empty => return false,
    };
    !(v.fract() == 0.0 && (1900.0..=2100.0).contains(&v))
}

/// A row with only its stub cell filled (with text that is not a year): a section label.
pub fn is_section_row(grid: &Grid, row: usize, stub: usize) -> bool {
    let own = grid.cell(row, stub);
    matches!(own, Cell::Text(_))
        && !own.is_empty()
        && year_key(&own.text()).is_none()
        && grid.rows[row]
            .iter()
            .enumerate()
            .all(|(c, cell)| c == stub || cell.is_empty())
}

fn is_footnote_row(grid: &Grid, row: usize, stub: usize) -> bool {
    let row_cells = &grid.rows[row];
    let Some(first) = row_cells.iter().position(|c| !c.is_empty()) else {
        return false;
    };
    if first > stub || row_cells.iter().skip(first + 1).any(|c| !c.is_empty()) {
        return false;
    }
    let raw = row_cells[first].text();
    let raw = raw.trim_start();
    let f = fold(raw);
    [
        "kaynak", "source", "tuik", "turkstat", "not.", "not:", "notlar", "note.", "note:", "notes", "aciklama",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || raw.starts_with('(')
        || raw.starts_with('*')
        || raw.starts_with("- ")
}

/// The labels of a column in the header rows (through merged ranges), top to bottom,
/// without empty or repeated ones.
pub fn column_labels(grid: &Grid, table: &Table, col: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in table.header.clone() {
        let l = grid.label(r, col);
        if !l.trim().is_empty() && out.last() != Some(&l) {
            out.push(l);
        }
    }
    out
}

/// The year (or academic-year) key of a label: `2020`, `2021(1)` → `2020`/`2021`;
/// `2020-2021`, `2020/'21`, `2020/21` → `2020-2021`. `None` for anything else.
///
/// # Examples
///
/// ```
/// use yeep::sources::tuik::layout::year_key;
/// assert_eq!(year_key("2021(1)").as_deref(), Some("2021"));
/// assert_eq!(year_key("2020/'21").as_deref(), Some("2020-2021"));
/// assert_eq!(year_key("18-24"), None);
/// ```
pub fn year_key(label: &str) -> Option<String> {
    let (base, _) = strip_footnote(label.trim());
    let t = base.trim();
    if let Some(p) = parse_period(t) {
        return p.quarter.is_none().then(|| p.year.to_string());
    }
    let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 7 || !chars[..4].iter().all(char::is_ascii_digit) || !matches!(chars[4], '-' | '/' | '–') {
        return None;
    }
    let first: u16 = chars[..4].iter().collect::<String>().parse().ok()?;
    let rest: String = chars[5..].iter().filter(|c| **c != '\'').collect();
    let second: u16 = match rest.len() {
        2 if rest.chars().all(|c| c.is_ascii_digit()) => first / 100 * 100 + rest.parse::<u16>().ok()?,
        4 if rest.chars().all(|c| c.is_ascii_digit()) => rest.parse().ok()?,
        _ => return None,
    };
    ((1900..=2100).contains(&first) && second > first && second - first <= 3).then(|| format!("{first}-{second}"))
}

/// The texts a label can be matched by: itself, each line, each side of a bilingual
/// ` - ` / `-` / `/`, a NUTS code and the names after it (`TR31 (İzmir)` → `TR31`,
/// `İzmir`), the inside of a trailing parenthesis (`Zaman (TIME_PERIOD)`); footnote markers
/// stripped.
fn candidates(label: &str) -> Vec<String> {
    let (base, _) = strip_footnote(label.trim());
    let base = base.trim();
    let mut out = vec![base.to_string()];
    let push_parts = |s: &str, out: &mut Vec<String>| {
        let s = s.trim();
        out.push(s.to_string());
        if let (Some(open), true) = (s.rfind('('), s.ends_with(')')) {
            out.push(s[open + 1..s.len() - 1].trim().to_string());
            out.push(s[..open].trim().to_string());
        }
        // Bilingual labels padded apart: `Okuma yazma bilmeyen      Illiterate`.
        if let Some(i) = s.find("   ") {
            out.push(s[..i].trim().to_string());
            out.push(s[i..].trim().to_string());
        }
        for sep in [" - ", " / ", "/"] {
            if let Some((a, b)) = s.split_once(sep) {
                out.push(a.trim().to_string());
                out.push(b.trim().to_string());
            }
        }
        if s.matches('-').count() == 1 {
            let (a, b) = s.split_once('-').unwrap_or((s, ""));
            out.push(a.trim().to_string());
            out.push(b.trim().to_string());
        }
    };
    push_parts(base, &mut out);
    for line in base.lines() {
        push_parts(line, &mut out);
    }
    let first_word = base.split_whitespace().next().unwrap_or("");
    if first_word.len() >= 2 && first_word.starts_with("TR") && first_word.chars().all(|c| c.is_ascii_alphanumeric()) {
        out.push(first_word.to_string());
        let rest = base[first_word.len()..].trim();
        out.push(rest.trim_start_matches('(').trim_end_matches(')').trim().to_string());
    }
    out
}

/// Whether a table label matches a label named in a mapping (Turkish folding,
/// punctuation and footnote markers ignored; see [`candidates`]).
///
/// # Examples
///
/// ```
/// use yeep::sources::tuik::layout::label_matches;
/// assert!(label_matches("TR31 (İzmir)", "İzmir"));
/// assert!(label_matches("Okur-yazar olmayanlar      \nIlliterate", "Okur-yazar olmayanlar"));
/// assert!(label_matches("Kadın-Female", "kadın"));
/// assert!(!label_matches("TR33 (Manisa, Afyon, Kütahya, Uşak)", "Manisa"));
/// ```
pub fn label_matches(label: &str, want: &str) -> bool {
    let w = fold_words(want);
    !w.is_empty() && candidates(label).iter().any(|c| fold_words(c) == w)
}

/// Whether a label names a code column exactly (`IKAMET_YERI`, or `Zaman (TIME_PERIOD)`
/// for `TIME_PERIOD`).
pub fn label_is_exactly(label: &str, want: &str) -> bool {
    let l = label.trim();
    let w = want.trim();
    l == w || (l.ends_with(')') && l.rfind('(').is_some_and(|o| l[o + 1..l.len() - 1].trim() == w))
}

/// Whether `want` appears in `text` as a sequence of whole words (folded).
pub fn contains_words(text: &str, want: &str) -> bool {
    let w = fold_words(want);
    !w.is_empty() && format!(" {} ", fold_words(text)).contains(&format!(" {w} "))
}

/// The labels of `labels` nearest to `want` (at most five, nearest first, each once): by
/// the normalised Levenshtein similarity of the folded texts, over each label's
/// [`candidates`] (so either language's part of a bilingual label counts). For "not
/// found" diagnostics: what the table does have.
///
/// # Examples
///
/// ```
/// use yeep::sources::tuik::layout::nearest;
/// let labels = ["Yıl".to_string(), "Kadın - Female".to_string(), "Toplam".to_string()];
/// assert_eq!(nearest("Kadin", labels.iter().map(String::as_str))[0], "Kadın - Female");
/// ```
pub fn nearest<'a>(want: &str, labels: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let w = fold_words(want);
    let mut scored: Vec<(f64, String)> = Vec::new();
    for label in labels {
        let label = label.trim();
        if label.is_empty() || label.parse::<f64>().is_ok() || scored.iter().any(|(_, l)| l == label) {
            continue;
        }
        let score = candidates(label)
            .iter()
            .map(|c| strsim::normalized_levenshtein(&w, &fold_words(c)))
            .fold(0.0, f64::max);
        scored.push((score, label.to_string()));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(5).map(|(_, l)| l).collect()
}
