//! Nothing is lost: `report -o` never writes over sources or foreign files, `build -o` replaces
//! only a folder cds made, an interrupted or killed build leaves the output as it was and no
//! folder of its own behind, and a full disk says so in one message. Runs the real binary.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{CONFIG, Fixture, snapshot};

fn cds(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cds"))
        .current_dir(root)
        .args(args)
        .output()
        .expect("run cds")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A file of the site root (not of `public/`).
fn source(f: &Fixture, rel: &str) -> String {
    fs::read_to_string(f.root().join(rel)).unwrap_or_default()
}

fn small_site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.three_sections().file(
        "content/tin-tuc/bai.md",
        "---\ntitle: Bài viết\ndate: 2026-01-05\n---\nNội dung của bài.\n",
    );
    f
}

/// The names in `dir` that a build under way or a killed one leaves beside the output.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.ends_with(".old"))
        .collect()
}

#[test]
fn report_never_writes_over_an_article_or_a_foreign_file() {
    let f = small_site();
    let article = source(&f, "content/tin-tuc/bai.md");
    let args = ["report", "--year", "2026", "-o"];
    for target in ["content/tin-tuc/bai.md", "config.yaml", "themes/x.md"] {
        let out = cds(f.root(), &[&args[..], &[target, "--force"]].concat());
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("mã nguồn của trang"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(source(&f, "content/tin-tuc/bai.md"), article);
    assert!(!f.root().join("themes/x.md").exists());

    f.file("ghi-chu.txt", "việc cần làm\n");
    let out = cds(f.root(), &[&args[..], &["ghi-chu.txt"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(source(&f, "ghi-chu.txt"), "việc cần làm\n");

    // An earlier report is replaced without asking, in either format.
    for file in ["bao-cao.md", "bao-cao.csv"] {
        let format = if file.ends_with("csv") { "csv" } else { "md" };
        for _ in 0..2 {
            let out = cds(f.root(), &[&args[..], &[file, "--format", format]].concat());
            assert!(out.status.success(), "{file}: {}", stderr(&out));
        }
    }
    let out = cds(f.root(), &[&args[..], &["ghi-chu.txt", "--force"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(source(&f, "ghi-chu.txt").starts_with("# Báo cáo"));
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

#[test]
fn build_output_never_empties_a_folder_cds_did_not_make() {
    let f = small_site();
    f.file("tai-lieu/hop-dong.docx", "hợp đồng")
        .file(".git/HEAD", "ref: refs/heads/main\n");
    let config = source(&f, "config.yaml");
    for (out, says) in [
        ("tai-lieu", "hop-dong.docx"),
        (".git", "HEAD"),
        ("config.yaml", "mã nguồn"),
    ] {
        let run = cds(f.root(), &["build", "-o", out]);
        assert_eq!(run.status.code(), Some(2), "-o {out}: {}", stderr(&run));
        assert!(stderr(&run).contains(says), "-o {out}: {}", stderr(&run));
    }
    assert_eq!(source(&f, "tai-lieu/hop-dong.docx"), "hợp đồng");
    assert_eq!(source(&f, ".git/HEAD"), "ref: refs/heads/main\n");
    assert_eq!(source(&f, "config.yaml"), config);
    assert!(!f.root().join(".config.yaml.old").exists());
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));

    // Its own output, an empty folder, or a foreign one with --force.
    fs::create_dir(f.root().join("trong")).unwrap();
    for args in [
        &["build"][..],
        &["build"],
        &["build", "-o", "trong"],
        &["build", "-o", "trong"],
        &["build", "-o", "tai-lieu", "--force"],
    ] {
        let run = cds(f.root(), args);
        assert!(run.status.success(), "{args:?}: {}", stderr(&run));
    }
    assert!(f.root().join("public/.cds-build").exists());
    assert!(!f.root().join("tai-lieu/hop-dong.docx").exists());
    assert!(f.root().join("tai-lieu/index.html").exists());
}

/// A site big enough that a debug build spends a while writing it.
fn big_site() -> Fixture {
    let f = small_site();
    for i in 0..2500 {
        f.file(
            &format!("content/tin-tuc/bai-{i}.md"),
            &format!(
                "---\ntitle: Bài số {i}\ndate: 2026-01-05\n---\n{}\n",
                "Người dân cài đặt VNeID và thanh toán không dùng tiền mặt. ".repeat(20)
            ),
        );
    }
    f
}

/// Starts a build and returns once its staging folder exists (it is writing files).
fn start_build_and_wait_for_staging(f: &Fixture) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_cds"))
        .current_dir(f.root())
        .arg("build")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cds");
    let deadline = Instant::now() + Duration::from_secs(60);
    while leftovers(f.root()).iter().all(|n| n.ends_with(".lock")) {
        assert!(Instant::now() < deadline, "the build never started writing");
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

#[test]
fn interrupted_build_keeps_the_output_and_leaves_nothing_behind() {
    let f = big_site();
    assert!(cds(f.root(), &["build"]).status.success());
    let before = snapshot(&f.public());
    for sig in ["-TERM", "-INT"] {
        // Something to write: the next build differs.
        f.file(
            "content/tin-tuc/bai-0.md",
            &format!("---\ntitle: Đổi {sig}\n---\nMới.\n"),
        );
        let child = start_build_and_wait_for_staging(&f);
        signal(&child, sig);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{sig}: {}", stderr(&out));
        assert!(stderr(&out).contains("giữ nguyên"), "{}", stderr(&out));
        assert!(
            leftovers(f.root()).is_empty(),
            "{sig}: {:?}",
            leftovers(f.root())
        );
        assert!(snapshot(&f.public()) == before, "{sig}: public/ changed");
    }
}

#[test]
fn killed_build_leftovers_are_removed_by_the_next_build() {
    let f = big_site();
    let mut child = start_build_and_wait_for_staging(&f);
    signal(&child, "-KILL");
    child.wait().unwrap();
    assert!(
        !leftovers(f.root()).is_empty(),
        "kill -9 left nothing to clean"
    );
    // A build that is still running keeps its folder: its lock is held.
    let running = f.root().join(".public.tmp-1.lock");
    let held = fs::File::create(&running).unwrap();
    held.try_lock().unwrap();
    fs::create_dir(f.root().join(".public.tmp-1")).unwrap();

    let out = cds(f.root(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut left = leftovers(f.root());
    left.sort();
    assert_eq!(left, [".public.tmp-1", ".public.tmp-1.lock"]);
    drop(held);
    assert!(cds(f.root(), &["build"]).status.success());
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

/// A 2 MB file system: the first build fits, the second (with a large attachment) does not.
#[test]
fn full_disk_keeps_the_output_and_says_so_in_one_message() {
    let f = small_site();
    let disk = f.root().join("o-nho");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&disk)
        .status()
        .expect("run mount");
    assert!(
        mounted.success(),
        "this test mounts a small tmpfs: run it as root"
    );
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    let out_dir = disk.join("public");
    let out_arg = out_dir.to_string_lossy().into_owned();
    let first = cds(f.root(), &["build", "-o", &out_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&out_dir);

    let big: Vec<u8> = (0..3_000_000u64).map(|i| (i * 7919 % 251) as u8).collect();
    f.bytes("static/tai-lieu/ban-do.pdf", &big);
    let out = cds(f.root(), &["build", "-o", &out_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert_eq!(text.matches("lỗi:").count(), 1, "{text}");
    assert!(text.contains("ổ đĩa đã đầy"), "{text}");
    assert!(text.contains("giữ nguyên"), "{text}");
    assert!(text.contains(" MB trống"), "{text}");
    assert!(snapshot(&out_dir) == before, "the output changed");
    assert!(leftovers(&disk).is_empty(), "{:?}", leftovers(&disk));
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_stays_a_link() {
    let f = small_site();
    let web = tempfile::tempdir().unwrap();
    let root_of_web = web.path().join("www");
    fs::create_dir(&root_of_web).unwrap();
    std::os::unix::fs::symlink(&root_of_web, f.root().join("public")).unwrap();
    for _ in 0..2 {
        let out = cds(f.root(), &["build"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let link = fs::symlink_metadata(f.root().join("public")).unwrap();
        assert!(link.file_type().is_symlink(), "public/ is no longer a link");
        assert!(root_of_web.join("tin-tuc/bai/index.html").exists());
    }
    assert!(
        leftovers(web.path()).is_empty(),
        "{:?}",
        leftovers(web.path())
    );
    assert!(leftovers(f.root()).is_empty(), "{:?}", leftovers(f.root()));
}

#[test]
fn files_added_to_the_output_by_hand_are_never_deleted_silently() {
    let f = small_site();
    assert!(cds(f.root(), &["build"]).status.success());
    f.file("public/google123.html", "google-site-verification")
        .file("public/uploads/a.pdf", "%PDF");
    let run = cds(f.root(), &["build"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("google123.html"), "{}", stderr(&run));
    assert!(stderr(&run).contains("static/"), "{}", stderr(&run));
    assert!(f.root().join("public/uploads/a.pdf").exists());

    // A marker copied into another folder vouches only for the files it lists.
    let forged = f.root().join("khac");
    fs::create_dir(&forged).unwrap();
    fs::copy(
        f.root().join("public/.cds-build"),
        forged.join(".cds-build"),
    )
    .unwrap();
    fs::write(forged.join("cua-toi.txt"), "của tôi").unwrap();
    let run = cds(f.root(), &["build", "-o", "khac"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(forged.join("cua-toi.txt").exists());

    // Moved to static/, the file is published by every build.
    fs::rename(
        f.root().join("public/google123.html"),
        f.root().join("google123.html"),
    )
    .unwrap();
    f.file("static/google123.html", "google-site-verification");
    let run = cds(f.root(), &["build", "--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(f.root().join("public/google123.html").exists());
    assert!(!f.root().join("public/uploads").exists());
    let again = cds(f.root(), &["build"]);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[cfg(unix)]
#[test]
fn report_never_replaces_a_link() {
    let f = small_site();
    std::os::unix::fs::symlink(f.root().join("khong-co.md"), f.root().join("lien-ket.md")).unwrap();
    let out = cds(f.root(), &["report", "--year", "2026", "-o", "lien-ket.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let link = fs::symlink_metadata(f.root().join("lien-ket.md")).unwrap();
    assert!(link.file_type().is_symlink());
}
