//! Messages built by concatenation instead of `format!`.
//!
//! Every message the crate makes (errors, hints) is built here. `core::fmt` is the largest
//! single piece a WebAssembly build would otherwise carry (its machinery, and every `Display`
//! impl it reaches through function pointers); messages only ever join fixed text, body text and
//! integers, which needs none of it.

use alloc::string::String;

/// A part of a message.
pub(crate) trait Piece {
    fn put(&self, out: &mut String);
}

impl Piece for &str {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn put(&self, out: &mut String) {
        out.push(*self);
    }
}

macro_rules! integer_pieces {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn put(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
integer_pieces!(u8, u32, u64, usize, i64);

/// An integer in upper-case hexadecimal, zero-padded to `width` digits.
pub(crate) struct Hex(pub u32, pub usize);

impl Piece for Hex {
    fn put(&self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut digits = 1;
        while digits < 8 && self.0 >> (4 * digits) != 0 {
            digits += 1;
        }
        for i in (0..digits.max(self.1)).rev() {
            out.push(char::from(DIGITS[(self.0 >> (4 * i)) as usize & 0xF]));
        }
    }
}

/// Joins the pieces into a `String`: `text!("at byte ", offset, ": ", what)`.
macro_rules! text {
    ($($piece:expr),* $(,)?) => {{
        let mut out = alloc::string::String::new();
        $( $crate::text::Piece::put(&$piece, &mut out); )*
        out
    }};
}
pub(crate) use text;

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;
    use alloc::string::ToString;

    #[test]
    fn joins_text_and_numbers() {
        let s = text!("a ", 12usize, " b ", -3i64, ' ', u64::MAX, "".to_string());
        assert_eq!(s, "a 12 b -3 18446744073709551615");
    }

    #[test]
    fn hex_is_upper_case_and_padded() {
        assert_eq!(text!(Hex(0x1F, 4)), "001F");
        assert_eq!(text!(Hex(0xAB, 2)), "AB");
        assert_eq!(text!(Hex(0x12345, 4)), "12345");
        assert_eq!(text!(Hex(0, 1)), "0");
    }
}
