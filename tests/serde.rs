//! The `serde` feature: the JSON shapes of what the crate hands out, and round trips through
//! serde_json. Run with `cargo test --features serde --test serde`.
#![cfg(all(feature = "serde", feature = "full"))]

use dms_webhook::{
    canonicalize, check, explain, explain_value, parse, parse_value, sign_body, verify, Checked,
    Envelope, Error, ErrorCode, EventTime, ExplainOptions, Explanation, Form, HintCode, Match,
    MessageEvent, Number, SignatureMethod, Value, Verified, VerifyOptions,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

const URL: &str = "https://hooks.example.com/dms";
const SECRET: &str = "secret";

/// The example event of the DMS documentation.
const EVENT: &str = r#"{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"}"#;

fn options() -> VerifyOptions {
    VerifyOptions::new(URL, SECRET)
}

/// `value` as JSON, checked to read back as itself.
fn round_trip<T>(value: &T) -> serde_json::Value
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn number(text: &str) -> Number {
    match parse(format!(r#"{{"messageEvent":{{"n":{text}}}}}"#))
        .unwrap()
        .event
        .value()
        .get("n")
    {
        Some(Value::Number(n)) => n.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn codes_are_their_stable_text() {
    for code in ErrorCode::ALL {
        assert_eq!(round_trip(&code), json!(code.as_str()));
    }
    for code in [
        HintCode::UrlTrailingSlash,
        HintCode::UrlScheme,
        HintCode::UrlUserinfo,
        HintCode::UrlDefaultPort,
        HintCode::UrlWhitespace,
        HintCode::SecretWhitespace,
        HintCode::BodyReserialized,
        HintCode::SignatureMethodNone,
        HintCode::SignatureFormat,
    ] {
        assert_eq!(round_trip(&code), json!(code.as_str()));
    }
    for method in [SignatureMethod::HmacSha1, SignatureMethod::None] {
        assert_eq!(round_trip(&method), json!(method.as_str()));
    }
    for form in [Form::Canonical, Form::Raw] {
        assert_eq!(round_trip(&form), json!(form.as_str()));
    }
    assert!(serde_json::from_str::<ErrorCode>(r#""SIGNATURE_MISSMATCH""#).is_err());
}

#[test]
fn numbers_keep_every_digit() {
    // A JSON number where it reads back the same, the exact text otherwise.
    for (text, shown) in [
        ("0", json!(0)),
        ("-0", json!(0)),
        ("1625630049930", json!(1625630049930_i64)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("18446744073709551615", json!(u64::MAX)),
        ("18446744073709551616", json!("18446744073709551616")),
        (
            "123456789012345678901234",
            json!("123456789012345678901234"),
        ),
        ("1.5", json!(1.5)),
        ("-0.25", json!(-0.25)),
        ("1e-7", json!(1e-7)),
        ("1.50", json!("1.50")),
        ("1e5", json!("1E+5")),
        ("0.1000", json!("0.1000")),
        (
            "1.0000000000000000000001",
            json!("1.0000000000000000000001"),
        ),
    ] {
        let n = number(text);
        assert_eq!(round_trip(&n), shown, "{text}");
        // In a value, a number shown as its text reads back as that text: JSON numbers through
        // serde cannot carry it exactly.
        let v = Value::Number(n.clone());
        let back: Value = serde_json::from_value(shown.clone()).unwrap();
        match &shown {
            serde_json::Value::String(s) => assert_eq!(back, Value::String(s.clone())),
            _ => assert_eq!(round_trip(&v), shown, "{text}"),
        }
    }
    // Read from a string of any JSON number, in the canonical form; nothing else.
    let n: Number = serde_json::from_str(r#""12e-8""#).unwrap();
    assert_eq!(n.as_str(), "1.2E-7");
    for bad in [
        r#""01""#,
        r#""1.""#,
        r#""abc""#,
        r#""1 ""#,
        r#""1e99999999999""#,
        "true",
    ] {
        assert!(serde_json::from_str::<Number>(bad).is_err(), "{bad}");
    }
    // A float as the shortest decimal that gives it back.
    let n: Number = serde_json::from_str("0.1").unwrap();
    assert_eq!(n.as_str(), "0.1");
    let n: Number = serde_json::from_str("100000.0").unwrap();
    assert_eq!(n.as_str(), "100000");
}

#[test]
fn a_value_is_plain_json() {
    let v = parse(
        r#"{"messageEvent":{"s":"a\"\u0001é","t":true,"n":null,"a":[1,[],{}],"o":{"x":-2},"d":1.50}}"#,
    )
    .unwrap()
    .event
    .value()
    .clone();
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({"s": "a\"\u{1}é", "t": true, "n": null, "a": [1, [], {}], "o": {"x": -2}, "d": "1.50"})
    );
    let Value::Object(mut members) = v else {
        panic!()
    };
    members.pop();
    round_trip(&Value::Object(members));
    // Members keep their order; a repeated key keeps its first place and its last value, as
    // fastjson (and the crate's reader) has it.
    let v: Value = serde_json::from_str(r#"{"b":1,"a":2,"b":3,"c":{"z":0,"z":[1]}}"#).unwrap();
    let Value::Object(members) = &v else {
        panic!("{v:?}")
    };
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"b":3,"a":2,"c":{"z":[1]}}"#
    );
}

#[test]
fn an_event_is_its_message_event_object() {
    let body = sign_body(EVENT, URL, SECRET).unwrap();
    let verified = verify(&body, &options()).unwrap();
    // Written as serde_json writes it, the documentation's event is its own canonical form.
    let text = serde_json::to_string(&verified.event).unwrap();
    assert_eq!(text.as_bytes(), canonicalize(&body).unwrap());
    let back: MessageEvent = serde_json::from_str(&text).unwrap();
    assert_eq!(back, verified.event);
    assert_eq!(back.category.as_deref(), Some("工單"));
    assert_eq!(
        back.event_time.as_ref().and_then(EventTime::millis),
        Some(1625630049930)
    );
    assert_eq!(back.receivers.as_ref().map(Vec::len), Some(2));
    assert!(serde_json::from_str::<MessageEvent>("[1]").is_err());

    // Undocumented members and mistyped ones stay, in order.
    let e: MessageEvent =
        serde_json::from_str(r#"{"extraField":[1],"category":7,"eventTime":"1625630049930"}"#)
            .unwrap();
    assert_eq!(e.category, None);
    assert_eq!(e.extra.len(), 2);
    assert_eq!(e.event_time, Some(EventTime::Text("1625630049930".into())));
    round_trip(&e);
}

#[test]
fn event_times_as_they_were() {
    let number = EventTime::Number(number("1625630049930"));
    assert_eq!(round_trip(&number), json!(1625630049930_i64));
    let text = EventTime::Text("1625630049930".into());
    assert_eq!(round_trip(&text), json!("1625630049930"));
}

#[test]
fn envelopes_and_verdicts() {
    let body = sign_body(EVENT, URL, SECRET).unwrap();
    let env: Envelope = parse(&body).unwrap();
    let shown = round_trip(&env);
    assert_eq!(shown["signatureMethod"], json!("HMAC_SHA1"));
    assert_eq!(
        shown["signatureText"],
        json!(env.signature_text.as_deref().unwrap())
    );
    assert_eq!(
        shown["messageEventText"],
        json!({"start": env.message_event_text.start, "end": env.message_event_text.end})
    );
    assert_eq!(shown["event"]["eventTime"], json!(1625630049930_i64));

    // The untyped envelope has the same shape.
    let plain: Envelope<Value> = parse_value(&body).unwrap();
    assert_eq!(round_trip(&plain), round_trip(&env));

    let verified: Verified = verify(&body, &options()).unwrap();
    let shown = round_trip(&verified);
    assert_eq!(
        shown["matched"],
        json!({"urlIndex": 0, "url": URL, "secretIndex": 0, "form": "canonical"})
    );
    assert_eq!(shown["signatureMethod"], json!("HMAC_SHA1"));

    let checked: Checked = check(&body, &options()).unwrap();
    let shown = round_trip(&checked);
    assert_eq!(shown["wideIntegers"], json!(false));
    assert_eq!(shown["messageEvent"]["start"], json!(16));

    let m: Match = serde_json::from_value(shown["matched"].clone()).unwrap();
    assert_eq!(m.form, Form::Canonical);
}

#[test]
fn errors_read_as_the_package_shows_them() {
    let body = sign_body(EVENT, URL, SECRET).unwrap();
    let e: Error = verify(&body, &VerifyOptions::new(URL, "other")).unwrap_err();
    let shown = round_trip(&e);
    assert_eq!(
        shown,
        json!({"code": "SIGNATURE_MISMATCH", "message": e.message()})
    );
    let e = parse(r#"{"messageEvent":{"a":01}}"#).unwrap_err();
    let shown = round_trip(&e);
    assert_eq!(shown["code"], json!("MALFORMED_JSON"));
    assert_eq!(shown["offset"], json!(e.offset().unwrap()));
    assert!(shown.get("needsFullBuild").is_none());
}

#[test]
fn explanations() {
    let body = sign_body(EVENT, &format!("{URL}/"), SECRET).unwrap();
    let x: Explanation = explain(
        &body,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: true,
        },
    );
    let shown = round_trip(&x);
    assert_eq!(shown["error"]["code"], json!("SIGNATURE_MISMATCH"));
    assert_eq!(shown["parseError"], json!(null));
    assert_eq!(shown["firstDifference"], json!(null));
    assert_eq!(shown["hints"][0]["code"], json!("URL_TRAILING_SLASH"));
    assert_eq!(shown["hints"][0]["url"], json!(format!("{URL}/")));
    assert_eq!(shown["hints"][0]["secretIndex"], json!(0));
    assert_eq!(shown["hints"][0]["form"], json!("canonical"));
    assert_eq!(shown["expected"][0]["url"], json!(URL));
    assert_eq!(shown["event"]["category"], json!("工單"));
    let plain: Explanation<Value> = explain_value(
        &body,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: true,
        },
    );
    assert_eq!(round_trip(&plain), shown);

    // A hint with nothing more than its code and message has no other members.
    let unsigned = format!(r#"{{"messageEvent":{EVENT},"signatureMethod":"None"}}"#);
    let x = explain(
        &unsigned,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: false,
        },
    );
    let shown = round_trip(&x);
    let hint = shown["hints"][0].as_object().unwrap();
    let keys: Vec<&str> = hint.keys().map(String::as_str).collect();
    assert_eq!(keys, ["code", "message"]);
}

/// What a format that is not JSON hands the visitors: `Some(..)` (RON, for one) and 128-bit
/// integers, and the error a wrong type gets names what was expected.
#[test]
fn other_formats_and_wrong_types() {
    use serde::de::value::{Error as ValueError, I128Deserializer, U64Deserializer};
    use serde::de::{Deserialize, Deserializer, IntoDeserializer, Visitor};

    /// A deserializer that hands its visitor `Some(inner)`, as a format with options does.
    struct Some_<D>(D);
    impl<'de, D: Deserializer<'de>> Deserializer<'de> for Some_<D> {
        type Error = D::Error;
        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            visitor.visit_some(self.0)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
            identifier ignored_any
        }
    }
    let inner: U64Deserializer<ValueError> = 7u64.into_deserializer();
    assert_eq!(
        Value::deserialize(Some_(inner)).unwrap(),
        Value::Number(number("7"))
    );

    let big = -(1i128 << 100);
    let d: I128Deserializer<ValueError> = big.into_deserializer();
    assert_eq!(
        Value::deserialize(d).unwrap(),
        Value::Number(number(&big.to_string()))
    );

    let err = serde_json::from_str::<Number>("true")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a JSON number, or a string holding one"),
        "{err}"
    );
    let err = serde_json::from_str::<EventTime>("[1]")
        .unwrap_err()
        .to_string();
    assert!(err.contains("a number or a string"), "{err}");
}
