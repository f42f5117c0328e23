//! Cheap re-runs (issues 6 and 7): unchanged inputs are not parsed again, and a run from
//! the cache writes exactly what a full run writes.

use std::path::{Path, PathBuf};

use yeep::lang::Lang;
use yeep::pipeline::run::{run, RunOptions, RunOutcome};
use yeep::pipeline::Pipeline;

use crate::common::{root, shipped_pipeline};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn run_on(input: &Path, output: &Path) -> RunOutcome {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let opts = RunOptions {
        period: None,
        input: Some(input.to_path_buf()),
        output: Some(output.to_path_buf()),
        lang: None,
        lock_wait: std::time::Duration::from_secs(5),
        progress: Default::default(),
    };
    run(&p, &opts).unwrap()
}

/// Every output file (not the cache, not the lock) with its bytes, sorted by path.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name == ".cache" || name == ".yeep.lock" {
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
