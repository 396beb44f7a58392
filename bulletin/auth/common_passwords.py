"""Passwords too common to accept, shipped with the board (the office network is offline).

Entries are compared "squashed": folded (no diacritics, lowercase, đ→d) with everything but
letters and digits removed, so "Mật khẩu 123" and "matkhau123" are the same entry.
"""

# Whole passwords seen at the top of every leaked-password list, and Vietnamese favourites.
_COMMON = """
    12345678 123456789 1234567890 0123456789 12341234 123123123 123456123 1234512345
    11111111 00000000 88888888 66666666 99999999 12121212 11223344 112233445566
    87654321 987654321 147258369 123654789 159357456 741852963 20202020 19001900
    password password1 password12 password123 passw0rd p4ssw0rd passwort motdepasse
    iloveyou iloveyou1 sunshine princess football baseball superman batman123
    qwertyuiop qwerty123 qwerty12 qwertyui 1qaz2wsx zaq12wsx 1q2w3e4r 1q2w3e4r5t
    q1w2e3r4 a1b2c3d4 abc12345 abcd1234 asdfghjkl asdf1234 zxcvbnm1 zxcvbnm123
    trustno1 letmein1 welcome1 welcome123 starwars whatever michelle jennifer
    charlie1 computer internet changeme changeme1 default1 11235813
    anhyeuem emyeuanh yeuemmai anhyeuem123 emyeuanh123 yeuanhmai saranghe
    vietnam1 vietnam123 hanoi123 saigon123 hochiminh bacho123 dangcongsan
    toquoc123 muonnam123 quehuong honghac123
"""

# Words that make a weak password on their own or followed by digits ("congdoan2026",
# "matkhau123456"): the product, its organizations, and the usual system words.
_CONTEXT = """
    matkhau matma password passwd pass admin administrator quantri quantrivien root
    user guest test demo canbo congchuc vienchuc vanphong thitran phuong xa huyen
    bangtin bantin mttq mattran mattrantoquoc uybanmttq ubmttq ubnd ubndxa
    doan doanthanhnien doantncs tncs thanhnien doanvien
    congdoan congdoancoso hoinongdan nongdan hoiphunu phunu hoilhpn lhpn hoilienhiepphunu
    cuuchienbinh hoiccb ccb dang dangvien dangcongsan chibo
    thiduakhenthuong thidua khenthuong bientap bientapvien thuky
    vietnam hanoi saigon hochiminh iloveyou qwerty abc abcd
"""

COMMON_PASSWORDS = frozenset(_COMMON.split())
CONTEXT_WORDS = frozenset(_CONTEXT.split())

# Runs typed by sliding along the keyboard or counting.
SEQUENCES = (
    "01234567890123456789",
    "98765432109876543210",
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "qwertyuiopasdfghjklzxcvbnm",
    "mnbvcxzlkjhgfdsapoiuytrewq",
)
