//! Reading a table's layout from its labels: where the header rows are, where the data
//! starts and ends, which rows are sections (`Erkek-Male`) and which footnotes.

use std::ops::Range;

use super::grid::{Cell, Grid};
use crate::normalise::{fold, fold_words, parse_number, parse_period, strip_footnote, NumberCell};

/// The parts of a table found on a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The leftmost used column (where located errors about the stub point).
    pub stub: usize,
    /// The stub (row label) columns, left to right: every column left of the values that
    /// holds a label in the data (a plate-code column and a name column, a year column, a
    /// two-column stub, section rows in column B), then text-only columns right of the
    /// values (an English stub repeated at the right edge).
    pub stubs: Vec<usize>,
    /// The first value column (the column where most data rows have their first number).
    pub values: usize,
    /// The header rows (may be empty for a table without column headers); blank rows
    /// inside or below the header block are part of it.
    pub header: Range<usize>,
    /// Data rows, including section rows and blank rows; footnotes excluded.
    pub data: Range<usize>,
    /// The label each header row gives each column (`labels[r - header.start][c]`): the
    /// cell's own text, through merged ranges, or that of a header cell written once over
    /// several columns (see [`detect`]).
    pub labels: Vec<Vec<String>>,
    /// The stub labels of each data row (`stub_labels[r - data.start]`), see
    /// [`Table::row_labels`].
    pub stub_labels: Vec<Vec<(usize, String)>>,
}

impl Table {
    /// The label header row `row` gives column `col` (empty outside the header).
    pub fn header_label(&self, row: usize, col: usize) -> &str {
        row.checked_sub(self.header.start)
            .and_then(|i| self.labels.get(i))
            .and_then(|l| l.get(col))
            .map_or("", String::as_str)
    }

    /// Whether `col` is a stub column.
    pub fn is_stub(&self, col: usize) -> bool {
        self.stubs.contains(&col)
    }

    /// The stub labels of a data row (through merged ranges), left to right: (column, label);
    /// none outside the data.
    ///
    /// A label written once over a block of rows (`İzmir` on the first of its
    /// education-level rows, the rest blank) is carried down to the rows of the block: to
    /// a row whose own label is in a stub column further right, from the nearest row above
    /// with that column filled, not across a row with a label further left.
    pub fn row_labels(&self, _grid: &Grid, row: usize) -> &[(usize, String)] {
        row.checked_sub(self.data.start)
            .and_then(|i| self.stub_labels.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The labels that name a data row itself: the innermost (rightmost) label left of the
    /// values, and the labels right of them. `TR310 | İzmir` → `İzmir`; `İzmir | Bornova`
    /// → `Bornova`; `İzmir | ` → `İzmir`.
    pub fn own_labels(&self, grid: &Grid, row: usize) -> Vec<(usize, String)> {
        let all = self.row_labels(grid, row);
        let inner = all.iter().rposition(|(c, _)| *c < self.values);
        all.iter()
            .enumerate()
            .filter(|(i, (c, _))| Some(*i) == inner || *c >= self.values)
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// A section row: the row's only filled cell is a label in a stub column left of the
    /// values (`Erkek-Male`, `2020`, a province over its districts). (column, label).
    pub fn section(&self, grid: &Grid, row: usize) -> Option<(usize, String)> {
        let filled: Vec<usize> = (0..grid.rows.get(row).map_or(0, Vec::len))
            .filter(|&c| !grid.cell(row, c).is_empty())
            .collect();
        match filled.as_slice() {
            [c] if *c < self.values && is_label_cell(grid, row, *c) => Some((*c, grid.cell(row, *c).text())),
            _ => None,
        }
    }
}

/// Why no table was found on a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no data rows found (no row with a label and a number)")]
pub struct NoTable;

/// At most this many non-blank header rows.
const MAX_HEADER_ROWS: usize = 6;
/// At most this many blank rows inside or below the header block.
const MAX_HEADER_GAP: usize = 2;

/// Finds the table on a grid.
///
/// * **Values and stub.** For every row, its first label (text, or a year 1900–2100) and
///   the first number (not a year) or missing-value sign (`-`, `..`, `x`) right of it. The
///   first value column is the column where most such rows have that number; the stub
///   columns are the columns left of it that hold labels in the data (a code column, a
///   year column, a name column, section rows in column B), and text-only columns right
///   of the values. The first data row is the first row with a label left of the values
///   and a value.
/// * **Sections.** Section rows (one label in a stub column, nothing else) and blank rows
///   just above the first data row belong to the data.
/// * **Header.** The rows above those with content right of the leftmost column (own
///   cells, or merged ranges not starting in it), at most six; blank rows inside or below
///   the header block (up to two in a row) do not cut it. Title rows (text in column A
///   only, a merged title, or long one-line titles) end it.
/// * **Header spans.** A header cell that is not merged but written once over several
///   columns spans them: when the row below repeats a group of labels (`Toplam / Erkek /
///   Kadın` under each year), over its group — wherever in the group it sits; otherwise
///   rightwards until the next header cell in its row, over the columns that have a label
///   in the row below. A span never crosses a header cell of a row above (the parent
///   group ends there), never covers a stub column, and ends at the table's width.
/// * **End.** The data ends at the first footnote row (`Kaynak:`, `Source:`, `TÜİK`,
///   `Not.`, `(1)`, `*`, `- Bilgi yoktur`).
///
/// # Errors
///
/// [`NoTable`] when no row holds a label and a number.
pub fn detect(grid: &Grid) -> Result<Table, NoTable> {
    let (h, w) = (grid.height(), grid.width());
    let stub = (0..h)
        .filter_map(|r| grid.rows[r].iter().position(|c| !c.is_empty()))
        .min()
        .unwrap_or(0);
    // The first label and the first value right of it, per row.
    let firsts: Vec<Option<(usize, usize)>> = (0..h)
        .map(|r| {
            let l = (0..w).find(|&c| is_label_cell(grid, r, c))?;
            let v = (l + 1..w).find(|&c| is_data_number(grid, r, c))?;
            Some((l, v))
        })
        .collect();
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for (_, v) in firsts.iter().flatten() {
        *counts.entry(*v).or_default() += 1;
    }
    let mode = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(v, _)| *v)
        .ok_or(NoTable)?;
    // Sparse tables (a value in `Kadın` on one row, in `Toplam` on the next): the leftmost
    // first value of the rows labelled left of the most common one, where no such row has
    // a text label instead (a count of 2006 reads like a year, but is no label).
    let rows_left: Vec<(usize, usize, usize)> = firsts
        .iter()
        .enumerate()
        .filter_map(|(r, f)| f.filter(|(l, _)| *l < mode).map(|(l, v)| (r, l, v)))
        .collect();
    let firsts_left: std::collections::BTreeSet<usize> = rows_left.iter().map(|(_, _, v)| *v).collect();
    let values = firsts_left
        .into_iter()
        .find(|&v| {
            !rows_left
                .iter()
                .any(|(r, _, _)| matches!(grid.cell(*r, v), Cell::Text(_)) && is_label_cell(grid, *r, v))
        })
        .unwrap_or(mode);
    let first = (0..h)
        .find(|&r| matches!(firsts[r], Some((l, _)) if l < values) && (values..w).any(|c| is_data_number(grid, r, c)))
        .ok_or(NoTable)?;
    let single_label = |r: usize| {
        let filled: Vec<usize> = (0..w).filter(|&c| !grid.cell(r, c).is_empty()).collect();
        matches!(filled.as_slice(), [c] if *c < values && is_label_cell(grid, r, *c))
    };
    let mut start = first;
    while start > 0 && (grid.row_is_empty(start - 1) || single_label(start - 1)) {
        start -= 1;
    }
    // Leading blank rows are not part of the data.
    while start < first && grid.row_is_empty(start) {
        start += 1;
    }
    // The header block: rows with content right of the leftmost column, across blank rows.
    let header_content = |r: usize| (stub + 1..w).any(|c| !header_text(grid, r, c, stub).trim().is_empty());
    let mut top = start;
    let mut rows = 0;
    loop {
        let mut k = top;
        let mut gap = 0;
        while k > 0 && grid.row_is_empty(k - 1) && gap < MAX_HEADER_GAP {
            k -= 1;
            gap += 1;
        }
        if k == 0 || grid.row_is_empty(k - 1) {
            break;
        }
        let above = k - 1;
        if rows >= MAX_HEADER_ROWS || !header_content(above) || is_title_row(grid, above, stub) {
            break;
        }
        top = above;
        rows += 1;
    }
    // A second header stacked below (labels over the value columns, no row label, no
    // value) ends the table as a footnote does.
    let table_break = |r: usize| {
        (0..values).all(|c| grid.cell(r, c).is_empty())
            && (values..w).any(|c| is_label_cell(grid, r, c) && !footnote_only(&grid.cell(r, c).text()))
            && !(values..w).any(|c| is_data_number(grid, r, c))
    };
    let end = (first..h)
        .find(|&r| is_footnote_row(grid, r, stub) || table_break(r))
        .unwrap_or(h);
    let data = start..end;
    let mut stubs: Vec<usize> = (stub..values)
        .filter(|&c| data.clone().any(|r| !grid.label(r, c).trim().is_empty()))
        .collect();
    // Text-only columns right of the values: a stub repeated (in English) at the right.
    // Only at the right edge (no value right of them), and a label on most rows with values.
    let value_rows: Vec<usize> = data
        .clone()
        .filter(|&r| (values..w).any(|c| is_data_number(grid, r, c)))
        .collect();
    let last_value = (values..w)
        .filter(|&c| value_rows.iter().any(|&r| is_data_number(grid, r, c)))
        .max()
        .unwrap_or(values);
    stubs.extend((last_value + 1..w).filter(|&c| {
        let texts: Vec<String> = data
            .clone()
            .map(|r| grid.cell(r, c).text())
            .filter(|t| !t.trim().is_empty())
            .collect();
        let distinct: std::collections::BTreeSet<&String> = texts.iter().collect();
        distinct.len() >= 3
            && texts.len() * 2 >= value_rows.len()
            && data.clone().all(|r| {
                grid.cell(r, c).is_empty()
                    || matches!(grid.cell(r, c), Cell::Text(t) if is_label_cell(grid, r, c) && year_key(t).is_none())
            })
    }));
    let header = top..start;
    let labels = header_labels(grid, &header, stub, values, &stubs);
    let stub_labels = data_row_labels(grid, &data, values, &stubs);
    Ok(Table {
        stub,
        stubs,
        values,
        header,
        data,
        labels,
        stub_labels,
    })
}

/// The stub labels of every data row, labels written once over a block carried down (see
/// [`Table::row_labels`]): one pass, each column's last label kept until a row has a label
/// further left and none in it.
fn data_row_labels(grid: &Grid, data: &Range<usize>, values: usize, stubs: &[usize]) -> Vec<Vec<(usize, String)>> {
    let left: Vec<usize> = stubs.iter().copied().filter(|&c| c < values).collect();
    let mut last: Vec<Option<String>> = vec![None; left.len()];
    let mut out = Vec::with_capacity(data.len());
    for r in data.clone() {
        let own: Vec<String> = left.iter().map(|&c| grid.label(r, c)).collect();
        let filled: Vec<bool> = own.iter().map(|l| !l.trim().is_empty()).collect();
        let mut row: Vec<(usize, String)> = Vec::new();
        for (i, &c) in left.iter().enumerate() {
            if filled[i] {
                row.push((c, own[i].clone()));
            } else if filled[i + 1..].iter().any(|f| *f) {
                if let Some(l) = &last[i] {
                    row.push((c, l.clone()));
                }
            }
        }
        for &c in stubs.iter().filter(|&&c| c >= values) {
            let l = grid.label(r, c);
            if !l.trim().is_empty() {
                row.push((c, l));
            }
        }
        out.push(row);
        for i in 0..left.len() {
            if filled[i] {
                last[i] = Some(own[i].clone());
            } else if filled[..i].iter().any(|f| *f) {
                last[i] = None;
            }
        }
    }
    out
}

/// A header cell's text: its own, or that of a merged range over it that does not start
/// in the leftmost column (a merged title is not a header).
fn header_text(grid: &Grid, row: usize, col: usize, stub: usize) -> String {
    let own = grid.cell(row, col);
    if !own.is_empty() {
        return own.text();
    }
    match grid
        .merges
        .iter()
        .find(|m| (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col))
    {
        Some(m) if m.first_col > stub => grid.cell(m.first_row, m.first_col).text(),
        _ => String::new(),
    }
}

/// A title row: at most two cells, one in the leftmost column, each a long one-line text
/// naming a year (`Hanehalklarının il ayrımında … , 2011` with its English beside it).
fn is_title_row(grid: &Grid, row: usize, stub: usize) -> bool {
    let filled: Vec<usize> = (0..grid.width()).filter(|&c| !grid.cell(row, c).is_empty()).collect();
    let names_a_year = |t: &str| {
        t.split(|ch: char| !ch.is_ascii_digit())
            .any(|w| w.len() == 4 && year_key(w).is_some())
    };
    filled.len() <= 2
        && filled.first() == Some(&stub)
        && filled.iter().all(|&c| {
            let t = grid.cell(row, c).text();
            let t = t.trim();
            matches!(grid.cell(row, c), Cell::Text(_))
                && t.chars().count() >= 30
                && !t.contains('\n')
                && names_a_year(t)
        })
}

/// Whether a cell is covered by a merged range wider than one column.
fn in_wide_merge(grid: &Grid, row: usize, col: usize) -> bool {
    grid.merges.iter().any(|m| {
        m.last_col > m.first_col
            && (m.first_row..=m.last_row).contains(&row)
            && (m.first_col..=m.last_col).contains(&col)
    })
}

/// The header labels of every column in every header row, with header cells written once
/// over several columns spread over them (see [`detect`]).
fn header_labels(grid: &Grid, header: &Range<usize>, stub: usize, values: usize, stubs: &[usize]) -> Vec<Vec<String>> {
    let w = grid.width();
    let rows: Vec<usize> = header.clone().collect();
    let mut out: Vec<Vec<String>> = rows
        .iter()
        .map(|&r| (0..w).map(|c| grid.label(r, c)).collect())
        .collect();
    let value_cols: Vec<usize> = (values..w).filter(|c| !stubs.contains(c)).collect();
    // Columns where a header cell starts, per header row (the boundaries of its groups).
    let starts: Vec<Vec<usize>> = rows
        .iter()
        .map(|&r| {
            value_cols
                .iter()
                .copied()
                .filter(|&c| !grid.cell(r, c).is_empty())
                .collect()
        })
        .collect();
    let crosses_parent = |i: usize, a: usize, c: usize| {
        let (lo, hi) = (a.min(c), a.max(c));
        starts[..i].iter().any(|s| s.iter().any(|&x| x > lo && x <= hi))
    };
    for i in 0..rows.len() {
        let r = rows[i];
        // Cells that may span: own, not merged over columns (a merge is the span).
        let anchors: Vec<usize> = starts[i]
            .iter()
            .copied()
            .filter(|&a| !in_wide_merge(grid, r, a))
            .collect();
        if anchors.is_empty() {
            continue;
        }
        let Some(j) = (i + 1..rows.len()).find(|&j| !starts[j].is_empty()) else {
            continue;
        };
        let below: Vec<String> = (0..w).map(|c| header_text(grid, rows[j], c, stub)).collect();
        let key = |c: usize| fold(strip_footnote(below[c].trim()).0);
        // Groups repeated in the row below: each starts where a cell with its first label
        // comes again. The grouping: (cells spread, every group has its one cell), or
        // `None` when a group has two cells of the row or a cell sits before the groups.
        let grouping = |label_of: usize| -> Option<(Vec<(usize, usize)>, bool)> {
            let group_starts: Vec<usize> = starts[j].iter().copied().filter(|&c| key(c) == key(label_of)).collect();
            if group_starts.len() < 2 || starts[i].iter().any(|&a| a < group_starts[0]) {
                return None;
            }
            let mut spread = Vec::new();
            let mut every = true;
            for (g, &gs) in group_starts.iter().enumerate() {
                // The last group is as wide as the first (a total column after the
                // year groups is not the last year's).
                let ge = group_starts
                    .get(g + 1)
                    .copied()
                    .unwrap_or_else(|| w.min(gs + (group_starts[1] - group_starts[0])));
                let cols: Vec<usize> = value_cols.iter().copied().filter(|&c| c >= gs && c < ge).collect();
                let inside: Vec<usize> = starts[i].iter().copied().filter(|c| cols.contains(c)).collect();
                match inside.as_slice() {
                    [a] if anchors.contains(a) => spread.extend(cols.iter().filter(|&&c| c != *a).map(|&c| (*a, c))),
                    [_] => every = false,
                    [] => every = false,
                    _ => return None,
                }
            }
            Some((spread, every))
        };
        // The first label of the row below that groups every cell of this row one per
        // group (`Birim | Toplam Erkek Kadın | Toplam Erkek Kadın` groups by `Toplam`),
        // else the grouping by its first label.
        let mut keys: Vec<usize> = Vec::new();
        for &c in &starts[j] {
            if !keys.iter().any(|&k| key(k) == key(c)) {
                keys.push(c);
            }
        }
        let chosen = keys
            .iter()
            .filter_map(|&k| grouping(k))
            .find(|(_, every)| *every)
            .or_else(|| starts[j].first().and_then(|&f| grouping(f)));
        let grouped = chosen.is_some();
        let mut spread: Vec<(usize, usize)> = chosen.map(|(s, _)| s).unwrap_or_default();
        if !grouped {
            spread.clear();
            // A line of a label stacked down its column (`Toplam` / `hanehalkı` /
            // `sayısı`) is not a group header: only a cell with none right above it spans.
            let stacked = |a: usize| i > 0 && !grid.cell(rows[i - 1], a).is_empty();
            for &a in anchors.iter().filter(|&&a| !stacked(a)) {
                let next = starts[i].iter().copied().find(|&x| x > a).unwrap_or(w);
                for &c in value_cols.iter().filter(|&&c| c > a && c < next) {
                    if below[c].trim().is_empty() {
                        break;
                    }
                    spread.push((a, c));
                }
            }
        }
        for (a, c) in spread {
            if out[i][c].trim().is_empty() && !crosses_parent(i, a, c) {
                out[i][c] = grid.cell(r, a).text();
            }
        }
    }
    out
}

/// A cell that is a label: not empty and not a value (a year is a label).
fn is_label_cell(grid: &Grid, row: usize, col: usize) -> bool {
    !grid.cell(row, col).is_empty() && !is_data_number(grid, row, col)
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

/// A row with only its `stub` cell filled (with text that is not a year): a section label.
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

/// The labels of a column in the header rows (through merged ranges and header spans),
/// top to bottom, without empty or repeated ones. A label written in lines down its
/// column, one per row (`Toplam` / `hanehalkı` / `sayısı`, `Total number` / `of
/// households`), is one label: a line that starts in lower case continues the line above.
pub fn column_labels(grid: &Grid, table: &Table, col: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut own_above = false;
    for r in table.header.clone() {
        let l = table.header_label(r, col);
        let own = matches!(grid.cell(r, col), Cell::Text(t) if !t.trim().is_empty());
        let continues = own && own_above && l.trim().chars().next().is_some_and(char::is_lowercase);
        own_above = own;
        if continues {
            if let Some(last) = out.last_mut() {
                *last = format!("{} {}", last.trim_end(), l.trim());
                continue;
            }
        }
        if !l.trim().is_empty() && out.last().map(String::as_str) != Some(l) {
            out.push(l.to_string());
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

/// Whether a text is nothing but footnote markers: `(6)*`, `(r)`, `(1)(2)`, `*`.
pub fn footnote_only(text: &str) -> bool {
    let mut t = text.trim();
    if t.is_empty() {
        return false;
    }
    loop {
        if t.is_empty() || t.chars().all(|c| c == '*') {
            return true;
        }
        let inner = t
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .filter(|(i, _)| !i.is_empty() && i.len() <= 3 && i.chars().all(|c| c.is_ascii_alphanumeric()));
        match inner {
            Some((_, rest)) => t = rest.trim(),
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid from rows of texts (`""` empty; numbers as numbers).
    fn grid(rows: &[&[&str]]) -> Grid {
        let cells = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| match v.parse::<f64>() {
                        _ if v.is_empty() => Cell::Empty,
                        Ok(n) => Cell::Number(n),
                        Err(_) => Cell::Text((*v).to_string()),
                    })
                    .collect()
            })
            .collect();
        Grid::new("t", cells, Vec::new(), Default::default())
    }

    fn row(t: &Table, r: usize) -> Vec<&str> {
        t.labels[r - t.header.start].iter().map(String::as_str).collect()
    }

    #[test]
    fn a_header_cell_written_once_spans_its_group_wherever_it_sits() {
        for years in [
            ["", "2020", "", "", "2021", "", ""],
            ["", "", "2020", "", "", "2021", ""],
        ] {
            let g = grid(&[
                &years,
                &["İl", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın"],
                &["İzmir", "1", "2", "3", "4", "5", "6"],
            ]);
            let t = detect(&g).unwrap();
            assert_eq!(t.header, 0..2);
            assert_eq!(
                row(&t, 0),
                ["", "2020", "2020", "2020", "2021", "2021", "2021"],
                "{years:?}"
            );
        }
    }

    #[test]
    fn groups_are_found_by_the_label_that_repeats_once_per_header_cell() {
        let g = grid(&[
            &["", "", "", "2020", "", "", "2021", ""],
            &["İl", "Birim", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın"],
            &["İzmir", "%", "1", "2", "3", "4", "5", "6"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!(row(&t, 0), ["", "", "2020", "2020", "2020", "2021", "2021", "2021"]);
    }

    #[test]
    fn the_last_group_is_as_wide_as_the_first() {
        let g = grid(&[
            &["", "2020", "", "", "2021", "", "", ""],
            &["İl", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın", "Değişim"],
            &["İzmir", "1", "2", "3", "4", "5", "6", "7"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!(row(&t, 0), ["", "2020", "2020", "2020", "2021", "2021", "2021", ""]);
    }

    #[test]
    fn a_long_header_row_is_not_a_title_unless_it_names_a_year() {
        let g = grid(&[
            &[
                "Eğitim durumu ve cinsiyete göre yoksulluk",
                "Toplam nüfus içindeki payı yüzde olarak",
            ],
            &["İzmir", "12"],
        ]);
        assert_eq!(detect(&g).unwrap().header, 0..1);
        let g = grid(&[
            &[
                "Eğitim durumu ve cinsiyete göre yoksulluk, 2020",
                "Poverty by level of education, 2020",
            ],
            &["İl", "Oran"],
            &["İzmir", "12"],
        ]);
        assert_eq!(detect(&g).unwrap().header, 1..2);
    }

    #[test]
    fn a_group_header_spans_over_its_sub_headers_until_the_next_cell() {
        let g = grid(&[
            &["", "Toplam", "Mülkiyet", "", "", "Not"],
            &["İl", "", "Ev sahibi", "Kiracı", "Diğer", "Bilinmeyen"],
            &["İzmir", "10", "6", "3", "1", "0"],
        ]);
        let t = detect(&g).unwrap();
        // `Toplam` has nothing below to span over; `Mülkiyet` spans to the next cell.
        assert_eq!(row(&t, 0), ["", "Toplam", "Mülkiyet", "Mülkiyet", "Mülkiyet", "Not"]);
    }

    #[test]
    fn a_label_stacked_down_its_column_does_not_span() {
        let g = grid(&[
            &["", "Toplam", "", ""],
            &["", "hanehalkı", "", ""],
            &["İl", "Total", "Owner", "Tenant"],
            &["İzmir", "10", "6", "4"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!(row(&t, 1), ["", "hanehalkı", "", ""]);
        assert_eq!(column_labels(&g, &t, 2), ["Owner"]);
    }

    #[test]
    fn blank_rows_inside_and_below_the_header_block_keep_it() {
        let g = grid(&[
            &["Başlık, 2021"],
            &[],
            &["", "Cinsiyet"],
            &[],
            &["Yıl", "Toplam", "Erkek"],
            &[],
            &["2021", "12", "10.7"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!((t.header.clone(), t.data.start), (2..6, 6));
        assert_eq!(column_labels(&g, &t, 0), ["Yıl"]);
    }

    #[test]
    fn stub_columns_are_every_label_column_left_of_the_values_and_at_the_right_edge() {
        let g = grid(&[
            &["Kod", "İl", "Toplam", "Erkek", "Province"],
            &["34", "İstanbul", "52", "70", "Istanbul"],
            &["35", "İzmir", "51", "69", "Izmir"],
            &["45", "Manisa", "50", "68", "Manisa"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!((t.stubs.clone(), t.values), (vec![0, 1, 4], 2));
        assert_eq!(
            t.own_labels(&g, 2),
            [(1, "İzmir".to_string()), (4, "Izmir".to_string())]
        );
    }

    #[test]
    fn a_label_written_once_over_a_block_is_carried_down_it() {
        let g = grid(&[
            &["İl", "Eğitim", "Oran"],
            &["İzmir", "Toplam", "5"],
            &["", "Lise", "6"],
            &["Manisa", "Toplam", "7"],
            &["", "Lise", "8"],
        ]);
        let t = detect(&g).unwrap();
        let labels = |r| t.row_labels(&g, r).iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>();
        assert_eq!(labels(2), ["İzmir", "Lise"]);
        assert_eq!(labels(4), ["Manisa", "Lise"]);
        assert_eq!(t.own_labels(&g, 2), [(1, "Lise".to_string())]);
    }

    #[test]
    fn a_second_header_stacked_below_ends_the_table() {
        let g = grid(&[
            &["Yıl", "0 - 9"],
            &["2020", "198"],
            &["2021", "228"],
            &[],
            &["", "21 - 24"],
            &["2020", "400"],
        ]);
        assert_eq!(detect(&g).unwrap().data, 1..4);
    }

    #[test]
    fn a_sparse_table_has_its_values_from_the_leftmost_value_column() {
        let g = grid(&[
            &["Gösterge", "Dönem", "Kadın", "Erkek", "Toplam"],
            &["A", "2021", "312", "", ""],
            &["B", "2021", "", "", "250"],
            &["C", "2021", "", "", "20"],
        ]);
        let t = detect(&g).unwrap();
        assert_eq!((t.stubs.clone(), t.values), (vec![0, 1], 2));
    }
}
