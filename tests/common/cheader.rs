//! A reader for the declarations of `include/lossmap.h` as cbindgen writes them: `#define`
//! names, type names, and function names with their parameter lists.

/// A function declared in the header.
#[derive(Debug, Clone)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// The parameter names, in order.
    pub params: Vec<String>,
}

/// The header text with `//` comments and `/* … */` blocks blanked out (line breaks kept).
pub fn strip_comments(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut rest = header;
    while !rest.is_empty() {
        let line = rest.find("//");
        let block = rest.find("/*");
        match (line, block) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                let end = rest[l..].find('\n').map_or(rest.len(), |e| l + e);
                rest = &rest[end..];
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").map_or(rest.len(), |e| b + e + 2);
                out.extend(rest[b..end].chars().filter(|&c| c == '\n'));
                rest = &rest[end..];
            }
            (None, None) => {
                out.push_str(rest);
                rest = "";
            }
            (Some(_), None) => unreachable!("handled by the first arm"),
        }
    }
    out
}

/// The comment text of the header: every `//` comment and `/* … */` block, with its line.
pub fn comments(header: &str) -> Vec<(usize, String)> {
    let code = strip_comments(header);
    header
        .lines()
        .zip(code.lines().chain(std::iter::repeat("")))
        .enumerate()
        .filter(|(_, (full, code))| full.trim() != code.trim())
        .map(|(i, (full, _))| (i + 1, full.to_string()))
        .collect()
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The last identifier in `s`.
fn last_ident(s: &str) -> Option<String> {
    let s = s.trim_end();
    let start = s
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_ident_char(c))
        .last()
        .map(|(i, _)| i)?;
    Some(s[start..].to_string())
}

/// The names of every `#define`.
pub fn defines(header: &str) -> Vec<String> {
    strip_comments(header)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("#define "))
        .map(|rest| rest.chars().take_while(|&c| is_ident_char(c)).collect())
        .collect()
}

/// The parameter names of every function-like `#define`, by macro name.
pub fn macro_params(header: &str) -> Vec<(String, Vec<String>)> {
    strip_comments(header)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("#define "))
        .filter_map(|rest| {
            let name: String = rest.chars().take_while(|&c| is_ident_char(c)).collect();
            let after = rest.get(name.len()..)?.strip_prefix('(')?;
            let params = after.split(')').next()?;
            Some((
                name,
                params.split(',').map(|p| p.trim().to_string()).collect(),
            ))
        })
        .collect()
}

/// The names of every type: structs, enums, unions and typedefs (function pointers included).
pub fn type_names(header: &str) -> Vec<String> {
    let code = strip_comments(header);
    let mut names = Vec::new();
    for line in code.lines() {
        let t = line.trim();
        for kw in [
            "typedef struct ",
            "typedef enum ",
            "typedef union ",
            "struct ",
            "enum ",
            "union ",
        ] {
            if let Some(rest) = t.strip_prefix(kw) {
                if t.ends_with('{') || t.ends_with(';') && !t.contains('(') {
                    let name: String = rest.chars().take_while(|&c| is_ident_char(c)).collect();
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
                break;
            }
        }
        if let Some(rest) = t.strip_prefix("} ") {
            if let Some(name) = rest.strip_suffix(';') {
                names.push(name.trim().to_string());
            }
        }
        if let Some(rest) = t.strip_prefix("typedef ") {
            if let Some(open) = rest.find("(*") {
                let name: String = rest[open + 2..]
                    .chars()
                    .take_while(|&c| is_ident_char(c))
                    .collect();
                names.push(name);
            } else if !rest.starts_with("struct ")
                && !rest.starts_with("enum ")
                && !rest.starts_with("union ")
            {
                if let Some(name) = rest.strip_suffix(';').and_then(last_ident) {
                    names.push(name);
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Every function declared inside the header's `extern "C"` block.
pub fn functions(header: &str) -> Vec<Function> {
    let code = strip_comments(header);
    let body: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter(|l| !l.contains("extern \"C\"") && l.trim() != "}")
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    for decl in body.split(';') {
        let decl = decl.trim();
        if decl.is_empty()
            || decl.starts_with("typedef")
            || decl.contains('{')
            || decl.contains('}')
        {
            continue;
        }
        let Some(open) = decl.find('(') else { continue };
        let (Some(name), Some(close)) = (last_ident(&decl[..open]), decl.rfind(')')) else {
            continue;
        };
        let params = decl[open + 1..close]
            .split(',')
            .filter_map(last_ident)
            .filter(|p| p != "void")
            .collect();
        out.push(Function { name, params });
    }
    out
}
