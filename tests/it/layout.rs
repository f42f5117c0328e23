//! Issue 11, point 5: one folder that may be published whole. Public files go to
//! `<output>/<plan>/kamu/` and nothing else does; the internal workbooks, the validation
//! reports, the manifests stay beside it; the re-run cache lives in the state folder the
//! pipeline file names.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{root, shipped_pipeline};

const PLAN: &str = "izmir-2022-2024";

/// The shipped pipeline file, copied into `dir` with its catalogue and input folders
/// pointing back at the repository and its output and state folders named `out` and
/// `state` (or `state` replaced by `state_line`).
fn pipeline_in(dir: &Path, state_line: &str) -> PathBuf {
    let text = std::fs::read_to_string(shipped_pipeline()).unwrap();
    let pipelines = root().join("pipelines");
    let text = text
        .replace(
            &format!("dir = \"{PLAN}\""),
            &format!("dir = {:?}", pipelines.join(PLAN).display().to_string()),
        )
        .replace(
            "input = \"../input\"",
            &format!("input = {:?}", root().join("input").display().to_string()),
        )
        .replace("output = \"../output\"", "output = \"out\"")
        .replace("state = \"../state\"", state_line);
    let path = dir.join("pipeline.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn yeep_run(pipeline: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yeep"))
        .args(["run", "-q"])
        .arg(pipeline)
        .args(extra)
        .output()
        .unwrap()
}

fn files_below(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_below(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// What may be in the publishable folder: the public editions (workbooks, PDFs) and the
/// public feeds, period and cumulative.
fn is_public_file(rel: &Path) -> bool {
    let name = rel.file_name().unwrap().to_string_lossy().to_string();
    let in_feed = rel.components().any(|c| c.as_os_str() == "feed");
    let feed_file = in_feed && (name.ends_with(".parquet") || name.ends_with(".csv"));
    let public_edition = name.starts_with("izleme-") && (name.ends_with("-kamu.xlsx") || name.ends_with("-kamu.pdf"));
    feed_file || public_edition
}

#[test]
fn issue_11_the_publishable_folder_holds_only_public_files_and_all_of_them() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = pipeline_in(tmp.path(), "state = \"state\"");
    let out = yeep_run(&pipeline, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = tmp.path().join("out").join(PLAN);
    let public = plan.join("kamu");
    let inside: Vec<PathBuf> = files_below(&public)
        .into_iter()
        .map(|f| f.strip_prefix(&public).unwrap().to_path_buf())
        .collect();
    for rel in &inside {
        assert!(is_public_file(rel), "{} is not a public file", rel.display());
    }
    // Every public file is there: per period the public edition and its feed, the
    // cumulative feed, the public plan workbook.
    for rel in [
        "2022/izleme-2022-kamu.xlsx",
        "2023/izleme-2023-kamu.xlsx",
        "2023/feed/metrics.parquet",
        "2023/feed/metrics.csv",
        "2023/feed/observations.parquet",
        "2023/feed/observations.csv",
        "feed/metrics/period=2023/part-0.parquet",
        "feed/observations/period=2023/part-0.parquet",
        &format!("izleme-{PLAN}-kamu.xlsx"),
    ] {
        assert!(
            inside.contains(&PathBuf::from(rel)),
            "{rel} missing from kamu/: {inside:?}"
        );
    }
    // Nothing public is outside it, nothing internal inside it.
    for f in files_below(&plan) {
        let rel = f.strip_prefix(&plan).unwrap();
        if !rel.starts_with("kamu") {
            assert!(!is_public_file(rel), "{} is public but outside kamu/", rel.display());
        }
    }
    for rel in [
        "2023/izleme-2023.xlsx",
        "2023/dogrulama-2023.xlsx",
        "2023/manifest.json",
    ] {
        assert!(plan.join(rel).is_file(), "{rel}");
    }
    assert!(plan.join(format!("izleme-{PLAN}.xlsx")).is_file());
}

#[test]
fn issue_11_the_cache_lives_in_the_state_folder_the_pipeline_names() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = pipeline_in(tmp.path(), "state = \"durum\"");
    let out = yeep_run(&pipeline, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let cache = tmp.path().join("durum").join(PLAN).join("cache");
    assert!(
        cache.join("index.bin").is_file(),
        "the cache is in the named state folder"
    );
    // Nothing under the output folder is a cache (no segment, no index).
    for f in files_below(&tmp.path().join("out")) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            !(name.starts_with("seg-") || name == "index.bin"),
            "cache file {} under the output folder",
            f.display()
        );
    }
    // A second run reads every input from there.
    let again = yeep_run(&pipeline, &["--log-format", "json"]);
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(log.contains("\"files_parsed\":0"), "{log}");
    // `--state` overrides the pipeline's.
    let other = tmp.path().join("baska");
    let third = yeep_run(&pipeline, &["--state", other.to_str().unwrap()]);
    assert_eq!(third.status.code(), Some(3));
    assert!(other.join(PLAN).join("cache/index.bin").is_file());
}

#[test]
fn issue_11_a_state_folder_inside_the_publishable_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = pipeline_in(tmp.path(), &format!("state = \"out/{PLAN}/kamu/durum\""));
    let out = yeep_run(&pipeline, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("publishable folder"), "{err}");
    assert!(
        files_below(&tmp.path().join("out")).is_empty(),
        "nothing was written: {:?}",
        files_below(&tmp.path().join("out"))
    );
    // So is a state folder that holds the publishable folder.
    let pipeline = pipeline_in(tmp.path(), "state = \"out\"");
    assert_eq!(yeep_run(&pipeline, &[]).status.code(), Some(1));
}

#[test]
fn issue_11_what_an_older_layout_left_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = pipeline_in(tmp.path(), "state = \"state\"");
    let plan = tmp.path().join("out").join(PLAN);
    // An older yeep kept the cache (raw values) and the public Hive feed and plan
    // workbook in the plan folder.
    for (rel, bytes) in [
        (".cache/index.bin", &b"raw values"[..]),
        ("feed/metrics/period=2023/part-0.parquet", b"old"),
        (&format!("izleme-{PLAN}-kamu.xlsx"), b"old"),
    ] {
        let path = plan.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let out = yeep_run(&pipeline, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!plan.join(".cache").exists());
    assert!(!plan.join("feed").exists());
    assert!(!plan.join(format!("izleme-{PLAN}-kamu.xlsx")).exists());
    assert!(plan.join(format!("kamu/izleme-{PLAN}-kamu.xlsx")).is_file());
}

/// The manifest, outside the publishable folder, lists the public files relative to
/// itself with their hashes, so a publisher can check what is published.
#[test]
fn issue_11_the_manifest_lists_the_public_files_it_does_not_sit_beside() {
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = pipeline_in(tmp.path(), "state = \"state\"");
    assert_eq!(yeep_run(&pipeline, &["--period", "2023"]).status.code(), Some(3));
    let dir = tmp.path().join("out").join(PLAN).join("2023");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<(String, String)> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["file"].as_str().unwrap().to_string(),
                o["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let public: Vec<&(String, String)> = listed.iter().filter(|(f, _)| f.starts_with("../kamu/2023/")).collect();
    assert_eq!(public.len(), 5, "the public edition and four feed files: {listed:?}");
    for (file, sha) in &listed {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(&yeep::sources::sha256_hex(&bytes), sha, "{file}");
    }
}

/// A run killed between swapping a period's public folder and its internal folder leaves
/// the new internal folder staged; the next run's tidy-up finishes the swap when the
/// staged manifest lists exactly the public files now in place, and drops it otherwise.
#[test]
fn issue_11_a_half_swapped_period_is_finished_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    crate::common::copy_dir(&root().join("input"), &input);
    let run_into = |out: &Path| {
        let p = yeep::pipeline::Pipeline::load(&shipped_pipeline()).unwrap();
        let opts = yeep::pipeline::run::RunOptions {
            period: Some("2023".into()),
            input: Some(input.clone()),
            output: Some(out.to_path_buf()),
            lock_wait: std::time::Duration::from_secs(60),
            ..Default::default()
        };
        yeep::pipeline::run::run(&p, &opts).unwrap();
        out.join(PLAN)
    };
    let old = run_into(&tmp.path().join("old"));
    std::fs::remove_file(input.join("tuik/sege_il_2011.xlsx")).unwrap();
    let new = run_into(&tmp.path().join("new"));
    let manifest = |plan: &Path| std::fs::read(plan.join("2023/manifest.json")).unwrap();
    assert_ne!(manifest(&old), manifest(&new), "the two runs differ");

    // Old internal folder, new public folder, new internal folder staged.
    let staged = old.join(".tmp-2023-4242");
    crate::common::copy_dir(&new.join("2023"), &staged);
    std::fs::remove_dir_all(old.join("kamu/2023")).unwrap();
    crate::common::copy_dir(&new.join("kamu/2023"), &old.join("kamu/2023"));
    yeep::pipeline::output::clean_leftovers(&old);
    assert!(!staged.exists());
    assert_eq!(manifest(&old), manifest(&new), "the swap was finished");

    // A staged folder whose public files were never swapped in is dropped, the period
    // folder left as it is.
    let before = manifest(&old);
    let staged = old.join(".tmp-2023-4343");
    crate::common::copy_dir(&tmp.path().join("old").join(PLAN).join("2023"), &staged);
    std::fs::write(
        staged.join("manifest.json"),
        b"{\"outputs\": [{\"file\": \"../kamu/2023/x\", \"sha256\": \"0\"}]}",
    )
    .unwrap();
    yeep::pipeline::output::clean_leftovers(&old);
    assert!(!staged.exists());
    assert_eq!(manifest(&old), before);
}
