//! The facts of a parse tree (function calls, column references, casts, operators), read by
//! walking the tree through its `Serialize` implementation with a serializer that builds
//! nothing: every node type the grammar can produce is covered (pg_query's own `nodes()` skips
//! column definitions and constraints), without the cost of a `serde_json::Value` copy of the
//! tree, its string keys and its maps, which a statement walk used to build and free.
//!
//! serde calls `serialize_field` around the whole serialization of a field's value, so the
//! walker knows, at every value, which field of which node it is in: it notes a node of
//! interest when serde enters it (`serialize_newtype_variant` names the node type, as the
//! `NodeEnum` variant), fills in its fields, and completes it when its struct ends. Each fact
//! keeps its place in the walk's pre-order (a slot is taken when the node is entered), the
//! order a reader of the tree meets them.

use serde::Serialize;
use serde::ser;

use super::tree::{ExprFacts, FuncCallRef};

/// The facts of `node` (any pg_query tree type).
pub fn facts_of_tree<T: Serialize + ?Sized>(node: &T) -> ExprFacts {
    let mut w = Walker::default();
    // The walker never fails: an error could only come from a Serialize impl.
    let _ = node.serialize(&mut w);
    ExprFacts {
        functions: w.functions.into_iter().flatten().collect(),
        columns: w.columns.into_iter().flatten().collect(),
        casts: w.casts.into_iter().flatten().collect(),
        operators: w.operators.into_iter().flatten().collect(),
        relations: w.relations.into_iter().flatten().collect(),
        ctes: w.ctes,
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    FuncCall,
    ColumnRef,
    /// A `TypeCast`: its fact is its `type_name`'s names and location.
    TypeCast,
    /// The `TypeName` of a `TypeCast`.
    CastType,
    AExpr,
    /// A relation name, met as a struct (it is a field of many nodes, not only a `Node`).
    RangeVar,
    CommonTableExpr,
}

struct Frame {
    kind: Kind,
    /// The struct depth of the node's own struct: its fields are serialized at this depth.
    depth: usize,
    /// Where its fact goes in its list (the cast's slot, for a `CastType`).
    slot: usize,
    names: Vec<String>,
    nargs: usize,
    location: usize,
    /// A `RangeVar`'s schema and name, a CTE's name.
    schema: String,
    name: String,
}

/// What the next scalar or sequence serde hands over is.
#[derive(Clone, Copy, PartialEq)]
enum Capture {
    Nothing,
    /// The node's `location`.
    Location,
    /// The node's `args` (only their number is kept; they are walked as usual).
    Args,
    /// Inside a name list: each `String` node's `sval` is a name part.
    Names,
    /// The `sval` of a name part.
    NamePart,
    /// A `RangeVar`'s `schemaname`.
    Schema,
    /// A `RangeVar`'s `relname`, a CTE's `ctename`.
    Name,
}

#[derive(Default)]
struct Walker {
    depth: usize,
    frames: Vec<Frame>,
    /// The node type serde is about to enter (set by the variant that holds it).
    pending: Option<Kind>,
    capture: Option<Capture>,
    functions: Vec<Option<FuncCallRef>>,
    columns: Vec<Option<(String, usize)>>,
    casts: Vec<Option<(Vec<String>, usize)>>,
    operators: Vec<Option<(Vec<String>, usize)>>,
    relations: Vec<Option<(String, String, usize)>>,
    ctes: Vec<String>,
}

#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("tree walk")
    }
}
impl std::error::Error for Never {}
impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl Walker {
    fn capture(&self) -> Capture {
        self.capture.unwrap_or(Capture::Nothing)
    }

    /// Serialize `value` with `capture` in force, restoring what was in force before.
    fn with<T: Serialize + ?Sized>(&mut self, capture: Capture, value: &T) -> Result<(), Never> {
        let saved = self.capture.replace(capture);
        let r = value.serialize(&mut *self);
        self.capture = saved;
        r
    }

    fn enter(&mut self, kind: Kind) {
        let slot = match kind {
            Kind::FuncCall => push_slot(&mut self.functions),
            Kind::ColumnRef => push_slot(&mut self.columns),
            Kind::TypeCast => push_slot(&mut self.casts),
            Kind::AExpr => push_slot(&mut self.operators),
            Kind::RangeVar => push_slot(&mut self.relations),
            Kind::CommonTableExpr => 0,
            // The cast's own slot.
            Kind::CastType => self.frames.last().map_or(usize::MAX, |f| f.slot),
        };
        self.frames.push(Frame {
            kind,
            depth: self.depth,
            slot,
            names: Vec::new(),
            nargs: 0,
            location: 0,
            schema: String::new(),
            name: String::new(),
        });
    }

    fn leave(&mut self) {
        let Some(f) = self.frames.pop() else { return };
        match f.kind {
            Kind::FuncCall => self.functions[f.slot] = Some(FuncCallRef { name: f.names, nargs: f.nargs, location: f.location }),
            Kind::ColumnRef => {
                let mut names = f.names;
                self.columns[f.slot] = names.pop().map(|last| (last, f.location));
            }
            Kind::CastType => {
                if let Some(slot) = self.casts.get_mut(f.slot) {
                    *slot = Some((f.names, f.location));
                }
            }
            Kind::AExpr => self.operators[f.slot] = Some((f.names, f.location)),
            Kind::RangeVar => self.relations[f.slot] = Some((f.schema, f.name, f.location)),
            Kind::CommonTableExpr => self.ctes.push(f.name),
            // A cast whose type name was not met (none is written) has no names.
            Kind::TypeCast => {
                self.casts[f.slot].get_or_insert_with(Default::default);
            }
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
        if self.capture() == Capture::Names {
            // A name part: `String { sval }` inside a name list (nothing else is collected).
            return if key == "sval" { self.with(Capture::NamePart, value) } else { value.serialize(&mut *self) };
        }
        let own = self.frames.last().filter(|f| f.depth == self.depth).map(|f| f.kind);
        let capture = match (own, key) {
            (Some(Kind::FuncCall | Kind::ColumnRef | Kind::AExpr | Kind::CastType | Kind::RangeVar), "location") => Capture::Location,
            (Some(Kind::RangeVar), "schemaname") => Capture::Schema,
            (Some(Kind::RangeVar), "relname") | (Some(Kind::CommonTableExpr), "ctename") => Capture::Name,
            (Some(Kind::FuncCall), "funcname")
            | (Some(Kind::ColumnRef), "fields")
            | (Some(Kind::AExpr), "name")
            | (Some(Kind::CastType), "names") => Capture::Names,
            (Some(Kind::FuncCall), "args") => Capture::Args,
            (Some(Kind::TypeCast), "type_name") => {
                self.pending = Some(Kind::CastType);
                let r = self.with(Capture::Nothing, value);
                self.pending = None;
                return r;
            }
            _ => Capture::Nothing,
        };
        self.with(capture, value)
    }

    fn top(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }
}

fn push_slot<T>(v: &mut Vec<Option<T>>) -> usize {
    v.push(None);
    v.len() - 1
}

impl ser::Serializer for &mut Walker {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _: bool) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        if self.capture() == Capture::Location
            && let Some(f) = self.top()
        {
            f.location = v.max(0) as usize;
        }
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        let capture = self.capture();
        if let Some(f) = self.top() {
            match capture {
                Capture::NamePart => f.names.push(v.to_string()),
                Capture::Schema => f.schema = v.to_string(),
                Capture::Name => f.name = v.to_string(),
                _ => {}
            }
        }
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        let kind = match variant {
            "FuncCall" => Some(Kind::FuncCall),
            "ColumnRef" => Some(Kind::ColumnRef),
            "TypeCast" => Some(Kind::TypeCast),
            "AExpr" | "A_Expr" => Some(Kind::AExpr),
            _ => None,
        };
        let saved = std::mem::replace(&mut self.pending, kind);
        let r = value.serialize(&mut *self);
        self.pending = saved;
        r
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Never> {
        if self.capture() == Capture::Args
            && let Some(f) = self.frames.last_mut()
        {
            f.nargs = len.unwrap_or(0);
            // The arguments themselves are walked as any subtree.
            self.capture = Some(Capture::Nothing);
        }
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Never> {
        self.depth += 1;
        let kind = match (self.pending.take(), name) {
            (Some(kind), _) => Some(kind),
            (None, "RangeVar") => Some(Kind::RangeVar),
            (None, "CommonTableExpr") => Some(Kind::CommonTableExpr),
            _ => None,
        };
        if let Some(kind) = kind {
            self.enter(kind);
        }
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.depth += 1;
        self.pending = None;
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Never> {
        if self.frames.last().is_some_and(|f| f.depth == self.depth) {
            self.leave();
        }
        self.depth -= 1;
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Walker {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Never> {
        self.depth -= 1;
        Ok(())
    }
}
