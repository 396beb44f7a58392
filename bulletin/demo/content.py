"""The demo's texts: branches, thirty handwritten posts and the pieces generated posts are made of.

Everything happens in a made-up commune, "xã Hòa Sơn" (a town until the reorganization of
1 July 2025 made it a commune of the two-level government: no town, no district). Texts may
use these placeholders, filled in from the date the event is given when seeded: {date}
(dd/mm/yyyy), {year}, {prev_year}, {next_year} and {town}. An event is anchored to a day of
the year (`on`) and placed on its most recent occurrence, so seasons and years in the texts
always agree with the dates.
"""

from dataclasses import dataclass

TOWN = "Hòa Sơn"

# (parent slug, slug, name, short name)
BRANCHES = (
    ("hoi-lhpn", "hoi-lhpn-tdp-2", "Chi hội Phụ nữ tổ dân phố 2", "Chi hội PN TDP 2"),
    ("hoi-lhpn", "hoi-lhpn-ban-gioi", "Chi hội Phụ nữ thôn Bản Giới", "Chi hội PN Bản Giới"),
    ("doan-tncs", "doan-tncs-tdp-3", "Chi đoàn tổ dân phố 3", "Chi đoàn TDP 3"),
    ("hoi-ccb", "hoi-ccb-tdp-1", "Chi hội Cựu chiến binh tổ dân phố 1", "Chi hội CCB TDP 1"),
    ("hoi-nong-dan", "hoi-nong-dan-dong-tam", "Chi hội Nông dân thôn Đồng Tâm",
     "Chi hội ND Đồng Tâm"),
)

# Who heads a document of each organization: (issuer, the line above the signature).
ISSUERS = {
    "mttq": ("Ủy ban MTTQ Việt Nam\nxã {town}", "TM. BAN THƯỜNG TRỰC"),
    "hoi-lhpn": ("Hội LHPN\nxã {town}", "TM. BAN CHẤP HÀNH"),
    "doan-tncs": ("Đoàn TNCS Hồ Chí Minh\nxã {town}", "TM. BAN CHẤP HÀNH"),
    "hoi-ccb": ("Hội Cựu chiến binh\nxã {town}", "TM. BAN CHẤP HÀNH"),
    "hoi-nong-dan": ("Hội Nông dân\nxã {town}", "TM. BAN CHẤP HÀNH"),
    "cong-doan": ("Công đoàn cơ sở\nxã {town}", "TM. BAN CHẤP HÀNH"),
}


@dataclass(frozen=True)
class Photo:
    """A drawn photo: the scene, its caption and the words on its banner."""

    scene: str
    caption: str
    banner: str = ""


@dataclass(frozen=True)
class Document:
    """An attachment: a PDF or Word file of paragraphs, or an Excel sheet of rows."""

    kind: str  # "pdf", "docx" or "xlsx"
    name: str
    title: str
    paragraphs: tuple = ()
    header: tuple = ()
    rows: tuple = ()


@dataclass(frozen=True)
class DemoPost:
    """One handwritten post; `on` is the (month, day) of the event it reports."""

    org: str
    category: str
    on: tuple[int, int]
    title: str
    summary: str
    body: str
    byline: str
    photos: tuple = ()
    documents: tuple = ()
    pinned: bool = False
    status: str = "published"
    time: tuple[int, int] = (16, 30)


MTTQ_CHAIR = "Hoàng Văn Thắng, Chủ tịch Ủy ban MTTQ xã {town}"
MTTQ_DEPUTY = "Nông Thị Hằng, Phó Chủ tịch Ủy ban MTTQ xã {town}"
CULTURE_OFFICER = "Lương Minh Đức, Công chức Văn hóa – Xã hội xã {town}"
LHPN_CHAIR = "Nguyễn Thu Hà, Chủ tịch Hội LHPN xã {town}"
LHPN_BRANCH = "Đàm Thị Lan, Chi hội trưởng Chi hội Phụ nữ tổ dân phố 2"
YOUTH_SECRETARY = "Lục Văn Tùng, Bí thư Đoàn xã {town}"
YOUTH_DEPUTY = "Triệu Thị Ngọc Ánh, Phó Bí thư Đoàn xã {town}"
CCB_CHAIR = "Bế Văn Hùng, Chủ tịch Hội CCB xã {town}"
CCB_BRANCH = "Mạc Văn Chiến, Chi hội trưởng Chi hội CCB tổ dân phố 1"
FARMERS_CHAIR = "Vi Văn Phúc, Chủ tịch Hội Nông dân xã {town}"
FARMERS_BRANCH = "La Thị Thoa, Chi hội trưởng Chi hội Nông dân thôn Đồng Tâm"
UNION_CHAIR = "Trần Thị Minh Nguyệt, Chủ tịch Công đoàn cơ sở xã {town}"

POSTS = (
    DemoPost(
        org="mttq", category="tin-hoat-dong", on=(1, 14), byline=MTTQ_CHAIR,
        title="MTTQ và các đoàn thể xã {town} tổng kết công tác năm {prev_year}",
        summary="Ngày {date}, Ủy ban MTTQ xã {town} cùng các tổ chức chính trị – xã hội "
                "tổng kết công tác năm {prev_year}, thống nhất những nhiệm vụ trọng tâm năm "
                "{year} và khen thưởng các tập thể, cá nhân tiêu biểu.",
        body="""
<p>Sáng ngày {date}, tại hội trường Ủy ban nhân dân xã, Ủy ban MTTQ xã {town}
phối hợp với các tổ chức chính trị – xã hội tổ chức hội nghị tổng kết công tác Mặt trận và các
đoàn thể năm {prev_year}. Dự hội nghị có đại diện Thường trực Đảng ủy, HĐND, UBND xã,
các vị Ủy viên Ủy ban MTTQ, trưởng ban công tác Mặt trận, bí thư chi bộ và tổ trưởng các tổ
dân phố, thôn.</p>
<p>Theo báo cáo, trong năm qua công tác tuyên truyền, vận động được thực hiện bằng nhiều cách
làm gần gũi, phù hợp với từng khu dân cư. Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn
mới, đô thị văn minh” tiếp tục nhận được sự hưởng ứng của bà con; Quỹ “Vì người nghèo” tiếp nhận
hơn 86 triệu đồng, đủ để hỗ trợ sửa chữa ba ngôi nhà cho hộ nghèo. Các cuộc giám sát được triển
khai đúng kế hoạch; ý kiến, kiến nghị của cử tri được tổng hợp và chuyển đến nơi giải quyết kịp
thời.</p>
<p>Mỗi tổ chức thành viên đều có dấu ấn riêng: <a href="/org/hoi-lhpn">Hội LHPN</a> duy trì
12 tổ phụ nữ tiết kiệm; <a href="/org/doan-tncs">Đoàn Thanh niên</a> ra quân 8 đợt tình nguyện
vì cộng đồng; <a href="/org/hoi-ccb">Hội Cựu chiến binh</a> tham gia giữ gìn an ninh trật tự ở
khu dân cư; <a href="/org/hoi-nong-dan">Hội Nông dân</a> phối hợp mở 4 lớp tập huấn kỹ thuật;
<a href="/org/cong-doan">Công đoàn cơ sở</a> quan tâm chăm lo đời sống đoàn viên, người lao
động.</p>
<h3>Nhiệm vụ trọng tâm năm {year}</h3>
<ul>
<li>Đổi mới cách tập hợp, đoàn kết các tầng lớp Nhân dân ngay tại khu dân cư;</li>
<li>Nâng cao chất lượng giám sát, phản biện xã hội, góp ý xây dựng Đảng và chính quyền;</li>
<li>Bảo đảm mọi hộ nghèo, hộ cận nghèo được thăm hỏi, tặng quà dịp Tết;</li>
<li>Mỗi tổ chức thành viên xây dựng ít nhất một mô hình mới, có hiệu quả.</li>
</ul>
<p>Dịp này, Ủy ban MTTQ xã trao giấy khen cho 9 tập thể và 15 cá nhân có thành tích
xuất sắc trong công tác Mặt trận và các đoàn thể năm {prev_year}.</p>
""",
        photos=(
            Photo("hall", "Quang cảnh hội nghị tổng kết",
                  "Hội nghị tổng kết công tác năm {prev_year}"),
            Photo("stage", "Chủ tịch Ủy ban MTTQ xã trình bày báo cáo tổng kết",
                  "Hội nghị tổng kết công tác năm {prev_year}"),
            Photo("award", "Trao giấy khen cho các tập thể, cá nhân tiêu biểu",
                  "Khen thưởng năm {prev_year}"),
        ),
        documents=(
            Document(
                "docx", "Báo cáo tổng kết công tác Mặt trận năm {prev_year}.docx",
                "Báo cáo tổng kết công tác Mặt trận và các đoàn thể năm {prev_year}",
                paragraphs=(
                    "I. Kết quả thực hiện nhiệm vụ năm {prev_year}",
                    "1. Công tác tuyên truyền, vận động: tổ chức 42 buổi sinh hoạt tại khu dân "
                    "cư, lồng ghép với họp tổ dân phố, thôn.",
                    "2. Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn "
                    "minh”: 96% hộ gia đình đạt danh hiệu gia đình văn hóa.",
                    "3. Quỹ “Vì người nghèo”: tiếp nhận 86.450.000 đồng; hỗ trợ sửa chữa 3 nhà "
                    "ở, thăm hỏi 57 hộ có hoàn cảnh khó khăn.",
                    "II. Phương hướng, nhiệm vụ năm {year}",
                    "Tiếp tục đổi mới nội dung, phương thức hoạt động; nâng cao chất lượng giám "
                    "sát, phản biện xã hội; chăm lo hộ nghèo, gia đình chính sách.",
                ),
            ),
        ),
    ),
    DemoPost(
        org="mttq", category="tin-hoat-dong", on=(11, 15), byline=CULTURE_OFFICER, pinned=True,
        title="Rộn ràng Ngày hội Đại đoàn kết toàn dân tộc ở thôn Bản Giới",
        summary="Hòa chung không khí cả nước, thôn Bản Giới tổ chức Ngày hội Đại đoàn kết toàn "
                "dân tộc năm {year} với phần lễ trang trọng và phần hội đầm ấm, vui tươi.",
        body="""
<p>Ngày {date}, tại nhà văn hóa thôn Bản Giới, Ban công tác Mặt trận thôn tổ chức Ngày hội Đại
đoàn kết toàn dân tộc năm {year}. Đến chung vui với bà con có lãnh đạo Đảng ủy, Ủy ban MTTQ thị
trấn cùng đông đảo người dân trong thôn, từ các cụ cao tuổi đến các cháu thiếu nhi.</p>
<p>Ở phần lễ, đại diện Ban công tác Mặt trận ôn lại truyền thống vẻ vang của Mặt trận Tổ quốc
Việt Nam và điểm lại những việc thôn đã làm được trong năm: bê tông hóa thêm 350 mét đường nội
thôn, 100% hộ gia đình ký cam kết giữ gìn vệ sinh môi trường, không có khiếu kiện kéo dài. Nhiều
hộ đã tự nguyện hiến đất, góp ngày công để con đường về thôn thêm rộng, thêm sáng.</p>
<blockquote>“Ngày hội là dịp để bà con ngồi lại với nhau, cùng nhìn lại một năm và bàn việc cho
năm tới. Đoàn kết thì việc khó mấy cũng làm được.” – ông Hoàng Văn Thắng, Chủ tịch Ủy ban MTTQ
xã, chia sẻ.</blockquote>
<p>Phần hội diễn ra sôi nổi với các tiết mục văn nghệ của chi hội phụ nữ
(<a href="/org/hoi-lhpn">Hội LHPN xã</a>), thi kéo co giữa các xóm, gói bánh chưng và trò
chơi dân gian do <a href="/org/doan-tncs">Đoàn Thanh niên</a> tổ chức. Các cựu chiến binh của
<a href="/org/hoi-ccb">Hội CCB</a> cùng Ban công tác Mặt trận trao 15 suất quà cho các hộ có
hoàn cảnh khó khăn trong thôn.</p>
""",
        photos=(
            Photo("festival", "Bà con thôn Bản Giới dự Ngày hội",
                  "Ngày hội Đại đoàn kết toàn dân tộc"),
            Photo("gifts", "Trao quà cho các hộ có hoàn cảnh khó khăn",
                  "Ngày hội Đại đoàn kết toàn dân tộc năm {year}"),
            Photo("sports", "Thi kéo co giữa các xóm trong thôn", "Ngày hội Đại đoàn kết"),
            Photo("award", "Khen thưởng các hộ gia đình tiêu biểu", "Vinh danh gia đình tiêu biểu"),
        ),
    ),
    DemoPost(
        org="mttq", category="thong-bao", on=(6, 2), byline=MTTQ_DEPUTY, pinned=True,
        time=(8, 0),
        title="Lịch tiếp công dân, tiếp nhận ý kiến, kiến nghị của Nhân dân",
        summary="Thường trực Ủy ban MTTQ xã {town} thông báo lịch tiếp công dân định kỳ "
                "và các cách gửi ý kiến, kiến nghị đến Mặt trận.",
        body="""
<p>Để lắng nghe kịp thời tâm tư, nguyện vọng của Nhân dân, Thường trực Ủy ban MTTQ xã
{town} thông báo lịch tiếp công dân như sau:</p>
<table>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Địa điểm</th>
<th scope="col">Người tiếp</th></tr></thead>
<tbody>
<tr><td>Sáng thứ Ba hằng tuần, từ 7 giờ 30</td>
<td>Phòng làm việc của Ủy ban MTTQ, trụ sở UBND xã</td>
<td>Chủ tịch hoặc Phó Chủ tịch Ủy ban MTTQ</td></tr>
<tr><td>Ngày 15 hằng tháng</td><td>Phòng tiếp công dân của xã</td>
<td>Thường trực Ủy ban MTTQ cùng Thường trực HĐND</td></tr>
</tbody>
</table>
<p>Ngoài lịch trên, bà con có thể gửi ý kiến qua hòm thư góp ý đặt tại nhà văn hóa các tổ dân
phố, thôn, hoặc phản ánh trực tiếp với trưởng ban công tác Mặt trận nơi cư trú. Mọi ý kiến đều
được ghi nhận, tổng hợp và chuyển đến cơ quan có thẩm quyền; kết quả giải quyết được thông báo
lại cho người gửi.</p>
<p>Khi đến làm việc, đề nghị công dân mang theo giấy tờ tùy thân và các tài liệu liên quan (nếu
có).</p>
""",
    ),
    DemoPost(
        org="mttq", category="bao-cao-ke-hoach", on=(10, 20), byline=MTTQ_DEPUTY,
        title="Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year}",
        summary="Ban Thường trực Ủy ban MTTQ xã ban hành kế hoạch tổ chức Ngày hội Đại "
                "đoàn kết toàn dân tộc ở 100% khu dân cư, hướng tới kỷ niệm ngày truyền thống "
                "Mặt trận 18/11.",
        body="""
<p>Thực hiện hướng dẫn của Ủy ban MTTQ tỉnh, Ban Thường trực Ủy ban MTTQ xã {town} ban
hành kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year} tại tất cả các tổ dân phố,
thôn. Ngày hội cần được tổ chức thiết thực, tiết kiệm, tạo không khí phấn khởi, gắn kết trong
cộng đồng.</p>
<h3>Thời gian và nội dung chính</h3>
<ul>
<li>Từ nay đến ngày 10/11: các khu dân cư xây dựng kịch bản, đăng ký lịch tổ chức với Ban
Thường trực;</li>
<li>Từ ngày 10/11 đến ngày 18/11: tổ chức ngày hội, gồm phần lễ và phần hội;</li>
<li>Trước ngày 25/11: các ban công tác Mặt trận gửi báo cáo kết quả.</li>
</ul>
<p>Các tổ chức thành viên phân công cán bộ dự ngày hội ở từng khu dân cư; ưu tiên dành kinh
phí cho các suất quà tặng hộ nghèo, gia đình chính sách. Chi tiết xem kế hoạch đính kèm.</p>
""",
        documents=(
            Document(
                "pdf", "Kế hoạch tổ chức Ngày hội Đại đoàn kết năm {year}.pdf",
                "Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year}",
                paragraphs=(
                    "I. MỤC ĐÍCH, YÊU CẦU",
                    "Phát huy truyền thống đại đoàn kết, tăng cường sự gắn bó giữa cấp ủy, chính "
                    "quyền, Mặt trận với Nhân dân; tổ chức ngày hội thiết thực, tiết kiệm.",
                    "II. THỜI GIAN, ĐỊA ĐIỂM",
                    "Từ ngày 10/11 đến ngày 18/11/{year}, tại nhà văn hóa các tổ dân phố, thôn.",
                    "III. NỘI DUNG",
                    "1. Phần lễ: ôn lại truyền thống Mặt trận; báo cáo kết quả cuộc vận động "
                    "“Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”; khen thưởng "
                    "hộ gia đình tiêu biểu.",
                    "2. Phần hội: văn nghệ, thể thao, trò chơi dân gian, bữa cơm đoàn kết.",
                    "IV. TỔ CHỨC THỰC HIỆN",
                    "Ban công tác Mặt trận các khu dân cư chủ trì; các tổ chức thành viên phối "
                    "hợp; báo cáo kết quả trước ngày 25/11/{year}.",
                ),
            ),
        ),
    ),
    DemoPost(
        org="mttq", category="tin-hoat-dong", on=(1, 20), byline=MTTQ_DEPUTY,
        title="Trao quà Tết cho hộ nghèo, hộ cận nghèo và gia đình chính sách",
        summary="Từ nguồn Quỹ “Vì người nghèo” và sự ủng hộ của các tổ chức, cá nhân, Ủy ban MTTQ "
                "xã trao 120 suất quà Tết, để mọi nhà đều có Tết.",
        body="""
<p>Ngày {date}, Ủy ban MTTQ xã {town} phối hợp với các tổ chức thành viên trao 120 suất
quà Tết cho hộ nghèo, hộ cận nghèo, gia đình chính sách và người cao tuổi neo đơn trên địa bàn.
Mỗi suất quà gồm tiền mặt, gạo, dầu ăn, bánh kẹo, trị giá 600.000 đồng.</p>
<p>Nguồn kinh phí được trích từ Quỹ “Vì người nghèo” của xã cùng sự đóng góp của các
doanh nghiệp, hộ kinh doanh và con em quê hương làm ăn xa. Nhiều đơn vị đã chủ động đăng ký hỗ
trợ từ đầu tháng Chạp để Ban vận động kịp chuẩn bị.</p>
<p>Các thành viên <a href="/org/hoi-ccb">Hội Cựu chiến binh</a> và
<a href="/org/hoi-lhpn">Hội Phụ nữ</a> đã trực tiếp mang quà đến tận nhà những cụ già yếu,
không đi lại được. <a href="/org/cong-doan">Công đoàn cơ sở</a> vận động đoàn viên góp một
ngày lương, trao thêm 20 suất quà cho các cháu học sinh có hoàn cảnh đặc biệt khó khăn.</p>
<p>Danh sách các hộ nhận quà được niêm yết công khai tại nhà văn hóa các khu dân cư và đính kèm
bài viết này.</p>
""",
        photos=(
            Photo("gifts", "Các hộ nghèo nhận quà Tết tại hội trường xã",
                  "Trao quà Tết vì người nghèo"),
            Photo("gifts", "Những suất quà được chuẩn bị chu đáo", "Tết vì người nghèo {year}"),
            Photo("hall", "Đại biểu dự buổi trao quà", "Tết vì người nghèo {year}"),
        ),
        documents=(
            Document(
                "xlsx", "Danh sách hộ nhận quà Tết {year}.xlsx",
                "Danh sách hộ nhận quà Tết {year} – xã {town}",
                header=("STT", "Họ và tên", "Địa chỉ", "Diện", "Giá trị (đồng)"),
                rows=(
                    (1, "Hoàng Thị Nhung", "Tổ dân phố 1", "Hộ nghèo", 600000),
                    (2, "Nông Văn Sáng", "Tổ dân phố 2", "Hộ cận nghèo", 600000),
                    (3, "Lý Thị Bích", "Thôn Bản Giới", "Người cao tuổi neo đơn", 600000),
                    (4, "Đinh Văn Hải", "Tổ dân phố 4", "Gia đình chính sách", 600000),
                    (5, "Mã Thị Huệ", "Thôn Đồng Tâm", "Hộ nghèo", 600000),
                    (6, "Hà Văn Cường", "Tổ dân phố 5", "Hộ cận nghèo", 600000),
                    (7, "Chu Thị Lành", "Thôn Bản Giới", "Hộ nghèo", 600000),
                    (8, "Phùng Văn Bảo", "Tổ dân phố 6", "Gia đình chính sách", 600000),
                ),
            ),
        ),
    ),
    DemoPost(
        org="mttq", category="tin-hoat-dong", on=(8, 22), byline=MTTQ_DEPUTY,
        title="Giám sát việc thực hiện dân chủ ở cơ sở tại tổ dân phố 3",
        summary="Đoàn giám sát của Ủy ban MTTQ xã làm việc với tổ dân phố 3 về việc công "
                "khai, bàn bạc và quyết định các khoản đóng góp của Nhân dân.",
        body="""
<p>Ngày {date}, đoàn giám sát của Ủy ban MTTQ xã {town} do đồng chí Phó Chủ tịch làm
trưởng đoàn đã làm việc với tổ dân phố 3 về việc thực hiện dân chủ ở cơ sở trong năm {year}.</p>
<p>Qua kiểm tra sổ sách và trao đổi với người dân, đoàn ghi nhận tổ dân phố đã công khai đầy đủ
các khoản thu, chi; các công trình do Nhân dân đóng góp đều được bàn bạc tại cuộc họp toàn tổ và
có biên bản. Hòm thư góp ý được mở định kỳ, các ý kiến được trả lời tại cuộc họp tổ gần nhất.</p>
<p>Đoàn đề nghị tổ dân phố niêm yết kết quả quyết toán công trình đường ngõ trước ngày 30 tháng
này và tiếp tục phát huy vai trò của Ban thanh tra nhân dân trong giám sát các khoản đóng góp tự
nguyện.</p>
""",
        photos=(
            Photo("hall", "Đoàn giám sát làm việc với tổ dân phố 3", "Giám sát dân chủ ở cơ sở"),
            Photo("stage", "Đại diện tổ dân phố báo cáo kết quả thực hiện",
                  "Giám sát dân chủ ở cơ sở năm {year}"),
        ),
    ),
    DemoPost(
        org="hoi-lhpn", category="tin-hoat-dong", on=(10, 20), byline=LHPN_CHAIR,
        title="Tọa đàm kỷ niệm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam 20/10",
        summary="Hội LHPN xã {town} tổ chức tọa đàm “Phụ nữ tự tin, tự lập” nhân kỷ niệm "
                "Ngày thành lập Hội LHPN Việt Nam, tôn vinh những hội viên tiêu biểu.",
        body="""
<p>Chiều ngày {date}, Hội LHPN xã {town} tổ chức buổi tọa đàm kỷ niệm Ngày thành lập Hội
Liên hiệp Phụ nữ Việt Nam 20/10 với chủ đề “Phụ nữ tự tin, tự lập”. Tham dự có gần 100 hội
viên đến từ các chi hội và nữ đoàn viên <a href="/org/cong-doan">Công đoàn cơ sở</a> thị
trấn.</p>
<p>Tại buổi tọa đàm, các chị đã chia sẻ kinh nghiệm giữ gìn hạnh phúc gia đình, nuôi dạy con
tốt, phát triển kinh tế hộ. Chị Đàm Thị Lan, Chi hội trưởng Chi hội Phụ nữ tổ dân phố 2, kể lại
hành trình xây dựng tổ tiết kiệm từ 12 thành viên ban đầu nay đã lên tới 35 chị em, giúp nhiều
gia đình có vốn mua giống, sửa nhà.</p>
<p>Nhân dịp này, Hội LHPN xã tặng giấy khen cho 6 chi hội và 12 hội viên có thành tích
xuất sắc trong phong trào thi đua “Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình
hạnh phúc”.</p>
""",
        photos=(
            Photo("hall", "Hội viên phụ nữ dự buổi tọa đàm", "Kỷ niệm ngày Phụ nữ Việt Nam 20/10"),
            Photo("award", "Khen thưởng các chi hội, hội viên tiêu biểu",
                  "Phụ nữ tự tin, tự lập"),
        ),
    ),
    DemoPost(
        org="hoi-lhpn-tdp-2", category="phong-trao-thi-dua", on=(3, 12), byline=LHPN_BRANCH,
        title="Ra mắt tổ phụ nữ tiết kiệm tổ dân phố 2",
        summary="Tổ tiết kiệm với 35 thành viên, mỗi tháng góp 200.000 đồng, giúp chị em có vốn "
                "làm ăn mà không phải vay nặng lãi.",
        body="""
<p>Tối ngày {date}, Chi hội Phụ nữ tổ dân phố 2 (<a href="/org/hoi-lhpn">Hội LHPN xã
{town}</a>) ra mắt tổ phụ nữ tiết kiệm với 35 thành viên tham gia. Mỗi tháng, mỗi chị góp
200.000 đồng; số tiền được xoay vòng cho các thành viên có nhu cầu vay, ưu tiên chị em khó
khăn, với lãi suất thấp do cả tổ thống nhất.</p>
<p>Tổ đã bầu ban điều hành gồm tổ trưởng, thủ quỹ và thư ký; mọi khoản góp, khoản vay được ghi
vào sổ và công khai tại buổi sinh hoạt hằng tháng. Chị Đàm Thị Lan cho biết: “Số tiền không lớn
nhưng đến đúng lúc, chị em mua thêm con giống, trả học phí cho con mà không phải đi vay bên
ngoài.”</p>
<p>Ngay trong buổi ra mắt, hai hội viên đã được tổ xét cho vay đợt đầu để mua lợn giống. Chi
hội đặt mục tiêu đến cuối năm tổ có 45 thành viên.</p>
""",
        photos=(
            Photo("hall", "Buổi ra mắt tổ phụ nữ tiết kiệm", "Ra mắt tổ phụ nữ tiết kiệm"),
            Photo("award", "Ban điều hành tổ tiết kiệm nhận nhiệm vụ", "Tổ tiết kiệm TDP 2"),
        ),
        documents=(
            Document(
                "xlsx", "Sổ theo dõi góp vốn tổ tiết kiệm tổ dân phố 2.xlsx",
                "Sổ theo dõi góp vốn – Tổ phụ nữ tiết kiệm tổ dân phố 2",
                header=("STT", "Họ và tên", "Góp tháng 1", "Góp tháng 2", "Góp tháng 3",
                        "Ghi chú"),
                rows=(
                    (1, "Đàm Thị Lan", 200000, 200000, 200000, "Tổ trưởng"),
                    (2, "Nông Thị Thu", 200000, 200000, 200000, "Thủ quỹ"),
                    (3, "Lương Thị Hoa", 200000, 200000, 200000, ""),
                    (4, "Hoàng Thị Yến", 200000, 200000, 0, "Xin lùi 1 tháng"),
                    (5, "Triệu Thị Mến", 200000, 200000, 200000, "Vay đợt 1"),
                    (6, "Lục Thị Duyên", 200000, 200000, 200000, "Vay đợt 1"),
                ),
            ),
        ),
    ),
    DemoPost(
        org="hoi-lhpn", category="tin-hoat-dong", on=(3, 8), byline=LHPN_CHAIR,
        title="Hội thi “Bữa cơm gia đình hạnh phúc” chào mừng Ngày Quốc tế Phụ nữ 8/3",
        summary="Tám đội thi đến từ các chi hội trổ tài nấu những món ăn quê hương, kết hợp thi "
                "ứng xử về giữ gìn hạnh phúc gia đình.",
        body="""
<p>Chào mừng Ngày Quốc tế Phụ nữ 8/3, ngày {date}, Hội LHPN xã {town} tổ chức hội thi
“Bữa cơm gia đình hạnh phúc” với sự tham gia của 8 đội đến từ các chi hội và một đội của nữ
công nhân viên chức <a href="/org/cong-doan">Công đoàn cơ sở</a>.</p>
<p>Trong 90 phút, mỗi đội chế biến một mâm cơm gia đình từ nguyên liệu địa phương, trình bày ý
nghĩa của từng món và trả lời các câu hỏi ứng xử về chia sẻ việc nhà, nuôi dạy con cái. Những
mâm cơm với canh rau ngót, cá suối nướng, xôi ngũ sắc… được ban giám khảo đánh giá cao cả về
hương vị lẫn cách bày biện.</p>
<p>Các đoàn viên <a href="/org/doan-tncs">Đoàn Thanh niên</a> xã làm tình nguyện viên
phục vụ hội thi và cổ vũ nhiệt tình. Kết quả, Chi hội Phụ nữ thôn Bản Giới đoạt giải Nhất; giải
Nhì thuộc về Chi hội tổ dân phố 2; đội Công đoàn cơ sở giành giải Ba.</p>
""",
        photos=(
            Photo("hall", "Các đội thi trình bày mâm cơm gia đình",
                  "Hội thi bữa cơm gia đình hạnh phúc"),
            Photo("festival", "Đông đảo hội viên đến cổ vũ",
                  "Chào mừng Ngày Quốc tế Phụ nữ 8/3"),
            Photo("award", "Trao giải cho các đội đạt thành tích cao",
                  "Bữa cơm gia đình hạnh phúc"),
        ),
    ),
    DemoPost(
        org="hoi-lhpn", category="guong-dien-hinh", on=(7, 5), byline=LHPN_CHAIR,
        title="Chị Lý Thị Mai – hội viên phụ nữ vượt khó làm kinh tế giỏi",
        summary="Từ hai bàn tay trắng, chị Mai ở thôn Bản Giới đã xây dựng vườn rau, ao cá mang "
                "lại thu nhập hơn 150 triệu đồng mỗi năm.",
        body="""
<p>Gần mười năm trước, gia đình chị Lý Thị Mai ở thôn Bản Giới còn thuộc diện hộ nghèo. Được
Chi hội Phụ nữ thôn giới thiệu vay 30 triệu đồng vốn ưu đãi, chị mạnh dạn cải tạo mảnh vườn
tạp, đào ao thả cá và trồng rau theo hướng an toàn.</p>
<p>Những năm đầu không ít lần thất bát vì thời tiết, chị kiên trì tham gia các lớp tập huấn
kỹ thuật, học hỏi kinh nghiệm từ những hộ làm giỏi trong thôn. Đến nay, vườn rau 3 sào và ao cá
của gia đình chị cho thu nhập trên 150 triệu đồng mỗi năm; chị còn bao tiêu rau cho 6 hộ hội viên
khác.</p>
<p>Không chỉ giỏi việc nhà, chị Mai còn là tổ phó tổ phụ nữ tiết kiệm, thường xuyên hướng dẫn
chị em cách làm đất, chọn giống. Chị được Hội LHPN xã đề nghị khen thưởng trong phong trào
“Phụ nữ giúp nhau phát triển kinh tế”.</p>
""",
        photos=(
            Photo("garden", "Vườn rau của gia đình chị Lý Thị Mai", "Vườn rau an toàn"),
            Photo("field", "Chị Mai cùng hội viên chăm sóc rau"),
        ),
    ),
    DemoPost(
        org="doan-tncs", category="tin-hoat-dong", on=(6, 7), byline=YOUTH_SECRETARY,
        title="Ra quân Chiến dịch Thanh niên tình nguyện hè {year}",
        summary="Hơn 120 đoàn viên, thanh niên ra quân làm đường, dọn vệ sinh và mở lớp dạy bơi "
                "miễn phí cho thiếu nhi trong dịp hè.",
        body="""
<p>Sáng ngày {date}, Đoàn Thanh niên xã {town} tổ chức lễ ra quân Chiến dịch Thanh niên
tình nguyện hè {year}. Hơn 120 đoàn viên, thanh niên của các chi đoàn trong màu áo xanh tình
nguyện đã cùng nhau tham gia buổi lễ.</p>
<p>Ngay sau lễ ra quân, các đội hình tỏa về các khu dân cư: phát quang, dọn vệ sinh gần 2 km
đường liên thôn, sửa sang khuôn viên nhà văn hóa, trồng hoa dọc tuyến đường vào trung tâm thị
trấn. Đội hình “Thanh niên tình nguyện vì trẻ em” mở lớp dạy bơi miễn phí cho 40 cháu thiếu
nhi.</p>
<h3>Các công trình thanh niên hè {year}</h3>
<ul>
<li>Tuyến đường hoa thanh niên dài 500 mét tại tổ dân phố 3;</li>
<li>Sân chơi cho thiếu nhi thôn Đồng Tâm;</li>
<li>Thắp sáng đường quê với 30 bóng đèn tiết kiệm điện.</li>
</ul>
<p>Chiến dịch kéo dài đến hết tháng 8, với mục tiêu mỗi chi đoàn có ít nhất một phần việc cụ
thể, thiết thực cho khu dân cư.</p>
""",
        photos=(
            Photo("volunteers", "Đoàn viên thanh niên dự lễ ra quân",
                  "Chiến dịch thanh niên tình nguyện hè {year}"),
            Photo("volunteers", "Các đội hình tình nguyện dọn vệ sinh đường liên thôn",
                  "Tuổi trẻ {town} tình nguyện vì cộng đồng"),
            Photo("trees", "Trồng hoa dọc tuyến đường vào trung tâm xã",
                  "Tuyến đường hoa thanh niên"),
        ),
    ),
    DemoPost(
        org="doan-tncs", category="tin-hoat-dong", on=(2, 12), byline=YOUTH_DEPUTY,
        title="Tết trồng cây “Đời đời nhớ ơn Bác Hồ” Xuân {year}",
        summary="Đoàn Thanh niên cùng cựu chiến binh và hội viên nông dân trồng 600 cây keo và "
                "cây bóng mát trên đồi thôn Đồng Tâm.",
        body="""
<p>Hưởng ứng Tết trồng cây “Đời đời nhớ ơn Bác Hồ” Xuân {year}, sáng ngày {date}, Đoàn Thanh
niên xã {town} phối hợp với <a href="/org/hoi-ccb">Hội Cựu chiến binh</a> và
<a href="/org/hoi-nong-dan">Hội Nông dân</a> xã tổ chức lễ phát động và ra quân trồng
cây tại đồi thôn Đồng Tâm.</p>
<p>Trong không khí đầu xuân phấn khởi, hơn 150 người gồm đoàn viên, cựu chiến binh và bà con
nông dân đã trồng 600 cây keo và 50 cây bóng mát. Các cựu chiến binh hướng dẫn đoàn viên cách
đào hố, bón lót, giữ ẩm để cây non bén rễ nhanh.</p>
<p>Đoàn Thanh niên phân công các chi đoàn nhận chăm sóc từng lô cây trong mùa khô đầu tiên, bảo
đảm tỷ lệ cây sống đạt trên 90%.</p>
""",
        photos=(
            Photo("trees", "Đoàn viên và cựu chiến binh trồng cây trên đồi Đồng Tâm",
                  "Tết trồng cây đời đời nhớ ơn Bác Hồ"),
            Photo("trees", "Những hàng keo non vừa được trồng"),
            Photo("festival", "Lễ phát động Tết trồng cây Xuân {year}",
                  "Tết trồng cây Xuân {year}"),
        ),
    ),
    DemoPost(
        org="doan-tncs", category="phong-trao-thi-dua", on=(3, 26), byline=YOUTH_SECRETARY,
        title="Giải bóng đá thanh niên chào mừng Ngày thành lập Đoàn 26/3",
        summary="Tám đội bóng của các chi đoàn tranh tài trong ba ngày; đội Chi đoàn tổ dân phố 3 "
                "giành chức vô địch.",
        body="""
<p>Chào mừng kỷ niệm Ngày thành lập Đoàn TNCS Hồ Chí Minh 26/3, Đoàn Thanh niên xã {town}
tổ chức giải bóng đá thanh niên năm {year}. Tám đội bóng đại diện cho các chi đoàn đã tranh tài
sôi nổi tại sân vận động xã.</p>
<p>Các trận đấu diễn ra trung thực, cao thượng, thu hút đông đảo bà con đến cổ vũ. Trận chung
kết ngày {date} giữa <a href="/org/doan-tncs-tdp-3">Chi đoàn tổ dân phố 3</a> và Chi đoàn thôn
Bản Giới kết thúc với tỷ số 3–2, Chi đoàn tổ dân phố 3 lên ngôi vô địch.</p>
<p>Ban tổ chức trao cờ, giải thưởng cho các đội nhất, nhì, ba và giải phong cách. Giải đấu là
dịp để đoàn viên rèn luyện sức khỏe, giao lưu và gắn bó hơn với tổ chức Đoàn.</p>
""",
        photos=(
            Photo("sports", "Trận chung kết giải bóng đá thanh niên",
                  "Giải bóng đá thanh niên mừng Đoàn 26/3"),
            Photo("sports", "Pha tranh bóng trước khung thành", "Tuổi trẻ {town}"),
            Photo("award", "Trao cờ vô địch cho Chi đoàn tổ dân phố 3", "Giải bóng đá thanh niên"),
        ),
    ),
    DemoPost(
        org="doan-tncs", category="guong-dien-hinh", on=(5, 14), byline=YOUTH_DEPUTY,
        title="Anh Hà Văn Quyết – thanh niên khởi nghiệp với mô hình trồng nấm sò",
        summary="Tận dụng rơm rạ sau mùa gặt, chàng trai 27 tuổi xây dựng trại nấm cho thu nhập "
                "ổn định và tạo việc làm cho 5 lao động trẻ.",
        body="""
<p>Tốt nghiệp cao đẳng, anh Hà Văn Quyết ở tổ dân phố 5 quyết định trở về quê khởi nghiệp. Thấy
rơm rạ sau mỗi mùa gặt thường bị đốt bỏ, anh tìm hiểu và học cách trồng nấm sò trên nền rơm.</p>
<p>Với 50 triệu đồng vay từ nguồn vốn do Đoàn Thanh niên quản lý, anh dựng lán trại 200 mét
vuông. Sau hai năm, mỗi tháng trại nấm cho 1,2 tấn nấm tươi, thu nhập ổn định và tạo việc làm
cho 5 thanh niên trong thôn.</p>
<p>Anh Quyết thường xuyên chia sẻ kinh nghiệm tại các buổi sinh hoạt chi đoàn và hỗ trợ giống
cho bạn trẻ muốn làm theo. Anh được Đoàn Thanh niên xã tuyên dương là “Thanh niên sản
xuất, kinh doanh giỏi” năm {year}.</p>
""",
        photos=(
            Photo("garden", "Trại nấm của anh Hà Văn Quyết", "Thanh niên khởi nghiệp"),
            Photo("field", "Rơm sau mùa gặt được tận dụng làm giá thể trồng nấm"),
        ),
    ),
    DemoPost(
        org="hoi-ccb", category="tin-hoat-dong", on=(12, 5), byline=CCB_CHAIR,
        title="Gặp mặt kỷ niệm Ngày truyền thống Hội Cựu chiến binh Việt Nam 6/12",
        summary="Hội CCB xã {town} gặp mặt 85 hội viên, ôn lại truyền thống và tặng quà "
                "các cựu chiến binh có hoàn cảnh khó khăn.",
        body="""
<p>Ngày {date}, Hội Cựu chiến binh xã {town} tổ chức gặp mặt kỷ niệm Ngày truyền thống
Hội Cựu chiến binh Việt Nam (6/12) và Ngày thành lập Quân đội nhân dân Việt Nam (22/12). Về dự
có lãnh đạo Đảng ủy, Ủy ban MTTQ xã (<a href="/org/mttq">MTTQ</a>) và 85 hội viên.</p>
<p>Các đại biểu cùng ôn lại chặng đường xây dựng và trưởng thành của Hội; khẳng định các thế
hệ cựu chiến binh xã luôn giữ vững phẩm chất “Bộ đội Cụ Hồ”, gương mẫu ở khu dân cư, tích
cực tham gia hòa giải mâu thuẫn, giữ gìn an ninh trật tự.</p>
<p>Dịp này, Hội tặng 10 suất quà cho các hội viên ốm đau, có hoàn cảnh khó khăn và biểu dương
5 chi hội vững mạnh tiêu biểu.</p>
""",
        photos=(
            Photo("hall", "Quang cảnh buổi gặp mặt",
                  "Kỷ niệm Ngày truyền thống Hội Cựu chiến binh Việt Nam"),
            Photo("award", "Biểu dương các chi hội vững mạnh tiêu biểu",
                  "Ngày truyền thống Hội CCB 6/12"),
        ),
    ),
    DemoPost(
        org="hoi-ccb", category="tin-hoat-dong", on=(7, 26), byline=CCB_CHAIR, time=(21, 0),
        title="Cựu chiến binh và đoàn viên thắp nến tri ân các anh hùng liệt sĩ",
        summary="Nhân Ngày Thương binh – Liệt sĩ 27/7, cựu chiến binh và đoàn viên thanh niên dâng "
                "hương, thắp nến tại đài tưởng niệm xã.",
        body="""
<p>Tối ngày {date}, nhân kỷ niệm Ngày Thương binh – Liệt sĩ 27/7, Hội Cựu chiến binh xã
phối hợp với <a href="/org/doan-tncs">Đoàn Thanh niên</a> tổ chức lễ dâng hương, thắp nến tri ân
tại đài tưởng niệm các anh hùng liệt sĩ của xã {town}.</p>
<p>Trong không khí trang nghiêm, các cựu chiến binh kể cho đoàn viên nghe về những đồng đội đã
ngã xuống, về những năm tháng gian khổ mà hào hùng. Hàng trăm ngọn nến được thắp sáng trước đài
tưởng niệm như lời tri ân của thế hệ hôm nay.</p>
<p>Trước đó, các chi đoàn đã quét dọn, chăm sóc khuôn viên đài tưởng niệm và thăm hỏi, tặng quà
các gia đình thương binh, liệt sĩ trên địa bàn.</p>
""",
        photos=(
            Photo("memorial", "Thắp nến tri ân tại đài tưởng niệm", "Tổ quốc ghi công"),
            Photo("memorial", "Cựu chiến binh và đoàn viên dâng hương tưởng niệm",
                  "Tổ quốc ghi công"),
        ),
    ),
    DemoPost(
        org="hoi-ccb", category="guong-dien-hinh", on=(4, 16), byline=CCB_CHAIR,
        title="Cựu chiến binh Nông Văn Lực với mô hình vườn cây ăn quả kết hợp chăn nuôi",
        summary="Ở tuổi 62, ông Lực vẫn cần mẫn với 2 ha vườn đồi trồng cam, bưởi kết hợp nuôi "
                "gà thả vườn, thu lãi hơn 200 triệu đồng mỗi năm.",
        body="""
<p>Rời quân ngũ năm 1990, ông Nông Văn Lực (tổ dân phố 1) trở về với mảnh đồi cằn sau nhà. Với
tinh thần “đã làm là làm đến nơi đến chốn”, ông cải tạo đất, trồng cam, bưởi, xen canh cây ngắn
ngày và nuôi gà thả vườn dưới tán cây.</p>
<p>Đến nay, vườn đồi rộng 2 ha của gia đình ông cho thu lãi hơn 200 triệu đồng mỗi năm. Ông
thường xuyên giúp đỡ hội viên cây giống, hướng dẫn cách ghép cành, phòng trừ sâu bệnh; nhiều hộ
trong tổ dân phố đã học theo và thoát nghèo.</p>
<p>Ông Lực là một trong những hội viên tiêu biểu của
<a href="/org/hoi-ccb-tdp-1">Chi hội Cựu chiến binh tổ dân phố 1</a>, nhiều năm liền đạt danh
hiệu “Cựu chiến binh gương mẫu”.</p>
""",
        photos=(
            Photo("garden", "Vườn cây ăn quả của cựu chiến binh Nông Văn Lực",
                  "Cựu chiến binh làm kinh tế giỏi"),
            Photo("field", "Ông Lực hướng dẫn hội viên chăm sóc vườn"),
            Photo("garden", "Gà thả vườn dưới tán cây"),
        ),
    ),
    DemoPost(
        org="hoi-ccb", category="bao-cao-ke-hoach", on=(7, 8), byline=CCB_CHAIR,
        title="Hội Cựu chiến binh xã sơ kết công tác 6 tháng đầu năm {year}",
        summary="Hội CCB xã đánh giá kết quả sáu tháng đầu năm và triển khai nhiệm vụ sáu "
                "tháng cuối năm {year}.",
        body="""
<p>Ngày {date}, Hội Cựu chiến binh xã {town} tổ chức hội nghị sơ kết công tác 6 tháng đầu
năm {year}. Sáu tháng qua, Hội kết nạp thêm 4 hội viên, nâng tổng số lên 186 hội viên sinh hoạt
tại 7 chi hội.</p>
<p>Phong trào “Cựu chiến binh gương mẫu” tiếp tục được duy trì; các chi hội tham gia hòa giải
thành 3 vụ việc ở khu dân cư, phối hợp với công an xã tuần tra bảo đảm an ninh trật tự
dịp lễ, Tết. Hội vận động hội viên góp 18 triệu đồng xây dựng quỹ hỗ trợ đồng đội khó khăn.</p>
<p>Sáu tháng cuối năm, Hội tập trung nâng cao chất lượng sinh hoạt chi hội, phối hợp với Đoàn
Thanh niên giáo dục truyền thống cho thế hệ trẻ. Báo cáo sơ kết đầy đủ được đính kèm dưới
đây.</p>
""",
        photos=(
            Photo("hall", "Hội nghị sơ kết công tác Hội 6 tháng đầu năm",
                  "Sơ kết công tác Hội 6 tháng đầu năm {year}"),
            Photo("stage", "Chủ tịch Hội CCB xã trình bày báo cáo",
                  "Sơ kết công tác Hội 6 tháng đầu năm {year}"),
        ),
        documents=(
            Document(
                "docx", "Báo cáo sơ kết 6 tháng đầu năm {year} – Hội CCB.docx",
                "Báo cáo sơ kết công tác Hội 6 tháng đầu năm {year}",
                paragraphs=(
                    "1. Công tác tổ chức: kết nạp 4 hội viên, tổng số 186 hội viên, 7 chi hội.",
                    "2. Phong trào “Cựu chiến binh gương mẫu”: 100% hội viên đăng ký thi đua.",
                    "3. Tham gia giữ gìn an ninh trật tự: hòa giải thành 3 vụ việc.",
                    "4. Quỹ hỗ trợ đồng đội: vận động được 18.000.000 đồng.",
                    "Nhiệm vụ 6 tháng cuối năm: nâng cao chất lượng sinh hoạt chi hội; phối hợp "
                    "giáo dục truyền thống cho đoàn viên, thanh niên.",
                ),
            ),
        ),
    ),
    DemoPost(
        org="hoi-nong-dan", category="tin-hoat-dong", on=(9, 18), byline=FARMERS_CHAIR,
        title="Hội Nông dân xã tham quan, học tập mô hình vườn mẫu",
        summary="Đoàn 40 hội viên tham quan những vườn mẫu đạt chuẩn nông thôn mới, học cách "
                "quy hoạch vườn, chọn cây trồng và bán hàng qua mạng.",
        body="""
<p>Ngày {date}, Hội Nông dân xã {town} tổ chức cho 40 cán bộ, hội viên tham quan, học tập
kinh nghiệm xây dựng vườn mẫu tại các hộ tiêu biểu trong xã.</p>
<p>Tại mỗi vườn, chủ hộ giới thiệu cách quy hoạch vườn gọn gàng, hợp lý: khu trồng rau, khu cây
ăn quả, khu chuồng trại cách xa nhà ở; cách ghi chép nhật ký sản xuất và liên kết với thương lái
để ổn định đầu ra. Nhiều hội viên hào hứng khi được hướng dẫn bán nông sản qua mạng xã hội.</p>
<p>Sau chuyến tham quan, Hội Nông dân xã đặt mục tiêu năm {next_year} xây dựng thêm 5 vườn
mẫu, trong đó có ít nhất một vườn tại
<a href="/org/hoi-nong-dan-dong-tam">thôn Đồng Tâm</a>.</p>
""",
        photos=(
            Photo("garden", "Hội viên tham quan vườn mẫu", "Tham quan mô hình vườn mẫu"),
            Photo("garden", "Khu trồng rau được quy hoạch gọn gàng"),
            Photo("field", "Cánh đồng lúa bên vườn mẫu"),
        ),
    ),
    DemoPost(
        org="hoi-nong-dan", category="tin-hoat-dong", on=(4, 10), byline=FARMERS_CHAIR,
        title="Tập huấn kỹ thuật canh tác lúa theo hướng hữu cơ",
        summary="Hơn 60 hội viên được hướng dẫn cách làm phân ủ, dùng chế phẩm sinh học và quản "
                "lý sâu bệnh tổng hợp trên ruộng lúa.",
        body="""
<p>Ngày {date}, Hội Nông dân xã {town} phối hợp với Trung tâm Khuyến nông tỉnh mở lớp tập huấn
kỹ thuật canh tác lúa theo hướng hữu cơ cho hơn 60 hội viên.</p>
<p>Các kỹ sư hướng dẫn bà con cách ủ phân chuồng với chế phẩm vi sinh, giảm phân bón hóa học, sử
dụng giống lúa chất lượng phù hợp với đồng đất địa phương. Buổi chiều, lớp học ra thực hành ngay
trên ruộng, nhận biết thiên địch và các loại sâu bệnh thường gặp.</p>
<p>Hội viên được phát tài liệu kỹ thuật và đăng ký tham gia tổ liên kết sản xuất lúa hữu cơ
trong vụ mùa tới.</p>
""",
        photos=(
            Photo("hall", "Lớp tập huấn tại hội trường xã",
                  "Tập huấn kỹ thuật canh tác lúa hữu cơ"),
            Photo("field", "Thực hành nhận biết sâu bệnh trên đồng ruộng"),
        ),
    ),
    DemoPost(
        org="hoi-nong-dan", category="phong-trao-thi-dua", on=(11, 21), byline=FARMERS_CHAIR,
        title="Bình xét hộ nông dân sản xuất, kinh doanh giỏi năm {year}",
        summary="54 hộ được công nhận nông dân sản xuất, kinh doanh giỏi các cấp, tăng 9 hộ so "
                "với năm trước.",
        body="""
<p>Ngày {date}, Hội Nông dân xã {town} tổ chức hội nghị bình xét hộ nông dân sản xuất,
kinh doanh giỏi năm {year}. Qua bình xét từ các chi hội, 54 hộ được công nhận đạt danh hiệu các
cấp, tăng 9 hộ so với năm trước.</p>
<p>Các hộ tiêu biểu phát triển đa dạng mô hình: trồng cây ăn quả, nuôi cá lồng, chăn nuôi gia
cầm, làm dịch vụ nông nghiệp. Nhiều hộ mạnh dạn ứng dụng tưới nhỏ giọt, nhà lưới, tham gia
chuỗi liên kết tiêu thụ sản phẩm. Danh sách chi tiết được đính kèm.</p>
<p>Phong trào đã góp phần nâng thu nhập bình quân của người dân và giảm tỷ lệ hộ nghèo của
xã.</p>
""",
        photos=(
            Photo("award", "Biểu dương các hộ sản xuất, kinh doanh giỏi",
                  "Nông dân sản xuất kinh doanh giỏi"),
            Photo("field", "Ruộng lúa của một hộ tiêu biểu"),
        ),
        documents=(
            Document(
                "xlsx", "Danh sách hộ sản xuất kinh doanh giỏi năm {year}.xlsx",
                "Danh sách hộ nông dân sản xuất, kinh doanh giỏi năm {year}",
                header=("STT", "Chủ hộ", "Chi hội", "Mô hình", "Thu nhập (triệu đồng/năm)",
                        "Cấp công nhận"),
                rows=(
                    (1, "Nông Văn Lực", "Tổ dân phố 1", "Cây ăn quả, gà thả vườn", 210, "Tỉnh"),
                    (2, "Lý Thị Mai", "Thôn Bản Giới", "Rau an toàn, ao cá", 150, "Xã"),
                    (3, "Hà Văn Quyết", "Tổ dân phố 5", "Trồng nấm sò", 180, "Xã"),
                    (4, "La Văn Tiến", "Thôn Đồng Tâm", "Nuôi cá lồng", 240, "Tỉnh"),
                    (5, "Bế Thị Nguyệt", "Tổ dân phố 4", "Dịch vụ làm đất", 120, "Xã"),
                ),
            ),
        ),
    ),
    DemoPost(
        org="hoi-nong-dan", category="thong-bao", on=(8, 4), byline=FARMERS_CHAIR, time=(9, 0),
        title="Thông báo nhận hồ sơ vay vốn Quỹ Hỗ trợ nông dân đợt 2 năm {year}",
        summary="Hội viên có dự án sản xuất, kinh doanh khả thi nộp hồ sơ vay vốn tại chi hội "
                "nơi cư trú trước ngày 31/8.",
        body="""
<p>Hội Nông dân xã {town} thông báo nhận hồ sơ vay vốn Quỹ Hỗ trợ nông dân đợt 2 năm
{year}, tổng nguồn vốn 300 triệu đồng, mức vay tối đa 50 triệu đồng một hộ, thời hạn 24 tháng.</p>
<h3>Đối tượng và điều kiện</h3>
<ul>
<li>Hội viên Hội Nông dân, cư trú hợp pháp trên địa bàn xã;</li>
<li>Có dự án hoặc phương án sản xuất, kinh doanh khả thi, được chi hội xác nhận;</li>
<li>Ưu tiên hộ tham gia tổ hợp tác, tổ liên kết sản xuất.</li>
</ul>
<p>Hồ sơ gồm đơn đề nghị vay vốn và phương án sản xuất (theo mẫu đính kèm), nộp tại chi hội nơi
cư trú trước ngày 31/8/{year}. Mọi thắc mắc xin liên hệ Văn phòng Hội Nông dân xã.</p>
""",
        documents=(
            Document(
                "pdf", "Thông báo vay vốn Quỹ Hỗ trợ nông dân đợt 2 năm {year}.pdf",
                "Thông báo nhận hồ sơ vay vốn Quỹ Hỗ trợ nông dân đợt 2 năm {year}",
                paragraphs=(
                    "1. Tổng nguồn vốn: 300.000.000 đồng; mức vay tối đa 50.000.000 đồng/hộ.",
                    "2. Thời hạn vay: 24 tháng; lãi suất theo quy định của Quỹ.",
                    "3. Hồ sơ: đơn đề nghị vay vốn; phương án sản xuất, kinh doanh có xác nhận "
                    "của chi hội.",
                    "4. Thời hạn nộp hồ sơ: trước ngày 31/8/{year}, tại chi hội nơi cư trú.",
                ),
            ),
        ),
    ),
    DemoPost(
        org="hoi-nong-dan-dong-tam", category="tin-hoat-dong", on=(10, 3), byline=FARMERS_BRANCH,
        title="Thôn Đồng Tâm ra mắt tổ hợp tác trồng rau an toàn",
        summary="Mười hai hộ hội viên cùng góp đất, góp vốn trồng rau theo quy trình an toàn, "
                "có hợp đồng bao tiêu với bếp ăn các trường học.",
        body="""
<p>Ngày {date}, Chi hội Nông dân thôn Đồng Tâm (thuộc
<a href="/org/hoi-nong-dan">Hội Nông dân xã {town}</a>) ra mắt tổ hợp tác trồng rau an
toàn với 12 hộ thành viên, diện tích 3 ha.</p>
<p>Các thành viên thống nhất quy chế hoạt động, cùng mua giống, phân bón và ghi chép nhật ký
sản xuất. Tổ hợp tác đã ký hợp đồng cung cấp rau cho bếp ăn của hai trường mầm non và một
trường tiểu học trên địa bàn.</p>
<p>Đây là mô hình kinh tế tập thể đầu tiên của thôn, được kỳ vọng giúp bà con yên tâm sản xuất
và có thu nhập ổn định hơn.</p>
""",
        photos=(
            Photo("garden", "Ruộng rau của tổ hợp tác thôn Đồng Tâm",
                  "Tổ hợp tác rau an toàn Đồng Tâm"),
            Photo("hall", "Buổi ra mắt tổ hợp tác", "Ra mắt tổ hợp tác rau an toàn"),
        ),
    ),
    DemoPost(
        org="cong-doan", category="phong-trao-thi-dua", on=(4, 28), byline=UNION_CHAIR,
        title="Sôi nổi giải thể thao công chức, viên chức, người lao động mừng 30/4 và 1/5",
        summary="Hơn 100 vận động viên tranh tài ở các môn bóng chuyền, kéo co và cầu lông trong "
                "hai ngày thi đấu.",
        body="""
<p>Chào mừng Ngày Giải phóng miền Nam 30/4 và Ngày Quốc tế Lao động 1/5, Công đoàn cơ sở thị
trấn {town} tổ chức giải thể thao công chức, viên chức, người lao động năm {year}, kết thúc
ngày {date}.</p>
<p>Hơn 100 vận động viên đến từ các công đoàn bộ phận của cơ quan, trường học và trạm y tế đã
tranh tài ở ba môn: bóng chuyền hơi, kéo co và cầu lông. Các đoàn viên trẻ của
<a href="/org/doan-tncs">Đoàn Thanh niên</a> tham gia làm trọng tài và phục vụ giải.</p>
<p>Kết quả, Công đoàn bộ phận Trường Tiểu học xã giành giải Nhất toàn đoàn. Giải đấu
góp phần đẩy mạnh phong trào rèn luyện thân thể và tăng tinh thần đoàn kết trong đoàn viên.</p>
""",
        photos=(
            Photo("sports", "Trận chung kết bóng chuyền hơi", "Giải thể thao CNVCLĐ năm {year}"),
            Photo("sports", "Vận động viên tranh tài sôi nổi",
                  "Chào mừng 30/4 và 1/5"),
            Photo("award", "Trao giải cho các đội đoạt giải", "Giải thể thao công đoàn"),
        ),
    ),
    DemoPost(
        org="cong-doan", category="tin-hoat-dong", on=(1, 23), byline=UNION_CHAIR,
        title="Hội nghị cán bộ, công chức, viên chức năm {year}",
        summary="Hội nghị thông qua quy chế chi tiêu nội bộ, quy chế dân chủ và phát động thi "
                "đua hoàn thành xuất sắc nhiệm vụ năm {year}.",
        body="""
<p>Ngày {date}, Công đoàn cơ sở phối hợp với UBND xã {town} tổ chức Hội nghị cán bộ,
công chức, viên chức năm {year}. Hội nghị có 48 đại biểu tham dự.</p>
<p>Hội nghị đã nghe báo cáo kết quả thực hiện nhiệm vụ năm trước, thảo luận và thông qua quy chế
chi tiêu nội bộ, quy chế thực hiện dân chủ trong cơ quan. Nhiều ý kiến tập trung vào việc cải
cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân tại bộ phận một cửa.</p>
<p>Kết thúc hội nghị, Chủ tịch UBND xã và Chủ tịch Công đoàn cơ sở ký kết chương trình
phối hợp; toàn thể cán bộ, công chức ký giao ước thi đua năm {year}.</p>
""",
        photos=(
            Photo("hall", "Quang cảnh hội nghị",
                  "Hội nghị cán bộ, công chức, viên chức năm {year}"),
            Photo("stage", "Thảo luận tại hội nghị",
                  "Hội nghị cán bộ, công chức, viên chức năm {year}"),
        ),
    ),
    DemoPost(
        org="hoi-ccb-tdp-1", category="tin-hoat-dong", on=(9, 21), byline=CCB_BRANCH,
        title="Chi hội Cựu chiến binh tổ dân phố 1 ra quân làm sạch môi trường",
        summary="Hưởng ứng Chiến dịch làm cho thế giới sạch hơn, cựu chiến binh cùng bà con dọn "
                "sạch rác thải dọc bờ suối và các tuyến ngõ.",
        body="""
<p>Sáng ngày {date}, hưởng ứng Chiến dịch làm cho thế giới sạch hơn, Chi hội Cựu chiến binh tổ
dân phố 1 phối hợp với Ban công tác Mặt trận (<a href="/org/mttq">MTTQ xã</a>) ra quân
làm sạch môi trường khu dân cư.</p>
<p>Gần 60 hội viên và bà con đã thu gom hơn 2 tấn rác thải dọc bờ suối, phát quang bụi rậm và
khơi thông cống rãnh các tuyến ngõ. Chi hội vận động các hộ gia đình phân loại rác tại nguồn,
không đổ rác ra bờ suối.</p>
<p>Chi hội duy trì lịch ra quân vào sáng Chủ nhật cuối mỗi tháng, góp phần xây dựng tổ dân phố
“Xanh – sạch – đẹp”.</p>
""",
        photos=(
            Photo("volunteers", "Cựu chiến binh cùng bà con dọn vệ sinh",
                  "Chung tay làm sạch môi trường"),
            Photo("trees", "Phát quang bụi rậm dọc bờ suối"),
        ),
    ),
    DemoPost(
        org="doan-tncs-tdp-3", category="tin-hoat-dong", on=(9, 14), byline=YOUTH_DEPUTY,
        title="Chi đoàn tổ dân phố 3 tổ chức “Vui Tết Trung thu” cho thiếu nhi",
        summary="Hơn 80 cháu thiếu nhi được rước đèn, phá cỗ và nhận quà trong đêm hội trăng rằm "
                "do chi đoàn và chi hội phụ nữ cùng tổ chức.",
        body="""
<p>Tối ngày {date}, Chi đoàn tổ dân phố 3 phối hợp với chi hội phụ nữ
(<a href="/org/hoi-lhpn">Hội LHPN xã</a>) tổ chức chương trình “Vui Tết Trung thu” cho
hơn 80 cháu thiếu nhi trong tổ dân phố.</p>
<p>Các cháu được xem múa lân, rước đèn ông sao quanh khu dân cư, tham gia trò chơi dân gian và
cùng phá cỗ với bánh nướng, bánh dẻo, hoa quả do các chị hội viên phụ nữ bày mâm. Các đoàn viên
đã tự tay làm hơn 50 chiếc đèn ông sao từ tre và giấy bóng kính để tặng các cháu.</p>
<p>Dịp này, chi đoàn trao 15 suất quà cho các cháu có hoàn cảnh khó khăn và các cháu đạt thành
tích cao trong năm học vừa qua.</p>
""",
        photos=(
            Photo("festival", "Các cháu thiếu nhi vui Tết Trung thu", "Vui Tết Trung thu"),
            Photo("gifts", "Trao quà cho các cháu có hoàn cảnh khó khăn",
                  "Trung thu yêu thương"),
        ),
    ),
    # Not visible to readers: two drafts and an outdated notice that was archived.
    DemoPost(
        org="hoi-lhpn", category="bao-cao-ke-hoach", on=(11, 10), byline=LHPN_CHAIR,
        status="draft",
        title="Dự thảo kế hoạch Hội thi “Phụ nữ với văn hóa truyền thống” năm {next_year}",
        summary="Bản dự thảo để Ban Thường vụ Hội cho ý kiến trước khi ban hành.",
        body="""
<p>Dự thảo: Hội thi dự kiến tổ chức vào quý II năm {next_year}, gồm các phần thi trang phục
truyền thống, hát then, làm bánh dân tộc.</p>
<p>Đề nghị các đồng chí Ủy viên Ban Thường vụ góp ý về thời gian, kinh phí và thể lệ.</p>
""",
    ),
    DemoPost(
        org="cong-doan", category="thong-bao", on=(11, 18), byline=UNION_CHAIR, status="draft",
        title="Dự thảo quy chế chi tiêu nội bộ của Công đoàn cơ sở năm {next_year}",
        summary="Bản dự thảo, chưa đăng.",
        body="<p>Dự thảo quy chế đang được Ban Chấp hành lấy ý kiến đoàn viên.</p>",
    ),
    DemoPost(
        org="doan-tncs", category="thong-bao", on=(5, 18), byline=YOUTH_DEPUTY,
        status="archived",
        title="Thông báo tuyển tình nguyện viên “Tiếp sức mùa thi” năm {year}",
        summary="Đoàn Thanh niên xã tuyển 30 tình nguyện viên hỗ trợ thí sinh trong kỳ thi "
                "tốt nghiệp THPT.",
        body="""
<p>Đoàn Thanh niên xã {town} tuyển 30 tình nguyện viên tham gia chương trình “Tiếp sức
mùa thi” năm {year}: hướng dẫn thí sinh, phát nước uống miễn phí, hỗ trợ chỗ trọ cho thí sinh ở
xa.</p>
<p>Đoàn viên đăng ký tại văn phòng Đoàn xã trước ngày 10/6. Thông báo này đã hết hạn.</p>
""",
    ),
)

# ---- pieces of generated posts (`seed-demo --posts N` beyond the handwritten set) -------------

PLACES = (
    "tổ dân phố 1", "tổ dân phố 2", "tổ dân phố 3", "tổ dân phố 4", "tổ dân phố 5",
    "tổ dân phố 6", "thôn Bản Giới", "thôn Đồng Tâm", "thôn Nà Lẹng", "khu Phố Cũ",
)
VENUES = ("nhà văn hóa", "hội trường", "sân nhà văn hóa", "điểm sinh hoạt cộng đồng")

# Per organization: who it is in a title, whom it gathers, bylines, and what it does
# (activity, category, number of people taking part).
GENERATED = {
    "mttq": {
        "subject": "Ban công tác Mặt trận",
        "people": "hộ gia đình",
        "bylines": (MTTQ_CHAIR, MTTQ_DEPUTY, CULTURE_OFFICER),
        "activities": (
            ("tổ chức hội nghị đối thoại với Nhân dân", "tin-hoat-dong"),
            ("trao nhà Đại đoàn kết cho hộ khó khăn về nhà ở", "tin-hoat-dong"),
            ("lấy ý kiến Nhân dân về quy ước khu dân cư", "thong-bao"),
            ("sơ kết cuộc vận động xây dựng đô thị văn minh", "bao-cao-ke-hoach"),
            ("bình xét gia đình văn hóa tiêu biểu", "phong-trao-thi-dua"),
            ("vận động ủng hộ Quỹ “Vì người nghèo”", "phong-trao-thi-dua"),
        ),
    },
    "hoi-lhpn": {
        "subject": "Chi hội Phụ nữ",
        "people": "hội viên phụ nữ",
        "bylines": (LHPN_CHAIR, LHPN_BRANCH),
        "activities": (
            ("sinh hoạt chuyên đề phòng, chống bạo lực gia đình", "tin-hoat-dong"),
            ("ra mắt mô hình “Tổ phụ nữ tiết kiệm”", "phong-trao-thi-dua"),
            ("tổ chức hội thi nấu ăn ngon từ sản vật địa phương", "tin-hoat-dong"),
            ("thăm hỏi hội viên có hoàn cảnh khó khăn", "tin-hoat-dong"),
            ("tuyên truyền về chăm sóc sức khỏe sinh sản", "thong-bao"),
            ("tuyên dương hội viên làm kinh tế giỏi", "guong-dien-hinh"),
        ),
    },
    "doan-tncs": {
        "subject": "Chi đoàn",
        "people": "đoàn viên, thanh niên",
        "bylines": (YOUTH_SECRETARY, YOUTH_DEPUTY),
        "activities": (
            ("ra quân “Ngày Chủ nhật xanh”", "tin-hoat-dong"),
            ("tổ chức sinh hoạt chủ điểm về lý tưởng cách mạng", "tin-hoat-dong"),
            ("hiến máu tình nguyện", "phong-trao-thi-dua"),
            ("hướng dẫn thiếu nhi kỹ năng phòng tránh đuối nước", "tin-hoat-dong"),
            ("tuyên dương thanh niên tiêu biểu", "guong-dien-hinh"),
            ("thông báo lịch sinh hoạt chi đoàn", "thong-bao"),
        ),
    },
    "hoi-ccb": {
        "subject": "Chi hội Cựu chiến binh",
        "people": "hội viên cựu chiến binh",
        "bylines": (CCB_CHAIR, CCB_BRANCH),
        "activities": (
            ("nói chuyện truyền thống cho học sinh", "tin-hoat-dong"),
            ("tham gia tuần tra giữ gìn an ninh trật tự", "tin-hoat-dong"),
            ("thăm hỏi hội viên ốm đau", "tin-hoat-dong"),
            ("sơ kết phong trào “Cựu chiến binh gương mẫu”", "bao-cao-ke-hoach"),
            ("biểu dương cựu chiến binh làm kinh tế giỏi", "guong-dien-hinh"),
        ),
    },
    "hoi-nong-dan": {
        "subject": "Chi hội Nông dân",
        "people": "hội viên nông dân",
        "bylines": (FARMERS_CHAIR, FARMERS_BRANCH),
        "activities": (
            ("tập huấn kỹ thuật chăm sóc cây ăn quả", "tin-hoat-dong"),
            ("ra quân làm giao thông nội đồng", "tin-hoat-dong"),
            ("triển khai kế hoạch sản xuất vụ mới", "bao-cao-ke-hoach"),
            ("tổ chức phiên chợ nông sản an toàn", "tin-hoat-dong"),
            ("bình xét hộ sản xuất, kinh doanh giỏi", "phong-trao-thi-dua"),
            ("giải ngân vốn Quỹ Hỗ trợ nông dân", "thong-bao"),
        ),
    },
    "cong-doan": {
        "subject": "Công đoàn bộ phận",
        "people": "đoàn viên công đoàn",
        "bylines": (UNION_CHAIR,),
        "activities": (
            ("tổ chức giao lưu văn nghệ, thể thao", "phong-trao-thi-dua"),
            ("thăm hỏi đoàn viên có hoàn cảnh khó khăn", "tin-hoat-dong"),
            ("tuyên truyền chính sách bảo hiểm xã hội", "thong-bao"),
            ("triển khai phong trào thi đua “Đổi mới, sáng tạo”", "phong-trao-thi-dua"),
            ("báo cáo kết quả chăm lo đời sống đoàn viên", "bao-cao-ke-hoach"),
        ),
    },
}

GENERATED_MIDDLES = (
    "Buổi sinh hoạt diễn ra cởi mở. Nhiều ý kiến đề xuất cách làm mới, phù hợp với điều kiện "
    "của từng gia đình; những vướng mắc được ghi nhận để báo cáo cấp trên xem xét.",
    "Ban tổ chức đã phân công cụ thể người phụ trách từng phần việc, thống nhất thời gian hoàn "
    "thành và cách báo cáo kết quả tại buổi sinh hoạt tiếp theo.",
    "Hoạt động nhận được sự ủng hộ của cấp ủy, chính quyền và sự hưởng ứng của bà con. Nhiều hộ "
    "gia đình đã tự nguyện đóng góp ngày công, vật liệu để công việc sớm hoàn thành.",
    "Qua hoạt động, tinh thần đoàn kết, tương thân tương ái trong cộng đồng tiếp tục được phát "
    "huy; nhiều tấm gương người tốt, việc tốt được biểu dương kịp thời.",
    "Đây là hoạt động thiết thực, được tổ chức định kỳ, góp phần nâng cao chất lượng sinh hoạt "
    "và thu hút ngày càng nhiều người tham gia.",
)
GENERATED_CLOSINGS = (
    "Thời gian tới, đơn vị tiếp tục duy trì hoạt động và nhân rộng những cách làm hay.",
    "Kết quả sẽ được tổng hợp, báo cáo trong hội nghị sơ kết cuối quý.",
    "Các khu dân cư khác sẽ tổ chức hoạt động tương tự trong tháng tới.",
    "Đơn vị đề nghị các thành viên tích cực tuyên truyền để bà con cùng hưởng ứng.",
    "Mọi ý kiến đóng góp xin gửi về Ban công tác Mặt trận hoặc chi hội nơi cư trú.",
    "Ban tổ chức cảm ơn sự tham gia nhiệt tình của bà con và các tổ chức thành viên.",
)
