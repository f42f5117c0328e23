//! TÜİK biruni / Oracle-Reports exports: HTML tables saved with an `.xls` name, in
//! windows-1254 (UTF-8 when undeclared and valid). A small tokenizer is enough for these machine-written tables (no scripts,
//! no malformed nesting): every `<tr>` becomes a grid row, in document order, so nested
//! tables are flattened; `colspan`/`rowspan` become merged ranges. A cell that only wraps
//! a nested table is dropped. We chose this over an HTML parser crate to keep the
//! dependency tree as it is; the grammar needed is tiny and tested on the real files.

use super::grid::{Cell, Grid, Merge};
use crate::normalise::NumberStyle;

/// Decodes the bytes (windows-1254 as declared by biruni exports; UTF-8 when undeclared and
/// valid)
/// and reads every table row into one grid.
///
/// # Examples
///
/// ```
/// let html = "<table><tr><td colspan=2>İzmir</td><td>16.404</td></tr></table>";
/// let g = yeep::sources::tuik::html::read_html(html.as_bytes());
/// assert_eq!(g.cell(0, 2).text(), "16.404");
/// assert_eq!(g.label(0, 1), "İzmir");
/// ```
pub fn read_html(bytes: &[u8]) -> Grid {
    let text = decode(bytes);
    let sheet = between(&text, "<x:Name>", "</x:Name>").unwrap_or_default();
    let raw_rows = rows(&text);
    // Lay the cells out on a grid, honouring colspan/rowspan.
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut merges = Vec::new();
    for (r, cells) in raw_rows.iter().enumerate() {
        let mut c = 0;
        for cell in cells {
            while taken.get(r).and_then(|row| row.get(c)).copied().unwrap_or(false) {
                c += 1;
            }
            let (rs, cs) = (cell.rowspan.max(1), cell.colspan.max(1));
            for rr in r..r + rs {
                for cc in c..c + cs {
                    set(&mut taken, rr, cc, true);
                }
            }
            put(&mut grid, r, c, cell_of(&cell.text));
            if rs > 1 || cs > 1 {
                merges.push(Merge {
                    first_row: r,
                    first_col: c,
                    last_row: r + rs - 1,
                    last_col: c + cs - 1,
                });
            }
            c += cs;
        }
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
    }
    Grid::new(sheet, grid, merges, NumberStyle::Turkish)
}

fn cell_of(text: &str) -> Cell {
    let t = text.trim();
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t.to_string())
    }
}

fn set(taken: &mut Vec<Vec<bool>>, r: usize, c: usize, v: bool) {
    if taken.len() <= r {
        taken.resize_with(r + 1, Vec::new);
    }
    if taken[r].len() <= c {
        taken[r].resize(c + 1, false);
    }
    taken[r][c] = v;
}

fn put(grid: &mut Vec<Vec<Cell>>, r: usize, c: usize, cell: Cell) {
    if grid.len() <= r {
        grid.resize_with(r + 1, Vec::new);
    }
    if grid[r].len() <= c {
        grid[r].resize(c + 1, Cell::Empty);
    }
    grid[r][c] = cell;
}

/// windows-1254 when the document declares it (or ISO-8859-9), else UTF-8 when the bytes
/// are valid UTF-8, else windows-1254.
fn decode(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared_turkish = head.contains("windows-1254") || head.contains("iso-8859-9");
    if !declared_turkish {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
    }
    let (s, _, _) = encoding_rs::WINDOWS_1254.decode(bytes);
    s.into_owned()
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(text[start..end].trim().to_string())
}

#[derive(Debug, Default)]
struct RawCell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

/// The table rows of the document, each a list of cells, in document order.
fn rows(text: &str) -> Vec<Vec<RawCell>> {
    let mut out: Vec<Vec<RawCell>> = Vec::new();
    let mut row: Option<Vec<RawCell>> = None;
    let mut cell: Option<RawCell> = None;
    let mut depth_in_cell_tables = 0usize;
    let mut rest = text;
    let flush_cell = |row: &mut Option<Vec<RawCell>>, cell: &mut Option<RawCell>| {
        if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
            r.push(c);
        }
    };
    let flush_row = |out: &mut Vec<Vec<RawCell>>, row: &mut Option<Vec<RawCell>>| {
        if let Some(r) = row.take() {
            if !r.is_empty() {
                out.push(r);
            }
        }
    };
    while let Some(lt) = rest.find('<') {
        if let Some(c) = cell.as_mut() {
            c.text.push_str(&entities(&rest[..lt]));
        }
        let after = &rest[lt..];
        if after.starts_with("<!--") {
            let end = after.find("-->").map_or(after.len(), |e| e + 3);
            rest = &after[end..];
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("table", false) => {
                // A cell that wraps a nested table: drop it (and its row if that is all).
                if cell.take().is_some() {
                    depth_in_cell_tables += 1;
                }
                flush_row(&mut out, &mut row);
            }
            ("table", true) => {
                flush_cell(&mut row, &mut cell);
                flush_row(&mut out, &mut row);
                depth_in_cell_tables = depth_in_cell_tables.saturating_sub(1);
            }
            ("tr", false) => {
                flush_cell(&mut row, &mut cell);
                flush_row(&mut out, &mut row);
                row = Some(Vec::new());
            }
            ("tr", true) => {
                flush_cell(&mut row, &mut cell);
                flush_row(&mut out, &mut row);
            }
            ("td" | "th", false) => {
                flush_cell(&mut row, &mut cell);
                if row.is_none() {
                    row = Some(Vec::new());
                }
                cell = Some(RawCell {
                    text: String::new(),
                    colspan: attr(tag, "colspan").unwrap_or(1),
                    rowspan: attr(tag, "rowspan").unwrap_or(1),
                });
            }
            ("td" | "th", true) => flush_cell(&mut row, &mut cell),
            ("br", _) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push('\n');
                }
            }
            _ => {}
        }
    }
    flush_cell(&mut row, &mut cell);
    flush_row(&mut out, &mut row);
    out
}

fn attr(tag: &str, name: &str) -> Option<usize> {
    let lower = tag.to_ascii_lowercase();
    let i = lower.find(name)? + name.len();
    let v = lower[i..].trim_start().strip_prefix('=')?.trim_start();
    let v = v.trim_start_matches(['"', '\'']);
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n: &usize| *n >= 1 && *n <= 1000)
}

fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let ch = match name {
            "nbsp" => Some('\u{a0}'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
