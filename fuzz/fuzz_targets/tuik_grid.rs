//! A TÜİK table as `sources::tuik::read` sees it: `load_grid_checked` (sniff, guard, then the BIFF /
//! OOXML / ODS / HTML / CSV reader) and, when a grid comes out, the layout detection that
//! reads its labels.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yeep::sources::guard::Limits;
use yeep::sources::tuik::{layout, load_grid_checked};

fuzz_target!(|data: &[u8]| {
    if let Ok(grid) = load_grid_checked(data.to_vec(), None, &Limits::default()) {
        let _ = layout::detect(&grid);
    }
});
