//! Issue 13, item 2: the layouts TÜİK actually publishes. Regression tests built from
//! tables made here (each named after what it pins), and every real table of
//! `../shared/data/tuik/` read through a hand-written `[[tuik]]` mapping, each value
//! checked against its cell (values and cells read off the files by hand).

use std::collections::BTreeMap;

use rust_xlsxwriter::Workbook;
use yeep::diagnostics::Note;
use yeep::normalise::{NumberCell, Sex};
use yeep::pipeline::{Pipeline, TuikMapping};
use yeep::sources::guard::Limits;
use yeep::sources::tuik::extract::{extract, Selected};
use yeep::sources::tuik::{load_grid, MappingRead};

use crate::common::{shared_data, shipped_pipeline, IZMIR_GENELI};

fn catalogue() -> yeep::catalogue::Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

/// A `[[tuik]]` mapping from its pipeline-file text (without `files`), checked.
fn mapping(files: &str, body: &str) -> TuikMapping {
    let text = format!("[[tuik]]\nfiles = {files:?}\n{body}");
    let mut parsed: BTreeMap<String, Vec<TuikMapping>> =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{files}: {e}\n{text}"));
    let m = parsed.remove("tuik").unwrap().remove(0);
    m.check().unwrap_or_else(|e| panic!("{files}: {e}\n{text}"));
    m
}

/// A sheet written with rust_xlsxwriter: `rows` from row 1 (`""` empty; numbers as
/// numbers), `merges` as (first row, first col, last row, last col), 0-based.
fn xlsx(rows: &[&[&str]], merges: &[(u32, u16, u32, u16)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if merges.iter().any(|m| (m.0, m.1) == (r, c)) || v.is_empty() {
                continue;
            }
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).unwrap(),
                Err(_) => ws.write_string(r, c, *v).unwrap(),
            };
        }
    }
    for &(r1, c1, r2, c2) in merges {
        let text = rows[r1 as usize][c1 as usize];
        ws.merge_range(r1, c1, r2, c2, text, &rust_xlsxwriter::Format::new())
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The cells a mapping selects from a made table, as (cell, value, period, sex).
fn read_made(
    bytes: Vec<u8>,
    body: &str,
) -> Result<Vec<(String, f64, String, Sex)>, yeep::sources::tuik::extract::Mismatch> {
    let grid = load_grid(bytes, None).unwrap();
    let m = mapping("t.xlsx", body);
    let cat = catalogue();
    let sel = extract(&grid, &m, cat.districts_index())?;
    Ok(sel
        .iter()
        .map(|s| (s.cell().to_string(), number(s), s.period.clone(), s.sex))
        .collect())
}

fn number(s: &Selected) -> f64 {
    match s.value {
        Ok(NumberCell::Value(v)) => v,
        ref other => panic!("{}: not a number: {other:?} ({:?})", s.cell(), s.raw),
    }
}

fn cells(v: &[(&str, f64, &str, Sex)]) -> Vec<(String, f64, String, Sex)> {
    v.iter()
        .map(|(c, x, p, s)| (c.to_string(), *x, p.to_string(), *s))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Problem 2: a year cell not merged over its sex columns.

#[test]
fn issue_13_year_written_once_over_its_sex_columns_spans_them() {
    let body = "indicator = \"ctx-x\"\narea = { row = \"İzmir\" }\nyears = [\"2021\"]\nsex = \"columns\"\n";
    let want = cells(&[
        ("E4", 51.0, "2021", Sex::Total),
        ("F4", 70.0, "2021", Sex::Male),
        ("G4", 33.0, "2021", Sex::Female),
    ]);
    // Written once, in the group's first column (no merge).
    let left = xlsx(
        &[
            &["İşgücüne katılma oranı"],
            &["", "2020", "", "", "2021", "", ""],
            &["İl", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın"],
            &["İzmir", "50", "69", "34", "51", "70", "33"],
            &["Manisa", "48", "66", "30", "49", "67", "31"],
        ],
        &[],
    );
    assert_eq!(read_made(left, body).unwrap(), want);
    // Written once above the middle column ("Erkek"): before, only the men's value came
    // out and total and women vanished without an error.
    let centred = xlsx(
        &[
            &["İşgücüne katılma oranı"],
            &["", "", "2020", "", "", "2021", ""],
            &["İl", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın"],
            &["İzmir", "50", "69", "34", "51", "70", "33"],
        ],
        &[],
    );
    assert_eq!(read_made(centred, body).unwrap(), want);
    // Merged, as before.
    let merged = xlsx(
        &[
            &["İşgücüne katılma oranı"],
            &["", "2020", "", "", "2021", "", ""],
            &["İl", "Toplam", "Erkek", "Kadın", "Toplam", "Erkek", "Kadın"],
            &["İzmir", "50", "69", "34", "51", "70", "33"],
        ],
        &[(1, 1, 1, 3), (1, 4, 1, 6)],
    );
    assert_eq!(read_made(merged, body).unwrap(), want);
}

#[test]
fn issue_13_a_header_written_once_does_not_span_past_its_parent_or_a_stacked_label() {
    // `Yıl 2020` under a parent merged over B:D only: 2020 stops at D even though the next
    // header cell of its row is far right; the count column E has no year.
    let bytes = xlsx(
        &[
            &["", "Oran (%)", "", "", "Sayı"],
            &["", "2020", "", "", ""],
            &["İl", "Toplam", "Erkek", "Kadın", "Toplam"],
            &["İzmir", "50", "69", "34", "1200"],
        ],
        &[(0, 1, 0, 3)],
    );
    let got = read_made(
        bytes.clone(),
        "indicator = \"ctx-x\"\narea = { row = \"İzmir\" }\nyears = [\"2020\"]\nsex = \"columns\"\n",
    )
    .unwrap();
    assert_eq!(got.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["B4", "C4", "D4"]);
    // A label stacked down its column (`Toplam` / `hanehalkı`) stays over its column, and
    // is one label.
    let stacked = xlsx(
        &[
            &["", "Toplam", "", ""],
            &["", "hanehalkı", "", ""],
            &["İl", "Total", "Ev sahibi", "Kiracı"],
            &["İzmir", "100", "60", "40"],
        ],
        &[],
    );
    let got = read_made(
        stacked,
        "columns = { \"Toplam hanehalkı\" = \"ctx-x\" }\narea = { row = \"İzmir\" }\nyear = \"2000\"\n",
    )
    .unwrap();
    assert_eq!(got, cells(&[("B4", 100.0, "2000", Sex::Total)]));
}

// ---------------------------------------------------------------------------------------
// Problem 3: blank rows inside or below the header block.

#[test]
fn issue_13_a_blank_row_between_header_and_data_keeps_the_header() {
    let body =
        "indicator = \"ctx-x\"\ndistrict = \"Türkiye\"\nyear_column = \"Yıl\"\nyears = [\"2021\"]\nsex = \"columns\"\n";
    let bytes = xlsx(
        &[
            &["İşsizlik oranı, 2019-2021"],
            &[],
            &["", "Cinsiyet"],
            &[],
            &["Yıl", "Toplam", "Erkek", "Kadın"],
            &[],
            &["2019", "13.7", "12.4", "16.5"],
            &["2020", "13.1", "12.3", "14.9"],
            &["2021", "12", "10.7", "14.7"],
        ],
        &[(2, 1, 2, 3)],
    );
    // Before: `column "Yıl" not found`, though the label is there.
    assert_eq!(
        read_made(bytes, body).unwrap(),
        cells(&[
            ("B9", 12.0, "2021", Sex::Total),
            ("C9", 10.7, "2021", Sex::Male),
            ("D9", 14.7, "2021", Sex::Female),
        ])
    );
}

// ---------------------------------------------------------------------------------------
// Problem 5: labels in any stub column.

#[test]
fn issue_13_a_province_right_of_its_plate_code_is_mapped_by_name_or_code() {
    let bytes = xlsx(
        &[
            &["İl kodu", "İl", "Toplam", "Erkek", "Kadın"],
            &["34", "İstanbul", "52", "70", "35"],
            &["35", "İzmir", "51.6", "69", "34.7"],
            &["45", "Manisa", "50", "68", "33"],
        ],
        &[],
    );
    let want = cells(&[
        ("C3", 51.6, "2020", Sex::Total),
        ("D3", 69.0, "2020", Sex::Male),
        ("E3", 34.7, "2020", Sex::Female),
    ]);
    for area in ["İzmir", "35"] {
        let body =
            format!("indicator = \"ctx-x\"\narea = {{ row = \"{area}\" }}\nyear = \"2020\"\nsex = \"columns\"\n");
        assert_eq!(read_made(bytes.clone(), &body).unwrap(), want, "{area}");
    }
}

#[test]
fn issue_13_education_levels_by_sex_under_each_province_map_to_izmir() {
    // TÜİK's education-level-by-sex province tables: the province written once over its
    // block of education rows in column A, the level in column B.
    let bytes = xlsx(
        &[
            &["İl", "Eğitim durumu", "Toplam", "Erkek", "Kadın"],
            &["İstanbul", "Toplam", "60", "72", "48"],
            &["", "Okuma yazma bilmeyen", "20", "30", "18"],
            &["", "Yükseköğretim", "80", "85", "75"],
            &["İzmir", "Toplam", "55", "68", "42"],
            &["", "Okuma yazma bilmeyen", "15", "25", "12"],
            &["", "Yükseköğretim", "78", "82", "74"],
            &["Manisa", "Toplam", "50", "66", "35"],
            &["", "Yükseköğretim", "70", "75", "66"],
        ],
        &[],
    );
    let body = "rows = { \"Yükseköğretim\" = \"ctx-y\", \"Okuma yazma bilmeyen\" = \"ctx-o\" }\narea = { row = \"İzmir\" }\nyear = \"2020\"\nsex = \"columns\"\n";
    assert_eq!(
        read_made(bytes.clone(), body).unwrap(),
        cells(&[
            ("C6", 15.0, "2020", Sex::Total),
            ("D6", 25.0, "2020", Sex::Male),
            ("E6", 12.0, "2020", Sex::Female),
            ("C7", 78.0, "2020", Sex::Total),
            ("D7", 82.0, "2020", Sex::Male),
            ("E7", 74.0, "2020", Sex::Female),
        ])
    );
    // The province's own row (its total) by the province name alone.
    let body = "indicator = \"ctx-x\"\narea = { row = \"İzmir\" }\nyear = \"2020\"\nsex = \"columns\"\n";
    let got = read_made(bytes.clone(), body);
    // `İzmir` names a block of three rows: a second one is a located error, never a guess.
    let err = got.unwrap_err();
    assert_eq!(err.cell.to_string(), "A6");
    assert!(matches!(err.note, Note::SecondRow { .. }), "{:?}", err.note);
}

#[test]
fn issue_13_sex_and_year_section_rows_in_column_b_are_read() {
    // A code column A, the labels in B, sex and year section rows in B.
    let bytes = xlsx(
        &[
            &["Kod", "İl", "Oran"],
            &["", "2021"],
            &["", "Toplam-Total"],
            &["TR310", "İzmir", "10"],
            &["TR100", "İstanbul", "11"],
            &["", "Erkek-Male"],
            &["TR310", "İzmir", "8"],
            &["TR100", "İstanbul", "9"],
            &["", "Kadın-Female"],
            &["TR310", "İzmir", "12"],
            &["TR100", "İstanbul", "13"],
            &["", "2020"],
            &["", "Toplam-Total"],
            &["TR310", "İzmir", "20"],
        ],
        &[],
    );
    let body = "indicator = \"ctx-x\"\narea = { row = \"İzmir\" }\nyears = [\"2021\"]\nsex = \"rows\"\n";
    assert_eq!(
        read_made(bytes.clone(), body).unwrap(),
        cells(&[
            ("C4", 10.0, "2021", Sex::Total),
            ("C7", 8.0, "2021", Sex::Male),
            ("C10", 12.0, "2021", Sex::Female),
        ])
    );
    let body = "indicator = \"ctx-x\"\narea = { row = \"TR310\" }\nyears = [\"2020\"]\nsex = \"rows\"\n";
    assert_eq!(
        read_made(bytes, body).unwrap(),
        cells(&[("C14", 20.0, "2020", Sex::Total)])
    );
}

#[test]
fn issue_13_districts_under_their_province_are_told_apart() {
    // `İzmir | ` is the province, `İzmir | Bornova` a district (TÜİK's SES il/ilçe table).
    let bytes = xlsx(
        &[
            &["İl", "İlçe", "Skor"],
            &["İzmir", "", "138.3"],
            &["İzmir", "Aliağa", "150.1"],
            &["İzmir", "Bornova", "144.9"],
            &["Manisa", "", "120"],
            &["Manisa", "Akhisar", "118"],
        ],
        &[],
    );
    for (area, cell, v) in [("İzmir", "C2", 138.3), ("Bornova", "C4", 144.9)] {
        let body = format!("indicator = \"ctx-x\"\narea = {{ row = \"{area}\" }}\nyear = \"2023\"\n");
        assert_eq!(
            read_made(bytes.clone(), &body).unwrap(),
            cells(&[(cell, v, "2023", Sex::Total)]),
            "{area}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Every real table.

/// One value a mapping must read from a real table: (cell, value, period, sex, district).
type Want = (&'static str, f64, &'static str, Sex, &'static str);

struct Case {
    /// Path under `tuik/` of the shared data.
    file: &'static str,
    /// The sheet the values are on.
    sheet: &'static str,
    /// The mapping, as written in the pipeline file (without `files`).
    mapping: &'static str,
    want: &'static [Want],
}

const HTML_SHEET_1: &str = "01-05-2024-23:08:20-648123223540229308724323913ZOBgNt8E";

const CASES: &[Case] = &[
    Case {
        file: "html_xls/secim_sonuclari_2018_izmir_1.xls",
        sheet: HTML_SHEET_1,
        mapping: "columns = { \"CHP\" = \"ctx-t\" }\narea = { row = \"Çeşme\" }\nyear = \"2018\"\n",
        want: &[("O6", 15478.0, "2018", Sex::Total, "Çeşme")],
    },
    Case {
        file: "html_xls/secim_sonuclari_2018_izmir_2.xls",
        sheet: "",
        mapping: "columns = { \"AK PARTİ\" = \"ctx-t\" }\narea = { row = \"Bornova\" }\nyear = \"2018\"\n",
        want: &[("J12", 79427.0, "2018", Sex::Total, "Bornova")],
    },
    Case {
        file: "html_xls/secmen_profili_2018_izmir_bornova.xls",
        sheet: "",
        mapping: "rows = { \"18-24\" = \"ctx-t\" }\narea = { above = \"Bornova\" }\nyear = \"2018\"\nsex = \"columns\"\n",
        want: &[
            ("C4", 21548.0, "2018", Sex::Male, "Bornova"),
            ("D4", 22191.0, "2018", Sex::Female, "Bornova"),
            ("E4", 43739.0, "2018", Sex::Total, "Bornova"),
        ],
    },
    Case {
        file: "html_xls/secmen_profili_2018_izmir_buca.xls",
        sheet: "",
        mapping: "rows = { \"18-24\" = \"ctx-t\" }\narea = { above = \"Buca\" }\nyear = \"2018\"\nsex = \"columns\"\n",
        want: &[
            ("C4", 24962.0, "2018", Sex::Male, "Buca"),
            ("D4", 25074.0, "2018", Sex::Female, "Buca"),
            ("E4", 50036.0, "2018", Sex::Total, "Buca"),
        ],
    },
    Case {
        file: "html_xls/secmen_profili_2018_izmir_karsiyaka.xls",
        sheet: "",
        mapping: "rows = { \"18-24\" = \"ctx-t\" }\narea = { above = \"Karşıyaka\" }\nyear = \"2018\"\nsex = \"columns\"\n",
        want: &[
            ("C4", 12694.0, "2018", Sex::Male, "Karşıyaka"),
            ("D4", 13240.0, "2018", Sex::Female, "Karşıyaka"),
            ("E4", 25934.0, "2018", Sex::Total, "Karşıyaka"),
        ],
    },
    Case {
        file: "html_xls/secmen_profili_2018_izmir_konak.xls",
        sheet: "",
        mapping: "rows = { \"18-24\" = \"ctx-t\" }\narea = { above = \"Konak\" }\nyear = \"2018\"\nsex = \"columns\"\n",
        want: &[
            ("C4", 16404.0, "2018", Sex::Male, "Konak"),
            ("D4", 16001.0, "2018", Sex::Female, "Konak"),
            ("E4", 32405.0, "2018", Sex::Total, "Konak"),
        ],
    },
    Case {
        file: "sdmx_csv/adnks_t17_nufus_gostergeleri.csv",
        sheet: "",
        mapping: "indicator = \"ctx-t\"\ndistrict = \"Türkiye\"\nfilters = { ADNKS_GOSTERGE = \"NUFUS_YOG\" }\nyear_column = \"TIME_PERIOD\"\nyears = [\"2020\"]\nvalue_column = \"Gözlem\"\n",
        want: &[("J26", 108.7385649, "2020", Sex::Total, "Türkiye")],
    },
    Case {
        file: "sdmx_csv/adnks_t30_il_nufuslari.csv",
        sheet: "",
        mapping: "indicator = \"ctx-t\"\narea = { column = \"IKAMET_YERI\", value = \"TR310\" }\nfilters = { ADNKS_GOSTERGE = \"NUFUS\" }\nyear_column = \"TIME_PERIOD\"\nyears = [\"2020\"]\nvalue_column = \"Gözlem\"\n",
        want: &[("L148", 4394694.0, "2020", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/arope_ibbs2_bolge_2016-2024.xls",
        sheet: "d2",
        mapping: "indicator = \"ctx-t\"\narea = { row = \"İzmir\" }\nyears = [\"2020\"]\n",
        want: &[("F10", 24.07, "2020", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/arope_yas_cinsiyet_2015-2024.xls",
        sheet: "tablo6",
        mapping: "rows = { \"0-17\" = \"ctx-t\" }\ndistrict = \"Türkiye\"\nyears = [\"2020\"]\nsex = \"rows\"\n",
        want: &[
            ("G7", 41.93, "2020", Sex::Total, "Türkiye"),
            ("G12", 41.07, "2020", Sex::Male, "Türkiye"),
            ("G17", 42.84, "2020", Sex::Female, "Türkiye"),
        ],
    },
    Case {
        file: "xls/cocuk_yoksunluk_2024.xls",
        sheet: "Yoksulluk",
        mapping: "rows = { \"Yaşa uygun kitap\" = \"ctx-t\" }\nunder = \"Yoksul\"\ndistrict = \"Türkiye\"\nyear = \"2024\"\n",
        want: &[("C10", 75.8, "2024", Sex::Total, "Türkiye")],
    },
    Case {
        file: "xls/issizlik_cinsiyet_2014-2022.xls",
        sheet: "t908",
        mapping: "columns = { \"İşsizlik oranı\" = \"ctx-t\" }\ndistrict = \"Türkiye\"\nyears = [\"2020\"]\nsex = \"rows\"\n",
        want: &[
            ("C13", 13.154605163, "2020", Sex::Total, "Türkiye"),
            ("C23", 12.314948639, "2020", Sex::Male, "Türkiye"),
            ("C33", 14.968722324, "2020", Sex::Female, "Türkiye"),
        ],
    },
    Case {
        file: "xls/konut_mulkiyet_il_2000.xls",
        sheet: "Sayfa1",
        mapping: "columns = { \"Kiracı\" = \"ctx-kiraci\", \"Ev sahibi\" = \"ctx-ev-sahibi\", \"Total number of households\" = \"ctx-hanehalki\" }\narea = { row = \"İzmir\" }\nyear = \"2000\"\n",
        want: &[
            ("B46", 922729.0, "2000", Sex::Total, IZMIR_GENELI),
            ("C46", 591974.0, "2000", Sex::Total, IZMIR_GENELI),
            ("D46", 249897.0, "2000", Sex::Total, IZMIR_GENELI),
        ],
    },
    Case {
        file: "xls/konut_mutfak_il_2011.xls",
        sheet: "6.29",
        mapping: "columns = { \"Konutta ikamet eden hanehalkı sayısı\" = \"ctx-t\" }\narea = { row = \"İzmir\" }\nyear = \"2011\"\n",
        want: &[("B43", 1212.0, "2011", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/konut_oda_sayisi_il_2021.xls",
        sheet: "t13",
        mapping: "columns = { \"Average number of rooms in dwellings\" = \"ctx-t\" }\narea = { row = \"İzmir\" }\nyear = \"2021\"\n",
        want: &[("C41", 3.505583703832647, "2021", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/medas_tarim_izmir_ilceleri.xls",
        sheet: "Sheet0",
        mapping: "rows = { \"Ekilen Alan ve 01.13.21.00.00. (Karpuz) - Dekar\" = \"ctx-t\" }\narea = { header = \"Bayındır\" }\nyears = [\"2020\"]\n",
        want: &[("D11", 1450.0, "2020", Sex::Total, "Bayındır")],
    },
    Case {
        file: "xls/meyve_tuketimi_cinsiyet_yas_2010-2022.xls",
        sheet: "t26",
        mapping: "rows = { \"Once or more a day\" = \"ctx-t\" }\narea = { row = \"Toplam\" }\ndistrict = \"Türkiye\"\nyears = [\"2022\"]\nsex = \"columns\"\n",
        want: &[
            ("W10", 36.499734415132075, "2022", Sex::Total, "Türkiye"),
            ("X10", 34.285071408749346, "2022", Sex::Male, "Türkiye"),
            ("Y10", 38.669941698059425, "2022", Sex::Female, "Türkiye"),
        ],
    },
    Case {
        file: "xls/ses_il_2023.xls",
        sheet: "İl",
        mapping: "columns = { \"Toplam\" = \"ctx-t\" }\narea = { row = \"İzmir\" }\nyear = \"2023\"\n",
        want: &[("C47", 1556631.3333333333, "2023", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/ses_il_ilce_2023.xls",
        sheet: "Oran-1",
        mapping: "columns = { \"Average SES score\" = \"ctx-t\" }\narea = { row = \"Bornova\" }\nyear = \"2023\"\n",
        want: &[("C540", 144.9466666666667, "2023", Sex::Total, "Bornova")],
    },
    Case {
        file: "xls/ses_il_ilce_2023.xls",
        sheet: "Oran-1",
        mapping: "columns = { \"Average SES score\" = \"ctx-t\" }\narea = { row = \"İzmir\" }\nyear = \"2023\"\n",
        want: &[("C533", 138.28666666666666, "2023", Sex::Total, IZMIR_GENELI)],
    },
    Case {
        file: "xls/trafik_olu_yarali_yas_grubu.xls",
        sheet: "Sayfa1",
        mapping: "columns = { \"Ölü sayısı\" = \"ctx-t\" }\nunder = \"0 - 9\"\ndistrict = \"Türkiye\"\nyears = [\"2020\"]\n",
        want: &[("B25", 198.0, "2020", Sex::Total, "Türkiye")],
    },
    Case {
        file: "xls/yoksulluk_egitim_cinsiyet_2015-2024.xls",
        sheet: "A_6",
        mapping: "rows = { \"Lise altı eğitimliler\" = \"ctx-t\" }\ndistrict = \"Türkiye\"\nyears = [\"2020\"]\nsex = \"columns\"\n",
        want: &[
            ("V12", 21.201145699788874, "2020", Sex::Total, "Türkiye"),
            ("W12", 22.340969902866675, "2020", Sex::Male, "Türkiye"),
            ("X12", 19.94006711495657, "2020", Sex::Female, "Türkiye"),
        ],
    },
];

#[test]
fn issue_13_every_real_tuik_table_maps_values_to_their_cells() {
    let Some(base) = shared_data("tuik") else {
        return;
    };
    let cat = catalogue();
    // Every real file has a case (a new file in the corpus needs one).
    let mut files = Vec::new();
    for kind in ["xls", "html_xls", "sdmx_csv"] {
        for e in std::fs::read_dir(base.join(kind)).unwrap().flatten() {
            files.push(format!("{kind}/{}", e.file_name().to_string_lossy()));
        }
    }
    files.sort();
    assert_eq!(files.len(), 21, "the real TÜİK corpus changed");
    for f in &files {
        assert!(CASES.iter().any(|c| c.file == f), "{f}: no mapping case");
    }
    let mut failures = Vec::new();
    for case in CASES {
        let name = case.file.rsplit('/').next().unwrap();
        let bytes = std::fs::read(base.join(case.file)).unwrap();
        let m = mapping(name, case.mapping);
        let read = yeep::sources::tuik::read(&bytes, &[&m], &Limits::default(), cat.districts_index());
        let (sheet, sel) = match &read[0] {
            MappingRead::Selected { sheet, cells } => (sheet, cells),
            other => {
                failures.push(format!("{}: {other:?}", case.file));
                continue;
            }
        };
        if !case.sheet.is_empty() && sheet != case.sheet {
            failures.push(format!("{}: sheet {sheet:?}, expected {:?}", case.file, case.sheet));
        }
        let got: Vec<(String, f64, String, Sex, String)> = sel
            .iter()
            .map(|s| {
                (
                    s.cell().to_string(),
                    number(s),
                    s.period.clone(),
                    s.sex,
                    s.district.clone(),
                )
            })
            .collect();
        let want: Vec<(String, f64, String, Sex, String)> = case
            .want
            .iter()
            .map(|(c, v, p, s, d)| (c.to_string(), *v, p.to_string(), *s, d.to_string()))
            .collect();
        let sorted = |mut v: Vec<(String, f64, String, Sex, String)>| {
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        if sorted(got.clone()) != sorted(want.clone()) {
            failures.push(format!("{} ({}):\n  got  {got:?}\n  want {want:?}", case.file, sheet));
        }
        // Each value is the cell's own content.
        let grid = load_grid(bytes.clone(), m.sheet.as_deref()).unwrap();
        for s in sel {
            let own = yeep::sources::tuik::extract::value_of(grid.cell(s.row, s.col), &grid);
            assert_eq!(own, s.value, "{} {}", case.file, s.cell());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn issue_13_the_pipeline_file_accepts_under_and_area_header_and_still_refuses_unknown_keys() {
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&crate::common::root().join("pipelines"), &tmp.path().join("pipelines"));
    let path = tmp.path().join("pipelines/izmir-2022-2024.toml");
    let shipped = std::fs::read_to_string(&path).unwrap();
    let extra = "[[tuik]]\nfiles = \"trafik_*.xls\"\ncolumns = { \"Ölü sayısı\" = \"ctx-nufus\" }\nunder = \"0 - 9\"\ndistrict = \"Türkiye\"\nyears = [\"2020\"]\n\n[[tuik]]\nfiles = \"medas_*.xls\"\nindicator = \"ctx-nufus\"\narea = { header = \"Bayındır\" }\nyears = [\"2020\"]\n";
    std::fs::write(&path, format!("{shipped}\n{extra}")).unwrap();
    let p = Pipeline::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let cat = p.catalogue().unwrap();
    p.check_against(&cat).unwrap_or_else(|e| panic!("{e}"));
    let n = p.tuik.len();
    assert_eq!(p.tuik[n - 2].under.as_deref(), Some("0 - 9"));
    assert_eq!(
        p.tuik[n - 1].area.as_ref().and_then(|a| a.header.as_deref()),
        Some("Bayındır")
    );
    // A misspelt key is still a configuration error at its mapping.
    std::fs::write(&path, format!("{shipped}\n{}", extra.replace("under =", "undr ="))).unwrap();
    let e = Pipeline::load(&path).unwrap_err().to_string();
    assert!(e.contains("undr"), "{e}");
    // area.header is one of the area's shapes: not with row.
    std::fs::write(
        &path,
        format!(
            "{shipped}\n{}",
            extra.replace(
                "area = { header = \"Bayındır\" }",
                "area = { header = \"Bayındır\", row = \"İzmir\" }"
            )
        ),
    )
    .unwrap();
    let e = Pipeline::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("exactly one of row, column + value, header, or above"),
        "{e}"
    );
}
