"""Issue 21: lists pasted from Word stay lists (the server's sanitiser and the editor)."""

from bulletin.sanitize import clean_html

BULLET = ("<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 "
          "lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·"
          "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span>"
          "<![endif]><span lang=VI>{text}<o:p></o:p></span></p>")
NUMBER = ("<p class=MsoListParagraphCxSpMiddle style='mso-list:l1 level{level} lfo2'>"
          "<![if !supportLists]><span style='mso-list:Ignore'>{mark}<span style='font:7.0pt "
          "\"Times New Roman\"'>&nbsp;&nbsp; </span></span><![endif]>{text}<o:p></o:p></p>")


def test_a_bulleted_list_from_word_stays_a_list():
    html = ("<p class=MsoNormal>Nội dung:<o:p></o:p></p>"
            + BULLET.format(text="Tuyên truyền") + BULLET.format(text="Vận động <b>hội viên</b>")
            + "<p class=MsoNormal>Hết.</p>")
    assert clean_html(html) == ("<p>Nội dung:</p><ul><li>Tuyên truyền</li>"
                                "<li>Vận động <b>hội viên</b></li></ul><p>Hết.</p>")


def test_a_numbered_list_with_a_sublist_stays_numbered_and_nested():
    html = (NUMBER.format(level=1, mark="1.", text="Khai mạc")
            + NUMBER.format(level=2, mark="a.", text="Chào cờ")
            + NUMBER.format(level=2, mark="b.", text="Giới thiệu đại biểu")
            + NUMBER.format(level=1, mark="2.", text="Báo cáo"))
    assert clean_html(html) == ("<ol><li>Khai mạc<ol><li>Chào cờ</li><li>Giới thiệu đại biểu"
                                "</li></ol></li><li>Báo cáo</li></ol>")


def test_plain_paragraphs_are_untouched():
    html = "<p style='margin:0'>Đoạn một</p><p>Đoạn hai</p>"
    assert clean_html(html) == "<p>Đoạn một</p><p>Đoạn hai</p>"


def test_a_list_cut_by_a_paragraph_is_two_lists():
    html = (BULLET.format(text="Một") + "<p>Giữa</p>" + BULLET.format(text="Hai"))
    assert clean_html(html) == "<ul><li>Một</li></ul><p>Giữa</p><ul><li>Hai</li></ul>"


def test_two_word_lists_side_by_side_stay_two():
    html = BULLET.format(text="Một") + NUMBER.format(level=1, mark="1.", text="Khai mạc")
    assert clean_html(html) == "<ul><li>Một</li></ul><ol><li>Khai mạc</li></ol>"
