//! A submission file as `yeep run` reads it: `sources::submission::read_untrusted` (the
//! guard's pre-scan of zip-based workbooks and compound files, then calamine through
//! `read_submission_as`). Any panic, abort, hang or runaway allocation is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yeep::sources::guard::Limits;
use yeep::sources::submission::read_untrusted;

fuzz_target!(|data: &[u8]| {
    let _ = read_untrusted(data, &Limits::default());
});
