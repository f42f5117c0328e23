//! Hostile files, generated here (never downloaded): each is refused by the pre-scan in
//! bounded time and memory, before calamine could abort the process (issue 6).

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use yeep::sources::guard::{check_zip, Hazard, Limits};

/// A small real workbook written by rust_xlsxwriter.
pub fn base_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Gösterge Kodu").unwrap();
    ws.write_string(1, 0, "egitim-1.2.3-b").unwrap();
    wb.save_to_buffer().unwrap()
}

/// `base` with the entry `name` replaced (or added) with `content`, deflated.
pub fn patch_zip(base: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut replaced = false;
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let n = e.name().unwrap().to_string();
        out.start_file(n.as_str(), opts).unwrap();
        if n == name {
            out.write_all(content).unwrap();
            replaced = true;
        } else {
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            out.write_all(&buf).unwrap();
        }
    }
    if !replaced {
        out.start_file(name, opts).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn sheet(cells: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for c in cells {
        let row: String = c.chars().skip_while(|ch| ch.is_ascii_alphabetic()).collect();
        s.push_str(&format!(r#"<row r="{row}"><c r="{c}"><v>1</v></c></row>"#));
    }
    s.push_str("</sheetData></worksheet>");
    s.into_bytes()
}

fn timed(bytes: &[u8]) -> Result<(), Hazard> {
    let start = Instant::now();
    let r = check_zip(bytes, &Limits::default()).map(|_| ());
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    r
}

/// Peak resident memory of this process so far (Linux), in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_plain_workbook_passes() {
    assert_eq!(timed(&base_xlsx()), Ok(()));
}

#[test]
fn issue_693_sparse_cells_at_a1_and_xfd1048576() {
    let bytes = patch_zip(&base_xlsx(), "xl/worksheets/sheet1.xml", &sheet(&["A1", "XFD1048576"]));
    assert!(bytes.len() < 10_000);
    match timed(&bytes) {
        Err(Hazard::SheetTooLarge { cells, .. }) => assert_eq!(cells, 1_048_576 * 16_384),
        other => panic!("{other:?}"),
    }
}

#[test]
fn row_numbers_past_excel_limit_do_not_wrap() {
    let bytes = patch_zip(&base_xlsx(), "xl/worksheets/sheet1.xml", &sheet(&["A1048577"]));
    assert!(matches!(timed(&bytes), Err(Hazard::CellOutOfRange { .. })));
    let bytes = patch_zip(&base_xlsx(), "xl/worksheets/sheet1.xml", &sheet(&["XFE1"]));
    assert!(matches!(timed(&bytes), Err(Hazard::CellOutOfRange { .. })));
}

#[test]
fn issue_684_shared_strings_unique_count() {
    let sst = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    let bytes = patch_zip(&base_xlsx(), "xl/sharedStrings.xml", sst);
    assert!(matches!(
        timed(&bytes),
        Err(Hazard::SharedStringsCount {
            count: 4_000_000_000,
            ..
        })
    ));
}

#[test]
fn xml_entity_bomb() {
    let mut bomb = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    for i in 1..10 {
        bomb.push_str(&format!(
            r#"<!ENTITY lol{i} "{}">"#,
            format!("&lol{};", if i == 1 { String::new() } else { (i - 1).to_string() }).repeat(10)
        ));
    }
    bomb.push_str(r#"]><sst count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"#);
    let bytes = patch_zip(&base_xlsx(), "xl/sharedStrings.xml", bomb.as_bytes());
    assert!(matches!(timed(&bytes), Err(Hazard::Doctype { .. })));
}

#[test]
fn zip_bomb_by_ratio_and_by_declared_size() {
    // 64 MiB of zeros deflate to about 64 KiB: a ratio of ~1000.
    let zeros = vec![b' '; 64 * 1024 * 1024];
    let bytes = patch_zip(&base_xlsx(), "xl/media/padding.xml", &zeros);
    drop(zeros);
    assert!(bytes.len() < 1024 * 1024, "{}", bytes.len());
    assert!(matches!(timed(&bytes), Err(Hazard::CompressionRatio { .. })));
    let small = Limits {
        max_uncompressed_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        check_zip(&base_xlsx(), &small),
        Err(Hazard::UncompressedTooLarge { .. })
    ));
    let tiny = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        check_zip(&base_xlsx(), &tiny),
        Err(Hazard::FileTooLarge { .. })
    ));
    if let Some(peak) = peak_rss() {
        assert!(peak < 2 * 1024 * 1024 * 1024, "peak RSS {peak}");
    }
}

#[test]
fn truncated_and_garbage_zips_are_corrupt() {
    let b = base_xlsx();
    assert!(matches!(timed(&b[..b.len() / 2]), Err(Hazard::Corrupt(_))));
    assert!(matches!(timed(b"PK\x03\x04 not really a zip"), Err(Hazard::Corrupt(_))));
}

#[test]
fn every_corpus_zip_is_checked_without_panic() {
    let mut zips = 0;
    for sub in [
        "corpus/calamine",
        "corpus/openpyxl",
        "corpus/sheetjs",
        "corpus/rust_xlsxwriter",
        "izmir",
    ] {
        let Some(dir) = crate::common::shared_data(sub) else {
            return;
        };
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            if bytes.starts_with(b"PK") {
                // Real files from other readers' suites pass or fail cleanly; none hangs.
                let _ = timed(&bytes);
                zips += 1;
            }
        }
    }
    // Today: 30 in calamine, 8 in openpyxl, 15 in sheetjs, 6 in rust_xlsxwriter, 1 in izmir.
    assert!(zips >= 60, "only {zips} zip files checked");
    // The real İzmir open-data workbook (19,043 rows) passes.
    let Some(izmir) = crate::common::shared_data("izmir/izbb-kaza-ariza-verileri.xlsx") else {
        return;
    };
    assert_eq!(timed(&std::fs::read(izmir).unwrap()), Ok(()));
}

/// Hostile files beside a good one in a submissions folder: each is rejected with its
/// reason code, in bounded time, and the good file's values are still read.
#[test]
fn hostile_files_beside_a_good_one() {
    use yeep::pipeline::{collect, Pipeline};
    let p = Pipeline::load(&crate::common::shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("submissions/2023");
    std::fs::create_dir_all(&sub).unwrap();
    let good = crate::common::root().join("input/submissions/2023/basin-yayin-2023.xlsx");
    std::fs::copy(&good, sub.join("basin-yayin-2023.xlsx")).unwrap();
    let base = std::fs::read(&good).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("sparse-2023.xlsx", patch_zip(&base, "xl/worksheets/sheet2.xml", &sheet(&["A1", "XFD1048576"]))),
        ("row-wrap-2023.xlsx", patch_zip(&base, "xl/worksheets/sheet2.xml", &sheet(&["A1048577"]))),
        (
            "sst-2023.xlsx",
            patch_zip(&base, "xl/sharedStrings.xml", br#"<?xml version="1.0"?><sst count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#),
        ),
        (
            "entity-2023.xlsx",
            patch_zip(&base, "xl/sharedStrings.xml", br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><sst count="1" uniqueCount="1"><si><t>&a;</t></si></sst>"#),
        ),
        ("bomb-2023.xlsx", patch_zip(&base, "xl/media/pad.xml", &vec![b' '; 32 * 1024 * 1024])),
        ("truncated-2023.xlsx", base[..base.len() / 3].to_vec()),
        ("csv-2023.xlsx", b"Gosterge Kodu;Kadin;Erkek\negitim-1.2.3-b;1;2\n".to_vec()),
        ("html-2023.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec()),
        ("pdf-2023.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n".to_vec()),
        ("empty-2023.xlsx", Vec::new()),
        ("..%2e%2e-İzmir\u{202e}xslx.2023.xlsx", b"not a workbook".to_vec()),
    ];
    for (name, bytes) in &files {
        std::fs::write(sub.join(name), bytes).unwrap();
    }
    let start = Instant::now();
    let c = collect::submissions(&p, &cat, dir.path(), "2023", collect::Options::default());
    assert!(start.elapsed() < Duration::from_secs(60), "{:?}", start.elapsed());
    let code = |name: &str| -> Vec<&str> {
        c.diagnostics
            .iter()
            .filter(|d| d.file.ends_with(name))
            .map(|d| d.reason.code())
            .collect()
    };
    assert_eq!(code("sparse-2023.xlsx"), ["file-too-large"]);
    assert_eq!(code("row-wrap-2023.xlsx"), ["file-unsafe"]);
    assert_eq!(code("sst-2023.xlsx"), ["file-unsafe"]);
    assert_eq!(code("entity-2023.xlsx"), ["file-unsafe"]);
    assert_eq!(code("bomb-2023.xlsx"), ["file-too-large"]);
    assert_eq!(code("truncated-2023.xlsx"), ["file-corrupt"]);
    assert_eq!(code("csv-2023.xlsx"), ["file-not-spreadsheet"]);
    assert_eq!(code("html-2023.xlsx"), ["file-not-spreadsheet"]);
    assert_eq!(code("pdf-2023.xlsx"), ["file-not-spreadsheet"]);
    assert_eq!(code("empty-2023.xlsx"), ["file-empty"]);
    assert_eq!(code("xslx.2023.xlsx"), ["file-unsafe-name"]);
    // The good file is still read, and every file is accounted for.
    assert_eq!(c.files.len(), files.len() + 1);
    let good = c
        .files
        .iter()
        .find(|f| f.file.ends_with("basin-yayin-2023.xlsx"))
        .unwrap();
    assert_eq!(good.status.code(), "accepted");
    assert!(good.values_accepted > 0);
    assert!(c
        .observations
        .iter()
        .any(|o| o.source_file.ends_with("basin-yayin-2023.xlsx")));
    for f in &c.files {
        assert_eq!(f.values_read, f.values_accepted + f.values_rejected, "{}", f.file);
    }
    if let Some(peak) = peak_rss() {
        assert!(peak < 2 * 1024 * 1024 * 1024, "peak RSS {peak}");
    }
}

/// What the reader gets is the checked workbook: the same entries in the same order with
/// the same contents, the XML parts stored so they are not inflated twice.
#[test]
fn the_reader_gets_the_checked_parts_stored() {
    let base = base_xlsx();
    let packed = check_zip(&base, &Limits::default()).unwrap();
    let mut a = zip::ZipArchive::new(Cursor::new(&base)).unwrap();
    let mut b = zip::ZipArchive::new(Cursor::new(&packed)).unwrap();
    assert_eq!(a.len(), b.len());
    for i in 0..a.len() {
        let (mut x, mut y) = (a.by_index(i).unwrap(), b.by_index(i).unwrap());
        assert_eq!(x.name().unwrap(), y.name().unwrap());
        let (mut bx, mut by) = (Vec::new(), Vec::new());
        x.read_to_end(&mut bx).unwrap();
        y.read_to_end(&mut by).unwrap();
        assert_eq!(bx, by, "{}", x.name().unwrap());
        if x.name().unwrap().ends_with(".xml") {
            assert_eq!(y.compression(), zip::CompressionMethod::Stored);
        }
    }
}

/// Two entries of one name: a checker and a reader could each take another one. The
/// reader gets only the repacked workbook, so it reads the entry that was checked.
#[test]
fn two_entries_of_one_name_cannot_hide_a_part_from_the_check() {
    let far = sheet(&["A1", "XFD1048576"]);
    let two = patch_zip(&base_xlsx(), "xl/worksheets/sheetX.xml", &far);
    // Rename the second entry to the first's name in the local header and the directory.
    let mut bytes = two.clone();
    let (from, to) = (b"xl/worksheets/sheetX.xml", b"xl/worksheets/sheet1.xml");
    let mut renamed = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            renamed += 1;
        }
        i += 1;
    }
    assert_eq!(renamed, 2);
    match check_zip(&bytes, &Limits::default()) {
        Err(Hazard::SheetTooLarge { .. }) | Err(Hazard::Corrupt(_)) => {}
        Ok(packed) => {
            let mut z = zip::ZipArchive::new(Cursor::new(&packed)).unwrap();
            let names: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
            assert_eq!(names.iter().filter(|n| n.ends_with("sheet1.xml")).count(), 1);
            let mut xml = String::new();
            z.by_name("xl/worksheets/sheet1.xml")
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            assert!(!xml.contains("XFD1048576"), "the unchecked entry reached the reader");
        }
        Err(other) => panic!("{other:?}"),
    }
}
