//! A submission file as `collect::process_file` sees it: zip-based workbooks are
//! and compound files (`.xls`) are pre-scanned by the guard, and only files that pass reach calamine through
//! `read_submission`. Any panic, abort, hang or runaway allocation is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yeep::sources::guard::{check_cfb, check_zip, Limits, CFB_SIGNATURE};
use yeep::sources::submission::read_submission_as;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let mut packed = None;
    if data.starts_with(b"PK") {
        match check_zip(data, &limits) {
            Ok(p) => packed = Some(p),
            Err(_) => return,
        }
    }
    if data.starts_with(&CFB_SIGNATURE) && check_cfb(data, &limits).is_err() {
        return;
    }
    let _ = read_submission_as(data, packed.as_deref().unwrap_or(data));
});
