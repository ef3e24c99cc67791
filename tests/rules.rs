//! One test per rule of the canonical form (`docs/canonical-form.md`), with the exact bytes
//! fastjson 1.2.83 writes. The vector file checks the same rules end to end; these tests pin
//! each rule on its own, so that a regression names the rule it broke.

use dms_webhook::{canonicalize, canonicalize_event, ErrorCode};

/// The canonical form of `event`, read both inside a body and on its own: the two entry points
/// must never disagree, since `sign` uses one and `verify` the other.
fn canon(event: &str) -> String {
    String::from_utf8(canon_bytes(event.as_bytes())).expect("canonical text is UTF-8")
}

fn canon_bytes(event: &[u8]) -> Vec<u8> {
    let mut body = br#"{"messageEvent":"#.to_vec();
    body.extend_from_slice(event);
    body.push(b'}');
    let in_body =
        canonicalize(&body).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(event)));
    let alone = canonicalize_event(event)
        .unwrap_or_else(|e| panic!("{} alone: {e}", String::from_utf8_lossy(event)));
    assert_eq!(
        in_body,
        alone,
        "canonicalize and canonicalize_event disagree on {}",
        String::from_utf8_lossy(event)
    );
    in_body
}

/// The error for `event` inside a body; `canonicalize_event` must refuse it with the same code.
fn refused(event: &str) -> ErrorCode {
    let body = format!(r#"{{"messageEvent":{event}}}"#);
    let code = canonicalize(&body)
        .map(|c| panic!("{event} gave {}", String::from_utf8_lossy(&c)))
        .unwrap_err()
        .code();
    let alone = canonicalize_event(event)
        .map(|c| panic!("{event} alone gave {}", String::from_utf8_lossy(&c)))
        .unwrap_err()
        .code();
    assert_eq!(code, alone, "{event}");
    code
}

/// The canonical text of a single value, as a member of an event.
fn value(v: &str) -> String {
    let c = canon(&format!(r#"{{"v":{v}}}"#));
    c.strip_prefix(r#"{"v":"#)
        .and_then(|c| c.strip_suffix('}'))
        .unwrap_or_else(|| panic!("{v} gave {c}"))
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Layout

#[test]
fn rule_1_compact_output() {
    assert_eq!(
        canon(" { \"a\" : 1 ,\n\t\"b\" :\r\n[ 1 , 2 ] , \"c\" : { } , \"d\" : [ ] } "),
        r#"{"a":1,"b":[1,2],"c":{},"d":[]}"#
    );
    assert_eq!(
        canon("{\n  \"x\": {\n    \"y\": [\n      true,\n      false\n    ]\n  }\n}\n"),
        r#"{"x":{"y":[true,false]}}"#
    );
    assert_eq!(canon(r#"{"a":1,"b":2}"#), r#"{"a":1,"b":2}"#);
}

#[test]
fn rule_1_whitespace_around_message_event_in_the_body_is_not_signed() {
    let body =
        b" \r\n\t{ \"messageEvent\" :\n { \"a\" : \"b c\" } ,\"signatureMethod\":\"None\" }\n\t ";
    assert_eq!(canonicalize(body).unwrap(), br#"{"a":"b c"}"#);
}

#[test]
fn rule_1_only_json_whitespace_is_whitespace() {
    for ws in [
        "\u{a0}", "\u{b}", "\u{c}", "\u{feff}", "\u{2028}", "\u{3000}",
    ] {
        assert_eq!(
            refused(&format!(r#"{{"a":{ws}1}}"#)),
            ErrorCode::MalformedJson,
            "{ws:?} between tokens"
        );
    }
}

#[test]
fn rule_2_members_keep_body_order() {
    assert_eq!(
        canon(r#"{"z":1,"a":2,"m":3,"B":4,"b":5,"10":6,"9":7}"#),
        r#"{"z":1,"a":2,"m":3,"B":4,"b":5,"10":6,"9":7}"#
    );
    assert_eq!(
        canon(r#"{"b":{"z":1,"y":2},"a":[{"d":1,"c":2},{"f":{"h":1,"g":2}}]}"#),
        r#"{"b":{"z":1,"y":2},"a":[{"d":1,"c":2},{"f":{"h":1,"g":2}}]}"#
    );
}

#[test]
fn rule_3_null_members_are_left_out() {
    for (event, want) in [
        (r#"{"a":null}"#, "{}"),
        (r#"{"a":null,"b":1}"#, r#"{"b":1}"#),
        (r#"{"a":1,"b":null}"#, r#"{"a":1}"#),
        (r#"{"a":1,"b":null,"c":2}"#, r#"{"a":1,"c":2}"#),
        (r#"{"a":null,"b":null,"c":1,"d":null}"#, r#"{"c":1}"#),
        (r#"{"a":null,"b":null}"#, "{}"),
        ("{ \"a\" : null , \"b\" : 1 , \"c\" : null }", r#"{"b":1}"#),
        (
            "{\n\"a\":null\n,\n\"b\":null\n,\n\"c\":true\n}",
            r#"{"c":true}"#,
        ),
        (r#"{"null":"null","n":null}"#, r#"{"null":"null"}"#),
    ] {
        assert_eq!(canon(event), want, "{event}");
    }
}

#[test]
fn rule_3_null_inside_arrays_is_written() {
    assert_eq!(value("[null]"), "[null]");
    assert_eq!(value("[ null , 1 , null ]"), "[null,1,null]");
    assert_eq!(value("[[null],[null,null]]"), "[[null],[null,null]]");
}

#[test]
fn rule_3_nested_nulls() {
    assert_eq!(
        canon(r#"{"a":{"b":null},"c":[{"d":null,"e":[null,{"f":null}]}],"g":{"h":{"i":null}}}"#),
        r#"{"a":{},"c":[{"e":[null,{}]}],"g":{"h":{}}}"#
    );
}

#[test]
fn rule_3_empty_containers_are_kept() {
    assert_eq!(canon("{}"), "{}");
    assert_eq!(canon("{ }"), "{}");
    assert_eq!(canon("{\n}"), "{}");
    assert_eq!(
        canon(r#"{"a":{},"b":[],"c":[{}],"d":[[]],"e":{"f":{}},"g":[ ],"h":{ }}"#),
        r#"{"a":{},"b":[],"c":[{}],"d":[[]],"e":{"f":{}},"g":[],"h":{}}"#
    );
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_duplicate_key_first_position_last_value() {
    for (event, want) in [
        (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
        (r#"{"a":1,"a":2,"a":3}"#, r#"{"a":3}"#),
        (
            r#"{"x":0,"a":1,"b":2,"a":3,"b":4}"#,
            r#"{"x":0,"a":3,"b":4}"#,
        ),
        (r#"{"a":[1],"a":{"b":1}}"#, r#"{"a":{"b":1}}"#),
        (r#"{"a":{"b":1,"b":2},"c":3}"#, r#"{"a":{"b":2},"c":3}"#),
        (r#"{"a":[{"k":1,"k":"two"}]}"#, r#"{"a":[{"k":"two"}]}"#),
        (r#"{"a":{"x":1},"a":{"y":2}}"#, r#"{"a":{"y":2}}"#),
        (
            "{ \"a\" : 1 ,\n \"b\" : 2 ,\n \"a\" : 1.50 }",
            r#"{"a":1.50,"b":2}"#,
        ),
    ] {
        assert_eq!(canon(event), want, "{event}");
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_keys_compare_after_unescaping() {
    for (event, want) in [
        (r#"{"a":1,"\u0061":2}"#, r#"{"a":2}"#),
        (r#"{"\u0061":1,"a":2}"#, r#"{"a":2}"#),
        (r#"{"\u0041b":1,"c":2,"A\u0062":3}"#, r#"{"Ab":3,"c":2}"#),
        (r#"{"a/b":1,"a\/b":2}"#, r#"{"a/b":2}"#),
        (r#"{"\n":1,"\u000a":2,"\u000A":3}"#, r#"{"\n":3}"#),
        (r#"{"é":1,"\u00e9":2,"\u00E9":3}"#, r#"{"é":3}"#),
        (
            "{\"\u{1F600}\":1,\"\\ud83d\\ude00\":2,\"\\uD83D\\uDE00\":3}",
            "{\"\u{1F600}\":3}",
        ),
        ("{\"\u{85}\":1,\"\\u0085\":2}", r#"{"\u0085":2}"#),
    ] {
        assert_eq!(canon(event), want, "{event}");
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_different_lone_surrogates_are_different_keys() {
    // Both keys are written `?`, but Java compares the UTF-16 text, where they differ.
    assert_eq!(canon(r#"{"\ud800":1,"\udbff":2}"#), r#"{"?":1,"?":2}"#);
    assert_eq!(canon(r#"{"\ud800":1,"\uD800":2}"#), r#"{"?":2}"#);
    assert_eq!(canon(r#"{"?":1,"\ud800":2}"#), r#"{"?":1,"?":2}"#);
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_null_last_removes_the_member() {
    assert_eq!(canon(r#"{"a":1,"b":2,"a":null}"#), r#"{"b":2}"#);
    assert_eq!(canon(r#"{"a":1,"a":null}"#), "{}");
    assert_eq!(canon(r#"{"a":1,"\u0061":null,"b":[]}"#), r#"{"b":[]}"#);
    assert_eq!(canon(r#"{"a":{"b":1,"b":null}}"#), r#"{"a":{}}"#);
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_null_first_keeps_the_first_position() {
    assert_eq!(canon(r#"{"a":null,"b":2,"a":1}"#), r#"{"a":1,"b":2}"#);
    assert_eq!(canon(r#"{"a":null,"a":1}"#), r#"{"a":1}"#);
    assert_eq!(canon(r#"{"a":1,"a":null,"a":3}"#), r#"{"a":3}"#);
    assert_eq!(
        canon(r#"{"z":0,"a":null,"b":null,"a":1,"b":null}"#),
        r#"{"z":0,"a":1}"#
    );
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_4_duplicate_message_event_takes_the_last() {
    let body = br#"{"messageEvent":{"a":1},"signatureMethod":"None","messageEvent":{"b":2}}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"b":2}"#);
    let body = br#"{"messageEvent":{"a":1,"a":2},"messageEvent":{"b":[3]}}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"b":[3]}"#);
    let body = br#"{"messageEvent":{"a":1},"messageEvent":{"b":2,"b":null,"c":3}}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"c":3}"#);
}

#[test]
fn rule_4_top_level_key_is_compared_after_unescaping() {
    let body = br#"{"messageEvent":{"a":1},"message\u0045vent":{"b":2}}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"b":2}"#);
    let body = br#"{"\u006dessageEvent":{"c":3}}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"c":3}"#);
}

#[test]
fn rule_5_booleans_as_written() {
    assert_eq!(
        canon(r#"{"t":true,"f":false,"a":[true,false]}"#),
        r#"{"t":true,"f":false,"a":[true,false]}"#
    );
    assert_eq!(refused(r#"{"t":True}"#), ErrorCode::MalformedJson);
    assert_eq!(refused(r#"{"t":truex}"#), ErrorCode::MalformedJson);
    assert_eq!(refused(r#"{"t":nul}"#), ErrorCode::MalformedJson);
}

// ---------------------------------------------------------------------------------------------
// Strings

#[test]
fn rule_6_short_escapes() {
    assert_eq!(
        value(r#""\" \\ \b \t \n \f \r""#),
        r#""\" \\ \b \t \n \f \r""#
    );
    assert_eq!(
        value(r#""\u0022\u005c\u005C\u0008\u0009\u000a\u000c\u000d\u000A\u000C\u000D""#),
        r#""\"\\\\\b\t\n\f\r\n\f\r""#
    );
}

#[test]
fn rule_6_applies_to_keys() {
    assert_eq!(canon(r#"{"\u0022\t\u000a\\":1}"#), r#"{"\"\t\n\\":1}"#);
}

#[test]
fn rule_7_other_controls_use_uppercase_hex() {
    assert_eq!(value(r#""\u0000""#), r#""\u0000""#);
    assert_eq!(value(r#""\u000b""#), r#""\u000B""#);
    assert_eq!(value(r#""\u001f""#), r#""\u001F""#);
    assert_eq!(value(r#""\u001F\u001e\u000E""#), r#""\u001F\u001E\u000E""#);
    let short = [(8, 'b'), (9, 't'), (10, 'n'), (12, 'f'), (13, 'r')];
    for cp in 0u32..0x20 {
        let want = match short.iter().find(|(c, _)| *c == cp) {
            Some((_, letter)) => format!("\"\\{letter}\""),
            None => format!("\"\\u{cp:04X}\""),
        };
        assert_eq!(value(&format!("\"\\u{cp:04x}\"")), want, "U+{cp:04X}");
        assert_eq!(value(&format!("\"\\u{cp:04X}\"")), want, "U+{cp:04X}");
    }
}

#[test]
fn rule_7_raw_controls_are_refused() {
    for cp in 0u8..0x20 {
        let event = format!("{{\"a\":\"x{}y\"}}", cp as char);
        assert_eq!(refused(&event), ErrorCode::MalformedJson, "raw U+{cp:04X}");
    }
}

#[test]
fn rule_8_del_and_c1_controls() {
    assert_eq!(value("\"a\u{7f}b\""), r#""a\u007Fb""#);
    assert_eq!(value("\"\u{80}\u{85}\u{9f}\""), r#""\u0080\u0085\u009F""#);
    for cp in 0x7Fu32..=0x9F {
        let want = format!("\"\\u{cp:04X}\"");
        let raw = char::from_u32(cp).unwrap();
        assert_eq!(value(&format!("\"{raw}\"")), want, "raw U+{cp:04X}");
        assert_eq!(
            value(&format!("\"\\u{cp:04x}\"")),
            want,
            "escaped U+{cp:04X}"
        );
    }
    // The first character past the range is written raw.
    assert_eq!(value("\"\u{a0}\""), "\"\u{a0}\"");
    assert_eq!(value(r#""\u00a0""#), "\"\u{a0}\"");
    assert_eq!(value("\"~\""), "\"~\"");
}

#[test]
fn rule_9_line_and_paragraph_separators() {
    assert_eq!(value("\"\u{2028}\""), r#""\u2028""#);
    assert_eq!(value("\"\u{2029}\""), r#""\u2029""#);
    assert_eq!(value(r#""\u2028\u2029""#), r#""\u2028\u2029""#);
    assert_eq!(value("\"a\u{2028}b\u{2029}c\""), r#""a\u2028b\u2029c""#);
    // Neighbours in the same UTF-8 lead-byte block stay raw.
    for cp in [0x2000, 0x2027, 0x202A, 0x2030, 0x20AC, 0x2FFF] {
        let c = char::from_u32(cp).unwrap();
        assert_eq!(value(&format!("\"{c}\"")), format!("\"{c}\""), "U+{cp:04X}");
        assert_eq!(
            value(&format!("\"\\u{cp:04x}\"")),
            format!("\"{c}\""),
            "U+{cp:04X}"
        );
    }
}

#[test]
fn rule_9_applies_to_keys() {
    assert_eq!(canon("{\"\u{2028}\u{7f}\":1}"), r#"{"\u2028\u007F":1}"#);
}

#[test]
fn rule_10_slash_is_never_escaped() {
    assert_eq!(value(r#""a\/b""#), r#""a/b""#);
    assert_eq!(value(r#""a/b""#), r#""a/b""#);
    assert_eq!(value(r#""\u002f\u002F""#), r#""//""#);
    assert_eq!(
        value(r#""https:\/\/example.com\/dms""#),
        r#""https://example.com/dms""#
    );
}

#[test]
fn rule_10_everything_else_is_raw_utf8() {
    for (escaped, raw) in [
        (r#""\u00e9""#, "\"é\""),
        (r#""\u00E9""#, "\"é\""),
        (r#""\u4e2d\u6587""#, "\"中文\""),
        (r#""\u0041\u007e""#, "\"A~\""),
        (r#""\ufeff""#, "\"\u{feff}\""),
        (r#""\ufffe""#, "\"\u{fffe}\""),
        (r#""\uffff""#, "\"\u{ffff}\""),
        (r#""\ud83d\ude00""#, "\"\u{1F600}\""),
        (r#""\uD83D\uDE00""#, "\"\u{1F600}\""),
        (r#""\ud800\udc00""#, "\"\u{10000}\""),
        (r#""\udbff\udfff""#, "\"\u{10FFFF}\""),
        ("\"\u{1F600}\"", "\"\u{1F600}\""),
        (
            "\"\u{feff}\u{ffff}\u{10FFFF}\"",
            "\"\u{feff}\u{ffff}\u{10FFFF}\"",
        ),
        ("\"工單 執行成功\"", "\"工單 執行成功\""),
    ] {
        assert_eq!(value(escaped), raw, "{escaped}");
    }
}

#[test]
fn rule_11_lone_surrogates_become_question_marks() {
    for (escaped, want) in [
        (r#""\ud800""#, r#""?""#),
        (r#""\udc00""#, r#""?""#),
        (r#""\uDFFF""#, r#""?""#),
        (r#""a\ud83db""#, r#""a?b""#),
        (r#""\ude00\ud83d""#, r#""??""#),
        (r#""\ud83d\ud83d\ude00""#, "\"?\u{1F600}\""),
        (r#""\ud83d\ude00\ude00""#, "\"\u{1F600}?\""),
        ("\"\\ud83d\u{1F600}\"", "\"?\u{1F600}\""),
        ("\"\u{1F600}\\ude00\"", "\"\u{1F600}?\""),
        (r#""\ud83d\n""#, r#""?\n""#),
        (r#""\ud83d\u0041""#, r#""?A""#),
    ] {
        assert_eq!(value(escaped), want, "{escaped}");
    }
    // In the signed bytes it is exactly 0x3F.
    let bytes = canon_bytes(br#"{"\ud800":"\udfff"}"#);
    assert_eq!(bytes, b"{\"\x3F\":\"\x3F\"}");
}

#[test]
fn strings_that_need_no_edit_are_copied() {
    let long = "abcdefgh中文éñ😀 /?<>&'".repeat(40);
    assert_eq!(value(&format!("\"{long}\"")), format!("\"{long}\""));
}

#[test]
fn invalid_escapes_are_refused() {
    for s in [
        r#""\a""#,
        r#""\x41""#,
        r#""\u12G4""#,
        r#""\u12""#,
        r#""\U0041""#,
        r#""\'""#,
        "\"\\\n\"",
        r#""abc"#,
    ] {
        assert_eq!(
            refused(&format!(r#"{{"a":{s}}}"#)),
            ErrorCode::MalformedJson,
            "{s}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_12_integers_keep_every_digit() {
    for (n, want) in [
        ("0", "0"),
        ("-0", "0"),
        ("1", "1"),
        ("-1", "-1"),
        ("100", "100"),
        ("2147483648", "2147483648"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("9223372036854775808", "9223372036854775808"),
        ("9007199254740993", "9007199254740993"),
        ("12345678901234567890123", "12345678901234567890123"),
        ("-12345678901234567890123", "-12345678901234567890123"),
        ("1625630049930", "1625630049930"),
    ] {
        assert_eq!(value(n), want, "{n}");
    }
    assert_eq!(value("[-0,0,-0]"), "[0,0,0]");
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_13_every_example_of_the_spec() {
    for (n, want) in [
        ("1.50", "1.50"),
        ("100e-2", "1.00"),
        ("0.000001", "0.000001"),
        ("-0.0", "0.0"),
        ("-0e-5", "0.00000"),
        ("5E+0", "5"),
        (
            "123456789012345678901234567890e-5",
            "1234567890123456789012345.67890",
        ),
        ("1e5", "1E+5"),
        ("1.5e3", "1.5E+3"),
        ("0.0000001", "1E-7"),
        ("12e-8", "1.2E-7"),
        ("1.0000000e-7", "1.0000000E-7"),
        ("0e10", "0E+10"),
        ("10e2147483647", "1.0E+2147483648"),
        ("1e0000000000000000001", "1E+1"),
    ] {
        assert_eq!(value(n), want, "{n}");
    }
}

#[test]
fn rule_13_errors_of_the_spec() {
    for n in [
        "1e2147483648",
        "1e9999999999",
        "1e-2147483648",
        "1.5e-2147483647",
    ] {
        assert_eq!(
            refused(&format!(r#"{{"n":{n}}}"#)),
            ErrorCode::NumberOutOfRange,
            "{n}"
        );
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_13_plain_notation() {
    for (n, want) in [
        ("0.5", "0.5"),
        ("-0.5", "-0.5"),
        ("-12.340", "-12.340"),
        ("1.23e2", "123"),
        ("1.234e2", "123.4"),
        ("0.1e1", "1"),
        ("0.01e1", "0.1"),
        ("1.0e1", "10"),
        ("1.00e1", "10.0"),
        ("1E-6", "0.000001"),
        ("10e-7", "0.0000010"),
        ("0.00000100", "0.00000100"),
        ("-1.5e-3", "-0.0015"),
        ("5e0", "5"),
        ("5e-0", "5"),
        ("5e+00", "5"),
        ("0e0", "0"),
        ("0.0e0", "0.0"),
        ("0.0", "0.0"),
        ("-0.000", "0.000"),
        ("0e-6", "0.000000"),
        ("1625630049930.000", "1625630049930.000"),
        (
            "12345678901234567890.12345678901234567890",
            "12345678901234567890.12345678901234567890",
        ),
    ] {
        assert_eq!(value(n), want, "{n}");
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_13_scientific_notation() {
    for (n, want) in [
        ("1E5", "1E+5"),
        ("1e+5", "1E+5"),
        ("1E+05", "1E+5"),
        ("-1e5", "-1E+5"),
        ("123e3", "1.23E+5"),
        ("1.5E-7", "1.5E-7"),
        ("-1.23E-10", "-1.23E-10"),
        ("123.456e-10", "1.23456E-8"),
        ("0.0000000", "0E-7"),
        ("0e-7", "0E-7"),
        ("-0e10", "0E+10"),
        ("0.00e5", "0E+3"),
        ("1e1", "1E+1"),
        ("10e0", "10"),
        ("10e1", "1.0E+2"),
        ("1e2147483647", "1E+2147483647"),
        ("-1e-2147483647", "-1E-2147483647"),
        ("1e-0000000000000000007", "1E-7"),
    ] {
        assert_eq!(value(n), want, "{n}");
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_13_scale_and_exponent_limits() {
    for n in [
        "1e99999999999",
        "1e-9999999999",
        "0e2147483648",
        "0.0e-2147483648",
        "0e-2147483649",
        "1.25e-2147483646",
        "1e12345678901",
    ] {
        assert_eq!(
            refused(&format!(r#"{{"n":{n}}}"#)),
            ErrorCode::NumberOutOfRange,
            "{n}"
        );
    }
    // Right at the limits: scale 2147483647 and scale -2147483647 are fine.
    assert_eq!(value("1.5e-2147483646"), "1.5E-2147483646");
    assert_eq!(value("1e-2147483647"), "1E-2147483647");
    assert_eq!(value("1e+2147483647"), "1E+2147483647");
    // In an array, an out-of-range number is still an error.
    assert_eq!(
        refused(r#"{"a":[1,1e2147483648]}"#),
        ErrorCode::NumberOutOfRange
    );
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn rule_14_number_length_limit() {
    use dms_webhook::{canonicalize, Error, MAX_NUMBER_CHARS};
    let digits = |n: usize| format!("1{}", "0".repeat(n - 1));
    let refusal = |body: &str| -> Error { canonicalize(body).unwrap_err() };
    // 65,535 characters pass in every form: integer, negative, decimal, with an exponent.
    let at_limit = [
        digits(MAX_NUMBER_CHARS),
        format!("-{}", digits(MAX_NUMBER_CHARS - 1)),
        format!("{}.5", digits(MAX_NUMBER_CHARS - 2)),
        format!("{}e5", digits(MAX_NUMBER_CHARS - 2)),
    ];
    let zeros = |n: usize| "0".repeat(n);
    let written = [
        at_limit[0].clone(),
        at_limit[1].clone(),
        at_limit[2].clone(),
        // BigDecimal's scientific form of 1 followed by 65,532 zeros, times 10^5.
        format!(
            "1.{}E+{}",
            zeros(MAX_NUMBER_CHARS - 3),
            MAX_NUMBER_CHARS + 2
        ),
    ];
    for (n, want) in at_limit.iter().zip(&written) {
        assert_eq!(n.len(), MAX_NUMBER_CHARS);
        assert_eq!(&value(n), want);
    }
    // One more refuses the body, with the number's offset, inside messageEvent or not.
    for n in [
        digits(MAX_NUMBER_CHARS + 1),
        format!("-{}", digits(MAX_NUMBER_CHARS)),
        format!("{}.5", digits(MAX_NUMBER_CHARS - 1)),
        format!("{}e5", digits(MAX_NUMBER_CHARS - 1)),
        format!("{}.5e-10", digits(MAX_NUMBER_CHARS - 5)),
    ] {
        let event = format!(r#"{{"n":{n}}}"#);
        assert_eq!(refused(&event), ErrorCode::NumberOutOfRange, "{}", n.len());
        let body = format!(r#"{{"messageEvent":{event}}}"#);
        assert_eq!(
            refusal(&body).offset(),
            Some(r#"{"messageEvent":{"n":"#.len())
        );
        let outside = format!(r#"{{"messageEvent":{{"a":1}},"x":[{n}]}}"#);
        let e = refusal(&outside);
        assert_eq!(e.code(), ErrorCode::NumberOutOfRange);
        assert_eq!(e.offset(), Some(r#"{"messageEvent":{"a":1},"x":["#.len()));
    }
    // Which of fastjson's two messages applies.
    let scan = refusal(&format!(
        r#"{{"messageEvent":{{"n":{}}}}}"#,
        digits(MAX_NUMBER_CHARS + 1)
    ));
    assert!(scan.message().contains("scanNumber overflow"), "{scan}");
    let decimal = refusal(&format!(
        r#"{{"messageEvent":{{"n":{}e5}}}}"#,
        digits(MAX_NUMBER_CHARS - 1)
    ));
    assert!(decimal.message().contains("decimal overflow"), "{decimal}");
}

#[test]
fn numbers_outside_strict_json_are_refused() {
    for n in [
        "01",
        "-01",
        "+1",
        ".5",
        "-.5",
        "1.",
        "1.e3",
        "1e",
        "1e+",
        "--1",
        "- 1",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "1_000",
    ] {
        assert_eq!(
            refused(&format!(r#"{{"n":{n}}}"#)),
            ErrorCode::MalformedJson,
            "{n}"
        );
    }
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn numbers_in_arrays_and_keys_untouched() {
    assert_eq!(
        canon(r#"{"1e5":[1.0,-0,1e1,-0.0,100]}"#),
        r#"{"1e5":[1.0,0,1E+1,0.0,100]}"#
    );
}

// ---------------------------------------------------------------------------------------------
// Byte order mark, envelope

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let body = "\u{feff}{\"messageEvent\":{\"a\":\"\u{feff}\"}}";
    assert_eq!(
        canonicalize(body).unwrap(),
        "{\"a\":\"\u{feff}\"}".as_bytes()
    );
    let body = "\u{feff} \n{\"messageEvent\":{}}";
    assert_eq!(canonicalize(body).unwrap(), b"{}");
    assert_eq!(
        canonicalize_event("\u{feff}{\"a\":1}").unwrap(),
        br#"{"a":1}"#
    );
}

#[test]
fn a_byte_order_mark_elsewhere_is_refused() {
    for body in [
        " \u{feff}{\"messageEvent\":{}}",
        "\u{feff}\u{feff}{\"messageEvent\":{}}",
        "{\u{feff}\"messageEvent\":{}}",
        "{\"messageEvent\":\u{feff}{}}",
        "{\"messageEvent\":{}}\u{feff}",
    ] {
        let e = canonicalize(body).unwrap_err();
        assert_eq!(e.code(), ErrorCode::MalformedJson, "{body:?}");
    }
    // A UTF-16 byte order mark is not UTF-8 at all.
    let e = canonicalize(b"\xff\xfe{\"messageEvent\":{}}").unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidUtf8);
}

#[test]
fn other_members_of_the_body_are_not_signed() {
    let body = br#"{"before":{"x":[1,2,{"y":null}]},"messageEvent":{"a":1.0},"signatureMethod":"HMAC_SHA1","signatureText":"x","after":1e5}"#;
    assert_eq!(canonicalize(body).unwrap(), br#"{"a":1.0}"#);
}

#[test]
fn other_members_must_be_strict_json_too() {
    for body in [
        r#"{"messageEvent":{},"x":01}"#,
        r#"{"messageEvent":{},"x":'a'}"#,
        r#"{"messageEvent":{},"x":[1,]}"#,
        r#"{"messageEvent":{},}"#,
        r#"{"messageEvent":{}} x"#,
        r#"{"messageEvent":{}}}"#,
    ] {
        let e = canonicalize(body).unwrap_err();
        assert_eq!(e.code(), ErrorCode::MalformedJson, "{body}");
    }
    let e = canonicalize(r#"{"messageEvent":{},"x":1e2147483648}"#).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NumberOutOfRange);
}

#[test]
fn lenient_fastjson_syntax_is_refused() {
    for event in [
        "{'a':1}",
        "{a:1}",
        r#"{"a":'x'}"#,
        r#"{"a":1,}"#,
        r#"{"a":[1,2,]}"#,
        r#"{"a":[,1]}"#,
        r#"{"a" 1}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a":1}/*c*/"#,
        r#"{"a":1 // c
        }"#,
        r#"{"a":NaN}"#,
        r#"{"a":undefined}"#,
        r#"{"a":new Date(1)}"#,
        r#"{"a":1;"b":2}"#,
    ] {
        assert_eq!(refused(event), ErrorCode::MalformedJson, "{event}");
    }
}

#[test]
fn canonicalize_event_wants_one_object() {
    assert_eq!(
        canonicalize_event("[1]").unwrap_err().code(),
        ErrorCode::InvalidMessageEvent
    );
    assert_eq!(
        canonicalize_event(r#""{\"a\":1}""#).unwrap_err().code(),
        ErrorCode::InvalidMessageEvent
    );
    assert_eq!(
        canonicalize_event(r#"{"a":1} {"b":2}"#).unwrap_err().code(),
        ErrorCode::MalformedJson
    );
    assert_eq!(
        canonicalize_event("").unwrap_err().code(),
        ErrorCode::MalformedJson
    );
    assert_eq!(
        canonicalize_event(" \n ").unwrap_err().code(),
        ErrorCode::MalformedJson
    );
    assert_eq!(
        canonicalize_event(" {\"a\" : 1} \n").unwrap(),
        br#"{"a":1}"#
    );
}

#[cfg(feature = "full")] // duplicate keys or rewritten numbers
#[test]
fn all_rules_together() {
    let event = "{ \"submitterName\" : \"xxx\" , \"category\":\"\\u5de5\\u55ae\",\n\
                 \"eventTime\":1625630049930,\"ratio\":1.50e1, \"none\":null,\n\
                 \"msg\":\"a\\/b\\u2028\u{85}\\ud800\",\"list\":[null,-0,{\"k\":null,\"k\":1}],\n\
                 \"category\":\"\\u5de5\\u55ae\" }";
    assert_eq!(
        canon(event),
        "{\"submitterName\":\"xxx\",\"category\":\"工單\",\"eventTime\":1625630049930,\
         \"ratio\":15.0,\"msg\":\"a/b\\u2028\\u0085?\",\"list\":[null,0,{\"k\":1}]}"
    );
}

/// Without the `full` feature a body with a duplicate key or a number fastjson rewrites is
/// refused with an error that says so, and every other body is read as with it.
#[cfg(not(feature = "full"))]
#[test]
fn without_full_the_bodies_that_need_it_are_refused_as_such() {
    for event in [
        r#"{"a":1,"a":2}"#,
        r#"{"n":1e5}"#,
        r#"{"o":{"k":[],"k":null}}"#,
    ] {
        let body = format!(r#"{{"messageEvent":{event}}}"#);
        for e in [
            canonicalize(&body).unwrap_err(),
            canonicalize_event(event).unwrap_err(),
        ] {
            assert!(e.needs_full_build(), "{event}: {e}");
            assert_eq!(e.code(), ErrorCode::UnsupportedJson);
        }
    }
    assert_eq!(
        canon(r#"{ "a" : 1.5, "b":[null] }"#),
        r#"{"a":1.5,"b":[null]}"#
    );
}
