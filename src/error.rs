use core::fmt;

use crate::prelude::*;
use crate::text::text;

/// The stable codes every failure is reported with. They are part of the public contract
/// (the JavaScript API exposes them as `error.code`), so a code is never renamed or reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The body is not strict RFC 8259 JSON (the offset says where it broke).
    MalformedJson,
    /// A `$ref` or `@type` key, which fastjson resolves or instantiates instead of reading as data.
    UnsupportedJson,
    /// Objects and arrays nested more than 512 levels deep.
    NestingTooDeep,
    /// A number whose exponent or scale does not fit in 32 bits, which Java's `BigDecimal` refuses.
    NumberOutOfRange,
    /// The body is not valid UTF-8.
    InvalidUtf8,
    /// The body is larger than the configured maximum.
    BodyTooLarge,
    /// The body has no `messageEvent` member.
    MissingMessageEvent,
    /// `messageEvent` is not a JSON object (for example a JSON string holding JSON).
    InvalidMessageEvent,
    /// No signature while one is required.
    Unsigned,
    /// A `signatureMethod` other than `HMAC_SHA1` or `None`.
    UnsupportedSignatureMethod,
    /// The signature matches no configured URL and secret.
    SignatureMismatch,
    /// `eventTime` is older than the allowed age (or unusable while an age limit is set).
    EventTooOld,
    /// `eventTime` lies further in the future than the allowed age.
    EventInFuture,
    /// The caller's options cannot work (no URL, no secret, an empty secret, ...).
    InvalidOptions,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::MalformedJson,
        ErrorCode::UnsupportedJson,
        ErrorCode::NestingTooDeep,
        ErrorCode::NumberOutOfRange,
        ErrorCode::InvalidUtf8,
        ErrorCode::BodyTooLarge,
        ErrorCode::MissingMessageEvent,
        ErrorCode::InvalidMessageEvent,
        ErrorCode::Unsigned,
        ErrorCode::UnsupportedSignatureMethod,
        ErrorCode::SignatureMismatch,
        ErrorCode::EventTooOld,
        ErrorCode::EventInFuture,
        ErrorCode::InvalidOptions,
    ];

    /// The stable text of the code, e.g. `SIGNATURE_MISMATCH`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "MALFORMED_JSON",
            ErrorCode::UnsupportedJson => "UNSUPPORTED_JSON",
            ErrorCode::NestingTooDeep => "NESTING_TOO_DEEP",
            ErrorCode::NumberOutOfRange => "NUMBER_OUT_OF_RANGE",
            ErrorCode::InvalidUtf8 => "INVALID_UTF8",
            ErrorCode::BodyTooLarge => "BODY_TOO_LARGE",
            ErrorCode::MissingMessageEvent => "MISSING_MESSAGE_EVENT",
            ErrorCode::InvalidMessageEvent => "INVALID_MESSAGE_EVENT",
            ErrorCode::Unsigned => "UNSIGNED",
            ErrorCode::UnsupportedSignatureMethod => "UNSUPPORTED_SIGNATURE_METHOD",
            ErrorCode::SignatureMismatch => "SIGNATURE_MISMATCH",
            ErrorCode::EventTooOld => "EVENT_TOO_OLD",
            ErrorCode::EventInFuture => "EVENT_IN_FUTURE",
            ErrorCode::InvalidOptions => "INVALID_OPTIONS",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with a stable [`ErrorCode`], a sentence for people and, for errors in the body,
/// the byte offset where it was found.
///
/// Messages are built only from the body and from fixed text: never from a secret, and never
/// with the expected signature, so they are safe to log and to send back to the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    offset: Option<usize>,
    needs_full: bool,
}

impl Error {
    /// An error with no body offset (options, signatures, limits).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::made(code, None, message.into())
    }

    /// The one place errors are made (each public constructor is generic; this is not).
    #[cold]
    #[inline(never)]
    fn made(code: ErrorCode, offset: Option<usize>, message: String) -> Self {
        Error {
            code,
            message,
            offset,
            needs_full: false,
        }
    }

    /// An error found at byte `offset` of the body.
    pub fn at(code: ErrorCode, offset: usize, message: impl Into<String>) -> Self {
        Error::made(code, Some(offset), message.into())
    }

    /// An error from its parts, as serialised (see `serde_impls`).
    #[cfg(feature = "serde")]
    pub(crate) fn from_parts(
        code: ErrorCode,
        message: String,
        offset: Option<usize>,
        needs_full: bool,
    ) -> Self {
        Error {
            code,
            message,
            offset,
            needs_full,
        }
    }

    /// What a build without the `full` feature says of a body that needs it.
    #[cfg_attr(feature = "full", allow(dead_code))]
    #[cold]
    #[inline(never)]
    pub(crate) fn needs_full() -> Self {
        Error {
            code: ErrorCode::UnsupportedJson,
            message: "the body has a duplicate key or a number fastjson rewrites, which need the \"full\" feature of dms-webhook".into(),
            offset: None,
            needs_full: true,
        }
    }

    /// Whether this error only says that the crate was built without its `full` feature and
    /// the body needs it (a duplicate key, or a number fastjson writes differently). Never true
    /// in a build with `full` (the default).
    pub fn needs_full_build(&self) -> bool {
        self.needs_full
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn malformed(offset: usize, what: &str) -> Self {
        Error::at(
            ErrorCode::MalformedJson,
            offset,
            text!("malformed JSON at byte ", offset, ": ", what),
        )
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset into the body, for errors found in it.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl core::error::Error for Error {}
