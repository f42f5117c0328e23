//! Issue 13: `yeep tuik inspect FILE` — how yeep reads a table, and a `[[tuik]]` mapping
//! it has tried on the table. Every proposal is checked here the way a statistician
//! would: the values it selects are the numbers in the cells it names, and the snippet,
//! pasted with an indicator id, reads exactly those values.

use std::path::{Path, PathBuf};

use yeep::normalise::{NumberCell, Sex};
use yeep::pipeline::{Pipeline, SexLayout, TuikMapping};
use yeep::sources::guard::Limits;
use yeep::sources::tuik::extract::value_of;
use yeep::sources::tuik::inspect::{inspect, render, snippet, Inspection, INDICATOR_PLACEHOLDER};
use yeep::sources::tuik::load_grid;

use crate::common::{root, shared_data, shipped_pipeline};

fn catalogue() -> yeep::catalogue::Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

fn inspect_file(path: &Path, cat: &yeep::catalogue::Catalogue) -> Inspection {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    inspect(std::fs::read(path).unwrap(), &name, None, &Limits::default(), cat)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Checks a proposal that reads values: each value is the number in its cell, and the
/// snippet (placeholders replaced) parses to the same mapping and reads the same values.
/// Returns the number of values read.
fn check_proposal(path: &Path, ins: &Inspection, cat: &yeep::catalogue::Catalogue) -> usize {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let (m, read) = ins.proposal.as_ref().expect("a proposal");
    let Ok(cells) = read else { return 0 };
    let grid = load_grid(std::fs::read(path).unwrap(), m.sheet.as_deref()).unwrap();
    let mut numbers = 0;
    for c in cells {
        assert_eq!(value_of(grid.cell(c.row, c.col), &grid), c.value, "{name} {}", c.cell());
        if let Ok(NumberCell::Value(_)) = c.value {
            numbers += 1;
        }
    }
    // The snippet is the mapping: pasted (with ids), it reads the same cells.
    let text = snippet(m).replace(INDICATOR_PLACEHOLDER, "ctx-test");
    let parsed: std::collections::BTreeMap<String, Vec<TuikMapping>> =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: the snippet is not TOML: {e}\n{text}"));
    let pasted = &parsed["tuik"][0];
    pasted.check().unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
    let again = yeep::sources::tuik::read(
        &std::fs::read(path).unwrap(),
        &[pasted],
        &Limits::default(),
        cat.districts_index(),
    );
    match &again[0] {
        yeep::sources::tuik::MappingRead::Selected { cells: again, .. } => {
            let key = |v: &[yeep::sources::tuik::extract::Selected]| {
                v.iter()
                    .map(|s| (s.row, s.col, s.period.clone(), s.sex, s.district.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                key(again),
                key(cells),
                "{name}: the pasted snippet reads other cells\n{text}"
            );
        }
        other => panic!("{name}: the pasted snippet does not read: {other:?}\n{text}"),
    }
    numbers
}

fn real_files() -> Vec<PathBuf> {
    let base = shared_data("tuik").expect("../shared/data/tuik");
    let mut files = Vec::new();
    for kind in ["xls", "html_xls", "sdmx_csv"] {
        for e in std::fs::read_dir(base.join(kind)).unwrap().flatten() {
            files.push(e.path());
        }
    }
    files.sort();
    files
}

#[test]
fn issue_13_inspect_proposes_a_mapping_that_reads_every_shipped_table() {
    let cat = catalogue();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("input/tuik"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    for f in &files {
        let ins = inspect_file(f, &cat);
        let n = check_proposal(f, &ins, &cat);
        assert!(
            n >= 1,
            "{}: no value read\n{}",
            f.display(),
            render(&ins, yeep::model::Lang::En)
        );
    }
}

#[test]
fn issue_13_inspect_on_every_real_tuik_table() {
    let cat = catalogue();
    // Tables whose proposal must read at least one number (the others are shown with
    // the reason no layout fits; their values are still checked when there are any).
    let must_read = [
        "secmen_profili_2018_izmir_bornova.xls",
        "secmen_profili_2018_izmir_buca.xls",
        "secmen_profili_2018_izmir_karsiyaka.xls",
        "secmen_profili_2018_izmir_konak.xls",
        "adnks_t17_nufus_gostergeleri.csv",
        "adnks_t30_il_nufuslari.csv",
        "arope_ibbs2_bolge_2016-2024.xls",
        "arope_yas_cinsiyet_2015-2024.xls",
        "cocuk_yoksunluk_2024.xls",
        "issizlik_cinsiyet_2014-2022.xls",
        "konut_oda_sayisi_il_2021.xls",
        "ses_il_2023.xls",
        "yoksulluk_egitim_cinsiyet_2015-2024.xls",
        "secim_sonuclari_2018_izmir_1.xls",
        "secim_sonuclari_2018_izmir_2.xls",
        "konut_mulkiyet_il_2000.xls",
        "konut_mutfak_il_2011.xls",
        "medas_tarim_izmir_ilceleri.xls",
        "meyve_tuketimi_cinsiyet_yas_2010-2022.xls",
        "ses_il_ilce_2023.xls",
        "trafik_olu_yarali_yas_grubu.xls",
    ];
    let files = real_files();
    let mut failed: Vec<String> = Vec::new();
    assert_eq!(files.len(), 21, "the real TÜİK corpus changed");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let ins = match inspect(std::fs::read(f).unwrap(), &name, None, &Limits::default(), &cat) {
            Ok(i) => i,
            // A table yeep finds no data in is said so, never a crash.
            Err(e) => {
                assert!(!must_read.contains(&name.as_str()), "{name}: {e}");
                assert!(e.to_string().contains("no table found"), "{name}: {e}");
                continue;
            }
        };
        let rendered = render(&ins, yeep::model::Lang::Tr);
        assert!(
            rendered.contains("[[tuik]]") && rendered.contains(&format!("files = \"{name}\"")),
            "{rendered}"
        );
        let n = check_proposal(f, &ins, &cat);
        if must_read.contains(&name.as_str()) && n == 0 {
            eprintln!("UNREAD {name}\n{rendered}");
            failed.push(name.clone());
        }
    }
    assert!(failed.is_empty(), "the proposal reads no number: {failed:?}");
}

#[test]
fn issue_13_inspect_describes_the_labour_force_table() {
    let cat = catalogue();
    let path = root().join("input/tuik/isgucu_il_2020.xlsx");
    let ins = inspect_file(&path, &cat);
    assert_eq!(ins.sheet, "t12");
    assert_eq!(ins.stub_columns, vec![0]);
    assert_eq!(ins.years_in_title, vec!["2020".to_string()]);
    assert!(ins.years_across.is_empty());
    assert_eq!(ins.sex.first().map(|s| s.0), Some(SexLayout::Columns));
    let izmir = ins
        .areas
        .iter()
        .find(|(_, l, _)| l.trim() == "İzmir")
        .expect("the İzmir row");
    assert_eq!(izmir.2, cat.city_wide());
    let (m, read) = ins.proposal.as_ref().unwrap();
    // Two measure groups: each its own indicator.
    assert_eq!(m.columns.len(), 2, "{m:?}");
    assert!(m.columns.contains_key("İşgücüne katılma oranı") && m.columns.contains_key("İstihdam oranı"));
    assert_eq!(m.area.as_ref().and_then(|a| a.row.as_deref()), Some("İzmir"));
    assert_eq!(m.year.as_deref(), Some("2020"));
    let cells = read.as_ref().unwrap();
    let women: Vec<(String, f64)> = cells
        .iter()
        .filter(|c| c.sex == Sex::Female)
        .map(|c| match c.value {
            Ok(NumberCell::Value(v)) => (c.cell().to_string(), v),
            _ => panic!("{c:?}"),
        })
        .collect();
    assert_eq!(women, vec![("D41".to_string(), 34.7), ("H41".to_string(), 27.2)]);
    let en = render(&ins, yeep::model::Lang::En);
    assert!(
        en.contains("Proposed mapping; yeep tried it on this table and it reads 6 values"),
        "{en}"
    );
    assert!(en.contains("  D41 2020 İzmir Geneli Women = 34.7"), "{en}");
    assert!(en.contains("area = { row = \"İzmir\" }"), "{en}");
}

#[test]
fn issue_13_inspect_reads_a_long_sdmx_table_with_its_code_columns() {
    let cat = catalogue();
    let ins = inspect_file(&root().join("input/tuik/adnks_il_nufus_2019-2020.csv"), &cat);
    let (m, _) = ins.proposal.as_ref().unwrap();
    assert_eq!(m.sex, SexLayout::Column);
    assert_eq!(m.sex_column.as_deref(), Some("CINSIYET"));
    assert_eq!(m.value_column.as_deref(), Some("Gözlem"));
    assert_eq!(m.years, vec!["2020".to_string()]);
    let area = m.area.as_ref().unwrap();
    assert_eq!(
        (area.column.as_deref(), area.value.as_deref()),
        (Some("IKAMET_YERI"), Some("TR310"))
    );
}

#[test]
fn issue_13_tuik_inspect_command() {
    let ok = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .current_dir(root())
        .args([
            "tuik",
            "inspect",
            "input/tuik/evlenme_izmir_2016-2020.xlsx",
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(
        out.contains("[[tuik]]\nfiles = \"evlenme_izmir_2016-2020.xlsx\""),
        "{out}"
    );
    assert!(out.contains("sex = \"columns\""), "{out}");
    // A file that is not there: named, exit 1.
    let missing = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .current_dir(root())
        .args(["tuik", "inspect", "input/tuik/nope.xlsx"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.xlsx"));
    // A file that is not a table: a located message, no crash.
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 not a zip").unwrap();
    let bad = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .current_dir(root())
        .arg("tuik")
        .arg("inspect")
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("junk.xlsx"));
}
