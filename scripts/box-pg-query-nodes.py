#!/usr/bin/env python3
"""Patch 2 of vendor/pg_query, as a transformation (vendor/README.md, "Patch 2"): box every
parse-tree node struct that prost keeps inline in the `node::Node` oneof, then adapt the crate's
own code where a variant is built or taken apart. Run on the unpacked crate (after patch 1):

    python3 scripts/box-pg-query-nodes.py DIR

Idempotent. Fails (exit 1) when a pattern it expects is not found, so that a new crate version
that changes the generated code is noticed rather than half-patched.
"""
import re
import sys
from pathlib import Path

# Scalar values stay inline: a Box would cost more than the value (and they are most nodes).
SCALARS = {"String", "Integer", "Float", "Boolean", "BitString"}


def fail(msg):
    print(f"box-pg-query-nodes: {msg}", file=sys.stderr)
    sys.exit(1)


def box_protobuf(src):
    """Box the inline message variants of `node::Node`; return the (variant, type) pairs boxed."""
    path = src / "protobuf.rs"
    text = path.read_text()
    start = text.find("    pub enum Node {")
    if start < 0:
        fail("no `pub enum Node` in protobuf.rs")
    end = text.find("\n    }\n", start)
    body = text[start:end]
    boxed = []

    def wrap(m):
        name, ty = m.group(2), m.group(3)
        if ty in SCALARS:
            return m.group(0)
        boxed.append((name, ty))
        return f"{m.group(1)}{name}(::prost::alloc::boxed::Box<super::{ty}>),"

    body = re.sub(r"^(\s+)(\w+)\(super::(\w+)\),$", wrap, body, flags=re.M)
    path.write_text(text[:start] + body + text[end:])
    return boxed


def wrap_struct_literal(text, name, ty):
    """`NodeEnum::Name(protobuf::Type { ... })` -> `NodeEnum::Name(Box::new(protobuf::Type { ... }))`."""
    needle = f"NodeEnum::{name}(protobuf::{ty} {{"
    out, pos = [], 0
    while (at := text.find(needle, pos)) >= 0:
        brace = at + len(needle) - 1
        depth, i = 0, brace
        while True:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append(text[pos:at])
        out.append(f"NodeEnum::{name}(Box::new(protobuf::{ty} {{")
        out.append(text[brace + 1 : i + 1])
        out.append(")")
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def adapt(src, boxed):
    names = "|".join(name for name, _ in boxed)
    rules = [
        # node_enum.rs: a raw pointer to the struct, not to its box.
        (rf"(NodeEnum::({names})\(n\) => NodeMut::\2\()&?(?:mut \*)?n as \*mut _\)", r"\1&mut **n as *mut _)"),
        # node_ref.rs: an owned node from a reference.
        (rf"(NodeRef::({names})\(n\) => NodeEnum::\2\()\(\*n\)\.clone\(\)\)", r"\1Box::new((*n).clone()))"),
        # node_mut.rs: an owned node from a raw pointer.
        (rf"(NodeMut::({names})\(n\) => Ok\(NodeEnum::\2\()n\.as_ref\(\)\.ok_or\(err\)\?\.clone\(\)\)\)", r"\1Box::new(n.as_ref().ok_or(err)?.clone())))"),
    ]
    total = 0
    for path in sorted(src.glob("*.rs")):
        if path.name == "protobuf.rs":
            continue
        text = path.read_text()
        before = text
        for pattern, repl in rules:
            text, n = re.subn(pattern, repl, text)
            total += n
        for name, ty in boxed:
            text = wrap_struct_literal(text, name, ty)
        if text != before:
            path.write_text(text)
    return total


def main():
    if len(sys.argv) != 2:
        fail("usage: box-pg-query-nodes.py CRATE_DIR")
    src = Path(sys.argv[1]) / "src"
    if "Box<super::Alias>" in (src / "protobuf.rs").read_text():
        return  # already boxed
    boxed = box_protobuf(src)
    if len(boxed) < 100:
        fail(f"only {len(boxed)} inline node variants found: has the generated code changed?")
    changed = adapt(src, boxed)
    # Three places per variant: NodeEnum -> NodeMut, NodeRef -> NodeEnum, NodeMut -> NodeEnum.
    if changed != 3 * len(boxed):
        fail(f"{changed} adaptations for {len(boxed)} boxed variants (expected {3 * len(boxed)})")


main()
