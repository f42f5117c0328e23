//! Writing a period's outputs (issue 5): workbooks, feed, manifest; determinism and
//! atomic replacement.

use std::path::Path;

use calamine::{open_workbook, DataType, Reader, Xlsx};
use polars_io::prelude::{ParquetReader, SerReader};
use yeep::model::observation::Observation;
use yeep::normalise::Sex;
use yeep::pipeline::collect::Collected;
use yeep::pipeline::run::{write_outputs, Inputs, WriteOptions};
use yeep::pipeline::Pipeline;

use crate::common::{accepted_file, observation, shipped_pipeline, IZMIR_GENELI};

fn ob(period: &str, ind: &str, unit: &str, district: &str, sex: Sex, value: f64, cell: &str) -> Observation {
    Observation {
        source_cell: cell.into(),
        ..observation("izmir-2022-2024", period, ind, unit, district, sex, value)
    }
}

fn inputs() -> Inputs {
    use Sex::*;
    let mut inputs = Inputs::default();
    for (period, w, m) in [("2022", 100.0, 50.0), ("2023", 150.0, 50.0)] {
        let obs = vec![
            ob(period, "egitim-1.2.3-b", "ilce-konak", "Konak", Female, w, "D5"),
            ob(period, "egitim-1.2.3-b", "ilce-konak", "Konak", Male, m, "E5"),
            ob(period, "siddet-1.1.3-b", "ilce-konak", "Konak", Female, 3.0, "D6"),
            ob(period, "siddet-1.1.3-b", "ilce-buca", "Buca", Female, 40.0, "D6"),
            ob(period, "siddet-1.1.3-b", "ilce-bornova", "Bornova", Female, 12.0, "D6"),
        ];
        let files = ["ilce-konak", "ilce-buca", "ilce-bornova"]
            .iter()
            .map(|u| accepted_file(period, u, 2))
            .collect();
        inputs.submissions.insert(
            period.to_string(),
            Collected {
                observations: obs,
                diagnostics: vec![],
                files,
                ..Collected::default()
            },
        );
    }
    inputs.tuik.observations = vec![
        ob("2020", "ctx-isgucu-katilim", "tuik", IZMIR_GENELI, Female, 34.7, "C7"),
        ob("2020", "ctx-isgucu-katilim", "tuik", IZMIR_GENELI, Male, 69.0, "D7"),
    ];
    inputs
}

fn run_into(dir: &Path) {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let opts = WriteOptions {
        layout: yeep::pipeline::output::Layout::new(dir, &dir.join("state"), "izmir-2022-2024"),
        periods: vec!["2022".into(), "2023".into()],
        lang: yeep::model::lang::Lang::Tr,
        pdf: None,
        build: yeep::BUILD_ID.to_string(),
    };
    let outcome = write_outputs(&p, &cat, &inputs(), &opts).unwrap();
    assert_eq!(outcome.periods.len(), 2);
}

#[test]
fn outputs_read_back() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path());
    let period_dir = dir.path().join("izmir-2022-2024/2023");
    let public_dir = dir.path().join("izmir-2022-2024/kamu/2023");
    for f in ["izleme-2023.xlsx", "dogrulama-2023.xlsx", "manifest.json"] {
        assert!(period_dir.join(f).is_file(), "{f}");
    }
    for f in [
        "izleme-2023-kamu.xlsx",
        "feed/observations.parquet",
        "feed/observations.csv",
        "feed/metrics.parquet",
        "feed/metrics.csv",
    ] {
        assert!(public_dir.join(f).is_file(), "{f}");
        assert!(!period_dir.join(f).exists(), "{f} is public and lives only in kamu/");
    }
    let mut wb: Xlsx<_> = open_workbook(period_dir.join("izleme-2023.xlsx")).unwrap();
    let names = wb.sheet_names();
    for s in [
        "Özet",
        "Eğitim",
        "Bağlam",
        "Gönderim Durumu",
        "Doğrulama",
        "Veri",
        "Metrikler",
        "Katalog",
        "Hakkında",
    ] {
        assert!(names.iter().any(|n| n == s), "sheet {s} in {names:?}");
    }
    let kamu: Xlsx<_> = open_workbook(public_dir.join("izleme-2023-kamu.xlsx")).unwrap();
    assert!(
        !kamu.sheet_names().iter().any(|n| n == "Doğrulama"),
        "the public edition has no validation sheet"
    );
    // The theme sheet shows the city-wide row of egitim-1.2.3-b: 150 women, 50 men.
    let r = wb.worksheet_range("Eğitim").unwrap();
    let row = r.rows().find(|row| row[0] == "egitim-1.2.3-b").expect("indicator row");
    assert_eq!(row[3].as_f64(), Some(150.0));
    assert_eq!(row[4].as_f64(), Some(50.0));
    assert_eq!(row[6].as_f64(), Some(0.75));
    // Change from 2022: 200 − 150.
    assert_eq!(row[8].as_f64(), Some(50.0));
    // Metrics feed: the sensitive Konak cell is suppressed, and so is Bornova (secondary).
    let m = ParquetReader::new(std::fs::File::open(public_dir.join("feed/metrics.parquet")).unwrap())
        .finish()
        .unwrap();
    let get = |ind: &str, d: &str, col: &str| -> (Option<f64>, bool) {
        let (i, dd, p) = (
            m.column("indicator_id").unwrap().str().unwrap(),
            m.column("district").unwrap().str().unwrap(),
            m.column("period").unwrap().str().unwrap(),
        );
        let r = (0..m.height())
            .find(|&r| i.get(r) == Some(ind) && dd.get(r) == Some(d) && p.get(r) == Some("2023"))
            .unwrap();
        (
            m.column(col).unwrap().f64().unwrap().get(r),
            m.column("suppressed").unwrap().bool().unwrap().get(r).unwrap(),
        )
    };
    assert_eq!(get("siddet-1.1.3-b", "Konak", "women"), (None, true));
    assert_eq!(get("siddet-1.1.3-b", "Bornova", "women"), (None, true));
    assert_eq!(get("siddet-1.1.3-b", "Buca", "women"), (Some(40.0), false));
    assert_eq!(get("siddet-1.1.3-b", IZMIR_GENELI, "women"), (Some(55.0), false));
    assert_eq!(get("egitim-1.2.3-b", IZMIR_GENELI, "female_share"), (Some(0.75), false));
    // The observations feed withholds sensitive unit-level values.
    let o = ParquetReader::new(std::fs::File::open(public_dir.join("feed/observations.parquet")).unwrap())
        .finish()
        .unwrap();
    let ids = o.column("indicator_id").unwrap().str().unwrap();
    let vals = o.column("value").unwrap().f64().unwrap();
    for r in 0..o.height() {
        if ids.get(r) == Some("siddet-1.1.3-b") {
            assert_eq!(vals.get(r), None);
        }
    }
    // The Hive copy has one partition per period of the data.
    for p in ["2020", "2022", "2023"] {
        assert!(
            dir.path()
                .join(format!(
                    "izmir-2022-2024/kamu/feed/observations/period={p}/part-0.parquet"
                ))
                .is_file(),
            "{p}"
        );
        assert!(
            dir.path()
                .join(format!("izmir-2022-2024/kamu/feed/metrics/period={p}/part-0.parquet"))
                .is_file(),
            "{p}"
        );
    }
    // The manifest adds up and names every output with its hash.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(period_dir.join("manifest.json")).unwrap()).unwrap();
    let t = &manifest["totals"];
    assert_eq!(
        t["values_read"].as_u64().unwrap(),
        t["values_accepted"].as_u64().unwrap() + t["values_rejected"].as_u64().unwrap()
    );
    let outputs: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["file"].as_str().unwrap())
        .collect();
    assert!(
        outputs.contains(&"izleme-2023.xlsx") && outputs.contains(&"../kamu/2023/feed/metrics.parquet"),
        "{outputs:?}"
    );
}

#[test]
fn two_runs_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_into(a.path());
    run_into(b.path());
    let files = |d: &Path| -> Vec<(String, Vec<u8>)> {
        // (The up-to-date records hold file stamps and are not an output.)
        let mut v: Vec<(String, Vec<u8>)> = walkdir(d)
            .into_iter()
            .filter(|p| !p.ends_with(yeep::pipeline::uptodate::OUTPUTS_FILE))
            .map(|p| {
                (
                    p.strip_prefix(d).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), fb.len());
    for ((na, ba), (nb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two runs");
    }
}

#[test]
fn a_rerun_replaces_the_period_folder_whole() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path());
    let stray = dir.path().join("izmir-2022-2024/2023/stray.txt");
    std::fs::write(&stray, "left by hand").unwrap();
    run_into(dir.path());
    assert!(!stray.exists(), "the new folder replaced the old one");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("izmir-2022-2024"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.') && n != ".yeep.lock" && n != yeep::pipeline::uptodate::OUTPUTS_FILE)
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walkdir(d: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// On time is a comparison of dates: on or before the deadline, never a text comparison,
/// and a file without a readable `Tarih` is never on time.
#[test]
fn on_time_compares_dates() {
    use yeep::metrics::completeness::by_unit;
    use yeep::model::Date;
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let base = inputs().submissions["2023"].files.clone();
    let konak = |submitted: Option<Date>| {
        let mut files = base.clone();
        files.iter_mut().for_each(|f| f.submitted = submitted);
        let rows = by_unit(&cat, "2023", &files, &[], Date::parse("2024-01-31"));
        rows.into_iter().find(|u| u.unit_id == "ilce-konak").unwrap().on_time
    };
    assert!(konak(Date::parse("2024-01-31")), "on the day");
    assert!(konak(Date::parse("2023-12-31")), "before");
    assert!(!konak(Date::parse("2024-02-01")), "a day late");
    assert!(!konak(None), "no Tarih");
}

/// A deadline that is not a date is refused when the pipeline file is read.
#[test]
fn a_deadline_that_is_not_a_date_is_a_configuration_error() {
    let m = crate::common::MiniPlan::new();
    let text = format!(
        "{}\n[submissions]\ndeadlines = {{ \"2023\" = \"2024-02-30\" }}\n",
        crate::common::MINI_PIPELINE
    );
    m.write("pipeline.toml", &text);
    let err = Pipeline::load(&m.pipeline()).map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("2024-02-30") && err.contains("not a date"), "{err}");
    m.write("pipeline.toml", &text.replace("2024-02-30", "2024-02-29"));
    let p = Pipeline::load(&m.pipeline()).unwrap();
    assert_eq!(p.submissions.deadlines["2023"].to_string(), "2024-02-29");
}

/// Every staging folder under `dir`, at any depth.
fn staging_left(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with(".tmp-") || name.starts_with(".old-") {
                found.push(e.path().display().to_string());
            }
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
    found
}

/// Issue 17 (item 14): a write that fails before the swap (here the PDF converter fails,
/// as a full disk would make any writer fail) removes its staging folders — nothing is
/// left to keep the disk full — and the previous outputs stay as they were.
#[test]
fn issue_17_a_failed_write_removes_its_staging_folders_and_keeps_the_old_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run_into(dir);
    let plan = dir.join("izmir-2022-2024");
    let before = std::fs::read(plan.join("2023/manifest.json")).unwrap();
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let mut changed = inputs();
    changed.tuik.observations[0].value = 35.0;
    let opts = WriteOptions {
        layout: yeep::pipeline::output::Layout::new(dir, &dir.join("state"), "izmir-2022-2024"),
        periods: vec!["2022".into(), "2023".into()],
        lang: yeep::model::lang::Lang::Tr,
        pdf: Some("/bin/false".into()),
        build: yeep::BUILD_ID.to_string(),
    };
    assert!(
        write_outputs(&p, &cat, &changed, &opts).is_err(),
        "the converter failed"
    );
    assert_eq!(staging_left(dir), Vec::<String>::new());
    assert_eq!(std::fs::read(plan.join("2023/manifest.json")).unwrap(), before);
}

/// Issue 12 (point 12): "on time" rests on the date the statistics unit received a file —
/// the receipts list `alindi.csv` beside the workbooks — where it has one, not on the
/// `Tarih` the unit typed. The list is not read as a workbook; a bad line is a located
/// warning and the other lines count.
#[test]
fn issue_12_on_time_rests_on_the_receipts_list_where_there_is_one() {
    use yeep::metrics::completeness::by_unit;
    use yeep::model::Date;
    use yeep::pipeline::collect;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    crate::common::copy_dir(&crate::common::root().join("input"), &input);
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let deadline = p.submissions.deadlines.get("2023").copied();
    let on_time = |files: &[yeep::model::FileAccount], unit: &str| {
        by_unit(&cat, "2023", files, &[], deadline)
            .into_iter()
            .find(|u| u.unit_id == unit)
            .unwrap()
    };
    let before = collect::submissions(&p, &cat, &input, "2023", collect::Options::default());
    let balcova = on_time(&before.files, "ilce-balcova");
    assert!(
        balcova.on_time && balcova.received_on.is_none(),
        "by its Tarih: {balcova:?}"
    );
    std::fs::write(
        input.join("submissions/2023/alindi.csv"),
        "dosya;alındı\nilce-balcova-2023.xlsx;20.02.2024\nizum-2023.ods;2024-02-10\nilce-buca-2023.xlsx;yarın\n",
    )
    .unwrap();
    let after = collect::submissions(&p, &cat, &input, "2023", collect::Options::default());
    assert_eq!(after.files.len(), before.files.len(), "the list is not a submission");
    let balcova = on_time(&after.files, "ilce-balcova");
    assert_eq!(balcova.received_on, Date::parse("2024-02-20"));
    assert!(!balcova.on_time, "received after the deadline, whatever its Tarih says");
    assert!(on_time(&after.files, "izum").on_time);
    let bad: Vec<_> = after
        .diagnostics
        .iter()
        .filter(|d| d.reason.code() == "receipt-invalid")
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].file, "submissions/2023/alindi.csv");
    assert!(bad[0].note.render(yeep::model::Lang::En).starts_with("line 4:"));
}
