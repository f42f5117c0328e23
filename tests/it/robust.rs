//! A scheduled job that survives crashes and its own second copy (issue #6), with the real
//! binary: a run killed with SIGKILL while it writes leaves every period folder complete —
//! exactly the old one or exactly a new one — and the next run succeeds and tidies up; a
//! second run on the same output folder refuses (or waits with `--wait`) and leaves the
//! first's outputs untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use yeep::sources::sha256_hex;

use crate::common::{copy_dir, root, shipped_pipeline};

const PLAN: &str = "izmir-2022-2024";

/// `yeep run` on `input`, writing under `output`, with plain logs.
fn yeep_run(input: &Path, output: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yeep"));
    c.arg("run")
        .arg(shipped_pipeline())
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1");
    c
}

fn run_to_end(input: &Path, output: &Path, extra: &[&str]) -> Output {
    yeep_run(input, output, extra).output().unwrap()
}

/// A private copy of the shipped `input/`.
fn input_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("input"), dir.path());
    dir
}

fn files_below(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            files_below(&e.path(), base, out);
        } else {
            let rel = e
                .path()
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(rel);
        }
    }
}

/// Asserts that the period folder and its public folder `kamu/<period>/` are complete and
/// self-consistent: they hold exactly the files the manifest lists (and the manifest),
/// each with the listed size and SHA-256.
/// Returns the manifest's text.
fn assert_complete(period_dir: &Path) -> String {
    let text = std::fs::read_to_string(period_dir.join("manifest.json"))
        .unwrap_or_else(|e| panic!("{}: no manifest: {e}", period_dir.display()));
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut listed = vec!["manifest.json".to_string()];
    for o in m["outputs"].as_array().unwrap() {
        let file = o["file"].as_str().unwrap();
        let bytes = std::fs::read(period_dir.join(file))
            .unwrap_or_else(|e| panic!("{}: {file} listed but unreadable: {e}", period_dir.display()));
        assert_eq!(bytes.len() as u64, o["bytes"].as_u64().unwrap(), "{file}");
        assert_eq!(sha256_hex(&bytes), o["sha256"].as_str().unwrap(), "{file}");
        listed.push(file.to_string());
    }
    let mut present = Vec::new();
    files_below(period_dir, period_dir, &mut present);
    // The period's public folder, which the manifest lists relative to itself.
    let period = period_dir.file_name().unwrap().to_string_lossy().to_string();
    let public = period_dir.parent().unwrap().join("kamu").join(&period);
    let mut public_files = Vec::new();
    files_below(&public, &public, &mut public_files);
    present.extend(public_files.into_iter().map(|f| format!("../kamu/{period}/{f}")));
    listed.sort();
    present.sort();
    assert_eq!(present, listed, "{}: files not in the manifest", period_dir.display());
    text
}

/// Every period folder under the plan folder, complete; returns period → manifest text.
fn assert_all_complete(plan: &Path, periods: &[&str]) -> BTreeMap<String, String> {
    periods
        .iter()
        .map(|p| {
            let dir = plan.join(p);
            assert!(dir.is_dir(), "{} is missing", dir.display());
            (p.to_string(), assert_complete(&dir))
        })
        .collect()
}

/// Staging, set-aside or half-written files anywhere below `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with(".tmp-") || name.starts_with(".old-") || name.contains(".tmp-") {
                out.push(e.path());
            } else if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
    out
}

fn staging_exists(plan: &Path) -> bool {
    std::fs::read_dir(plan).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.starts_with(".tmp-2022-") || n.starts_with(".tmp-2023-")
        })
    })
}

#[test]
fn sigkill_while_writing_leaves_every_period_folder_complete() {
    let input = input_copy();
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join(PLAN);
    let first = run_to_end(input.path(), out.path(), &[]);
    assert_eq!(
        first.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let mut last_seen = assert_all_complete(&plan, &["2022", "2023"]);

    // A TÜİK table goes into both periods' outputs: toggling it makes every run's outputs
    // differ from what is on disk.
    let toggled = input.path().join("tuik/sege_il_2011.xlsx");
    let toggled_bytes = std::fs::read(&toggled).unwrap();
    let (mut killed_mid_write, mut replaced) = (0, 0);
    for (i, delay_ms) in [0u64, 30, 100, 250, 450, 700, 1000, 1400].into_iter().enumerate() {
        if i % 2 == 0 {
            std::fs::remove_file(&toggled).unwrap();
        } else {
            std::fs::write(&toggled, &toggled_bytes).unwrap();
        }
        let mut child = yeep_run(input.path(), out.path(), &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut seen = false;
        while start.elapsed() < Duration::from_secs(120) {
            if staging_exists(&plan) {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let alive = child.try_wait().unwrap().is_none();
        child.kill().unwrap_or(()); // SIGKILL on Unix; an error only if it already exited
        child.wait().unwrap();
        if seen && alive {
            killed_mid_write += 1;
        }
        // Whatever the moment of the kill: each period folder is there and whole (the old
        // one or a new one; a folder mixing both would fail the manifest's hashes).
        let now = assert_all_complete(&plan, &["2022", "2023"]);
        replaced += now.iter().filter(|(p, text)| **text != last_seen[*p]).count();
        last_seen = now;
    }
    eprintln!("{killed_mid_write} kills mid-write, {replaced} period folders found replaced");
    assert!(killed_mid_write > 0, "no kill landed while a staging folder existed");

    // The next run succeeds (3: the shipped inputs carry deliberate mistakes) and tidies up.
    let last = run_to_end(input.path(), out.path(), &[]);
    assert_eq!(last.status.code(), Some(3), "{}", String::from_utf8_lossy(&last.stderr));
    assert_all_complete(&plan, &["2022", "2023"]);
    assert_eq!(leftovers(out.path()), Vec::<PathBuf>::new());
}

/// Every file below `dir` (but the lock file) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = Vec::new();
    files_below(dir, dir, &mut files);
    files
        .into_iter()
        .filter(|f| f != ".yeep.lock")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn a_second_run_refuses_while_the_lock_is_held_and_waits_with_wait() {
    let input = input_copy();
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join(PLAN);
    let first = run_to_end(input.path(), out.path(), &["--period", "2023"]);
    assert_eq!(
        first.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&plan);
    assert!(before.contains_key("2023/manifest.json"));
    // Inputs change, so a run that got through would change the outputs.
    std::fs::remove_file(input.path().join("tuik/sege_il_2011.xlsx")).unwrap();

    let held = yeep::pipeline::output::lock(&plan, Duration::ZERO).unwrap();
    let refused = run_to_end(input.path(), out.path(), &["--period", "2023"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another yeep run") && stderr.contains(".yeep.lock"),
        "{stderr}"
    );
    assert!(snapshot(&plan) == before, "outputs changed under a held lock");

    // With --wait, the second run waits for the first to let go, then does its work.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        drop(held);
    });
    let start = Instant::now();
    let waited = run_to_end(input.path(), out.path(), &["--period", "2023", "--wait", "5"]);
    release.join().unwrap();
    assert_eq!(
        waited.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert!(snapshot(&plan) != before, "the waiting run wrote its outputs");
    assert_complete(&plan.join("2023"));
    assert_eq!(leftovers(out.path()), Vec::<PathBuf>::new());
}

/// Issue 17 (item 15): the lock says who holds it (process id, host, start time), cannot
/// be broken by deleting its file, and dies with its holder (no stale lock).
#[test]
fn issue_17_the_output_lock_names_its_holder_and_survives_deleting_its_file() {
    use yeep::pipeline::output::{lock, OutputError};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    let held = lock(&dir, Duration::ZERO).unwrap();
    let record = std::fs::read_to_string(dir.join(".yeep.lock")).unwrap();
    assert!(
        record.starts_with(&format!("pid {} on host ", std::process::id())),
        "{record}"
    );
    assert!(
        record.contains(" since 20") && record.trim_end().ends_with('Z'),
        "{record}"
    );
    match lock(&dir, Duration::ZERO) {
        Err(e @ OutputError::Locked { .. }) => assert!(e.to_string().contains(record.trim()), "{e}"),
        other => panic!("a second lock was granted: {other:?}"),
    }
    // Deleting the lock file does not let a second run in.
    std::fs::remove_file(dir.join(".yeep.lock")).unwrap();
    assert!(matches!(lock(&dir, Duration::ZERO), Err(OutputError::Locked { .. })));
    drop(held);
    // Let go: the next run gets it at once, and the record is its own.
    let again = lock(&dir, Duration::ZERO).expect("no stale lock after the holder let go");
    assert!(std::fs::read_to_string(&again.path).unwrap().starts_with("pid "));
}
