//! A plain grid of cells: what every TÜİK-style file is turned into before its layout is
//! read. Positions are absolute (row 0 = spreadsheet row 1, column 0 = column A), merged
//! ranges are kept so header labels can be read through them.

use crate::normalise::NumberStyle;

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

impl Cell {
    /// Whether the cell holds nothing (or only white space).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Number(_) => false,
            Cell::Text(s) => s.trim().is_empty(),
        }
    }

    /// The cell as text: numbers without a trailing `.0` (`2015.0` → `2015`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Cell::Number(v) => v.to_string(),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// A merged range, inclusive, absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

impl Merge {
    fn contains(&self, row: usize, col: usize) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

/// One sheet (or HTML table, or CSV file) as a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The sheet name (`A_6`, `t908`); the worksheet name of an HTML export; empty for CSV.
    pub sheet: String,
    /// Rows of cells; trailing empty rows and columns are trimmed.
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// How text numbers in this source are written.
    pub style: NumberStyle,
}

impl Grid {
    /// Builds a grid, trimming trailing empty rows and columns (declared sheet dimensions
    /// are never trusted).
    pub fn new(sheet: impl Into<String>, mut rows: Vec<Vec<Cell>>, merges: Vec<Merge>, style: NumberStyle) -> Grid {
        for row in &mut rows {
            while row.last().is_some_and(Cell::is_empty) {
                row.pop();
            }
        }
        while rows.last().is_some_and(|r| r.is_empty()) {
            rows.pop();
        }
        Grid {
            sheet: sheet.into(),
            rows,
            merges,
            style,
        }
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// Number of columns (the widest row).
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The cell at (`row`, `col`), [`Cell::Empty`] outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// The text shown at (`row`, `col`): the cell's own text, or, inside a merged range,
    /// the text of the range's top-left cell. For header labels.
    pub fn label(&self, row: usize, col: usize) -> String {
        let own = self.cell(row, col);
        if !own.is_empty() {
            return own.text();
        }
        match self.merges.iter().find(|m| m.contains(row, col)) {
            Some(m) => self.cell(m.first_row, m.first_col).text(),
            None => String::new(),
        }
    }

    /// Whether the row has no content at all.
    pub fn row_is_empty(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|r| r.iter().all(Cell::is_empty))
    }
}
