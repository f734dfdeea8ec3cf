//! Taxonomies: `tags` → `/chu-de/<slug>/` and `category` → `/linh-vuc/<slug>/`.
//!
//! Terms are grouped after NFC (done at load) and case folding, so "VNeID" and "vneid", or one
//! word typed composed and decomposed, make one term. The form shown is the one used most.
//! Different words that slugify alike ("số", "sổ") stay different terms with distinct URLs.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::sorting::by_date_desc;
use super::{PageId, Site};
use crate::text::{slugify, sort_key};
use crate::urls::UrlPath;

/// One taxonomy with its terms in Vietnamese alphabetical order.
#[derive(Debug, Default)]
pub struct Taxonomy {
    pub title: String,
    pub path: UrlPath,
    pub paginate_by: usize,
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: UrlPath,
    /// Newest first.
    pub pages: Vec<PageId>,
}

pub(super) fn build_all(site: &mut Site) {
    let tag_lists: Vec<Vec<String>> = site
        .pages
        .iter()
        .map(|p| p.page.meta.tags.clone())
        .collect();
    let cat_lists: Vec<Vec<String>> = site
        .pages
        .iter()
        .map(|p| p.page.meta.category.iter().cloned().collect())
        .collect();
    let per_page = site.config.paginate_by;
    let cfg = &site.config.taxonomies;
    let (tags, tag_of) = build(
        &cfg.tags.title,
        &cfg.tags.path,
        cfg.tags.paginate_by.unwrap_or(per_page),
        &tag_lists,
    );
    let (cats, cat_of) = build(
        &cfg.category.title,
        &cfg.category.path,
        cfg.category.paginate_by.unwrap_or(per_page),
        &cat_lists,
    );
    for (id, page) in site.pages.iter_mut().enumerate() {
        page.tags = tag_of[id].clone();
        page.category = cat_of[id].first().copied();
    }
    site.tags = tags;
    site.categories = cats;
    for tax in [&mut site.tags, &mut site.categories] {
        for term in &mut tax.terms {
            term.pages
                .sort_by(|&a, &b| by_date_desc(&site.pages[a], &site.pages[b]).then(a.cmp(&b)));
        }
    }
}

/// Groups the names used by each page into terms. Returns the taxonomy and, per page, the
/// indices of its terms.
fn build(
    title: &str,
    path: &str,
    paginate_by: usize,
    lists: &[Vec<String>],
) -> (Taxonomy, Vec<Vec<usize>>) {
    // key → (form → uses), and key → pages, in first-seen order.
    let mut forms: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    let mut pages: HashMap<String, Vec<PageId>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (id, names) in lists.iter().enumerate() {
        for name in names {
            let key = name.to_lowercase();
            if !forms.contains_key(&key) {
                order.push(key.clone());
            }
            *forms
                .entry(key.clone())
                .or_default()
                .entry(name.clone())
                .or_default() += 1;
            let list = pages.entry(key).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
    }
    let mut terms: Vec<(String, String, Vec<PageId>)> = order
        .into_iter()
        .map(|key| {
            let name = most_used(&forms[&key]);
            let ids = pages.remove(&key).unwrap_or_default();
            (key, name, ids)
        })
        .collect();
    terms.sort_by(|a, b| {
        sort_key(&a.1)
            .cmp(&sort_key(&b.1))
            .then_with(|| a.0.cmp(&b.0))
    });

    let base = UrlPath::folder([path]);
    // A term keeps its natural slug whenever it can ("số 2" → `so-2`), so adding a tag never
    // moves another term's URL to a slug a natural one needs.
    let natural: Vec<String> = terms
        .iter()
        .map(|(_, name, _)| {
            Some(slugify(name))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "khac".into())
        })
        .collect();
    let reserved: HashSet<&str> = natural.iter().map(String::as_str).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut index_of_key: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(terms.len());
    for (i, (key, name, ids)) in terms.into_iter().enumerate() {
        let mut slug = natural[i].clone();
        let mut n = 1;
        while used.contains(&slug) || (n > 1 && reserved.contains(slug.as_str())) {
            n += 1;
            slug = format!("{}-{n}", natural[i]);
        }
        used.insert(slug.clone());
        index_of_key.insert(key, i);
        out.push(Term {
            path: base.join(&format!("{slug}/")),
            name,
            slug,
            pages: ids,
        });
    }
    let per_page: Vec<Vec<usize>> = lists
        .iter()
        .map(|names| {
            let mut ids: Vec<usize> = names
                .iter()
                .map(|n| index_of_key[&n.to_lowercase()])
                .collect();
            let mut seen = HashSet::new();
            ids.retain(|id| seen.insert(*id));
            ids
        })
        .collect();
    let tax = Taxonomy {
        title: title.to_owned(),
        path: base,
        paginate_by,
        terms: out,
    };
    (tax, per_page)
}

/// The form used most; on a tie, the one that sorts first (so the result is stable).
fn most_used(forms: &BTreeMap<String, usize>) -> String {
    let best = forms.values().copied().max().unwrap_or(0);
    forms
        .iter()
        .find(|(_, n)| **n == best)
        .map(|(f, _)| f.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn groups_case_variants_and_sorts_in_vietnamese_order() {
        let (tax, of) = build(
            "Chủ đề",
            "chu-de",
            10,
            &lists(&[
                &["VNeID", "Đề án 06"],
                &["vneid", "An toàn"],
                &["VNeID", "Zalo"],
            ]),
        );
        let names: Vec<&str> = tax.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["An toàn", "Đề án 06", "VNeID", "Zalo"]);
        let vneid = &tax.terms[2];
        assert_eq!(vneid.pages, [0, 1, 2]);
        assert_eq!(vneid.path.as_str(), "chu-de/vneid/");
        assert_eq!(of[1], [2, 0]);
    }

    #[test]
    fn words_that_slugify_alike_keep_distinct_urls() {
        let (tax, _) = build("Chủ đề", "chu-de", 10, &lists(&[&["số"], &["sổ"]]));
        let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["so", "so-2"]);
        let (tax, of) = build(
            "Chủ đề",
            "chu-de",
            10,
            &lists(&[&["số", "sổ", "số 2", "SỐ", "🎉"]]),
        );
        let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["so", "so-3", "so-2", "khac"]);
        assert_eq!(of[0].len(), 4, "a page lists each term once");
    }

    #[test]
    fn nfc_normalised_names_are_one_term() {
        // Loading normalises to NFC; after that both spellings are the same string.
        let composed = crate::text::nfc("Chuye\u{0302}\u{0309}n đổi số");
        let (tax, _) = build(
            "Chủ đề",
            "chu-de",
            10,
            &lists(&[&[&composed], &["Chuyển đổi số"]]),
        );
        assert_eq!(tax.terms.len(), 1);
        assert_eq!(tax.terms[0].pages, [0, 1]);
    }
}
