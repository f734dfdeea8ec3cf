//! The plan of a publish, decided on manifests alone.

use super::*;

fn manifest(files: &[(&str, &str)]) -> Manifest {
    Manifest {
        files: files
            .iter()
            .map(|(path, text)| {
                let entry = Entry {
                    size: text.len() as u64,
                    sha256: sha256(text.as_bytes()),
                };
                (path.to_string(), entry)
            })
            .collect(),
    }
}

fn sizes(m: &Manifest) -> BTreeMap<String, u64> {
    m.files.iter().map(|(p, e)| (p.clone(), e.size)).collect()
}

fn paths(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.path.as_str()).collect()
}

#[test]
fn only_changed_files_are_sent_and_gone_ones_deleted() {
    let old = manifest(&[
        ("index.html", "a"),
        ("tin-tuc/a/index.html", "b"),
        ("cu/index.html", "c"),
    ]);
    let new = manifest(&[
        ("index.html", "a"),
        ("tin-tuc/a/index.html", "B"),
        ("moi.css", "d"),
    ]);
    let plan = plan(&new, &old, &sizes(&old), false);
    assert_eq!(paths(&plan.add), ["moi.css"]);
    assert_eq!(paths(&plan.replace), ["tin-tuc/a/index.html"]);
    assert_eq!(paths(&plan.delete), ["cu/index.html"]);
    assert_eq!(plan.unchanged, 1);
    assert!(plan.foreign.is_empty());
}

#[test]
fn a_file_cds_did_not_publish_is_never_written_over_without_force() {
    let new = manifest(&[("index.html", "a"), ("tin-tuc/index.html", "b")]);
    let present: BTreeMap<String, u64> = [("index.html".to_owned(), 9)].into();
    let plan1 = plan(&new, &Manifest::default(), &present, false);
    assert_eq!(plan1.foreign, ["index.html"]);
    let plan2 = plan(&new, &Manifest::default(), &present, true);
    assert!(plan2.foreign.is_empty());
    assert_eq!(paths(&plan2.replace), ["index.html"]);
    // A file of another person that the site does not have is never deleted.
    let plan3 = plan(
        &manifest(&[("tin-tuc/index.html", "b")]),
        &Manifest::default(),
        &present,
        false,
    );
    assert!(plan3.delete.is_empty() && plan3.foreign.is_empty());
}

#[test]
fn a_file_changed_or_lost_on_the_place_is_sent_again() {
    let m = manifest(&[("a.html", "a"), ("b.html", "b")]);
    let present: BTreeMap<String, u64> = [("a.html".to_owned(), 7)].into();
    let plan = plan(&m, &m, &present, false);
    assert_eq!(paths(&plan.replace), ["a.html"]);
    assert_eq!(paths(&plan.add), ["b.html"]);
}

#[test]
fn assets_land_before_pages_and_the_home_page_last() {
    let new = manifest(&[
        ("index.html", "1"),
        ("a/index.html", "2"),
        ("css/site.css", "3"),
        ("z/anh.webp", "4"),
        ("rss.xml", "5"),
    ]);
    let plan = plan(&new, &Manifest::default(), &BTreeMap::new(), false);
    let order: Vec<&str> = plan.writes().iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        order,
        [
            "css/site.css",
            "rss.xml",
            "z/anh.webp",
            "a/index.html",
            "index.html"
        ]
    );
}

#[test]
fn manifests_read_back_and_refuse_paths_that_leave_the_place() {
    let m = manifest(&[("index.html", "a"), ("tìm-kiếm/x.json", "b")]);
    assert_eq!(Manifest::parse(&m.text()), m);
    let hash = sha256(b"x");
    let tampered = format!(
        "../../etc/passwd\t1\t{hash}\nC:\\Windows\\x\t1\t{hash}\n/abs\t1\t{hash}\na/./b\t1\t{hash}\nok.html\t1\t{hash}\nbad\tx\t{hash}\nshort\t1\tabc\n"
    );
    let read = Manifest::parse(&tampered);
    assert_eq!(read.files.keys().collect::<Vec<_>>(), ["ok.html"]);
}

#[test]
fn sha256_is_the_standard_one() {
    assert_eq!(
        sha256(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn a_first_publish_over_ftp_keeps_off_folders_of_another_person() {
    let new = manifest(&[
        ("index.html", "a"),
        ("tin-tuc/a/index.html", "b"),
        ("css/x.css", "c"),
    ]);
    let top_names: BTreeMap<String, u64> = [("tin-tuc".to_owned(), u64::MAX)].into();
    let plan1 = plan(&new, &Manifest::default(), &top_names, false);
    assert_eq!(plan1.foreign, ["tin-tuc/a/index.html"]);
    assert_eq!(paths(&plan1.add), ["css/x.css", "index.html"]);
    assert!(
        plan(&new, &Manifest::default(), &top_names, true)
            .foreign
            .is_empty()
    );
}
