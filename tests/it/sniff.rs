//! Content sniffing on real files from ../shared/data.

use yeep::sources::sniff::{sniff, FileKind};

use crate::common::shared_data;

fn kind(rel: &str) -> Option<FileKind> {
    Some(sniff(&std::fs::read(shared_data(rel)?).unwrap()))
}

#[test]
fn real_files_are_sniffed_by_content() {
    let Some(data) = shared_data("") else {
        return;
    };
    let cases = [
        ("corpus/openpyxl/null_file.xlsx", FileKind::Empty),
        ("corpus/calamine/pass_protected.xlsx", FileKind::Encrypted),
        ("corpus/calamine/too_small.xls", FileKind::Text),
        ("corpus/calamine/any_sheets.ods", FileKind::Ods),
        ("corpus/calamine/any_sheets.xlsx", FileKind::Ooxml),
        ("corpus/sheetjs/BlankSheetTypes.xlsm", FileKind::Ooxml),
        ("corpus/xlrd/profiles.xls", FileKind::Biff),
        ("tuik/xls/issizlik_cinsiyet_2014-2022.xls", FileKind::Biff),
        ("tuik/html_xls/secmen_profili_2018_izmir_konak.xls", FileKind::Html),
        ("tuik/sdmx_csv/adnks_t30_il_nufuslari.csv", FileKind::Text),
        ("izmir/izbb-kaza-ariza-verileri.xlsx", FileKind::Ooxml),
    ];
    for (rel, expected) in cases {
        let Some(found) = kind(rel) else {
            return;
        };
        assert_eq!(found, expected, "{rel}");
    }
    // Every corpus file gets some kind without panicking: the 105 data files of
    // ../shared/data/README.md, plus README.md and PROVENANCE.tsv.
    let files = walk(&data);
    for entry in &files {
        let _ = sniff(&std::fs::read(entry).unwrap());
    }
    let n = files.len();
    assert!(n >= 107, "only {n} files below {}", data.display());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
