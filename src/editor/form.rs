//! The edit form of a page, from the front matter schema (`content/schema.rs`): which fields
//! a kind of page shows, with their Vietnamese labels and help; the values of a file in the
//! shape each control holds; and which fields a submitted form changed. Pure.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::content::PageKind;
use crate::content::schema::{Fields, Input, PAGE_FIELDS};
use crate::messages::field_label;
use crate::yaml::Extra;

/// One control of the form.
#[derive(Debug, Clone, Serialize)]
pub struct FieldSpec {
    /// The key as written in the file (`type`, not `doc_type`).
    pub key: &'static str,
    pub label: &'static str,
    pub help: Option<String>,
    pub input: Input,
    /// Not in a new file of this kind: shown under "more fields".
    pub advanced: bool,
    /// A group's fields (`document:`).
    pub fields: Vec<FieldSpec>,
}

/// A field the form changed, and its new value in the control's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `["title"]`, or `["document", "number"]`.
    pub path: Vec<&'static str>,
    pub input: Input,
    pub value: Json,
}

/// The form of a page of `kind`.
pub fn spec(kind: PageKind, categories: &[String]) -> Vec<FieldSpec> {
    specs(&PAGE_FIELDS, kind, categories)
}

fn specs(fields: &Fields, kind: PageKind, categories: &[String]) -> Vec<FieldSpec> {
    fields
        .0
        .iter()
        .filter(|f| f.input != Input::None && f.only.is_none_or(|k| k == kind))
        .map(|f| FieldSpec {
            key: f.key,
            label: field_label(f.key),
            help: f.help.map(|h| h.text(categories)),
            input: f.input,
            advanced: !f.offered_to(kind),
            fields: f
                .nested
                .map(|n| specs(n, kind, categories))
                .unwrap_or_default(),
        })
        .collect()
}

/// The values of a front matter (parsed generically) for each field of `spec`.
/// Normalised as a submitted form is ([`normalise`]): a field the editor did not touch
/// compares equal to what the form sends back for it, however the file spells it (`" A "`,
/// decomposed letters), and is left as it is.
pub fn values(yaml: &Extra, spec: &[FieldSpec]) -> Map<String, Json> {
    spec.iter()
        .map(|f| {
            let value = shape(yaml.get(f.key), f);
            let value = if f.input == Input::Group {
                value
            } else {
                normalise(&value, f)
            };
            (f.key.to_owned(), value)
        })
        .collect()
}

/// A value as the control of `field` holds it: a text, a list of texts, a flag, a number or
/// `null`, a group's values. Dates become `2026-01-05T08:30` (Vietnam time) when they parse.
fn shape(value: Option<&Extra>, field: &FieldSpec) -> Json {
    match field.input {
        Input::Check => Json::Bool(matches!(value, Some(Extra::Bool(true)))),
        Input::Number => match value {
            Some(Extra::Number(n)) => n.as_i64().map_or(Json::Null, Json::from),
            _ => Json::Null,
        },
        Input::List => match value {
            Some(Extra::Sequence(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(v) => scalar_text(v).into_iter().collect(),
            None => Json::Array(Vec::new()),
        },
        Input::Group => {
            let empty = Extra::Mapping(Default::default());
            let inner = value.filter(|v| v.is_mapping()).unwrap_or(&empty);
            Json::Object(values(inner, &field.fields))
        }
        Input::DateTime | Input::Date => {
            let text = value.and_then(scalar_text).unwrap_or_default();
            Json::String(date_shape(&text, field.input))
        }
        _ => Json::String(value.and_then(scalar_text).unwrap_or_default()),
    }
}

fn scalar_text(v: &Extra) -> Option<String> {
    match v {
        Extra::String(s) => Some(s.clone()),
        Extra::Number(n) => Some(n.to_string()),
        Extra::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `05/01/2026 08:30` → `2026-01-05T08:30`; a date field → `2026-01-05`; a text that is no
/// date stays as it is (the form shows it as text, the build says what is wrong).
pub fn date_shape(text: &str, input: Input) -> String {
    match crate::text::parse_date(text) {
        Ok(dt) if !text.trim().is_empty() => {
            let vn = dt.with_timezone(&crate::text::vietnam_offset());
            let format = if input == Input::Date {
                "%Y-%m-%d"
            } else {
                "%Y-%m-%dT%H:%M"
            };
            vn.format(format).to_string()
        }
        _ => text.to_owned(),
    }
}

/// A submitted value in the shape of its control: texts NFC and trimmed, empty list items
/// dropped, numbers from digits.
fn normalise(value: &Json, field: &FieldSpec) -> Json {
    let text = |v: &Json| match v {
        Json::String(s) => crate::text::nfc(s).replace("\r\n", "\n"),
        Json::Number(n) => n.to_string(),
        _ => String::new(),
    };
    match field.input {
        Input::Check => Json::Bool(value.as_bool().unwrap_or(false)),
        Input::Number => match value {
            Json::Number(n) => n.as_i64().map_or(Json::Null, Json::from),
            Json::String(s) => s.trim().parse::<i64>().map_or(Json::Null, Json::from),
            _ => Json::Null,
        },
        Input::List => {
            let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
            let texts = items.iter().map(|v| text(v).trim().to_owned());
            texts.filter(|t| !t.is_empty()).map(Json::String).collect()
        }
        Input::LongText => Json::String(text(value).trim_end().to_owned()),
        Input::DateTime | Input::Date => Json::String(date_shape(text(value).trim(), field.input)),
        _ => Json::String(text(value).trim().to_owned()),
    }
}

/// The fields whose submitted value differs from the file's. A field the form did not send
/// is unchanged.
pub fn changes(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    spec: &[FieldSpec],
) -> Vec<Change> {
    let mut out = Vec::new();
    collect(old, new, spec, &[], &mut out);
    out
}

fn collect(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    spec: &[FieldSpec],
    parent: &[&'static str],
    out: &mut Vec<Change>,
) {
    let empty = Map::new();
    for field in spec {
        let Some(submitted) = new.get(field.key) else {
            continue;
        };
        let mut path = parent.to_vec();
        path.push(field.key);
        if field.input == Input::Group {
            let inner = |m: Option<&Json>| m.and_then(Json::as_object).cloned();
            let before = inner(old.get(field.key)).unwrap_or_default();
            let after = inner(Some(submitted)).unwrap_or_else(|| empty.clone());
            collect(&before, &after, &field.fields, &path, out);
            continue;
        }
        let value = normalise(submitted, field);
        if old.get(field.key) != Some(&value) {
            out.push(Change {
                path,
                input: field.input,
                value,
            });
        }
    }
}

/// `values` with `changes` applied: what the file must read as after a save.
pub fn merged(values: &Map<String, Json>, changes: &[Change]) -> Map<String, Json> {
    let mut out = values.clone();
    for change in changes {
        match change.path.as_slice() {
            [key] => {
                out.insert((*key).to_owned(), change.value.clone());
            }
            [group, key] => {
                let entry = out
                    .entry((*group).to_owned())
                    .or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(inner) = entry {
                    inner.insert((*key).to_owned(), change.value.clone());
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Extra {
        crate::yaml::value(text).expect("yaml")
    }

    #[test]
    fn each_kind_gets_its_fields_with_labels_and_the_documents_group() {
        let cats = ["Chính quyền số".to_owned()];
        let article = spec(PageKind::Article, &cats);
        let keys: Vec<&str> = article.iter().map(|f| f.key).collect();
        assert!(keys.starts_with(&["title", "date", "summary", "category", "tags"]));
        assert!(!keys.contains(&"document") && !keys.contains(&"place"));
        assert!(!keys.contains(&"extra") && !keys.contains(&"template"));
        assert!(article.iter().all(|f| !f.label.is_empty()));
        let slug = article.iter().find(|f| f.key == "slug").unwrap();
        assert!(slug.advanced);
        let category = article.iter().find(|f| f.key == "category").unwrap();
        assert_eq!(category.input, Input::Choice);
        assert!(category.help.as_deref().unwrap().contains("Chính quyền số"));
        let doc = spec(PageKind::Document, &cats);
        let group = doc.iter().find(|f| f.key == "document").unwrap();
        let inner: Vec<&str> = group.fields.iter().map(|f| f.key).collect();
        assert!(inner.contains(&"type") && inner.contains(&"abstract"));
        assert_eq!(
            group
                .fields
                .iter()
                .find(|f| f.key == "issued")
                .unwrap()
                .input,
            Input::Date
        );
    }

    #[test]
    fn values_take_the_shape_of_their_controls() {
        let form = spec(PageKind::Document, &[]);
        let v = values(
            &yaml(
                "title: 2026\ndate: 05/01/2026 08:30\ntags: VNeID\ndraft: true\ndocument:\n  issued: 2026-01-14\n",
            ),
            &form,
        );
        assert_eq!(v["title"], "2026");
        assert_eq!(v["date"], "2026-01-05T08:30");
        assert_eq!(v["tags"], serde_json::json!(["VNeID"]));
        assert_eq!(v["draft"], true);
        assert_eq!(v["weight"], Json::Null);
        assert_eq!(v["document"]["issued"], "2026-01-14");
        assert_eq!(v["document"]["number"], "");
    }

    #[test]
    fn a_field_spelled_otherwise_in_the_file_is_no_change() {
        let form = spec(PageKind::Article, &[]);
        let old = values(
            &yaml("title: \" Bài A \"\nunit: Vie\u{302}\u{323}t\n"),
            &form,
        );
        let mut new = old.clone();
        new.insert("title".into(), "Bài A".into());
        new.insert("unit".into(), "Việt".into());
        assert!(changes(&old, &new, &form).is_empty());
    }

    #[test]
    fn only_what_differs_is_a_change() {
        let form = spec(PageKind::Article, &[]);
        let old = values(&yaml("title: Bài A\ndate: 2026-01-05\ntags: [a]\n"), &form);
        let mut new = old.clone();
        new.insert("date".into(), "2026-01-05T00:00".into());
        new.insert("tags".into(), serde_json::json!(["a", " "]));
        new.insert("title".into(), "Bài A ".into());
        assert!(changes(&old, &new, &form).is_empty());
        new.insert("title".into(), "Bài B".into());
        let found = changes(&old, &new, &form);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, ["title"]);
        assert_eq!(merged(&old, &found)["title"], "Bài B");
    }
}
