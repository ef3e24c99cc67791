//! The slow path: a tree of source spans, for duplicate keys and for handing values out.
//!
//! Nodes point into the source instead of holding decoded copies, so the canonical form is
//! written by the same string and number code as on the fast path.

use super::number::{canonical_text, scan_number};
use super::out::{Out, Sink};
use super::parser::{Handler, Literal, Member, Stop};
use super::string::{decode_lossy, walk_string};
use crate::prelude::*;
use crate::value::{Number as NumberValue, Value};

pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(usize, usize),
    /// Source span, and whether the text holds an escape (else it is its own decoding).
    String(usize, usize, bool),
    Array(Vec<usize>),
    Object(Vec<Entry>),
}

pub(crate) struct Entry {
    key_start: usize,
    key_end: usize,
    decoded: Option<Box<[u8]>>,
    canonical: Option<Box<[u8]>>,
    value: usize,
}

pub(crate) struct Tree<'a> {
    b: &'a [u8],
    nodes: Vec<Node>,
    stack: Vec<usize>,
    pending: Option<Entry>,
    root: Option<usize>,
    escaped: bool,
}

impl<'a> Tree<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Tree {
            b,
            nodes: Vec::new(),
            stack: Vec::new(),
            pending: None,
            root: None,
            escaped: false,
        }
    }

    fn push(&mut self, node: Node) -> usize {
        let idx = self.nodes.len();
        self.nodes.push(node);
        match self.stack.last() {
            None => self.root = Some(idx),
            Some(&parent) => match &mut self.nodes[parent] {
                Node::Array(items) => items.push(idx),
                Node::Object(entries) => {
                    if let Some(mut e) = self.pending.take() {
                        e.value = idx;
                        entries.push(e);
                    }
                }
                _ => {}
            },
        }
        idx
    }

    fn key<'e>(&'e self, e: &'e Entry) -> &'e [u8] {
        match &e.decoded {
            Some(d) => d,
            None => &self.b[e.key_start + 1..e.key_end - 1],
        }
    }

    /// fastjson's `LinkedHashMap`: a repeated key keeps its first position and takes its last value.
    fn merge_duplicates(&mut self, idx: usize) {
        let Node::Object(entries) = &self.nodes[idx] else {
            return;
        };
        let n = entries.len();
        if n < 2 {
            return;
        }
        let mut sorted = Vec::with_capacity(n);
        for (i, e) in entries.iter().enumerate() {
            sorted.push((self.key(e), i));
        }
        super::sort_keys(&mut sorted);
        // Equal keys are now together, each group in body order: its first entry takes the last
        // one's value, the others go.
        let mut replace = Vec::new();
        let mut group = 0;
        while group < n {
            let mut last = group;
            while last + 1 < n && sorted[last + 1].0 == sorted[group].0 {
                last += 1;
            }
            if last > group {
                replace.push((sorted[group].1, entries[sorted[last].1].value));
                for &(_, i) in &sorted[group + 1..=last] {
                    replace.push((i, usize::MAX));
                }
            }
            group = last + 1;
        }
        if replace.is_empty() {
            return;
        }
        let Node::Object(entries) = &mut self.nodes[idx] else {
            return;
        };
        for (i, value) in replace {
            entries[i].value = value;
        }
        entries.retain(|e| e.value != usize::MAX);
    }

    /// The root's member `name`, when the root is an object.
    pub fn member(&self, name: &[u8]) -> Option<(usize, usize)> {
        let Node::Object(entries) = &self.nodes[self.root?] else {
            return None;
        };
        let e = entries.iter().find(|e| self.key(e) == name)?;
        match self.nodes[e.value] {
            Node::Number(s, t) | Node::String(s, t, _) => Some((s, t)),
            _ => None,
        }
    }

    /// Whether the merged value holds an integer beyond ±(2^53 − 1) (an overwritten duplicate
    /// does not count: it is not part of the event).
    pub fn has_wide_integers(&self) -> bool {
        let mut pending: Vec<usize> = Vec::new();
        pending.extend(self.root);
        while let Some(idx) = pending.pop() {
            match &self.nodes[idx] {
                &Node::Number(s, _) if scan_number(self.b, s).is_ok_and(|n| n.wide) => {
                    return true;
                }
                Node::Array(items) => pending.extend_from_slice(items),
                Node::Object(entries) => {
                    for e in entries {
                        pending.push(e.value);
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Writes the root's canonical form.
    pub fn write(&self, sink: &mut dyn Sink) {
        if let Some(root) = self.root {
            let mut out = Out::new(self.b, sink, 0);
            self.write_node(root, &mut out);
        }
    }

    // Recursion is bounded: the reader refuses more than 512 levels.
    fn write_node(&self, idx: usize, out: &mut Out<'_>) {
        let b = self.b;
        match &self.nodes[idx] {
            Node::Null => out.emit(b"null"),
            Node::Bool(true) => out.emit(b"true"),
            Node::Bool(false) => out.emit(b"false"),
            &Node::Number(s, e) => {
                if let Ok(n) = scan_number(b, s) {
                    out.jump(s);
                    if n.is_canonical_as_written() {
                        out.copy_until(e);
                    } else {
                        out.skip(s, e);
                        n.write(b, out);
                    }
                }
            }
            &Node::String(s, e, _) => self.write_string(s, e, out),
            Node::Array(items) => {
                out.emit(b"[");
                for (i, &item) in items.iter().enumerate() {
                    if i > 0 {
                        out.emit(b",");
                    }
                    self.write_node(item, out);
                }
                out.emit(b"]");
            }
            Node::Object(entries) => {
                out.emit(b"{");
                let mut first = true;
                for e in entries {
                    if matches!(self.nodes[e.value], Node::Null) {
                        continue;
                    }
                    if !first {
                        out.emit(b",");
                    }
                    first = false;
                    match &e.canonical {
                        Some(c) => out.emit(c),
                        None => out.emit(&b[e.key_start..e.key_end]),
                    }
                    out.emit(b":");
                    self.write_node(e.value, out);
                }
                out.emit(b"}");
            }
        }
    }

    fn write_string(&self, s: usize, e: usize, out: &mut Out<'_>) {
        out.jump(s);
        let _ = walk_string(self.b, s, false, &mut |edit| {
            if !edit.same {
                out.replace(edit.from, edit.to, edit.canonical());
            }
        });
        out.copy_until(e);
    }

    /// The root as a [`Value`].
    pub fn value(&self) -> Value {
        match self.root {
            Some(root) => self.value_of(root),
            None => Value::Null,
        }
    }

    fn value_of(&self, idx: usize) -> Value {
        let b = self.b;
        match &self.nodes[idx] {
            Node::Null => Value::Null,
            &Node::Bool(v) => Value::Bool(v),
            &Node::Number(s, _) => match scan_number(b, s) {
                Ok(n) => Value::Number(NumberValue::from_canonical(canonical_text(b, &n))),
                Err(_) => Value::Null,
            },
            &Node::String(s, e, true) => Value::String(decode_lossy(b, s, e)),
            &Node::String(s, e, false) => Value::String(plain(b, s, e)),
            Node::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for &i in items {
                    values.push(self.value_of(i));
                }
                Value::Array(values)
            }
            Node::Object(entries) => {
                let mut members = Vec::with_capacity(entries.len());
                for e in entries {
                    let key = match e.decoded {
                        Some(_) => decode_lossy(b, e.key_start, e.key_end),
                        None => plain(b, e.key_start, e.key_end),
                    };
                    members.push((key, self.value_of(e.value)));
                }
                Value::Object(members)
            }
        }
    }
}

/// The text of a string token without escapes (quotes included in `s..e`): the source itself.
fn plain(b: &[u8], s: usize, e: usize) -> String {
    String::from_utf8_lossy(&b[s + 1..e - 1]).into_owned()
}

impl Handler for Tree<'_> {
    fn begin(&mut self, _at: usize, object: bool) -> Result<(), Stop> {
        let idx = self.push(if object {
            Node::Object(Vec::new())
        } else {
            Node::Array(Vec::new())
        });
        self.stack.push(idx);
        Ok(())
    }

    fn end(&mut self, _at: usize, object: bool) -> Result<(), Stop> {
        if let Some(idx) = self.stack.pop() {
            if object {
                self.merge_duplicates(idx);
            }
        }
        Ok(())
    }

    fn member(&mut self, m: &Member<'_>) -> Result<(), Stop> {
        self.pending = Some(Entry {
            key_start: m.key.start,
            key_end: m.key.end,
            decoded: (!m.key.plain).then(|| m.key.decoded.into()),
            canonical: m.key.canonical.map(Into::into),
            value: usize::MAX,
        });
        Ok(())
    }

    fn edit(&mut self, e: &super::parser::Edit) {
        self.escaped |= e.escape;
    }

    fn string(&mut self, start: usize, end: usize) -> Result<(), Stop> {
        let escaped = core::mem::take(&mut self.escaped);
        self.push(Node::String(start, end, escaped));
        Ok(())
    }

    fn number(&mut self, n: &super::number::Number) -> Result<(), Stop> {
        self.push(Node::Number(n.start, n.end));
        Ok(())
    }

    fn literal(&mut self, _start: usize, _end: usize, lit: Literal) -> Result<(), Stop> {
        self.push(match lit {
            Literal::True => Node::Bool(true),
            Literal::False => Node::Bool(false),
            Literal::Null => Node::Null,
        });
        Ok(())
    }
}
