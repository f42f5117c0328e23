//! Only regular files inside the input folder are read (issue 17, item 3): FIFOs, sockets,
//! devices, links that leave the folder, dangle or loop, hidden and office lock files are
//! skipped — and each is listed, in the validation report (an `entry-skipped` warning) and
//! in the manifest, never dropped without a trace. A FIFO never hangs the run.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use yeep::diagnostics::{Note, Reason};
use yeep::pipeline::collect::{self, list_files, Options};
use yeep::pipeline::run::{run, RunOptions};
use yeep::pipeline::Pipeline;

use crate::common::{copy_dir, root, shipped_pipeline};

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// Plants every kind of entry that must not be read into `dir`, and returns
/// (name, why) of each.
fn plant(dir: &Path) -> Vec<(String, &'static str)> {
    mkfifo(&dir.join("boru.xlsx"));
    symlink("/etc/passwd", dir.join("passwd.xlsx")).unwrap();
    symlink("/dev/zero", dir.join("sifir.xlsx")).unwrap();
    symlink(dir.join("yok.xlsx"), dir.join("kopuk.xlsx")).unwrap();
    symlink(dir, dir.join("dongu")).unwrap();
    std::fs::write(dir.join(".~lock.ilce-buca-2023.xlsx#"), b"buca,host,2023").unwrap();
    std::fs::write(dir.join("~$ilce-buca-2023.xlsx"), b"x").unwrap();
    std::fs::write(dir.join("._ilce-buca-2023.xlsx"), b"\0\x05\x16\x07").unwrap();
    std::fs::write(dir.join(".gizli.xlsx"), b"x").unwrap();
    std::fs::write(dir.join(".DS_Store"), b"x").unwrap();
    std::fs::write(dir.join(".gitkeep"), b"").unwrap();
    std::fs::create_dir(dir.join(".git")).unwrap();
    vec![
        ("boru.xlsx".into(), "fifo"),
        ("passwd.xlsx".into(), "link-outside-input"),
        ("sifir.xlsx".into(), "link-outside-input"),
        ("kopuk.xlsx".into(), "link-dangling"),
        ("dongu".into(), "link-loop"),
        (".~lock.ilce-buca-2023.xlsx#".into(), "office-lock"),
        ("~$ilce-buca-2023.xlsx".into(), "office-lock"),
        ("._ilce-buca-2023.xlsx".into(), "os-metadata"),
        (".gizli.xlsx".into(), "hidden"),
        (".DS_Store".into(), "os-metadata"),
        (".git".into(), "hidden"),
    ]
}

/// Runs `f` on another thread and fails the test if it takes more than a minute (a FIFO
/// opened for reading blocks forever).
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the run hung on an entry it should not read")
}

#[test]
fn issue_17_only_regular_files_inside_the_input_folder_are_read_and_the_rest_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let sub = input.join("submissions/2023");
    let real: Vec<String> = list_files(&input, &sub).files.into_iter().map(|(_, r)| r).collect();
    assert!(real.len() > 10);
    let mut planted: Vec<(String, &str)> = plant(&sub)
        .into_iter()
        .map(|(n, w)| (format!("submissions/2023/{n}"), w))
        .collect();
    planted.sort();
    let listing = list_files(&input, &sub);
    let files: Vec<String> = listing.files.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(files, real, "only the real files are read");
    assert_eq!(listing.skipped, planted);

    // The collector: the same files judged, one located warning per skipped entry.
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let input2 = input.clone();
    let c = within_a_minute(move || {
        let cat = p.catalogue().unwrap();
        collect::submissions(&p, &cat, &input2, "2023", Options::default())
    });
    let judged: Vec<String> = c.files.iter().map(|f| f.file.clone()).collect();
    assert_eq!(judged, real);
    let mut warned: Vec<(String, String)> = c
        .diagnostics
        .iter()
        .filter(|d| d.reason == Reason::EntrySkipped)
        .map(|d| match &d.note {
            Note::EntrySkipped { why } => (d.file.clone(), why.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    warned.sort();
    let want: Vec<(String, String)> = planted.iter().map(|(f, w)| (f.clone(), w.to_string())).collect();
    assert_eq!(warned, want);
    assert!(c
        .diagnostics
        .iter()
        .filter(|d| d.reason == Reason::EntrySkipped)
        .all(|d| d.period == "2023"));
}

#[test]
fn issue_17_a_fifo_or_a_device_link_in_tuik_never_hangs_the_run_and_is_in_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&root().join("input"), &input);
    let tuik = input.join("tuik");
    mkfifo(&tuik.join("boru.xlsx"));
    symlink("/dev/zero", tuik.join("sifir.xlsx")).unwrap();
    symlink("/proc/self/environ", tuik.join("ortam.csv")).unwrap();
    // A link to a file inside the input folder is read like the file.
    symlink(
        tuik.join("isgucu_il_2020.xlsx"),
        input.join("submissions/2023/baglanti.xlsx"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (input2, out2) = (input.clone(), out.clone());
    let outcome = within_a_minute(move || {
        let p = Pipeline::load(&shipped_pipeline()).unwrap();
        let opts = RunOptions {
            input: Some(input2),
            output: Some(out2),
            ..Default::default()
        };
        run(&p, &opts).unwrap()
    });
    assert!(!outcome.periods.is_empty());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("izmir-2022-2024/2023/manifest.json")).unwrap()).unwrap();
    let skipped: Vec<(String, String)> = manifest["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap().to_string(),
                s["why"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("tuik/boru.xlsx".to_string(), "fifo".to_string()),
            ("tuik/ortam.csv".to_string(), "link-outside-input".to_string()),
            ("tuik/sifir.xlsx".to_string(), "link-outside-input".to_string()),
        ]
    );
    // Nothing of /proc or /dev was read or hashed.
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(inputs
        .iter()
        .all(|f| !["tuik/ortam.csv", "tuik/sifir.xlsx", "tuik/boru.xlsx"].contains(&f["file"].as_str().unwrap())));
    // The link inside the folder was read (as a file that is not a submission).
    assert!(inputs.iter().any(|f| f["file"] == "submissions/2023/baglanti.xlsx"));
    // And the validation report lists them.
    let csv = std::fs::read_to_string(out.join("izmir-2022-2024/2023/dogrulama-2023.csv")).unwrap();
    assert!(csv.contains("entry-skipped") && csv.contains("tuik/boru.xlsx"), "{csv}");
}

/// A huge file is refused from its size, never read into memory first (issue 17, item 8).
#[test]
fn issue_17_a_huge_file_is_refused_by_its_size_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    let sub = input.join("submissions/2023");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        root().join("input/submissions/2023/basin-yayin-2023.xlsx"),
        sub.join("basin-yayin-2023.xlsx"),
    )
    .unwrap();
    // 3 GiB, sparse: nothing on disk, but reading it whole would take 3 GiB of memory.
    let big = std::fs::File::create(sub.join("dev-2023.xlsx")).unwrap();
    big.set_len(3 << 30).unwrap();
    drop(big);
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let input2 = input.clone();
    let c = within_a_minute(move || {
        let cat = p.catalogue().unwrap();
        collect::submissions(&p, &cat, &input2, "2023", Options::default())
    });
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("dev-2023.xlsx"))
        .expect("a diagnostic");
    assert_eq!(d.reason, Reason::FileTooLarge);
    assert_eq!(
        d.note,
        Note::FileTooLarge {
            bytes: 3 << 30,
            limit: yeep::sources::guard::Limits::default().max_file_bytes
        }
    );
    // The good file beside it is read.
    assert!(c
        .files
        .iter()
        .any(|f| f.file.ends_with("basin-yayin-2023.xlsx") && f.values_accepted > 0));
}
