//! Property tests for the text folding and the number parser.

use proptest::prelude::*;
use yeep::normalise::{fold, parse_number, NumberCell, NumberStyle};

proptest! {
    #[test]
    fn fold_is_idempotent(s in "\\PC{0,40}") {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
    }

    #[test]
    fn fold_ignores_turkish_case(s in "[a-zçğıöşüA-ZÇĞİÖŞÜ ]{0,30}") {
        let upper = yeep::normalise::upper_tr(&s);
        prop_assert_eq!(fold(&upper), fold(&s));
    }

    #[test]
    fn number_parser_never_panics(s in "\\PC{0,30}") {
        let _ = parse_number(&s, NumberStyle::Auto);
        let _ = parse_number(&s, NumberStyle::Turkish);
    }

    #[test]
    fn integers_written_the_turkish_way_read_back(n in 0u64..10_000_000_000) {
        // 1234567 → "1.234.567"
        let digits = n.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 { grouped.push('.'); }
            grouped.push(c);
        }
        prop_assert_eq!(parse_number(&grouped, NumberStyle::Auto), Ok(NumberCell::Value(n as f64)));
    }

    #[test]
    fn turkish_decimals_read_back(int in 0u32..1000, frac in 1u32..100) {
        let s = format!("{int},{frac:02}");
        let expected: f64 = format!("{int}.{frac:02}").parse().unwrap();
        prop_assert_eq!(parse_number(&s, NumberStyle::Auto), Ok(NumberCell::Value(expected)));
    }
}

/// Found by the submission tests: a word with a multi-byte letter after a space
/// (`12 kişi`) made the thousands-by-space check slice inside a character.
#[test]
fn issue_3_text_with_turkish_letter_after_space_is_not_a_number() {
    assert!(parse_number("12 kişi", NumberStyle::Auto).is_err());
    assert!(parse_number("1 ğüş", NumberStyle::Auto).is_err());
}

/// Found by `fold_is_idempotent`: U+1FFD (Greek oxia) decomposes to U+00B4, an
/// apostrophe-like mark that a second fold turned into `'`.
#[test]
fn issue_3_fold_of_a_char_decomposing_to_an_apostrophe_is_idempotent() {
    assert_eq!(fold("\u{1FFD}"), "'");
}

/// Found by `fold_is_idempotent` on CI: a combining mark (U+0A47) dropped after a
/// no-break space left the space trailing, which a second fold trimmed.
#[test]
fn issue_3_fold_of_a_dropped_mark_after_a_space_leaves_no_trailing_space() {
    assert_eq!(fold("\u{1D54A}\u{a0}\u{a47}"), "\u{1D54A}");
    assert_eq!(fold("a \u{301} b"), "a b");
    assert_eq!(fold("\u{301} a"), "a");
}
