//! A parser for the regular output cbindgen writes to `include/lossmap.h`: function prototypes
//! (with the `//` doc comment above each) and `typedef struct` definitions.

use std::collections::BTreeMap;

/// One parameter: its C type as written (`const float *`, `size_t`, …) and its name.
#[derive(Clone, Debug)]
pub struct CParam {
    pub ty: String,
    pub name: String,
}

impl CParam {
    pub fn is_const_ptr(&self) -> bool {
        self.ty.starts_with("const ") && self.ty.ends_with('*')
    }
    pub fn is_ptr(&self) -> bool {
        self.ty.ends_with('*')
    }
    /// The type without `const`, `struct` and `*`: `float`, `lossmap_stop_f32`, …
    pub fn base(&self) -> String {
        self.ty
            .trim_end_matches('*')
            .trim()
            .trim_start_matches("const ")
            .trim_start_matches("struct ")
            .trim()
            .to_string()
    }
}

#[derive(Clone, Debug)]
pub struct CFn {
    pub ret: String,
    pub name: String,
    pub params: Vec<CParam>,
    pub doc: String,
}

/// A struct field: type and name (nested structs by their name), and whether its comment
/// says it may be NULL (instance buffers used only by some configurations).
#[derive(Clone, Debug)]
pub struct CField {
    pub ty: String,
    pub name: String,
    pub may_be_null: bool,
}

pub struct Header {
    pub fns: Vec<CFn>,
    pub structs: BTreeMap<String, Vec<CField>>,
}

fn split_param(p: &str) -> CParam {
    let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = p
        .rfind([' ', '*'])
        .expect("a parameter has a type and a name");
    let (ty, name) = p.split_at(cut + 1);
    let ty = ty.trim().replace(" *", "*").replace('*', " *");
    CParam {
        ty: ty.trim().to_string(),
        name: name.trim().to_string(),
    }
}

pub fn parse(text: &str) -> Header {
    let lines: Vec<&str> = text.lines().collect();
    let mut fns = Vec::new();
    let mut structs = BTreeMap::new();
    let mut doc: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(c) = line.strip_prefix("//") {
            doc.push(c.trim().to_string());
            i += 1;
            continue;
        }
        if let Some(rest) = line.strip_prefix("typedef struct ") {
            if let Some(name) = rest.strip_suffix(" {") {
                let mut fields = Vec::new();
                let mut comment = String::new();
                i += 1;
                while !lines[i].starts_with('}') {
                    let l = lines[i].trim();
                    if let Some(c) = l.strip_prefix("//") {
                        comment.push_str(c);
                    } else if l.ends_with(';') {
                        let f = split_param(l.trim_end_matches(';'));
                        fields.push(CField {
                            ty: f.ty,
                            name: f.name,
                            may_be_null: comment.contains("NULL"),
                        });
                        comment.clear();
                    }
                    i += 1;
                }
                structs.insert(name.to_string(), fields);
            }
            doc.clear();
            i += 1;
            continue;
        }
        let starts_fn = !line.starts_with(' ')
            && !line.starts_with('#')
            && !line.starts_with("typedef")
            && line.contains("lossmap_")
            && line.contains('(');
        if starts_fn {
            let mut text = line.to_string();
            while !text.trim_end().ends_with(");") {
                i += 1;
                text.push(' ');
                text.push_str(lines[i].trim());
            }
            let open = text.find('(').expect("(");
            let head = &text[..open];
            let cut = head.rfind([' ', '*']).expect("name");
            let (ret, name) = head.split_at(cut + 1);
            let inner = &text[open + 1..text.rfind(')').expect(")")];
            let params = if inner.trim() == "void" {
                Vec::new()
            } else {
                inner.split(',').map(split_param).collect()
            };
            fns.push(CFn {
                ret: ret.trim().to_string(),
                name: name.trim().to_string(),
                params,
                doc: doc.join(" "),
            });
        }
        if !line.trim().is_empty() {
            doc.clear();
        }
        i += 1;
    }
    Header { fns, structs }
}

/// The doc comment says `name` may be NULL: a sentence (or clause) naming it and NULL, except
/// the usual "bad input (NULL or misaligned …)" sentence.
pub fn doc_says_optional(doc: &str, name: &str) -> bool {
    let quoted = [
        format!("`{name}`"),
        format!("`*{name}`"),
        format!("`{name}["),
    ];
    doc.replace("..", "~")
        .split(['.', ';'])
        .filter(|s| s.contains("NULL"))
        .filter(|s| !s.contains("misaligned") && !s.contains("Bad input ("))
        .any(|s| quoted.iter().any(|q| s.contains(q.as_str())))
}
