//! The submission template (issue 3): layout, determinism, and the round trip — every
//! unit's template filled as users fill it (with their quirks) reads back exactly.

use calamine::{Data, Reader};
use yeep::catalogue::Catalogue;
use yeep::model::form::Col;
use yeep::model::lang::Lang;
use yeep::normalise::Sex;
use yeep::pipeline::collect::submission_file;
use yeep::pipeline::Pipeline;
use yeep::sinks::template::{self, Entry, Fill, Input};

use crate::common::{shipped_pipeline, IZMIR_GENELI};

fn catalogue() -> Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

fn open(bytes: Vec<u8>) -> calamine::Sheets<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap()
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn template_layout_for_a_district_municipality() {
    let cat = catalogue();
    let (bytes, _) = template::build(&cat, "ilce-konak", "2023", Lang::Tr, None).unwrap();
    let mut wb = open(bytes);
    assert_eq!(wb.sheet_names(), vec!["Bilgi", "Veri", "Açıklamalar", "Listeler"]);
    let info = wb.worksheet_range("Bilgi").unwrap();
    let labels: Vec<String> = (0..6).map(|r| text(&info, r, 0)).collect();
    assert_eq!(
        labels,
        vec!["Birim", "Birim Kodu", "Dönem", "Hazırlayan", "Tarih", "Şablon Sürümü"]
    );
    assert_eq!(text(&info, 0, 1), "Konak Belediyesi");
    assert_eq!(text(&info, 1, 1), "ilce-konak");
    assert_eq!(text(&info, 2, 1), "2023");
    assert_eq!(text(&info, 5, 1), cat.plan.catalogue_version);
    let data = wb.worksheet_range("Veri").unwrap();
    let header: Vec<String> = (0..data.width() as u32).map(|c| text(&data, 0, c)).collect();
    assert_eq!(
        header[..6],
        ["Gösterge Kodu", "Gösterge", "İlçe", "Kadın", "Erkek", "Toplam"]
    );
    assert_eq!(header.last().unwrap(), "Açıklama");
    // One row per indicator: the unit's own district, or İzmir Geneli when not by district.
    let n = cat.indicators_for_unit("ilce-konak").count();
    assert_eq!(data.height(), n + 1);
    for r in 1..=n as u32 {
        let ind = cat.indicator(&text(&data, r, 0)).unwrap();
        let want = if ind.by_district { "Konak" } else { IZMIR_GENELI };
        assert_eq!(text(&data, r, 2), want);
    }
    let lists = wb.worksheet_range("Listeler").unwrap();
    assert_eq!(lists.height(), 31);
}

#[test]
fn breakdown_columns_only_when_the_unit_has_them_and_english_labels() {
    let cat = catalogue();
    let mut wb = open(
        template::build(&cat, "kadin-calismalari", "2023", Lang::Tr, None)
            .unwrap()
            .0,
    );
    let data = wb.worksheet_range("Veri").unwrap();
    let header: Vec<String> = (0..data.width() as u32).map(|c| text(&data, 0, c)).collect();
    assert!(!header.iter().any(|h| h == "Yaş Grubu" || h == "Engellilik"));
    // Not a district municipality: a block of drop-down rows for the by-district indicator.
    assert_eq!(data.height(), 1 + template::DISTRICT_BLOCK_ROWS);

    let mut wb = open(
        template::build(&cat, "sosyal-projeler", "2023", Lang::En, None)
            .unwrap()
            .0,
    );
    assert_eq!(wb.sheet_names(), vec!["Info", "Data", "Instructions", "Listeler"]);
    let data = wb.worksheet_range("Data").unwrap();
    let header: Vec<String> = (0..data.width() as u32).map(|c| text(&data, 0, c)).collect();
    assert_eq!(
        header,
        [
            "Indicator Code",
            "Indicator",
            "District",
            "Women",
            "Men",
            "Total",
            "Age Group",
            "Disability",
            "Note"
        ]
    );
}

#[test]
fn template_bytes_are_deterministic() {
    let cat = catalogue();
    let a = template::build(&cat, "sosyal-projeler", "2023", Lang::Tr, None)
        .unwrap()
        .0;
    let b = template::build(&cat, "sosyal-projeler", "2023", Lang::Tr, None)
        .unwrap()
        .0;
    assert_eq!(a, b);
}

#[test]
fn templates_for_every_reporting_unit() {
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    let paths = template::write_templates(&cat, "2023", None, dir.path(), Lang::Tr).unwrap();
    assert_eq!(paths.len(), cat.reporting_units().len());
    assert!(dir.path().join("ilce-konak-2023.xlsx").is_file());
    let one = template::write_templates(&cat, "2023", Some("Konak Belediyesi"), dir.path(), Lang::Tr).unwrap();
    assert_eq!(one, vec![dir.path().join("ilce-konak-2023.xlsx")]);
}

/// The quirks users bring, one set per unit in turn.
fn quirks(i: usize, cat: &Catalogue, unit: &str) -> (Fill, Lang) {
    let mut fill = Fill {
        prepared_by: Some(Input::Text("Ayşe Yılmaz".into())),
        date: Some(Input::Date(2024, 2, 1)),
        ..Fill::default()
    };
    let lang = if i % 5 == 4 { Lang::En } else { Lang::Tr };
    match i % 5 {
        0 => {
            fill.data_sheet_name = Some("VERİ".into());
            fill.headers = vec![(Col::Female, "KADIN".into()), (Col::District, "ILCE".into())];
        }
        1 => {
            fill.title_rows = 3;
            fill.blank_row_between_indicators = true;
        }
        2 => {
            let unit = cat.unit(unit).unwrap();
            let mut cols = template::template_columns(cat, unit);
            cols.reverse();
            fill.columns = Some(cols);
        }
        3 => {
            fill.totals_row = Some(1.0);
            fill.headers = vec![(Col::Female, "K".into()), (Col::Male, "E".into())];
        }
        _ => {}
    }
    (fill, lang)
}

#[test]
fn round_trip_every_unit_template_filled_with_quirks() {
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    for (i, unit) in cat.reporting_units().iter().enumerate() {
        let rows = template::template_rows(&cat, unit);
        let (mut fill, lang) = quirks(i, &cat, &unit.id);
        let mut expected = Vec::new();
        let mut block = 0;
        for (r, row) in rows.iter().enumerate() {
            let ind = row.indicator;
            block = if r > 0 && rows[r - 1].indicator.id == ind.id {
                block + 1
            } else {
                0
            };
            if row.district.is_none() && block >= 3 {
                continue; // the rest of the drop-down block stays empty
            }
            let district = row
                .district
                .clone()
                .unwrap_or_else(|| cat.districts[block * 7].name.clone());
            let mut values = Vec::new();
            if row.district.is_none() {
                // Typed without Turkish letters, in capitals.
                values.push((
                    Col::District,
                    Input::Text(yeep::normalise::fold(&district).to_uppercase()),
                ));
            }
            let n = (r * 37 % 1500 + 1) as f64;
            if ind.by_sex {
                // Women typed as text with a Turkish thousands separator when large.
                let women = if n >= 1000.0 {
                    Input::Text(format!("{}.{:03}", n as u64 / 1000, n as u64 % 1000))
                } else {
                    Input::Number(n)
                };
                values.push((Col::Female, women));
                values.push((Col::Male, Input::Number(3.0)));
                values.push((Col::Total, Input::Number(n + 3.0)));
                expected.push((ind.id.clone(), district.clone(), Sex::Female, n, Col::Female, r));
                expected.push((ind.id.clone(), district.clone(), Sex::Male, 3.0, Col::Male, r));
                expected.push((ind.id.clone(), district.clone(), Sex::Total, n + 3.0, Col::Total, r));
            } else {
                values.push((Col::Total, Input::Number(n)));
                expected.push((ind.id.clone(), district.clone(), Sex::Total, n, Col::Total, r));
            }
            fill.entries.push(Entry { row: r, values });
        }
        let (bytes, written) = template::build(&cat, &unit.id, "2023", lang, Some(&fill)).unwrap();
        let rel = format!("submissions/2023/{}-2023.xlsx", unit.id);
        let path = dir.path().join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let o = submission_file(&cat, &yeep::sources::guard::Limits::default(), &path, &rel, "2023");
        assert!(o.diagnostics.is_empty(), "{}: {:?}", unit.id, o.diagnostics);
        assert_eq!(o.account.unit_id, unit.id);
        assert_eq!(o.account.values_read, o.account.values_accepted);
        let cell_of = |row: usize, col: Col| {
            written
                .iter()
                .find(|w| w.row == row && w.col == col)
                .unwrap()
                .cell
                .to_string()
        };
        let mut want: Vec<(String, String, Sex, String, String)> = expected
            .iter()
            .map(|(ind, d, sex, v, col, row)| (ind.clone(), d.clone(), *sex, v.to_string(), cell_of(*row, *col)))
            .collect();
        let mut got: Vec<(String, String, Sex, String, String)> = o
            .observations
            .iter()
            .map(|x| {
                (
                    x.indicator_id.clone(),
                    x.district.clone(),
                    x.sex,
                    x.value.to_string(),
                    x.source_cell.clone(),
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{}", unit.id);
        let sheet = fill
            .data_sheet_name
            .clone()
            .unwrap_or_else(|| yeep::model::form::data_sheet(lang).into());
        assert!(o.observations.iter().all(|x| x.source_sheet == sheet));
    }
}
