//! The keys of front matter, declared once per kind of file: each declaration below makes
//! the typed struct serde fills (`RawPage`, `RawDocument`, `RawSection`) and the table of
//! its keys ([`Fields`]), which gives the known keys for "did you mean", the keys only one
//! kind of page takes, and `cds new`'s file: every key offered for the kind, in this order,
//! under its help line (the wording of each [`Help`] is in `messages.rs`). The editor's form
//! reads the same table.

use super::PageKind;
use crate::messages::Help;
use crate::yaml::{Extra, Keys};

/// One key of front matter.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// The only kind of page that takes the key; `None`: every kind does.
    pub only: Option<PageKind>,
    /// The kinds whose new file offers the key (the others still accept it).
    pub offered: Offered,
    /// What a new file holds for it.
    pub new: New,
    /// The line of help above it in a new file, and in the editor's form.
    pub help: Option<Help>,
    /// The keys of a nested mapping (`document:`).
    pub nested: Option<&'static Fields>,
    /// The control the editor's form shows for it.
    pub input: Input,
}

/// The control of a key in the editor's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// Not declared: the key's type decides ([`FormInput`]).
    Auto,
    Text,
    /// A paragraph (`summary`, `abstract`).
    LongText,
    /// Day and time, Vietnam time.
    DateTime,
    Date,
    Check,
    /// Texts, one per item.
    List,
    /// One of the configuration's categories.
    Choice,
    Number,
    /// A nested mapping (`document:`).
    Group,
    /// Not in the form (`extra`: free-form data, edited in the file).
    None,
}

/// The form control a key's type gets unless its declaration names another.
pub trait FormInput {
    const INPUT: Input;
}

impl FormInput for Option<String> {
    const INPUT: Input = Input::Text;
}
impl FormInput for Vec<String> {
    const INPUT: Input = Input::List;
}
impl FormInput for bool {
    const INPUT: Input = Input::Check;
}
impl FormInput for i64 {
    const INPUT: Input = Input::Number;
}
impl FormInput for Option<usize> {
    const INPUT: Input = Input::Number;
}
impl FormInput for Option<RawDocument> {
    const INPUT: Input = Input::Group;
}
impl FormInput for Extra {
    const INPUT: Input = Input::None;
}

/// Which kinds of page a new file offers a key to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    /// Every kind.
    All,
    /// News, guides and stories: what an editor writes most.
    Articles,
    /// One kind.
    Kind(PageKind),
    /// No new file writes it: a key for those who need it (`slug`, `aliases`, `extra`…).
    Never,
}

/// The value a new file starts a key with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum New {
    /// Nothing after the colon.
    Blank,
    /// `""`.
    EmptyText,
    /// `[]`.
    EmptyList,
    /// `true`.
    True,
    /// The title the editor gave.
    Title,
    /// The moment of `cds new`, in Vietnam time.
    Now,
    /// `defaults.author` of the configuration.
    Author,
    /// `defaults.unit` of the configuration.
    Unit,
    /// A text to replace, quoted (its wording is a [`Help`]).
    Placeholder(Help),
    /// The nested keys, indented.
    Mapping,
}

impl Field {
    /// A key every kind takes, that new files do not write.
    const fn plain() -> Field {
        Field {
            key: "",
            only: None,
            offered: Offered::Never,
            new: New::Blank,
            help: None,
            nested: None,
            input: Input::Auto,
        }
    }

    const fn named(self, key: &'static str) -> Field {
        Field { key, ..self }
    }

    const fn offered(self, offered: Offered, new: New) -> Field {
        Field {
            offered,
            new,
            ..self
        }
    }

    /// The form control, when the key's type does not say it (a date is a text).
    const fn input(self, input: Input) -> Field {
        Field { input, ..self }
    }

    /// The control of the key's type, unless one was declared.
    const fn typed(self, input: Input) -> Field {
        match self.input {
            Input::Auto => Field { input, ..self },
            _ => self,
        }
    }

    const fn help(self, help: Help) -> Field {
        Field {
            help: Some(help),
            ..self
        }
    }

    const fn only(self, kind: PageKind) -> Field {
        Field {
            only: Some(kind),
            offered: Offered::Kind(kind),
            ..self
        }
    }

    /// A mapping: a new file writes its keys below it.
    const fn nested(self, fields: &'static Fields) -> Field {
        Field {
            nested: Some(fields),
            new: New::Mapping,
            ..self
        }
    }

    /// Whether a new file for a page of `kind` writes the key.
    pub fn offered_to(&self, kind: PageKind) -> bool {
        match self.offered {
            Offered::All => true,
            Offered::Articles => matches!(kind, PageKind::Article | PageKind::Story),
            Offered::Kind(k) => k == kind,
            Offered::Never => false,
        }
    }
}

/// The keys of one mapping, in the order a new file writes them.
#[derive(Debug)]
pub struct Fields(pub &'static [Field]);

impl Keys for Fields {
    fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|f| f.key).collect()
    }

    fn nested(&self, key: &str) -> Option<&dyn Keys> {
        let field = self.0.iter().find(|f| f.key == key)?;
        field.nested.map(|n| n as &dyn Keys)
    }
}

/// `key!(field)` is the field's name; `key!(field as "type")` the name written instead.
macro_rules! key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}

/// Declares a struct of front matter and the table of its keys, from one list.
macro_rules! front_matter {
    ($(#[$meta:meta])* struct $name:ident, $table:ident {
        $($field:ident $(as $key:literal)?: $ty:ty = $spec:expr,)*
    }) => {
        $(#[$meta])*
        #[derive(serde::Deserialize, Default)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $($(#[serde(rename = $key)])? pub $field: $ty,)*
        }

        pub static $table: Fields = Fields(&[$(
            $spec.named(key!($field $($key)?)).typed(<$ty as FormInput>::INPUT),
        )*]);
    };
}

const P: Field = Field::plain();

front_matter! {
    /// A page's front matter as written.
    struct RawPage, PAGE_FIELDS {
        title: Option<String> = P.offered(Offered::All, New::Title).help(Help::Title),
        date: Option<String> = P.offered(Offered::All, New::Now).help(Help::Date).input(Input::DateTime),
        summary: Option<String> = P
            .offered(Offered::All, New::EmptyText)
            .help(Help::Summary)
            .input(Input::LongText),
        document: Option<RawDocument> = P.only(PageKind::Document).nested(&DOCUMENT_FIELDS),
        category: Option<String> = P
            .offered(Offered::Articles, New::Blank)
            .help(Help::Category)
            .input(Input::Choice),
        tags: Vec<String> = P.offered(Offered::Articles, New::EmptyList).help(Help::Tags),
        author: Option<String> = P.offered(Offered::Articles, New::Author).help(Help::Author),
        unit: Option<String> = P.offered(Offered::Articles, New::Unit),
        image: Option<String> = P.offered(Offered::Articles, New::Blank).help(Help::Image),
        image_alt: Option<String> = P.offered(Offered::Articles, New::Blank),
        documents: Vec<String> = P.offered(Offered::Articles, New::EmptyList).help(Help::Documents),
        place: Option<String> = P.only(PageKind::Story).help(Help::Place),
        subject: Option<String> = P.only(PageKind::Story),
        language: Option<String> = P,
        translation: Option<String> = P,
        draft: bool = P.offered(Offered::All, New::True).help(Help::Draft),
        updated: Option<String> = P.input(Input::DateTime),
        pinned: bool = P,
        expiry_date: Option<String> = P.input(Input::DateTime),
        slug: Option<String> = P,
        aliases: Vec<String> = P,
        weight: i64 = P,
        template: Option<String> = P.input(Input::None),
        extra: Extra = P,
    }
}

front_matter! {
    /// `document:` of a policy document's page.
    struct RawDocument, DOCUMENT_FIELDS {
        number: Option<String> = P.offered(Offered::All, New::Blank).help(Help::Number),
        doc_type as "type": Option<String> = P.offered(Offered::All, New::Blank).help(Help::DocType),
        issuer: Option<String> = P.offered(Offered::All, New::Blank),
        signer: Option<String> = P.offered(Offered::All, New::Blank),
        issued: Option<String> = P
            .offered(Offered::All, New::Blank)
            .help(Help::Issued)
            .input(Input::Date),
        effective: Option<String> = P.offered(Offered::All, New::Blank).input(Input::Date),
        abstract_text as "abstract": Option<String> = P
            .offered(Offered::All, New::Placeholder(Help::AbstractPlaceholder))
            .help(Help::Abstract)
            .input(Input::LongText),
        level: Option<String> = P.offered(Offered::All, New::Blank).help(Help::Level),
        file: Option<String> = P.offered(Offered::All, New::Blank).help(Help::DocumentFile),
        source: Option<String> = P.offered(Offered::All, New::Blank),
        implements: Vec<String> = P.offered(Offered::All, New::EmptyList).help(Help::Implements),
    }
}

front_matter! {
    /// A section's `_index.md` front matter as written.
    struct RawSection, SECTION_FIELDS {
        title: Option<String> = P,
        description: Option<String> = P,
        kind: Option<String> = P,
        sort_by: Option<String> = P,
        paginate_by: Option<usize> = P,
        template: Option<String> = P,
        page_template: Option<String> = P,
        weight: i64 = P,
        extra: Extra = P,
    }
}

impl crate::yaml::WithExtra for RawPage {
    fn extra(&self) -> &Extra {
        &self.extra
    }
}

impl crate::yaml::WithExtra for RawSection {
    fn extra(&self) -> &Extra {
        &self.extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_declared_once() {
        for fields in [&PAGE_FIELDS, &DOCUMENT_FIELDS, &SECTION_FIELDS] {
            let mut names = fields.names();
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count);
        }
    }

    #[test]
    fn the_renamed_keys_are_the_written_ones() {
        let names = DOCUMENT_FIELDS.names();
        assert!(names.contains(&"type") && names.contains(&"abstract"));
        assert!(!names.contains(&"doc_type"));
        let raw: RawDocument =
            serde_yaml::from_str("type: Nghị quyết\nabstract: Về …\n").unwrap_or_default();
        assert_eq!(raw.doc_type.as_deref(), Some("Nghị quyết"));
        assert_eq!(raw.abstract_text.as_deref(), Some("Về …"));
    }

    #[test]
    fn keys_of_one_kind_are_offered_only_to_it() {
        let place = PAGE_FIELDS.0.iter().find(|f| f.key == "place");
        assert!(place.is_some_and(|f| f.offered_to(PageKind::Story)));
        assert!(place.is_some_and(|f| !f.offered_to(PageKind::Article)));
    }
}
