//! Taxonomies: `tags` → `/chu-de/<slug>/` and `category` → `/linh-vuc/<slug>/`.
//!
//! Terms are grouped after NFC (done at load) and case folding, so "VNeID" and "vneid", or one
//! word typed composed and decomposed, make one term. The form shown is the one used most.
//! Different words that slugify alike ("số", "sổ") stay different terms with distinct URLs.

use std::collections::HashSet;

use super::{PageId, Site};
use crate::fast_hash::FastMap;
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
    let per_page = site.config.paginate_by;
    let cfg = &site.config.taxonomies;
    let (tags, tag_of) = build(
        &cfg.tags.title,
        &cfg.tags.path,
        cfg.tags.paginate_by.unwrap_or(per_page),
        site.pages.iter().map(|p| p.page.meta.tags.as_slice()),
    );
    let (cats, cat_of) = build(
        &cfg.category.title,
        &cfg.category.path,
        cfg.category.paginate_by.unwrap_or(per_page),
        site.pages.iter().map(|p| p.page.meta.category.as_slice()),
    );
    for ((page, tags), cats) in site.pages.iter_mut().zip(tag_of).zip(cat_of) {
        page.tags = tags;
        page.category = cats.first().copied();
    }
    site.tags = tags;
    site.categories = cats;
    // Newest first, by the rank every page already has (`Site::sort_newest_first`).
    let rank = &site.date_rank;
    for tax in [&mut site.tags, &mut site.categories] {
        for term in &mut tax.terms {
            term.pages
                .sort_unstable_by_key(|&id| (rank.get(id).copied(), id));
        }
    }
}

/// A term as names are met: its lowercase key, each spelling with its uses, its pages.
struct Gathered<'a> {
    key: String,
    forms: Vec<(&'a str, usize)>,
    pages: Vec<PageId>,
}

/// Groups the names used by each page into terms. Returns the taxonomy and, per page, the
/// indices of its terms.
fn build<'a>(
    title: &str,
    path: &str,
    paginate_by: usize,
    lists: impl Iterator<Item = &'a [String]>,
) -> (Taxonomy, Vec<Vec<usize>>) {
    let (gathered, mut per_page) = gather(lists);
    let terms = in_order(gathered, &mut per_page);
    let base = UrlPath::folder([path]);
    let tax = Taxonomy {
        title: title.to_owned(),
        terms: with_slugs(&base, terms),
        path: base,
        paginate_by,
    };
    (tax, per_page)
}

/// The terms as names are met, and per page the indices of its terms among them.
fn gather<'a>(lists: impl Iterator<Item = &'a [String]>) -> (Vec<Gathered<'a>>, Vec<Vec<usize>>) {
    // Terms in first-seen order; a spelling met before costs one lookup, not a lowercasing.
    let mut gathered: Vec<Gathered<'a>> = Vec::new();
    let mut by_key: FastMap<String, usize> = FastMap::default();
    let mut by_name: FastMap<&'a str, usize> = FastMap::default();
    let mut per_page: Vec<Vec<usize>> = Vec::new();
    for (id, names) in lists.enumerate() {
        let mut mine: Vec<usize> = Vec::with_capacity(names.len());
        for name in names {
            let t = match by_name.get(name.as_str()) {
                Some(&t) => t,
                None => {
                    let key = name.to_lowercase();
                    let t = *by_key.entry(key.clone()).or_insert_with(|| {
                        gathered.push(Gathered {
                            key,
                            forms: Vec::new(),
                            pages: Vec::new(),
                        });
                        gathered.len() - 1
                    });
                    by_name.insert(name, t);
                    t
                }
            };
            let term = &mut gathered[t];
            match term.forms.iter_mut().find(|(f, _)| *f == name.as_str()) {
                Some((_, uses)) => *uses += 1,
                None => term.forms.push((name, 1)),
            }
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
            if !mine.contains(&t) {
                mine.push(t);
            }
        }
        per_page.push(mine);
    }
    (gathered, per_page)
}

/// The terms in Vietnamese alphabetical order of their shown names (the key breaks ties),
/// each with its pages; `per_page` is renumbered to match.
fn in_order(
    mut gathered: Vec<Gathered>,
    per_page: &mut [Vec<usize>],
) -> Vec<(String, Vec<PageId>)> {
    let mut order: Vec<usize> = (0..gathered.len()).collect();
    let names: Vec<&str> = gathered.iter().map(|g| most_used(&g.forms)).collect();
    order.sort_by_cached_key(|&t| (sort_key(names[t]), gathered[t].key.clone()));
    let mut rank = vec![0; gathered.len()];
    for (r, &t) in order.iter().enumerate() {
        rank[t] = r;
    }
    for ids in per_page.iter_mut() {
        for t in ids.iter_mut() {
            *t = rank[*t];
        }
    }
    let names: Vec<String> = names.into_iter().map(str::to_owned).collect();
    order
        .iter()
        .map(|&t| (names[t].clone(), std::mem::take(&mut gathered[t].pages)))
        .collect()
}

/// Each term with its URL under `base`. A term keeps its natural slug whenever it can ("số 2"
/// → `so-2`), so adding a tag never moves another term's URL to a slug a natural one needs.
fn with_slugs(base: &UrlPath, terms: Vec<(String, Vec<PageId>)>) -> Vec<Term> {
    let natural: Vec<String> = terms
        .iter()
        .map(|(name, _)| {
            Some(slugify(name))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "khac".into())
        })
        .collect();
    let reserved: HashSet<&str> = natural.iter().map(String::as_str).collect();
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(terms.len());
    for (i, (name, ids)) in terms.into_iter().enumerate() {
        let mut slug = natural[i].clone();
        let mut n = 1;
        while used.contains(&slug) || (n > 1 && reserved.contains(slug.as_str())) {
            n += 1;
            slug = format!("{}-{n}", natural[i]);
        }
        used.insert(slug.clone());
        out.push(Term {
            path: base.join(&format!("{slug}/")),
            name,
            slug,
            pages: ids,
        });
    }
    out
}

/// The form used most; on a tie, the one that sorts first (so the result is stable).
fn most_used<'a>(forms: &[(&'a str, usize)]) -> &'a str {
    forms
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map_or("", |f| f.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags taxonomy of pages using these names.
    fn tags(v: &[&[&str]]) -> (Taxonomy, Vec<Vec<usize>>) {
        let lists: Vec<Vec<String>> = v
            .iter()
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .collect();
        build("Chủ đề", "chu-de", 10, lists.iter().map(Vec::as_slice))
    }

    #[test]
    fn groups_case_variants_and_sorts_in_vietnamese_order() {
        let (tax, of) = tags(&[
            &["VNeID", "Đề án 06"],
            &["vneid", "An toàn"],
            &["VNeID", "Zalo"],
        ]);
        let names: Vec<&str> = tax.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["An toàn", "Đề án 06", "VNeID", "Zalo"]);
        let vneid = &tax.terms[2];
        assert_eq!(vneid.pages, [0, 1, 2]);
        assert_eq!(vneid.path.as_str(), "chu-de/vneid/");
        assert_eq!(of[1], [2, 0]);
    }

    #[test]
    fn words_that_slugify_alike_keep_distinct_urls() {
        let (tax, _) = tags(&[&["số"], &["sổ"]]);
        let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["so", "so-2"]);
        let (tax, of) = tags(&[&["số", "sổ", "số 2", "SỐ", "🎉"]]);
        let slugs: Vec<&str> = tax.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["so", "so-3", "so-2", "khac"]);
        assert_eq!(of[0].len(), 4, "a page lists each term once");
    }

    #[test]
    fn nfc_normalised_names_are_one_term() {
        // Loading normalises to NFC; after that both spellings are the same string.
        let composed = crate::text::nfc("Chuye\u{0302}\u{0309}n đổi số");
        let (tax, _) = tags(&[&[&composed], &["Chuyển đổi số"]]);
        assert_eq!(tax.terms.len(), 1);
        assert_eq!(tax.terms[0].pages, [0, 1]);
    }
}
