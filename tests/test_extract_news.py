"""What real published news taught the extractor, one regularity of the genre a case.

Each case is a pattern the real development articles (tests/realdev) showed the extractor
missing or misreading, written anew for these tests: every sentence is invented, every person
fictitious; bodies, places and numbering schemes are real.
"""
import pytest

from kg.model import Lit

from extract_cases import people, posts, run


POSTS = [
    ("roles-in-any-case",
     "Ông Mạc Văn Tùng, Phó bí thư Tỉnh ủy, Chủ tịch UBND tỉnh dự họp; bà Lê Thị Hoa, Phó trưởng Ban Tuyên giáo Tỉnh ủy cùng dự.",
     "Thái Bình",
     {("Mạc Văn Tùng", "Phó Bí thư", "Tỉnh ủy Thái Bình"), ("Mạc Văn Tùng", "Chủ tịch", "Ủy ban nhân dân tỉnh Thái Bình"),
      ("Lê Thị Hoa", "Phó Trưởng ban", "Ban Tuyên giáo Tỉnh ủy Thái Bình")}),
    ("name-after-a-district",
     "Bí thư Huyện ủy Thanh Hà Phạm Thị Bích và Chủ tịch UBND huyện Si Ma Cai Lò Văn Sùng phát biểu.", "Hải Dương",
     {("Phạm Thị Bích", "Bí thư", "Huyện ủy Thanh Hà"), ("Lò Văn Sùng", "Chủ tịch", "Ủy ban nhân dân huyện Si Ma Cai")}),
    ("list-of-titled-names",
     "Dự có Phó Thủ tướng Trần Văn An, Phó Thủ tướng - Bộ trưởng Bộ Tài chính Lê Văn Bình.", None,
     {("Trần Văn An", "Phó Thủ tướng", "Chính phủ"), ("Lê Văn Bình", "Phó Thủ tướng", "Chính phủ"),
      ("Lê Văn Bình", "Bộ trưởng", "Bộ Tài chính")}),
    ("verb-shared-across-a-parenthesis",
     "Bộ Chính trị chỉ định các ông Hoàng Văn Dũng, Nguyễn Văn Em (Chủ tịch UBND tỉnh), Vũ Văn Phong giữ chức Phó Bí thư Tỉnh ủy.",
     "Cao Bằng",
     {("Hoàng Văn Dũng", "Phó Bí thư", "Tỉnh ủy Cao Bằng"), ("Nguyễn Văn Em", "Phó Bí thư", "Tỉnh ủy Cao Bằng"),
      ("Nguyễn Văn Em", "Chủ tịch", "Ủy ban nhân dân tỉnh Cao Bằng"), ("Vũ Văn Phong", "Phó Bí thư", "Tỉnh ủy Cao Bằng")}),
    ("names-through-a-province-name",
     "Đồng chí Lưu Thái Bình, Phó Chủ tịch UBND tỉnh và bà Hà Nam Phương, Phó Trưởng ban Dân vận Tỉnh ủy dự.", "Yên Bái",
     {("Lưu Thái Bình", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Yên Bái"),
      ("Hà Nam Phương", "Phó Trưởng ban", "Ban Dân vận Tỉnh ủy Yên Bái")}),
    ("name-in-capitals-with-a-title",
     "NGUYỄN VĂN THÀNH, Giám đốc Sở Tư pháp tỉnh", "Yên Bái",
     {("Nguyễn Văn Thành", "Giám đốc", "Sở Tư pháp tỉnh Yên Bái")}),
    ("shared-title-after-colon",
     "Các Ủy viên Bộ Chính trị: Tòng Thị Lan - Phó Chủ tịch Thường trực Quốc Hội; Phạm Văn Minh - Trưởng Ban Tổ chức Trung ương chủ trì.",
     None,
     {("Tòng Thị Lan", "Ủy viên", "Bộ Chính trị"), ("Tòng Thị Lan", "Phó Chủ tịch Thường trực", "Quốc hội"),
      ("Phạm Văn Minh", "Ủy viên", "Bộ Chính trị"), ("Phạm Văn Minh", "Trưởng ban", "Ban Tổ chức Trung ương")}),
    ("numbered-plural-with-term",
     "Bộ Chính trị chuẩn y 3 Phó bí thư Tỉnh ủy khóa 16, nhiệm kỳ 2025-2030, gồm các ông: Lò Văn Hùng; Nguyễn Đình Em; Chá A Giang.",
     "Sơn La",
     {(n, "Phó Bí thư", "Tỉnh ủy Sơn La") for n in ("Lò Văn Hùng", "Nguyễn Đình Em", "Chá A Giang")}),
    ("plural-title-then-la",
     "HĐND tỉnh đã bầu bổ sung hai Phó Chủ tịch UBND tỉnh nhiệm kỳ 2016-2021 là ông Vương Văn Hải và ông Đào Văn Khải.", "Bắc Ninh",
     {("Vương Văn Hải", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bắc Ninh"),
      ("Đào Văn Khải", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bắc Ninh")}),
    ("plural-pre-title-over-a-list",
     "Dự phiên họp có các Phó Thủ tướng Chính phủ Trần Văn Ba, Lê Văn Bốn và Mai Văn Năm.", None,
     {(n, "Phó Thủ tướng", "Chính phủ") for n in ("Trần Văn Ba", "Lê Văn Bốn", "Mai Văn Năm")}),
    ("ministry-without-bo",
     "Dự có các đồng chí: Đào Văn Dung, Bộ trưởng Lao động - Thương binh và Xã hội; Đỗ Văn Chiêu, Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc.",
     None,
     {("Đào Văn Dung", "Bộ trưởng", "Bộ Lao động - Thương binh và Xã hội"), ("Đỗ Văn Chiêu", "Chủ nhiệm", "Ủy ban Dân tộc")}),
    ("district-named-by-its-neighbour",
     "Ban Bí thư kỷ luật ông Lê Văn Sáu, Tỉnh ủy viên, Bí thư Huyện ủy, Chủ tịch Ủy ban nhân dân huyện Cô Tô, tỉnh Quảng Ninh.",
     "Quảng Ninh",
     {("Lê Văn Sáu", "Ủy viên", "Tỉnh ủy Quảng Ninh"), ("Lê Văn Sáu", "Bí thư", "Huyện ủy Cô Tô"),
      ("Lê Văn Sáu", "Chủ tịch", "Ủy ban nhân dân huyện Cô Tô")}),
    ("role-abbreviation",
     "Ông Thào Hồng Sinh, Phó Bí thư TT Tỉnh ủy, Chủ tịch HĐND tỉnh tiếp đoàn.", "Hà Giang",
     {("Thào Hồng Sinh", "Phó Bí thư Thường trực", "Tỉnh ủy Hà Giang"),
      ("Thào Hồng Sinh", "Chủ tịch", "Hội đồng nhân dân tỉnh Hà Giang")}),
    ("confirmed-posts-given-after",
     "Chủ tịch Quốc hội vừa phê chuẩn kết quả bầu: Chủ tịch Hội đồng Nhân dân tỉnh Hậu Giang khóa X đối với ông Trần Văn Một; "
     "Chủ tịch Hội đồng Nhân dân tỉnh Điện Biên khóa XV đối với ông Lò Văn Hai.", None,
     {("Trần Văn Một", "Chủ tịch", "Hội đồng nhân dân tỉnh Hậu Giang"),
      ("Lò Văn Hai", "Chủ tịch", "Hội đồng nhân dân tỉnh Điện Biên")}),
    ("central-body-abbreviated-in-any-case",
     "Dự có ông Lê Văn Tám, Phó Trưởng Ban Tổ chức T.Ư và bà Đỗ Thị Chín, Trưởng ban Tổ chức Trung ương.", None,
     {("Lê Văn Tám", "Phó Trưởng ban", "Ban Tổ chức Trung ương"), ("Đỗ Thị Chín", "Trưởng ban", "Ban Tổ chức Trung ương")}),
    ("district-committee-member-named-by-its-neighbour",
     "Ông Trịnh Văn Năm - Huyện ủy viên, Phó Chủ tịch HĐND huyện Vĩnh Lợi bị kỷ luật.", "Bạc Liêu",
     {("Trịnh Văn Năm", "Ủy viên", "Huyện ủy Vĩnh Lợi"), ("Trịnh Văn Năm", "Phó Chủ tịch", "Hội đồng nhân dân huyện Vĩnh Lợi")}),
    ("elected-to-a-named-post",
     "Ông Tạ Văn Sáu, Tỉnh ủy viên, Bí thư Thị ủy Tân Uyên đã trúng cử chức danh Phó Chủ tịch UBND tỉnh Bình Dương.", None,
     {("Tạ Văn Sáu", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Bình Dương")}),
    ("people-with-their-titles-elected-together",
     "Bà Lý Thị Hai, Giám đốc Sở Tư pháp và ông Ma Văn Ba, Bí thư Huyện ủy Can Lộc, được bầu giữ chức Phó Chủ tịch UBND tỉnh.",
     "Hà Tĩnh", {("Lý Thị Hai", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Hà Tĩnh"), ("Ma Văn Ba", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Hà Tĩnh")}),
    ("new-province-of-an-old-name",
     "Thủ tướng chỉ định 2 Phó Chủ tịch UBND tỉnh Tây Ninh mới, gồm: Ông Lâm Văn Bảy - Phó Chủ tịch UBND tỉnh Long An cũ; "
     "Ông Khúc Văn Tám - Phó Chủ tịch UBND tỉnh Tây Ninh cũ.", "Tây Ninh",
     {("Lâm Văn Bảy", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Tây Ninh"), ("Khúc Văn Tám", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Tây Ninh")}),
    ("office-of-the-delegation-and-the-council",
     "Chánh Văn phòng Đoàn Đại biểu Quốc hội - HĐND tỉnh Đỗ Văn Tư phát biểu.", "Hà Tĩnh",
     {("Đỗ Văn Tư", "Chánh Văn phòng", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Hà Tĩnh")}),
    ("national-assembly-delegation-with-its-term",
     "Ông Phan Văn Mười, Trưởng Đoàn đại biểu Quốc hội khóa XV tỉnh Bắc Kạn, chủ trì buổi tiếp xúc cử tri.", None,
     {("Phan Văn Mười", "Trưởng đoàn", "Đoàn đại biểu Quốc hội tỉnh Bắc Kạn")}),
]


@pytest.mark.parametrize("text,province,expected", [c[1:] for c in POSTS], ids=[c[0] for c in POSTS])
def test_posts(text, province, expected):
    assert expected <= posts(run(text, province))


ENDINGS = [
    ("predecessor-replaced",
     "Ông Đỗ Văn Giang, Bí thư Tỉnh ủy thay ông Lưu Văn Hải - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh chuyển công tác khác.",
     "Thái Bình", {("Lưu Văn Hải", "Bí thư", "Tỉnh ủy Thái Bình"), ("Lưu Văn Hải", "Chủ tịch", "Hội đồng nhân dân tỉnh Thái Bình")}),
    ("career-line",
     "Tháng 10/2019, đồng chí Bùi Văn Hinh giữ chức vụ Phó Chủ tịch Ủy ban Nhân dân tỉnh Hòa Bình.", "Hòa Bình",
     {("Bùi Văn Hinh", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Hòa Bình")}),
    ("move-to-another-province",
     "Ông Trịnh Văn Hùng, Bí thư Tỉnh ủy Thái Nguyên được chỉ định giữ chức Bí thư Tỉnh ủy Lào Cai.", "Lào Cai",
     {("Trịnh Văn Hùng", "Bí thư", "Tỉnh ủy Thái Nguyên")}),
    ("promotion-from-a-city",
     "Ông Vương Văn Tuấn (Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy Bắc Ninh) được phê chuẩn giữ chức Phó Chủ tịch UBND tỉnh.",
     "Bắc Ninh", {("Vương Văn Tuấn", "Bí thư", "Thành ủy Bắc Ninh")}),
    ("dismissal-of-people-named-by-their-titles",
     "HĐND tỉnh đã miễn nhiệm chức vụ Phó Chủ tịch UBND tỉnh đối với Phó Bí thư Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh "
     "Hà Văn Chín và Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy, Phó Chủ tịch UBND tỉnh Tô Văn Mười, do chuyển công tác.", "Hà Tĩnh",
     {("Hà Văn Chín", "Phó Chủ tịch Thường trực", "Ủy ban nhân dân tỉnh Hà Tĩnh"),
      ("Tô Văn Mười", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Hà Tĩnh")}),
    ("leaves-right-after-the-name",
     "Thủ tướng đã ký quyết định cho ông Đàm Văn Năm thôi giữ chức Thứ trưởng Bộ Tài chính để nghỉ hưu.", None,
     {("Đàm Văn Năm", "Thứ trưởng", "Bộ Tài chính")}),
    ("career-line-with-la",
     "Từ tháng 3/2015 đến tháng 9/2020, ông Đàm Văn Năm là Bí thư Huyện ủy Lạc Sơn.", "Hòa Bình",
     {("Đàm Văn Năm", "Bí thư", "Huyện ủy Lạc Sơn")}),
    ("retires-after-duoc",
     "Ông Mạc Văn Bảy, Chủ tịch UBND tỉnh Yên Bái, được nghỉ hưu theo chế độ từ ngày 1/3/2024.", "Yên Bái",
     {("Mạc Văn Bảy", "Chủ tịch", "Ủy ban nhân dân tỉnh Yên Bái")}),
]


@pytest.mark.parametrize("text,province,former", [c[1:] for c in ENDINGS], ids=[c[0] for c in ENDINGS])
def test_posts_that_end(text, province, former):
    x = run(text, province)
    assert former <= posts(x, "formerlyHeld")
    assert not former & posts(x)


def test_a_family_name_that_is_also_a_word_after_an_honorific():
    """"Từ" opens sentences ("Từ ngày 1/3, …") and is a family name: after "đồng chí" it is the latter."""
    x = run("Đồng chí Từ Văn Chín nhận quyết định giữ chức Giám đốc Sở Xây dựng tỉnh An Giang.", "An Giang")
    assert ("Từ Văn Chín", "Giám đốc", "Sở Xây dựng tỉnh An Giang") in posts(x)
    assert people(run("Từ ngày 1/3, ông Lê Văn Tám nhận nhiệm vụ mới.", "An Giang")) == {"Lê Văn Tám"}


def test_a_signature_marked_signed_keeps_its_lines():
    x = run("TỈNH ỦY AN GIANG\nSố 12-TB/TU\nTHÔNG BÁO\nKết luận của Ban Thường vụ Tỉnh ủy về công tác cán bộ\n\n"
            "Ban Thường vụ Tỉnh ủy thống nhất chủ trương kiện toàn bộ máy.\n\nT/M BAN THƯỜNG VỤ\n"
            "PHÓ BÍ THƯ THƯỜNG TRỰC\n(Đã ký)\nKha Văn Mười\n", "An Giang")
    assert ("Kha Văn Mười", "Phó Bí thư Thường trực", "Tỉnh ủy An Giang") in posts(x)


def test_seats_from_tham_gia():
    x = run("Bộ Chính trị điều động đồng chí Phạm Văn Túc, Ủy viên Trung ương Đảng, thôi giữ chức Phó trưởng ban Nội chính "
            "Trung ương để chỉ định tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Bí thư Tỉnh ủy Nam Định.", None)
    held = posts(x)
    assert {("Phạm Văn Túc", "Ủy viên", "Ban Thường vụ Tỉnh ủy Nam Định"), ("Phạm Văn Túc", "Bí thư", "Tỉnh ủy Nam Định"),
            ("Phạm Văn Túc", "Ủy viên", "Tỉnh ủy Nam Định")} <= held
    assert ("Phạm Văn Túc", "Phó Trưởng ban", "Ban Nội chính Trung ương") in posts(x, "formerlyHeld")


def test_another_bodys_seats_are_not_the_provinces():
    x = run("Bộ Chính trị phân công ông Trần Quốc Tám về công tác tại Bộ Công an và chỉ định tham gia Ban Chấp hành, "
            "Ban Thường vụ Đảng ủy Công an Trung ương.", "Thái Nguyên")
    assert not any(body.startswith("Tỉnh ủy") or "Tỉnh ủy" in body for _, _, body in posts(x))


def test_a_sentence_of_another_province_in_a_roundup():
    x = run("Ngày 22/10, Hội nghị lần thứ nhất Ban Chấp hành Đảng bộ tỉnh Lai Châu đã bầu đồng chí Giàng Páo Mai, "
            "Bí thư Tỉnh ủy khóa XIII, tiếp tục giữ chức Bí thư Tỉnh ủy khóa XIV.\n"
            "Ngày 21/10, tại Hội nghị lần thứ nhất Ban Chấp hành Đảng bộ tỉnh Ninh Bình, đồng chí Nguyễn Thị Thu Ba tiếp tục "
            "được bầu giữ chức Bí thư Tỉnh ủy.", "Lạng Sơn")
    assert {("Giàng Páo Mai", "Bí thư", "Tỉnh ủy Lai Châu"), ("Nguyễn Thị Thu Ba", "Bí thư", "Tỉnh ủy Ninh Bình")} <= posts(x)


def test_name_cut_at_the_end_of_an_opening():
    x = run("Kỳ họp đã bầu Phó Chủ tịch UBND tỉnh.\nÔng Vương Quốc Tu", "Bắc Ninh")
    assert "Vương Quốc Tu" not in people(x)


def test_place_words_do_not_start_a_name():
    x = run("Kính thưa đồng chí Tô Văn Lâm, Tổng Bí thư Ban Chấp hành Đảng Cộng sản Việt Nam;")
    assert people(x) == {"Tô Văn Lâm"}
    assert ("Tô Văn Lâm", "Tổng Bí thư", "Ban Chấp hành Trung ương Đảng") in posts(x)


def documents(x):
    return {e.label: e for e in x.entities if e.cls == "Document"}


def facts(x, predicate):
    labels = {e.key: e.label for e in x.entities}
    return {(labels.get(f.subject), labels.get(f.object, getattr(f.object, "value", None)))
            for f in x.facts if f.predicate == predicate}


def test_bare_numbers_are_named_documents_as_written():
    x = run("Thực hiện Chỉ thị số 21 ngày 14/4/2025 của Ban Bí thư và Nghị quyết 88 của Chính phủ, "
            "UBND tỉnh đã ban hành Công văn số 4455.", "Nghệ An", "2025-05-01")
    labels = set(documents(x))
    assert {"Chỉ thị số 21 ngày 14/4/2025 của Ban Bí thư", "Nghị quyết 88 của Chính phủ", "Công văn số 4455"} <= labels
    assert not any(f.predicate == "number" and f.object.value in ("21", "88", "4455") for f in x.facts)


def test_documents_named_by_what_they_implement():
    x = run("Tỉnh ủy ban hành Chương trình hành động thực hiện Nghị quyết số 18-NQ/TW ngày 16/6/2022 "
            "Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII về đất đai.", "Nghệ An")
    programme = next(l for l in documents(x) if l.startswith("Chương trình hành động thực hiện"))
    cited = {o for s, o in facts(x, "cites") if s == programme}
    assert any(o.startswith("Nghị quyết số 18-NQ/TW") for o in cited)
    resolution = next(e for l, e in documents(x).items() if l.startswith("Nghị quyết số 18-NQ/TW"))
    assert any(f.predicate == "issuedBy" and f.subject == resolution.key for f in x.facts)


@pytest.mark.parametrize("text,citing,cited", [
    ('Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 77-KH/TU ngày 3/4/2024 về việc "Thực hiện Kết luận số 14-KL/TW ngày 22/9/2021 '
     'của Bộ Chính trị".', "Kế hoạch số 77-KH/TU", "Kết luận số 14-KL/TW"),
    ("Kết luận số 150-KL/TW nêu: Bộ Chính trị, sau khi nghe Báo cáo số 321-BC/VPTW của Văn phòng Trung ương Đảng, kết luận.",
     "Kết luận số 150-KL/TW", "Báo cáo số 321-BC/VPTW"),
    ("Nghị quyết miễn nhiệm chức vụ Tổng Thư ký Quốc hội nêu rõ, căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13, căn cứ "
     "Tờ trình số 854 ngày 3.4.2021 của Ủy ban Thường vụ Quốc hội, quyết nghị.", "Nghị quyết miễn nhiệm",
     "Luật Tổ chức Quốc hội số 57/2014/QH13"),
    ("Tỉnh đang xây dựng Đề án tổng kết 10 năm thực hiện Nghị quyết số 26-NQ/TW, ngày 30/7/2013 của Bộ Chính trị.",
     "Đề án tổng kết 10 năm thực hiện", "Nghị quyết số 26-NQ/TW"),
    ("Hội nghị xin ý kiến về Báo cáo tổng kết thực hiện Nghị quyết số 26 - NQ/TW của Ban Chấp hành Trung ương (khóa X).",
     "Báo cáo tổng kết thực hiện", "Nghị quyết số 26-NQ/TW"),
], ids=["quoted-title", "quoted-body", "quoted-with-comma", "scheme-reviewing-years-of", "report-reviewing"])
def test_citations_in_one_sentence(text, citing, cited):
    pairs = facts(run(text, "Nghệ An", "2024-05-01"), "cites")
    assert any(s.startswith(citing) and o.startswith(cited) for s, o in pairs), pairs


def test_number_in_brackets_takes_the_issuer_of_the_words_before():
    x = run("Kết luận của Bộ Chính trị (Kết luận số 150-KL/TW) yêu cầu các tỉnh khẩn trương triển khai.")
    docs = documents(x)
    assert not any(l == "Kết luận của Bộ Chính trị" for l in docs)
    assert ("Kết luận số 150-KL/TW", "Bộ Chính trị") in {(s.split(" của")[0], o) for s, o in facts(x, "issuedBy")}


@pytest.mark.parametrize("number,issuer", [
    ("1192-QĐ/UBKTTW", "Ủy ban Kiểm tra Trung ương"), ("2136-QĐNS/TW", "Bộ Chính trị"),
    ("2616/KH-BNN-TCLN", "Bộ Nông nghiệp và Phát triển nông thôn")])
def test_issuer_named_by_the_number(number, issuer):
    x = run(f"Thực hiện văn bản số {number}, tỉnh đã triển khai.")
    assert issuer in {o for _, o in facts(x, "issuedBy")}


def test_wrapped_legal_text():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n|\nSố: 12/KH-UBND\n|\nLai Châu, ngày 25\ntháng 4 năm 2024\n|\nKẾ HOẠCH\n"
            "THỰC HIỆN CHƯƠNG TRÌNH OCOP\nCăn cứ Quyết định số 919/QĐ-TTg\nngày 01 tháng 8 năm 2022 của Thủ tướng Chính phủ "
            "về việc phê duyệt Chương trình\nmỗi xã một sản phẩm;\n")
    x = run(text)
    source = next(l for l in documents(x) if l.startswith("Kế hoạch số 12/KH-UBND"))
    assert "của Ủy ban nhân dân tỉnh Lai Châu" in source
    assert any(s == source and o.startswith("Quyết định số 919/QĐ-TTg") for s, o in facts(x, "cites"))
    assert ("Quyết định số 919/QĐ-TTg ngày 01 tháng 8 năm 2022 của Thủ tướng Chính phủ về việc phê duyệt Chương trình mỗi xã "
            "một sản phẩm").startswith(next(l for l in documents(x) if l.startswith("Quyết định số 919")).split(" về")[0])


def meeting(x):
    m = next(e for e in x.entities if e.cls == "Meeting")
    labels = {e.key: e.label for e in x.entities}
    got = lambda p: sorted(f.object.value if isinstance(f.object, Lit) else labels[f.object]
                           for f in x.facts if f.subject == m.key and f.predicate == p)
    return m, got


@pytest.mark.parametrize("text,province,published,kind,date,organizer", [
    ("Tiếp tục chương trình làm việc, chiều 27/10, Đại hội đại biểu Đảng bộ tỉnh Phú Thọ lần thứ XIX tiến hành bầu cử.",
     None, "2020-10-28", "Congress", "2020-10-27", "Tỉnh ủy Phú Thọ"),
    ("Sáng 30.8, tại thành phố Tam Kỳ diễn ra lễ công bố quyết định của Ban Thường vụ Tỉnh ủy về công tác cán bộ.",
     "Quảng Nam", "2021-08-31", "Ceremony", "2021-08-30", "Ban Thường vụ Tỉnh ủy Quảng Nam"),
    ("Thừa Thiên Huế tổ chức Đại hội Đảng bộ tỉnh lần thứ XVI từ 21- 23/10/2020.\nBan Tuyên giáo Tỉnh ủy trong chiều 19/10 "
     "đã tổ chức họp báo cung cấp thông tin về Đại hội.", "Thừa Thiên Huế", None, "PressConference", "2020-10-19",
     "Ban Tuyên giáo Tỉnh ủy Thừa Thiên Huế"),
    ("Chiều 24/10, Quốc hội nghe Chủ nhiệm Văn phòng Quốc hội Lê Văn Mạnh trình bày dự thảo Nghị quyết về công tác nhân sự.",
     None, "2025-10-24", "Session", "2025-10-24", "Quốc hội"),
    ("Chiều 20/8, Tổ công tác của Bộ Chính trị làm việc với Ban Thường vụ Tỉnh ủy. Đại hội đại biểu Đảng bộ tỉnh lần thứ "
     "XVIII sẽ diễn ra vào tháng 9.", "Lạng Sơn", "2025-08-21", "WorkingSession", "2025-08-20", "Ban Thường vụ Tỉnh ủy Lạng Sơn"),
    ("Ngày 7/12, đồng chí Nguyễn Văn Phúc, Chủ tịch nước đã lên thăm và làm việc tại tỉnh Hà Giang.", None, None,
     "WorkingSession", "2021-12-07", None),
    ("Sáng 5/11, HĐND tỉnh họp phiên thứ hai của kỳ họp thứ 14 để xem xét các tờ trình.", "Sơn La", "2025-11-06", "Conference",
     "2025-11-05", "Hội đồng nhân dân tỉnh Sơn La"),
    ("Chiều 5/11, tại kỳ họp thứ 17 (kỳ họp chuyên đề), HĐND tỉnh khóa IX đã kiện toàn chức danh Chủ tịch UBND tỉnh. "
     "Kỳ họp cũng bầu bổ sung Ủy viên UBND tỉnh.", "Trà Vinh", "2020-11-06", "Session", "2020-11-05", "Hội đồng nhân dân tỉnh Trà Vinh"),
    ("Chiều 13/10, Đại hội đại biểu Đảng bộ tỉnh lần thứ XXII, nhiệm kỳ 2020 - 2025 đã hoàn thành các nội dung đề ra. "
     "Tại phiên làm việc ngày 12/10, Đại hội đã bầu Ban Chấp hành gồm 53 đồng chí.", "Quảng Nam", "2020-10-14", "Congress",
     "2020-10-13", "Tỉnh ủy Quảng Nam"),
], ids=["congress-tien-hanh", "ceremony", "press-conference", "assembly-sitting", "announced-congress-is-not-reported",
        "visit", "sitting-of-a-council", "dated-session-in-the-lead", "congress-that-completed-its-work"])
def test_meetings(text, province, published, kind, date, organizer):
    x = run(text, province, published, url="https://example.vn/tin/202112/bai-1.htm")
    m, got = meeting(x)
    assert kind in m.types
    assert got("date") == [date]
    assert got("organizedBy") == ([organizer] if organizer else [])


def test_document_dates_are_not_meeting_dates():
    x = run("Sáng 6.4, Quốc hội họp phiên toàn thể. Quốc hội biểu quyết, căn cứ Nghị quyết số 102 ngày 24.11.2015.",
            None, "2021-04-06")
    _, got = meeting(x)
    assert got("date") == ["2021-04-06"]


def test_speaking_in_a_speech_report():
    x = run("Trong phiên khai mạc Đại hội đại biểu Đảng bộ tỉnh Thái Bình lần thứ XX, đồng chí Tòng Thị Phương - "
            "Ủy viên Bộ Chính trị đã có bài phát biểu tại Đại hội.", None, "2020-10-14")
    _, got = meeting(x)
    assert got("speaker") == ["Tòng Thị Phương"]
    assert got("date") == ["2020-10-14"]


def test_year_from_a_stored_page_date_line_and_a_url():
    x = run(" date 2025-09 Sáng 29/9, Đại hội đại biểu Đảng bộ tỉnh Lào Cai lần thứ I khai mạc.")
    assert meeting(x)[1]("date") == ["2025-09-29"]


def goal_texts(x):
    return [" ".join(f.object.value for f in x.facts if f.subject == e.key and isinstance(f.object, Lit))
            for e in x.entities if e.cls == "Goal"]


@pytest.mark.parametrize("text,words", [
    ("Đại hội xác định ba khâu đột phá của nhiệm kỳ.", ["ba khâu đột phá", "3"]),
    ("Phấn đấu tăng trưởng kinh tế hai con số trong giai đoạn tới.", ["hai con số"]),
    ("Tỉnh phấn đấu trồng 41,2 triệu cây xanh trong giai đoạn 2021-2025.", ["41,2 triệu cây xanh"]),
    ("Phạm vi lập quy hoạch khoảng 2.171,33 km2 bao gồm diện tích tự nhiên của huyện.", ["2.171,33"]),
    ("Hiện thực hóa tầm nhìn đến năm 2045, phát triển tỉnh nhanh, trở thành tỉnh công nghiệp hiện đại.", ["2045", "trở thành tỉnh"]),
])
def test_goals(text, words):
    assert any(all(w in t for w in words) for t in goal_texts(run(text, "Hưng Yên", "2025-10-03"))), goal_texts(run(text))


def test_a_congress_named_by_the_page_title_keeps_its_committee():
    x = run("Chiều 13/10, Đại hội đã bầu Ban Chấp hành Đảng bộ tỉnh khóa XXII gồm 53 đồng chí.", "Quảng Nam", "2020-10-14",
            title="Ông Hồ Văn Một tái đắc cử Bí thư Tỉnh ủy")
    m, got = meeting(x)
    assert "Congress" in m.types and m.label.startswith("Đại hội \u201c")
    assert got("organizedBy") == ["Tỉnh ủy Quảng Nam"]


def test_issuer_and_date_written_before_the_document():
    x = run("LTS: Ngày 14-11-2016, Ban Chấp hành Đảng bộ tỉnh khóa XIII đã ban hành Nghị quyết số 10-NQ/TU về huy động "
            "nguồn lực.", "Ninh Thuận")
    doc = next(e for l, e in documents(x).items() if "10-NQ/TU" in l)
    labels = {e.key: e.label for e in x.entities}
    assert {(f.predicate, labels.get(f.object, getattr(f.object, "value", None))) for f in x.facts if f.subject == doc.key} >= \
        {("issued", "2016-11-14"), ("issuedBy", "Tỉnh ủy Ninh Thuận")}


def test_speaking_on_behalf_of_a_body_and_no_one_else():
    x = run("Sáng 6/4, dưới sự điều hành của Chủ tịch Quốc hội Lê Văn Hai, Quốc hội họp riêng nghe Phó Chủ tịch Quốc hội "
            "Trần Văn Ba thay mặt Ủy ban Thường vụ Quốc hội trình bày Báo cáo.", None, "2021-04-06")
    _, got = meeting(x)
    assert got("speaker") == ["Trần Văn Ba"]
    assert got("chair") == ["Lê Văn Hai"]


def test_working_session_with_a_provinces_leaders():
    x = run("Chiều 26/2, Thủ tướng Lý Văn Bốn làm việc với lãnh đạo tỉnh Hòa Bình về phát triển kinh tế.", None, "2023-02-27")
    m, got = meeting(x)
    assert "WorkingSession" in m.types and got("date") == ["2023-02-26"]


def test_a_list_ends_with_the_item_va_joins():
    x = run("Các đồng chí Ủy viên Bộ Chính trị: Thường trực Ban Bí thư Võ Văn Năm và Trưởng Ban Kinh tế Trung ương Trần Văn Sáu; "
            "đồng chí Phó Thủ tướng Chính phủ Lê Văn Bảy đồng chủ trì hội nghị.", None)
    held = posts(x)
    assert {("Võ Văn Năm", "Ủy viên", "Bộ Chính trị"), ("Trần Văn Sáu", "Ủy viên", "Bộ Chính trị"),
            ("Lê Văn Bảy", "Phó Thủ tướng", "Chính phủ")} <= held
    assert ("Lê Văn Bảy", "Ủy viên", "Bộ Chính trị") not in held


def test_two_words_after_a_title_without_a_family_name_are_a_place():
    x = run("Ban Thường vụ Tỉnh ủy điều động ông Trình Văn Sáu – Phó Bí thư Thường trực Thành ủy Tam Kỳ giữ chức Chánh "
            "Văn phòng Đoàn Đại biểu Quốc hội và HĐND tỉnh.", "Quảng Nam")
    assert "Tam Kỳ" not in people(x)
    assert "Trình Văn Sáu" in people(x)
