//! `yeep tuik inspect FILE`: how yeep reads a TÜİK table — the sheet, header rows, stub
//! columns, years, sex layout, area labels, missing-value markers — and a `[[tuik]]`
//! mapping for it that yeep has itself tried on the table (the values it selects are shown
//! with their cells). Writing a mapping becomes: run `inspect`, check the values against
//! the table, put the context indicator's id in, paste.
//!
//! The mapping is found by trying, in order of what a statistician would write first, the
//! layouts the table's labels suggest (years across or down or only in the title; sex as
//! columns, rows, a code column or none; the area as a stub row, a code column or named
//! above the table; one indicator, the first measure column group or the first category
//! row) and keeping the first that [`extract`] reads without a mismatch. When none fits,
//! the most likely one is shown with the reason it does not.

use std::collections::{BTreeMap, BTreeSet};

use super::extract::{extract, value_of, Mismatch, NotAValue, Selected};
use super::grid::Grid;
use super::layout::{column_labels, contains_words, detect, label_is_exactly, year_key, Table};
use super::mapping::{AreaSpec, SexLayout, TuikMapping};
use super::{load_grid_checked, LoadError};
use crate::catalogue::Catalogue;
use crate::model::lang::Lang;
use crate::model::CellRef;
use crate::normalise::{fold_words, parse_sex, NumberCell, Sex};
use crate::sources::guard::Limits;
use crate::sources::sniff::{sniff, FileKind};

/// The placeholder the snippet carries where the context indicator's id goes.
pub const INDICATOR_PLACEHOLDER: &str = "ctx-BURAYA";

/// What `inspect` found in a table.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The file's name (for `files = …`).
    pub file: String,
    /// What the file is (`xls`, `xlsx`, `html`, `csv` …).
    pub kind: String,
    /// Every sheet of a workbook (one for HTML and CSV).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// Text rows above the header (the table's title and notes).
    pub title: Vec<String>,
    /// The header rows, 1-based and inclusive (`None`: the table has no header rows).
    pub header_rows: Option<(usize, usize)>,
    /// The data rows, 1-based and inclusive.
    pub data_rows: (usize, usize),
    /// The stub columns (labels left of the values), 0-based.
    pub stub_columns: Vec<usize>,
    /// Each column right of the stub with its header labels (top to bottom).
    pub columns: Vec<(usize, Vec<String>)>,
    /// Years in the column headers (years across).
    pub years_across: Vec<String>,
    /// Years in the stub (years down).
    pub years_down: Vec<String>,
    /// Years written in the title only.
    pub years_in_title: Vec<String>,
    /// Where the sexes are, in words, and the layout that says so.
    pub sex: Vec<(SexLayout, String)>,
    /// Labels naming the city-wide area or a district: (cell, label, the plan's name).
    pub areas: Vec<(CellRef, String, String)>,
    /// Areas named above the table (title, header): (label, the plan's name).
    pub areas_above: Vec<(String, String)>,
    /// Missing-value markers and footnote cells among the data, with a count and a first
    /// cell each.
    pub markers: BTreeMap<String, (usize, CellRef)>,
    /// Footnote rows below the data.
    pub footnotes: Vec<String>,
    /// The mapping proposed, and what it reads: the cells, or why it does not fit.
    pub proposal: Option<(TuikMapping, Result<Vec<Selected>, Mismatch>)>,
    /// Context indicators of the catalogue whose names are nearest the title.
    pub suggested_indicators: Vec<(String, String)>,
}

/// Why a file could not be inspected.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error("no table found on sheet {0:?} (no row with a label and a number)")]
    NoTable(String),
}

/// Inspects a table's bytes (`file`: its name), on `sheet` or the first sheet, behind the
/// same guard as `yeep run` (`limits`), with the districts and context indicators of
/// `cat`.
///
/// # Errors
///
/// [`InspectError`] when the file cannot be read or holds no table.
pub fn inspect(
    bytes: Vec<u8>,
    file: &str,
    sheet: Option<&str>,
    limits: &Limits,
    cat: &Catalogue,
) -> Result<Inspection, InspectError> {
    let kind = sniff(&bytes);
    let sheets = sheet_names(&bytes, kind, limits);
    let grid = load_grid_checked(bytes, sheet, limits)?;
    let table = detect(&grid).map_err(|_| InspectError::NoTable(grid.sheet.clone()))?;
    let mut ins = describe(&grid, &table, cat);
    ins.file = file.to_string();
    ins.kind = kind.as_str().to_string();
    ins.sheets = if sheets.is_empty() {
        vec![grid.sheet.clone()]
    } else {
        sheets
    };
    ins.sheet = grid.sheet.clone();
    let first_sheet = ins.sheets.first().is_some_and(|s| *s == grid.sheet);
    let (mapping, read) = propose(&grid, &ins, file, (!first_sheet).then(|| grid.sheet.clone()), cat);
    ins.proposal = Some((mapping, read));
    ins.suggested_indicators = suggest_indicators(&ins.title, cat);
    Ok(ins)
}

/// The sheet names of a workbook (after the guard's pre-scan); empty for other files.
fn sheet_names(bytes: &[u8], kind: FileKind, limits: &Limits) -> Vec<String> {
    let packed = match kind {
        FileKind::Ooxml | FileKind::Ods => match crate::sources::guard::check_zip(bytes, limits) {
            Ok(p) => p,
            Err(_) => return Vec::new(),
        },
        FileKind::Biff if crate::sources::guard::check_cfb(bytes, limits).is_ok() => bytes.to_vec(),
        _ => return Vec::new(),
    };
    let open = std::panic::AssertUnwindSafe(|| super::workbook::Workbook::open(packed).map(|w| w.sheet_names()));
    std::panic::catch_unwind(open)
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// The parts of a label: itself, its lines, each side of a bilingual `-`, `/` or run of
/// spaces.
fn parts(label: &str) -> Vec<String> {
    let mut out = vec![label.trim().to_string()];
    for piece in label
        .split(['\n', '/'])
        .flat_map(|l| l.split(" - "))
        .flat_map(|l| l.split("  "))
    {
        let p = piece.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    if let Some((a, b)) = label.split_once('-') {
        for p in [a.trim(), b.trim()] {
            if !p.is_empty() && !out.iter().any(|o| o == p) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// How a mapping names a label: its first line or, for a bilingual label in one line
/// split by a run of spaces, its first part (either part matches; the Turkish comes first).
fn key_label(label: &str) -> String {
    let first = label.trim().lines().next().unwrap_or_default();
    let first = first.split("  ").next().unwrap_or(first).trim();
    crate::normalise::strip_footnote(first).0.trim().to_string()
}

/// The sex a label names (`Kadın-Female`, `Erkek`, `_T`), if it names one.
fn sex_of(label: &str) -> Option<Sex> {
    match label.trim() {
        "_T" => return Some(Sex::Total),
        "F" => return Some(Sex::Female),
        "M" => return Some(Sex::Male),
        _ => {}
    }
    parts(label).iter().find_map(|p| parse_sex(p))
}

/// The plan's name of the area a label names (the city-wide area, a district), if any.
fn area_of(label: &str, cat: &Catalogue) -> Option<String> {
    let districts = cat.districts_index();
    parts(label).iter().find_map(|p| {
        districts.find(p).map(str::to_string).or_else(|| {
            // `TR31 (İzmir)`: the name inside a trailing parenthesis.
            let inner = p.rsplit_once('(')?.1.trim_end_matches(')');
            districts.find(inner).map(str::to_string)
        })
    })
}

fn describe(grid: &Grid, table: &Table, cat: &Catalogue) -> Inspection {
    let first_value = table.values;
    let stub_columns: Vec<usize> = table.stubs.clone();
    let title: Vec<String> = (0..table.header.start)
        .map(|r| {
            (0..grid.width())
                .map(|c| grid.cell(r, c).text())
                .filter(|t| !t.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    let columns: Vec<(usize, Vec<String>)> = (first_value..grid.width())
        .filter(|c| !table.is_stub(*c))
        .map(|c| (c, column_labels(grid, table, c)))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut years_across = BTreeSet::new();
    let mut sex_cols = 0;
    for (_, labels) in &columns {
        for l in labels {
            if let Some(y) = year_key(l) {
                years_across.insert(y);
            }
        }
        if labels.iter().any(|l| sex_of(l).is_some()) {
            sex_cols += 1;
        }
    }
    let mut years_down = BTreeSet::new();
    let mut areas = Vec::new();
    let mut sex_sections = 0;
    let mut sex_stub = 0;
    for r in table.data.clone() {
        let section = table.section(grid, r).is_some();
        for (c, label) in table.row_labels(grid, r).iter().cloned() {
            if label.trim().is_empty() {
                continue;
            }
            if let Some(y) = year_key(label.trim()) {
                years_down.insert(y);
            }
            if sex_of(&label).is_some() {
                if section {
                    sex_sections += 1;
                } else {
                    sex_stub += 1;
                }
            }
            if let Some(name) = area_of(&label, cat) {
                if !areas.iter().any(|(_, l, _): &(CellRef, String, String)| *l == label) {
                    areas.push((CellRef::at(r, c), label.clone(), name));
                }
            }
        }
    }
    let mut years_in_title = BTreeSet::new();
    for t in &title {
        for w in t.split(|ch: char| !ch.is_ascii_digit()) {
            if w.len() == 4 {
                if let Some(y) = year_key(w) {
                    years_in_title.insert(y);
                }
            }
        }
    }
    let mut above_text: Vec<String> = title.clone();
    for (_, labels) in &columns {
        above_text.extend(labels.iter().cloned());
    }
    let mut areas_above: Vec<(String, String)> = Vec::new();
    let mut names: Vec<(String, String)> = vec![];
    for d in &cat.districts {
        names.push((d.name.clone(), d.name.clone()));
    }
    let city = cat.city_wide.name.clone();
    for s in std::iter::once(&cat.city_wide.name).chain(&cat.city_wide.aliases) {
        names.push((s.clone(), city.clone()));
    }
    for (label, name) in names {
        if above_text.iter().any(|t| contains_words(t, &label)) && !areas_above.iter().any(|(_, n)| *n == name) {
            areas_above.push((label, name));
        }
    }
    let mut sex = Vec::new();
    if sex_cols > 0 {
        sex.push((SexLayout::Columns, format!("{sex_cols} columns headed by a sex")));
    }
    if sex_sections > 0 {
        sex.push((SexLayout::Rows, format!("{sex_sections} section rows naming a sex")));
    } else if sex_stub > 1 {
        sex.push((SexLayout::Rows, format!("{sex_stub} stub labels naming a sex")));
    }
    let mut markers: BTreeMap<String, (usize, CellRef)> = BTreeMap::new();
    for r in table.data.clone() {
        for (c, _) in &columns {
            let cell = grid.cell(r, *c);
            let key = match value_of(cell, grid) {
                Ok(NumberCell::Value(_)) => continue,
                Ok(NumberCell::NotReported | NumberCell::NotAvailable | NumberCell::Confidential) => {
                    cell.text().trim().to_string()
                }
                Err(NotAValue::ExcelError(e)) => e,
                Err(NotAValue::Text) if super::extract::footnote_only(&cell.text()) => cell.text().trim().to_string(),
                Err(NotAValue::Text) => continue,
            };
            if key.is_empty() {
                continue;
            }
            let e = markers.entry(key).or_insert((0, CellRef::at(r, *c)));
            e.0 += 1;
        }
    }
    let footnotes = (table.data.end..grid.height())
        .map(|r| {
            (0..grid.width())
                .map(|c| grid.cell(r, c).text())
                .filter(|t| !t.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    Inspection {
        file: String::new(),
        kind: String::new(),
        sheets: Vec::new(),
        sheet: grid.sheet.clone(),
        title,
        header_rows: (!table.header.is_empty()).then(|| (table.header.start + 1, table.header.end)),
        data_rows: (table.data.start + 1, table.data.end),
        stub_columns,
        columns,
        years_across: years_across.into_iter().collect(),
        years_down: years_down.into_iter().collect(),
        years_in_title: years_in_title.into_iter().collect(),
        sex,
        areas,
        areas_above,
        markers,
        footnotes,
        proposal: None,
        suggested_indicators: Vec::new(),
    }
}

/// The distinct texts of a column's data rows, in order of first appearance.
fn distinct_values(grid: &Grid, table: &Table, col: usize) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for r in table.data.clone() {
        let t = grid.cell(r, col).text().trim().to_string();
        if !t.is_empty() && !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen
}

/// What a candidate mapping selects by: `indicator`, `rows` or `columns`.
type Selector = (Option<String>, BTreeMap<String, String>, BTreeMap<String, String>);

/// Candidate mappings, most likely first.
fn candidates(grid: &Grid, ins: &Inspection, file: &str, sheet: Option<String>, cat: &Catalogue) -> Vec<TuikMapping> {
    let base = TuikMapping {
        files: file.to_string(),
        sheet,
        indicator: Some(INDICATOR_PLACEHOLDER.into()),
        ..TuikMapping::default()
    };
    let Ok(table) = detect(grid) else {
        return vec![base];
    };
    let mut out = Vec::new();
    // Long tables (SDMX-CSV, MEDAS exports): a value column and code columns.
    let header = |name: &str| {
        ins.columns
            .iter()
            .chain(
                ins.stub_columns
                    .iter()
                    .map(|c| (*c, column_labels(grid, &table, *c)))
                    .collect::<Vec<_>>()
                    .iter(),
            )
            .find(|(_, l)| l.iter().any(|x| label_is_exactly(x, name)))
            .map(|(c, _)| *c)
    };
    let all_cols: Vec<usize> = (0..grid.width()).collect();
    let label_at = |c: usize| column_labels(grid, &table, c).last().cloned().unwrap_or_default();
    if let Some(value_col) = ["OBS_VALUE", "Gözlem", "Değer", "Value"].iter().find_map(|n| header(n)) {
        let year_col = ["TIME_PERIOD", "Yıl", "Year", "Dönem"]
            .iter()
            .find_map(|n| header(n))
            .or_else(|| {
                all_cols.iter().copied().find(|&c| {
                    let v = distinct_values(grid, &table, c);
                    !v.is_empty() && v.iter().all(|x| year_key(x).is_some())
                })
            });
        let sex_col = all_cols.iter().copied().find(|&c| {
            let v = distinct_values(grid, &table, c);
            v.len() >= 2 && v.iter().all(|x| sex_of(x).is_some())
        });
        let area = all_cols.iter().copied().find_map(|c| {
            let v = distinct_values(grid, &table, c);
            let hit = v
                .iter()
                .find(|x| area_of(x, cat).is_some_and(|n| n == cat.districts_index().city_wide()))
                .or_else(|| v.iter().find(|x| area_of(x, cat).is_some()))?;
            Some((c, hit.clone()))
        });
        let mut m = base.clone();
        m.value_column = Some(label_at(value_col));
        if let Some(y) = year_col {
            m.year_column = Some(label_at(y));
            m.years = distinct_values(grid, &table, y)
                .iter()
                .filter_map(|x| year_key(x))
                .max()
                .into_iter()
                .collect();
        }
        if m.years.is_empty() {
            m.year = ins.years_in_title.last().cloned().or(Some("2020".into()));
        }
        if let Some(s) = sex_col {
            m.sex = SexLayout::Column;
            m.sex_column = Some(label_at(s));
        }
        match &area {
            Some((c, v)) => {
                m.area = Some(AreaSpec {
                    column: Some(label_at(*c)),
                    value: Some(v.clone()),
                    ..AreaSpec::default()
                })
            }
            None => m.district = Some("Türkiye".into()),
        }
        // Code columns that vary: filter on their first value.
        let used: Vec<Option<usize>> = vec![Some(value_col), year_col, sex_col, area.as_ref().map(|a| a.0)];
        for c in all_cols.iter().copied().filter(|c| !used.contains(&Some(*c))) {
            let label = label_at(c);
            let code = !label.is_empty()
                && label
                    .chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch.is_ascii_digit());
            let v = distinct_values(grid, &table, c);
            if code && v.len() > 1 {
                m.filters.insert(label, v[0].clone());
            }
        }
        out.push(m);
    }
    // Wide tables.
    let years: Vec<(Vec<String>, Option<String>)> = {
        let mut y = Vec::new();
        if let Some(last) = ins.years_across.last() {
            y.push((vec![last.clone()], None));
        }
        if let Some(last) = ins.years_down.last() {
            y.push((vec![last.clone()], None));
        }
        y.push((
            Vec::new(),
            Some(ins.years_in_title.last().cloned().unwrap_or_else(|| "2020".into())),
        ));
        y
    };
    let mut sexes: Vec<SexLayout> = ins.sex.iter().map(|(s, _)| *s).collect();
    let rest = match sexes.is_empty() {
        true => [SexLayout::None, SexLayout::Columns, SexLayout::Rows],
        false => [SexLayout::Columns, SexLayout::Rows, SexLayout::None],
    };
    for s in rest {
        if !sexes.contains(&s) {
            sexes.push(s);
        }
    }
    let mut areas: Vec<(Option<AreaSpec>, Option<String>)> = Vec::new();
    let city = cat.districts_index().city_wide();
    let mut stub_areas = ins.areas.clone();
    stub_areas.sort_by_key(|(_, _, n)| *n != city);
    // The first stub label of the city-wide area, and of a district (an election table whose
    // city row heads a block that no single row is).
    let first_district = stub_areas.iter().find(|(_, _, n)| *n != city);
    for (_, label, _) in stub_areas.first().into_iter().chain(first_district) {
        let spec = Some(AreaSpec {
            row: Some(label.trim().to_string()),
            ..AreaSpec::default()
        });
        if !areas.iter().any(|(a, _)| *a == spec) {
            areas.push((spec, None));
        }
    }
    // Above the table: the most specific (a district before the city-wide area).
    let mut above = ins.areas_above.clone();
    above.sort_by_key(|(_, n)| *n == city);
    // Districts across: a district named in a value column's header.
    if let Some((label, _)) = above.iter().find(|(label, n)| {
        *n != city
            && ins
                .columns
                .iter()
                .any(|(_, ls)| ls.iter().any(|l| contains_words(l, label)))
    }) {
        areas.push((
            Some(AreaSpec {
                header: Some(label.clone()),
                ..AreaSpec::default()
            }),
            None,
        ));
    }
    if let Some((label, _)) = above.first() {
        areas.push((
            Some(AreaSpec {
                above: Some(label.clone()),
                ..AreaSpec::default()
            }),
            None,
        ));
    }
    areas.push((None, Some("Türkiye".into())));
    // The first block of a table whose sections repeat its rows (`Toplam - Total`, then
    // age groups, each over the same frequency rows).
    let first_section = table.data.clone().find_map(|r| {
        let (_, label) = table.section(grid, r)?;
        (year_key(&label).is_none() && area_of(&label, cat).is_none()).then(|| key_label(&label))
    });
    if let Some(label) = first_section {
        areas.push((
            Some(AreaSpec {
                row: Some(label),
                ..AreaSpec::default()
            }),
            Some("Türkiye".into()),
        ));
    }
    // Selectors: one indicator; the first measure group of the header; the first
    // category row of the stub.
    let mut selectors: Vec<Selector> = vec![(Some(INDICATOR_PLACEHOLDER.into()), BTreeMap::new(), BTreeMap::new())];
    // Measure groups over the value columns (`İşgücüne katılma oranı` over Toplam /
    // Erkek / Kadın), at each header level from the deepest up, leaving out labels over
    // every value column: every group its own indicator, then the first alone.
    let qualifying: Vec<Vec<String>> = ins
        .columns
        .iter()
        .map(|(_, labels)| {
            labels
                .iter()
                .filter(|l| year_key(l).is_none() && sex_of(l).is_none() && l.chars().any(char::is_alphabetic))
                .map(|l| key_label(l))
                .collect()
        })
        .collect();
    let depth = qualifying.iter().map(Vec::len).max().unwrap_or(0);
    let everywhere = |g: &String| qualifying.iter().all(|q| q.contains(g));
    let mut group_selectors = Vec::new();
    for k in 0..depth {
        let mut groups: Vec<String> = Vec::new();
        for q in &qualifying {
            if let Some(g) = q.len().checked_sub(k + 1).map(|i| &q[i]) {
                if !groups.contains(g) && !everywhere(g) {
                    groups.push(g.clone());
                }
            }
        }
        if groups.len() >= 2 {
            let all = groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.clone(), format!("{INDICATOR_PLACEHOLDER}-{}", i + 1)))
                .collect();
            group_selectors.insert(0, (None, BTreeMap::new(), all));
        }
        if let Some(g) = groups.first() {
            group_selectors.push((
                None,
                BTreeMap::new(),
                BTreeMap::from([(g.clone(), INDICATOR_PLACEHOLDER.to_string())]),
            ));
        }
    }
    // All groups before one indicator (a table of two measures read as one would be
    // refused anyway); single groups after it.
    let (all_groups, single): (Vec<_>, Vec<_>) = group_selectors.into_iter().partition(|(_, _, c)| c.len() > 1);
    selectors.splice(0..0, all_groups);
    selectors.extend(single);
    let category = table.data.clone().find_map(|r| {
        if table.section(grid, r).is_some() {
            return None;
        }
        // The innermost label that is a category (not a year: `Karpuz | 2014`).
        table.row_labels(grid, r).iter().rev().find_map(|(_, label)| {
            let t = label.trim();
            (!t.is_empty() && year_key(t).is_none() && sex_of(t).is_none() && area_of(t, cat).is_none())
                .then(|| key_label(t))
        })
    });
    if let Some(c) = category {
        selectors.push((
            None,
            BTreeMap::from([(c, INDICATOR_PLACEHOLDER.to_string())]),
            BTreeMap::new(),
        ));
    }
    // A header label over two or more value columns but not all of them, not a year or a
    // sex (the first, top to bottom, left to right).
    let value_labels: Vec<&Vec<String>> = ins.columns.iter().map(|(_, l)| l).collect();
    let under = value_labels.iter().flat_map(|ls| ls.iter()).find_map(|l| {
        let n = value_labels.iter().filter(|ls| ls.contains(l)).count();
        (n >= 2 && n < value_labels.len() && year_key(l).is_none() && sex_of(l).is_none()).then(|| key_label(l))
    });
    for (area, district) in &areas {
        for (indicator, rows, cols) in &selectors {
            for sex in &sexes {
                for (ys, y) in &years {
                    let mut m = base.clone();
                    m.area = area.clone();
                    m.district = district.clone();
                    m.indicator = indicator.clone();
                    m.rows = rows.clone();
                    m.columns = cols.clone();
                    m.sex = *sex;
                    m.years = ys.clone();
                    m.year = y.clone();
                    if m.check().is_ok() {
                        // The same under the first header group over some of the value
                        // columns (`0 - 9` over its `Ölü / Yaralı sayısı`).
                        let within = under.as_ref().map(|u| TuikMapping {
                            under: Some(u.clone()),
                            ..m.clone()
                        });
                        out.push(m);
                        out.extend(within);
                    }
                }
            }
        }
    }
    out
}

/// The first candidate mapping that reads the table, else the first candidate with why it
/// does not fit.
fn propose(
    grid: &Grid,
    ins: &Inspection,
    file: &str,
    sheet: Option<String>,
    cat: &Catalogue,
) -> (TuikMapping, Result<Vec<Selected>, Mismatch>) {
    let all = candidates(grid, ins, file, sheet, cat);
    let districts = cat.districts_index();
    let mut first: Option<(TuikMapping, Result<Vec<Selected>, Mismatch>)> = None;
    for m in all {
        let read = extract(grid, &m, districts);
        match &read {
            Ok(cells) if cells.iter().any(|s| matches!(s.value, Ok(NumberCell::Value(_)))) => return (m, read),
            _ if first.is_none() => first = Some((m, read)),
            _ => {}
        }
    }
    first.unwrap_or_else(|| {
        let m = TuikMapping::default();
        let read = extract(grid, &m, districts);
        (m, read)
    })
}

/// Words of titles that say nothing of the indicator (folded).
const STOP_WORDS: &[&str] = &[
    "toplam",
    "total",
    "gore",
    "illere",
    "iller",
    "province",
    "provinces",
    "years",
    "yillara",
    "yillar",
    "sayisi",
    "izmir",
    "ilce",
    "ilceler",
    "ilcelere",
    "district",
    "districts",
    "turkiye",
    "turkey",
    "cinsiyete",
    "and",
    "with",
];

/// Context indicators whose names share the most words with the title (at most three).
fn suggest_indicators(title: &[String], cat: &Catalogue) -> Vec<(String, String)> {
    let words: BTreeSet<String> = title
        .iter()
        .flat_map(|t| fold_words(t).split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter(|w| w.chars().count() > 3 && !STOP_WORDS.contains(&w.as_str()))
        .collect();
    let mut scored: Vec<(usize, &str, &str)> = cat
        .context
        .iter()
        .map(|c| {
            let n = fold_words(&c.text).split(' ').filter(|w| words.contains(*w)).count();
            (n, c.id.as_str(), c.text.as_str())
        })
        .filter(|(n, _, _)| *n > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id, text)| (id.to_string(), text.to_string()))
        .collect()
}

/// A TOML string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An inline TOML table of strings.
fn inline(m: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{} = {}", q(k), q(v))).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// A mapping as the `[[tuik]]` table to paste into the pipeline file.
pub fn snippet(m: &TuikMapping) -> String {
    let mut s = String::from("[[tuik]]\n");
    s.push_str(&format!("files = {}\n", q(&m.files)));
    if let Some(sheet) = &m.sheet {
        s.push_str(&format!("sheet = {}\n", q(sheet)));
    }
    if let Some(i) = &m.indicator {
        s.push_str(&format!("indicator = {}\n", q(i)));
    }
    if !m.rows.is_empty() {
        s.push_str(&format!("rows = {}\n", inline(&m.rows)));
    }
    if !m.columns.is_empty() {
        s.push_str(&format!("columns = {}\n", inline(&m.columns)));
    }
    if let Some(a) = &m.area {
        let mut parts = BTreeMap::new();
        for (k, v) in [
            ("row", &a.row),
            ("column", &a.column),
            ("value", &a.value),
            ("header", &a.header),
            ("above", &a.above),
        ] {
            if let Some(v) = v {
                parts.insert(k.to_string(), v.clone());
            }
        }
        // Keep `column` before `value` as people write it.
        let ordered: Vec<String> = ["row", "column", "value", "header", "above"]
            .iter()
            .filter_map(|k| parts.get(*k).map(|v| format!("{k} = {}", q(v))))
            .collect();
        s.push_str(&format!("area = {{ {} }}\n", ordered.join(", ")));
    }
    if let Some(d) = &m.district {
        s.push_str(&format!("district = {}\n", q(d)));
    }
    if let Some(y) = &m.year_column {
        s.push_str(&format!("year_column = {}\n", q(y)));
    }
    if !m.years.is_empty() {
        let ys: Vec<String> = m.years.iter().map(|y| q(y)).collect();
        s.push_str(&format!("years = [{}]\n", ys.join(", ")));
    }
    if let Some(y) = &m.year {
        s.push_str(&format!("year = {}\n", q(y)));
    }
    let sex = match m.sex {
        SexLayout::None => None,
        SexLayout::Columns => Some("columns"),
        SexLayout::Rows => Some("rows"),
        SexLayout::Column => Some("column"),
    };
    if let Some(sex) = sex {
        s.push_str(&format!("sex = {}\n", q(sex)));
    }
    if let Some(c) = &m.sex_column {
        s.push_str(&format!("sex_column = {}\n", q(c)));
    }
    if let Some(c) = &m.value_column {
        s.push_str(&format!("value_column = {}\n", q(c)));
    }
    if !m.filters.is_empty() {
        s.push_str(&format!("filters = {}\n", inline(&m.filters)));
    }
    if let Some(u) = &m.under {
        s.push_str(&format!("under = {}\n", q(u)));
    }
    s
}

fn col_letter(c: usize) -> String {
    CellRef::at(0, c)
        .to_string()
        .trim_end_matches(|ch: char| ch.is_ascii_digit())
        .to_string()
}

fn sex_word(s: Sex, lang: Lang) -> &'static str {
    match (s, lang) {
        (Sex::Total, Lang::Tr) => "Toplam",
        (Sex::Female, Lang::Tr) => "Kadın",
        (Sex::Male, Lang::Tr) => "Erkek",
        (Sex::Total, Lang::En) => "Total",
        (Sex::Female, Lang::En) => "Women",
        (Sex::Male, Lang::En) => "Men",
    }
}

/// The inspection as text for a terminal, in `lang`.
pub fn render(ins: &Inspection, lang: Lang) -> String {
    let t = |tr: &'static str, en: &'static str| if lang == Lang::Tr { tr } else { en };
    let none = t("yok", "none");
    let mut s = String::new();
    let list = |v: &[String]| if v.is_empty() { none.to_string() } else { v.join(", ") };
    s.push_str(&format!("{} {} ({})\n", t("Dosya:", "File:"), ins.file, ins.kind));
    s.push_str(&format!(
        "{} {}  ({} {})\n",
        t("Sayfa:", "Sheet:"),
        ins.sheet,
        t("sayfalar:", "sheets:"),
        ins.sheets.join(", ")
    ));
    for line in ins.title.iter().take(4) {
        s.push_str(&format!("{} {line}\n", t("Başlık:", "Title:")));
    }
    match ins.header_rows {
        Some((a, b)) if a == b => s.push_str(&format!("{} {a}\n", t("Başlık satırı:", "Header row:"))),
        Some((a, b)) => s.push_str(&format!("{} {a}–{b}\n", t("Başlık satırları:", "Header rows:"))),
        None => s.push_str(&format!("{} {none}\n", t("Başlık satırları:", "Header rows:"))),
    }
    s.push_str(&format!(
        "{} {}–{}\n",
        t("Veri satırları:", "Data rows:"),
        ins.data_rows.0,
        ins.data_rows.1
    ));
    let stub: Vec<String> = ins.stub_columns.iter().map(|c| col_letter(*c)).collect();
    s.push_str(&format!(
        "{} {}\n",
        t("Satır etiketleri (stub) sütunları:", "Stub (row label) columns:"),
        stub.join(", ")
    ));
    s.push_str(&format!("{}\n", t("Sütunlar:", "Columns:")));
    for (c, labels) in ins.columns.iter().take(40) {
        s.push_str(&format!(
            "  {:>3}  {}\n",
            col_letter(*c),
            labels.join(" / ").replace('\n', " ")
        ));
    }
    if ins.columns.len() > 40 {
        s.push_str(&format!(
            "  … {} {}\n",
            ins.columns.len() - 40,
            t("sütun daha", "more columns")
        ));
    }
    s.push_str(&format!(
        "{} {}\n",
        t("Yıllar (sütunlarda):", "Years (across):"),
        list(&ins.years_across)
    ));
    s.push_str(&format!(
        "{} {}\n",
        t("Yıllar (satırlarda):", "Years (down):"),
        list(&ins.years_down)
    ));
    s.push_str(&format!(
        "{} {}\n",
        t("Yıllar (başlıkta):", "Years (in the title):"),
        list(&ins.years_in_title)
    ));
    let sex: Vec<String> = ins
        .sex
        .iter()
        .map(|(l, why)| format!("sex = {} ({why})", snippet_sex(*l)))
        .collect();
    s.push_str(&format!("{} {}\n", t("Cinsiyet düzeni:", "Sex layout:"), list(&sex)));
    let areas: Vec<String> = ins
        .areas
        .iter()
        .take(12)
        .map(|(cell, label, name)| format!("{cell} {:?} → {name}", label.trim()))
        .collect();
    s.push_str(&format!("{} {}\n", t("Alan etiketleri:", "Area labels:"), list(&areas)));
    if ins.areas.len() > 12 {
        s.push_str(&format!(
            "  … {} {}\n",
            ins.areas.len() - 12,
            t("alan daha", "more areas")
        ));
    }
    let above: Vec<String> = ins.areas_above.iter().map(|(l, n)| format!("{l:?} → {n}")).collect();
    s.push_str(&format!(
        "{} {}\n",
        t("Tablonun üstünde adı geçen alanlar:", "Areas named above the table:"),
        list(&above)
    ));
    let markers: Vec<String> = ins
        .markers
        .iter()
        .map(|(m, (n, cell))| format!("{m:?} ×{n} ({} {cell})", t("ilki", "first")))
        .collect();
    s.push_str(&format!(
        "{} {}\n",
        t("Eksik değer işaretleri:", "Missing-value markers:"),
        list(&markers)
    ));
    for f in ins.footnotes.iter().take(6) {
        s.push_str(&format!("{} {f}\n", t("Dipnot:", "Footnote:")));
    }
    if let Some((m, read)) = &ins.proposal {
        s.push('\n');
        match read {
            Ok(cells) if cells.is_empty() => s.push_str(&format!(
                "{}\n",
                t(
                    "Hiçbir düzen tablodan değer okumadı; en olası eşleme (hiçbir hücre seçmiyor):",
                    "No layout reads a value from the table; the most likely mapping (it selects no cell):"
                )
            )),
            Ok(cells) => {
                s.push_str(&format!(
                    "{} {} {}\n",
                    t(
                        "Önerilen eşleme; yeep bu tabloda denedi ve",
                        "Proposed mapping; yeep tried it on this table and it reads"
                    ),
                    cells.len(),
                    t("değer okudu:", "values:")
                ));
                for c in cells.iter().take(12) {
                    let v = match &c.value {
                        Ok(NumberCell::Value(v)) => v.to_string(),
                        _ => c.raw.clone(),
                    };
                    s.push_str(&format!(
                        "  {} {} {} {} = {v}\n",
                        c.cell(),
                        c.period,
                        c.district,
                        sex_word(c.sex, lang)
                    ));
                }
                if cells.len() > 12 {
                    s.push_str(&format!(
                        "  … {} {}\n",
                        cells.len() - 12,
                        t("değer daha", "more values")
                    ));
                }
            }
            Err(e) => s.push_str(&format!(
                "{} {}: {}\n",
                t(
                    "Hiçbir düzen tabloyu okumadı; en olası eşleme ve nedeni:",
                    "No layout reads the table; the most likely mapping and why it does not fit:"
                ),
                e.cell,
                e.note.render(lang)
            )),
        }
        s.push_str(&format!(
            "\n# {}\n",
            t(
                "Boru hattı dosyasına yapıştırın; her ctx-BURAYA… yerine bağlam göstergesinin kimliğini yazın (yeep catalogue).",
                "Paste into the pipeline file; put a context indicator's id in place of each ctx-BURAYA… (yeep catalogue)."
            )
        ));
        for (id, text) in &ins.suggested_indicators {
            s.push_str(&format!(
                "# {} {id}: {text}\n",
                t("başlığa en yakın:", "nearest the title:")
            ));
        }
        s.push_str(&snippet(m));
    }
    s
}

fn snippet_sex(l: SexLayout) -> &'static str {
    match l {
        SexLayout::None => "\"none\"",
        SexLayout::Columns => "\"columns\"",
        SexLayout::Rows => "\"rows\"",
        SexLayout::Column => "\"column\"",
    }
}
