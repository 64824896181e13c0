"""Made-up people and matches for the benchmarks: a university's sub-unions (their names, campuses, headcounts and
women's shares), names drawn as Chinese names are (common surnames, given names by generation), and badminton games
as the laws allow them. The demo union itself comes from the fixture files in devtools/demo/; the benchmarks need
bigger, random crowds of the same kind, made here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Unit, UnitKind

if TYPE_CHECKING:
    from chalicelib.domain.competition.model import Match, Result

CAMPUS_MAIN = "主校区"
CAMPUS_EAST = "东湖校区"
CAMPUS_SOUTH = "南山校区"


@dataclass(frozen=True)
class SubUnion:
    unit_id: str
    department_zh: str
    short_name: str
    department_en: str
    campus: str
    headcount: int
    women_share: float


_MAIN, _EAST, _SOUTH = CAMPUS_MAIN, CAMPUS_EAST, CAMPUS_SOUTH

# Headcounts are the demo's, not the real ratios (a real union has thousands of members); they keep the big
# units visibly bigger. Women shares follow the usual pattern: nursing and languages high, engineering low.
SUB_UNIONS: tuple[SubUnion, ...] = (
    SubUnion("admin", "机关", "机关", "Administrative Offices", _MAIN, 24, 0.50),
    SubUnion("cs", "计算机科学与技术学院", "计算机学院", "School of Computer Science", _MAIN, 20, 0.30),
    SubUnion("mech", "机械科学与工程学院", "机械学院", "School of Mechanical Engineering", _MAIN, 18, 0.20),
    SubUnion("ee", "电气与电子工程学院", "电气学院", "School of Electrical Engineering", _MAIN, 18, 0.25),
    SubUnion("civil", "土木与水利工程学院", "土木学院", "School of Civil Engineering", _EAST, 16, 0.20),
    SubUnion("materials", "材料科学与工程学院", "材料学院", "School of Materials Science", _EAST, 14, 0.30),
    SubUnion("chem", "化学与化工学院", "化学学院", "School of Chemistry", _EAST, 14, 0.40),
    SubUnion("life", "生命科学与技术学院", "生命学院", "School of Life Sciences", _EAST, 12, 0.50),
    SubUnion("math", "数学与统计学院", "数学学院", "School of Mathematics and Statistics", _MAIN, 12, 0.35),
    SubUnion("physics", "物理学院", "物理学院", "School of Physics", _MAIN, 11, 0.25),
    SubUnion("econ", "经济与管理学院", "经管学院", "School of Economics and Management", _SOUTH, 16, 0.50),
    SubUnion("foreign", "外国语学院", "外语学院", "School of Foreign Languages", _SOUTH, 14, 0.65),
    SubUnion("humanities", "人文学院", "人文学院", "School of Humanities", _SOUTH, 10, 0.55),
    SubUnion("marxism", "马克思主义学院", "马院", "School of Marxism", _SOUTH, 8, 0.50),
    SubUnion("law", "法学院", "法学院", "Law School", _SOUTH, 8, 0.45),
    SubUnion("medicine", "基础医学院", "医学院", "School of Basic Medicine", _EAST, 18, 0.50),
    SubUnion("hospital", "附属医院", "附属医院", "Affiliated Hospital", _EAST, 40, 0.65),
    SubUnion("pe", "体育学院", "体育学院", "School of Physical Education", _MAIN, 8, 0.35),
    SubUnion("art", "艺术与设计学院", "艺术学院", "School of Art and Design", _SOUTH, 10, 0.50),
    SubUnion("library", "图书馆", "图书馆", "University Library", _MAIN, 9, 0.60),
    SubUnion("logistics", "后勤保障处", "后勤", "Logistics Services", _MAIN, 22, 0.35),
    SubUnion("finance", "财务处", "财务处", "Finance Office", _MAIN, 8, 0.60),
    SubUnion("security", "保卫处", "保卫处", "Campus Security Office", _MAIN, 8, 0.10),
    SubUnion("itc", "网络与信息中心", "网信中心", "Network and Information Center", _MAIN, 8, 0.30),
    SubUnion("clinic", "校医院", "校医院", "University Clinic", _EAST, 8, 0.60),
    SubUnion("continuing", "继续教育学院", "继教学院", "School of Continuing Education", _SOUTH, 6, 0.45),
)


def build_units(sub_unions: Sequence[SubUnion] = SUB_UNIONS) -> tuple[Unit, ...]:
    """The school union and ``sub_unions`` under it (the benchmark passes a longer list)."""
    school = Unit(
        unit_id=SCHOOL_UNIT_ID,
        kind=UnitKind.SCHOOL,
        name_zh="示范大学工会",
        name_en="Demo University Trade Union",
        short_name="校工会",
        campus=CAMPUS_MAIN,
        parent_id=None,
        position=0,
    )
    subs = tuple(
        Unit(
            unit_id=sub.unit_id,
            kind=UnitKind.SUB,
            name_zh=f"{sub.department_zh}分工会",
            name_en=f"{sub.department_en} Union Branch",
            short_name=sub.short_name,
            campus=sub.campus,
            parent_id=SCHOOL_UNIT_ID,
            position=position,
        )
        for position, sub in enumerate(sub_unions, start=1)
    )
    return (school, *subs)


# --- members -----------------------------------------------------------------------------------------------

# Weights are rough shares (per cent) of the Chinese population, so the demo has many 王 and 李 and few 覃.
_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.1),
    ("吴", 2.0), ("周", 1.9), ("徐", 1.5), ("孙", 1.5), ("马", 1.3), ("朱", 1.3), ("胡", 1.3), ("郭", 1.2),
    ("何", 1.2), ("高", 1.1), ("林", 1.1), ("罗", 1.0), ("郑", 1.0), ("梁", 0.9), ("谢", 0.8), ("宋", 0.8),
    ("唐", 0.8), ("许", 0.7), ("韩", 0.7), ("冯", 0.7), ("邓", 0.7), ("曹", 0.7), ("彭", 0.6), ("曾", 0.6),
    ("肖", 0.6), ("田", 0.6), ("董", 0.5), ("袁", 0.5), ("潘", 0.5), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
    ("余", 0.5), ("杜", 0.5), ("叶", 0.5), ("程", 0.5), ("苏", 0.4), ("魏", 0.4), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.4), ("姚", 0.4), ("卢", 0.4), ("姜", 0.4), ("崔", 0.4), ("钟", 0.4), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.3), ("贾", 0.3), ("夏", 0.3),
    ("韦", 0.3), ("方", 0.3), ("白", 0.3), ("邹", 0.3), ("孟", 0.3), ("熊", 0.3), ("秦", 0.3), ("邱", 0.3),
    ("江", 0.3), ("尹", 0.3), ("薛", 0.3), ("段", 0.3), ("雷", 0.3), ("侯", 0.3), ("龙", 0.3), ("陶", 0.3),
    ("黎", 0.3), ("贺", 0.3), ("顾", 0.3), ("郝", 0.3), ("龚", 0.3), ("邵", 0.3), ("钱", 0.3), ("严", 0.3),
    ("覃", 0.2), ("武", 0.2), ("戴", 0.2), ("孔", 0.2), ("向", 0.2), ("汤", 0.2),
)  # fmt: skip

# Given names go in and out of fashion: a 55-year-old is more likely a 建国 or a 秀英, a 28-year-old a 子轩
# or a 梓萱. Pools are whole given names rather than free character pairs, so no odd combinations appear.
_GIVEN_NAMES: dict[tuple[Gender, str], tuple[str, ...]] = {
    (Gender.MALE, "older"): (
        "建国", "建华", "国庆", "志强", "志刚", "卫东", "建平", "永刚", "德胜", "振华", "立新", "春生",
        "学军", "伟民", "光明", "海涛", "红军", "保国", "庆华", "长江", "军", "斌", "勇", "平", "刚", "涛",
    ),
    (Gender.MALE, "middle"): (
        "晓东", "晓峰", "海波", "文涛", "剑锋", "俊杰", "志远", "明辉", "立群", "卫国", "宏伟", "少华",
        "鹏飞", "振宇", "云龙", "学文", "建新", "磊", "超", "强", "鹏", "杰", "峰", "波", "亮", "宁",
    ),
    (Gender.MALE, "younger"): (
        "子轩", "浩然", "宇航", "博文", "思远", "一鸣", "天翔", "承志", "明哲", "昊天", "晨阳", "子豪",
        "嘉伟", "家豪", "俊熙", "梓涵", "睿", "昊", "航", "哲", "铭", "浩", "晨", "阳",
    ),
    (Gender.FEMALE, "older"): (
        "秀英", "桂英", "玉兰", "秀兰", "凤英", "淑芬", "桂兰", "丽华", "红梅", "春梅", "雪梅", "玉珍",
        "美玲", "雅琴", "素珍", "翠华", "芳", "霞", "萍", "琴", "英", "华",
    ),
    (Gender.FEMALE, "middle"): (
        "晓燕", "海燕", "慧敏", "文静", "晓琳", "亚楠", "晓雯", "丽娟", "艳红", "春燕", "晶晶", "丹丹",
        "小红", "静怡", "雪莲", "燕", "敏", "静", "婷", "颖", "丹", "娜", "艳", "倩", "琳", "璐",
    ),
    (Gender.FEMALE, "younger"): (
        "雨萱", "欣怡", "梦瑶", "思琪", "佳怡", "婉清", "诗涵", "紫涵", "佳慧", "心怡", "艺璇", "若汐",
        "梓萱", "一诺", "语桐", "可馨", "雨桐", "悦", "琪", "瑶", "萌", "洁",
    ),
}  # fmt: skip

# Well-known unfortunate homophones; a draw that lands on one of them is simply drawn again.
_TABOO_NAMES = frozenset({"杨伟", "胡丽", "范剑", "范统", "魏生", "吴德", "史珍香", "杜子腾", "朱逸群", "秦寿生"})

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199",
)  # fmt: skip


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def draw_name(rng: random.Random, gender: Gender, age: int) -> str:
    surnames = [name for name, _ in _SURNAMES]
    weights = [weight for _, weight in _SURNAMES]
    era = "older" if age >= 46 else "younger" if age <= 32 else "middle"
    while True:
        name = rng.choices(surnames, weights)[0] + rng.choice(_GIVEN_NAMES[(gender, era)])
        if name not in _TABOO_NAMES:
            return name


# --- matches -----------------------------------------------------------------------------------------------


def badminton_games(rng: random.Random, edge: float) -> list[tuple[int, int]]:
    """The games of a best-of-three badminton match as the BWF laws allow them (21 points; from 20-all a 2-point
    lead, up to 30). ``edge`` is the home side's advantage in each game, in logits: 0 is an even match."""
    home_chance = 1 / (1 + math.exp(-edge))
    games: list[tuple[int, int]] = []
    won = {True: 0, False: 0}
    while max(won.values()) < 2:
        home_wins = rng.random() < home_chance
        roll = rng.random()
        if roll < 0.02:
            winner, loser = 30, 29
        elif roll < 0.14:
            loser = rng.randint(20, 28)
            winner = loser + 2
        else:
            winner, loser = 21, rng.randint(6, 19)
        games.append((winner, loser) if home_wins else (loser, winner))
        won[home_wins] += 1
    return games


def play_out(matches: Sequence[Match], result_of: Callable[[Match], Result]) -> list[Match]:
    """A drawn stage played to the end: every ready match gets ``result_of`` it and its winner (and loser) moves on,
    round after round, until no match is ready. Returns the matches in the order given."""
    from chalicelib.domain.competition.model import MatchStatus
    from chalicelib.domain.competition.progress import feeds, record

    by_id = {match.match_id: match for match in matches}
    fed = feeds(by_id)  # the stage's sources do not change as it is played: one index for every result
    while ready := [match for match in by_id.values() if match.status is MatchStatus.READY]:
        for match in ready:
            by_id.update(record(by_id, match.match_id, result_of(match), fed))
    return [by_id[match.match_id] for match in matches]
