//! The `[[tuik]]` mappings of the pipeline file: which cells of which TÜİK table are which
//! context indicator. See `docs/tuik.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// How the sexes are laid out in a TÜİK table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SexLayout {
    /// No sex dimension: every value is a total.
    #[default]
    None,
    /// `Toplam / Erkek / Kadın` column headers (under each year group, if years run across).
    Columns,
    /// Sex in the row stub: section rows (`Erkek-Male`) heading stacked blocks, or stub
    /// labels that are themselves `Toplam / Erkek / Kadın`. Rows before any section: total.
    Rows,
    /// A named column (`sex_column`) holds `Toplam / Erkek / Kadın` or `_T / M / F` (long tables).
    Column,
}

/// Where the geography of a TÜİK table is. Exactly one of `row`, `column` (with `value`),
/// `header` or `above` is given.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// A row label in the stub column (`İzmir`, `TR31`, `TR310`): the area is a row.
    pub row: Option<String>,
    /// The header of a column holding the area (long tables, `IKAMET_YERI`)…
    pub column: Option<String>,
    /// …and the value to keep (`TR310`, `İzmir`).
    pub value: Option<String>,
    /// A column header naming the area (districts across, `İzmir(Bayındır)-1178`): the
    /// area is the value columns under that label.
    pub header: Option<String>,
    /// A label that must appear above the data (title, or a header cell): the whole table
    /// is about that area (`İzmir` in a biruni export).
    pub above: Option<String>,
}

/// `[[tuik]]`: one mapping from TÜİK-style tables to context indicators. yeep finds the
/// header rows, the year, sex and area positions by their labels; the mapping only names
/// them. See `docs/tuik.md`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuikMapping {
    /// Glob relative to `<input>/tuik/`, e.g. `isgucu_il_*.xlsx` or `**/*.csv`.
    pub files: String,
    /// Sheet name; default the first sheet. A missing sheet rejects the file.
    #[serde(default)]
    pub sheet: Option<String>,
    /// One context indicator for every selected value…
    #[serde(default)]
    pub indicator: Option<String>,
    /// …or row label → indicator (category rows such as education levels)…
    #[serde(default)]
    pub rows: BTreeMap<String, String>,
    /// …or column header label → indicator (measure columns or merged group headers).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Where the geography is; see [`AreaSpec`].
    #[serde(default)]
    pub area: Option<AreaSpec>,
    /// The observations' district; default: derived from the area label (the city-wide
    /// area's name or an alias, e.g. `İzmir` → `İzmir Geneli`; a district name → that
    /// district).
    #[serde(default)]
    pub district: Option<String>,
    /// The data years to take (`2020`, `2020-2021`); the table must hold each of them.
    #[serde(default)]
    pub years: Vec<String>,
    /// The data year of a table that has no year dimension (year only in the title).
    #[serde(default)]
    pub year: Option<String>,
    /// The header of a column holding the year (years down in a named column, long tables).
    /// Default: years in the column headers (across), else in the row stub (down).
    #[serde(default)]
    pub year_column: Option<String>,
    /// How sex is laid out.
    #[serde(default)]
    pub sex: SexLayout,
    /// With `sex = "column"`: the header of the column holding the sex.
    #[serde(default)]
    pub sex_column: Option<String>,
    /// The one column holding the values (long tables: `Gözlem` / `OBS_VALUE`).
    #[serde(default)]
    pub value_column: Option<String>,
    /// Long tables: column header → value a row must have (`ADNKS_GOSTERGE = "NUFUS"`).
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    /// A header label the selected value columns must be under (a group over repeated
    /// measure columns: `under = "0 - 9"` with `columns = { "Ölü sayısı" = … }`).
    #[serde(default)]
    pub under: Option<String>,
}

impl TuikMapping {
    /// Checks the mapping's own consistency (not the table, not the catalogue).
    ///
    /// # Errors
    ///
    /// A message naming the first problem.
    pub fn check(&self) -> Result<(), String> {
        let selectors = usize::from(self.indicator.is_some())
            + usize::from(!self.rows.is_empty())
            + usize::from(!self.columns.is_empty());
        if selectors != 1 {
            return Err("give exactly one of indicator, rows or columns".into());
        }
        if self.years.is_empty() == self.year.is_none() {
            return Err("give either years (the table has a year dimension) or year (it has none)".into());
        }
        if self.year.is_some() && self.year_column.is_some() {
            return Err("year and year_column exclude each other".into());
        }
        if (self.sex == SexLayout::Column) != self.sex_column.is_some() {
            return Err("sex_column goes with sex = \"column\" (and only with it)".into());
        }
        match &self.area {
            None if self.district.is_none() => {
                return Err("name the area (area = { row = \"…\" } …) or the district".into())
            }
            None => {}
            Some(a) => {
                let shapes = usize::from(a.row.is_some())
                    + usize::from(a.column.is_some())
                    + usize::from(a.above.is_some())
                    + usize::from(a.header.is_some());
                if shapes != 1 || a.column.is_some() != a.value.is_some() {
                    return Err("area takes exactly one of row, column + value, header, or above".into());
                }
            }
        }
        if self.files.trim().is_empty() || self.files.contains("..") {
            return Err("files must be a glob inside <input>/tuik/".into());
        }
        Ok(())
    }
}
