//! Applying a `[[tuik]]` mapping to a table: selecting the cells its year, sex, area and
//! category name, and checking every expectation on the way. A table that no longer fits
//! its mapping yields a [`Mismatch`] at the cell where the expectation broke, never a
//! number.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::grid::{Cell, Grid};
pub use super::layout::footnote_only;
use super::layout::{column_labels, contains_words, detect, label_is_exactly, label_matches, nearest, year_key, Table};
use super::mapping::{SexLayout, TuikMapping};
use crate::diagnostics::Note;
use crate::model::CellRef;
use crate::normalise::{parse_number, parse_sex, strip_footnote, DistrictIndex, NotANumber, NumberCell, Sex};

/// Where and why a table does not fit its mapping.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{cell}: {note}")]
pub struct Mismatch {
    /// The cell where the expectation broke.
    pub cell: CellRef,
    pub note: Note,
}

fn mismatch(row: usize, col: usize, note: Note) -> Mismatch {
    Mismatch {
        cell: CellRef::at(row, col),
        note,
    }
}

/// A selected cell's content: a number or a missing-value marker, or what is neither.
pub type Value = Result<NumberCell, NotAValue>;

/// Why a selected cell holds no number and no missing-value marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAValue {
    /// Text that is not a number.
    Text,
    /// An Excel error cell, in Excel's spelling (`#DIV/0!`).
    ExcelError(String),
}

/// Excel's error values, as Excel spells them.
const EXCEL_ERRORS: [&str; 10] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
];

/// One cell a mapping selects.
#[derive(Debug, Clone, PartialEq)]
pub struct Selected {
    pub indicator: String,
    pub period: String,
    pub sex: Sex,
    pub district: String,
    pub row: usize,
    pub col: usize,
    pub raw: String,
    pub value: Value,
    /// The labels that selected it (row label, column header labels): for unit checks.
    pub labels: Vec<(usize, usize, String)>,
}

impl Selected {
    /// The cell's place.
    pub fn cell(&self) -> CellRef {
        CellRef::at(self.row, self.col)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum YearMode {
    Fixed,
    Across,
    Down,
    Column(usize),
}

/// Applies a mapping to a grid.
///
/// # Errors
///
/// [`Mismatch`] when the table does not fit the mapping: no data, a named column or row
/// missing or found twice, a year not present, a second row for the area, the area not
/// above the table, two values for the same indicator, year, sex and district.
///
/// # Examples
///
/// ```
/// use yeep::sources::tuik::{grid::{Cell, Grid}, extract::extract};
/// use yeep::pipeline::{TuikMapping, AreaSpec, SexLayout};
/// let t = |s: &str| Cell::Text(s.into());
/// let grid = Grid::new("t1", vec![
///     vec![t("İl"), t("Toplam"), t("Erkek"), t("Kadın")],
///     vec![t("İzmir"), Cell::Number(50.0), Cell::Number(69.0), Cell::Number(34.7)],
/// ], vec![], Default::default());
/// let m = TuikMapping { files: "x.xlsx".into(), indicator: Some("ctx-a".into()), year: Some("2020".into()),
///     sex: SexLayout::Columns, area: Some(AreaSpec { row: Some("İzmir".into()), ..Default::default() }), ..Default::default() };
/// let sel = extract(&grid, &m, &Default::default()).unwrap();
/// assert_eq!(sel.len(), 3);
/// assert_eq!(sel[2].cell().to_string(), "D2");
/// ```
pub fn extract(grid: &Grid, m: &TuikMapping, districts: &DistrictIndex) -> Result<Vec<Selected>, Mismatch> {
    let table = detect(grid).map_err(|_| mismatch(0, 0, Note::NoDataRows))?;
    let width = grid.width();
    let labels: Vec<Vec<String>> = (0..width).map(|c| column_labels(grid, &table, c)).collect();
    let head = table.header.start;
    let find_col = |name: &str| -> Result<usize, Mismatch> { find_column(&labels, &table, name) };

    let year_col = m.year_column.as_deref().map(find_col).transpose()?;
    let sex_col = m.sex_column.as_deref().map(find_col).transpose()?;
    let value_col = m.value_column.as_deref().map(find_col).transpose()?;
    let area_col = match m.area.as_ref().and_then(|a| a.column.as_deref()) {
        Some(c) => Some(find_col(c)?),
        None => None,
    };
    let mut filters = Vec::new();
    for (name, want) in &m.filters {
        filters.push((find_col(name)?, want.as_str()));
    }
    let keys: BTreeSet<usize> = year_col
        .iter()
        .chain(&sex_col)
        .chain(&area_col)
        .copied()
        .chain(filters.iter().map(|f| f.0))
        .collect();

    // The area named above the table.
    if let Some(above) = m.area.as_ref().and_then(|a| a.above.as_deref()) {
        let found = (0..table.data.start).any(|r| (0..width).any(|c| contains_words(&grid.cell(r, c).text(), above)));
        if !found {
            return Err(mismatch(
                0,
                table.stub,
                Note::AreaNotAbove {
                    area: above.to_string(),
                },
            ));
        }
    }

    // Candidate value columns and the indicator each feeds.
    let mut columns: Vec<(usize, String)> = Vec::new();
    let mut candidates: Vec<usize> = match value_col {
        Some(v) => vec![v],
        None => (table.values..width)
            .filter(|c| !keys.contains(c) && !table.is_stub(*c) && !labels[*c].is_empty())
            .collect(),
    };
    // Columns under a group label, and the area's columns (districts across).
    let area_header = m.area.as_ref().and_then(|a| a.header.as_deref());
    for (want, loose) in [(m.under.as_deref(), false), (area_header, true)] {
        let Some(want) = want else { continue };
        let under = |c: &usize, test: &dyn Fn(&str, &str) -> bool| labels[*c].iter().any(|l| test(l, want));
        let mut kept: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|c| under(c, &label_matches))
            .collect();
        if kept.is_empty() && loose {
            // `Bayındır` in `İzmir(Bayındır)-1178`.
            kept = candidates
                .iter()
                .copied()
                .filter(|c| under(c, &contains_words))
                .collect();
        }
        if kept.is_empty() {
            return Err(mismatch(
                head,
                table.stub,
                Note::ColumnNotFound {
                    label: want.to_string(),
                    found: nearest(
                        want,
                        candidates.iter().flat_map(|c| labels[*c].iter().map(String::as_str)),
                    ),
                },
            ));
        }
        candidates = kept;
    }
    if !m.columns.is_empty() {
        let mut owner: HashMap<usize, &str> = HashMap::new();
        for (label, id) in &m.columns {
            let hits: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|c| labels[*c].iter().any(|l| label_matches(l, label)))
                .collect();
            if hits.is_empty() {
                return Err(mismatch(
                    head,
                    table.stub,
                    Note::ColumnNotFound {
                        label: label.clone(),
                        found: nearest(
                            label,
                            candidates.iter().flat_map(|c| labels[*c].iter().map(String::as_str)),
                        ),
                    },
                ));
            }
            for c in hits {
                if let Some(prev) = owner.insert(c, label) {
                    return Err(mismatch(
                        head,
                        c,
                        Note::ColumnMatchesBoth {
                            first: prev.to_string(),
                            second: label.clone(),
                        },
                    ));
                }
                columns.push((c, id.clone()));
            }
        }
        columns.sort();
    } else {
        let id = m.indicator.clone().unwrap_or_default();
        columns = candidates.iter().map(|c| (*c, id.clone())).collect();
    }

    // Years.
    let wanted: Vec<String> = match &m.year {
        Some(y) => vec![year_key(y).unwrap_or_else(|| y.clone())],
        None => m
            .years
            .iter()
            .map(|y| year_key(y).unwrap_or_else(|| y.clone()))
            .collect(),
    };
    let col_year: HashMap<usize, String> = columns
        .iter()
        .filter_map(|(c, _)| labels[*c].iter().rev().find_map(|l| year_key(l)).map(|y| (*c, y)))
        .collect();
    let mode = if m.year.is_some() {
        YearMode::Fixed
    } else if let Some(c) = year_col {
        YearMode::Column(c)
    } else if !col_year.is_empty() {
        YearMode::Across
    } else {
        YearMode::Down
    };
    if mode == YearMode::Across {
        for y in &wanted {
            if !col_year.values().any(|v| v == y) {
                let (r, c) = first_year_cell(grid, &table).unwrap_or((head, table.stub + 1));
                let found: BTreeSet<&String> = col_year.values().collect();
                return Err(mismatch(
                    r,
                    c,
                    Note::YearNotInHeader {
                        year: y.clone(),
                        found: found.into_iter().cloned().collect(),
                    },
                ));
            }
        }
        columns.retain(|(c, _)| col_year.get(c).is_some_and(|y| wanted.contains(y)));
    }

    // Sex of each column.
    let col_sex: HashMap<usize, Sex> = columns
        .iter()
        .filter_map(|(c, _)| {
            labels[*c]
                .iter()
                .rev()
                .find_map(|l| parse_sex(strip_footnote(l).0))
                .map(|s| (*c, s))
        })
        .collect();
    if m.sex == SexLayout::Columns {
        if col_sex.is_empty() {
            return Err(mismatch(head, table.stub + 1, Note::NoSexColumns));
        }
        columns.retain(|(c, _)| col_sex.contains_key(c));
    }

    let district = district_of(m, districts);
    let mut out: Vec<Selected> = Vec::new();
    let mut years_seen: BTreeSet<String> = BTreeSet::new();
    let mut area_seen: HashMap<(usize, String, String), (usize, usize)> = HashMap::new();
    let mut area_rows = 0usize;
    let mut rows_seen: HashMap<(String, usize, String), (usize, usize)> = HashMap::new();
    let mut rows_found: BTreeSet<&str> = BTreeSet::new();
    // Sections in force (column, row, label): a section row ends those right of its column
    // and those of its kind in it (a year section ends a year section, any other section
    // ends the others: `2021` / `Erkek-Male` / `Kadın-Female` in one column).
    let mut sections: Vec<(usize, usize, String)> = Vec::new();
    // A label names the rows that have it as their own label (the innermost one: `İzmir`
    // right of its plate code, `Bornova` under İzmir) when there are such rows, else the
    // rows that have it in any stub column (the plate code `35`, a province over its block).
    let own_level = |want: &str| {
        table.data.clone().any(|r| {
            table.section(grid, r).is_none() && table.own_labels(grid, r).iter().any(|(_, l)| label_matches(l, want))
        })
    };
    let area_row = m.area.as_ref().and_then(|a| a.row.as_deref());
    // With `rows`, the area is the block or section the row is in.
    let area_own = area_row.is_some_and(|a| m.rows.is_empty() && own_level(a));
    let rows_own: HashMap<&str, bool> = m.rows.keys().map(|k| (k.as_str(), own_level(k))).collect();

    for r in table.data.clone() {
        if grid.row_is_empty(r) {
            continue;
        }
        if let Some((c, label)) = table.section(grid, r) {
            let is_year = year_key(&label).is_some();
            sections.retain(|s| s.0 < c || (s.0 == c && year_key(&s.2).is_some() != is_year));
            if matches!(mode, YearMode::Down) {
                if let Some(y) = year_key(&label) {
                    years_seen.insert(y);
                }
            }
            sections.push((c, r, label));
            continue;
        }
        let section_row = sections.last().map_or(0, |s| s.1);
        let all_labels = table.row_labels(grid, r);
        let own_labels = table.own_labels(grid, r);
        let (stub_col, stub) = own_labels
            .first()
            .cloned()
            .unwrap_or_else(|| (table.stub, grid.label(r, table.stub)));
        // Innermost first: the row's own labels, the others right to left, the sections.
        let context: Vec<&str> = own_labels
            .iter()
            .chain(all_labels.iter().rev())
            .map(|(_, l)| l.as_str())
            .chain(sections.iter().rev().map(|s| s.2.as_str()))
            .collect();
        let find = |want: &str, own: bool, with_sections: bool| -> Option<usize> {
            let labels: &[(usize, String)] = if own { &own_labels } else { all_labels };
            labels
                .iter()
                .find(|(_, l)| label_matches(l, want))
                .map(|(c, _)| *c)
                .or_else(|| {
                    (with_sections && !own)
                        .then(|| sections.iter().rev().find(|s| label_matches(&s.2, want)).map(|s| s.0))
                        .flatten()
                })
        };
        let row_year = match mode {
            YearMode::Fixed => wanted[0].clone(),
            YearMode::Across => String::new(),
            YearMode::Down => match context.iter().find_map(|l| year_key(l)) {
                Some(y) => y,
                None => continue,
            },
            YearMode::Column(c) => match year_key(&grid.cell(r, c).text()) {
                Some(y) => y,
                None => continue,
            },
        };
        if matches!(mode, YearMode::Down | YearMode::Column(_)) {
            years_seen.insert(row_year.clone());
            if !wanted.contains(&row_year) {
                continue;
            }
        }
        if !filters
            .iter()
            .all(|(c, want)| label_matches(&grid.cell(r, *c).text(), want))
        {
            continue;
        }
        let row_sex = match m.sex {
            SexLayout::Rows => Some(
                context
                    .iter()
                    .find_map(|l| parse_sex(strip_footnote(l).0))
                    .unwrap_or(Sex::Total),
            ),
            SexLayout::Column => match sex_col.and_then(|c| parse_sex(&grid.cell(r, c).text())) {
                Some(s) => Some(s),
                None => continue,
            },
            SexLayout::None => Some(Sex::Total),
            SexLayout::Columns => None,
        };
        let row_indicator = if m.rows.is_empty() {
            None
        } else {
            let hits: Vec<(&String, &String, usize)> = m
                .rows
                .iter()
                .filter_map(|(l, id)| find(l, rows_own[l.as_str()], false).map(|c| (l, id, c)))
                .collect();
            match hits.as_slice() {
                [] => continue,
                [(label, id, c)] => Some(((*label).clone(), (*id).clone(), *c)),
                _ => return Err(mismatch(r, stub_col, Note::RowMatchesSeveral)),
            }
        };
        if let Some(area) = &m.area {
            if let Some(want) = &area.row {
                let Some(c) = find(want, area_own, true) else {
                    continue;
                };
                area_rows += 1;
                let which = row_indicator.as_ref().map(|(l, _, _)| l.clone()).unwrap_or_default();
                if let Some(prev) = area_seen.insert((section_row, row_year.clone(), which), (r, c)) {
                    return Err(mismatch(
                        r,
                        row_indicator.as_ref().map_or(c, |x| x.2),
                        Note::SecondRow {
                            label: want.clone(),
                            first: CellRef::at(prev.0, prev.1),
                        },
                    ));
                }
            }
            if let (Some(c), Some(want)) = (area_col, &area.value) {
                if !label_matches(&grid.cell(r, c).text(), want) {
                    continue;
                }
                area_rows += 1;
            }
        }
        let row_indicator = match row_indicator {
            None => None,
            Some((label, id, c)) => {
                rows_found.insert(m.rows.get_key_value(&label).map_or("", |(k, _)| k.as_str()));
                if area_row.is_none() {
                    if let Some(prev) = rows_seen.insert((label.clone(), section_row, row_year.clone()), (r, c)) {
                        return Err(mismatch(
                            r,
                            c,
                            Note::SecondRow {
                                label,
                                first: CellRef::at(prev.0, prev.1),
                            },
                        ));
                    }
                }
                Some(id)
            }
        };
        for (c, col_indicator) in &columns {
            let cell = grid.cell(r, *c);
            if cell.is_empty() {
                continue;
            }
            let sex = match row_sex {
                Some(s) => s,
                None => col_sex[c],
            };
            let period = match mode {
                YearMode::Across => col_year[c].clone(),
                _ => row_year.clone(),
            };
            let mut sel_labels = vec![(r, stub_col, stub.clone())];
            for h in table.header.clone() {
                let l = table.header_label(h, *c);
                if !l.trim().is_empty() {
                    sel_labels.push((h, *c, l.to_string()));
                }
            }
            out.push(Selected {
                indicator: row_indicator.clone().unwrap_or_else(|| col_indicator.clone()),
                period,
                sex,
                district: district.clone(),
                row: r,
                col: *c,
                raw: cell.text(),
                value: value_of(cell, grid),
                labels: sel_labels,
            });
        }
    }

    let first_data = table.data.start;
    // The row labels the table has (for "not found": the nearest ones).
    let stub_labels: Vec<String> = table
        .data
        .clone()
        .flat_map(|r| table.stubs.iter().map(move |&c| grid.cell(r, c).text()))
        .collect();
    if matches!(mode, YearMode::Down | YearMode::Column(_)) {
        for y in &wanted {
            if !years_seen.contains(y) {
                let c = year_col.unwrap_or_else(|| {
                    table
                        .stubs
                        .iter()
                        .copied()
                        .find(|&c| year_key(&grid.cell(first_data, c).text()).is_some())
                        .unwrap_or(table.stub)
                });
                return Err(mismatch(
                    first_data,
                    c,
                    Note::YearNotInTable {
                        year: y.clone(),
                        found: years_seen.iter().cloned().collect(),
                    },
                ));
            }
        }
    }
    for label in m.rows.keys() {
        if !rows_found.contains(label.as_str()) {
            return Err(mismatch(
                first_data,
                table.stub,
                Note::RowNotFound {
                    label: label.clone(),
                    found: nearest(label, stub_labels.iter().map(String::as_str)),
                },
            ));
        }
    }
    if let Some(area) = &m.area {
        if area_rows == 0 {
            if let Some(want) = &area.row {
                return Err(mismatch(
                    first_data,
                    table.stub,
                    Note::RowNotFound {
                        label: want.clone(),
                        found: nearest(want, stub_labels.iter().map(String::as_str)),
                    },
                ));
            }
            if let (Some(c), Some(want)) = (area_col, &area.value) {
                return Err(mismatch(first_data, c, Note::NoRowWith { value: want.clone() }));
            }
        }
    }
    let mut seen: BTreeMap<(String, String, Sex, String), (usize, usize)> = BTreeMap::new();
    for s in &out {
        let key = (s.indicator.clone(), s.period.clone(), s.sex, s.district.clone());
        if let Some((r, c)) = seen.insert(key, (s.row, s.col)) {
            return Err(mismatch(
                s.row,
                s.col,
                Note::SecondValue {
                    indicator: s.indicator.clone(),
                    period: s.period.clone(),
                    sex: s.sex,
                    first: CellRef::at(r, c),
                },
            ));
        }
    }
    Ok(out)
}

fn find_column(labels: &[Vec<String>], table: &Table, name: &str) -> Result<usize, Mismatch> {
    let exact: Vec<usize> = (0..labels.len())
        .filter(|c| labels[*c].iter().any(|l| label_is_exactly(l, name)))
        .collect();
    let hits = if exact.is_empty() {
        (0..labels.len())
            .filter(|c| labels[*c].iter().any(|l| label_matches(l, name)))
            .collect()
    } else {
        exact
    };
    match hits.as_slice() {
        [c] => Ok(*c),
        [] => Err(mismatch(
            table.header.start,
            table.stub,
            Note::ColumnNotFound {
                label: name.to_string(),
                found: nearest(name, labels.iter().flatten().map(String::as_str)),
            },
        )),
        [first, second, ..] => Err(mismatch(
            table.header.start,
            *second,
            Note::ColumnTwice {
                label: name.to_string(),
                also: CellRef::column_letters(u32::try_from(*first).unwrap_or(u32::MAX)),
            },
        )),
    }
}

fn first_year_cell(grid: &Grid, table: &Table) -> Option<(usize, usize)> {
    table.header.clone().find_map(|r| {
        (table.stub + 1..grid.width())
            .find(|c| year_key(&grid.cell(r, *c).text()).is_some())
            .map(|c| (r, c))
    })
}

/// A cell's content. Footnote markers are stripped (`34,7(1)`, `-(1)`, `2021(r)`); a cell
/// holding only markers (`(6)*`, `(r)`) is not available, never a value or an error.
pub fn value_of(cell: &Cell, grid: &Grid) -> Value {
    match cell {
        Cell::Number(v) => Ok(NumberCell::Value(*v)),
        Cell::Empty => Ok(NumberCell::NotReported),
        Cell::Text(t) if EXCEL_ERRORS.contains(&t.trim()) => Err(NotAValue::ExcelError(t.trim().to_string())),
        Cell::Text(t) => {
            if footnote_only(t) {
                return Ok(NumberCell::NotAvailable);
            }
            parse_number(strip_footnote(t).0, grid.style).map_err(|_: NotANumber| NotAValue::Text)
        }
    }
}

/// The district of a mapping's observations: `district` if given, else from the area's
/// label: a district name or alias → that district; the city-wide area's name or an alias
/// of it (in the İzmir plan `İzmir`, `TR31`, `TR310`), also inside a compound label
/// (`TR31 (İzmir)`) → the city-wide name; anything else as written.
fn district_of(m: &TuikMapping, districts: &DistrictIndex) -> String {
    if let Some(d) = &m.district {
        return districts.find(d).map_or_else(|| d.clone(), str::to_string);
    }
    let label = m
        .area
        .as_ref()
        .and_then(|a| {
            a.row
                .as_deref()
                .or(a.value.as_deref())
                .or(a.header.as_deref())
                .or(a.above.as_deref())
        })
        .unwrap_or("");
    if let Some(d) = districts.find(label) {
        return d.to_string();
    }
    if districts.city_wide_spellings().any(|a| label_matches(label, a)) {
        return districts.city_wide().to_string();
    }
    label.to_string()
}
