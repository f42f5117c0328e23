//! Build script: records the source commit the binary is built from, for `yeep --version`
//! (`YEEP_COMMIT`, `YEEP_COMMIT_DATE`). Outside a git checkout (a source tarball) set
//! `YEEP_COMMIT` yourself, or the version says `unknown`.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-env-changed=YEEP_COMMIT");
    println!("cargo:rerun-if-env-changed=YEEP_COMMIT_DATE");
    // A new commit or checkout changes HEAD or the ref it names; an edit changes src/.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = Path::new(&dir);
        for f in ["HEAD", "index", "packed-refs"] {
            println!("cargo:rerun-if-changed={}", dir.join(f).display());
        }
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
                println!("cargo:rerun-if-changed={}", Path::new(&common).join(head_ref).display());
            }
        }
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");

    let commit = std::env::var("YEEP_COMMIT").ok().filter(|s| !s.is_empty()).or_else(|| {
        let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
        // Uncommitted changes to tracked files are marked: such a build is not the commit.
        let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
        Some(if dirty { format!("{hash}+changes") } else { hash })
    });
    let date = std::env::var("YEEP_COMMIT_DATE")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| git(&["log", "-1", "--format=%cs"]));
    println!(
        "cargo:rustc-env=YEEP_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
    println!(
        "cargo:rustc-env=YEEP_COMMIT_DATE={}",
        date.unwrap_or_else(|| "unknown".into())
    );
}
