"""Search keys for Chinese names: full pinyin and initials, with surname-aware readings.

pypinyin reads each character by its commonest reading (单 dan, 解 jie, 曾 ceng in some
phrases) and has no surname mode (mozillazg/python-pinyin#120, #297). A name's first one or two
characters are its surname, whose reading is fixed by custom: the table below gives those of the
polyphonic surnames, the rest of the name is read by pypinyin on its own (so that a given name is
not joined with the surname into a dictionary phrase such as 曾经 ceng jing).
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Compound surnames first (two characters), then single ones whose surname reading differs from
# pypinyin's default or is ambiguous.
COMPOUND_SURNAMES = {
    "万俟": "moqi", "尉迟": "yuchi", "单于": "chanyu", "长孙": "zhangsun", "澹台": "tantai", "令狐": "linghu",
    "乐正": "yuezheng", "仉督": "zhangdu", "子车": "ziju", "欧阳": "ouyang", "诸葛": "zhuge", "上官": "shangguan",
    "司马": "sima", "皇甫": "huangfu", "东方": "dongfang", "夏侯": "xiahou", "公孙": "gongsun", "慕容": "murong",
}
SURNAMES = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao", "盖": "ge",
    "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "种": "chong", "重": "chong", "秘": "bi", "燕": "yan",
    "华": "hua", "纪": "ji", "藏": "zang", "那": "na", "召": "shao", "员": "yun", "繁": "po", "过": "guo",
    "句": "gou", "黑": "he", "宁": "ning", "柏": "bai", "隗": "wei", "冼": "xian", "沈": "shen", "石": "shi",
    "任": "ren", "折": "she", "卜": "bu", "尉": "yu", "祭": "zhai", "薄": "bo", "贾": "jia", "都": "du",
    "六": "lu", "居": "ju", "盛": "sheng", "殷": "yin", "陆": "lu", "叶": "ye", "强": "qiang", "车": "che",
    "曲": "qu", "称": "cheng", "宿": "su", "於": "yu", "艾": "ai", "粘": "nian", "佴": "nai", "阚": "kan",
    "蕃": "pi", "能": "nai", "昝": "zan", "厍": "she", "訾": "zi", "郇": "huan", "眭": "sui", "彭": "peng",
}


def _read(text: str) -> list[str]:
    return [p.lower() for p in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))]


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[str, ...]:
    """The syllables of a person's name, the surname read as a surname."""
    name = (name or "").strip()
    if not name:
        return ()
    if name[:2] in COMPOUND_SURNAMES:
        head, rest = [COMPOUND_SURNAMES[name[:2]]], name[2:]
        # initials of a compound surname: one per character
        head = _split_compound(name[:2], head[0])
    elif name[0] in SURNAMES:
        head, rest = [SURNAMES[name[0]]], name[1:]
    else:
        head, rest = [], name
    return tuple(head + (_read(rest) if rest else []))


def _split_compound(chars: str, reading: str) -> list[str]:
    """Split a compound surname's reading into its two syllables (for initials)."""
    first = _read(chars[0])[0]
    if reading.startswith(first):
        return [first, reading[len(first):]]
    second = _read(chars[1])[0]
    return [reading[: len(reading) - len(second)], second] if reading.endswith(second) else [reading]


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower-case without spaces: 单晓明 → ("shanxiaoming", "sxm")."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables if s)
