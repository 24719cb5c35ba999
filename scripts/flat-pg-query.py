#!/usr/bin/env python3
"""Change 4 of vendor/pg_query (vendor/README.md, "Change 4: the flat tree"): a parse tree
handed from C to Rust as a flat byte stream instead of protobuf. Run on the unpacked crate
(after changes 1-3):

    python3 scripts/flat-pg-query.py DIR

It copies the hand-written parts (vendor/flat/: the C writer and the Rust reader's primitives)
into the crate and generates the rest from libpg_query's own field lists
(src/include/pg_query_outfuncs_defs.c and _conds.c, the lists its protobuf output is written
from) and the crate's prost types (src/protobuf.rs):

- libpg_query/src/include/pg_query_flat_conds.c: the writer's switch over node types, each
  type with its code (its position in the conds list, from 1);
- src/flat_nodes.rs: one reader per node type, reading the fields in the writer's order into
  the prost struct.

Every listed field must exist in the prost struct with the type its WRITE_ macro implies (a
prost field the list does not write is never set by the protobuf output either: its default): otherwise this fails (exit 1), so that a new
libpg_query whose lists or types change is noticed rather than half-generated. Idempotent.
"""
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "vendor" / "flat"

# Node types whose C writer and Rust reader are hand-written (as libpg_query's own are).
HAND_WRITTEN = {"List", "IntList", "OidList", "Integer", "Float", "Boolean", "String", "BitString", "A_Const"}


def fail(msg):
    print(f"flat-pg-query: {msg}", file=sys.stderr)
    sys.exit(1)


def norm(name):
    return name.replace("r#", "").replace("_", "").lower()


def prost_types(text):
    """struct name -> {field name: rust type}; and Node variant -> (struct name, boxed)."""
    structs = {}
    for m in re.finditer(r"pub struct (\w+) \{(?:\}|\n(.*?)\n\})", text, re.S):
        fields = {}
        if m.group(2) is None:
            structs[m.group(1)] = fields
            continue
        # rustfmt wraps long types over lines (with a trailing comma inside the `<>`).
        body = re.sub(r"\s+", " ", m.group(2))
        body = re.sub(r",?\s*>", ">", re.sub(r"<\s+", "<", body))
        for f in re.finditer(r"pub ((?:r#)?\w+): (.*?),(?= #\[| pub |\s*$)", body):
            fields[f.group(1)] = f.group(2).strip()
        structs[m.group(1)] = fields
    start = text.find("    pub enum Node {")
    if start < 0:
        fail("no `pub enum Node` in protobuf.rs")
    body = text[start : text.find("\n    }\n", start)]
    variants = {}
    body = re.sub(r",?\s*>", ">", re.sub(r"<\s+", "<", re.sub(r"\s+", " ", body)))
    body = re.sub(r",?\s*\)", ")", re.sub(r"\(\s+", "(", body))
    for v in re.finditer(r"\] (\w+)\((::prost::alloc::boxed::Box<)?super::(\w+)>?\),", body):
        variants[v.group(3)] = (v.group(1), v.group(2) is not None)
    return structs, variants


def parse_defs(text):
    """[(proto message, C function suffix, C type, [(macro, args)])] in file order."""
    out = []
    pat = r"static void\n_out(\w+)\(OUT_TYPE\((\w+), (\w+)\) out, const (\w+) \*node\)\n\{\n((?:[ \t].*\n|\n)*?)\}"
    for m in re.finditer(pat, text):
        fields = []
        for line in m.group(5).splitlines():
            line = line.strip()
            if not line:
                continue
            w = re.fullmatch(r"(WRITE_\w+)\((.*)\);", line)
            if not w:
                fail(f"unexpected line in _out{m.group(1)}: {line}")
            fields.append((w.group(1), [a.strip() for a in w.group(2).split(",")]))
        out.append((m.group(2), m.group(1), m.group(4), fields))
    return out


def parse_conds(text):
    """[(C tag, proto message, C function suffix, C type)] in file order."""
    pat = r"case (T_\w+):\n\s+OUT_NODE\((\w+), (\w+), \w+, \w+, (\w+), \w+\);"
    return [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in re.finditer(pat, text)]


SCALAR = {
    "WRITE_INT_FIELD": ("i32", "r.i32()"),
    "WRITE_UINT_FIELD": ("u32", "r.u32()"),
    "WRITE_UINT64_FIELD": ("u64", "r.u64()"),
    "WRITE_LONG_FIELD": ("i64", "r.i64()"),
    "WRITE_FLOAT_FIELD": ("f64", "r.f64()"),
    "WRITE_BOOL_FIELD": ("bool", "r.bool()"),
    "WRITE_CHAR_FIELD": ("::prost::alloc::string::String", "r.string()"),
    "WRITE_STRING_FIELD": ("::prost::alloc::string::String", "r.string()"),
    "WRITE_ENUM_FIELD": ("i32", "r.i32()"),
    "WRITE_LIST_FIELD": ("::prost::alloc::vec::Vec<Node>", "r.list()"),
    "WRITE_BITMAPSET_FIELD": ("::prost::alloc::vec::Vec<u64>", "r.bitmapset()"),
    "WRITE_NODE_PTR_FIELD": ("::core::option::Option<::prost::alloc::boxed::Box<Node>>", "r.opt_node()"),
}


def main():
    if len(sys.argv) != 2:
        fail("usage: flat-pg-query.py CRATE_DIR")
    crate = Path(sys.argv[1])
    inc = crate / "libpg_query" / "src" / "include"
    structs, variants = prost_types((crate / "src" / "protobuf.rs").read_text())
    by_norm = {norm(s): s for s in structs}

    def rust_struct(msg):
        s = by_norm.get(norm(msg))
        if s is None:
            fail(f"no prost struct for message {msg}")
        return s

    defs = parse_defs((inc / "pg_query_outfuncs_defs.c").read_text())
    conds = parse_conds((inc / "pg_query_outfuncs_conds.c").read_text())
    if len(defs) < 200 or len(conds) < 200:
        fail(f"found only {len(defs)} definitions and {len(conds)} node types")
    fn_of_msg = {}
    readers = []
    for msg, cfn, _ctype, fields in defs:
        st = rust_struct(msg)
        fn_of_msg[msg] = f"r_{st}"
        rust_fields = structs[st]
        field_of_norm = {norm(f): f for f in rust_fields}
        inits, covered = [], set()
        for macro, args in fields:
            if macro == "WRITE_ENUM_FIELD":
                outname = args[2]
            elif macro in ("WRITE_SPECIFIC_NODE_FIELD", "WRITE_SPECIFIC_NODE_PTR_FIELD"):
                outname = args[3]
            else:
                outname = args[1]
            rf = field_of_norm.get(norm(outname))
            if rf is None:
                fail(f"{st} has no field {outname}")
            covered.add(rf)
            ty = rust_fields[rf]
            if macro in SCALAR:
                want, expr = SCALAR[macro]
                if ty != want:
                    fail(f"{st}.{rf}: {macro} wants {want}, prost has {ty}")
            elif macro in ("WRITE_SPECIFIC_NODE_FIELD", "WRITE_SPECIFIC_NODE_PTR_FIELD"):
                inner = rust_struct(args[1])
                boxed = ty == f"::core::option::Option<::prost::alloc::boxed::Box<{inner}>>"
                if not boxed and ty != f"::core::option::Option<{inner}>":
                    fail(f"{st}.{rf}: {macro} of {inner}, prost has {ty}")
                value = f"r_{inner}(r)"
                if boxed:
                    value = f"::prost::alloc::boxed::Box::new({value})"
                if macro == "WRITE_SPECIFIC_NODE_FIELD":
                    expr = f"Some({value})"
                else:
                    expr = f"if r.nested() {{ Some({value}) }} else {{ None }}"
            else:
                fail(f"{st}: unknown macro {macro}")
            inits.append(f"        {rf}: {expr},")
        # A prost field the list does not write (a node's `xpr` header) is never set by the
        # protobuf output either: its decoded value is the default.
        for rf in rust_fields:
            if rf not in covered:
                inits.append(f"        {rf}: Default::default(),")
        readers.append(f"pub(crate) fn r_{st}(r: &mut Reader) -> {st} {{\n    {st} {{\n" + "\n".join(inits) + "\n    }\n}\n")

    c_cases, rust_arms = [], []
    for code, (tag, msg, cfn, ctype) in enumerate(conds, start=1):
        c_cases.append(f"\tcase {tag}:\n\t\tflat_u16(out, {code});\n\t\t_out{cfn}(out, (const {ctype} *) obj);\n\t\tbreak;")
        st = rust_struct(msg)
        if st not in variants:
            fail(f"no Node variant holds {st}")
        variant, boxed = variants[st]
        reader = fn_of_msg.get(msg) or (f"r_{st}" if msg in HAND_WRITTEN else None)
        if reader is None:
            fail(f"no reader for node type {msg}")
        value = f"{reader}(r)"
        if boxed:
            value = f"::prost::alloc::boxed::Box::new({value})"
        rust_arms.append(f"        {code} => node::Node::{variant}({value}),")
    if len(rust_arms) != len(variants):
        fail(f"{len(rust_arms)} node types written, {len(variants)} Node variants")

    (inc / "pg_query_flat_conds.c").write_text(
        "/* Generated by pgready's scripts/flat-pg-query.py from pg_query_outfuncs_conds.c. */\n\n" + "\n".join(c_cases) + "\n"
    )
    rust = (
        "// Generated by pgready's scripts/flat-pg-query.py from libpg_query's\n"
        "// pg_query_outfuncs_defs.c and _conds.c: one reader per node type, fields in the writer's order.\n"
        "#![allow(non_snake_case, unused_variables, clippy::all)]\n\n"
        "use crate::flat::{Reader, r_AConst, r_BitString, r_Boolean, r_Float, r_IntList, r_Integer, r_List, r_OidList, r_String};\n"
        "use crate::protobuf::*;\n\n"
        "/// The node of type `code` (pg_query_flat_conds.c), its fields read from `r`.\n"
        "pub(crate) fn node_of(r: &mut Reader, code: u16) -> Option<node::Node> {\n"
        "    Some(match code {\n" + "\n".join(rust_arms) + "\n        _ => {\n            r.fail();\n            return None;\n        }\n    })\n}\n\n"
        + "\n".join(readers)
    )
    (crate / "src" / "flat_nodes.rs").write_text(rust)
    shutil.copy(HERE / "pg_query_outfuncs_flat.c", crate / "libpg_query" / "src" / "pg_query_outfuncs_flat.c")
    shutil.copy(HERE / "flat.rs", crate / "src" / "flat.rs")
    lib = crate / "src" / "lib.rs"
    text = lib.read_text()
    if "pub mod flat;" not in text:
        if "pub mod protobuf;\n" not in text:
            fail("no `pub mod protobuf;` in lib.rs")
        text = text.replace("pub mod protobuf;\n", "pub mod protobuf;\npub mod flat;\nmod flat_nodes;\n", 1)
        lib.write_text(text)


if __name__ == "__main__":
    main()
