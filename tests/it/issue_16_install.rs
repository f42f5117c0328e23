//! Issue 16: `--version`, the run summary on a terminal, normalised paths, and the Debian
//! package (built from the debug binary, unpacked into a scratch root, run from there).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{copy_dir, root, shipped_pipeline};

/// On CI (`CI` set, as `.ci/run` runs) a missing tool is a failure; elsewhere the test says
/// what it skipped and returns (`crate::common::require_or_skip`).
fn require_tool(tool: &str) -> bool {
    crate::common::tool(&[tool]).is_some()
}

/// Runs `cmd`; it must succeed (`what` and its stderr name the failure).
fn succeed(cmd: &mut Command, what: &str) -> std::process::Output {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{what}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

fn yeep() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_yeep"))
}

#[test]
fn issue_16_version_prints_commit_and_catalogue_version() {
    for flag in ["--version", "-V"] {
        let out = Command::new(yeep()).arg(flag).current_dir(root()).output().unwrap();
        assert!(out.status.success(), "{flag}: {out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("yeep {}", env!("CARGO_PKG_VERSION")), "{text}");
        let commit = lines[1].strip_prefix("commit: ").expect(&text);
        let hash = commit.split([' ', '+']).next().unwrap();
        // A clone has git: the build records the real commit (12 hex digits).
        let head = Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .current_dir(root())
            .output()
            .unwrap();
        if head.status.success() {
            assert_eq!(hash, String::from_utf8_lossy(&head.stdout).trim(), "{text}");
        }
        assert!(hash == "unknown" || (hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit())));
        assert_eq!(
            lines[2], "catalogue: izmir-2022-2024 2022.1 (pipelines/izmir-2022-2024.toml)",
            "{text}"
        );
    }
    // Away from a checkout and without /etc/yeep: says so, still exits 0.
    let text = yeep::cli::version_text(&["/nonexistent/a.toml"]);
    assert!(
        text.contains("catalogue: no pipeline file (looked for /nonexistent/a.toml)"),
        "{text}"
    );
}

#[test]
fn issue_16_pipeline_paths_are_lexically_normal() {
    use yeep::pipeline::lexically_normal as n;
    assert_eq!(n(Path::new("pipelines/../output")), PathBuf::from("output"));
    assert_eq!(
        n(Path::new("/etc/yeep/../../var/lib/yeep/input")),
        PathBuf::from("/var/lib/yeep/input")
    );
    assert_eq!(n(Path::new("./a/./b/")), PathBuf::from("a/b"));
    assert_eq!(n(Path::new("../x/../../y")), PathBuf::from("../../y"));
    assert_eq!(n(Path::new("/../a")), PathBuf::from("/a"));
    assert_eq!(n(Path::new("a/..")), PathBuf::from("."));
    let p = yeep::pipeline::Pipeline::load(&shipped_pipeline()).unwrap();
    assert_eq!(p.output_dir, root().join("output"));
    assert_eq!(p.input_dir, root().join("input"));
    assert!(!p.catalogue_dir.to_string_lossy().contains(".."));
}

#[test]
fn issue_16_summary_names_counts_outputs_units_and_exit_code() {
    let out = tempfile::tempdir().unwrap();
    let p = yeep::pipeline::Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let opts = yeep::pipeline::run::RunOptions {
        output: Some(out.path().join("sub/../out")),
        lock_wait: std::time::Duration::ZERO,
        ..Default::default()
    };
    let outcome = yeep::pipeline::run::run(&p, &opts).unwrap();
    assert!(outcome.any_rejected(), "the shipped 2023 inputs hold planted mistakes");
    let real_out = std::fs::canonicalize(out.path()).unwrap().join("out");
    for lang in [yeep::model::lang::Lang::Tr, yeep::model::lang::Lang::En] {
        let s = yeep::pipeline::summary::render(&cat, &outcome, 3, lang);
        for per in &outcome.periods {
            // One line per period with its counts.
            let line = s
                .lines()
                .find(|l| l.starts_with(&format!("  {}: {} ", per.period, per.files)))
                .unwrap_or_else(|| panic!("no line for {}:\n{s}", per.period));
            assert!(line.contains(&per.values_accepted.to_string()), "{line}");
            let accepted = per.files_by_status.get("accepted").copied().unwrap_or(0);
            assert!(accepted > 0);
            assert!(
                line.contains(&format!("{accepted} {}", lang.pick("kabul", "accepted"))),
                "{line}"
            );
            // Absolute, normalised output folder.
            let dir = real_out.join("izmir-2022-2024").join(&per.period);
            assert!(s.contains(&format!("  {}: {}\n", per.period, dir.display())), "{s}");
        }
        assert!(!s.contains(".."), "{s}");
        assert!(s.contains(&real_out.join("izmir-2022-2024/kamu/feed").display().to_string()));
        // The one folder that may be published is named.
        let public = real_out.join("izmir-2022-2024/kamu").display().to_string();
        assert!(s.lines().any(|l| l.ends_with(&public) && !l.contains("feed")), "{s}");
        // Every unit with a problem in 2023, with its report sheet and counts.
        let y2023 = outcome.periods.iter().find(|x| x.period == "2023").unwrap();
        assert!(y2023.units_to_notify.len() >= 5, "{:?}", y2023.units_to_notify);
        let report = calamine::open_workbook_auto(&y2023.report).unwrap();
        let sheets = calamine::Reader::sheet_names(&report);
        for u in &y2023.units_to_notify {
            let name = cat.unit(&u.unit_id).unwrap();
            let want = format!(
                "    {} → {} \"{}\" ({} ",
                lang.pick(&name.name, &name.name_en),
                lang.pick("sayfa", "sheet"),
                u.sheet,
                u.errors
            );
            assert!(s.contains(&want), "{want}\n{s}");
            assert!(sheets.contains(&u.sheet), "{} not in {sheets:?}", u.sheet);
            assert!(u.errors + u.warnings > 0);
        }
        assert!(s.trim_end().ends_with(yeep::pipeline::summary::exit_meaning(3, lang)));
    }
}

#[test]
fn issue_16_no_summary_in_a_pipe_in_json_or_with_quiet() {
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = Command::new(yeep())
            .args(args)
            .args(["run", "--output"])
            .arg(out.path())
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(3), "{o:?}");
        String::from_utf8(o.stderr).unwrap()
    };
    for args in [&[][..], &["--log-format", "json"][..]] {
        let err = run(args);
        assert!(!err.contains("yeep run —"), "{err}");
        assert!(!err.contains("Çıktılar:"), "{err}");
    }
    // On a terminal (a pty from `script`) the summary is there, and `--quiet` turns it off.
    if !require_tool("script") {
        return;
    }
    let on_tty = |extra: &str| {
        let cmd = format!(
            "{} run --output {} {extra} </dev/null",
            yeep().display(),
            out.path().display()
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(root())
            .env("TERM", "dumb")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let shown = on_tty("");
    assert!(shown.contains("yeep run —"), "{shown}");
    assert!(shown.contains("Çıktılar:"), "{shown}");
    assert!(shown.contains("çıkış kodu 3"), "{shown}");
    let quiet = on_tty("--quiet");
    assert!(!quiet.contains("yeep run —"), "{quiet}");
}

fn dpkg_field(deb: &Path, field: &str) -> String {
    let o = Command::new("dpkg-deb")
        .args(["--field"])
        .arg(deb)
        .arg(field)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[test]
fn issue_16_debian_package_installs_into_a_scratch_root_and_runs() {
    if !require_tool("cargo-deb") || !require_tool("dpkg-deb") || !require_tool("dpkg") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let debs = work.path().join("debs");
    succeed(
        Command::new("bash")
            .arg(root().join("packaging/build-deb.sh"))
            .args(["--dev", "--out"])
            .arg(&debs)
            .current_dir(root()),
        "build-deb.sh",
    );
    let deb = std::fs::read_dir(&debs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .expect("a .deb");

    // Control data.
    assert_eq!(dpkg_field(&deb, "Package"), "yeep");
    assert_eq!(dpkg_field(&deb, "Version"), format!("{}-1", env!("CARGO_PKG_VERSION")));
    assert!(dpkg_field(&deb, "Depends").contains("adduser"));
    assert!(dpkg_field(&deb, "Depends").contains("libc6"));
    assert!(!dpkg_field(&deb, "Maintainer").is_empty());
    let ctrl = work.path().join("control");
    assert!(Command::new("dpkg-deb")
        .arg("--control")
        .arg(&deb)
        .arg(&ctrl)
        .status()
        .unwrap()
        .success());
    let conffiles = std::fs::read_to_string(ctrl.join("conffiles")).unwrap();
    assert!(
        conffiles.lines().any(|l| l == "/etc/yeep/izmir-2022-2024.toml"),
        "{conffiles}"
    );
    let postinst = std::fs::read_to_string(ctrl.join("postinst")).unwrap();
    assert!(
        postinst.contains("adduser --system --group --home /var/lib/yeep"),
        "{postinst}"
    );
    // Installed, not enabled: no maintainer script enables or starts a unit on a first
    // install. (dh_installsystemd's fragment re-enables only a unit the admin had enabled
    // before an upgrade: each `enable` sits under `was-enabled`.)
    for script in ["postinst", "prerm", "postrm", "preinst"] {
        if let Ok(text) = std::fs::read_to_string(ctrl.join(script)) {
            let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
            for (i, line) in code.iter().enumerate() {
                if line.contains("deb-systemd-helper enable") {
                    assert!(
                        code[..i].iter().rev().take(3).any(|l| l.contains("was-enabled")),
                        "{script} enables a unit unconditionally: {line}"
                    );
                }
                assert!(!line.contains("systemctl enable"), "{script}: {line}");
                assert!(
                    !line.contains("deb-systemd-invoke start"),
                    "{script} starts a unit: {line}"
                );
            }
        }
    }

    // Contents.
    let o = Command::new("dpkg-deb").arg("--contents").arg(&deb).output().unwrap();
    let listing = String::from_utf8(o.stdout).unwrap();
    for path in [
        "./usr/bin/yeep",
        "./etc/yeep/izmir-2022-2024.toml",
        "./usr/share/yeep/pipelines/izmir-2022-2024.toml",
        "./usr/share/yeep/pipelines/izmir-2022-2024/units.toml",
        "./usr/share/yeep/pipelines/izmir-2022-2024/themes/4-siddet.toml",
        "./usr/share/yeep/examples/input/submissions/2023/",
        "./usr/share/yeep/examples/input/tuik/",
        "./usr/lib/systemd/system/yeep.service",
        "./usr/lib/systemd/system/yeep.timer",
        "./usr/share/doc/yeep/README.md",
    ] {
        assert!(listing.contains(path), "{path} missing from the package:\n{listing}");
    }

    // Unpack into a scratch root with dpkg itself (no maintainer scripts run: --unpack).
    let root_dir = work.path().join("root");
    for d in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"] {
        std::fs::create_dir_all(root_dir.join(d)).unwrap();
    }
    std::fs::write(root_dir.join("var/lib/dpkg/status"), "").unwrap();
    succeed(
        Command::new("dpkg")
            .arg(format!("--root={}", root_dir.display()))
            .args(["--force-depends", "--force-not-root", "--no-triggers", "--unpack"])
            .arg(&deb),
        "dpkg --unpack",
    );
    // `--unpack` leaves conffiles as `.dpkg-new`; `--configure` (which would also run
    // postinst: adduser on this machine) moves them into place. Do that step by hand.
    let conf = root_dir.join("etc/yeep/izmir-2022-2024.toml");
    std::fs::rename(conf.with_extension("toml.dpkg-new"), &conf).expect("conffile unpacked as .dpkg-new");
    let bin = root_dir.join("usr/bin/yeep");
    let v = Command::new(&bin)
        .arg("--version")
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(v.status.success());
    assert!(String::from_utf8_lossy(&v.stdout).starts_with(&format!("yeep {}\n", env!("CARGO_PKG_VERSION"))));

    // The installed service unit runs the installed pipeline file.
    let unit = std::fs::read_to_string(root_dir.join("usr/lib/systemd/system/yeep.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/bin/yeep --log-format json run /etc/yeep/izmir-2022-2024.toml"));
    assert!(unit.contains("SuccessExitStatus=3"));

    // As the README says: copy the examples into the state folder, run the installed pipeline.
    let state_input = root_dir.join("var/lib/yeep/input");
    copy_dir(&root_dir.join("usr/share/yeep/examples/input"), &state_input);
    let o = Command::new(&bin)
        .args(["run", "--quiet"])
        .arg(root_dir.join("etc/yeep/izmir-2022-2024.toml"))
        .current_dir(work.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let period = root_dir.join("var/lib/yeep/output/izmir-2022-2024/2023");
    assert!(period.join("izleme-2023.xlsx").is_file(), "{period:?}");
    assert!(period.join("manifest.json").is_file());
    // The cache is in the state folder; the publishable folder holds the public edition.
    assert!(root_dir
        .join("var/lib/yeep/state/izmir-2022-2024/cache/index.bin")
        .is_file());
    assert!(root_dir
        .join("var/lib/yeep/output/izmir-2022-2024/kamu/2023/izleme-2023-kamu.xlsx")
        .is_file());
}
