//! The typed `messageEvent` and the envelope around it.

use crate::prelude::*;
use crate::value::{Number, Value};

/// A person DMS notifies or names (`targetUsers`, `receivers`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct User {
    pub uid: Option<String>,
    pub name: Option<String>,
}

/// `eventTime` is documented as a string but sent as a number of epoch milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub enum EventTime {
    Number(Number),
    Text(String),
}

impl EventTime {
    /// Epoch milliseconds, when the value is an integer (or a string of one).
    pub fn millis(&self) -> Option<i64> {
        match self {
            EventTime::Number(n) => n.as_i64(),
            EventTime::Text(s) => crate::verify::millis_of_text(s),
        }
    }
}

/// The notification. The documented fields are typed; a field whose value does not have the
/// documented type is left `None` here and kept, like every undocumented field, in `extra`.
/// [`MessageEvent::value`] has every member in body order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageEvent {
    pub submitter_uid: Option<String>,
    pub submitter_name: Option<String>,
    /// The module area: ticket, task orchestration, data warehouse development, ...
    pub category: Option<String>,
    /// The business type: permission request, data change, schema design, data export, ...
    pub module: Option<String>,
    /// What happened: pending approval, succeeded, failed, ...
    pub event: Option<String>,
    pub task_id: Option<String>,
    pub task_name: Option<String>,
    pub event_time: Option<EventTime>,
    pub message: Option<String>,
    pub target_users: Option<Vec<User>>,
    pub receivers: Option<Vec<User>>,
    /// Every other member, in body order.
    pub extra: Vec<(String, Value)>,
    value: Value,
}

/// `targetUsers` or `receivers`: an array of objects whose `uid` and `name` are strings (or
/// null, or absent); `None` for anything else.
fn users(v: &Value) -> Option<Vec<User>> {
    let Value::Array(items) = v else {
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(members) = item else {
            return None;
        };
        let mut user = User::default();
        for (k, v) in members {
            let slot = match k.as_str() {
                "uid" => &mut user.uid,
                "name" => &mut user.name,
                _ => continue,
            };
            match v {
                Value::String(s) => *slot = Some(s.clone()),
                Value::Null => {}
                _ => return None,
            }
        }
        out.push(user);
    }
    Some(out)
}

impl MessageEvent {
    pub(crate) fn from_value(value: Value) -> Self {
        let mut e = MessageEvent::default();
        if let Value::Object(members) = &value {
            for (k, v) in members {
                if !e.set(k, v) {
                    e.extra.push((k.clone(), v.clone()));
                }
            }
        }
        e.value = value;
        e
    }

    /// Sets the typed field of member `k`; false when there is none, or `v` does not have the
    /// documented type (the member then goes to `extra`).
    fn set(&mut self, k: &str, v: &Value) -> bool {
        match (k, v) {
            (_, Value::Null) => false,
            ("eventTime", Value::Number(n)) => {
                self.event_time = Some(EventTime::Number(n.clone()));
                true
            }
            ("eventTime", Value::String(s)) => {
                self.event_time = Some(EventTime::Text(s.clone()));
                true
            }
            ("targetUsers", v) => {
                self.target_users = users(v);
                self.target_users.is_some()
            }
            ("receivers", v) => {
                self.receivers = users(v);
                self.receivers.is_some()
            }
            (name, Value::String(s)) => {
                let slot = match name {
                    "submitterUid" => &mut self.submitter_uid,
                    "submitterName" => &mut self.submitter_name,
                    "category" => &mut self.category,
                    "module" => &mut self.module,
                    "event" => &mut self.event,
                    "taskId" => &mut self.task_id,
                    "taskName" => &mut self.task_name,
                    "message" => &mut self.message,
                    _ => return false,
                };
                *slot = Some(s.clone());
                true
            }
            _ => false,
        }
    }

    /// The whole `messageEvent` object, every member in body order.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Whether the event holds an integer beyond ±(2^53 − 1), which a JavaScript number or an
    /// `f64` cannot hold exactly.
    pub fn has_wide_integers(&self) -> bool {
        self.value.has_wide_integers()
    }
}

/// What [`crate::parse`] returns: the event and the signature fields, unverified. The event is
/// typed ([`MessageEvent`], the default), or its plain [`Value`] from [`crate::parse_value`].
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope<E = MessageEvent> {
    pub event: E,
    /// The body's `signatureMethod`, `None` when absent.
    pub signature_method: Option<String>,
    /// The body's `signatureText`, `None` when absent or null.
    pub signature_text: Option<String>,
    /// Where the `messageEvent` value stands in the body (its raw text).
    pub message_event_text: core::ops::Range<usize>,
}

impl<E> Envelope<E> {
    /// The signature method, with an absent one read as DMS's default, `None`.
    pub fn signature_method(&self) -> &str {
        self.signature_method.as_deref().unwrap_or("None")
    }
}
