//! The splitter's unit tests.

use super::*;

fn stmts(text: &str) -> Vec<String> {
    let s = split(text);
    assert_eq!(s.masked.len(), text.len());
    s.statements.iter().map(|st| s.masked[st.range.clone()].to_string()).collect()
}

#[test]
fn splits_on_semicolons_outside_quotes_and_parens() {
    assert_eq!(stmts("select ';'; select $$a;b$$ ;select (1;2)"), vec!["select ';'", "select $$a;b$$", "select (1;2)"]);
    assert_eq!(stmts("select $fn$ $x$ ; $fn$; x"), vec!["select $fn$ $x$ ; $fn$", "x"]);
    assert_eq!(stmts("select e'it\\'s;'; y"), vec!["select e'it\\'s;'", "y"]);
}

#[test]
fn meta_commands_are_masked_and_gset_ends_a_statement() {
    let out = stmts("\\set x 1\nselect 1 as a \\gset\nselect :x, :'x', a::int;\n");
    assert_eq!(out, vec!["select 1 as a", "select 1 , '1' , a::int"]);
    assert_eq!(stmts("select :x, :'y', :\"z\";"), vec!["select _x,  'y',  \"z\""]);
}

#[test]
fn includes_are_noted_where_they_stand() {
    let text = "select 1;\n\\i common/setup.sql\n\\ir 'parts/two.sql'\nselect 2;\n";
    let s = split(text);
    let got: Vec<(&str, bool)> = s.includes().map(|i| (i.path.as_str(), i.relative)).collect();
    assert_eq!(got, vec![("common/setup.sql", false), ("parts/two.sql", true)]);
    assert_eq!(&text[s.includes().next().unwrap().range.clone()], "\\i common/setup.sql");
    assert_eq!(s.statements.len(), 2);
}

#[test]
fn copy_data_is_masked_up_to_backslash_dot() {
    let text = "COPY t (a) FROM stdin;\n1\tx;y\n\\.\nselect 2;";
    let out = stmts(text);
    assert_eq!(out, vec!["COPY t (a) FROM stdin", "select 2"]);
    let s = split(text);
    assert_eq!(s.statements[0].copy_data.clone().map(|r| &text[r]), Some("1\tx;y\n"));
    assert_eq!(s.statements[1].copy_data, None);
}

#[test]
fn cpp_lines_and_placeholders() {
    let out = stmts("#include \"udfs/x.sql\"\nCREATE FUNCTION @extschema@.f() RETURNS int AS 'select 1' LANGUAGE sql;");
    assert_eq!(out, vec!["CREATE FUNCTION _extschema_.f() RETURNS int AS 'select 1' LANGUAGE sql"]);
}

#[test]
fn begin_atomic_bodies_keep_their_semicolons() {
    let out = stmts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; select 3;");
    assert_eq!(out.len(), 2, "{out:?}");
}

#[test]
fn psql_conditionals_keep_the_first_branch() {
    let out = stmts("select a,\n\\if :x\n b\n\\else\n c\n\\endif\n from t;");
    assert_eq!(out.len(), 1);
    assert!(out[0].contains(" b") && !out[0].contains(" c"), "{out:?}");
}

#[test]
fn template_placeholders_are_substituted() {
    let s = split("CREATE TABLE t (id $%AUTO_INCREMENT_PRIMARY_KEY%$, x int);");
    assert_eq!(s.statements[0].substitutions[0].placeholder, Placeholder::Template);
    assert!(s.masked.contains("__AUTO_INCREMENT_PRIMARY_KEY__"));
}

#[test]
fn set_variables_are_substituted_when_they_fit() {
    let out = stmts("\\set n 10\n\\set s 'ab'\nselect :n, :'s', :\"s\", x_:n, :m, a[1:n];\n\\unset n\nselect :n;");
    assert_eq!(out, vec!["select 10, 'ab', \"ab\", x_10, _m, a[110]", "select _n"]);
    let s = split("\\set n 10\nselect :n, :m;");
    let kinds: Vec<Placeholder> = s.statements[0].substitutions.iter().map(|x| x.placeholder).collect();
    assert_eq!(kinds, vec![Placeholder::KnownVariable, Placeholder::PsqlVariable]);
    // A value longer than the reference becomes a placeholder.
    assert_eq!(stmts("\\set tbl public.accounts\nselect * from :tbl;"), vec!["select * from _tbl"]);
}

#[test]
fn brace_templates_become_names_or_blanks() {
    let out = stmts("CREATE TABLE {{ .Schema }}.t (id ${id_type});\n{% if x %}\nSELECT 1;\n{# note #}");
    assert_eq!(out, vec!["CREATE TABLE ____schema___.t (id __id_type_)", "SELECT 1"]);
    assert_eq!(stmts("select '{{ x }}', '${y}';"), vec!["select '{{ x }}', '${y}'"]);
}

#[test]
fn unterminated_string_is_reported() {
    let s = split("select 1; select 'abc");
    assert_eq!(s.statements.len(), 1);
    assert_eq!(s.unterminated.map(|u| u.0), Some(17));
}

#[test]
fn multibyte_offsets_are_preserved() {
    let text = "select 'héllo';\n\\echo ü\nselect ü;";
    let s = split(text);
    assert_eq!(&text[s.statements[1].range.clone()], "select ü");
}

#[test]
fn gset_and_gexec_are_noted_on_the_statement_they_send() {
    let s = split("select 1 as a \\gset v_\nselect 'select 2' \\gexec\nselect 3 \\g\n");
    let sent: Vec<Option<Sending>> = s.statements.iter().map(|st| st.sent_with.clone()).collect();
    assert_eq!(sent, vec![Some(Sending::Gset("v_".into())), Some(Sending::Gexec), None]);
}

#[test]
fn every_branch_is_split_for_the_replay_and_counted_by_the_check() {
    let text = "\\if :pg18\ncreate table a ();\n\\elif false\ncreate table b ();\n\\else\n-- nothing\n\\endif\nselect 1;\n";
    let all = split_all_branches(text, &ScriptSettings::default());
    assert_eq!(all.statements.len(), 3);
    let commands: Vec<&Command> = all.meta.iter().map(|m| &m.command).collect();
    assert_eq!(commands, vec![&Command::If(":pg18".into()), &Command::Elif("false".into()), &Command::Else, &Command::Endif]);
    let first = split(text);
    assert_eq!(first.statements.len(), 2, "the first branch and what follows");
    assert_eq!(first.skipped_branches.len(), 1);
    assert!(text[first.skipped_branches[0].clone()].contains("create table b"));
    // A branch of comments and meta-commands only holds nothing to judge.
    assert!(split("\\if :x\nselect 1;\n\\else\n\\echo no\n\\endif\n").skipped_branches.is_empty());
}
