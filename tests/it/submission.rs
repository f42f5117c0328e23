//! Reading and validating submissions (issue 3): every accepted quirk and every rejection
//! reason, asserted as (file, cell, code) tuples; the shared corpus never panics; the
//! parallel collect equals the sequential one; `yeep validate` exit codes.

use std::path::Path;

use rust_xlsxwriter::{Formula, Workbook};
use yeep::catalogue::Catalogue;
use yeep::model::Lang;
use yeep::normalise::Sex;
use yeep::pipeline::collect::{self, submission_file};
use yeep::pipeline::Pipeline;
use yeep::validate::FileOutcome;

use crate::common::{shared_data, shipped_pipeline, MiniPlan, MINI_THEME};

/// A cell a user typed.
#[derive(Clone)]
enum V {
    S(&'static str),
    N(f64),
    F(&'static str, &'static str),
    E,
}
use V::{E, N, S};

const HEADER: [&str; 7] = [
    "Gösterge Kodu",
    "Gösterge",
    "İlçe",
    "Kadın",
    "Erkek",
    "Toplam",
    "Açıklama",
];

fn catalogue() -> Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

fn write_cells(ws: &mut rust_xlsxwriter::Worksheet, row0: u32, col0: u16, rows: &[Vec<V>]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (row0 + r as u32, col0 + c as u16);
            match v {
                S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::F(f, result) => {
                    ws.write_formula(r, c, Formula::new(*f).set_result(*result)).unwrap();
                }
                E => {}
            }
        }
    }
}

/// A workbook with a `Bilgi` sheet (label/value pairs from A1) and a data sheet whose
/// rows start at `origin` (row, col).
fn book(info: &[(&str, &str)], sheet: &str, origin: (u32, u16), rows: &[Vec<V>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    if !info.is_empty() {
        let ws = wb.add_worksheet().set_name("Bilgi").unwrap();
        for (i, (k, v)) in info.iter().enumerate() {
            ws.write_string(i as u32, 0, *k).unwrap();
            ws.write_string(i as u32, 1, *v).unwrap();
        }
    }
    let ws = wb.add_worksheet().set_name(sheet).unwrap();
    write_cells(ws, origin.0, origin.1, rows);
    wb.save_to_buffer().unwrap()
}

fn konak_info() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Birim", "Konak Belediyesi"),
        ("Birim Kodu", "ilce-konak"),
        ("Dönem", "2023"),
        ("Tarih", "2024-01-10"),
    ]
}

fn header() -> Vec<V> {
    HEADER.iter().map(|h| S(h)).collect()
}

/// A standard Konak workbook with the given data rows under the template header.
fn konak(rows: Vec<Vec<V>>) -> Vec<u8> {
    let mut all = vec![header()];
    all.extend(rows);
    book(&konak_info(), "Veri", (0, 0), &all)
}

/// Writes `bytes` to `<tmp>/submissions/2023/<name>` and reads it as collect would.
fn run(cat: &Catalogue, name: &str, bytes: &[u8]) -> FileOutcome {
    run_in(cat, "2023", name, bytes)
}

fn run_in(cat: &Catalogue, period: &str, name: &str, bytes: &[u8]) -> FileOutcome {
    let dir = tempfile::tempdir().unwrap();
    let rel = format!("submissions/{period}/{name}");
    let path = dir.path().join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let o = submission_file(cat, &yeep::sources::guard::Limits::default(), &path, &rel, period);
    let a = &o.account;
    assert_eq!(
        a.values_read,
        a.values_accepted + a.values_rejected,
        "conserved for {name}"
    );
    o
}

/// (file name, cell, code) of every diagnostic.
fn codes(o: &FileOutcome) -> Vec<(String, String, &'static str)> {
    o.diagnostics
        .iter()
        .map(|d| {
            (
                d.file.rsplit('/').next().unwrap().to_string(),
                d.cell_text(),
                d.reason.code(),
            )
        })
        .collect()
}

fn one(name: &str, cell: &str, code: &'static str) -> Vec<(String, String, &'static str)> {
    vec![(name.to_string(), cell.to_string(), code)]
}

/// (indicator, district, sex, value, cell) of every observation.
fn obs(o: &FileOutcome) -> Vec<(String, String, Sex, f64, String)> {
    let mut v: Vec<_> = o
        .observations
        .iter()
        .map(|x| {
            (
                x.indicator_id.clone(),
                x.district.clone(),
                x.sex,
                x.value,
                x.source_cell.clone(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.4.cmp(&b.4));
    v
}

fn ob(ind: &str, d: &str, sex: Sex, v: f64, cell: &str) -> (String, String, Sex, f64, String) {
    (ind.into(), d.into(), sex, v, cell.into())
}

// ---- accepted quirks -------------------------------------------------------------------

#[test]
fn text_numbers_with_turkish_and_english_separators() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![
            S("egitim-1.1.1-a"),
            E,
            S("Konak"),
            S("1.234"),
            S(" 12 "),
            S("1246.0"),
            E,
        ]]),
    );
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(
        obs(&o),
        vec![
            ob("egitim-1.1.1-a", "Konak", Sex::Female, 1234.0, "D2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Male, 12.0, "E2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Total, 1246.0, "F2"),
        ]
    );
    assert_eq!(o.observations[0].source_sheet, "Veri");
    assert_eq!(o.observations[0].source_file, "submissions/2023/k.xlsx");
}

#[test]
fn header_in_capitals_and_without_turkish_letters() {
    let cat = catalogue();
    let rows = vec![
        vec![
            S("GÖSTERGE KODU"),
            S("GOSTERGE"),
            S("ILCE"),
            S("KADIN"),
            S("Erkek"),
            S("toplam"),
        ],
        vec![S("egitim-1.1.1-a"), E, S("Konak"), N(5.0), N(3.0), N(8.0)],
    ];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "Veri", (0, 0), &rows));
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(obs(&o).len(), 3);
}

#[test]
fn renamed_data_sheet_veri_in_capitals() {
    let cat = catalogue();
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "VERİ", (0, 0), &rows));
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 4.0, "F2")]);
    assert_eq!(o.observations[0].source_sheet, "VERİ");
}

#[test]
fn the_only_sheet_with_the_header_is_the_data_sheet() {
    let cat = catalogue();
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "Sayfa1", (0, 0), &rows));
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 4.0, "F2")]);
}

#[test]
fn title_rows_and_blank_rows_above_and_inside_the_table() {
    let cat = catalogue();
    let rows = vec![
        vec![S("KONAK BELEDİYESİ 2023 YILI VERİLERİ")],
        vec![],
        vec![],
        header(),
        vec![],
        vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)],
        vec![],
        vec![E, S("Eğitim başlığı (bölüm satırı)")],
        vec![S("egitim-1.1.1-a"), E, S("Konak"), N(2.0), N(1.0), N(3.0)],
    ];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "Veri", (0, 0), &rows));
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    let cells: Vec<String> = obs(&o).into_iter().map(|x| x.4).collect();
    assert_eq!(cells, vec!["D9", "E9", "F6", "F9"]);
}

#[test]
fn cell_references_are_absolute_when_the_table_does_not_start_at_a1() {
    // calamine's range starts at the first used cell (C4 here); references must not.
    let cat = catalogue();
    let rows = vec![
        header(),
        vec![S("egitim-1.1.1-a"), E, S("Konak"), N(7.0), N(2.0), N(9.0)],
    ];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "Veri", (3, 2), &rows));
    let cells: Vec<String> = obs(&o).into_iter().map(|x| x.4).collect();
    assert_eq!(cells, vec!["F5", "G5", "H5"]);
}

#[test]
fn columns_in_any_order_and_extra_columns_ignored() {
    let cat = catalogue();
    let rows = vec![
        vec![
            S("Toplam"),
            S("Notlarım"),
            S("Erkek"),
            S("İlçe"),
            S("Kadın"),
            S("Gösterge Kodu"),
        ],
        vec![N(9.0), S("x"), N(2.0), S("Konak"), N(7.0), S("egitim-1.1.1-a")],
    ];
    let o = run(&cat, "k.xlsx", &book(&konak_info(), "Veri", (0, 0), &rows));
    assert_eq!(
        obs(&o),
        vec![
            ob("egitim-1.1.1-a", "Konak", Sex::Total, 9.0, "A2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Male, 2.0, "C2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Female, 7.0, "E2"),
        ]
    );
}

#[test]
fn english_labels_on_info_and_data() {
    let cat = catalogue();
    let info = [
        ("Unit", "Konak District Municipality"),
        ("Unit Code", "ilce-konak"),
        ("Period", "2023"),
    ];
    let rows = vec![
        vec![
            S("Indicator Code"),
            S("Indicator"),
            S("District"),
            S("Women"),
            S("Men"),
            S("Total"),
        ],
        vec![S("egitim-1.1.1-a"), E, S("Konak"), N(7.0), N(2.0), N(9.0)],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Info").unwrap();
    for (i, (k, v)) in info.iter().enumerate() {
        ws.write_string(i as u32, 0, *k).unwrap();
        ws.write_string(i as u32, 1, *v).unwrap();
    }
    write_cells(wb.add_worksheet().set_name("Data").unwrap(), 0, 0, &rows);
    let o = run(&cat, "k.xlsx", &wb.save_to_buffer().unwrap());
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(o.account.unit_id, "ilce-konak");
    assert_eq!(obs(&o).len(), 3);
}

#[test]
fn district_without_turkish_letters_or_in_capitals() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("KARSIYAKA"), E, E, N(1.0)],
            vec![S("egitim-1.1.1-a"), E, S("karsıyaka"), E, E, N(2.0)],
        ]),
    );
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert!(o.observations.iter().all(|x| x.district == "Karşıyaka"));
}

#[test]
fn dash_and_empty_are_not_reported_not_zero() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-a"), E, S("Konak"), S("-"), S("—"), E],
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(0.0)],
        ]),
    );
    assert!(o.diagnostics.is_empty());
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 0.0, "F3")]);
    assert_eq!(o.account.values_read, 1);
}

#[test]
fn totals_row_written_by_the_unit_is_skipped() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)],
            vec![S("TOPLAM"), E, E, E, E, N(4.0)],
            vec![E, E, S("Genel Toplam"), E, E, N(4.0)],
        ]),
    );
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(o.account.values_read, 1);
}

#[test]
fn empty_district_means_city_wide() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-b"), E, E, E, E, N(4.0)]]),
    );
    assert_eq!(o.observations[0].district, "İzmir Geneli");
}

#[test]
fn total_derived_from_women_and_men_when_empty() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), N(7.0), N(2.0), E]]),
    );
    assert_eq!(
        obs(&o),
        vec![
            ob("egitim-1.1.1-a", "Konak", Sex::Female, 7.0, "D2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Total, 9.0, "D2+E2"),
            ob("egitim-1.1.1-a", "Konak", Sex::Male, 2.0, "E2"),
        ]
    );
    assert_eq!((o.account.values_read, o.account.values_accepted), (2, 2));
}

#[test]
fn only_total_gives_only_a_total() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), E, E, N(9.0)]]),
    );
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-a", "Konak", Sex::Total, 9.0, "F2")]);
}

#[test]
fn unit_from_name_or_file_name_when_the_code_is_missing() {
    let cat = catalogue();
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let by_name = book(
        &[("Birim", "KONAK BELEDIYESI"), ("Dönem", "2023")],
        "Veri",
        (0, 0),
        &rows,
    );
    assert_eq!(run(&cat, "x.xlsx", &by_name).account.unit_id, "ilce-konak");
    let no_info = book(&[], "Veri", (0, 0), &rows);
    let o = run(&cat, "ilce-konak-2023.xlsx", &no_info);
    assert_eq!(o.account.unit_id, "ilce-konak");
    assert!(o.diagnostics.is_empty());
}

// ---- rejections, one per reason --------------------------------------------------------

fn row_codes(rows: Vec<Vec<V>>) -> Vec<(String, String, &'static str)> {
    let cat = catalogue();
    codes(&run(&cat, "k.xlsx", &konak(rows)))
}

#[test]
fn indicator_unknown() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-9.9.9-z"), E, S("Konak"), E, E, N(1.0)]]),
        one("k.xlsx", "A2", "indicator-unknown")
    );
}

#[test]
fn indicator_not_assigned_to_this_unit() {
    assert_eq!(
        row_codes(vec![vec![S("katilim-1.1.1-a"), E, E, E, E, N(1.0)]]),
        one("k.xlsx", "A2", "indicator-not-assigned")
    );
}

#[test]
fn indicator_missing() {
    assert_eq!(
        row_codes(vec![vec![E, E, S("Konak"), E, E, N(1.0)]]),
        one("k.xlsx", "A2", "indicator-missing")
    );
}

#[test]
fn value_not_numeric() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S("12 kişi")]]),
        one("k.xlsx", "F2", "value-not-numeric")
    );
}

#[test]
fn value_negative() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(-2.0)]]),
        one("k.xlsx", "F2", "value-negative")
    );
}

#[test]
fn count_not_integer() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S("12,5")]]),
        one("k.xlsx", "F2", "value-not-integer")
    );
}

#[test]
fn excel_error_cell() {
    assert_eq!(
        row_codes(vec![vec![
            S("egitim-1.1.1-b"),
            E,
            S("Konak"),
            E,
            E,
            V::F("=1/0", "#DIV/0!")
        ]]),
        one("k.xlsx", "F2", "value-excel-error")
    );
}

#[test]
fn sum_mismatch_reported_at_the_total_cell_and_row_rejected() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), N(12.0), N(5.0), N(18.0)]]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F2", "sum-mismatch"));
    assert!(o.observations.is_empty());
    assert_eq!((o.account.values_read, o.account.values_rejected), (3, 3));
    assert_eq!(o.diagnostics[0].value, "18");
}

#[test]
fn women_above_total() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), N(12.0), E, N(10.0)]]),
        one("k.xlsx", "D2", "women-above-total")
    );
}

#[test]
fn men_above_total() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), E, N(12.0), N(10.0)]]),
        one("k.xlsx", "E2", "men-above-total")
    );
}

#[test]
fn district_unknown() {
    assert_eq!(
        row_codes(vec![vec![S("egitim-1.1.1-b"), E, S("Kadifekale"), E, E, N(1.0)]]),
        one("k.xlsx", "C2", "district-unknown")
    );
}

#[test]
fn women_and_men_on_an_indicator_not_by_sex_is_a_warning_and_total_is_used() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), N(2.0), N(1.0), N(3.0)]]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "D2", "sex-not-applicable"));
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 3.0, "F2")]);
    assert_eq!((o.account.values_accepted, o.account.values_rejected), (1, 2));
}

#[test]
fn duplicate_indicator_and_district_row() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(1.0)],
            vec![S("egitim-1.1.1-b"), E, S("KONAK"), E, E, N(2.0)],
        ]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "A3", "duplicate-row"));
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 1.0, "F2")]);
}

#[test]
fn a_bad_row_does_not_stop_the_others() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("Nowhere"), E, E, N(1.0)],
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S("abc")],
            vec![S("egitim-1.1.1-a"), E, S("Konak"), N(1.0), N(1.0), N(2.0)],
        ]),
    );
    assert_eq!(codes(&o).len(), 2);
    assert_eq!(o.observations.len(), 3);
}

#[test]
fn period_on_bilgi_differs_from_folder() {
    let cat = catalogue();
    let mut info = konak_info();
    info[2] = ("Dönem", "2022");
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let o = run(&cat, "k.xlsx", &book(&info, "Veri", (0, 0), &rows));
    assert_eq!(
        o.diagnostics
            .iter()
            .map(|d| (d.sheet.clone(), d.cell_text(), d.reason.code()))
            .collect::<Vec<_>>(),
        vec![("Bilgi".to_string(), "B3".to_string(), "period-mismatch")]
    );
    assert!(o.observations.is_empty());
    assert_eq!((o.account.status.code(), o.account.values_rejected), ("rejected", 1));
}

#[test]
fn year_in_file_name_differs_from_folder() {
    let cat = catalogue();
    let o = run(
        &cat,
        "ilce-konak-2022.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]]),
    );
    assert_eq!(codes(&o), one("ilce-konak-2022.xlsx", "", "period-mismatch"));
}

#[test]
fn unit_unknown_and_unit_missing() {
    let cat = catalogue();
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let o = run(
        &cat,
        "x.xlsx",
        &book(
            &[("Birim Kodu", "ilce-atlantis"), ("Dönem", "2023")],
            "Veri",
            (0, 0),
            &rows,
        ),
    );
    assert_eq!(codes(&o), one("x.xlsx", "B1", "unit-unknown"));
    let o = run(&cat, "x.xlsx", &book(&[("Dönem", "2023")], "Veri", (0, 0), &rows));
    assert_eq!(codes(&o), one("x.xlsx", "", "unit-missing"));
}

#[test]
fn period_not_in_plan() {
    let cat = catalogue();
    let mut info = konak_info();
    info[2] = ("Dönem", "2019");
    let rows = vec![header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]];
    let o = run_in(&cat, "2019", "k.xlsx", &book(&info, "Veri", (0, 0), &rows));
    assert_eq!(codes(&o), one("k.xlsx", "", "period-not-in-plan"));
}

#[test]
fn rate_above_hundred() {
    let m = MiniPlan::new();
    m.write(
        "cat/theme.toml",
        &MINI_THEME
            .replacen("kind = \"count_things\"", "kind = \"rate\"", 1)
            .replacen("unit = \"adet\"", "unit = \"%\"", 1),
    );
    assert!(m.path().join("cat/theme.toml").is_file());
    let cat = Pipeline::load(&m.pipeline()).unwrap().catalogue().unwrap();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), E, E, N(120.5)]]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F2", "rate-above-100"));
}

#[test]
fn file_level_rejections() {
    let cat = catalogue();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bos.xlsx", vec![], "file-empty"),
        (
            "csv.xlsx",
            b"Gosterge Kodu;Toplam\negitim-1.1.1-b;4\n".to_vec(),
            "file-not-spreadsheet",
        ),
        (
            "sayfa.xlsx",
            b"<html><body><table></table></body></html>".to_vec(),
            "file-not-spreadsheet",
        ),
        ("belge.pdf", b"%PDF-1.7 ...".to_vec(), "file-not-spreadsheet"),
        ("sifreli.xlsx", encrypted_cfb(), "file-encrypted"),
        (
            "bozuk.xlsx",
            b"PK\x03\x04 [Content_Types].xml then garbage".to_vec(),
            "file-corrupt",
        ),
        (
            "sayfasiz.xlsx",
            book(&konak_info(), "Notlar", (0, 0), &[vec![S("merhaba")]]),
            "sheet-missing",
        ),
        (
            "basliksiz.xlsx",
            book(&konak_info(), "Veri", (0, 0), &[vec![S("merhaba")]]),
            "header-missing",
        ),
    ];
    for (name, bytes, code) in cases {
        let o = run(&cat, name, &bytes);
        assert_eq!(
            codes(&o).iter().map(|c| (c.0.as_str(), c.2)).collect::<Vec<_>>(),
            vec![(name, code)],
            "{name}"
        );
        assert_eq!(o.account.status.code(), "rejected");
        assert_eq!(o.account.file, format!("submissions/2023/{name}"));
    }
}

/// The start of an OLE2 container whose directory names `EncryptedPackage`, as Excel
/// writes password-protected workbooks.
fn encrypted_cfb() -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(512, 0);
    b.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    b.resize(2048, 0);
    b
}

// ---- several files ---------------------------------------------------------------------

fn input_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

#[test]
fn resubmission_latest_tarih_wins_whatever_the_file_names() {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let with_date = |date: &'static str, v: f64| {
        let mut info = konak_info();
        info[3] = ("Tarih", date);
        book(
            &info,
            "Veri",
            (0, 0),
            &[header(), vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(v)]],
        )
    };
    let dir = input_with(&[
        ("submissions/2023/b-ilce-konak.xlsx", with_date("05.01.2024", 1.0)),
        ("submissions/2023/alt/a-ilce-konak.xlsx", with_date("2024-02-10", 2.0)),
    ]);
    let c = collect::submissions(&p, &cat, dir.path(), "2023", collect::Options::default());
    assert_eq!(c.observations.len(), 1);
    assert_eq!(c.observations[0].value, 2.0);
    assert_eq!(c.observations[0].source_file, "submissions/2023/alt/a-ilce-konak.xlsx");
    let d: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.reason.code()))
        .collect();
    assert_eq!(d, vec![("submissions/2023/b-ilce-konak.xlsx", "duplicate-submission")]);
    assert!(c.diagnostics[0]
        .message(Lang::Tr)
        .ends_with(": kullanılan dosya: “submissions/2023/alt/a-ilce-konak.xlsx” (Tarih 2024-02-10)"));
    assert!(c.diagnostics[0]
        .message(Lang::En)
        .ends_with(": file used: “submissions/2023/alt/a-ilce-konak.xlsx” (dated 2024-02-10)"));
    let b = c.files.iter().find(|f| f.file.ends_with("b-ilce-konak.xlsx")).unwrap();
    assert_eq!(
        (b.status.code(), b.values_read, b.values_rejected),
        ("superseded", 1, 1)
    );
}

#[test]
fn parallel_collect_equals_sequential() {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let input = crate::common::root().join("input");
    for period in ["2022", "2023"] {
        let a = collect::submissions(&p, &cat, &input, period, collect::Options::default());
        let b = collect::submissions(
            &p,
            &cat,
            &input,
            period,
            collect::Options {
                parallel: false,
                ..Default::default()
            },
        );
        assert!(!a.observations.is_empty());
        assert_eq!(a.observations, b.observations);
        assert_eq!(a.diagnostics, b.diagnostics);
        assert_eq!(a.files, b.files);
        for f in &a.files {
            assert_eq!(f.values_read, f.values_accepted + f.values_rejected, "{}", f.file);
        }
    }
}

#[test]
fn shipped_examples_show_the_listed_mistakes() {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let c = collect::submissions(
        &p,
        &cat,
        &crate::common::root().join("input"),
        "2023",
        collect::Options::default(),
    );
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.reason.code()).collect();
    for code in [
        "sum-mismatch",
        "value-negative",
        "district-unknown",
        "period-mismatch",
        "duplicate-submission",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // A workbook re-saved as .ods is read like any other.
    let ods = c
        .files
        .iter()
        .find(|f| f.file == "submissions/2023/izum-2023.ods")
        .unwrap();
    assert_eq!(ods.status.code(), "accepted");
    assert!(ods.values_accepted > 0 && ods.values_rejected == 0);
    // The anchored sensitive figures: 1,210 women in 2022, several districts below 5.
    let c22 = collect::submissions(
        &p,
        &cat,
        &crate::common::root().join("input"),
        "2022",
        collect::Options::default(),
    );
    let women: Vec<f64> = c22
        .observations
        .iter()
        .filter(|o| o.indicator_id == "siddet-1.1.3-b" && o.unit_id == "kadin-calismalari" && o.sex == Sex::Female)
        .map(|o| o.value)
        .collect();
    assert_eq!(women.iter().sum::<f64>(), 1210.0);
    assert!(women.iter().filter(|v| **v < 5.0).count() >= 3);
}

/// Every file of the shared corpus (other readers' test suites, TÜİK downloads, İzmir open
/// data), through the submission reader and through `process_file`, the collector's
/// per-file entry point: each is read (values, or a readable workbook reported as e.g.
/// `header-missing` / `sheet-missing`) or rejected with a file-level reason, never a panic;
/// each yields a `FileAccount`; no observation means a file-level diagnostic.
#[test]
fn every_shared_data_file_is_read_or_rejected_without_panic() {
    use yeep::sources::submission::read_submission;
    let Some(data) = shared_data("") else { return };
    let cat = catalogue();
    let (mut n, mut read, mut rejected) = (0, 0, 0);
    let mut files = Vec::new();
    for sub in ["corpus", "tuik", "izmir"] {
        let Some(top) = shared_data(sub) else { return };
        let mut stack = vec![top];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&data).unwrap().to_string_lossy().replace('\\', "/");
                files.push((path, rel));
            }
        }
    }
    // Two shipped submissions, so that the "read" side is exercised too.
    for name in ["ilce-bornova-2023.xlsx", "izum-2023.ods"] {
        let path = crate::common::root().join("input/submissions/2023").join(name);
        files.push((path, format!("submissions/2023/{name}")));
    }
    for (path, rel) in files {
        let bytes = std::fs::read(&path).unwrap();
        // The reader alone (what process_file calls once the pre-scan has passed).
        let direct = if bytes.starts_with(b"PK") {
            yeep::sources::guard::check_zip(&bytes, &Default::default())
                .ok()
                .map(|packed| yeep::sources::submission::read_submission_as(&bytes, &packed, &Default::default()))
        } else {
            Some(read_submission(&bytes))
        };
        let o = submission_file(&cat, &yeep::sources::guard::Limits::default(), &path, &rel, "2023");
        // A FileAccount for every file, with its identity.
        assert_eq!(o.account.file, rel);
        assert_eq!(o.account.bytes, bytes.len() as u64, "{rel}");
        assert_eq!(o.account.sha256, yeep::sources::sha256_hex(&bytes), "{rel}");
        assert!(!o.account.status.code().is_empty(), "{rel}");
        assert_eq!(
            o.account.values_read,
            o.account.values_accepted + o.account.values_rejected,
            "{rel}"
        );
        let file_level: Vec<&str> = o
            .diagnostics
            .iter()
            .filter(|d| d.cell.is_none() || d.sheet == "Bilgi")
            .map(|d| d.reason.code())
            .collect();
        assert!(
            !o.observations.is_empty() || !file_level.is_empty(),
            "{rel}: {:?}",
            o.diagnostics
        );
        assert!(
            o.diagnostics.iter().all(|d| d.reason.code() != "file-internal-error"),
            "{rel}"
        );
        match direct {
            Some(Ok(_)) => read += 1,
            Some(Err(problem)) => {
                // A reader's refusal is the file's one diagnostic, and rejects it.
                rejected += 1;
                assert!(problem.cell.is_none() || !problem.sheet.is_empty(), "{rel}");
                assert_eq!(file_level, [problem.reason.code()], "{rel}");
                assert_eq!(o.account.status.code(), "rejected", "{rel}");
            }
            // Refused by the pre-scan: rejected as a whole, for a file-level reason.
            None => {
                rejected += 1;
                assert_eq!(o.account.status.code(), "rejected", "{rel}");
                assert!(
                    file_level.iter().any(|c| c.starts_with("file-")),
                    "{rel}: {file_level:?}"
                );
            }
        }
        n += 1;
    }
    // The 105 data files of ../shared/data/README.md (80 corpus, 21 tuik, 4 izmir) and the
    // two shipped submissions.
    assert!(n >= 105 + 2, "only {n} files");
    assert!(read > 0 && rejected > 0, "{read} read, {rejected} rejected");
}

// ---- the command -----------------------------------------------------------------------

fn yeep(args: &[&std::ffi::OsStr]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn validate_with(input: &Path, output: &Path, period: &str) -> std::process::Output {
    let p = shipped_pipeline();
    yeep(&[
        "validate".as_ref(),
        p.as_os_str(),
        "--period".as_ref(),
        period.as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
    ])
}

fn validate(input: &Path, output: &Path) -> i32 {
    validate_with(input, output, "2023").status.code().unwrap()
}

/// Rows of a report CSV with severity `error`.
fn error_rows(csv: &str) -> Vec<&str> {
    csv.lines().skip(1).filter(|l| l.contains(",error,")).collect()
}

#[test]
fn validate_exit_codes_and_report_files() {
    let clean = input_with(&[(
        "submissions/2023/ilce-konak-2023.xlsx",
        konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(4.0)]]),
    )]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(validate(clean.path(), out.path()), 0);
    // Its own folder: the period folder `yeep run` writes is not touched.
    let dir = out.path().join("izmir-2022-2024/dogrulama/2023");
    assert!(!out.path().join("izmir-2022-2024/2023").exists());
    assert!(dir.join("dogrulama-2023.xlsx").is_file());
    let csv = std::fs::read_to_string(dir.join("dogrulama-2023.csv")).unwrap();
    assert!(error_rows(&csv).is_empty(), "no errors: {csv}");

    let bad = input_with(&[(
        "submissions/2023/ilce-konak-2023.xlsx",
        konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(-4.0)]]),
    )]);
    assert_eq!(validate(bad.path(), out.path()), 3);
    let csv = std::fs::read_to_string(dir.join("dogrulama-2023.csv")).unwrap();
    assert!(csv.starts_with("file,sheet,cell,unit_id,period,indicator_id,code,severity,message,advice,value"));
    assert_eq!(
        error_rows(&csv),
        ["submissions/2023/ilce-konak-2023.xlsx,Veri,F2,ilce-konak,2023,egitim-1.1.1-b,value-negative,error,Değer negatif olamaz,Sayıyı düzeltin.,'-4"]
    );
    // The report reads back: a summary sheet and the unit's sheet.
    use calamine::Reader;
    let wb = calamine::open_workbook_auto(dir.join("dogrulama-2023.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Özet");
    assert!(wb.sheet_names().contains(&"ilce-konak".to_string()));
    let leftovers: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind");
}

/// `yeep validate` writes, byte for byte, the report `yeep run` writes (submissions and
/// TÜİK tables judged alike), checks the period and takes the output lock.
#[test]
fn validate_is_the_runs_report_under_the_runs_lock() {
    let root = crate::common::root();
    let input = root.join("input");
    let out = tempfile::tempdir().unwrap();
    let p = shipped_pipeline();
    let run = yeep(&[
        "run".as_ref(),
        p.as_os_str(),
        "-q".as_ref(),
        "--period".as_ref(),
        "2023".as_ref(),
        "--output".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(3), "{}", String::from_utf8_lossy(&run.stderr));
    let manifest = std::fs::read(out.path().join("izmir-2022-2024/2023/manifest.json")).unwrap();
    let v = validate_with(&input, out.path(), "2023");
    assert_eq!(v.status.code(), Some(3), "{}", String::from_utf8_lossy(&v.stderr));
    for name in ["dogrulama-2023.xlsx", "dogrulama-2023.csv"] {
        let from_run = std::fs::read(out.path().join("izmir-2022-2024/2023").join(name)).unwrap();
        let from_validate = std::fs::read(out.path().join("izmir-2022-2024/dogrulama/2023").join(name)).unwrap();
        assert!(from_run == from_validate, "{name} differs between run and validate");
    }
    // The TÜİK tables were judged: the report lists them.
    let csv = std::fs::read_to_string(out.path().join("izmir-2022-2024/dogrulama/2023/dogrulama-2023.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with("tuik/")),
        "no TÜİK diagnostics in {csv}"
    );
    // The period folder and its manifest are untouched.
    assert_eq!(
        manifest,
        std::fs::read(out.path().join("izmir-2022-2024/2023/manifest.json")).unwrap()
    );

    // A period the plan does not have is refused, naming the plan's periods.
    let wrong = validate_with(&input, out.path(), "2031");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("2022, 2023, 2024"));

    // Another run holding the lock: validate refuses at once and writes nothing.
    let _held = yeep::pipeline::output::lock(&out.path().join("izmir-2022-2024"), std::time::Duration::ZERO).unwrap();
    let before = std::fs::metadata(out.path().join("izmir-2022-2024/dogrulama/2023/dogrulama-2023.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let locked = validate_with(&input, out.path(), "2023");
    assert_ne!(locked.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("another yeep run"));
    let after = std::fs::metadata(out.path().join("izmir-2022-2024/dogrulama/2023/dogrulama-2023.csv"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

// ---- issue 17: numbers no one should trust silently ------------------------------------

/// `1e308 + 1e308` is not a total of infinity: a value beyond 10^15 (Excel's precision) is
/// refused at its cell, so no sum of accepted values can overflow.
#[test]
fn issue_17_huge_values_are_refused_and_never_make_an_infinite_total() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-a"), E, S("Konak"), N(1e308), N(1e308), E]]),
    );
    assert_eq!(
        codes(&o),
        vec![
            ("k.xlsx".to_string(), "D2".to_string(), "value-too-large"),
            ("k.xlsx".to_string(), "E2".to_string(), "value-too-large"),
        ]
    );
    assert!(o.observations.iter().all(|ob| ob.value.is_finite()));
    assert!(o.observations.is_empty());
    assert_eq!(
        row_codes(vec![vec![
            S("egitim-1.1.1-b"),
            E,
            S("Konak"),
            E,
            E,
            S("1000000000000000000")
        ]]),
        one("k.xlsx", "F2", "value-too-large")
    );
}

/// `1,000` typed as text in a count: read as a Turkish decimal comma (1) — and flagged,
/// with the other reading, never guessed silently. A rate is not flagged (12,500 % is
/// not a rate).
#[test]
fn issue_17_a_comma_and_three_digits_in_a_count_is_flagged_with_what_was_assumed() {
    let cat = catalogue();
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S("1,000")]]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F2", "value-ambiguous-separator"));
    let d = &o.diagnostics[0];
    assert_eq!(
        d.note,
        yeep::diagnostics::Note::AmbiguousSeparator {
            read: 1.0,
            other: 1000.0
        }
    );
    assert_eq!(d.value, "1,000");
    assert_eq!(d.severity(), yeep::diagnostics::Severity::Warning);
    assert!(d.note.render(Lang::Tr).contains("1.000"), "{}", d.note.render(Lang::Tr));
    assert_eq!(obs(&o), vec![ob("egitim-1.1.1-b", "Konak", Sex::Total, 1.0, "F2")]);
    // Unambiguous texts are not flagged.
    for text in ["1.000", "1000", "12,5", "1.234,567"] {
        let o = run(
            &cat,
            "k.xlsx",
            &konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S(text)]]),
        );
        assert!(
            o.diagnostics
                .iter()
                .all(|d| d.reason.code() != "value-ambiguous-separator"),
            "{text}: {:?}",
            o.diagnostics
        );
    }
}

/// `path`'s `.xls` with a FILEPASS record (RC4 encryption header) after its first BOF, as
/// Excel writes a password-protected workbook.
fn with_filepass(path: &Path) -> Vec<u8> {
    use std::io::{Read, Seek, Write};
    let mut cfb = cfb::CompoundFile::open(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let mut stream = Vec::new();
    cfb.open_stream("Workbook").unwrap().read_to_end(&mut stream).unwrap();
    let bof_len = 4 + usize::from(u16::from_le_bytes([stream[2], stream[3]]));
    let mut patched = stream[..bof_len].to_vec();
    patched.extend_from_slice(&[0x2F, 0x00, 0x36, 0x00, 0x01, 0x00]);
    patched.extend_from_slice(&[0u8; 0x34]);
    patched.extend_from_slice(&stream[bof_len..]);
    let mut s = cfb.open_stream("Workbook").unwrap();
    s.seek(std::io::SeekFrom::Start(0)).unwrap();
    s.write_all(&patched).unwrap();
    drop(s);
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// `path`'s `.ods` with its manifest declaring encryption data, as LibreOffice writes a
/// password-protected document.
fn with_encryption_data(path: &Path) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let mut out = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name == "META-INF/manifest.xml" {
                let text = String::from_utf8(data).unwrap().replace(
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>",
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"><manifest:encryption-data manifest:checksum-type=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k\" manifest:checksum=\"AAAA\"><manifest:algorithm manifest:algorithm-name=\"http://www.w3.org/2001/04/xmlenc#aes256-cbc\" manifest:initialisation-vector=\"AAAA\"/></manifest:encryption-data></manifest:file-entry>",
                );
                assert!(
                    text.contains("encryption-data"),
                    "the manifest has no content.xml entry to patch:\n{text}"
                );
                data = text.into_bytes();
            }
            if name == "content.xml" {
                data = vec![0x5A; data.len()];
            }
            // `mimetype` stays first and stored, as ODS requires.
            let method = match name.as_str() {
                "mimetype" => zip::CompressionMethod::Stored,
                _ => zip::CompressionMethod::Deflated,
            };
            w.start_file(
                name,
                zip::write::SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
            w.write_all(&data).unwrap();
        }
        w.finish().unwrap();
    }
    out
}

/// Issue 17 (item 16): password-protected `.xls` and `.ods` are `file-encrypted` (remove
/// the password), not unsafe or corrupt — as submissions and as TÜİK tables.
#[test]
fn issue_17_password_protected_xls_and_ods_are_file_encrypted() {
    use yeep::sources::guard::Limits;
    use yeep::sources::submission::read_untrusted;
    let xls = shared_data("tuik/xls/issizlik_cinsiyet_2014-2022.xls").expect("a real BIFF table");
    let ods = crate::common::root().join("input/submissions/2023/izum-2023.ods");
    // Unprotected, both are read.
    assert!(yeep::sources::tuik::load_grid_checked(std::fs::read(&xls).unwrap(), None, &Limits::default()).is_ok());
    assert!(read_untrusted(&std::fs::read(&ods).unwrap(), &Limits::default()).is_ok());
    for (name, bytes) in [("xls", with_filepass(&xls)), ("ods", with_encryption_data(&ods))] {
        let e = read_untrusted(&bytes, &Limits::default()).unwrap_err();
        assert_eq!(e.reason.code(), "file-encrypted", "{name} submission: {e}");
        let e = yeep::sources::tuik::load_grid_checked(bytes.clone(), None, &Limits::default()).unwrap_err();
        assert_eq!(e.reason().code(), "file-encrypted", "{name} TÜİK table: {e}");
    }
}

/// Issue 17 (item 16): a cell text over `[limits]` `max_cell_chars` is cut, with a
/// warning at its cell; NUL and other control characters never reach the outputs. (A
/// workbook writer refuses texts over Excel's 32,767, so the test lowers the limit.)
#[test]
fn issue_17_long_texts_are_cut_with_a_warning_and_control_characters_dropped() {
    use yeep::sources::guard::Limits;
    let cat = catalogue();
    let long: &'static str = Box::leak(format!("{}\u{1}x", "ç".repeat(150)).into_boxed_str());
    let bytes = konak(vec![vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, S(long)]]);
    let limits = Limits {
        max_cell_chars: 100,
        ..Limits::default()
    };
    let sub = yeep::sources::submission::read_untrusted(&bytes, &limits).unwrap();
    assert_eq!(sub.cut_texts.len(), 1, "{:?}", sub.cut_texts);
    assert_eq!(
        sub.cut_texts[0].chars, 151,
        "the control character is dropped before counting"
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("k.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let o = submission_file(&cat, &limits, &path, "submissions/2023/k.xlsx", "2023");
    let cut = o
        .diagnostics
        .iter()
        .find(|d| d.reason.code() == "text-cut")
        .expect("a text-cut warning");
    assert_eq!(cut.cell.map(|c| c.to_string()).as_deref(), Some("F2"));
    assert_eq!(cut.note, yeep::diagnostics::Note::TextCut { chars: 151, limit: 100 });
    // The value itself is still judged (not a number); what the report shows is cut and
    // clean.
    let bad = o
        .diagnostics
        .iter()
        .find(|d| d.reason.code() == "value-not-numeric")
        .unwrap();
    assert_eq!(bad.value.chars().count(), 100);
    assert!(o
        .diagnostics
        .iter()
        .all(|d| !d.value.chars().any(|c| c == '\u{1}' || c == '\u{0}')));
    // Under the default limit (Excel's own), nothing is cut.
    let sub = yeep::sources::submission::read_untrusted(&bytes, &Limits::default()).unwrap();
    assert!(sub.cut_texts.is_empty());
}

/// Issue 12 (point 7): a unit's city-wide row below the sum of its own district rows is a
/// warning at the city-wide cell with both numbers; the values are kept. A city-wide row
/// above them (work not attributed to a district) is not.
#[test]
fn issue_12_a_city_wide_row_below_the_units_own_districts_is_a_warning_with_both_numbers() {
    let cat = catalogue();
    let city: &'static str = crate::common::IZMIR_GENELI;
    assert_eq!(cat.city_wide(), city);
    let o = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(30.0)],
            vec![S("egitim-1.1.1-b"), E, S(city), E, E, N(25.0)],
        ]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F3", "city-wide-below-districts"));
    let d = &o.diagnostics[0];
    assert_eq!(
        d.note.render(yeep::model::Lang::En),
        "city-wide 25, sum of the district rows 30"
    );
    assert_eq!(o.observations.len(), 2, "the values stay");
    let fine = run(
        &cat,
        "k.xlsx",
        &konak(vec![
            vec![S("egitim-1.1.1-b"), E, S("Konak"), E, E, N(30.0)],
            vec![S("egitim-1.1.1-b"), E, S(city), E, E, N(35.0)],
        ]),
    );
    assert!(codes(&fine).is_empty(), "{:?}", codes(&fine));
}

/// A Konak workbook whose table has a `Yaş Grubu` column after `Açıklama`.
fn konak_with_age(rows: Vec<Vec<V>>) -> Vec<u8> {
    let mut h = header();
    h.push(S("Yaş Grubu"));
    let mut all = vec![h];
    all.extend(rows);
    book(&konak_info(), "Veri", (0, 0), &all)
}

/// Issue 12 (point 3): breakdown rows are checked against the unit's all-ages row — a
/// breakdown above it is an error at the breakdown's cell, breakdowns adding up past it an
/// error at the all-ages cell — and they are never added into the totals.
#[test]
fn issue_12_breakdowns_are_checked_against_their_total() {
    let cat = catalogue();
    let ind = "egitim-1.2.5-b";
    let row = |age: &'static str, t: f64| vec![S(ind), E, S("Konak"), E, E, N(t), E, S(age)];
    // 15-24: 30 > 20; the rest is kept.
    let o = run(
        &cat,
        "k.xlsx",
        &konak_with_age(vec![row("", 20.0), row("15-24", 30.0), row("25-44", 5.0)]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F3", "breakdown-above-total"));
    assert_eq!(
        o.diagnostics[0].note.render(yeep::model::Lang::En),
        "breakdown 30, all ages 20"
    );
    assert_eq!(o.observations.len(), 2, "the all-ages row and 25-44");
    assert_eq!((o.account.values_accepted, o.account.values_rejected), (2, 1));
    // 12 + 15 > 20: both breakdown rows rejected, the error at the all-ages cell.
    let o = run(
        &cat,
        "k.xlsx",
        &konak_with_age(vec![row("", 20.0), row("15-24", 12.0), row("25-44", 15.0)]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F2", "breakdowns-exceed-total"));
    assert_eq!(o.observations.len(), 1);
    // Breakdowns without the all-ages row: a warning once, the values kept.
    let o = run(
        &cat,
        "k.xlsx",
        &konak_with_age(vec![row("15-24", 12.0), row("25-44", 15.0)]),
    );
    assert_eq!(codes(&o), one("k.xlsx", "F2", "breakdown-without-total"));
    assert_eq!(o.observations.len(), 2);
    // Consistent breakdowns: nothing to say.
    let o = run(
        &cat,
        "k.xlsx",
        &konak_with_age(vec![row("", 20.0), row("15-24", 12.0), row("25-44", 8.0)]),
    );
    assert!(codes(&o).is_empty(), "{:?}", codes(&o));
}
