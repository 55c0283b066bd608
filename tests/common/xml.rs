//! A small XML well-formedness checker for the SVG that `lossmap::plot` writes: one root
//! element, balanced and properly nested tags, attributes `name="value"` (double- or
//! single-quoted, no raw `<` or unescaped `&` inside), text with only the five predefined
//! entities or numeric character references, and an optional `<?xml …?>` declaration.
//! Returns the elements in document order (name and attributes) for content checks.

/// One element: its name and attributes, in document order.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The element's text content (direct children's text, entities decoded).
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn check_entities(s: &str, at: usize) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail
            .find(';')
            .ok_or_else(|| format!("unterminated entity near byte {at}"))?;
        let ent = &tail[1..end];
        let ch = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{ent}; near byte {at}"))?,
            _ if ent.starts_with('#') => ent[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{ent}; near byte {at}"))?,
            _ => return Err(format!("unknown entity &{ent}; near byte {at}")),
        };
        out.push(ch);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// Checks `doc`; the elements in document order, or what is wrong.
pub fn parse(doc: &str) -> Result<Vec<Element>, String> {
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut roots = 0;
    let mut i = 0;
    let b = doc.as_bytes();
    if doc.starts_with("<?xml") {
        i = doc.find("?>").ok_or("unterminated XML declaration")? + 2;
    }
    while i < b.len() {
        if b[i] == b'<' {
            if doc[i..].starts_with("<!--") {
                i += doc[i..].find("-->").ok_or("unterminated comment")? + 3;
                continue;
            }
            let close = doc[i..]
                .find('>')
                .ok_or_else(|| format!("unterminated tag at byte {i}"))?
                + i;
            let inner = &doc[i + 1..close];
            if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim();
                match stack.pop() {
                    Some((open, _)) if open == name => {}
                    Some((open, _)) => {
                        return Err(format!("</{name}> closes <{open}> at byte {i}"));
                    }
                    None => return Err(format!("</{name}> without an open tag at byte {i}")),
                }
            } else {
                let (body, self_closing) = match inner.strip_suffix('/') {
                    Some(b) => (b, true),
                    None => (inner, false),
                };
                let name: String = body.chars().take_while(|&c| is_name_char(c)).collect();
                if name.is_empty() {
                    return Err(format!("tag without a name at byte {i}"));
                }
                let mut attrs = Vec::new();
                let mut rest = body[name.len()..].trim_start();
                while !rest.is_empty() {
                    let key: String = rest.chars().take_while(|&c| is_name_char(c)).collect();
                    if key.is_empty() {
                        return Err(format!("bad attribute in <{name}> at byte {i}: {rest:?}"));
                    }
                    rest = rest[key.len()..].trim_start();
                    rest = rest
                        .strip_prefix('=')
                        .ok_or_else(|| format!("attribute {key} without = in <{name}>"))?
                        .trim_start();
                    let q = rest
                        .chars()
                        .next()
                        .filter(|&c| c == '"' || c == '\'')
                        .ok_or_else(|| format!("unquoted attribute {key} in <{name}>"))?;
                    let end = rest[1..]
                        .find(q)
                        .ok_or_else(|| format!("unterminated attribute {key} in <{name}>"))?
                        + 1;
                    let raw = &rest[1..end];
                    if raw.contains('<') {
                        return Err(format!("raw < in attribute {key} of <{name}>"));
                    }
                    if attrs.iter().any(|(k, _): &(String, String)| *k == key) {
                        return Err(format!("duplicate attribute {key} in <{name}>"));
                    }
                    attrs.push((key, check_entities(raw, i)?));
                    rest = rest[end + 1..].trim_start();
                }
                if stack.is_empty() {
                    roots += 1;
                }
                elements.push(Element {
                    name: name.clone(),
                    attrs,
                    text: String::new(),
                });
                if !self_closing {
                    stack.push((name, elements.len() - 1));
                }
            }
            i = close + 1;
        } else {
            let next = doc[i..].find('<').map_or(b.len(), |k| k + i);
            let text = &doc[i..next];
            if text.contains('>') {
                return Err(format!("raw > in text at byte {i}"));
            }
            let decoded = check_entities(text, i)?;
            match stack.last() {
                Some(&(_, idx)) => elements[idx].text.push_str(&decoded),
                None if text.trim().is_empty() => {}
                None => return Err(format!("text outside the root at byte {i}")),
            }
            i = next;
        }
    }
    if let Some((open, _)) = stack.pop() {
        return Err(format!("<{open}> never closed"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(elements)
}

/// `parse`, panicking with the reason.
pub fn well_formed(doc: &str) -> Vec<Element> {
    parse(doc).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}
