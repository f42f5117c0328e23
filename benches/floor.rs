//! The raw I/O floor of a `yeep run` (docs/benchmarks.md): a minimal, single-threaded
//! program that does only the unavoidable input and output work — opens every input
//! with calamine and reads the sheets yeep reads (`Bilgi` and `Veri` of a submission,
//! the first sheet of a TÜİK workbook; text tables read as bytes), then writes as many
//! cells with rust_xlsxwriter, and as many Parquet and CSV rows and columns with polars,
//! as the yeep run wrote. No normalisation, no validation, no metrics.
//!
//! A `[[bench]]` with `harness = false`, so `cargo test` never builds or runs it.
//!
//! ```text
//! cargo bench --bench floor -- shape OUTPUT_DIR > shape.tsv   # what a yeep run wrote
//! cargo bench --bench floor -- run INPUT_DIR shape.tsv SCRATCH_DIR
//! ```

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto_from_rs, Reader};
use polars::prelude::*;
use polars_io::prelude::{CsvWriter, ParquetReader, ParquetWriter, SerReader, SerWriter};
use rust_xlsxwriter::Workbook;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["shape", out] => shape(Path::new(out)),
        ["run", input, shape, scratch] => run(Path::new(input), Path::new(shape), Path::new(scratch)),
        _ => {
            eprintln!("usage: floor shape OUTPUT_DIR | floor run INPUT_DIR SHAPE_FILE SCRATCH_DIR");
            std::process::exit(2);
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Prints what a yeep run wrote: `xlsx PATH SHEET ROWS COLS CELLS`, `parquet PATH ROWS
/// COLS`, `csv PATH ROWS COLS`, one line each.
fn shape(out: &Path) {
    for f in files(out) {
        let rel = f.strip_prefix(out).unwrap().display().to_string();
        match f.extension().and_then(|e| e.to_str()) {
            Some("xlsx") => {
                let bytes = std::fs::read(&f).unwrap();
                let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
                for name in wb.sheet_names() {
                    let r = wb.worksheet_range(&name).unwrap();
                    let (rows, cols) = r.get_size();
                    let cells = r.used_cells().count();
                    println!("xlsx\t{rel}\t{name}\t{rows}\t{cols}\t{cells}");
                }
            }
            Some("parquet") => {
                let df = ParquetReader::new(std::fs::File::open(&f).unwrap()).finish().unwrap();
                println!("parquet\t{rel}\t{}\t{}", df.height(), df.width());
            }
            Some("csv") => {
                let mut r = csv::Reader::from_path(&f).unwrap();
                let cols = r.headers().unwrap().len();
                let rows = r.records().count();
                println!("csv\t{rel}\t{rows}\t{cols}");
            }
            _ => {}
        }
    }
}

/// A sheet of an output workbook: name, rows, columns, used cells.
type SheetShape = (String, u32, u16, usize);

fn run(input: &Path, shape: &Path, scratch: &Path) {
    // Input: every file, the sheets yeep reads.
    let (mut n_files, mut n_cells) = (0usize, 0usize);
    for f in files(input) {
        let bytes = std::fs::read(&f).unwrap();
        n_files += 1;
        let is_submission = f.components().any(|c| c.as_os_str() == "submissions");
        let Ok(mut wb) = open_workbook_auto_from_rs(Cursor::new(bytes)) else {
            continue; // HTML and CSV tables: read as bytes above.
        };
        let names = wb.sheet_names();
        let wanted: Vec<String> = if is_submission {
            names
                .iter()
                .filter(|n| matches!(n.as_str(), "Bilgi" | "Veri"))
                .cloned()
                .collect()
        } else {
            names.into_iter().take(1).collect()
        };
        for name in wanted {
            if let Ok(r) = wb.worksheet_range(&name) {
                n_cells += r.used_cells().count();
            }
        }
    }
    // Output: the same shape as the yeep run's.
    std::fs::create_dir_all(scratch).unwrap();
    let text = std::fs::read_to_string(shape).unwrap();
    let mut books: Vec<(String, Vec<SheetShape>)> = Vec::new();
    let mut written = 0usize;
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "xlsx" => {
                let sheet = (
                    f[2].to_string(),
                    f[3].parse().unwrap(),
                    f[4].parse().unwrap(),
                    f[5].parse().unwrap(),
                );
                match books.last_mut() {
                    Some((p, s)) if p == f[1] => s.push(sheet),
                    _ => books.push((f[1].to_string(), vec![sheet])),
                }
            }
            "parquet" | "csv" => {
                let (rows, cols): (usize, usize) = (f[2].parse().unwrap(), f[3].parse().unwrap());
                let mut df = frame(rows, cols);
                let path = scratch.join(f[1].replace('/', "_"));
                let file = std::fs::File::create(&path).unwrap();
                if f[0] == "parquet" {
                    ParquetWriter::new(file).finish(&mut df).unwrap();
                } else {
                    CsvWriter::new(file).include_header(true).finish(&mut df).unwrap();
                }
                written += rows * cols;
            }
            _ => {}
        }
    }
    for (path, sheets) in books {
        let mut wb = Workbook::new();
        // The same deflate level as yeep's workbooks: the same writing.
        wb.set_zip_compression_level(yeep::sinks::xlsx::ZIP_LEVEL);
        for (name, rows, cols, cells) in sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&name).unwrap();
            // `cells` cells in the sheet's rows × columns, text in the first column.
            let cols = cols.max(1);
            let mut left = cells;
            'rows: for r in 0..rows.max(1) {
                for c in 0..cols {
                    if left == 0 {
                        break 'rows;
                    }
                    if c == 0 {
                        ws.write_string(r, 0, format!("satır {r}")).unwrap();
                    } else {
                        ws.write_number(r, c, f64::from(r) * 1.5 + f64::from(c)).unwrap();
                    }
                    left -= 1;
                }
            }
            written += cells - left;
        }
        wb.save(scratch.join(path.replace('/', "_"))).unwrap();
    }
    eprintln!("floor: {n_files} input files, {n_cells} input cells read; {written} output cells written");
}

/// A frame of `rows` × `cols`: half text columns, half numbers.
fn frame(rows: usize, cols: usize) -> DataFrame {
    let columns: Vec<Column> = (0..cols)
        .map(|c| {
            let name = format!("c{c}");
            if c % 2 == 0 {
                let v: Vec<String> = (0..rows).map(|r| format!("değer-{}", r % 997)).collect();
                Column::new(name.into(), v)
            } else {
                let v: Vec<f64> = (0..rows).map(|r| r as f64 * 0.5).collect();
                Column::new(name.into(), v)
            }
        })
        .collect();
    DataFrame::new(rows, columns).unwrap()
}
