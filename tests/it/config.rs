//! Issue 13: the pipeline file is checked before any input is read — every problem at
//! once, each with its file and line — and a wrong configuration exits 2 with nothing
//! written. One set of limits, from `[limits]`.

use std::path::Path;

use yeep::pipeline::{ConfigError, Pipeline};

use crate::common::{copy_dir, root, MiniPlan, MINI_PIPELINE};

/// (line, message) of every problem `Pipeline::load` finds in `text`.
fn problems(text: &str) -> Vec<(usize, String)> {
    let m = MiniPlan::new();
    m.write("pipeline.toml", text);
    match Pipeline::load(&m.pipeline()) {
        Ok(_) => panic!("the pipeline file was accepted:\n{text}"),
        Err(e) => e.problems().iter().map(|p| (p.line, p.message.clone())).collect(),
    }
}

/// The 1-based line of the first line of `text` that starts with `prefix`.
fn line(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?}"))
        + 1
}

#[test]
fn issue_13_every_configuration_problem_at_once_with_its_line() {
    let text = format!(
        "{}\n[submissions]\ndeadlines = {{ \"2023\" = \"2024-02-31\" }}\n\n[disclosure]\nthreshold = 0\n\n[[tuik]]\nfiles = \"a.xlsx\"\nindicator = \"ctx-a\"\nyear = \"2020\"\nyears = [\"2021\"]\narea = {{ row = \"İzmir\" }}\n\n[limits]\nmax_file_bytes = 0\n\n[extras]\nx = 1\n",
        MINI_PIPELINE.replace("name_en = \"Mini plan\"", "name_en = \"Mini plan\"\nnmae = \"typo\"")
    );
    let found = problems(&text);
    let want = [
        (line(&text, "nmae"), "nmae"),
        (line(&text, "deadlines"), "2024-02-31"),
        (line(&text, "threshold"), "threshold"),
        (line(&text, "[[tuik]]"), "[[tuik]] #1"),
        (line(&text, "max_file_bytes"), "max_file_bytes"),
        (line(&text, "[extras]"), "[extras]"),
    ];
    for (l, needle) in want {
        assert!(
            found.iter().any(|(fl, m)| *fl == l && m.contains(needle)),
            "no problem {needle:?} at line {l}: {found:#?}"
        );
    }
    assert_eq!(found.len(), want.len(), "{found:#?}");
    // Sorted by line, and the rendered error gives file:line for each.
    assert!(found.windows(2).all(|w| w[0].0 <= w[1].0));
    let m = MiniPlan::new();
    m.write("pipeline.toml", &text);
    let shown = Pipeline::load(&m.pipeline()).unwrap_err().to_string();
    assert!(shown.starts_with("6 problems"), "{shown}");
    assert!(
        shown.contains(&format!("pipeline.toml:{}: ", line(&text, "nmae"))),
        "{shown}"
    );
}

#[test]
fn issue_13_a_syntax_error_is_one_problem_at_its_line() {
    let text = format!("{MINI_PIPELINE}\n[disclosure]\nthreshold = = 5\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, line(&text, "threshold"));
}

#[test]
fn issue_13_missing_sections_and_a_deadline_outside_the_plan_are_problems() {
    let text = "[plan]\nid = \"mini\"\nname = \"M\"\nname_en = \"M\"\ncatalogue_version = \"t\"\nperiods = [\"2023\", \"20x4\"]\nbaseline_year = \"2022\"\n\n[submissions]\ndeadlines = { \"2021\" = \"2022-02-15\" }\n";
    let found = problems(text);
    for needle in [
        "[catalogue] is missing",
        "[folders] is missing",
        "\"20x4\" is not a period",
        "2021 is not one of the plan's periods",
    ] {
        assert!(
            found.iter().any(|(_, m)| m.contains(needle)),
            "no {needle:?}: {found:#?}"
        );
    }
    let periods = found.iter().find(|(_, m)| m.contains("20x4")).unwrap();
    assert_eq!(periods.0, line(text, "periods"));
}

/// A shipped pipeline copy with `extra` appended to its file.
fn shipped_with(dir: &Path, extra: &str) -> std::path::PathBuf {
    copy_dir(&root().join("pipelines"), &dir.join("pipelines"));
    let path = dir.join("pipelines/izmir-2022-2024.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
    path
}

#[test]
fn issue_13_unknown_tuik_indicator_and_bad_glob_exit_2_before_anything_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let extra = "[[tuik]]\nfiles = \"x.xlsx\"\nindicator = \"ctx-no-such\"\nyear = \"2020\"\narea = { row = \"İzmir\" }\n\n[[tuik]]\nfiles = \"[x.xlsx\"\nindicator = \"ctx-nufus\"\nyear = \"2020\"\narea = { row = \"İzmir\" }\n";
    let pipeline = shipped_with(tmp.path(), extra);
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("[[tuik]]"))
        .map(|(i, _)| i + 1)
        .collect();
    let (first, second) = (lines[lines.len() - 2], lines[lines.len() - 1]);
    let out = tmp.path().join("out");
    for cmd in ["run", "validate"] {
        let o = assert_cmd::Command::cargo_bin("yeep")
            .unwrap()
            .arg(cmd)
            .arg(&pipeline)
            .arg("--input")
            .arg(root().join("input"))
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {stderr}");
        assert!(
            stderr.contains(&format!("izmir-2022-2024.toml:{first}: ")) && stderr.contains("ctx-no-such"),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("izmir-2022-2024.toml:{second}: ")) && stderr.contains("not a glob"),
            "{stderr}"
        );
        assert!(!out.exists(), "{cmd} wrote {} for a wrong configuration", out.display());
    }
    // The library says the same, as a configuration error.
    let p = Pipeline::load(&pipeline).unwrap();
    let cat = p.catalogue().unwrap();
    let e = p.check_against(&cat).unwrap_err();
    assert!(matches!(e, ConfigError::Invalid { .. }));
    assert_eq!(
        e.problems().iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![first, second]
    );
}

#[test]
fn issue_13_one_set_of_limits_the_pipelines() {
    use yeep::sources::guard::Limits;
    use yeep::sources::submission::read_untrusted;
    let bytes = std::fs::read(root().join("input/submissions/2023/ilce-bornova-2023.xlsx")).unwrap();
    // A file over 50 MiB is read when [limits] allows it (the reader had its own cap).
    let mut padded = Vec::new();
    {
        use std::io::{Read, Write};
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut padded));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            w.start_file(name, stored).unwrap();
            w.write_all(&data).unwrap();
        }
        w.start_file("xl/media/pad.bin", stored).unwrap();
        w.write_all(&vec![7u8; 51 * 1024 * 1024]).unwrap();
        w.finish().unwrap();
    }
    assert!(padded.len() > 51 * 1024 * 1024);
    let roomy = Limits {
        max_file_bytes: 80 * 1024 * 1024,
        ..Limits::default()
    };
    let read = read_untrusted(&padded, &roomy).expect("a 51 MiB workbook within [limits]");
    assert_eq!(
        read,
        read_untrusted(&bytes, &roomy).unwrap(),
        "the padding changed the values"
    );
    // And the data-row limit is [limits] max_data_rows.
    let few = Limits {
        max_data_rows: 3,
        ..Limits::default()
    };
    let e = read_untrusted(&bytes, &few).unwrap_err();
    assert_eq!(e.reason.code(), "file-too-large", "{e}");
    // [limits] keys are checked with the rest of the pipeline file.
    let text = format!("{MINI_PIPELINE}\n[limits]\nmax_data_rows = 0\nmax_compression_ratio = 0.5\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "the first wrong limit is reported: {found:?}");
    assert_eq!(found[0].0, line(&text, "max_data_rows"));
}

/// Issue 12 (point 6): `[metrics] min_coverage` is a share; anything else is a located
/// configuration problem, and a good value reaches the pipeline.
#[test]
fn issue_12_min_coverage_is_a_share_checked_with_its_line() {
    let text = format!("{MINI_PIPELINE}\n[metrics]\nmin_coverage = 1.5\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, line(&text, "min_coverage"));
    assert!(found[0].1.contains("min_coverage"), "{found:#?}");
    let typo = format!("{MINI_PIPELINE}\n[metrics]\nmin_coverag = 0.5\n");
    assert!(problems(&typo).iter().any(|(_, m)| m.contains("min_coverag")));
    let m = MiniPlan::new();
    m.write(
        "pipeline.toml",
        &format!("{MINI_PIPELINE}\n[metrics]\nmin_coverage = 0.75\n"),
    );
    assert_eq!(Pipeline::load(&m.pipeline()).unwrap().metrics.min_coverage, 0.75);
    m.write("pipeline.toml", MINI_PIPELINE);
    assert_eq!(
        Pipeline::load(&m.pipeline()).unwrap().metrics.min_coverage,
        yeep::metrics::DEFAULT_MIN_COVERAGE
    );
}
