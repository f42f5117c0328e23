//! Cheap re-runs (issues 6 and 7): unchanged inputs are not parsed again, and a run from
//! the cache writes exactly what a full run writes.

use std::path::{Path, PathBuf};

use yeep::model::lang::Lang;
use yeep::pipeline::run::{run, RunOptions, RunOutcome};
use yeep::pipeline::Pipeline;

use crate::common::{copy_dir, root, shipped_pipeline};

fn run_on(input: &Path, output: &Path) -> RunOutcome {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let opts = RunOptions {
        input: Some(input.to_path_buf()),
        output: Some(output.to_path_buf()),
        lock_wait: std::time::Duration::from_secs(5),
        ..Default::default()
    };
    run(&p, &opts).unwrap()
}

/// Every output file (not the state folder, not the up-to-date records, not the lock)
/// with its bytes, sorted by path.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name == ".yeep-state" || name == yeep::pipeline::uptodate::OUTPUTS_FILE || name == ".yeep.lock" {
                continue;
            }
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn assert_same(a: &Path, b: &Path) {
    let (fa, fb) = (outputs(a), outputs(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb));
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs between the cached and the full run");
    }
}

fn input_files(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn issue_7_rerun_reads_only_changed_files_and_writes_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let total = input_files(&input);

    // First run: everything parsed, the cache filled.
    let out = tmp.path().join("out");
    let first = run_on(&input, &out);
    assert_eq!((first.files_parsed, first.cache_hits), (total, 0));
    let after_first = outputs(&out);

    // Unchanged inputs: no workbook read, byte-identical outputs.
    let second = run_on(&input, &out);
    assert_eq!((second.files_parsed, second.cache_hits), (0, total));
    assert_eq!(first.periods, second.periods);
    assert!(outputs(&out) == after_first, "a run from the cache changed the outputs");

    // One workbook changed (Buca sends an empty template instead): only it is parsed, and
    // the outputs are those of a full run without the cache.
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let (bytes, _) = yeep::sinks::template::build(&cat, "ilce-buca", "2023", Lang::Tr, None).unwrap();
    let changed = input.join("submissions/2023/ilce-buca-2023.xlsx");
    assert!(changed.is_file());
    std::fs::write(&changed, bytes).unwrap();
    let third = run_on(&input, &out);
    assert_eq!((third.files_parsed, third.cache_hits), (1, total - 1));
    let fresh = tmp.path().join("fresh");
    let full = run_on(&input, &fresh);
    assert_eq!(full.files_parsed, total);
    assert_eq!(third.periods.len(), full.periods.len());
    assert_same(&out, &fresh);
    assert!(outputs(&out) != after_first, "the changed file changed the outputs");
}

#[test]
fn issue_7_catalogue_edit_invalidates_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let plan_dir = tmp.path().join("plan");
    let cache = yeep::pipeline::cache::Cache::open(&p, &plan_dir);
    let key = cache.key("submissions/2023/a.xlsx", "2023", "00");
    assert_ne!(key, cache.key("submissions/2023/b.xlsx", "2023", "00"));
    assert_ne!(key, cache.key("submissions/2023/a.xlsx", "2022", "00"));
    assert_ne!(key, cache.key("submissions/2023/a.xlsx", "2023", "01"));

    // The same plan with one catalogue file edited gives other keys.
    let copy = tmp.path().join("pipelines");
    copy_dir(&root().join("pipelines"), &copy);
    let edited = Pipeline::load(&copy.join("izmir-2022-2024.toml")).unwrap();
    let same = yeep::pipeline::cache::Cache::open(&edited, &plan_dir);
    assert_eq!(key, same.key("submissions/2023/a.xlsx", "2023", "00"));
    let units = copy.join("izmir-2022-2024/units.toml");
    let text = std::fs::read_to_string(&units).unwrap();
    std::fs::write(&units, format!("{text}\n# edited\n")).unwrap();
    let other = yeep::pipeline::cache::Cache::open(&edited, &plan_dir);
    assert_ne!(key, other.key("submissions/2023/a.xlsx", "2023", "00"));
}

/// (inode, modification time) of a file: the same after a run that did not write it.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[test]
fn issue_7_rerun_writes_only_outputs_whose_data_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let out = tmp.path().join("out");
    run_on(&input, &out);
    let plan = out.join("izmir-2022-2024");
    let (wb22, wb23) = (plan.join("2022/izleme-2022.xlsx"), plan.join("2023/izleme-2023.xlsx"));
    let part22 = plan.join("kamu/feed/observations/period=2022/part-0.parquet");
    let (id22, id23, idp22) = (identity(&wb22), identity(&wb23), identity(&part22));

    // Nothing changed: nothing is written again.
    run_on(&input, &out);
    assert_eq!(
        (identity(&wb22), identity(&wb23), identity(&part22)),
        (id22, id23, idp22)
    );

    // A 2023 workbook changed: the 2023 folder (and the 2023 feed partition) are written
    // again, 2022 is left as it is, and everything equals a fresh full run.
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let (bytes, _) = yeep::sinks::template::build(&cat, "ilce-buca", "2023", Lang::Tr, None).unwrap();
    std::fs::write(input.join("submissions/2023/ilce-buca-2023.xlsx"), bytes).unwrap();
    let third = run_on(&input, &out);
    assert_eq!(identity(&wb22), id22, "2022 was written again");
    assert_eq!(identity(&part22), idp22, "the 2022 feed partition was written again");
    assert_ne!(identity(&wb23), id23, "2023 was not written");
    let fresh = tmp.path().join("fresh");
    let full = run_on(&input, &fresh);
    let strip = |o: &RunOutcome| {
        let mut v = o.periods.clone();
        v.iter_mut().for_each(|p| {
            p.dir = PathBuf::new();
            p.report = PathBuf::new();
        });
        v
    };
    assert_eq!(
        strip(&third),
        strip(&full),
        "the outcome of a skipped period is still reported"
    );
    assert_same(&out, &fresh);

    // An output edited, removed or added by hand is put right by the next run.
    let manifest22 = plan.join("2022/manifest.json");
    let original = std::fs::read(&manifest22).unwrap();
    std::fs::write(&manifest22, b"{}").unwrap();
    std::fs::remove_file(&wb23).unwrap();
    std::fs::write(plan.join("2023/extra.txt"), b"x").unwrap();
    run_on(&input, &out);
    assert_eq!(std::fs::read(&manifest22).unwrap(), original);
    assert!(wb23.is_file());
    assert!(!plan.join("2023/extra.txt").exists());
    assert_same(&out, &fresh);

    // Deleting the state folder and the up-to-date records is safe: everything is
    // written again, the same.
    std::fs::remove_dir_all(out.join(".yeep-state")).unwrap();
    std::fs::remove_file(plan.join(yeep::pipeline::uptodate::OUTPUTS_FILE)).unwrap();
    run_on(&input, &out);
    assert_ne!(identity(&wb22), id22);
    assert_same(&out, &fresh);
}

#[test]
fn issue_7_touched_file_is_hashed_again_and_a_same_size_edit_is_parsed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let total = input_files(&input);
    let out = tmp.path().join("out");
    run_on(&input, &out);

    // Same bytes written again (new times): hashed, found, not parsed.
    let f = input.join("submissions/2022/ilce-buca-2022.xlsx");
    let bytes = std::fs::read(&f).unwrap();
    std::fs::write(&f, &bytes).unwrap();
    let second = run_on(&input, &out);
    assert_eq!((second.files_parsed, second.cache_hits), (0, total));

    // One byte changed, same size: parsed (a zip with a changed byte is a corrupt file).
    let mut edited = bytes.clone();
    let last = edited.len() - 30;
    edited[last] ^= 0x55;
    std::fs::write(&f, &edited).unwrap();
    let third = run_on(&input, &out);
    assert_eq!((third.files_parsed, third.cache_hits), (1, total - 1));
}

#[test]
fn issue_7_damaged_cache_means_parsing_not_wrong_values() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let out = tmp.path().join("out");
    run_on(&input, &out);
    let fresh = tmp.path().join("fresh");
    run_on(&input, &fresh);

    // Every segment cut short, then overwritten with garbage; the index kept.
    let cache = out.join(".yeep-state/izmir-2022-2024/cache");
    let segs: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("seg-"))
        .collect();
    assert!(!segs.is_empty());
    for s in &segs {
        let len = std::fs::metadata(s).unwrap().len() as usize;
        std::fs::write(s, vec![0xff; len / 2]).unwrap();
    }
    std::fs::remove_dir_all(out.join("izmir-2022-2024/2023")).unwrap();
    let again = run_on(&input, &out);
    assert_eq!(again.cache_hits, 0, "no value came from the damaged cache");
    assert_same(&out, &fresh);

    // An index that is not an index: a miss, never a failure.
    std::fs::write(cache.join("index.bin"), b"not an index").unwrap();
    let third = run_on(&input, &out);
    assert_eq!(third.cache_hits, 0);
    assert_same(&out, &fresh);
}

#[test]
fn issue_7_known_hash_only_for_the_same_file_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let plan_dir = tmp.path().join("plan");
    let f = tmp.path().join("a.xlsx");
    std::fs::write(&f, b"abc").unwrap();
    let stamp = yeep::pipeline::cache::FileStamp::of(&std::fs::metadata(&f).unwrap());
    let cache = yeep::pipeline::cache::Cache::open(&p, &plan_dir);
    let outcome = yeep::validate::FileOutcome::default();
    let key = cache.key("submissions/2023/a.xlsx", "2023", "sha-of-abc");
    let mut o = outcome.clone();
    o.account.sha256 = "sha-of-abc".into();
    cache.put(&key, "submissions/2023/a.xlsx", "2023", Some(stamp), &o);
    cache.save();

    let cache = yeep::pipeline::cache::Cache::open(&p, &plan_dir);
    assert_eq!(
        cache.known_sha256("submissions/2023/a.xlsx", "2023", &stamp),
        Some("sha-of-abc")
    );
    assert_eq!(cache.known_sha256("submissions/2023/a.xlsx", "2022", &stamp), None);
    assert_eq!(cache.known_sha256("submissions/2023/b.xlsx", "2023", &stamp), None);
    std::thread::sleep(std::time::Duration::from_millis(10));
    std::fs::write(&f, b"abd").unwrap();
    let changed = yeep::pipeline::cache::FileStamp::of(&std::fs::metadata(&f).unwrap());
    assert_ne!(changed, stamp);
    assert_eq!(cache.known_sha256("submissions/2023/a.xlsx", "2023", &changed), None);
    let back = cache.get(&key, "submissions/2023/a.xlsx", "2023", Some(stamp)).unwrap();
    assert_eq!(back.account.sha256, "sha-of-abc");
}

fn run_as_build(input: &Path, output: &Path, build: &str) -> RunOutcome {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let opts = RunOptions {
        input: Some(input.to_path_buf()),
        output: Some(output.to_path_buf()),
        lock_wait: std::time::Duration::from_secs(5),
        build: Some(build.to_string()),
        ..Default::default()
    };
    run(&p, &opts).unwrap()
}

/// Issue 13: the cache and the up-to-date records are keyed on the build's identity, so a
/// binary rebuilt with a fix parses every input again and writes every output again.
#[test]
fn issue_13_a_rebuilt_binary_reuses_no_cached_outcome_and_no_up_to_date_output() {
    assert_eq!(yeep::BUILD_ID.len(), 64, "the build identity is a SHA-256");
    assert!(yeep::BUILD_ID.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(yeep::cli::version_text(&[]).contains(&format!("build: {}", &yeep::BUILD_ID[..16])));
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let total = input_files(&input);
    let out = tmp.path().join("out");
    let plan = out.join("izmir-2022-2024");
    let watched = [
        plan.join("2022/izleme-2022.xlsx"),
        plan.join("2023/izleme-2023.xlsx"),
        plan.join("kamu/feed/observations/period=2022/part-0.parquet"),
        plan.join("izleme-izmir-2022-2024.xlsx"),
    ];
    let ids = |w: &[PathBuf]| w.iter().map(|f| identity(f)).collect::<Vec<_>>();

    let first = run_as_build(&input, &out, "build-a");
    assert_eq!((first.files_parsed, first.cache_hits), (total, 0));
    let before = ids(&watched);
    let bytes_before = outputs(&out);

    // The same build again: every outcome from the cache, nothing written.
    let same = run_as_build(&input, &out, "build-a");
    assert_eq!((same.files_parsed, same.cache_hits), (0, total));
    assert_eq!(ids(&watched), before, "the same build wrote an up-to-date output again");

    // Another build (a fix): nothing from the cache, every output written again — with
    // the same bytes here, since the code did not really change.
    let rebuilt = run_as_build(&input, &out, "build-b");
    assert_eq!(
        (rebuilt.files_parsed, rebuilt.cache_hits),
        (total, 0),
        "a stale outcome was reused"
    );
    for (f, id) in watched.iter().zip(&before) {
        assert_ne!(&identity(f), id, "{} was left from the other build", f.display());
    }
    assert!(outputs(&out) == bytes_before);
}
