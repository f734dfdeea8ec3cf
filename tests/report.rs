//! `cds report`: counts on a fixture with known numbers, exact tables, CSV read back by a parser.

mod common;

use cds::report::{Period, report, to_csv, to_markdown};
use common::{CONFIG, Fixture, now};

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.three_sections();
    let article = |name: &str, date: &str, extra: &str| {
        f.file(
            &format!("content/{name}"),
            &format!("---\ntitle: {name}\ndate: {date}\n{extra}---\n"),
        );
    };
    // Quarter I: 3 published items, 1 draft, 1 document; quarter II: 1; December: scheduled.
    article(
        "tin-tuc/a.md",
        "05/01/2026",
        "category: Xã hội số\nunit: Phòng Văn hóa – Xã hội\nauthor: Ban Biên tập\n",
    );
    article(
        "tin-tuc/b.md",
        "20/02/2026 14:00",
        "category: Chính quyền số\nunit: Văn phòng\nauthor: Ban Biên tập\n",
    );
    article(
        "cau-chuyen/c.md",
        "31/03/2026 23:30",
        "category: Xã hội số\nunit: Phòng Văn hóa – Xã hội\n",
    );
    article("tin-tuc/nhap.md", "10/03/2026", "draft: true\n");
    article("tin-tuc/q2.md", "01/04/2026", "unit: Văn phòng\n");
    article(
        "tin-tuc/thang-12.md",
        "03/12/2026 08:00",
        "unit: Văn phòng\n",
    );
    f.file(
        "content/van-ban/06.md",
        "---\ntitle: KH 06\ndocument:\n  number: 06/KH-UBND\n  issued: 14/01/2026\n  abstract: Về chuyển đổi số, năm 2026\n---\n",
    );
    f
}

#[test]
fn counts_a_quarter_exactly() {
    let f = site();
    let r = report(f.root(), Period::quarter("2026-Q1").unwrap(), now())
        .unwrap()
        .0;
    let md = to_markdown(&r, now());
    for want in [
        "- Kỳ báo cáo: Quý I năm 2026 (từ ngày 01/01/2026 đến ngày 31/03/2026)\n",
        "- Tin, bài đã đăng: 3\n- Văn bản đã đăng: 1\n- Tin, bài hẹn giờ trong kỳ nhưng chưa đăng: 0\n",
        "| Mục | Số tin, bài |\n|---|---:|\n| Tin tức | 2 |\n| Câu chuyện | 1 |\n",
        "| Lĩnh vực | Số tin, bài |\n|---|---:|\n| Xã hội số | 2 |\n| Chính quyền số | 1 |\n",
        "| Đơn vị | Số tin, bài |\n|---|---:|\n| Phòng Văn hóa – Xã hội | 2 |\n| Văn phòng | 1 |\n",
        "| Tác giả | Số tin, bài |\n|---|---:|\n| Ban Biên tập | 2 |\n| Chưa ghi tác giả | 1 |\n",
        "| 1 | 05/01/2026 | tin-tuc/a.md | Tin tức | Phòng Văn hóa – Xã hội | https://daihai.cantho.gov.vn/chuyen-doi-so/tin-tuc/a/ |\n",
        "| 3 | 31/03/2026 | cau-chuyen/c.md | Câu chuyện | Phòng Văn hóa – Xã hội | https://daihai.cantho.gov.vn/chuyen-doi-so/cau-chuyen/c/ |\n",
        "| 06/KH-UBND | 14/01/2026 | Về chuyển đổi số, năm 2026 | https://daihai.cantho.gov.vn/chuyen-doi-so/van-ban/06-kh-ubnd/ |\n",
    ] {
        assert!(md.contains(want), "missing:\n{want}\nin:\n{md}");
    }
    assert!(!md.contains("nhap.md"), "drafts are not counted");
}

#[test]
fn a_year_runs_to_today_and_lists_what_is_scheduled() {
    let f = site();
    let (r, _) = report(
        f.root(),
        Period::year(2026, cds::report::today(now()), None).unwrap(),
        now(),
    )
    .unwrap();
    assert_eq!(r.items.len(), 4, "to 26/11/2026");
    assert!(r.scheduled.is_empty(), "December is after the period");
    let r = report(f.root(), Period::quarter("2026-Q4").unwrap(), now())
        .unwrap()
        .0;
    assert_eq!(r.scheduled.len(), 1);
    assert!(to_markdown(&r, now()).contains("- Thứ Năm, 03/12/2026 08:00: tin-tuc/thang-12.md"));
}

#[test]
fn csv_opens_in_excel_and_reads_back() {
    let f = site();
    let r = report(f.root(), Period::quarter("2026-Q1").unwrap(), now())
        .unwrap()
        .0;
    let csv_text = to_csv(&r);
    assert!(csv_text.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    assert!(csv_text.contains("\r\n"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows[0],
        ["Kỳ báo cáo", "Quý I năm 2026", "01/01/2026", "31/03/2026"]
    );
    assert_eq!(rows[1], ["Tin, bài đã đăng", "3"]);
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Ngày đăng"))
        .unwrap();
    assert_eq!(
        rows[header + 2][..3],
        ["20/02/2026", "tin-tuc/b.md", "Tin tức"]
    );
    let docs = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Số ký hiệu"))
        .unwrap();
    assert_eq!(
        rows[docs + 1][2],
        "Về chuyển đổi số, năm 2026",
        "commas survive quoting"
    );
}

#[test]
fn cli_writes_a_report_and_refuses_a_missing_period() {
    let f = site();
    let out = f.root().join("bao-cao.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cds"))
        .args([
            "report",
            "--from",
            "01/01/2026",
            "--to",
            "31/03/2026",
            "--format",
            "csv",
            "-o",
        ])
        .arg(&out)
        .arg("--root")
        .arg(f.root())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("Từ 01/01/2026 đến 31/03/2026")
    );
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["report", "--root"])
        .arg(f.root())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

/// The report reads the site through the build's own pipeline: what the site graph refuses
/// (two pages at one address) is reported, not counted.
#[test]
fn a_site_the_build_refuses_is_not_counted() {
    let f = site();
    f.file(
        "content/tin-tuc/a-2.md",
        "---\ntitle: Trùng địa chỉ\nslug: a\ndate: 06/01/2026\n---\n",
    );
    let Err(diags) = report(f.root(), Period::quarter("2026-Q1").unwrap(), now()) else {
        panic!("a site with two pages at one URL was counted");
    };
    let text: String = diags.iter().map(|d| d.render()).collect();
    assert!(text.contains("content/tin-tuc/a-2.md"), "{text}");
}
