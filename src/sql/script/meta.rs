//! psql's meta-commands in a script: masked, and noted where they change what psql sends next
//! (includes, variables, conditionals, `\gset`/`\gexec`).

use super::{Command, Include, MetaCommand, SENDING_META_COMMANDS, Sending, Splitter};

impl Splitter<'_> {
    /// A backslash outside quotes starts a psql meta-command, which runs to the end of the line.
    pub(super) fn meta_command(&mut self) {
        let start = self.pos;
        let end = self.line_end(start);
        let name: String = self.src[start + 1..end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'?' || **b == b'!' || **b == b'.' || **b == b';')
            .map(|b| *b as char)
            .collect();
        let name_lower = name.to_ascii_lowercase();
        // `\\` separates two meta-commands on a line; `\;` is a literal semicolon that does not send.
        if name_lower == ";" {
            self.out[start] = b' ';
            self.pos = start + 2;
            return;
        }
        let args = String::from_utf8_lossy(&self.src[start + 1 + name.len()..end]).trim().to_string();
        if SENDING_META_COMMANDS.contains(&name_lower.as_str()) {
            let sent = self.statements.len();
            self.finish_statement(start);
            let sending = match name_lower.as_str() {
                "gset" => Some(Sending::Gset(args.split_whitespace().next().unwrap_or("").to_string())),
                "gexec" => Some(Sending::Gexec),
                _ => None,
            };
            if self.statements.len() > sent {
                self.statements[sent].sent_with = sending;
            }
        }
        let command = match name_lower.as_str() {
            "if" => Some(Command::If(args)),
            "elif" => Some(Command::Elif(args)),
            "else" => Some(Command::Else),
            "endif" => Some(Command::Endif),
            "set" | "unset" => {
                let line = self.src[start..end].to_vec();
                self.set_variable(&line)
            }
            "i" | "include" | "ir" | "include_relative" => {
                let path = args.trim_matches('\'').to_string();
                (!path.is_empty()).then(|| {
                    Command::Include(Include {
                        range: start..end,
                        path,
                        relative: name_lower.starts_with("ir") || name_lower == "include_relative",
                    })
                })
            }
            _ => None,
        };
        if let Some(command) = command {
            let branch = matches!(command, Command::Elif(_) | Command::Else);
            self.meta.push(MetaCommand { range: start..end, command });
            if branch && !self.all_branches {
                // Both branches of a psql conditional would make one garbled statement: lint the
                // first branch only, and mask the others up to the matching `\endif`.
                self.skip_conditional_branches(start);
                return;
            }
        }
        let copy_stdin = name_lower == "copy" && {
            let line = String::from_utf8_lossy(&self.src[start..end]).to_ascii_lowercase();
            line.contains("from stdin") || line.contains("from pstdin")
        };
        self.mask(start..end);
        self.pos = end;
        if copy_stdin {
            // psql's own `\copy`: not a statement the server is sent.
            let _ = self.skip_copy_data(end.saturating_sub(1).max(start));
        }
    }

    fn skip_conditional_branches(&mut self, start: usize) {
        let mut depth = 0;
        let mut line = start;
        // Whether a line of the branches is SQL (not blank, a comment or a meta-command).
        let mut holds_sql = false;
        let mut end_at = self.src.len();
        while line < self.src.len() {
            let end = self.line_end(line);
            let text = String::from_utf8_lossy(&self.src[line..end]);
            let cmd = text.trim_start();
            if cmd.starts_with("\\if ") || cmd == "\\if" {
                depth += 1;
            } else if cmd.starts_with("\\endif") {
                if depth == 0 {
                    end_at = end;
                    break;
                }
                depth -= 1;
            }
            holds_sql |= line > start && !cmd.trim_end().is_empty() && !cmd.starts_with('\\') && !cmd.starts_with("--");
            line = end + 1;
        }
        self.mask(start..end_at);
        self.pos = end_at;
        if holds_sql {
            self.skipped_branches.push(start..end_at);
        }
    }
}
