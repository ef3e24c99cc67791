//! `Serialize` and `Deserialize` (the `serde` feature) for what the crate hands out.
//!
//! The shapes are those of the JSON the values come from and of the npm package's objects:
//! camelCase member names; error codes, hint codes and signature methods as their stable text
//! (`"SIGNATURE_MISMATCH"`, `"HMAC_SHA1"`); an event as its own `messageEvent` object, every
//! member in body order; byte spans as `{"start":..,"end":..}`.
//!
//! A [`Number`](crate::Number) keeps every digit: it is written as a JSON number when reading
//! that number back gives the same `Number` (integers within `i64`/`u64`, decimals an `f64`
//! holds exactly as written, like `1.5`), and otherwise as a string of its exact text (`"1.50"`,
//! `"1E+5"`, `"123456789012345678901234"`), since serde's data model has no exact decimals. It
//! is read from either, in its canonical form (`"1e5"` gives `1E+5`); a float is read as the
//! shortest decimal that gives it back.
//!
//! The impls live here rather than on the types, so that the verification code carries no
//! serialization attributes. Each type goes through a mirror the compiler checks against it
//! (serde's remote derive, or a destructuring of every field), so that a field added to a type
//! cannot be forgotten here. Secrets and options are not serialisable, so that a secret cannot
//! reach a log or a JSON document by accident.

use core::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::prelude::*;
use crate::{Checked, Error, ErrorCode, Form, Match, SignatureMethod};

/// `Serialize` and `Deserialize` for `$ty` through its mirror `$def`.
macro_rules! through {
    ($ty:ty, $def:ident) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $def::serialize(self, s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $def::deserialize(d)
            }
        }
    };
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "ErrorCode", rename_all = "SCREAMING_SNAKE_CASE")]
enum ErrorCodeDef {
    MalformedJson,
    UnsupportedJson,
    NestingTooDeep,
    NumberOutOfRange,
    InvalidUtf8,
    BodyTooLarge,
    MissingMessageEvent,
    InvalidMessageEvent,
    Unsigned,
    UnsupportedSignatureMethod,
    SignatureMismatch,
    EventTooOld,
    EventInFuture,
    InvalidOptions,
}
through!(ErrorCode, ErrorCodeDef);

#[derive(Serialize, Deserialize)]
#[serde(remote = "SignatureMethod")]
enum SignatureMethodDef {
    #[serde(rename = "HMAC_SHA1")]
    HmacSha1,
    None,
}
through!(SignatureMethod, SignatureMethodDef);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Form", rename_all = "lowercase")]
enum FormDef {
    Canonical,
    Raw,
}
through!(Form, FormDef);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Match", rename_all = "camelCase")]
struct MatchDef {
    url_index: usize,
    url: String,
    secret_index: usize,
    form: Form,
}
through!(Match, MatchDef);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Checked", rename_all = "camelCase")]
struct CheckedDef {
    signature_method: SignatureMethod,
    matched: Option<Match>,
    message_event: Range<usize>,
    wide_integers: bool,
}
through!(Checked, CheckedDef);

/// `{"code":..,"message":..[,"offset":..][,"needsFullBuild":true]}`, as the npm package's
/// errors read.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorParts<'a> {
    code: ErrorCode,
    #[serde(borrow)]
    message: alloc::borrow::Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
    #[serde(default, skip_serializing_if = "is_false")]
    needs_full_build: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ErrorParts {
            code: self.code(),
            message: self.message().into(),
            offset: self.offset(),
            needs_full_build: self.needs_full_build(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Error {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = ErrorParts::deserialize(d)?;
        Ok(Error::from_parts(
            p.code,
            p.message.into_owned(),
            p.offset,
            p.needs_full_build,
        ))
    }
}

/// The types of the `full` feature.
#[cfg(feature = "full")]
mod full {
    use alloc::string::ToString;
    use core::fmt;

    use serde::de::{self, Visitor};

    use super::*;
    use crate::{
        Envelope, EventTime, Expected, Explanation, Hint, HintCode, MessageEvent, Number, User,
        Value, Verified,
    };

    impl Serialize for Number {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let text = self.as_str();
            if self.is_integer() {
                if let Ok(i) = text.parse::<i64>() {
                    return s.serialize_i64(i);
                }
                if let Ok(u) = text.parse::<u64>() {
                    return s.serialize_u64(u);
                }
            } else if let Ok(f) = text.parse::<f64>() {
                if number_of_f64(f).as_ref() == Some(self) {
                    return s.serialize_f64(f);
                }
            }
            s.serialize_str(text)
        }
    }

    /// The number a float stands for: the shortest decimal that gives it back, canonical.
    fn number_of_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        Number::from_json_text(&f.to_string()).ok()
    }

    /// Reads a number: an integer or a float as given, or a string holding a JSON number.
    struct NumberVisitor;

    impl Visitor<'_> for NumberVisitor {
        type Value = Number;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON number, or a string holding one")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
            Ok(Number::from_canonical(v.to_string()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
            Ok(Number::from_canonical(v.to_string()))
        }

        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Number, E> {
            Ok(Number::from_canonical(v.to_string()))
        }

        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Number, E> {
            Ok(Number::from_canonical(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
            number_of_f64(v).ok_or_else(|| E::custom("a number must be finite"))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
            Number::from_json_text(v).map_err(|e| E::custom(e.message()))
        }
    }

    impl<'de> Deserialize<'de> for Number {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(NumberVisitor)
        }
    }

    impl Serialize for Value {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{SerializeMap, SerializeSeq};
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Number(n) => n.serialize(s),
                Value::String(t) => s.serialize_str(t),
                Value::Array(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Value::Object(members) => {
                    let mut map = s.serialize_map(Some(members.len()))?;
                    for (k, v) in members {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    /// Reads any JSON value; a number as [`NumberVisitor`] does.
    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_none<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Value::deserialize(d)
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            NumberVisitor.visit_i64(v).map(Value::Number)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            NumberVisitor.visit_u64(v).map(Value::Number)
        }

        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
            NumberVisitor.visit_i128(v).map(Value::Number)
        }

        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
            NumberVisitor.visit_u128(v).map(Value::Number)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
            NumberVisitor.visit_f64(v).map(Value::Number)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(String::from(v)))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut members = Vec::new();
            while let Some(member) = map.next_entry()? {
                members.push(member);
            }
            Ok(Value::Object(merged(members)))
        }
    }

    impl<'de> Deserialize<'de> for Value {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }

    /// fastjson's rule for a repeated key, as the crate's reader applies it to bodies: the first
    /// position, the last value. By sorting, so n log n whatever the keys.
    fn merged(members: Vec<(String, Value)>) -> Vec<(String, Value)> {
        let n = members.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| members[a].0.cmp(&members[b].0).then(a.cmp(&b)));
        // The entry each place takes its value from; `None` for a place that goes.
        let mut source: Vec<Option<usize>> = (0..n).map(Some).collect();
        let mut repeated = false;
        let mut group = 0;
        while group < n {
            let mut last = group;
            while last + 1 < n && members[order[last + 1]].0 == members[order[group]].0 {
                last += 1;
            }
            if last > group {
                repeated = true;
                source[order[group]] = Some(order[last]);
                for &i in &order[group + 1..=last] {
                    source[i] = None;
                }
            }
            group = last + 1;
        }
        if !repeated {
            return members;
        }
        let (keys, values): (Vec<String>, Vec<Value>) = members.into_iter().unzip();
        let mut values: Vec<Option<Value>> = values.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(n);
        for (key, from) in keys.into_iter().zip(source) {
            // A group's first place is its lowest index and takes from its highest, which no
            // earlier place has taken.
            if let Some(value) = from.and_then(|j| values[j].take()) {
                out.push((key, value));
            }
        }
        out
    }

    /// An event is its `messageEvent` object; the typed fields are read from it again.
    impl Serialize for MessageEvent {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.value().serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for MessageEvent {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            match Value::deserialize(d)? {
                v @ Value::Object(_) => Ok(MessageEvent::from_value(v)),
                _ => Err(de::Error::custom("a messageEvent must be a JSON object")),
            }
        }
    }

    /// `eventTime` as it was: a number, or a string.
    impl Serialize for EventTime {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                EventTime::Number(n) => n.serialize(s),
                EventTime::Text(t) => s.serialize_str(t),
            }
        }
    }

    struct EventTimeVisitor;

    impl Visitor<'_> for EventTimeVisitor {
        type Value = EventTime;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or a string")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<EventTime, E> {
            NumberVisitor.visit_i64(v).map(EventTime::Number)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<EventTime, E> {
            NumberVisitor.visit_u64(v).map(EventTime::Number)
        }

        fn visit_i128<E: de::Error>(self, v: i128) -> Result<EventTime, E> {
            NumberVisitor.visit_i128(v).map(EventTime::Number)
        }

        fn visit_u128<E: de::Error>(self, v: u128) -> Result<EventTime, E> {
            NumberVisitor.visit_u128(v).map(EventTime::Number)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<EventTime, E> {
            NumberVisitor.visit_f64(v).map(EventTime::Number)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<EventTime, E> {
            Ok(EventTime::Text(String::from(v)))
        }
    }

    impl<'de> Deserialize<'de> for EventTime {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(EventTimeVisitor)
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "User")]
    struct UserDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        uid: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }
    through!(User, UserDef);

    /// An envelope, typed or not; written from references, read into owned parts. Both sides
    /// take the envelope apart field by field, so that a field added to it cannot be forgotten.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct EnvelopeRef<'a, E> {
        event: &'a E,
        signature_method: &'a Option<String>,
        signature_text: &'a Option<String>,
        message_event_text: &'a Range<usize>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct EnvelopeParts<E> {
        event: E,
        signature_method: Option<String>,
        signature_text: Option<String>,
        message_event_text: Range<usize>,
    }

    impl<E: Serialize> Serialize for Envelope<E> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let Envelope {
                event,
                signature_method,
                signature_text,
                message_event_text,
            } = self;
            EnvelopeRef {
                event,
                signature_method,
                signature_text,
                message_event_text,
            }
            .serialize(s)
        }
    }

    impl<'de, E: Deserialize<'de>> Deserialize<'de> for Envelope<E> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let EnvelopeParts {
                event,
                signature_method,
                signature_text,
                message_event_text,
            } = EnvelopeParts::deserialize(d)?;
            Ok(Envelope {
                event,
                signature_method,
                signature_text,
                message_event_text,
            })
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Verified", rename_all = "camelCase")]
    struct VerifiedDef {
        event: MessageEvent,
        signature_method: SignatureMethod,
        matched: Option<Match>,
    }
    through!(Verified, VerifiedDef);

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "HintCode", rename_all = "SCREAMING_SNAKE_CASE")]
    enum HintCodeDef {
        UrlTrailingSlash,
        UrlScheme,
        UrlUserinfo,
        UrlDefaultPort,
        UrlWhitespace,
        SecretWhitespace,
        BodyReserialized,
        SignatureMethodNone,
        SignatureFormat,
    }
    through!(HintCode, HintCodeDef);

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Hint", rename_all = "camelCase")]
    struct HintDef {
        code: HintCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        secret_index: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<Form>,
    }
    through!(Hint, HintDef);

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Expected", rename_all = "camelCase")]
    struct ExpectedDef {
        url: String,
        secret_index: usize,
        canonical: String,
        raw: String,
    }
    through!(Expected, ExpectedDef);

    /// An explanation, typed or not, taken apart as an envelope is.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ExplanationRef<'a, E> {
        error: &'a Option<Error>,
        parse_error: &'a Option<Error>,
        event: &'a Option<E>,
        signature_method: &'a Option<String>,
        signature_text: &'a Option<String>,
        canonical: &'a Option<String>,
        raw: &'a Option<String>,
        first_difference: &'a Option<usize>,
        matched: &'a Option<Match>,
        expected: &'a Option<Vec<Expected>>,
        hints: &'a Vec<Hint>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct ExplanationParts<E> {
        error: Option<Error>,
        parse_error: Option<Error>,
        event: Option<E>,
        signature_method: Option<String>,
        signature_text: Option<String>,
        canonical: Option<String>,
        raw: Option<String>,
        first_difference: Option<usize>,
        matched: Option<Match>,
        expected: Option<Vec<Expected>>,
        hints: Vec<Hint>,
    }

    impl<E: Serialize> Serialize for Explanation<E> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let Explanation {
                error,
                parse_error,
                event,
                signature_method,
                signature_text,
                canonical,
                raw,
                first_difference,
                matched,
                expected,
                hints,
            } = self;
            ExplanationRef {
                error,
                parse_error,
                event,
                signature_method,
                signature_text,
                canonical,
                raw,
                first_difference,
                matched,
                expected,
                hints,
            }
            .serialize(s)
        }
    }

    impl<'de, E: Deserialize<'de>> Deserialize<'de> for Explanation<E> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let ExplanationParts {
                error,
                parse_error,
                event,
                signature_method,
                signature_text,
                canonical,
                raw,
                first_difference,
                matched,
                expected,
                hints,
            } = ExplanationParts::deserialize(d)?;
            Ok(Explanation {
                error,
                parse_error,
                event,
                signature_method,
                signature_text,
                canonical,
                raw,
                first_difference,
                matched,
                expected,
                hints,
            })
        }
    }
}
