//! A second plan (issue 10): the invented Örnekkent plan in `tests/plans/` goes through
//! `yeep template` and `yeep run` end to end, and nothing of İzmir shows: the city-wide row
//! is the plan's own (`Örnekkent Geneli`), the drop-down lists its own areas. Also guards
//! that no string in `src/` names İzmir.

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, DataType, Reader};
use rust_xlsxwriter::{Format, Workbook};
use yeep::catalogue::Catalogue;
use yeep::model::form::Col;
use yeep::model::Lang;
use yeep::pipeline::Pipeline;
use yeep::sinks::template::{self, Entry, Fill, Input};

use crate::common::{copy_dir, root};

const CITY_WIDE: &str = "Örnekkent Geneli";
const DISTRICTS: [&str; 5] = ["Batıyaka", "Doğuçay", "Güneytepe", "Kuzeyköy", "Ortakent"];

/// The Örnekkent plan copied into a temporary folder (its `input/` and `output/` land there).
fn plan() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let plans = root().join("tests/plans");
    std::fs::copy(
        plans.join("ornekkent-2025-2027.toml"),
        dir.path().join("ornekkent-2025-2027.toml"),
    )
    .unwrap();
    copy_dir(
        &plans.join("ornekkent-2025-2027"),
        &dir.path().join("ornekkent-2025-2027"),
    );
    let pipeline = dir.path().join("ornekkent-2025-2027.toml");
    (dir, pipeline)
}

fn yeep(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

/// Whether a text names İzmir in any spelling (Turkish folding: `İZMİR`, `Izmir`, `izmir`).
fn names_izmir(text: &str) -> bool {
    yeep::normalise::fold(text).contains("izmir")
}

/// The text of every part of an xlsx (zip) file.
fn xlsx_parts(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            (part.name().unwrap().to_string(), text)
        })
        .collect()
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
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

/// Asserts that no file under `dir` names İzmir: xlsx parts, text files, and the string
/// columns of Parquet files (the re-run cache and the lock are not outputs). Returns the
/// number of files checked.
fn assert_no_izmir(dir: &Path) -> usize {
    use polars_io::prelude::{ParquetReader, SerReader};
    let all: Vec<PathBuf> = files(dir)
        .into_iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == ".yeep-state") && !f.ends_with(".yeep.lock"))
        .collect();
    for f in &all {
        let name = f.display().to_string();
        assert!(!names_izmir(&name), "{name}");
        match f.extension().and_then(|e| e.to_str()) {
            Some("xlsx") => {
                for (part, text) in xlsx_parts(f) {
                    assert!(!names_izmir(&text), "{name}: {part} names İzmir");
                }
            }
            Some("parquet") => {
                let df = ParquetReader::new(std::fs::File::open(f).unwrap()).finish().unwrap();
                for c in df.columns() {
                    if let Ok(s) = c.str() {
                        assert!(
                            !(0..s.len()).filter_map(|i| s.get(i)).any(names_izmir),
                            "{name}: column {} names İzmir",
                            c.name()
                        );
                    }
                }
            }
            _ => {
                let bytes = std::fs::read(f).unwrap();
                let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is text"));
                assert!(!names_izmir(&text), "{name} names İzmir");
            }
        }
    }
    all.len()
}

/// The template rows of `indicator` for `unit` (indices into `template_rows`).
fn rows_of(cat: &Catalogue, unit: &str, indicator: &str) -> Vec<usize> {
    let unit = cat.unit(unit).unwrap();
    template::template_rows(cat, unit)
        .iter()
        .enumerate()
        .filter(|(_, r)| r.indicator.id == indicator)
        .map(|(i, _)| i)
        .collect()
}

fn entry(row: usize, district: Option<&str>, values: &[(Col, f64)]) -> Entry {
    let mut v: Vec<(Col, Input)> = district
        .map(|d| (Col::District, Input::Text(d.into())))
        .into_iter()
        .collect();
    v.extend(values.iter().map(|(c, x)| (*c, Input::Number(*x))));
    Entry { row, values: v }
}

fn filled(entries: Vec<Entry>) -> Fill {
    Fill {
        prepared_by: Some(Input::Text("Deniz Kaya".into())),
        date: Some(Input::Date(2026, 1, 20)),
        entries,
        ..Fill::default()
    }
}

/// A TÜİK-style province table: labour force participation by sex, 2024.
fn tuik_table() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("t12").unwrap();
    ws.write_string(0, 0, "Cinsiyete göre işgücüne katılma oranı, 2024")
        .unwrap();
    ws.write_string(1, 0, "Labour force participation rate by sex, 2024")
        .unwrap();
    ws.write_string(2, 0, "İl\nProvince").unwrap();
    ws.merge_range(2, 1, 2, 3, "İşgücüne katılma oranı", &Format::new())
        .unwrap();
    for (c, s) in ["Toplam\nTotal", "Erkek\nMale", "Kadın\nFemale"].iter().enumerate() {
        ws.write_string(3, c as u16 + 1, *s).unwrap();
    }
    for (r, (area, t, m, f)) in [
        ("Türkiye", 53.1, 71.2, 35.1),
        ("Örnekkent", 50.4, 68.0, 32.5),
        ("Başkaşehir", 49.0, 69.0, 29.0),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 4;
        ws.write_string(r, 0, *area).unwrap();
        ws.write_number(r, 1, *t).unwrap();
        ws.write_number(r, 2, *m).unwrap();
        ws.write_number(r, 3, *f).unwrap();
    }
    ws.write_string(8, 0, "Kaynak: TÜİK, Hanehalkı İşgücü Araştırması")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

/// One metrics row of the feed CSV as (header → value).
fn metrics_row(csv_text: &str, indicator: &str, district: &str) -> std::collections::HashMap<String, String> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = rdr
        .records()
        .map(Result::unwrap)
        .find(|r| &r[col("indicator_id")] == indicator && &r[col("district")] == district)
        .unwrap_or_else(|| panic!("no metrics row {indicator} × {district}"));
    headers.iter().cloned().zip(row.iter().map(str::to_string)).collect()
}

#[test]
fn second_plan_template_and_run_end_to_end() {
    let (dir, pipeline) = plan();
    let pipeline_arg = pipeline.to_str().unwrap();
    let cat = Pipeline::load(&pipeline).unwrap().catalogue().unwrap();
    assert_eq!(cat.city_wide(), CITY_WIDE);
    assert_eq!(cat.districts_index().city_wide(), CITY_WIDE);

    // `yeep template`: one workbook per reporting unit.
    let tpl_dir = dir.path().join("sablonlar");
    let out = yeep(&[
        "template",
        pipeline_arg,
        "--period",
        "2025",
        "--out",
        tpl_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let names: Vec<String> = files(&tpl_dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "ilce-kuzeykoy-2025.xlsx",
            "insan-kaynaklari-2025.xlsx",
            "kadin-aile-2025.xlsx"
        ]
    );
    let kadin_aile = tpl_dir.join("kadin-aile-2025.xlsx");
    // The drop-down's list: the plan's city-wide name, then its five districts.
    let mut wb = open_workbook_auto(&kadin_aile).unwrap();
    let lists = wb.worksheet_range("Listeler").unwrap();
    let listed: Vec<String> = lists.rows().map(|r| r[0].to_string()).collect();
    let mut want = vec![CITY_WIDE.to_string()];
    want.extend(DISTRICTS.iter().map(|d| d.to_string()));
    assert_eq!(listed, want);
    // The district column's validation points at exactly those six cells and names the
    // plan's city-wide row in its message; so does the help sheet.
    let parts = xlsx_parts(&kadin_aile);
    let veri = &parts.iter().find(|(n, _)| n == "xl/worksheets/sheet2.xml").unwrap().1;
    assert!(veri.contains("<formula1>Listeler!$A$1:$A$6</formula1>"), "{veri}");
    assert!(
        veri.contains("Listeden bir ilçe ya da 'Örnekkent Geneli' seçin."),
        "{veri}"
    );
    let help = wb.worksheet_range("Açıklamalar").unwrap();
    assert!(
        help.rows().any(|r| r[0]
            .to_string()
            .contains("il geneli için 'Örnekkent Geneli' seçeneğini seçin")),
        "help names the city-wide row"
    );
    // A city-wide indicator's row comes with the plan's city-wide name filled in.
    let mut wb = open_workbook_auto(tpl_dir.join("insan-kaynaklari-2025.xlsx")).unwrap();
    let veri = wb.worksheet_range("Veri").unwrap();
    let rate_row = veri.rows().find(|r| r[0] == "istihdam-1.1.1-a").unwrap();
    assert_eq!(rate_row[2].to_string(), CITY_WIDE);
    // The district municipality's rows carry its district.
    let mut wb = open_workbook_auto(tpl_dir.join("ilce-kuzeykoy-2025.xlsx")).unwrap();
    let veri = wb.worksheet_range("Veri").unwrap();
    let own = veri.rows().find(|r| r[0] == "egitim-1.1.1-a").unwrap();
    assert_eq!(own[2].to_string(), "Kuzeyköy");
    assert_no_izmir(&tpl_dir);

    // Fill three of the templates as the units would. The library's template writer is the
    // one the CLI used: the unfilled build is byte for byte the CLI's file.
    let (unfilled, _) = template::build(&cat, "kadin-aile", "2025", Lang::Tr, None).unwrap();
    assert_eq!(unfilled, std::fs::read(&kadin_aile).unwrap());
    let sub = dir.path().join("input/submissions/2025");
    std::fs::create_dir_all(&sub).unwrap();
    let a = rows_of(&cat, "kadin-aile", "egitim-1.1.1-a");
    let b = rows_of(&cat, "kadin-aile", "egitim-1.1.1-b");
    assert_eq!(
        (a.len(), b.len()),
        (template::DISTRICT_BLOCK_ROWS, template::DISTRICT_BLOCK_ROWS)
    );
    let submissions = [
        (
            "kadin-aile",
            vec![
                entry(a[0], Some("Kuzeyköy"), &[(Col::Female, 12.0), (Col::Male, 8.0)]),
                // Typed without Turkish letters: still Güneytepe.
                entry(a[1], Some("GUNEYTEPE"), &[(Col::Female, 20.0), (Col::Male, 5.0)]),
                // An alias of the city-wide area ("Tüm Kent") instead of the listed name.
                entry(b[0], Some("Tüm Kent"), &[(Col::Total, 4.0)]),
            ],
        ),
        (
            "ilce-kuzeykoy",
            vec![
                entry(
                    rows_of(&cat, "ilce-kuzeykoy", "egitim-1.1.1-a")[0],
                    None,
                    &[(Col::Female, 5.0), (Col::Male, 3.0)],
                ),
                entry(
                    rows_of(&cat, "ilce-kuzeykoy", "egitim-1.1.1-b")[0],
                    None,
                    &[(Col::Total, 2.0)],
                ),
            ],
        ),
        (
            "insan-kaynaklari",
            vec![
                entry(
                    rows_of(&cat, "insan-kaynaklari", "istihdam-1.1.1-a")[0],
                    None,
                    &[(Col::Total, 38.5)],
                ),
                entry(
                    rows_of(&cat, "insan-kaynaklari", "istihdam-1.1.1-b")[0],
                    None,
                    &[(Col::Female, 14.0), (Col::Male, 10.0)],
                ),
            ],
        ),
    ];
    for (unit, entries) in submissions {
        let (bytes, written) = template::build(&cat, unit, "2025", Lang::Tr, Some(&filled(entries))).unwrap();
        assert!(!written.is_empty());
        std::fs::write(sub.join(template::file_name(unit, "2025")), bytes).unwrap();
    }
    let tuik = dir.path().join("input/tuik");
    std::fs::create_dir_all(&tuik).unwrap();
    std::fs::write(tuik.join("isgucu_il_2024.xlsx"), tuik_table()).unwrap();

    // `yeep run`: every value accepted, exit code 0.
    let out = yeep(&["run", "-q", pipeline_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let plan_dir = dir.path().join("output/ornekkent-2025-2027");
    let period_dir = plan_dir.join("2025");
    for f in [
        "izleme-2025.xlsx",
        "izleme-2025-kamu.xlsx",
        "dogrulama-2025.xlsx",
        "feed/metrics.csv",
        "feed/metrics.parquet",
        "feed/observations.csv",
        "manifest.json",
    ] {
        assert!(crate::common::period_file(&plan_dir, "2025", f).is_file(), "{f}");
    }

    // The feed: the city-wide rows are named after the plan; district values come back.
    let metrics = std::fs::read_to_string(crate::common::period_file(&plan_dir, "2025", "feed/metrics.csv")).unwrap();
    let get = |indicator: &str, district: &str, cols: &[&str]| -> Vec<Option<f64>> {
        let row = metrics_row(&metrics, indicator, district);
        cols.iter().map(|c| row[*c].parse().ok()).collect()
    };
    let wmt = ["women", "men", "total"];
    // Kadın ve Aile: its districts 12 + 20 women, 8 + 5 men; Kuzeyköy Belediyesi: 5 and 3.
    assert_eq!(
        get("egitim-1.1.1-a", CITY_WIDE, &wmt),
        [Some(37.0), Some(16.0), Some(53.0)]
    );
    assert_eq!(
        get("egitim-1.1.1-a", CITY_WIDE, &["units_reporting", "target"]),
        [Some(2.0), Some(300.0)]
    );
    assert_eq!(
        metrics_row(&metrics, "egitim-1.1.1-a", CITY_WIDE)["target_period"],
        "2027"
    );
    assert_eq!(
        get("egitim-1.1.1-a", "Kuzeyköy", &wmt),
        [Some(17.0), Some(11.0), Some(28.0)]
    );
    assert_eq!(
        get("egitim-1.1.1-a", "Güneytepe", &wmt),
        [Some(20.0), Some(5.0), Some(25.0)]
    );
    // The count by district: the alias row ("Tüm Kent") is city-wide, plus Kuzeyköy's 2.
    assert_eq!(get("egitim-1.1.1-b", CITY_WIDE, &["total"]), [Some(6.0)]);
    assert_eq!(get("egitim-1.1.1-b", "Kuzeyköy", &["total"]), [Some(2.0)]);
    // The rate is the one unit's city-wide value.
    assert_eq!(get("istihdam-1.1.1-a", CITY_WIDE, &["total"]), [Some(38.5)]);
    let hired = get("istihdam-1.1.1-b", CITY_WIDE, &["total", "female_share"]);
    assert_eq!(hired[0], Some(24.0));
    assert!((hired[1].unwrap() - 14.0 / 24.0).abs() < 1e-12, "{hired:?}");
    let observations =
        std::fs::read_to_string(crate::common::period_file(&plan_dir, "2025", "feed/observations.csv")).unwrap();
    assert!(observations.contains(CITY_WIDE) && observations.contains("Güneytepe"));

    // The monitoring workbook: the city-wide row in Metrikler, the theme sheet's values.
    let mut wb = open_workbook_auto(period_dir.join("izleme-2025.xlsx")).unwrap();
    let m = wb.worksheet_range("Metrikler").unwrap();
    let header: Vec<String> = m.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cw_row = m
        .rows()
        .find(|r| r[col("indicator_id")] == "egitim-1.1.1-a" && r[col("district")] == CITY_WIDE)
        .expect("city-wide row in Metrikler");
    assert_eq!(cw_row[col("women")].as_f64(), Some(37.0));
    let districts_shown: Vec<String> = m.rows().skip(1).map(|r| r[col("district")].to_string()).collect();
    assert!(districts_shown
        .iter()
        .all(|d| d == CITY_WIDE || DISTRICTS.contains(&d.as_str())));
    let theme = wb.worksheet_range("Eğitim").unwrap();
    let row = theme.rows().find(|r| r[0] == "egitim-1.1.1-a").expect("indicator row");
    assert_eq!(
        (row[3].as_f64(), row[4].as_f64(), row[5].as_f64()),
        (Some(37.0), Some(16.0), Some(53.0))
    );
    // The TÜİK table's "Örnekkent" row is the city-wide area: the context sheet shows it
    // next to the plan's baseline.
    let ctx = wb.worksheet_range("Bağlam").unwrap();
    let row = ctx.rows().find(|r| r[1] == "ctx-isgucu-katilim").expect("context row");
    // Plan: women, men; table: women, men, total.
    assert_eq!(
        [6, 7, 9, 10, 11].map(|c| row[c].as_f64()),
        [Some(32.5), Some(68.0), Some(32.5), Some(68.0), Some(50.4)],
        "{row:?}"
    );

    // Nothing written names İzmir.
    assert!(assert_no_izmir(&dir.path().join("output")) >= 10);
}

/// A string literal in `src/` outside tests and comments that names İzmir (`İzmir`,
/// `Izmir`, `İZMİR`, `IZMIR`) hard-codes the shipped plan: names come from the catalogue
/// (`districts.toml`, `[city_wide]`). File names of the shipped plan
/// (`pipelines/izmir-2022-2024.toml`) are not names shown to users. The generator of the
/// shipped plan's example TÜİK tables (province rows and table titles are data about İzmir)
/// is the one exception.
#[test]
fn no_string_in_src_names_izmir() {
    const EXEMPT: &[&str] = &["tuik_inputs.rs", "tuik_national.rs"];
    let names = |s: &str| ["İzmir", "Izmir", "İZMİR", "IZMIR"].iter().any(|n| s.contains(n));
    let mut offending = Vec::new();
    let mut scanned = 0;
    for f in files(&root().join("src")) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".rs") || EXEMPT.contains(&name.as_str()) {
            continue;
        }
        scanned += 1;
        let text = std::fs::read_to_string(&f).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((i, line)) = lines.next() {
            let code = line.trim_start();
            // `#[cfg(test)]`: skip the item it guards: a one-line item (`use …;`), or to the
            // closing brace at column 0 (`mod tests { … }`).
            if code.starts_with("#[cfg(test)]") {
                let one_line = lines
                    .next()
                    .is_some_and(|(_, l)| l.trim_end().ends_with(';') && !l.contains('{'));
                if !one_line {
                    for (_, l) in lines.by_ref() {
                        if l.starts_with('}') {
                            break;
                        }
                    }
                }
                continue;
            }
            if code.starts_with("//") {
                continue;
            }
            // Drop a trailing comment (a `//` outside a string: an even number of quotes
            // before it).
            let code = match code
                .match_indices("//")
                .find(|(at, _)| code[..*at].matches('"').count() % 2 == 0)
            {
                Some((at, _)) => &code[..at],
                None => code,
            };
            if code.contains('"') && names(code) {
                offending.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(scanned > 30, "scanned {scanned} files");
    assert!(offending.is_empty(), "strings naming İzmir:\n{}", offending.join("\n"));
}
