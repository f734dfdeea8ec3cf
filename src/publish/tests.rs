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

/// A place in memory: its files, and how many more writes and appends it takes before it
/// fails as a dead connection would.
#[derive(Default)]
struct Memory {
    files: BTreeMap<String, Vec<u8>>,
    puts_left: Option<usize>,
    appends_left: Option<usize>,
}

impl Place for Memory {
    fn name(&self) -> String {
        "bộ nhớ".into()
    }
    fn read(&mut self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        Ok(self.files.get(rel).cloned())
    }
    fn present(&mut self, _: &Manifest, _: &Manifest) -> io::Result<BTreeMap<String, u64>> {
        Ok((self.files.iter())
            .filter(|(p, _)| !is_bookkeeping(p))
            .map(|(p, b)| (p.clone(), b.len() as u64))
            .collect())
    }
    fn put(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if let Some(n) = self.puts_left.as_mut() {
            if *n == 0 {
                return Err(io::Error::from(io::ErrorKind::ConnectionReset));
            }
            *n -= 1;
        }
        self.files.insert(rel.to_owned(), bytes.to_vec());
        Ok(())
    }
    fn append(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if let Some(n) = self.appends_left.as_mut() {
            if *n == 0 {
                return Err(io::Error::from(io::ErrorKind::ConnectionReset));
            }
            *n -= 1;
        }
        self.files
            .entry(rel.to_owned())
            .or_default()
            .extend_from_slice(bytes);
        Ok(())
    }
    fn delete(&mut self, rel: &str) -> io::Result<()> {
        self.files.remove(rel);
        Ok(())
    }
}

fn built_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (dir, manifest(files))
}

#[test]
fn files_that_landed_before_a_publish_died_are_never_taken_for_another_persons() {
    let files: Vec<(String, String)> = (0..20)
        .map(|i| (format!("tin-tuc/{i}/index.html"), format!("bài {i}")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (dir, built) = built_dir(&refs);
    // The claims go out, seven files land, then the connection dies for good: no journal of
    // what landed, no manifest.
    let mut place = Memory {
        puts_left: Some(7),
        appends_left: Some(1),
        ..Memory::default()
    };
    let published = Manifest::read(&mut place).unwrap();
    let present = place.present(&published, &built).unwrap();
    let first = plan(&built, &published, &present, false);
    assert!(run(dir.path(), &built, &mut place, published, &first).is_err());
    assert_eq!(place.files.keys().filter(|p| !is_bookkeeping(p)).count(), 7);
    // The next publish takes the seven as cds's own: sent again, never refused.
    place.puts_left = None;
    place.appends_left = None;
    let published = Manifest::read(&mut place).unwrap();
    let present = place.present(&published, &built).unwrap();
    let second = plan(&built, &published, &present, false);
    assert!(second.foreign.is_empty(), "{:?}", second.foreign);
    assert_eq!((second.replace.len(), second.add.len()), (7, 13));
    run(dir.path(), &built, &mut place, published, &second).unwrap();
    let third = plan(
        &built,
        &Manifest::read(&mut place).unwrap(),
        &place.present(&Manifest::default(), &built).unwrap(),
        false,
    );
    assert_eq!(third.unchanged, 20);
    assert!(
        !place.files.contains_key(JOURNAL),
        "the journal is folded into the manifest"
    );
}

#[test]
fn a_journal_line_cut_midway_loses_only_itself() {
    let e = Entry {
        size: 1,
        sha256: sha256(b"x"),
    };
    let cut = &line("a.html", &e)[..20];
    let text = format!("\n{cut}\n{}", line("b.html", &e));
    let m = Manifest::parse(&text);
    assert_eq!(m.files.keys().collect::<Vec<_>>(), ["b.html"]);
}
