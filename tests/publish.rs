//! `cds publish` to a folder and to a zip, through the binary: only changes are sent, gone
//! files are deleted, files cds did not publish are never touched, a broken site or a cut
//! publish leaves the old site whole, and the same sources make the same bytes.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{CONFIG, Fixture, snapshot};

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.three_sections()
        .file(
            "content/_index.md",
            "---\ntitle: Trang đầu\n---\nChào mừng.\n",
        )
        .file("content/tin-tuc/a.md", &article("Bài A", "Nội dung A."))
        .file("content/tin-tuc/b.md", &article("Bài B", "Nội dung B."));
    f
}

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2026-01-05\n---\n{body}\n")
}

fn publish(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cds"))
        .arg("publish")
        .args(args)
        .arg("--root")
        .arg(f.root())
        .output()
        .expect("run cds publish")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    text(&out)
}

/// The published folder without cds's manifest equals the built `public/` without its marker.
fn assert_same_as_built(f: &Fixture, dir: &Path) {
    let mut built = snapshot(&f.public());
    built.remove(Path::new(".cds-build"));
    let mut published = snapshot(dir);
    published.remove(Path::new(".cds-publish.tsv"));
    assert_eq!(
        published.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>()
    );
    assert!(published == built, "the bytes differ");
}

#[test]
fn a_folder_gets_only_the_changes_and_loses_only_what_cds_put_there() {
    let f = site();
    let web = tempfile::tempdir().unwrap();
    let dir = web.path().join("chuyen-doi-so");
    fs::create_dir_all(dir.join("tai-lieu")).unwrap();
    fs::write(dir.join("tai-lieu/cong-van.pdf"), "của người khác").unwrap();
    let dir_arg = dir.to_str().unwrap();

    let said = ok(publish(&f, &[dir_arg]));
    assert!(said.contains("Đã đăng vào"), "{said}");
    assert_same_as_built_but_foreign(&f, &dir);

    // Unchanged sources: nothing to send.
    assert!(ok(publish(&f, &[dir_arg])).contains("không có gì để đăng"));

    // One body changed: the dry run names it and writes nothing.
    f.file(
        "content/tin-tuc/a.md",
        &article("Bài A", "Nội dung A, sửa lại."),
    );
    let before = snapshot(&dir);
    let said = ok(publish(&f, &[dir_arg, "--dry-run"]));
    assert!(said.contains("~ tin-tuc/a/index.html"), "{said}");
    assert!(said.contains("Chưa ghi gì"), "{said}");
    assert_eq!(snapshot(&dir), before, "a dry run writes nothing");
    let said = ok(publish(&f, &[dir_arg]));
    assert!(!said.contains("thêm") && said.contains("thay"), "{said}");
    let untouched = fs::read(dir.join("tin-tuc/b/index.html")).unwrap();
    assert_eq!(untouched, before[Path::new("tin-tuc/b/index.html")]);
    assert!(
        String::from_utf8_lossy(&fs::read(dir.join("tin-tuc/a/index.html")).unwrap())
            .contains("sửa lại")
    );

    // An article removed: its page goes, with the folder it leaves empty.
    fs::remove_file(f.root().join("content/tin-tuc/b.md")).unwrap();
    let said = ok(publish(&f, &[dir_arg]));
    assert!(said.contains("xóa"), "{said}");
    assert!(!dir.join("tin-tuc/b").exists());
    assert_same_as_built_but_foreign(&f, &dir);
}

fn assert_same_as_built_but_foreign(f: &Fixture, dir: &Path) {
    assert_eq!(
        fs::read_to_string(dir.join("tai-lieu/cong-van.pdf")).unwrap(),
        "của người khác"
    );
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(dir, copy.path());
    fs::remove_dir_all(copy.path().join("tai-lieu")).unwrap();
    assert_same_as_built(f, copy.path());
}

#[test]
fn a_file_cds_did_not_publish_is_never_written_over_without_force() {
    let f = site();
    let web = tempfile::tempdir().unwrap();
    fs::write(web.path().join("index.html"), "trang cổng cũ").unwrap();
    let dir = web.path().to_str().unwrap();
    let before = snapshot(web.path());
    let out = publish(&f, &[dir]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("index.html") && text(&out).contains("--force"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(web.path()), before, "nothing was written");
    ok(publish(&f, &[dir, "--force"]));
    assert_same_as_built(&f, web.path());
}

#[test]
fn a_site_with_errors_publishes_nothing() {
    let f = site();
    let web = tempfile::tempdir().unwrap();
    let dir = web.path().to_str().unwrap();
    ok(publish(&f, &[dir]));
    let before = snapshot(web.path());
    f.file("content/tin-tuc/a.md", "---\ntitle: A\ntittle: B\n---\n");
    let out = publish(&f, &[dir]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("content/tin-tuc/a.md:3:1"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("Không đăng"), "{}", text(&out));
    assert_eq!(snapshot(web.path()), before);
}

#[test]
fn the_sites_own_folders_are_never_published_to() {
    let f = site();
    for dir in [".", "content", "themes", "public", "public/tin-tuc", ".."] {
        let target = f.root().join(dir);
        let before = snapshot(f.root());
        let out = publish(&f, &[target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{dir}: {}", text(&out));
        assert_eq!(snapshot(f.root()), before, "{dir}");
    }
}

#[test]
fn a_publish_cut_midway_keeps_the_old_site_and_resumes() {
    let f = site();
    let web = tempfile::tempdir().unwrap();
    let dir = web.path().to_str().unwrap();
    ok(publish(&f, &[dir]));
    let old_home = fs::read(web.path().join("index.html")).unwrap();
    // A new article whose page cannot be written (a folder stands where its file goes), and
    // an article removed: the publish stops at the page, before deleting anything.
    f.file("content/tin-tuc/c.md", &article("Bài C", "Nội dung C."));
    f.file("content/tin-tuc/a.md", &article("Bài A", "Nội dung A mới."));
    fs::remove_file(f.root().join("content/tin-tuc/b.md")).unwrap();
    fs::create_dir_all(web.path().join("tin-tuc/c/index.html/chan")).unwrap();
    let out = publish(&f, &[dir]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("dừng giữa chừng ở tin-tuc/c/index.html"),
        "{}",
        text(&out)
    );
    assert!(
        web.path().join("tin-tuc/b/index.html").exists(),
        "nothing deleted yet"
    );
    assert_eq!(
        fs::read(web.path().join("index.html")).unwrap(),
        old_home,
        "home page last"
    );
    let leftovers: Vec<_> = walkdir::WalkDir::new(web.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".cds-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // What landed is in the manifest's journal: the next publish sends only the rest.
    let journal = fs::read_to_string(web.path().join(".cds-publish.log")).unwrap();
    assert!(journal.contains("rss.xml"), "assets first: {journal}");
    assert!(journal.contains("tin-tuc/a/index.html"), "{journal}");
    fs::remove_dir_all(web.path().join("tin-tuc/c/index.html")).unwrap();
    let plan = ok(publish(&f, &[dir, "--dry-run"]));
    assert!(plan.contains("+ tin-tuc/c/index.html"), "{plan}");
    assert!(plan.contains("- tin-tuc/b/index.html"), "{plan}");
    for landed in ["tin-tuc/a/index.html", "rss.xml"] {
        assert!(
            !plan.contains(landed),
            "{landed} landed, is not sent again: {plan}"
        );
    }
    ok(publish(&f, &[dir]));
    assert!(
        !web.path().join(".cds-publish.log").exists(),
        "the journal is folded in"
    );
    assert_same_as_built(&f, web.path());
}

#[test]
fn a_tampered_manifest_never_deletes_outside_the_folder() {
    let f = site();
    let web = tempfile::tempdir().unwrap();
    let dir = web.path().join("web");
    fs::create_dir_all(&dir).unwrap();
    fs::write(web.path().join("ngoai.txt"), "giữ").unwrap();
    let hash = "0".repeat(64);
    fs::write(
        dir.join(".cds-publish.tsv"),
        format!("../ngoai.txt\t3\t{hash}\n/etc/hostname\t1\t{hash}\n"),
    )
    .unwrap();
    ok(publish(&f, &[dir.to_str().unwrap()]));
    assert_eq!(
        fs::read_to_string(web.path().join("ngoai.txt")).unwrap(),
        "giữ"
    );
}

#[test]
fn the_same_sources_make_the_same_zip_and_only_a_cds_zip_is_replaced() {
    let f = site();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("chuyen-doi-so.zip");
    let zip_arg = zip.to_str().unwrap();
    let said = ok(publish(&f, &["--zip", zip_arg]));
    assert!(said.contains("Tải tệp này lên cổng"), "{said}");
    let first = fs::read(&zip).unwrap();
    ok(publish(&f, &["--zip", zip_arg]));
    assert_eq!(fs::read(&zip).unwrap(), first, "same sources, same bytes");

    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    names.sort();
    let mut built: Vec<String> = snapshot(&f.public())
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != ".cds-build")
        .collect();
    built.sort();
    assert_eq!(names, built);
    let mut home = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("index.html").unwrap(), &mut home).unwrap();
    assert_eq!(
        home.as_bytes(),
        fs::read(f.public().join("index.html")).unwrap()
    );

    let other = out.path().join("bao-cao.zip");
    fs::write(&other, "không phải zip của cds").unwrap();
    let refused = publish(&f, &["--zip", other.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert_eq!(
        fs::read_to_string(&other).unwrap(),
        "không phải zip của cds"
    );
}

#[test]
fn two_builds_of_the_same_sources_are_the_same_bytes() {
    let f = common::sample_site();
    let run = |out: &Path| {
        let status = Command::new(env!("CARGO_BIN_EXE_cds"))
            .args(["build", "--root"])
            .arg(f.root())
            .arg("-o")
            .arg(out)
            .output()
            .expect("run cds build");
        assert!(status.status.success(), "{}", text(&status));
    };
    let tmp = tempfile::tempdir().unwrap();
    run(&tmp.path().join("mot"));
    fs::remove_dir_all(f.root().join(".cds-cache")).ok();
    run(&tmp.path().join("hai"));
    assert!(snapshot(&tmp.path().join("mot")) == snapshot(&tmp.path().join("hai")));
}

#[test]
fn a_password_in_an_address_is_refused_before_anything_runs() {
    let f = site();
    let out = publish(&f, &["ftp://bbt:matkhau@127.0.0.1:1/web"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("không ghi mật khẩu vào địa chỉ"),
        "{}",
        text(&out)
    );
    assert!(
        !text(&out).contains("matkhau"),
        "the password is never printed"
    );
    assert!(!f.public().exists(), "nothing was built");
}

#[test]
fn the_place_in_config_yaml_is_used_when_none_is_named() {
    let f = site();
    let out = publish(&f, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("publish:\n  to:"), "{}", text(&out));
    // A relative folder is the site's own neighbour, whatever the working folder.
    let config = format!("{CONFIG}publish:\n  to: ../cong/chuyen-doi-so\n");
    f.file("config.yaml", &config);
    ok(publish(&f, &[]));
    let dir = f.root().join("../cong/chuyen-doi-so");
    assert!(dir.join("index.html").is_file());
    fs::remove_dir_all(f.root().join("../cong")).unwrap();
}

#[test]
fn a_file_under_another_spelling_is_another_persons_too() {
    // A share that ignores case (Windows, macOS, IIS) takes `Index.html` for `index.html`.
    let f = site();
    let web = tempfile::tempdir().unwrap();
    fs::write(web.path().join("Index.html"), "trang cổng cũ").unwrap();
    let before = snapshot(web.path());
    let out = publish(&f, &[web.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("index.html"), "{}", text(&out));
    assert_eq!(snapshot(web.path()), before);
}
