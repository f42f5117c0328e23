//! Regression tests for what fuzzing found (`fuzz/`, `docs/fuzzing.md`), one per bug,
//! named after it. The inputs are the fuzzers' own artifacts, in `tests/fixtures/fuzz/`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use yeep::pipeline::collect::submission_file;
use yeep::pipeline::Pipeline;
use yeep::sources::guard::{check_cfb, Hazard, Limits};
use yeep::sources::tuik::load_grid_checked;

fn fixture(name: &str) -> PathBuf {
    crate::common::root().join("tests/fixtures/fuzz").join(name)
}

/// Through the collector's per-file entry point: rejected as `file-corrupt`, quickly.
fn rejected_as_corrupt(name: &str) {
    let cat = Pipeline::load(&crate::common::shipped_pipeline())
        .unwrap()
        .catalogue()
        .unwrap();
    let start = Instant::now();
    let o = submission_file(
        &cat,
        &yeep::sources::guard::Limits::default(),
        &fixture(name),
        &format!("submissions/2023/{name}"),
        "2023",
    );
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.reason.code()).collect();
    assert_eq!(codes, ["file-corrupt"], "{:?}", o.diagnostics);
    assert_eq!(o.account.status, yeep::model::FileStatus::Rejected);
}

/// `tuik_grid`, out-of-memory: a BIFF `.xls` whose directory sector chain loops. calamine
/// reads the directory chain without a length bound, so the loop grew memory past 4 GB
/// from a 59 KB file (the nightly run would have been killed). The compound-file pre-scan
/// (`guard::check_cfb`) now refuses it.
#[test]
fn fuzz_tuik_grid_cfb_directory_chain_loops() {
    let bytes = std::fs::read(fixture("tuik-cfb-directory-chain-loops.xls")).unwrap();
    assert!(matches!(check_cfb(&bytes, &Limits::default()), Err(Hazard::Corrupt(_))));
    let err = load_grid_checked(bytes, None, &Limits::default()).unwrap_err();
    assert_eq!(err.reason().code(), "file-corrupt", "{err}");
    rejected_as_corrupt("tuik-cfb-directory-chain-loops.xls");
}

/// `submission`, panic in calamine (`cfb.rs`: slice index starts at 5120 but ends at
/// 4945): a truncated `.xls` whose chain names a sector past the end of the file. It was
/// contained as `file-internal-error`; it is now refused before calamine as `file-corrupt`.
#[test]
fn fuzz_submission_cfb_sector_past_end() {
    let bytes = std::fs::read(fixture("submission-cfb-sector-past-end.xls")).unwrap();
    assert!(matches!(check_cfb(&bytes, &Limits::default()), Err(Hazard::Corrupt(_))));
    rejected_as_corrupt("submission-cfb-sector-past-end.xls");
}

/// `submission` → `tuik_grid`, abort (allocation of 4.67 GB in calamine's
/// `Range::from_sparse`): a 33 KB `.xls` whose cell records sit past column IV, so calamine
/// allocates the dense range between the first and last cell and the process aborts —
/// `catch_unwind` cannot help. The BIFF pre-scan now refuses cells beyond Excel 97's 256
/// columns and sheets whose cell extent passes `max_sheet_cells`.
#[test]
fn fuzz_tuik_grid_biff_cell_past_column_iv() {
    let bytes = std::fs::read(fixture("tuik-biff-cell-past-column-iv.xls")).unwrap();
    assert!(matches!(
        check_cfb(&bytes, &Limits::default()),
        Err(Hazard::CellOutOfRange { .. } | Hazard::SheetTooLarge { .. })
    ));
    assert!(load_grid_checked(bytes, None, &Limits::default()).is_err());
}

/// The pre-scan lets every real `.xls` of the shared corpus and the shipped inputs through
/// (no false alarms on the files TÜİK and other readers' suites actually contain).
#[test]
fn cfb_prescan_passes_real_xls_files() {
    let scan_dir = |dir: &std::path::Path| {
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            if !bytes.starts_with(&yeep::sources::guard::CFB_SIGNATURE) {
                continue;
            }
            let readable = yeep::sources::tuik::load_grid(bytes.clone(), None).is_ok();
            let scan = check_cfb(&bytes, &Limits::default());
            assert!(scan.is_ok() || !readable, "{}: {scan:?}", e.path().display());
            n += 1;
        }
        n
    };
    // The shipped inputs hold no CFB file today (their one .xls is HTML): the minimum below
    // counts the shared corpus only.
    let mut n = scan_dir(&crate::common::root().join("input/tuik"));
    for d in ["corpus/xlrd", "corpus/calamine", "corpus/sheetjs", "tuik/xls"] {
        let Some(dir) = crate::common::shared_data(d) else {
            return;
        };
        n += scan_dir(&dir);
    }
    // Today: 8 in xlrd, 10 in calamine, 13 in tuik/xls (sheetjs's root holds none).
    assert!(n >= 31, "only {n} .xls files scanned");
}
