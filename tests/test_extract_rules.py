"""The extractor's rules, one genre pattern a case: titles split into role and body, names
introduced every way the genre does, documents in every numbering scheme, meetings, goals.
Every sentence here is written for these tests; every person is fictitious."""
import pytest

from kg.model import Lit

from extract_cases import people, posts, run


POSTS = [
    ("apposition-list",
     "Dự hội nghị có các đồng chí: Hoàng Văn Sơn, Ủy viên Bộ Chính trị, Bí thư Thành ủy Hà Nội; Đỗ Thị Lan, Phó Chủ tịch UBND thành phố.",
     "Hà Nội",
     {("Hoàng Văn Sơn", "Ủy viên", "Bộ Chính trị"), ("Hoàng Văn Sơn", "Bí thư", "Thành ủy Hà Nội"),
      ("Đỗ Thị Lan", "Phó Chủ tịch", "Ủy ban nhân dân thành phố Hà Nội")}),
    ("pre-title-chain",
     "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh Kon Tum Trịnh Minh Khoa phát biểu.",
     None,
     {("Trịnh Minh Khoa", "Ủy viên", "Ban Chấp hành Trung ương Đảng"), ("Trịnh Minh Khoa", "Bí thư", "Tỉnh ủy Kon Tum"),
      ("Trịnh Minh Khoa", "Trưởng đoàn", "Đoàn đại biểu Quốc hội tỉnh Kon Tum")}),
    ("dash-titles",
     "Phó Bí thư Tỉnh ủy - Chủ tịch UBND tỉnh Lò Văn Thắm cho biết tỉnh đã hoàn thành kế hoạch.",
     "Sơn La",
     {("Lò Văn Thắm", "Phó Bí thư", "Tỉnh ủy Sơn La"), ("Lò Văn Thắm", "Chủ tịch", "Ủy ban nhân dân tỉnh Sơn La")}),
    ("en-dash-after-name",
     "Ông Y Khoa Niê – Giám đốc Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Lắk cho biết như vậy.",
     None,
     {("Y Khoa Niê", "Giám đốc", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Lắk")}),
    ("head-noun-role",
     "Bà Mai Thu Trà, Phó Trưởng ban Dân vận Tỉnh ủy Thái Bình, trình bày tham luận.",
     None,
     {("Mai Thu Trà", "Phó Trưởng ban", "Ban Dân vận Tỉnh ủy Thái Bình")}),
    ("abbreviations",
     "Đồng chí Quách Văn Đạt, UVTW, Bí thư Tỉnh uỷ, Chủ tịch HĐND tỉnh chủ trì hội nghị.",
     "Tuyên Quang",
     {("Quách Văn Đạt", "Ủy viên", "Ban Chấp hành Trung ương Đảng"), ("Quách Văn Đạt", "Bí thư", "Tỉnh ủy Tuyên Quang"),
      ("Quách Văn Đạt", "Chủ tịch", "Hội đồng nhân dân tỉnh Tuyên Quang")}),
    ("standing-committee",
     "Đồng chí Nông Thị Hạnh, Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tổ chức Tỉnh ủy Cao Bằng phát biểu.",
     None,
     {("Nông Thị Hạnh", "Ủy viên", "Ban Thường vụ Tỉnh ủy Cao Bằng"), ("Nông Thị Hạnh", "Trưởng ban", "Ban Tổ chức Tỉnh ủy Cao Bằng")}),
    ("national",
     "Thủ tướng Chính phủ Lại Quốc Bình và Chủ tịch Quốc hội Tạ Minh Hòa dự lễ.",
     None,
     {("Lại Quốc Bình", "Thủ tướng", "Chính phủ"), ("Tạ Minh Hòa", "Chủ tịch", "Quốc hội")}),
    ("permanent-member",
     "Ủy viên Bộ Chính trị, Thường trực Ban Bí thư Khúc Văn Trường làm việc với Ban Thường vụ Tỉnh ủy Lạng Sơn.",
     None,
     {("Khúc Văn Trường", "Ủy viên", "Bộ Chính trị"), ("Khúc Văn Trường", "Thường trực", "Ban Bí thư")}),
    ("police-front",
     "Đại tá Hà Quang Long, Giám đốc Công an tỉnh và bà Trần Thị Mơ, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Ninh Bình cùng dự.",
     "Ninh Bình",
     {("Hà Quang Long", "Giám đốc", "Công an tỉnh Ninh Bình"),
      ("Trần Thị Mơ", "Chủ tịch", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Ninh Bình")}),
    ("unqualified-stays-unqualified",
     "Đồng chí Vi Văn Mạnh, Phó Bí thư Thường trực Tỉnh ủy phát biểu.",
     None,
     {("Vi Văn Mạnh", "Phó Bí thư Thường trực", "Tỉnh ủy")}),
]


@pytest.mark.parametrize("text,province,expected", [c[1:] for c in POSTS], ids=[c[0] for c in POSTS])
def test_posts(text, province, expected):
    assert posts(run(text, province)) == expected


def test_former_posts_are_not_current():
    x = run("Dự lễ có đồng chí Phùng Đức Tiến, nguyên Bí thư Tỉnh ủy, nguyên Chủ tịch UBND tỉnh Hà Giang.", "Hà Giang")
    assert posts(x) == set()
    assert posts(x, "formerlyHeld") == {("Phùng Đức Tiến", "Bí thư", "Tỉnh ủy Hà Giang"),
                                        ("Phùng Đức Tiến", "Chủ tịch", "Ủy ban nhân dân tỉnh Hà Giang")}


def test_bylines_and_credits_are_not_people():
    x = run("Tỉnh ủy Bến Tre họp phiên thường kỳ.\nẢnh: Nguyễn Thành Vinh\nNguyễn Thị Bích Ngọc\n(TTXVN)")
    assert people(x) == set()


def test_bare_name_needs_a_family_name_and_three_syllables():
    x = run("Hội Nông dân tỉnh tổ chức lễ. Trần Quốc Tuấn nói vậy. Nhà Văn Hóa mới xây.")
    assert people(x) == {"Trần Quốc Tuấn"}


def documents(x):
    out = {}
    for e in x.entities:
        if e.cls == "Document":
            facts = {f.predicate: f.object for f in x.facts if f.subject == e.key}
            number = facts.get("number")
            out[number.value if number else e.label] = (e.types, facts.get("issued"), facts.get("issuedBy"))
    return out


NUMBERS = [
    ("party-tw", "thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương", "18-NQ/TW", "Resolution", "2017-10-25"),
    ("spaced", "theo Kết luận số 100 - KL/TW ngày 5-3-2021 của Bộ Chính trị", "100-KL/TW", "Conclusion", "2021-03-05"),
    ("programme", "ban hành Chương trình hành động số 09-CTr/TU", "9-CTr/TU", "Programme", None),
    ("scheme", "Đề án số 04-ĐA/TU về chuyển đổi số", "4-ĐA/TU", "Scheme", None),
    ("office-report", "Báo cáo số 493-BC/VPTW ngày 12/01/2024", "493-BC/VPTW", "Report", "2024-01-12"),
    ("state", "Nghị quyết số 15/2020/NQ-HĐND ngày 10/12/2020 của HĐND tỉnh", "15/2020/NQ-HĐND", "Resolution", "2020-12-10"),
    ("notice", "Thông báo số 908-TB/TU của Ban Thường vụ Tỉnh ủy", "908-TB/TU", "Notice", None),
    ("plan", "Kế hoạch số 129-KH/TU ngày 3/4/2023", "129-KH/TU", "Plan", "2023-04-03"),
]


@pytest.mark.parametrize("text,number,kind,issued", [c[1:] for c in NUMBERS], ids=[c[0] for c in NUMBERS])
def test_document_numbers(text, number, kind, issued):
    docs = documents(run(text, "Quảng Bình"))
    assert number in docs
    types, got_issued, _ = docs[number]
    assert kind in types
    assert (got_issued.value if got_issued else None) == issued


def test_short_form_resolves_to_the_full_number_of_the_same_issuer():
    x = run("Chỉ thị số 12-CT/TU ngày 2/3/2022 của Ban Thường vụ Tỉnh ủy về cải cách hành chính. "
            "Thực hiện Chỉ thị số 12 của Ban Thường vụ Tỉnh ủy, các huyện đã vào cuộc.", "Bình Định")
    keys = {e.key for e in x.entities if e.cls == "Document"}
    assert keys == {("Document", "Bình Định", "12-CT/TU")}


def test_same_number_of_two_provinces_are_two_documents():
    a = run("Chỉ thị số 26-CT/TU của Ban Thường vụ Tỉnh ủy.", "Nghệ An")
    b = run("Chỉ thị số 26-CT/TU của Ban Thường vụ Tỉnh ủy.", "Hà Tĩnh")
    key = lambda x: next(e.key for e in x.entities if e.cls == "Document")
    assert key(a) != key(b)


def test_implements():
    x = run("Tỉnh ủy ban hành Kế hoạch số 129-KH/TU thực hiện Nghị quyết số 11-NQ/TW của Bộ Chính trị.", "Phú Thọ")
    cited = {(f.subject[-1], f.object[-1]) for f in x.facts if f.predicate == "implements"}
    assert cited == {("129-KH/TU", "11-NQ/TW")}


def test_signed_document():
    text = ("CHỈ THỊ CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề tăng cường công tác dân vận\n\n"
            "Thực hiện Nghị quyết số 43-NQ/TW của Ban Chấp hành Trung ương, Ban Thường vụ Tỉnh ủy yêu cầu như sau.\n\n"
            "T/M BAN THƯỜNG VỤ\nBÍ THƯ\n\n\nHầu A Lềnh")
    x = run(text, "Lào Cai")
    doc = next(e for e in x.entities if e.key == ("Document", "source", "case.txt"))
    assert doc.label == "Chỉ thị của Ban Thường vụ Tỉnh ủy Lào Cai về tăng cường công tác dân vận"
    assert "Directive" in doc.types
    facts = {(f.predicate, f.object[-1]) for f in x.facts if f.subject == doc.key}
    assert ("signedBy", "Hầu A Lềnh") in facts and ("cites", "43-NQ/TW") in facts
    assert ("Hầu A Lềnh", "Bí thư", "Tỉnh ủy Lào Cai") in posts(x)


def meeting(x):
    m = next(e for e in x.entities if e.cls == "Meeting")
    facts = [f for f in x.facts if f.subject == m.key]
    labels = {e.key: e.label for e in x.entities}
    get = lambda p: sorted(f.object.value if isinstance(f.object, Lit) else labels[f.object] for f in facts if f.predicate == p)
    return m, get


def test_conference_with_spelled_ordinal_and_date_without_year():
    x = run("Sáng 16/12, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ mười lăm, khóa XX. "
            "Đồng chí Bí thư Tỉnh ủy Lương Văn Khải chủ trì hội nghị. "
            "Phát biểu khai mạc, đồng chí Lương Văn Khải nhấn mạnh yêu cầu đổi mới.", "Thanh Hóa", "2023-12-16")
    m, get = meeting(x)
    assert "Conference" in m.types
    assert get("date") == ["2023-12-16"] and get("organizedBy") == ["Tỉnh ủy Thanh Hóa"]
    assert get("speaker") == ["Lương Văn Khải"] and get("chair") == ["Lương Văn Khải"]
    assert get("ordinal") == ["15"]


def test_working_session_and_anaphora():
    x = run("Chiều 5/9/2024, Đoàn công tác của Bộ Chính trị do đồng chí Đinh Công Sứ, Ủy viên Bộ Chính trị làm trưởng đoàn "
            "làm việc với Ban Thường vụ Tỉnh ủy Quảng Trị. Đồng chí Võ Văn Hưng, Phó Bí thư Thường trực Tỉnh ủy báo cáo. "
            "Đồng chí Phó Bí thư Thường trực Tỉnh ủy cho biết tỉnh đạt 17/17 chỉ tiêu.", "Quảng Trị")
    m, get = meeting(x)
    assert "WorkingSession" in m.types
    assert get("date") == ["2024-09-05"] and get("organizedBy") == ["Ban Thường vụ Tỉnh ủy Quảng Trị"]
    assert get("speaker") == ["Võ Văn Hưng"]


def goals(x):
    out = {}
    for e in x.entities:
        if e.cls == "Goal":
            out[e.label] = {f.predicate: f.object.value for f in x.facts if f.subject == e.key and isinstance(f.object, Lit)}
    return out


def test_goals_with_figures_deadlines_periods():
    x = run("Nghị quyết đề ra mục tiêu phấn đấu tốc độ tăng trưởng GRDP bình quân đạt 10,5%/năm giai đoạn 2021-2025; "
            "thu ngân sách đến năm 2025 đạt 25.000 tỷ đồng. Năm 2023, tỉnh đạt 17/17 chỉ tiêu.", "Bắc Ninh")
    g = goals(x)
    growth = next(v for k, v in g.items() if "10,5%" in k)
    assert growth["targetValue"] == "10.5" and growth["period"] == "2021-2025" and growth["indicator"] == "GRDP"
    money = next(v for k, v in g.items() if "25.000" in k)
    assert money["targetValue"] == "25000" and money["unit"] == "tỷ đồng" and money["deadline"] == "2025"
    assert any(v.get("targetValue") == "17" and v.get("unit") == "chỉ tiêu" for v in g.values())


MORE_POSTS = [
    ("ethnic-name",
     "Đồng chí Y Thanh Hà Niê K'Đăm, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu.",
     "Đắk Lắk",
     {("Y Thanh Hà Niê K'Đăm", "Phó Bí thư", "Tỉnh ủy Đắk Lắk"), ("Y Thanh Hà Niê K'Đăm", "Chủ tịch", "Hội đồng nhân dân tỉnh Đắk Lắk")}),
    ("glued-dateline",
     "HÀ TĨNH - 3/4/2022Sáng nay, đồng chí Hoàng Trung Dũng, Bí thư Tỉnh ủy chủ trì hội nghị.",
     None,
     {("Hoàng Trung Dũng", "Bí thư", "Tỉnh ủy")}),
    ("agency-prefix",
     "(TTXVN) - Chủ tịch UBND tỉnh Lai Châu Giàng A Tính cho biết tỉnh đã hoàn thành kế hoạch.",
     None,
     {("Giàng A Tính", "Chủ tịch", "Ủy ban nhân dân tỉnh Lai Châu")}),
    ("appointment-list",
     "Hội nghị đã bầu các đồng chí Lê Hồng Sơn và Mai Văn Thịnh giữ chức Phó Bí thư Tỉnh ủy nhiệm kỳ 2025-2030.",
     "Gia Lai",
     {("Lê Hồng Sơn", "Phó Bí thư", "Tỉnh ủy Gia Lai"), ("Mai Văn Thịnh", "Phó Bí thư", "Tỉnh ủy Gia Lai")}),
    ("district",
     "Bà Lầu Thị Mỷ, Bí thư Huyện ủy Mèo Vạc báo cáo tại hội nghị.",
     "Hà Giang",
     {("Lầu Thị Mỷ", "Bí thư", "Huyện ủy Mèo Vạc")}),
    ("chain-names-its-province-once",
     "Ông Tô Văn Hải, Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Tỉnh ủy Bạc Liêu dự hội nghị.",
     "Cà Mau",
     {("Tô Văn Hải", "Ủy viên", "Ban Thường vụ Tỉnh ủy Bạc Liêu"), ("Tô Văn Hải", "Trưởng ban", "Ban Tổ chức Tỉnh ủy Bạc Liêu")}),
    ("city-committee-in-a-province",
     "Đồng chí Đỗ Văn Chiến, Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy Bắc Giang dự lễ.",
     "Bắc Giang",
     {("Đỗ Văn Chiến", "Ủy viên", "Ban Thường vụ Tỉnh ủy Bắc Giang"), ("Đỗ Văn Chiến", "Bí thư", "Thành ủy Bắc Giang")}),
]


@pytest.mark.parametrize("text,province,expected", [c[1:] for c in MORE_POSTS], ids=[c[0] for c in MORE_POSTS])
def test_more_posts(text, province, expected):
    assert posts(run(text, province)) == expected


def test_article_province_from_text_without_sidecar():
    x = run("Sáng 12/3, Tỉnh ủy Nghệ An tổ chức hội nghị. Đồng chí Thái Thanh Quý, Bí thư Tỉnh ủy phát biểu. "
            "Đoàn công tác tỉnh Hà Tĩnh đến dự.")
    assert ("Thái Thanh Quý", "Bí thư", "Tỉnh ủy Nghệ An") in posts(x)


def test_ceased_province_is_not_the_article_province():
    x = run("Hải Phòng, 10/9/2025 - Thành ủy Hải Phòng họp. Ông Vũ Văn Hiền, Phó Bí thư Thành ủy cho biết các xã của "
            "tỉnh Hải Dương cũ, tỉnh Hải Dương trước đây, đã ổn định.")
    assert ("Vũ Văn Hiền", "Phó Bí thư", "Thành ủy Hải Phòng") in posts(x)


def test_dates_every_form():
    from kg.extract.dates import find_dates
    got = lambda text, year=None: [(d.date.isoformat(), d.end_date and d.end_date.isoformat()) for d in find_dates(text, year)]
    assert got("ngày 10-2-2022") == [("2022-02-10", None)]
    assert got("ngày 10/02/2022") == [("2022-02-10", None)]
    assert got("Ngày 16/7, hội nghị", 2024) == [("2024-07-16", None)]
    assert got("chiều 22.1, bế mạc", 2021) == [("2021-01-22", None)]
    assert got("từ ngày 11-13/10/2020") == [("2020-10-11", "2020-10-13")]
    assert got("từ ngày 13 đến 15/10/2025") == [("2025-10-13", "2025-10-15")]
    assert got("ngày 5 tháng 3 năm 2021") == [("2021-03-05", None)]
    assert got("đạt 17/17 chỉ tiêu", 2024) == []
    assert got("ngày 31/02/2024") == []


ENDINGS = [
    ("retirement",
     "Quyết định về việc nghỉ hưu theo chế độ đối với đồng chí Hà Văn Lộc, Tỉnh ủy viên, Trưởng Ban Dân vận Tỉnh ủy, kể từ ngày 1/7/2022.",
     "Yên Bái", set(), {("Hà Văn Lộc", "Ủy viên", "Tỉnh ủy Yên Bái"), ("Hà Văn Lộc", "Trưởng ban", "Ban Dân vận Tỉnh ủy Yên Bái")}),
    ("quit-then-new",
     "Ban Thường vụ điều động đồng chí Giàng Seo Phử, Tỉnh ủy viên, Bí thư Huyện ủy Si Ma Cai, thôi giữ chức Bí thư Huyện ủy Si Ma Cai "
     "để giữ chức Trưởng Ban Tổ chức Tỉnh ủy.",
     "Lào Cai", {("Giàng Seo Phử", "Ủy viên", "Tỉnh ủy Lào Cai"), ("Giàng Seo Phử", "Trưởng ban", "Ban Tổ chức Tỉnh ủy Lào Cai")},
     {("Giàng Seo Phử", "Bí thư", "Huyện ủy Si Ma Cai")}),
    ("dismissal",
     "Quốc hội miễn nhiệm chức vụ Bộ trưởng Bộ Tư pháp đối với ông Phan Đình Trạc để nghỉ hưu.",
     None, set(), {("Phan Đình Trạc", "Bộ trưởng", "Bộ Tư pháp")}),
    ("promotion-ends-the-old-post",
     "Quốc hội phê chuẩn bổ nhiệm ông Đặng Quốc Khánh, Thứ trưởng Bộ Công Thương, giữ chức Bộ trưởng Bộ Công Thương.",
     None, {("Đặng Quốc Khánh", "Bộ trưởng", "Bộ Công Thương")}, {("Đặng Quốc Khánh", "Thứ trưởng", "Bộ Công Thương")}),
    ("elected",
     "Đồng chí Hồ Văn Niên, Tỉnh ủy viên, Giám đốc Sở Tài chính trúng cử Ủy viên Ban Thường vụ Tỉnh ủy.",
     "Gia Lai", {("Hồ Văn Niên", "Ủy viên", "Tỉnh ủy Gia Lai"), ("Hồ Văn Niên", "Giám đốc", "Sở Tài chính tỉnh Gia Lai"),
                 ("Hồ Văn Niên", "Ủy viên", "Ban Thường vụ Tỉnh ủy Gia Lai")}, set()),
    ("lower-case-titles",
     "TTO - Ông Võ Văn Minh - phó bí thư Tỉnh ủy, chủ tịch UBND tỉnh Bình Dương - trao đổi với báo chí.",
     None, {("Võ Văn Minh", "Phó Bí thư", "Tỉnh ủy Bình Dương"), ("Võ Văn Minh", "Chủ tịch", "Ủy ban nhân dân tỉnh Bình Dương")}, set()),
]


@pytest.mark.parametrize("text,province,current,former", [c[1:] for c in ENDINGS], ids=[c[0] for c in ENDINGS])
def test_posts_that_end_and_begin(text, province, current, former):
    x = run(text, province)
    assert posts(x) == current
    assert posts(x, "formerlyHeld") == former


def test_a_role_is_not_a_name():
    x = run("Ông Nguyễn Văn Được cho biết sẽ phân công từng đồng chí Phó Chủ tịch phụ trách dự án.", "Long An")
    assert people(x) == {"Nguyễn Văn Được"}


IMPLIED_ISSUERS = [
    ("prime-minister", "theo Quyết định số 235/QĐ-TTg ngày 3/2/2023", "235/QĐ-TTg", "Thủ tướng Chính phủ"),
    ("government", "Nghị quyết số 01/NQ-CP ngày 5/1/2024", "01/NQ-CP", "Chính phủ"),
    ("assembly", "Luật Đất đai số 31/2024/QH15", "31/2024/QH15", "Quốc hội"),
    ("council", "Nghị quyết số 18/2023/NQ-HĐND", "18/2023/NQ-HĐND", "Hội đồng nhân dân tỉnh Cà Mau"),
    ("standing-committee", "Quyết định số 1456-QĐ/TU ngày 30/6/2022", "1456-QĐ/TU", "Ban Thường vụ Tỉnh ủy Cà Mau"),
]


@pytest.mark.parametrize("text,number,issuer", [c[1:] for c in IMPLIED_ISSUERS], ids=[c[0] for c in IMPLIED_ISSUERS])
def test_issuer_implied_by_the_number(text, number, issuer):
    x = run(text, "Cà Mau")
    labels = {e.key: e.label for e in x.entities}
    doc = next(f.subject for f in x.facts if f.predicate == "number" and f.object.value == number)
    assert {labels[f.object] for f in x.facts if f.subject == doc and f.predicate == "issuedBy"} == {issuer}


STARTS = [  # (pattern, text): the look-ahead `starting` adds never changes what matches
    (r"(?<!\w)(?:Ban|ban)\s+Tuyên giáo|Tỉnh ủy", "Trưởng ban Tuyên giáo Tỉnh ủy, Ban Tuyên giáo; Tỉnh ủy viên"),
    (r"(?i:kiểm tra|Ủy ban)\s+\w+", "Ủy ban Kiểm tra TRUNG ương, \u212aiểm tra x"),  # the Kelvin sign folds to k
    (r"(?:nguyên\s+)?(?P<r>Bí thư|Phó Bí thư)", "nguyên Bí thư, Phó Bí thư, bí thư"),
    (r"[A-ZĐ][a-zà-ỹ]*|[0-9]+", "12 Hà Nội 3 Đà"),
]


@pytest.mark.parametrize("pattern,text", STARTS)
def test_a_pattern_behind_its_first_characters_matches_as_before(pattern, text):
    import re
    from kg.extract.gazetteer import starting
    fast = starting(pattern)
    assert fast.startswith("(?=[") and fast.endswith(pattern)
    assert [m.span() for m in re.finditer(fast, text)] == [m.span() for m in re.finditer(pattern, text)]
    assert [m.groupdict() for m in re.finditer(fast, text)] == [m.groupdict() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("pattern", [r"\w+ ủy", r"(?:Ban)?\s*x", r"[^,]+", r"(?:a|\s)b", r"[A-Z]\w*|\d+"])
def test_a_pattern_that_can_start_anywhere_is_left_as_it_is(pattern):
    from kg.extract.gazetteer import starting
    assert starting(pattern) == pattern



FACTORED = [  # (phrases, alternation's options, texts): where a plain trie of the names would match otherwise
    # a name in either case beside one in its own case: "UBKT Tỉnh ủy" must win over "UBKT"
    (["UBKT các cấp của Hội", "UBKT Tỉnh ủy", "UBKT Thành ủy", "UBKT", "Ủy ban nhân dân tỉnh"],
     {"ci_first": True, "ci_words": True},
     ["UBKT Tỉnh ủy họp", "uBKT tỉnh ủy", "UBKT Thành ủy.", "UBKT huyện", "ủy ban nhân dân Tỉnh Cà Mau"]),
    # a group that matches more than one way ("T.Ư" or "T.Ư."): what follows it is not shared
    (["Ban Tuyên giáo Trung ương", "Ban Tuyên giáo Trung ương Đảng", "Ban Tổ chức Trung ương"], {"ci_first": True,
     "ci_words": "long"}, ["Ban Tuyên giáo T.Ư. Đảng", "Ban Tuyên giáo T.Ư, ban Tổ chức TW", "ban tuyên giáo TƯ Đảng"]),
    # names that are the beginnings of others: the longest that fits is taken
    (["Bí thư", "Bí thư Tỉnh ủy", "Bí thư Thành ủy", "Bí", "Phó Bí thư"], {},
     ["Bí thư Tỉnh ủy", "Bí thư Thành phố", "Bí ẩn", "Phó Bí thư Tỉnh", "Bíthư"]),
    # read in no case: "Bí thư" and "bí thư tỉnh ủy" begin alike there
    (["BÍ THƯ CHI BỘ ĐẢNG ỦY", "bí thư tỉnh ủy", "Bí thư", "Phó Bí thư", "phó bí thư thường trực"], {"nocase": True},
     ["bí thư tỉnh ủy", "Bí thư Tỉnh ủy Cà Mau", "PHÓ BÍ THƯ THƯỜNG TRỰC", "bí thư Chi bộ", "phó bí thư tỉnh"]),
]


@pytest.mark.parametrize("phrases,options,texts", FACTORED)
def test_a_factored_alternation_matches_as_the_plain_one(phrases, options, texts):
    """`alternation` writes the names' common beginnings once: the engine then follows one branch
    per character rather than trying every name. What matches, and which name wins, are those of
    the names joined one after the other, longest first."""
    import re
    from kg.extract.gazetteer import alternation
    factored = alternation(phrases, **options)
    plain = "|".join(alternation([p], **{k: v for k, v in options.items() if k != "nocase"})
                     for p in sorted(set(phrases), key=lambda x: (-len(x), x)))
    assert factored != plain
    flags = re.IGNORECASE if options.get("nocase") else 0
    for tail in ("", r"(?!\w)"):
        fast, slow = re.compile(f"(?:{factored}){tail}", flags), re.compile(f"(?:{plain}){tail}", flags)
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text


def test_the_genre_patterns_match_as_their_names_joined():
    """The patterns of bodies and titles, built from the factored alternations, find the same
    spans as when built from the plain ones, on sentences made of every body name and role."""
    import re
    from kg.extract import bodies, gazetteer as gz, titles
    names = [h for t in gz.templates() for h in t.heads] + [*gz.central_bodies(), *gz.bodies_data()["district_heads"]]
    roles = gz.lexicon()["roles"]
    texts = [f"{r} {n} tỉnh Cà Mau, {n.lower()} và {n.upper()} T.Ư. Đảng" for r, n in zip(roles * 50, names)]
    def patterns() -> list[re.Pattern]:  # the bodies', and the titles' with the bodies' inside (as title_regex has them)
        body = bodies._body_pattern()
        return [re.compile(body), re.compile(titles._title_pattern(re.sub(r"\(\?P<\w+>", "(?:", body), "x"))]
    fast = patterns()
    real = gz.alternation
    try:
        gz.alternation = lambda phrases, **kw: "|".join(real([p], **kw) for p in sorted(set(phrases), key=lambda x: (-len(x), x)))
        gz.province_pattern.cache_clear()
        slow = patterns()
    finally:
        gz.alternation = real
        gz.province_pattern.cache_clear()
    assert fast[0].pattern != slow[0].pattern
    for f, s in zip(fast, slow):
        for text in texts:
            assert [m.span() for m in f.finditer(text)] == [m.span() for m in s.finditer(text)], text


def test_the_title_look_ahead_read_from_its_probe_is_the_one_the_whole_pattern_gives():
    """The title pattern's look-ahead is read from a short probe (no bodies, no ministries):
    it must be the one the whole pattern gives, or titles would be missed."""
    import re
    from kg.extract import gazetteer as gz
    from kg.extract.bodies import body_regex
    from kg.extract.titles import _ministries, _title_pattern, title_regex
    body = re.sub(r"\(\?P=\w+\)", "", re.sub(r"\(\?P<\w+>", "(?:", body_regex().pattern))
    whole = _title_pattern(body, gz.alternation(_ministries()))
    assert gz.starting(whole, _title_pattern("x", "x")) == gz.starting(whole) == title_regex().pattern
    assert gz.starting(whole, "[a-b]x") != gz.starting(whole)  # the probe is what is read

def test_no_character_beyond_the_first_plane_folds_to_one_in_it():
    """What `starting` relies on to find every character a case-blind pattern takes."""
    import re
    below = re.compile("(?i:[\u0000-\uffff])")
    assert not [n for n in range(0x10000, 0x110000) if below.match(chr(n))]


@pytest.mark.parametrize("role, body, label", [
    ("Trưởng ban", "Ban Tổ chức Trung ương", "Trưởng Ban Tổ chức Trung ương"),
    ("Phó Trưởng ban", "Ban Dân vận Tỉnh ủy Nghệ An", "Phó Trưởng Ban Dân vận Tỉnh ủy Nghệ An"),
    ("Chánh Văn phòng", "Văn phòng Trung ương Đảng", "Chánh Văn phòng Trung ương Đảng"),
    ("Trưởng đoàn", "Đoàn đại biểu Quốc hội tỉnh Nam Định", "Trưởng Đoàn đại biểu Quốc hội tỉnh Nam Định"),
    ("Bí thư Trung ương Đảng", "Ban Bí thư", "Bí thư Trung ương Đảng"),
    ("Thường trực", "Ban Bí thư", "Thường trực Ban Bí thư"),
    ("Ủy viên", "Ban Chấp hành Trung ương Đảng", "Ủy viên Ban Chấp hành Trung ương Đảng"),
    ("Bí thư", "Tỉnh ủy Bắc Giang", "Bí thư Tỉnh ủy Bắc Giang"),
])
def test_a_post_is_named_as_the_press_names_it(role, body, label):
    from kg.extract.collect import post_label
    assert post_label(role, body) == label
