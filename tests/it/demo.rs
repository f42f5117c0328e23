//! `yeep demo` (issue 7): scale 1 is the shipped input; scale N adds N − 1 distinct sets
//! and the national TÜİK tables, deterministically for a seed.

use std::path::Path;

use yeep::pipeline::Pipeline;

use crate::common::{root, shipped_pipeline};

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn issue_7_scale_1_is_the_shipped_input() {
    let cat = Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    yeep::demo::write_demo(&cat, tmp.path(), 1, 0).unwrap();
    let written = read_all(&tmp.path().join("submissions"));
    let shipped = read_all(&root().join("input/submissions"));
    assert_eq!(written.len(), shipped.len());
    for ((a, x), (b, y)) in written.iter().zip(&shipped) {
        assert_eq!(a, b);
        assert!(x == y, "{a} drifted from the demo generator");
    }
}

#[test]
fn issue_7_scale_2_adds_a_distinct_set_and_national_tables_deterministically() {
    let cat = Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    yeep::demo::write_demo(&cat, a.path(), 2, 7).unwrap();
    yeep::demo::write_demo(&cat, b.path(), 2, 7).unwrap();
    let (fa, fb) = (read_all(a.path()), read_all(b.path()));
    assert!(fa == fb, "the same seed gives the same bytes");

    let set1 = read_all(&a.path().join("submissions/2023"));
    let set1: Vec<_> = set1.iter().filter(|(n, _)| !n.starts_with("set-")).collect();
    let set2 = read_all(&a.path().join("submissions/2023/set-2"));
    assert_eq!(set1.len(), set2.len(), "a full set");
    let same = set1.iter().zip(&set2).filter(|((_, x), (_, y))| x == y).count();
    assert_eq!(same, 0, "every file of set 2 differs from set 1");

    for year in yeep::demo::tuik_national::NATIONAL_YEARS {
        let name = yeep::demo::tuik_national::national_file_name(year);
        assert!(a.path().join("tuik").join(name).is_file());
    }
    assert!(a.path().join("tuik/adnks_il_nufus_2019-2020.csv").is_file());
}

#[test]
fn issue_7_national_table_has_973_districts_and_maps_izmir() {
    use yeep::sources::tuik::load_grid;
    let cat = Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap();
    let izmir: Vec<String> = cat.districts.iter().map(|d| d.name.clone()).collect();
    let (_, bytes) = yeep::demo::tuik_national::national_table(&izmir, 2019, 7).unwrap();
    let g = load_grid(bytes, None).unwrap();
    // Two title lines, a blank, two header rows, 81 provinces + 973 districts, footer.
    let labels: Vec<String> = (5..5 + 81 + 973).map(|r| g.cell(r, 0).text()).collect();
    assert!(labels.iter().all(|l| !l.is_empty()));
    assert_eq!(labels.iter().filter(|l| l.as_str() == "İzmir").count(), 1);
    assert!(labels.iter().any(|l| l == "Karşıyaka"));

    // Through the benchmark pipeline's mapping: İzmir's all-ages row, by sex.
    let p = Pipeline::load(&root().join("benches/pipeline-bench.toml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tuik/ulusal");
    std::fs::create_dir_all(&dir).unwrap();
    let (name, bytes) = yeep::demo::tuik_national::national_table(&izmir, 2019, 7).unwrap();
    std::fs::write(tmp.path().join("tuik").join(name), bytes).unwrap();
    let read = yeep::pipeline::collect::tuik(&p, &cat, tmp.path(), None, Default::default());
    let obs: Vec<_> = read
        .observations
        .iter()
        .filter(|o| o.indicator_id == "ctx-nufus")
        .collect();
    assert_eq!(obs.len(), 3, "{:?}", read.diagnostics);
    let v = |s: yeep::normalise::Sex| obs.iter().find(|o| o.sex == s).unwrap().value;
    use yeep::normalise::Sex::*;
    assert_eq!(v(Total), v(Female) + v(Male));
}
