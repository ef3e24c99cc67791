//! Numbers as fastjson writes them.
//!
//! Integers (no `.`, no exponent) keep their digits; only `-0` changes. Anything else becomes a
//! Java `BigDecimal` built from the text and written with `BigDecimal.toString()`: the digits are
//! kept exactly, the scale is (digits after the point) − (exponent), and the notation is plain or
//! scientific depending on the scale and the "adjusted exponent". Everything is computed from
//! the source digits, so a number of a million digits costs a single pass.

#[cfg(feature = "full")]
use super::out::Out;
use crate::error::{Error, ErrorCode};
#[cfg(feature = "full")]
use crate::prelude::*;
use crate::text::text;

/// The longest number token fastjson reads. It counts the sign, the integer digits, the point
/// and the fraction digits ("scanNumber overflow" past it), then the whole token with its
/// exponent ("decimal overflow"); either refuses the whole body, wherever the number stands.
pub const MAX_NUMBER_CHARS: usize = 65_535;

/// A number token, checked against the strict JSON grammar and Java's 32-bit limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Number {
    pub start: usize,
    pub end: usize,
    negative: bool,
    int: (usize, usize),
    frac: (usize, usize),
    decimal: bool,
    /// Index (into int ++ frac) of the first non-zero digit; `None` for zero.
    first_nonzero: Option<usize>,
    scale: i64,
    has_exponent: bool,
    /// An integer beyond ±(2^53 − 1), which an IEEE double (a JavaScript number) cannot hold.
    pub wide: bool,
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// Reads the number starting at `start`.
pub(crate) fn scan_number(b: &[u8], start: usize) -> Result<Number, Error> {
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let int_start = i;
    match b.get(i) {
        Some(b'0') => {
            i += 1;
            if b.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(Error::malformed(
                    int_start,
                    "a number may not start with a leading zero",
                ));
            }
        }
        Some(b'1'..=b'9') => i = digits_end(b, i),
        _ => return Err(Error::malformed(start, "a number needs digits after '-'")),
    }
    let int = (int_start, i);
    let mut frac = (i, i);
    let mut decimal = false;
    if b.get(i) == Some(&b'.') {
        let fs = i + 1;
        let fe = digits_end(b, fs);
        if fe == fs {
            return Err(Error::malformed(i, "a digit must follow the decimal point"));
        }
        frac = (fs, fe);
        decimal = true;
        i = fe;
    }
    if i - start > MAX_NUMBER_CHARS {
        return Err(too_long(start, i - start, "scanNumber overflow"));
    }
    let mut exponent: i64 = 0;
    let mut has_exponent = false;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        has_exponent = true;
        decimal = true;
        let mut j = i + 1;
        let exp_negative = b.get(j) == Some(&b'-');
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let es = j;
        let ee = digits_end(b, es);
        if ee == es {
            return Err(Error::malformed(i, "an exponent needs digits"));
        }
        let mut significant = es;
        while significant < ee && b[significant] == b'0' {
            significant += 1;
        }
        // Java's BigDecimal refuses more than ten significant exponent digits, and any
        // exponent outside the 32-bit range.
        if ee - significant > 10 {
            return Err(out_of_range(start, "exponent overflow"));
        }
        let mut value: i64 = 0;
        for &d in &b[significant..ee] {
            value = value * 10 + (d - b'0') as i64;
        }
        exponent = if exp_negative { -value } else { value };
        if exponent < i32::MIN as i64 || exponent > i32::MAX as i64 {
            return Err(out_of_range(start, "exponent overflow"));
        }
        i = ee;
        if i - start > MAX_NUMBER_CHARS {
            return Err(too_long(start, i - start, "decimal overflow"));
        }
    }
    let frac_len = (frac.1 - frac.0) as i64;
    let scale = frac_len - exponent;
    if decimal && (scale < i32::MIN as i64 || scale > i32::MAX as i64) {
        return Err(out_of_range(start, "scale out of range"));
    }
    let int_len = int.1 - int.0;
    let first_nonzero = b[int.0..int.1].iter().position(|&d| d != b'0').or_else(|| {
        b[frac.0..frac.1]
            .iter()
            .position(|&d| d != b'0')
            .map(|p| int_len + p)
    });
    let int_digits = &b[int.0..int.1];
    let wide = !decimal
        && (int_digits.len() > 16
            || (int_digits.len() == 16 && int_digits > &b"9007199254740991"[..]));
    Ok(Number {
        wide,
        start,
        end: i,
        negative,
        int,
        frac,
        decimal,
        first_nonzero,
        scale,
        has_exponent,
    })
}

#[cold]
#[inline(never)]
fn out_of_range(at: usize, what: &str) -> Error {
    Error::at(
        ErrorCode::NumberOutOfRange,
        at,
        text!(
            "number at byte ",
            at,
            " is out of range (",
            what,
            "): Java's BigDecimal needs exponent and scale within 32 bits"
        ),
    )
}

#[cold]
#[inline(never)]
fn too_long(at: usize, len: usize, what: &str) -> Error {
    Error::at(
        ErrorCode::NumberOutOfRange,
        at,
        text!(
            "number at byte ",
            at,
            " is ",
            len,
            " characters long (",
            what,
            "): fastjson reads at most ",
            MAX_NUMBER_CHARS
        ),
    )
}

impl Number {
    fn digit_count(&self) -> usize {
        let total = (self.int.1 - self.int.0) + (self.frac.1 - self.frac.0);
        match self.first_nonzero {
            Some(first) => total - first,
            None => 1,
        }
    }

    /// `BigDecimal`'s adjusted exponent: the power of ten of the first digit.
    fn adjusted(&self) -> i64 {
        self.digit_count() as i64 - 1 - self.scale
    }

    fn is_zero(&self) -> bool {
        self.first_nonzero.is_none()
    }

    /// Whether fastjson writes exactly the source text.
    pub fn is_canonical_as_written(&self) -> bool {
        if self.negative && self.is_zero() {
            return false;
        }
        !self.decimal || (!self.has_exponent && self.adjusted() >= -6)
    }

    /// An integer with no `.` and no exponent.
    pub fn is_integer(&self) -> bool {
        !self.decimal
    }

    /// Writes the canonical text. The caller has already skipped the source token.
    #[cfg(feature = "full")]
    pub fn write(&self, b: &[u8], out: &mut Out<'_>) {
        if !self.decimal {
            // Only `-0` reaches here.
            out.emit(b"0");
            return;
        }
        if self.negative && !self.is_zero() {
            out.emit(b"-");
        }
        let count = self.digit_count();
        let first = self.first_nonzero.unwrap_or(0);
        let zero_digit = self.is_zero();
        let put = |out: &mut Out<'_>, from: usize, to: usize| {
            if zero_digit {
                out.emit(b"0");
            } else {
                self.put_digits(b, out, first + from, first + to);
            }
        };
        let adjusted = self.adjusted();
        if self.scale >= 0 && adjusted >= -6 {
            let scale = self.scale as usize;
            if scale == 0 {
                put(out, 0, count);
            } else if count > scale {
                put(out, 0, count - scale);
                out.emit(b".");
                put(out, count - scale, count);
            } else {
                out.emit(b"0.");
                out.emit(&b"000000"[..scale - count]);
                put(out, 0, count);
            }
        } else {
            put(out, 0, 1);
            if count > 1 {
                out.emit(b".");
                put(out, 1, count);
            }
            if adjusted != 0 {
                out.emit(if adjusted > 0 { b"E+" } else { b"E-" });
                out.emit(itoa(adjusted.unsigned_abs(), &mut [0; 20]));
            }
        }
    }

    /// Writes digits `from..to` of the concatenation of integer and fraction digits.
    #[cfg(feature = "full")]
    fn put_digits(&self, b: &[u8], out: &mut Out<'_>, from: usize, to: usize) {
        let int_len = self.int.1 - self.int.0;
        if from < int_len {
            out.emit(&b[self.int.0 + from..self.int.0 + to.min(int_len)]);
        }
        if to > int_len {
            let f = from.max(int_len) - int_len;
            out.emit(&b[self.frac.0 + f..self.frac.0 + (to - int_len)]);
        }
    }

    /// The value as an `i64` when it is an integer token that fits.
    pub fn as_i64(&self, b: &[u8]) -> Option<i64> {
        if self.decimal {
            return None;
        }
        core::str::from_utf8(&b[self.start..self.end])
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(feature = "full")]
fn itoa(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return &buf[i..];
        }
    }
}

/// The canonical text of a number token on its own.
#[cfg(feature = "full")]
pub(crate) fn canonical_text(b: &[u8], n: &Number) -> String {
    if n.is_canonical_as_written() {
        return String::from_utf8_lossy(&b[n.start..n.end]).into_owned();
    }
    let mut buf = Vec::new();
    let mut out = Out::new(b, &mut buf, n.start);
    out.skip(n.start, n.end);
    n.write(b, &mut out);
    String::from_utf8_lossy(&buf).into_owned()
}

// The canonical text is written only with the `full` feature.
#[cfg(all(test, feature = "full"))]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;

    fn canon(src: &str) -> Result<String, ErrorCode> {
        let b = src.as_bytes();
        let n = scan_number(b, 0).map_err(|e| e.code())?;
        assert_eq!(n.end, b.len(), "token end for {src}");
        Ok(canonical_text(b, &n))
    }

    #[test]
    fn integers_keep_their_digits() {
        assert_eq!(canon("0").unwrap(), "0");
        assert_eq!(canon("-0").unwrap(), "0");
        assert_eq!(canon("-1").unwrap(), "-1");
        assert_eq!(
            canon("12345678901234567890123").unwrap(),
            "12345678901234567890123"
        );
    }

    #[test]
    fn plain_notation_keeps_the_scale() {
        for (src, want) in [
            ("1.50", "1.50"),
            ("100e-2", "1.00"),
            ("0.000001", "0.000001"),
            ("-0.0", "0.0"),
            ("-0e-5", "0.00000"),
            ("5E+0", "5"),
            ("0.5", "0.5"),
            ("-12.340", "-12.340"),
            (
                "123456789012345678901234567890e-5",
                "1234567890123456789012345.67890",
            ),
        ] {
            assert_eq!(canon(src).unwrap(), want, "{src}");
        }
    }

    #[test]
    fn written_as_fastjson_writes_it() {
        // The streaming writer copies these from the body and rewrites the others (without the
        // `full` feature it cannot, and hands the body over), so the answer must be exact. "1E+5"
        // is rewritten, to the same text.
        for (src, as_written, integer) in [
            ("0", true, true),
            ("-12", true, true),
            ("-0", false, true),
            ("1.5", true, false),
            ("1.50", true, false),
            ("-0.5", true, false),
            ("0.000001", true, false),
            ("0.0000001", false, false),
            ("-0.0", false, false),
            ("1e5", false, false),
            ("1E+5", false, false),
        ] {
            let n = scan_number(src.as_bytes(), 0).unwrap();
            assert_eq!(n.is_canonical_as_written(), as_written, "{src}");
            assert_eq!(n.is_integer(), integer, "{src}");
            if as_written {
                assert_eq!(canon(src).unwrap(), src);
            }
        }
    }

    #[test]
    fn scientific_notation_past_the_limits() {
        for (src, want) in [
            ("1e5", "1E+5"),
            ("1.5e3", "1.5E+3"),
            ("0.0000001", "1E-7"),
            ("12e-8", "1.2E-7"),
            ("1.0000000e-7", "1.0000000E-7"),
            ("0e10", "0E+10"),
            ("0.0000000", "0E-7"),
            ("10e2147483647", "1.0E+2147483648"),
            ("1e0000000000000000001", "1E+1"),
            ("-1.23E-10", "-1.23E-10"),
        ] {
            assert_eq!(canon(src).unwrap(), want, "{src}");
        }
    }

    #[test]
    fn java_limits_are_errors() {
        for src in [
            "1e2147483648",
            "1e9999999999",
            "1e99999999999",
            "1e-2147483648",
            "1.5e-2147483647",
            "0.0e-2147483648",
            "0e-2147483649",
        ] {
            assert_eq!(canon(src), Err(ErrorCode::NumberOutOfRange), "{src}");
        }
        assert!(canon("1e2147483647").is_ok());
    }

    #[test]
    fn length_limit_counts_like_fastjson() {
        let digits = |n: usize| "1".repeat(n);
        // An integer: sign and digits.
        assert!(canon(&digits(MAX_NUMBER_CHARS)).is_ok());
        assert!(canon(&format!("-{}", digits(MAX_NUMBER_CHARS - 1))).is_ok());
        for src in [
            digits(MAX_NUMBER_CHARS + 1),
            format!("-{}", digits(MAX_NUMBER_CHARS)),
        ] {
            assert_eq!(canon(&src), Err(ErrorCode::NumberOutOfRange));
        }
        // A decimal: the point and the fraction count too.
        let half = (MAX_NUMBER_CHARS - 1) / 2;
        let at_limit = format!("{}.{}", digits(half), digits(MAX_NUMBER_CHARS - 1 - half));
        assert_eq!(at_limit.len(), MAX_NUMBER_CHARS);
        assert!(canon(&at_limit).is_ok());
        assert_eq!(
            canon(&format!("{at_limit}1")),
            Err(ErrorCode::NumberOutOfRange)
        );
        // With an exponent the whole token counts ("decimal overflow").
        let mantissa = digits(MAX_NUMBER_CHARS - 2);
        assert!(canon(&format!("{mantissa}e1")).is_ok());
        let e = scan_number(format!("{mantissa}e12").as_bytes(), 0).unwrap_err();
        assert_eq!(e.code(), ErrorCode::NumberOutOfRange);
        assert!(e.message().contains("decimal overflow"), "{}", e.message());
        let e = scan_number(digits(MAX_NUMBER_CHARS + 1).as_bytes(), 0).unwrap_err();
        assert!(
            e.message().contains("scanNumber overflow"),
            "{}",
            e.message()
        );
        // The offset is the number's, wherever it stands.
        let src = format!("[1, {}]", digits(MAX_NUMBER_CHARS + 1));
        let e = scan_number(src.as_bytes(), 4).unwrap_err();
        assert_eq!(e.offset(), Some(4));
    }

    #[test]
    fn strict_grammar() {
        for src in ["01", "-", "1.", "1.e3", "-.5", "1e", "1e+", "--1"] {
            assert_eq!(canon(src), Err(ErrorCode::MalformedJson), "{src}");
        }
    }

    #[test]
    fn written_as_is_exactly_when_equal() {
        for src in [
            "0",
            "-0",
            "1.50",
            "0.000001",
            "0.0000001",
            "-0.0",
            "1e5",
            "1E+5",
            "10.25",
        ] {
            let b = src.as_bytes();
            let n = scan_number(b, 0).unwrap();
            if n.is_canonical_as_written() {
                assert_eq!(canonical_text(b, &n), src);
            }
        }
    }
}
