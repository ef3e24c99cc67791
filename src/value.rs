//! JSON values handed to callers: ordered objects and numbers that keep every digit.

use crate::prelude::*;
/// A number exactly as fastjson writes it (`1E+5`, `1.50`, `12345678901234567890123`), so no
/// digit is ever lost; convert with [`Number::as_i64`] or [`Number::as_f64`] when you need to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    pub(crate) fn from_canonical(text: String) -> Self {
        Number(text)
    }

    /// The number a JSON number token stands for, in its canonical text (`1e5` gives `1E+5`);
    /// an error when `text` is not exactly one JSON number, or one Java's `BigDecimal` refuses.
    #[cfg(feature = "serde")]
    pub(crate) fn from_json_text(text: &str) -> Result<Self, crate::Error> {
        let b = text.as_bytes();
        let n = crate::json::number::scan_number(b, 0)?;
        if n.end != b.len() {
            return Err(crate::Error::malformed(n.end, "a number must stand alone"));
        }
        Ok(Number(crate::json::number::canonical_text(b, &n)))
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Written without a point or an exponent.
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|c| c == b'.' || c == b'E')
    }

    /// The value when it is an integer that fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The nearest `f64` (which may round).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl core::fmt::Display for Number {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON value. Objects keep their members in body order (a repeated key keeps its first
/// position and its last value, as fastjson does). Strings are decoded; a lone surrogate
/// escape, which Rust strings cannot hold, becomes U+FFFD.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the value holds an integer beyond ±(2^53 − 1), which a JavaScript number or an
    /// `f64` cannot hold exactly.
    pub fn has_wide_integers(&self) -> bool {
        match self {
            Value::Number(n) => {
                n.is_integer() && n.as_i64().is_none_or(|i| i.unsigned_abs() > (1 << 53) - 1)
            }
            Value::Array(items) => items.iter().any(Value::has_wide_integers),
            Value::Object(members) => members.iter().any(|(_, v)| v.has_wide_integers()),
            _ => false,
        }
    }
}
