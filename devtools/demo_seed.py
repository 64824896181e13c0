"""The demo union: a fictional university trade union that every new user lands in.

    python -m devtools.demo_seed            # seed only if the database holds no school union yet
    python -m devtools.demo_seed --force    # upsert the demo union again over whatever is there

The demo seed is one module that each later capability extends, so that a new user always lands in a living
union: whoever adds registrations, teams, brackets, scores or roles adds their demo data here too, generated
from the same fixed seeds and the same ``today``.

Generation (``build_demo_union``) is pure and deterministic: no I/O and no clock, only the ``today`` it is
given. Names, units and event titles are modelled on the five union work plans in the project brief (``shared/seeds``).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from bench.people import (
    CAMPUS_EAST,
    CAMPUS_MAIN,
    CAMPUS_SOUTH,
    MOBILE_PREFIXES,
    SUB_UNIONS,
    badminton_games,
    build_units,
    draw_name,
    play_out,
    years_before,
)
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.forms import Option, Question, QuestionKind, ShowIf
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    Allocation,
    Audience,
    AudienceRule,
    CheckIn,
    CheckinMethod,
    CheckinSettings,
    Checkpoint,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventSession,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    Registration,
    RegistrationState,
    StaffRole,
    Team,
    TeamRule,
    TeamState,
    Unit,
    UnitPlaces,
)

if TYPE_CHECKING:
    from chalicelib.domain.competition.model import Match, Result
    from chalicelib.domain.competition.setup import Competition
    from chalicelib.storage import Store
    from chalicelib.storage.allocation import SealedDraw

# One stream per section, so that a capability which draws more numbers for its own section does not reshuffle
# the members or event ids that earlier capabilities (and their demo data) already refer to.
_MEMBER_SEED = 20_231_017
_EVENT_SEED = 20_231_018

# Event ids embed a creation instant. Taking it from a fixed anchor instead of from ``today`` keeps the ids
# the same whatever day the seed runs, so re-seeding overwrites the demo events instead of duplicating them.
_EVENT_ID_ANCHOR = datetime(2024, 9, 1, 9, 0, tzinfo=CHINA_TZ)


_UNION_CONTACT = "校工会文体部 027-87650101"
_WELFARE_CONTACT = "校工会生活福利部 027-87650103"
_EDUCATION_CONTACT = "校工会宣教部 027-87650102"


@dataclass(frozen=True)
class DemoUnion:
    units: tuple[Unit, ...]
    members: tuple[Member, ...]
    events: tuple[Event, ...]
    accounts: tuple[DemoAccount, ...] = ()
    sessions: tuple[EventSession, ...] = ()
    registrations: tuple[Registration, ...] = ()
    unit_places: tuple[UnitPlaces, ...] = ()  # quotas and their use; team events' teams per unit
    draws: tuple[SealedDraw, ...] = ()  # lottery events: the sealed seed, and the published draw once drawn
    teams: tuple[Team, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    event_roles: tuple[StaffRole, ...] = ()  # check-in staff
    officials: tuple[StaffRole, ...] = ()  # referees and judges of the competitions
    competitions: tuple[DemoCompetition, ...] = ()


# --- members -----------------------------------------------------------------------------------------------

# The sub-unions, names and dates come from bench/people.py (the benchmarks use them too).


def _build_members(today: date) -> tuple[Member, ...]:
    # Every draw comes from the seeded stream regardless of ``today``: the same people (names, units,
    # ages) exist whatever day it is, and only the dates are placed relative to ``today``.
    rng = random.Random(_MEMBER_SEED)
    members: list[Member] = []
    next_seq_by_year: dict[int, int] = {}
    phones: set[str] = set()
    for sub in SUB_UNIONS:
        for _ in range(sub.headcount):
            roll = rng.random()
            if roll < 0.05:
                status, age = MemberStatus.RETIRED, rng.randint(60, 75)
                service = age - rng.randint(22, 30)
            elif roll < 0.06:
                status, age = MemberStatus.LEFT, rng.randint(26, 50)
                service = rng.randint(1, max(1, age - 25))
            else:
                # Few staff are hired before 23 or kept after 59; most are in their thirties and forties.
                status, age = MemberStatus.ACTIVE, round(rng.triangular(23, 59, 38))
                service = rng.randint(0, age - 23)
            gender = Gender.FEMALE if rng.random() < sub.women_share else Gender.MALE
            name = draw_name(rng, gender, age)
            # Born on a day strictly inside the year that makes them exactly ``age`` on ``today``.
            birth_date = years_before(today, age) - timedelta(days=rng.randint(0, 364))
            # 工号 = hire year + sequence within the year. It depends on ``today`` only through its year,
            # so a re-seed within the same year overwrites these members rather than adding new ones.
            hire_year = today.year - service
            seq = next_seq_by_year.get(hire_year, 1)
            next_seq_by_year[hire_year] = seq + 1
            staff_no = f"{hire_year:04d}{seq:03d}"
            phone = ""
            while not phone or phone in phones:
                phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            phones.add(phone)
            members.append(
                Member(
                    staff_no=staff_no,
                    name=name,
                    gender=gender,
                    birth_date=birth_date,
                    unit_id=sub.unit_id,
                    status=status,
                    phone=phone,
                    email=f"{staff_no}@demo.edu.cn",
                    roles=frozenset(),
                )
            )
    return tuple(members)


# --- events ------------------------------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHINA_TZ)


_TUESDAY, _WEDNESDAY, _SATURDAY = 1, 2, 5


def _on_or_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (Monday = 0) on or after ``day``, so weekly classes and weekend matches fall on
    the weekday their description promises."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _season(month: int) -> tuple[str, str]:
    if month in (3, 4, 5):
        return "春季", "Spring "
    if month in (9, 10, 11):
        return "秋季", "Autumn "
    return "", ""


def _walk_theme(month: int) -> tuple[str, str]:
    if month in (12, 1, 2):
        return "新年健步走", "New Year Walk"
    if month in (4, 5):
        return "“五一”健步走", "May Day Walk"
    if month in (9, 10):
        return "“国庆”健步走", "National Day Walk"
    return "校园健步走", "Campus Walk"


def _holiday(month: int) -> tuple[str, str]:
    """What a retreat in ``month`` is called after: the summer or winter break, else the season."""
    if month in (7, 8):
        return "暑期", "Summer "
    if month in (1, 2):
        return "寒假", "Winter Break "
    return _season(month)


# The lottery retreats' titles after their season (see ``_holiday``).
_DRAWN_RETREAT = "教职工疗休养（第二期）"
_OPEN_RETREAT = "教职工疗休养（第三期）"
# The events whose competitions the demo has played (see ``_with_competitions``).
_CUP = "“园丁杯”教职工羽毛球团体赛"
_SINGER = "教职工歌手大赛"
_TODAYS_LECTURE = "体育健康讲座：科学健身与运动损伤预防"
# The campus walk takes attendance at its start and its finish; completing it means both.
_WALK_CHECKPOINTS = CheckinSettings(
    checkpoints=(Checkpoint("start", "起点", "Start"), Checkpoint("finish", "终点", "Finish"))
)


def _md(day: date | datetime) -> str:
    return f"{day.month}月{day.day}日"


def _status(draft: bool, reference: datetime, event: Event) -> EventStatus:
    """The status an organiser would have moved the event to by ``reference``, so statuses match the dates."""
    if draft:
        return EventStatus.DRAFT
    if event.ends_at < reference:
        return EventStatus.FINISHED
    if event.starts_at <= reference:
        return EventStatus.RUNNING
    assert event.registration_opens_at is not None and event.registration_closes_at is not None
    if reference < event.registration_opens_at:
        return EventStatus.PUBLISHED
    if event.registration_closes_at <= reference:
        return EventStatus.REGISTRATION_CLOSED
    return EventStatus.REGISTRATION_OPEN


class _EventBook:
    """Collects the demo events in catalogue order, giving each its deterministic id and derived status."""

    def __init__(self, today: date) -> None:
        self.today = today
        # Midday: an event dated ``today`` is neither past nor future, so the catalogue avoids day offset 0.
        self.reference = _at(today, 12)
        self.rng = random.Random(_EVENT_SEED)
        self.events: list[Event] = []

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def add(
        self,
        *,
        owner: str,
        kind: EventKind,
        fmt: EventFormat,
        title_zh: str,
        title_en: str,
        description_zh: str,
        description_en: str,
        starts_at: datetime,
        ends_at: datetime,
        registration_days_before: tuple[int, int],
        venue: str | None,
        campus: str | None,
        capacity: int | None,
        contact: str,
        draft: bool = False,
        **rules: Any,
    ) -> None:
        """``rules``: how the event gives out places and takes entries (allocation, entry_type, team_rule, ...)."""
        opens_before, closes_before = registration_days_before
        # Closing at 17:00 at least one day before the start leaves organisers an evening to draw and notify.
        assert opens_before > closes_before >= 1
        start_day = starts_at.date()
        millis = int(_EVENT_ID_ANCHOR.timestamp() * 1000) + len(self.events) * 60_000
        event = Event(
            event_id=sortable_id("ev-", millis=millis, randomness=self.rng.getrandbits(80)),
            owner_unit_id=owner,
            kind=kind,
            format=fmt,
            title_zh=title_zh,
            title_en=title_en,
            description_zh=description_zh,
            description_en=description_en,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            campus=campus,
            capacity=capacity,
            registration_opens_at=_at(start_day - timedelta(days=opens_before), 9),
            registration_closes_at=_at(start_day - timedelta(days=closes_before), 17),
            contact=contact,
            **rules,
        )
        self.events.append(replace(event, status=_status(draft, self.reference, event)))


def _build_events(today: date) -> tuple[Event, ...]:
    book = _EventBook(today)
    sports, skills, wellness = EventKind.SPORTS, EventKind.SKILLS, EventKind.WELLNESS

    # Finished: the union already has a history when a new user arrives.
    walk_day = book.day(-45)
    walk_zh, walk_en = _walk_theme(walk_day.month)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.MASS,
        title_zh=f"教职工{walk_zh}",
        title_en=f"Staff {walk_en}",
        description_zh="环主校区健步走，全程约6公里，起点和终点各设扫码签到点。欢迎教职工携家属参加，完成全程可领取纪念品。",
        description_en="A 6 km walk around the main campus; scan in at the start and at the finish. Families "
        "welcome; everyone who finishes receives a souvenir.",
        starts_at=_at(walk_day, 8, 30),
        ends_at=_at(walk_day, 11, 30),
        registration_days_before=(14, 2),
        venue="主校区南大门广场",
        campus=CAMPUS_MAIN,
        capacity=None,
        contact=_UNION_CONTACT,
        checkin=_WALK_CHECKPOINTS,
    )
    tt_day = _on_or_after(book.day(-32), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="“团结杯”教职工乒乓球团体赛",
        title_en="Unity Cup Staff Table Tennis Team Championship",
        description_zh="以分工会为单位组队参赛，每队5至7人。小组循环赛后进行淘汰赛，比赛采用五场三胜制。",
        description_en="Teams of 5 to 7 players from each union branch. Group round robin, then knockout; "
        "best of five matches per tie.",
        starts_at=_at(tt_day, 8, 30),
        ends_at=_at(tt_day + timedelta(days=1), 17, 30),
        registration_days_before=(24, 10),
        venue="主校区体育馆乒乓球馆",
        campus=CAMPUS_MAIN,
        capacity=32,
        contact=_UNION_CONTACT,
    )
    nursing_day = book.day(-20)
    book.add(
        owner="hospital",
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh="附属医院护理技能竞赛",
        title_en="Affiliated Hospital Nursing Skills Contest",
        description_zh="设心肺复苏、静脉输液、急救包扎三个项目，由护理部专家组成评委组现场评分。"
        "优胜者将代表医院参加全省卫生系统技能竞赛。",
        description_en="Three events: CPR, intravenous infusion and emergency bandaging, scored on site by a "
        "panel from the nursing department. Winners represent the hospital at the provincial contest.",
        starts_at=_at(nursing_day, 8, 0),
        ends_at=_at(nursing_day + timedelta(days=1), 17, 0),
        registration_days_before=(21, 7),
        venue="附属医院临床技能培训中心",
        campus=CAMPUS_EAST,
        capacity=60,
        contact="附属医院分工会 027-87660201",
    )
    lecture_day = book.day(-10)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.SESSION,
        title_zh="健康大讲堂：颈椎与腰背健康",
        title_en="Health Lecture: Neck and Back Care",
        description_zh="邀请附属医院康复科主任讲解久坐办公人群的颈椎、腰背问题及日常锻炼方法，现场答疑。",
        description_en="The head of rehabilitation at the affiliated hospital on neck and back problems from "
        "desk work and exercises that help, with questions from the floor.",
        starts_at=_at(lecture_day, 14, 30),
        ends_at=_at(lecture_day, 16, 30),
        registration_days_before=(10, 1),
        venue="图书馆报告厅",
        campus=CAMPUS_MAIN,
        capacity=200,
        contact=_EDUCATION_CONTACT,
    )

    # Running: classes and leagues that are under way. The yoga class is in its last week or two: eleven of its
    # twelve sessions are past, so its attendance shows who has completed the term (see ``_with_check_ins``).
    yoga_day = _on_or_after(book.day(-77), _WEDNESDAY)
    season_zh, season_en = _season(yoga_day.month)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.CLASS,
        title_zh=f"教职工{season_zh}瑜伽班",
        title_en=f"Staff {season_en}Yoga Class",
        description_zh="共12周，每周三晚一次课，每次90分钟，由专业瑜伽教练授课。名额有限，请自备瑜伽垫。",
        description_en="Twelve weeks, one 90-minute session every Wednesday evening with a professional "
        "instructor. Places are limited; please bring your own mat.",
        starts_at=_at(yoga_day, 18, 30),
        ends_at=_at(yoga_day + timedelta(weeks=11), 20, 0),
        registration_days_before=(14, 2),
        venue="主校区教职工活动中心瑜伽室",
        campus=CAMPUS_MAIN,
        capacity=30,
        contact=_UNION_CONTACT,
    )
    skills_day = book.day(-14)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh="第七届职工岗位技能竞赛",
        title_en="7th Staff Job Skills Competition",
        description_zh="本届竞赛设5大类16个项目，覆盖教学、医疗、财务、后勤、安保等岗位。"
        "各分工会至少组织开展一项特色技能竞赛，年底统一总结表彰。",
        description_en="Five categories and sixteen events covering teaching, medical, finance, logistics "
        "and security jobs. Every union branch runs at least one contest of its own; awards at year end.",
        starts_at=_at(skills_day, 9, 0),
        ends_at=_at(skills_day + timedelta(days=90), 17, 0),
        registration_days_before=(30, 3),
        venue=None,
        campus=None,
        capacity=None,
        contact=_UNION_CONTACT,
    )
    football_day = _on_or_after(book.day(-12), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="三校区教职工足球联赛",
        title_en="Three-Campus Staff Football League",
        description_zh="主校区、东湖校区、南山校区轮流主场，每周六下午开赛。"
        "各分工会可单独或联合组队，每队报名不超过18人。",
        description_en="Home grounds rotate between the Main, Donghu and Nanshan campuses; matches on "
        "Saturday afternoons. Branches may enter alone or jointly, up to 18 players per team.",
        starts_at=_at(football_day, 15, 0),
        ends_at=_at(football_day + timedelta(weeks=7), 17, 0),
        registration_days_before=(28, 7),
        venue="三校区足球场",
        campus=None,
        capacity=12,
        contact=_UNION_CONTACT,
    )

    # Registration closed: the draw or the judging panel is being prepared.
    teaching_day = book.day(6)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh="第十二届青年教师教学竞赛（校赛）",
        title_en="12th Young Teachers' Teaching Competition (University Round)",
        description_zh="面向40周岁以下专任教师，比赛包括教学设计、课堂教学和教学反思三部分。"
        "校赛一等奖获得者将推荐参加全省青年教师教学竞赛。",
        description_en="Open to full-time teachers under 40: lesson design, a live class and a reflection. "
        "First-prize winners go forward to the provincial competition.",
        starts_at=_at(teaching_day, 8, 30),
        ends_at=_at(teaching_day + timedelta(days=1), 17, 30),
        registration_days_before=(30, 9),
        venue="主校区第一教学楼",
        campus=CAMPUS_MAIN,
        capacity=60,
        contact=_EDUCATION_CONTACT,
    )

    # Registration open: what a new user can sign up for today.
    talk_day = book.day(8)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.SESSION,
        title_zh="心理健康讲座：压力管理与情绪调适",
        title_en="Mental Health Talk: Managing Stress and Emotions",
        description_zh="由校心理健康教育中心老师主讲，介绍工作压力的识别与调适方法，并安排一对一咨询预约。",
        description_en="Counsellors from the university's mental health centre on recognising and easing "
        "work stress; one-to-one appointments can be booked afterwards.",
        starts_at=_at(talk_day, 19, 0),
        ends_at=_at(talk_day, 21, 0),
        registration_days_before=(12, 1),
        venue="东湖校区学术交流中心报告厅",
        campus=CAMPUS_EAST,
        capacity=150,
        contact=_EDUCATION_CONTACT,
    )
    taichi_day = _on_or_after(book.day(12), _TUESDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.CLASS,
        title_zh="太极拳培训班",
        title_en="Tai Chi Class",
        description_zh="教授二十四式简化太极拳，共10周，每周二、周四早上各一次课。零基础可报名，结业时进行汇报展演。",
        description_en="The 24-form simplified tai chi over ten weeks, Tuesday and Thursday mornings. "
        "Beginners welcome; the class performs together at the end of term.",
        starts_at=_at(taichi_day, 7, 0),
        ends_at=_at(taichi_day + timedelta(weeks=10), 8, 0),
        registration_days_before=(20, 3),
        venue="南山校区综合训练馆",
        campus=CAMPUS_SOUTH,
        capacity=40,
        contact=_UNION_CONTACT,
    )
    badminton_day = _on_or_after(book.day(18), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="第八届教职工羽毛球团体赛",
        title_en="8th Staff Badminton Team Championship",
        description_zh="以分工会为单位组队，每个分工会至多报2队，共16队。每队6至8人，其中女队员不少于2人，"
        "55周岁以上队员不超过1人。团体赛设男单、女单、男双、女双、混双五个单项。比赛前一天17:00前可更换队员。",
        description_en="Teams of 6 to 8 from the union branches, up to two teams per branch and sixteen in all. "
        "At least two players of each team are women and at most one is over 55. Each tie has men's and women's "
        "singles, men's and women's doubles and mixed doubles. Players may be substituted until 17:00 the day "
        "before.",
        starts_at=_at(badminton_day, 8, 30),
        ends_at=_at(badminton_day + timedelta(days=1), 18, 0),
        registration_days_before=(28, 8),
        venue="主校区体育馆",
        campus=CAMPUS_MAIN,
        capacity=16,
        contact=_UNION_CONTACT,
        entry_type=EntryType.TEAM,
        team_rule=TeamRule(
            min_size=6,
            max_size=8,
            min_women=2,
            older_age=55,
            max_older=1,
            teams_per_unit=2,
            roster_deadline=_at(badminton_day - timedelta(days=1), 17),
        ),
    )
    volley_day = _on_or_after(book.day(25), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="第五届教职工气排球比赛",
        title_en="5th Staff Air Volleyball Tournament",
        description_zh="男女混合组队，场上至少两名女队员。采用三局两胜制，小组赛积分按胜2分、负1分、弃权0分计算。",
        description_en="Mixed teams with at least two women on court. Best of three sets; group points are "
        "2 for a win, 1 for a loss and 0 for a walkover.",
        starts_at=_at(volley_day, 8, 30),
        ends_at=_at(volley_day + timedelta(days=1), 17, 30),
        registration_days_before=(35, 10),
        venue="东湖校区风雨操场",
        campus=CAMPUS_EAST,
        capacity=24,
        contact=_UNION_CONTACT,
    )
    retreat_day = book.day(35)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.RETREAT,
        title_zh="优秀教职工疗休养（第一期）",
        title_en="Recuperation Retreat for Outstanding Staff (Group 1)",
        description_zh="本期名额40人，按各分工会会员人数比例分配，优先安排一线教职工和劳动模范。"
        "由各分工会推荐，校工会审核确定。",
        description_en="Forty places, shared out among union branches by membership, with front-line staff "
        "and model workers first. Branches nominate; the university union confirms.",
        starts_at=_at(retreat_day, 8, 0),
        ends_at=_at(retreat_day + timedelta(days=4), 18, 0),
        registration_days_before=(40, 20),
        venue="千岛湖职工疗休养基地",
        campus=None,
        capacity=40,
        contact=_WELFARE_CONTACT,
    )
    cooking_day = book.day(16)
    book.add(
        owner="logistics",
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh="后勤保障处烹饪技能比武",
        title_en="Logistics Cooking Skills Contest",
        description_zh="各食堂选派厨师参赛，现场制作一道热菜和一道面点，评委从色、香、味、形和卫生规范五方面打分。",
        description_en="Each canteen sends its cooks to make one hot dish and one pastry on the spot, "
        "judged on colour, aroma, taste, presentation and hygiene.",
        starts_at=_at(cooking_day, 14, 0),
        ends_at=_at(cooking_day, 17, 30),
        registration_days_before=(20, 4),
        venue="主校区第二食堂",
        campus=CAMPUS_MAIN,
        capacity=24,
        contact="后勤保障处分工会 027-87650311",
    )

    # Published: announced, registration not yet open.
    cs_day = _on_or_after(book.day(30), _SATURDAY)
    book.add(
        owner="cs",
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="计算机学院教职工乒乓球友谊赛",
        title_en="Computer Science Staff Table Tennis Friendly",
        description_zh="学院内部单打友谊赛，按年龄分组进行小组循环，欢迎新入职教师参加。",
        description_en="A friendly singles tournament within the school, round robin in age groups. New "
        "staff especially welcome.",
        starts_at=_at(cs_day, 14, 0),
        ends_at=_at(cs_day, 18, 0),
        registration_days_before=(14, 2),
        venue="主校区体育馆乒乓球馆",
        campus=CAMPUS_MAIN,
        capacity=48,
        contact="计算机学院分工会 027-87650421",
    )
    # Over by now (dated in the past, under this heading to keep the events' ids): the preliminary and the final
    # have been judged, so the demo shows a judged contest's results and awards.
    singer_day = book.day(-40)
    final_day = singer_day + timedelta(days=35)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh=_SINGER,
        title_en="Staff Singing Contest",
        description_zh=f"预赛{_md(singer_day)}举行，决赛{_md(final_day)}晚在大学生活动中心举行。"
        "各分工会推荐1至3名选手，独唱、对唱均可。",
        description_en=f"Preliminary round on {singer_day:%B} {singer_day.day}, final on the evening of "
        f"{final_day:%B} {final_day.day} at the Student Activity Centre. Each branch nominates one to three "
        "singers; solos and duets welcome.",
        starts_at=_at(singer_day, 14, 0),
        ends_at=_at(final_day, 21, 30),
        registration_days_before=(35, 10),
        venue="大学生活动中心",
        campus=CAMPUS_MAIN,
        capacity=80,
        contact=_EDUCATION_CONTACT,
    )
    basketball_day = _on_or_after(book.day(50), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="教职工篮球系列赛",
        title_en="Staff Basketball Series",
        description_zh="分甲、乙两组进行，每周末比赛，历时三周。各分工会可组一队，每队报名不超过12人。",
        description_en="Two divisions playing on weekends over three weeks. One team per branch, up to 12 "
        "players each.",
        starts_at=_at(basketball_day, 9, 0),
        ends_at=_at(basketball_day + timedelta(days=15), 17, 0),
        registration_days_before=(40, 14),
        venue="南山校区篮球馆",
        campus=CAMPUS_SOUTH,
        capacity=24,
        contact=_UNION_CONTACT,
    )
    meet_day = _on_or_after(book.day(70), _SATURDAY)
    season_zh, season_en = _season(meet_day.month)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.MEET,
        title_zh=f"教职工{season_zh}田径运动会",
        title_en=f"Staff {season_en}Athletics Meet",
        description_zh="设径赛、田赛和趣味项目，按年龄和性别分组录取前八名。名次计分累加为各分工会团体总分。",
        description_en="Track, field and fun events with age and gender groups; the top eight in each event "
        "score place points that add up to each branch's team total.",
        starts_at=_at(meet_day, 8, 0),
        ends_at=_at(meet_day + timedelta(days=1), 17, 0),
        registration_days_before=(40, 12),
        venue="主校区田径场",
        campus=CAMPUS_MAIN,
        capacity=None,
        contact=_UNION_CONTACT,
    )
    boat_day = _on_or_after(book.day(85), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=sports,
        fmt=EventFormat.TOURNAMENT,
        title_zh="教职工龙舟邀请赛",
        title_en="Staff Dragon Boat Invitational",
        description_zh="邀请兄弟高校教职工队同场竞技，赛程200米直道。每队22人（含鼓手、舵手），赛前安排两次集中训练。",
        description_en="Staff crews from neighbouring universities race a 200 m straight course. Crews of 22 "
        "including drummer and helm, with two joint training sessions beforehand.",
        starts_at=_at(boat_day, 9, 0),
        ends_at=_at(boat_day, 16, 0),
        registration_days_before=(50, 20),
        venue="南山校区南湖水上运动中心",
        campus=CAMPUS_SOUTH,
        capacity=16,
        contact=_UNION_CONTACT,
    )

    # Draft: still being planned, visible only to organisers.
    show_day = book.day(100)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=skills,
        fmt=EventFormat.CONTEST,
        title_zh="“劳动美”教职工书画摄影作品展",
        title_en="'Beauty of Work' Staff Art and Photography Show",
        description_zh="征集教职工书法、绘画、摄影作品，经评审后择优展出并评选一、二、三等奖。",
        description_en="Calligraphy, painting and photography by staff; a jury selects works for the show "
        "and awards first, second and third prizes.",
        starts_at=_at(show_day, 9, 0),
        ends_at=_at(show_day + timedelta(days=14), 17, 0),
        registration_days_before=(45, 15),
        venue="图书馆一楼展厅",
        campus=CAMPUS_MAIN,
        capacity=None,
        contact=_EDUCATION_CONTACT,
        draft=True,
    )

    # Lottery retreats, added after the catalogue above so that its event ids stay as they were. Places are shared
    # among the units (quotas) and drawn by lot; whoever had a retreat place in the last three years draws last.
    drawn_day = book.day(40)
    holiday_zh, holiday_en = _holiday(drawn_day.month)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.RETREAT,
        title_zh=f"{holiday_zh}{_DRAWN_RETREAT}",
        title_en=f"{holiday_en}Staff Recuperation Retreat (Group 2)",
        description_zh="本期名额30人，按各分工会会员人数分配名额（每个分工会至少1人），报名截止后公开抽签。"
        "近三年内参加过疗休养的教职工排在后一组抽签。抽签结果及种子公开，任何人可复核。",
        description_en="Thirty places, shared among union branches by membership and drawn by lot after "
        "registration closes. Staff who went on a retreat in the last three years draw after everyone else. "
        "The draw and its seed are published so that anyone can check it.",
        starts_at=_at(drawn_day, 8, 0),
        ends_at=_at(drawn_day + timedelta(days=4), 18, 0),
        registration_days_before=(66, 46),
        venue="武当山职工疗休养基地",
        campus=None,
        capacity=30,
        contact=_WELFARE_CONTACT,
        allocation=Allocation.LOTTERY,
        quotas=True,
        quota_release_at=_at(drawn_day - timedelta(days=7), 9),
        lottery_priority_years=3,
    )
    open_day = book.day(60)
    holiday_zh, holiday_en = _holiday(open_day.month)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.RETREAT,
        title_zh=f"{holiday_zh}{_OPEN_RETREAT}",
        title_en=f"{holiday_en}Staff Recuperation Retreat (Group 3)",
        description_zh="本期名额30人，按各分工会会员人数分配名额（每个分工会至少1人），报名截止后公开抽签。"
        "近三年内参加过疗休养的教职工排在后一组抽签。抽签种子的哈希值已在本页公布，抽签后公开种子供复核。",
        description_en="Thirty places, shared among union branches by membership and drawn by lot after "
        "registration closes. Staff who went on a retreat in the last three years draw after everyone else. "
        "The hash of the draw's seed is published on this page; the seed itself follows the draw, for checking.",
        starts_at=_at(open_day, 8, 0),
        ends_at=_at(open_day + timedelta(days=4), 18, 0),
        registration_days_before=(63, 30),
        venue="恩施大峡谷职工疗休养基地",
        campus=None,
        capacity=30,
        contact=_WELFARE_CONTACT,
        allocation=Allocation.LOTTERY,
        quotas=True,
        quota_release_at=_at(open_day - timedelta(days=7), 9),
        lottery_priority_years=3,
    )

    # A lecture this afternoon with venue self check-in, added last so that the event ids above stay as they were.
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=wellness,
        fmt=EventFormat.SESSION,
        title_zh=_TODAYS_LECTURE,
        title_en="Sports and Health Lecture: Exercising Well and Avoiding Injury",
        description_zh="邀请体育学院教授讲解科学健身的原则及常见运动损伤的预防与处理，并现场示范拉伸动作。"
        "入场时请用手机扫描大屏幕上的签到码自助签到。",
        description_en="A professor from the School of Physical Education on the principles of exercising well "
        "and on preventing and treating common sports injuries, with stretches shown on stage. On arrival, check "
        "yourself in by scanning the code on the big screen with your phone.",
        starts_at=_at(book.day(0), 14, 30),
        ends_at=_at(book.day(0), 16, 0),
        registration_days_before=(10, 1),
        venue="主校区教职工活动中心多功能厅",
        campus=CAMPUS_MAIN,
        capacity=120,
        contact=_UNION_CONTACT,
        # Wider than an organiser would set (08:00 to 21:30), so that whoever tries the demo today can check in.
        checkin=CheckinSettings(self_checkin=True, self_opens_minutes=6 * 60 + 30, self_closes_minutes=5 * 60 + 30),
    )
    _add_competition_events(book)
    return tuple(book.events)


def _add_competition_events(book: _EventBook) -> None:
    """A badminton team cup and an athletics meet held a few weeks ago, whose results the competition demo
    fills in. Added after every other event so that the ids of those stay as they were."""
    cup_day = _on_or_after(book.day(-25), _SATURDAY)
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=EventKind.SPORTS,
        fmt=EventFormat.TOURNAMENT,
        title_zh=_CUP,
        title_en="Gardeners' Cup Staff Badminton Team Tournament",
        description_zh="以分工会为单位组队，每个分工会至多报2队，共16队，每队6至8人，其中女队员不少于2人。"
        "第一天小组赛（4个小组单循环，各组前两名出线），第二天淘汰赛并决出第三名。"
        "每场团体赛设男双、女双、混双三场，每场三局两胜，先胜两场的队获胜。",
        description_en="Teams of 6 to 8 from the union branches, up to two per branch and sixteen in all, with at "
        "least two women in each. Day one: four round-robin groups, the top two of each going through; day two: "
        "the knockout, with a match for third place. Each tie is men's, women's and mixed doubles, each best of "
        "three games; the first team to win two is the winner.",
        starts_at=_at(cup_day, 8, 30),
        ends_at=_at(cup_day + timedelta(days=1), 17, 30),
        registration_days_before=(28, 8),
        venue="主校区体育馆",
        campus=CAMPUS_MAIN,
        capacity=16,
        contact=_UNION_CONTACT,
        entry_type=EntryType.TEAM,
        team_rule=TeamRule(
            min_size=6, max_size=8, min_women=2, teams_per_unit=2, roster_deadline=_at(cup_day - timedelta(days=1), 17)
        ),
    )
    meet_day = _on_or_after(book.day(-39), _SATURDAY)
    season_zh, season_en = _season(meet_day.month)
    # The year tells this meet from the one announced for next season (see above), whatever the seasons are.
    book.add(
        owner=SCHOOL_UNIT_ID,
        kind=EventKind.SPORTS,
        fmt=EventFormat.MEET,
        title_zh=f"{meet_day.year}年教职工{season_zh}田径运动会",
        title_en=f"{meet_day.year} Staff {season_en}Athletics Meet",
        description_zh="短跑按性别和年龄分青年组（39周岁及以下）、中年组（40周岁及以上），其余项目按性别设组；"
        "径赛采用分组计时决赛。各项目录取前八名，按9、7、6、5、4、3、2、1计分，接力项目加倍计分，"
        "累加为各分工会团体总分。",
        description_en="Sprints in age groups by gender (youth: 39 and under; masters: 40 and over), other events "
        "by gender; track events are timed finals run in heats. The top eight of each event score 9, 7, 6, 5, 4, "
        "3, 2 and 1 points (double for relays), adding up to each branch's team total.",
        starts_at=_at(meet_day, 8, 0),
        ends_at=_at(meet_day + timedelta(days=1), 17, 0),
        registration_days_before=(30, 10),
        venue="主校区田径场",
        campus=CAMPUS_MAIN,
        capacity=None,
        contact=_UNION_CONTACT,
    )


# --- the whole union ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role: str  # as shown to the person trying the demo
    staff_no: str
    name: str
    password: str


# Who signs in to the demo as what: (role label, unit to pick from, what they administer, union admin?).
# Passwords are public on purpose (they are printed by `make run`); the demo never runs in prod.
_DEMO_ROLES = (
    ("校工会管理员 union admin", "admin", (), True, "Union@2026"),
    ("二级工会管理员 unit admin (计算机学院)", "cs", ("cs",), False, "Admin@2026"),
    ("二级工会管理员 unit admin (附属医院)", "hospital", ("hospital",), False, "Admin@2026"),
    ("会员 member (计算机学院)", "cs", (), False, "Member@2026"),
)


def _with_demo_roles(units: tuple[Unit, ...], members: tuple[Member, ...]):
    """Give the first active members of some units their demo roles; returns units, members and the accounts."""
    chosen: dict[str, tuple] = {}
    taken: set[str] = set()
    for label, unit_id, administers, union_admin, password in _DEMO_ROLES:
        member = next(
            m for m in members if m.unit_id == unit_id and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
        )
        taken.add(member.staff_no)
        chosen[member.staff_no] = (label, frozenset(administers), union_admin, password)
    members = tuple(
        replace(
            m,
            admin_units=chosen[m.staff_no][1],
            roles=frozenset({"union_admin"}) if chosen[m.staff_no][2] else m.roles,
        )
        if m.staff_no in chosen
        else m
        for m in members
    )
    admins_of: dict[str, set[str]] = {}
    for staff_no, (_, administers, _, _) in chosen.items():
        for unit_id in administers:
            admins_of.setdefault(unit_id, set()).add(staff_no)
    units = tuple(replace(u, admins=frozenset(admins_of.get(u.unit_id, ()))) for u in units)
    by_staff_no = {m.staff_no: m for m in members}
    accounts = tuple(
        DemoAccount(label, staff_no, by_staff_no[staff_no].name, password)
        for staff_no, (label, _, _, password) in chosen.items()
    )
    return units, members, accounts


# --- registrations ------------------------------------------------------------------------------------------

_REGISTRATION_SEED = 20_231_019

_TOPIC = Question(
    "topic",
    QuestionKind.SINGLE_CHOICE,
    "您最想了解的内容",
    "What would you most like to hear about",
    options=(
        Option("stress", "工作压力", "Work stress"),
        Option("sleep", "睡眠", "Sleep"),
        Option("family", "家庭沟通", "Family communication"),
    ),
)
_BASICS = Question("basics", QuestionKind.YES_NO, "是否学过太极拳", "Have you learned tai chi before", required=True)
_SHIRT = Question(
    "shirt",
    QuestionKind.SINGLE_CHOICE,
    "比赛服尺码",
    "Jersey size",
    required=True,
    options=(Option("M", "M", limit=8), Option("L", "L", limit=8), Option("XL", "XL", limit=8)),
)
_FAMILY = Question("family", QuestionKind.YES_NO, "是否携带家属", "Bringing family", required=True)
_FAMILY_COUNT = Question(
    "family_count",
    QuestionKind.NUMBER,
    "家属人数",
    "How many family members",
    required=True,
    min_value=1,
    max_value=2,
    show_if=ShowIf("family", ("yes",)),
)
_DISH = Question("dish", QuestionKind.TEXT, "参赛菜品", "Your dish", required=True, max_length=30)

# title -> (form, audience, single sessions, how many register: confirmed up to capacity, then waiting)
_REGISTRATION_DEMO = {
    "心理健康讲座：压力管理与情绪调适": ((_TOPIC,), AudienceRule(), False, 60),
    "太极拳培训班": ((_BASICS,), AudienceRule(), True, 43),
    "第五届教职工气排球比赛": ((_SHIRT,), AudienceRule(), False, 10),
    "优秀教职工疗休养（第一期）": ((_FAMILY, _FAMILY_COUNT), AudienceRule(min_age=30), False, 52),
    "后勤保障处烹饪技能比武": ((_DISH,), AudienceRule(Audience.OWN_UNIT), False, 6),
}


def _class_sessions(event: Event) -> tuple[EventSession, ...]:
    """Tuesdays and Thursdays from the first lesson to the last, an hour each, five drop-in places per lesson."""
    sessions = []
    day = event.starts_at
    while day <= event.ends_at:
        if day.weekday() in (1, 3):
            sessions.append(
                EventSession(
                    event.event_id, f"s{len(sessions) + 1:02d}", day, day + timedelta(hours=1), event.venue, capacity=5
                )
            )
        day += timedelta(days=1)
    return tuple(sessions)


def _answers(event_title: str, rng: random.Random, member: Member) -> dict:
    if event_title.startswith("心理"):
        return {"topic": rng.choice(["stress", "sleep", "family"])}
    if event_title.startswith("太极"):
        return {"basics": rng.random() < 0.3}
    if event_title.endswith("气排球比赛"):
        return {"shirt": rng.choice(["M", "L", "XL"])}
    if event_title.startswith("优秀"):
        return _family_answers(rng)
    return {"dish": rng.choice(["红烧武昌鱼", "排骨藕汤", "热干面", "豆皮"])}


def _family_answers(rng: random.Random) -> dict:
    family = rng.random() < 0.4
    return {"family": family, "family_count": rng.choice([1, 2])} if family else {"family": False}


def _with_registrations(
    events: tuple[Event, ...], members: tuple[Member, ...], accounts: tuple[DemoAccount, ...]
) -> tuple[tuple[Event, ...], tuple[EventSession, ...], tuple[Registration, ...]]:
    """Forms, audiences and registrations for the events open now, so that a new user finds them half full (and
    the retreat with a waiting list). The demo accounts are left unregistered: they can try it themselves."""
    from chalicelib.domain.event_rules import ineligibility

    rng = random.Random(_REGISTRATION_SEED)
    demo_staff_nos = {account.staff_no for account in accounts}
    active = [m for m in members if m.status is MemberStatus.ACTIVE and m.staff_no not in demo_staff_nos]
    enriched, sessions, registrations = [], [], []
    for event in events:
        plan = _REGISTRATION_DEMO.get(event.title_zh)
        if plan is None:
            enriched.append(event)
            continue
        form, audience, single_sessions, count = plan
        event = replace(event, form=form, audience=audience, single_sessions=single_sessions)
        if single_sessions:
            sessions.extend(_class_sessions(event))
        eligible = [m for m in active if ineligibility(event, m) is None]
        chosen = rng.sample(eligible, min(count, len(eligible)))
        capacity = event.capacity or len(chosen)
        opened = event.registration_opens_at or event.starts_at
        for position, member in enumerate(chosen):
            at = opened + timedelta(minutes=3 * position + 1)
            waiting = position >= capacity
            registrations.append(
                Registration(
                    event_id=event.event_id,
                    scope=SERIES,
                    staff_no=member.staff_no,
                    name=member.name,
                    unit_id=member.unit_id,
                    state=RegistrationState.WAITING if waiting else RegistrationState.CONFIRMED,
                    registered_at=at,
                    updated_at=at,
                    answers=_answers(event.title_zh, rng, member),
                    queue_key=sortable_id("q-", millis=int(at.timestamp() * 1000), randomness=rng.getrandbits(80))
                    if waiting
                    else None,
                )
            )
        confirmed = min(len(chosen), capacity)
        enriched.append(replace(event, confirmed_count=confirmed, waiting_count=len(chosen) - confirmed))
    return tuple(enriched), tuple(sessions), tuple(registrations)


def option_use(union: DemoUnion) -> dict[tuple[str, str], int]:
    """Counts of the limited options the demo registrations chose (``option_use`` items)."""
    from chalicelib.domain.forms import limited_picks

    forms = {event.event_id: event.form for event in union.events}
    counts: dict[tuple[str, str], int] = {}
    for registration in union.registrations:
        for question, option, _limit in limited_picks(forms[registration.event_id], registration.answers):
            key = (registration.event_id, f"{registration.scope}#{question}#{option}")
            counts[key] = counts.get(key, 0) + 1
    return counts


# --- lotteries ----------------------------------------------------------------------------------------------

# The draws' seeds come from this fixed stream, so anyone reading this file knows them: fine for a demo, whose
# point is a draw that can be re-run and checked. A real event's seed comes from ``secrets`` when it is created.
_LOTTERY_SEED = 20_231_020

# title (after its season) -> how many apply. The retreat whose registration has closed has been drawn; the one
# open now keeps its seed sealed and shows only the commitment.
_LOTTERY_DEMO = {_DRAWN_RETREAT: 80, _OPEN_RETREAT: 36}

# The scheduled job (chalicelib.jobs) draws within ten minutes of registration closing, as the system principal.
_DRAWN_BY = "system"
_DRAW_DELAY = timedelta(minutes=7)

# Applications for the drawn retreat predate every retreat place in the demo, so their tier stands for places
# held in earlier years, before the demo's history begins: about one applicant in five.
_EARLIER_RETREAT_SHARE = 0.2


def _lottery_plan(event: Event) -> int | None:
    if event.allocation is not Allocation.LOTTERY:
        return None
    return next((count for title, count in _LOTTERY_DEMO.items() if event.title_zh.endswith(title)), None)


def _retreat_places(events: Sequence[Event], registrations: Sequence[Registration]) -> set[str]:
    """工号 of everyone holding a place on a retreat: what puts a lottery applicant in the second tier."""
    retreats = {event.event_id for event in events if event.format is EventFormat.RETREAT}
    return {r.staff_no for r in registrations if r.event_id in retreats and r.state is RegistrationState.CONFIRMED}


def _with_lotteries(
    today: date,
    events: tuple[Event, ...],
    members: tuple[Member, ...],
    accounts: tuple[DemoAccount, ...],
    registrations: tuple[Registration, ...],
) -> tuple[tuple[Event, ...], tuple[Registration, ...], tuple[UnitPlaces, ...], tuple[SealedDraw, ...]]:
    """Quotas, applications and draws for the lottery retreats: the one whose registration has closed was drawn
    (winners confirmed, the rest on the waiting list in draw order, the draw published); the one open now has
    pending applications and a sealed seed. Each has a fixed demo seed, so its draw is the same on every run."""
    from chalicelib.domain.event_rules import RegistrationPhase, ineligibility, registration_phase
    from chalicelib.domain.lottery import Applicant, commitment, published_draw, run_draw
    from chalicelib.domain.quotas import largest_remainder
    from chalicelib.storage.allocation import SealedDraw

    rng = random.Random(_LOTTERY_SEED)
    reference = _at(today, 12)
    demo_staff_nos = {account.staff_no for account in accounts}
    active = [m for m in members if m.status is MemberStatus.ACTIVE and m.staff_no not in demo_staff_nos]
    # Quotas are shared in proportion to each sub-union's active members (demo accounts included: they are members).
    active_by_unit = {sub.unit_id: 0 for sub in SUB_UNIONS}
    for member in members:
        if member.status is MemberStatus.ACTIVE:
            active_by_unit[member.unit_id] += 1
    enriched, new_registrations, places, draws = [], [], [], []
    for event in events:
        count = _lottery_plan(event)
        if count is None:
            enriched.append(event)
            continue
        assert event.capacity is not None and event.registration_opens_at and event.registration_closes_at
        seed = f"{rng.getrandbits(256):064x}"
        quotas = largest_remainder(event.capacity, active_by_unit, minimum=1)
        event = replace(event, form=(_FAMILY, _FAMILY_COUNT), lottery_commitment=commitment(seed))
        drawn = registration_phase(event, reference) is RegistrationPhase.CLOSED
        held = set() if drawn else _retreat_places(events, (*registrations, *new_registrations))
        eligible = [m for m in active if ineligibility(event, m) is None]
        chosen = rng.sample(eligible, min(count, len(eligible)))
        # Applications come in over the window, up to this morning for the one still open.
        opened = event.registration_opens_at
        until = event.registration_closes_at if drawn else _at(today, 9)
        minutes = max(int((until - opened).total_seconds() // 60), 1)
        applications = {}
        for member in chosen:
            at = opened + timedelta(minutes=rng.randrange(minutes))
            tier = int(rng.random() < _EARLIER_RETREAT_SHARE) if drawn else int(member.staff_no in held)
            applications[member.staff_no] = Registration(
                event_id=event.event_id,
                scope=SERIES,
                staff_no=member.staff_no,
                name=member.name,
                unit_id=member.unit_id,
                state=RegistrationState.PENDING,
                registered_at=at,
                updated_at=at,
                answers=_family_answers(rng),
                tier=tier,
            )
        if not drawn:
            new_registrations.extend(sorted(applications.values(), key=lambda r: r.registered_at))
            places.extend(UnitPlaces(event.event_id, unit_id, quota) for unit_id, quota in sorted(quotas.items()))
            draws.append(SealedDraw(event.event_id, commitment(seed), seed, None, None, None))
            enriched.append(replace(event, pending_count=len(applications)))
            continue
        # Drawn as chalicelib.services.lottery draws and settles: every place is free at the draw.
        applicants = [Applicant(r.staff_no, r.unit_id, r.tier or 0) for r in applications.values()]
        drawn_quotas = {unit_id: quota for unit_id, quota in quotas.items() if quota}
        result = run_draw(seed, applicants, event.capacity, drawn_quotas)
        published = published_draw(event.event_id, seed, applicants, event.capacity, drawn_quotas, result)
        drawn_at = event.registration_closes_at + _DRAW_DELAY
        assert event.registration_closes_at < drawn_at < reference
        for winner in result.winners:
            new_registrations.append(
                applications[winner.staff_no]._replace(state=RegistrationState.CONFIRMED, updated_at=drawn_at)
            )
        for rank, loser in enumerate(result.waiting, start=1):
            new_registrations.append(
                applications[loser.staff_no]._replace(
                    state=RegistrationState.WAITING, updated_at=drawn_at, queue_key=f"d-{rank:06d}"
                )
            )
        used = {unit_id: 0 for unit_id in quotas}
        for winner in result.winners:
            used[winner.unit_id] = used.get(winner.unit_id, 0) + 1
        places.extend(
            UnitPlaces(event.event_id, unit_id, quotas.get(unit_id, 0), use) for unit_id, use in sorted(used.items())
        )
        draws.append(SealedDraw(event.event_id, commitment(seed), seed, drawn_at, _DRAWN_BY, published))
        enriched.append(
            replace(
                event,
                confirmed_count=len(result.winners),
                waiting_count=len(result.waiting),
                pending_count=0,
                lottery_drawn_at=drawn_at,
            )
        )
    return tuple(enriched), tuple(new_registrations), tuple(places), tuple(draws)


# --- teams --------------------------------------------------------------------------------------------------

_TEAM_SEED = 20_231_021

# title -> (unit, teams it has entered so far). The computer science and hospital unit admins (demo accounts) find
# one team to substitute players on and room for another, and two teams (the limit) respectively.
_TEAM_DEMO = {
    "第八届教职工羽毛球团体赛": (
        ("admin", 2),
        ("cs", 1),
        ("ee", 1),
        ("econ", 1),
        ("foreign", 1),
        ("medicine", 2),
        ("hospital", 2),
        ("logistics", 1),
    ),
    # Finished: its groups and knockout were played (see ``_with_competitions``).
    _CUP: (
        ("admin", 2),
        ("cs", 1),
        ("ee", 1),
        ("mech", 1),
        ("chem", 1),
        ("life", 1),
        ("math", 1),
        ("econ", 2),
        ("foreign", 1),
        ("medicine", 2),
        ("hospital", 2),
        ("logistics", 1),
    ),
}
_TEAM_ORDINALS = "一二三四五六七八九"


def _roster(rng: random.Random, rule: TeamRule, event: Event, pool: list[Member]) -> list[Member]:
    """A roster from ``pool`` (already shuffled) that satisfies ``rule``: the women it needs first, then anyone,
    never more older players than allowed; listed in pool order."""
    from chalicelib.domain.event_rules import age_on, event_day

    day = event_day(event)
    size = rng.randint(rule.min_size, rule.max_size)
    max_older = len(pool) if rule.max_older is None else rule.max_older

    def older(member: Member) -> bool:
        return rule.older_age is not None and age_on(member.birth_date, day) > rule.older_age

    picked: list[Member] = []
    for wanted, limit in ((lambda m: m.gender is Gender.FEMALE, rule.min_women), (lambda m: True, size)):
        for member in pool:
            if len(picked) >= limit:
                break
            if member in picked or not wanted(member):
                continue
            if older(member) and sum(map(older, picked)) >= max_older:
                continue
            picked.append(member)
    return sorted(picked, key=pool.index)


def _with_teams(
    events: tuple[Event, ...], units: tuple[Unit, ...], members: tuple[Member, ...], accounts: tuple[DemoAccount, ...]
) -> tuple[tuple[Event, ...], tuple[Registration, ...], tuple[UnitPlaces, ...], tuple[Team, ...]]:
    """Teams for the team events (the championship open now and the finished cup), entered by their units' admins
    (the union admin for units without one), each player with a registration on the roster. Demo accounts are on
    no roster: they can try it."""
    from chalicelib.domain.entries import roster_problems
    from chalicelib.domain.event_rules import ineligibility

    rng = random.Random(_TEAM_SEED)
    demo_staff_nos = {account.staff_no for account in accounts}
    union_admin = next(m.staff_no for m in members if "union_admin" in m.roles)
    names = {unit.unit_id: unit.short_name or unit.name_zh for unit in units}
    admins = {unit.unit_id: min(unit.admins) for unit in units if unit.admins}
    enriched, registrations, places, teams = [], [], [], []
    for event in events:
        plan = _TEAM_DEMO.get(event.title_zh)
        if plan is None or event.entry_type is not EntryType.TEAM:
            enriched.append(event)
            continue
        assert event.registration_opens_at is not None
        # Ids first, from the fixed anchor, so that they are the same whatever day the seed runs.
        count = sum(n for _, n in plan)
        base = int(_EVENT_ID_ANCHOR.timestamp() * 1000) + 3_600_000  # an hour after the events' nominal creation
        ids = iter([sortable_id("tm-", millis=base + i * 60_000, randomness=rng.getrandbits(80)) for i in range(count)])
        taken: set[str] = set()
        for unit_id, unit_teams in plan:
            pool = [
                m
                for m in members
                if m.unit_id == unit_id
                and m.status is MemberStatus.ACTIVE
                and m.staff_no not in demo_staff_nos
                and ineligibility(event, m) is None
            ]
            rng.shuffle(pool)
            for ordinal in _TEAM_ORDINALS[:unit_teams]:
                roster = _roster(rng, event.team_rule, event, [m for m in pool if m.staff_no not in taken])
                problems = roster_problems(event.team_rule, event, unit_id, roster)
                if problems:
                    raise ValueError(f"the demo team plan does not fit {unit_id}'s members: {problems}")
                taken.update(m.staff_no for m in roster)
                at = event.registration_opens_at + timedelta(days=rng.randint(0, 2), minutes=rng.randrange(480))
                by = admins.get(unit_id, union_admin)
                team = Team(
                    event_id=event.event_id,
                    team_id=next(ids),
                    unit_id=unit_id,
                    name=f"{names[unit_id]}{ordinal}队",
                    roster=tuple(m.staff_no for m in roster),
                    captain=roster[0].staff_no if rng.random() < 0.5 else None,
                    state=TeamState.ENTERED,
                    version=0,
                    created_by=by,
                    created_at=at,
                    updated_at=at,
                )
                teams.append(team)
                registrations.extend(
                    Registration(
                        event_id=event.event_id,
                        scope=SERIES,
                        staff_no=m.staff_no,
                        name=m.name,
                        unit_id=m.unit_id,
                        state=RegistrationState.TEAM,
                        registered_at=at,
                        updated_at=at,
                        added_by=by,
                        team_id=team.team_id,
                    )
                    for m in roster
                )
            places.append(UnitPlaces(event.event_id, unit_id, None, unit_teams))
        enriched.append(replace(event, confirmed_count=count))
    return tuple(enriched), tuple(registrations), tuple(places), tuple(teams)


# --- check-in -----------------------------------------------------------------------------------------------

_CHECKIN_SEED = 20_231_022

_TALK = "心理健康讲座：压力管理与情绪调适"
_WALKERS = 120
_LECTURE_AUDIENCE = 70
# Shares of the walkers who never came, and who checked in at the start but not at the finish (the rest finished).
_WALK_NO_SHOW, _WALK_START_ONLY = 0.08, 0.17
# Share of the yoga class who missed no more past lessons than the 80 % threshold allows (they complete the term).
_YOGA_REGULARS = 0.4
_YOGA_MINUTES = 90


def _weekly_sessions(event: Event, minutes: int) -> tuple[EventSession, ...]:
    """A lesson every week at the first lesson's weekday and time, up to the last one."""
    sessions = []
    day = event.starts_at
    while day <= event.ends_at:
        ends = day + timedelta(minutes=minutes)
        sessions.append(EventSession(event.event_id, f"s{len(sessions) + 1:02d}", day, ends, event.venue))
        day += timedelta(weeks=1)
    return tuple(sessions)


class _CheckinDemo(NamedTuple):
    registrations: tuple[Registration, ...]
    check_ins: tuple[CheckIn, ...]
    roles: tuple[StaffRole, ...]


class _CheckinBook:
    """Collects the check-in demo's registrations, check-ins and staff; scans get ids from the fixed stream."""

    def __init__(self, rng: random.Random, granted_by: str) -> None:
        self.rng = rng
        self.granted_by = granted_by
        self.registrations: list[Registration] = []
        self.check_ins: list[CheckIn] = []
        self.roles: list[StaffRole] = []

    def register(self, event: Event, members: Sequence[Member], answers: dict | None = None) -> list[Registration]:
        """Confirmed registrations, seven minutes apart from the moment registration opened."""
        assert event.registration_opens_at is not None
        added = []
        for position, member in enumerate(members):
            at = event.registration_opens_at + timedelta(minutes=7 * position + 2)
            added.append(
                Registration(
                    event.event_id,
                    SERIES,
                    member.staff_no,
                    member.name,
                    member.unit_id,
                    RegistrationState.CONFIRMED,
                    at,
                    at,
                    answers=answers or {},
                )
            )
        self.registrations.extend(added)
        return added

    def scan(self, registration: Registration, point_id: str, at: datetime, by: str, station: str) -> None:
        self.check_ins.append(
            CheckIn(
                event_id=registration.event_id,
                point_id=point_id,
                staff_no=registration.staff_no,
                name=registration.name,
                unit_id=registration.unit_id,
                at=at,
                recorded_at=at,
                by=by,
                method=CheckinMethod.SCAN,
                scan_id=f"{self.rng.getrandbits(128):032x}",
                station=station,
            )
        )

    def name_staff(self, event: Event, member: Member, points: Sequence[str] = ()) -> None:
        """Check-in staff (for every point, or only ``points``), named by the union admin three days before."""
        from chalicelib.domain.checkin import checkin_roles

        granted_at = _at(event.starts_at.date() - timedelta(days=3), 10)
        self.roles.append(
            StaffRole(
                event.event_id,
                member.staff_no,
                member.name,
                member.unit_id,
                checkin_roles(points),
                self.granted_by,
                granted_at,
            )
        )


def _besides(pool: Sequence[Member], chosen: Sequence[Member]) -> list[Member]:
    taken = {member.staff_no for member in chosen}
    return [member for member in pool if member.staff_no not in taken]


def _is_yoga(event: Event) -> bool:
    return event.format is EventFormat.CLASS and event.title_zh.endswith("瑜伽班")


def _in_check_in_demo(event: Event) -> bool:
    return event.format is EventFormat.MASS or _is_yoga(event) or event.title_zh in (_TODAYS_LECTURE, _TALK)


def _with_check_ins(
    today: date, events: tuple[Event, ...], members: tuple[Member, ...], accounts: tuple[DemoAccount, ...]
) -> tuple[tuple[Event, ...], tuple[EventSession, ...], _CheckinDemo]:
    """Something to see at the door: the campus walk checked in at its start and finish, the yoga class's past
    sessions (some members have completed the term, others not), and this afternoon's lecture with venue self
    check-in and staff (the demo member among them). The demo member also holds a ticket for the lecture and for
    the mental health talk."""
    from chalicelib.domain.event_rules import ineligibility

    rng = random.Random(_CHECKIN_SEED)
    reference = _at(today, 12)
    demo_staff_nos = {account.staff_no for account in accounts}
    by_staff_no = {member.staff_no: member for member in members}
    demo_member = by_staff_no[next(a.staff_no for a in accounts if "member" in a.role)]
    book = _CheckinBook(rng, next(a.staff_no for a in accounts if "union admin" in a.role))
    active = [m for m in members if m.status is MemberStatus.ACTIVE and m.staff_no not in demo_staff_nos]
    enriched, sessions = [], []
    for event in events:
        eligible = [m for m in active if ineligibility(event, m) is None] if _in_check_in_demo(event) else []
        if event.format is EventFormat.MASS:
            walkers = rng.sample(eligible, _WALKERS)
            at_start, at_finish = rng.sample(_besides(eligible, walkers), 2)
            book.name_staff(event, at_start, ["start"])
            book.name_staff(event, at_finish, ["finish"])
            registered = book.register(event, walkers)
            no_show, start_only = round(len(walkers) * _WALK_NO_SHOW), round(len(walkers) * _WALK_START_ONLY)
            for rank, registration in zip(rng.sample(range(len(walkers)), len(walkers)), registered, strict=True):
                if rank < no_show:
                    continue
                started = event.starts_at - timedelta(minutes=rng.randint(1, 30))
                book.scan(registration, "start", started, at_start.staff_no, "起点签到台")
                if rank >= no_show + start_only:
                    finished = event.starts_at + timedelta(minutes=rng.randint(80, 170))
                    book.scan(registration, "finish", finished, at_finish.staff_no, "终点签到台")
            event = replace(event, confirmed_count=len(registered))
        elif _is_yoga(event):
            assert event.capacity is not None
            lessons = _weekly_sessions(event, _YOGA_MINUTES)
            sessions.extend(lessons)
            past = [lesson.session_id for lesson in lessons if lesson.ends_at < reference]
            # Lessons a member may miss and still complete the term; regulars miss no more, the others more.
            spare = len(past) - (event.checkin.completion_percent * len(lessons) + 99) // 100
            assert spare >= 0, "the yoga class is not far enough into its term to complete it"
            students = rng.sample(eligible, event.capacity)
            monitor = rng.choice(_besides(eligible, students))
            book.name_staff(event, monitor)
            registered = book.register(event, students)
            regulars = round(len(students) * _YOGA_REGULARS)
            starts = {lesson.session_id: lesson.starts_at for lesson in lessons}
            for rank, registration in zip(rng.sample(range(len(students)), len(students)), registered, strict=True):
                missed = rng.randint(0, spare) if rank < regulars else rng.randint(spare + 1, spare + 5)
                skipped = set(rng.sample(past, min(missed, len(past))))
                for lesson in past:
                    if lesson not in skipped:
                        at = starts[lesson] - timedelta(minutes=rng.randint(0, 15))
                        book.scan(registration, lesson, at, monitor.staff_no, "瑜伽室")
            event = replace(event, confirmed_count=len(registered))
        elif event.title_zh == _TODAYS_LECTURE:
            audience = rng.sample(eligible, _LECTURE_AUDIENCE)
            usher = rng.choice(_besides(eligible, audience))
            book.name_staff(event, demo_member)
            book.name_staff(event, usher)
            registered = book.register(event, [*audience, demo_member])
            event = replace(event, confirmed_count=len(registered))
        elif event.title_zh == _TALK:
            book.register(event, [demo_member], answers={"topic": "sleep"})
            event = replace(event, confirmed_count=event.confirmed_count + 1)
        enriched.append(event)
    return (
        tuple(enriched),
        tuple(sessions),
        _CheckinDemo(tuple(book.registrations), tuple(book.check_ins), tuple(book.roles)),
    )


# --- competitions -------------------------------------------------------------------------------------------

# Every draw and every result of the demo competitions comes from this seed string, recorded with each draw as a
# real draw records its own, so the same ``today`` always gives the same brackets, tables, marks and totals.
_COMPETITION_SEED = "demo-competitions-20231023"
# Draw ids embed an instant; a fixed one keeps them, and so the stored matches' keys, the same whatever the day.
_DRAW_ID_ANCHOR = _EVENT_ID_ANCHOR + timedelta(hours=2)
# The officials' roles, as chalicelib.services.competition names them (it needs storage, the seed's build does not).
_REFEREE, _JUDGE = "referee", "judge"


@dataclass(frozen=True)
class DemoCompetition:
    """One event's competition as ``store.competitions.put_many`` writes it."""

    setup: Competition
    written_at: datetime
    matches: tuple[tuple[str, str, Match], ...] = ()  # (stage, draw id, match)
    marks: tuple[tuple[str, str, str, dict], ...] = ()  # (stage, entry, judge, criterion → mark)
    performances: tuple[tuple[str, str, str, dict], ...] = ()  # (stage, discipline, entry, {"attempts": [...]})


class _CompetitionDemo(NamedTuple):
    registrations: tuple[Registration, ...]
    officials: tuple[StaffRole, ...]
    competitions: tuple[DemoCompetition, ...]


def _draw_id(rng: random.Random, number: int) -> str:
    return sortable_id(
        "d", millis=int(_DRAW_ID_ANCHOR.timestamp() * 1000) + number * 60_000, randomness=rng.getrandbits(80)
    )


def _granted(event: Event, members: Sequence[Member], role: str, by: str, at: datetime) -> list[StaffRole]:
    return [StaffRole(event.event_id, m.staff_no, m.name, m.unit_id, frozenset({role}), by, at) for m in members]


def _cup(event: Event, teams: Sequence[Team], admin: str) -> DemoCompetition:
    """The badminton team cup played out: four groups of four (the four strongest teams seeded one to a group,
    same-unit teams kept apart), the top two of each crossed into an eight-team knockout with a third-place match.
    Groups on the first day, knockout on the second, on the hall's eight courts."""
    from chalicelib.domain.competition import scoring
    from chalicelib.domain.competition.draws import draw_rng
    from chalicelib.domain.competition.model import AWAY, HOME
    from chalicelib.domain.competition.setup import (
        Competition,
        CompetitionEntry,
        EntryKind,
        Stage,
        StageKind,
        StageState,
    )
    from chalicelib.domain.competition.stages import draw_stage, knockout_outcome, qualifiers, table_outcome

    rng = draw_rng(_COMPETITION_SEED, f"results:{event.event_id}")
    fmt = scoring.TIE_PRESETS["badminton_mixed_3"]
    ordered = sorted(teams, key=lambda team: team.created_at)  # as the service lists a team event's entries
    strength = {team.team_id: rng.gauss(0, 0.8) for team in ordered}
    seeds = {team_id: seed for seed, team_id in enumerate(sorted(strength, key=strength.get, reverse=True)[:4], 1)}
    groups = Stage(
        stage_id="groups", kind=StageKind.GROUPS, name_zh="小组赛", name_en="Group stage", groups=4, qualifiers=2
    )
    knockout = Stage(
        stage_id="knockout", kind=StageKind.SINGLE_ELIMINATION, name_zh="淘汰赛", name_en="Knockout", third_place=True
    )
    competition = Competition(
        event_id=event.event_id,
        entry_kind=EntryKind.TEAM,
        match_format=fmt.code,
        tiebreak="badminton_team",
        stages=(groups, knockout),
        entries=tuple(
            CompetitionEntry(entry_id=t.team_id, name=t.name, unit_id=t.unit_id, seed=seeds.get(t.team_id))
            for t in ordered
        ),
    )

    def tie(match: Match) -> Result:
        edge = strength[match.home.entry or ""] - strength[match.away.entry or ""]
        rubbers: list[Result | None] = []
        won = {HOME: 0, AWAY: 0}
        for _ in fmt.rubbers:
            if max(won.values()) >= fmt.wins_needed:
                rubbers.append(None)  # decided: the last rubber is not played
                continue
            rubber = scoring.match_result(fmt.game, badminton_games(rng, edge + rng.gauss(0, 0.5)))
            won[rubber.winner] += 1
            rubbers.append(rubber)
        return scoring.tie_result(fmt, rubbers)

    first_day = event.starts_at.date()
    group_rounds = {1: _at(first_day, 8, 30), 2: _at(first_day, 10, 30), 3: _at(first_day, 14, 0)}
    drawn_at = _at(first_day - timedelta(days=5), 10)
    entry_ids = [entry.entry_id for entry in competition.entries]
    drawn = draw_stage(competition, groups, entry_ids, _COMPETITION_SEED)
    groups_draw = _draw_id(rng, 1)
    competition = competition.with_run(
        "groups",
        state=StageState.DRAWN,
        entries=tuple(entry_ids),
        draw_id=groups_draw,
        seed=_COMPETITION_SEED,
        drawn_at=drawn_at,
        drawn_by=admin,
        groups=drawn.groups,
    )
    # Each group has two courts: A on courts 1–2, B on 3–4 ...
    scheduled = [
        replace(
            match,
            court=f"{2 * (ord(match.bracket) - ord('A')) + match.order}号场",
            starts_at=group_rounds[match.round].isoformat(),
        )
        for match in drawn.matches
    ]
    group_matches = play_out(scheduled, tie)
    table = table_outcome(competition, groups, group_matches, _COMPETITION_SEED)
    went_on = qualifiers(groups, table)
    competition = competition.with_run(
        "groups",
        state=StageState.CLOSED,
        panel_closed=True,
        ranking=tuple(table.ranking),
        qualified=tuple(went_on),
        closed_at=_at(first_day, 17, 30),
    )

    # The knockout is drawn as the groups close: the crossing places the qualifiers, no lot needed.
    second_day = first_day + timedelta(days=1)
    knockout_times = {("W", 1): (9, 0), ("W", 2): (10, 30), ("3P", 3): (14, 0), ("W", 3): (15, 30)}
    drawn = draw_stage(competition, knockout, went_on, _COMPETITION_SEED)
    knockout_draw = _draw_id(rng, 2)
    competition = competition.with_run(
        "knockout",
        state=StageState.DRAWN,
        entries=tuple(went_on),
        draw_id=knockout_draw,
        seed=_COMPETITION_SEED,
        drawn_at=_at(first_day, 17, 30),
        drawn_by=admin,
        line=drawn.line,
    )
    scheduled = [
        replace(
            match,
            court=f"{match.order}号场",
            starts_at=_at(second_day, *knockout_times[(match.bracket, match.round)]).isoformat(),
        )
        for match in drawn.matches
    ]
    knockout_matches = play_out(scheduled, tie)
    placed = knockout_outcome(knockout_matches)
    closed_at = event.ends_at
    competition = competition.with_run(
        "knockout",
        state=StageState.CLOSED,
        panel_closed=True,
        ranking=tuple(placed.ranking),
        closed_at=closed_at,
    )
    published = competition.model_copy(update={"published": True, "published_at": closed_at + timedelta(minutes=30)})
    return DemoCompetition(
        setup=published,
        written_at=closed_at + timedelta(minutes=30),
        matches=(
            *(("groups", groups_draw, match) for match in group_matches),
            *(("knockout", knockout_draw, match) for match in knockout_matches),
        ),
    )


# The meet's events: (code, event in Chinese and English, measure, attempts, gender, age band or None for every
# age, a staff field's typical mark and its spread: seconds or metres). Sprints are run in age groups.
_MEET_EVENTS = (
    ("M100Y", "100米", "100 m", "time", 1, "M", "Y", 13.4, 0.7),
    ("M100M", "100米", "100 m", "time", 1, "M", "M", 14.6, 0.9),
    ("W100Y", "100米", "100 m", "time", 1, "F", "Y", 16.2, 1.0),
    ("W100M", "100米", "100 m", "time", 1, "F", "M", 17.6, 1.1),
    ("M1500", "1500米", "1500 m", "time", 1, "M", None, 370.0, 35.0),
    ("W800", "800米", "800 m", "time", 1, "F", None, 228.0, 22.0),
    ("MSP", "铅球", "shot put", "distance", 3, "M", None, 9.0, 1.1),
    ("WSP", "铅球", "shot put", "distance", 3, "F", None, 6.6, 0.9),
    ("MSLJ", "立定跳远", "standing long jump", "distance", 3, "M", None, 2.32, 0.18),
    ("WSLJ", "立定跳远", "standing long jump", "distance", 3, "F", None, 1.80, 0.15),
)
_MEET_RELAYS = (("M4X100", "M", 52.0, 2.2), ("W4X100", "F", 62.0, 2.8))
# Age bands: (name in Chinese and English, youngest, oldest).
_MEET_BANDS = {"Y": ("青年组", "youth", 22, 39), "M": ("中年组", "masters", 40, None)}
_MEET_TOP_EIGHT = (9, 7, 6, 5, 4, 3, 2, 1)
# How many events an athlete may enter, how many athletes a unit may enter in one, and how many relay teams run.
_MEET_EVENTS_EACH, _MEET_PER_UNIT, _MEET_RELAY_TEAMS = 2, 2, 10
_FOUL_SHARE, _DNF_SHARE = 0.1, 0.03


def _meet_mark(is_time: bool, typical: float, spread: float, form: float) -> Decimal:
    """A mark to the hundredth for an athlete whose ``form`` on the day is ``form`` spreads better than typical;
    a staff field has no one more than two spreads better, and its slowest still finish."""
    form = max(-2.5, min(2.0, form))
    return Decimal(str(typical - form * spread if is_time else typical + form * spread)).quantize(Decimal("0.01"))


def _meet(
    event: Event, units: Sequence[Unit], members: Sequence[Member], admin: str
) -> tuple[DemoCompetition, list[Member]]:
    """The athletics meet as its results came in: athletes from ``members`` entered by gender and age group, at most
    two per unit in an event and two events each; relays one team per unit; every event placed and scored
    9-7-6-5-4-3-2-1 (relays double) into the units' team totals. Returns the competition and its athletes."""
    from chalicelib.domain.competition.draws import draw_rng
    from chalicelib.domain.competition.measured import GENDER_NAMES, age_on
    from chalicelib.domain.competition.setup import (
        Competition,
        CompetitionEntry,
        Discipline,
        EntryKind,
        Meet,
        Stage,
        StageKind,
        StageRun,
        StageState,
    )
    from chalicelib.domain.competition.stages import measured_outcome
    from chalicelib.i18n import translate

    rng = draw_rng(_COMPETITION_SEED, f"results:{event.event_id}")
    day = event.starts_at.date()
    sex = {Gender.MALE: "M", Gender.FEMALE: "F"}
    names = {unit.unit_id: unit.short_name or unit.name_zh for unit in units}
    ability = {member.staff_no: rng.gauss(0, 1) for member in members}
    entered: Counter[str] = Counter()
    athletes: list[Member] = []
    disciplines, performances = [], []
    for code, event_zh, event_en, measure, attempts, gender, band, typical, spread in _MEET_EVENTS:
        gender_zh, gender_en = (translate(GENDER_NAMES[gender], language) for language in ("zh", "en"))
        band_zh, band_en, youngest, oldest = _MEET_BANDS[band] if band else ("", "", 0, None)
        candidates = [
            m
            for m in members
            if sex[m.gender] == gender
            and youngest <= age_on(m.birth_date, day) <= (oldest or 200)
            and entered[m.staff_no] < _MEET_EVENTS_EACH
        ]
        rng.shuffle(candidates)
        size = rng.randint(9, 14)
        field: list[Member] = []
        per_unit: Counter[str] = Counter()
        for member in candidates:
            if len(field) == size:
                break
            if per_unit[member.unit_id] < _MEET_PER_UNIT:
                field.append(member)
                per_unit[member.unit_id] += 1
        for member in field:
            entered[member.staff_no] += 1
            if member not in athletes:
                athletes.append(member)
            # Older athletes in events open to every age lose about 1 % a year after 35.
            form = ability[member.staff_no] - (0 if band else max(0, age_on(member.birth_date, day) - 35) * 0.08)
            is_time = measure == "time"
            if is_time:
                marks = [
                    None
                    if rng.random() < _DNF_SHARE and typical > 60
                    else _meet_mark(is_time, typical, spread, form + rng.gauss(0, 0.3))
                ]
            else:
                marks = [
                    None
                    if rng.random() < _FOUL_SHARE
                    else _meet_mark(is_time, typical, spread, form + rng.gauss(0, 0.35))
                    for _ in range(attempts)
                ]
            data = {"attempts": [None if mark is None else str(mark) for mark in marks]}
            performances.append(("meet", code, member.staff_no, data))
        disciplines.append(
            Discipline(
                code=code,
                name_zh=f"{gender_zh}{band_zh}{event_zh}",
                name_en=f"{gender_en}'s {event_en}" + (f" ({band_en})" if band_en else ""),
                measure=measure,
                attempts=attempts,
                entries=tuple(m.staff_no for m in field),
            )
        )
    relay_teams = []
    for code, gender, typical, spread in _MEET_RELAYS:
        gender_zh, gender_en = (translate(GENDER_NAMES[gender], language) for language in ("zh", "en"))
        runners = Counter(m.unit_id for m in members if sex[m.gender] == gender)
        teams = rng.sample(sorted(unit for unit, count in runners.items() if count >= 4), _MEET_RELAY_TEAMS)
        team_ids = [f"{code}-{unit_id}" for unit_id in teams]
        relay_teams += [
            CompetitionEntry(entry_id=team_id, name=f"{names[unit_id]}{gender_zh[0]}队", unit_id=unit_id)
            for team_id, unit_id in zip(team_ids, teams, strict=True)
        ]
        for team_id in team_ids:
            mark = _meet_mark(True, typical, spread, rng.gauss(0, 1))
            performances.append(("meet", code, team_id, {"attempts": [str(mark)]}))
        disciplines.append(
            Discipline(
                code=code,
                name_zh=f"{gender_zh}4×100米接力",
                name_en=f"{gender_en}'s 4 × 100 m relay",
                measure="time",
                relay=True,
                entries=tuple(team_ids),
            )
        )
    stage = Stage(
        stage_id="meet",
        kind=StageKind.MEASURED,
        name_zh="田径比赛",
        name_en="Track and field",
        meet=Meet(disciplines=tuple(disciplines), place_points=_MEET_TOP_EIGHT, relay_factor=2),
    )
    entries = (
        *(CompetitionEntry(entry_id=m.staff_no, name=m.name, unit_id=m.unit_id) for m in athletes),
        *relay_teams,
    )
    by_discipline: dict[str, dict[str, list[Decimal | None]]] = {}
    for _, code, entry_id, data in performances:
        marks = [None if mark is None else Decimal(mark) for mark in data["attempts"]]
        by_discipline.setdefault(code, {})[entry_id] = marks
    totals = measured_outcome(stage, by_discipline, {entry.entry_id: entry.unit_id for entry in entries})
    closed_at = event.ends_at
    run = StageRun(
        state=StageState.CLOSED,
        entries=tuple(entry.entry_id for entry in entries),
        seed=_COMPETITION_SEED,
        drawn_at=event.starts_at - timedelta(days=2),
        drawn_by=admin,
        panel_closed=True,
        ranking=tuple(totals.ranking),
        closed_at=closed_at,
    )
    competition = Competition(
        event_id=event.event_id,
        entry_kind=EntryKind.INDIVIDUAL,
        stages=(stage,),
        entries=entries,
        runs={"meet": run},
        published=True,
        published_at=closed_at + timedelta(minutes=30),
    )
    contest = DemoCompetition(competition, closed_at + timedelta(minutes=30), performances=tuple(performances))
    return contest, athletes


# The singer contest's marks: (code, criterion in Chinese and English, weight).
_SINGER_CRITERIA = (
    ("pitch", "音准节奏", "Pitch and rhythm", 0.4),
    ("tone", "音色表现", "Tone and expression", 0.3),
    ("stage", "台风仪表", "Stage presence", 0.3),
)
_SINGER_UNITS, _FINALISTS = 12, 8
# The professional judges (music teachers and the like) sit on both panels; each round adds one more judge.
_SINGER_JUDGES = ("art", "art", "foreign", "humanities")


def _singer_marks(
    rng: random.Random, judges: Sequence[str], quality: dict[str, float]
) -> dict[str, dict[str, dict[str, float]]]:
    """Entry → judge → criterion → mark, to one decimal: the singer's quality that day, the criterion where they
    are stronger or weaker, each judge's own severity, and a little disagreement."""
    severity = {judge: rng.gauss(0, 1.2) for judge in judges}
    marks: dict[str, dict[str, dict[str, float]]] = {}
    for entry_id, level in quality.items():
        leaning = {code: rng.gauss(0, 1.5) for code, *_ in _SINGER_CRITERIA}
        marks[entry_id] = {
            judge: {
                code: round(min(99.5, level + severity[judge] + leaning[code] + rng.gauss(0, 1.0)), 1)
                for code, *_ in _SINGER_CRITERIA
            }
            for judge in judges
        }
    return marks


def _singer(
    event: Event, members: Sequence[Member], demo_member: Member, admin: str
) -> tuple[DemoCompetition, list[Member], tuple[Member, ...], tuple[Member, ...]]:
    """The singer contest judged: a preliminary of one to three singers from each of twelve units before five
    judges (the highest and lowest mark dropped), its top eight in the final before five judges, the demo member
    among them, and the final's awards. Returns the competition, the singers and both rounds' judges."""
    from chalicelib.domain.competition.draws import draw_rng
    from chalicelib.domain.competition.setup import (
        Competition,
        CompetitionEntry,
        Criterion,
        EntryKind,
        Judging,
        Panel,
        Stage,
        StageKind,
        StageRun,
        StageState,
        Tier,
    )
    from chalicelib.domain.competition.stages import judged_outcome, qualifiers

    rng = draw_rng(_COMPETITION_SEED, f"results:{event.event_id}")
    pool = list(members)
    rng.shuffle(pool)
    core: list[Member] = []
    for unit_id in _SINGER_JUDGES:
        core.append(next(m for m in pool if m.unit_id == unit_id and m not in core))
    prelim_only = next(m for m in pool if m.unit_id == "admin" and m not in core)
    judges = {m.staff_no for m in (*core, prelim_only)}
    units = sorted({m.unit_id for m in pool})
    singers: list[Member] = []
    for unit_id in sorted(rng.sample(units, _SINGER_UNITS)):
        own = [m for m in pool if m.unit_id == unit_id and m.staff_no not in judges]
        singers += own[: rng.choice((1, 1, 2, 2, 3))]
    criteria = tuple(
        Criterion(code=code, name_zh=zh, name_en=en, weight=weight) for code, zh, en, weight in _SINGER_CRITERIA
    )
    prelim_panel = tuple(m.staff_no for m in (*core, prelim_only))
    final_panel = tuple(m.staff_no for m in (*core, demo_member))
    entry_ids = tuple(m.staff_no for m in singers)
    quality = {m.staff_no: max(70.0, min(96.0, rng.gauss(86, 3.5))) for m in singers}

    prelim_judging = Judging(
        criteria=criteria,
        panels=(Panel(panel_id="prelim", name_zh="预赛评委组", judges=prelim_panel, entries=entry_ids),),
    )
    prelim = Stage(
        stage_id="prelim",
        kind=StageKind.JUDGED,
        name_zh="预赛",
        name_en="Preliminary",
        qualifiers=_FINALISTS,
        judging=prelim_judging,
    )
    prelim_marks = _singer_marks(rng, prelim_panel, quality)
    ranked = judged_outcome(prelim_judging, entry_ids, prelim_marks, _COMPETITION_SEED)
    finalists = tuple(qualifiers(prelim, ranked))
    tiers = (
        Tier(code="first", name_zh="一等奖", name_en="First prize", count=1),
        Tier(code="second", name_zh="二等奖", name_en="Second prize", count=2),
        Tier(code="third", name_zh="三等奖", name_en="Third prize", count=3),
        Tier(code="merit", name_zh="优秀奖", name_en="Merit award", count=len(finalists) - 6),
    )
    final_judging = Judging(
        criteria=criteria,
        tiers=tiers,
        panels=(Panel(panel_id="final", name_zh="决赛评委组", judges=final_panel, entries=finalists),),
    )
    final = Stage(stage_id="final", kind=StageKind.JUDGED, name_zh="决赛", name_en="Final", judging=final_judging)
    # A singer's evening in the final is not quite their afternoon in the preliminary.
    final_marks = _singer_marks(rng, final_panel, {e: quality[e] + rng.gauss(0, 1.5) for e in finalists})
    # The final's lot (for a tie on every criterion) is drawn from the event, as the service draws it.
    awarded = judged_outcome(final_judging, finalists, final_marks, event.event_id)

    prelim_end = _at(event.starts_at.date(), 17, 30)
    closed_at = event.ends_at
    runs = {
        "prelim": StageRun(
            state=StageState.CLOSED,
            entries=entry_ids,
            seed=_COMPETITION_SEED,
            drawn_at=event.starts_at - timedelta(days=1),
            drawn_by=admin,
            panel_closed=True,
            ranking=tuple(ranked.ranking),
            qualified=finalists,
            closed_at=prelim_end,
        ),
        "final": StageRun(
            state=StageState.CLOSED,
            entries=finalists,
            panel_closed=True,
            ranking=tuple(awarded.ranking),
            closed_at=closed_at,
        ),
    }
    competition = Competition(
        event_id=event.event_id,
        entry_kind=EntryKind.INDIVIDUAL,
        stages=(prelim, final),
        entries=tuple(CompetitionEntry(entry_id=m.staff_no, name=m.name, unit_id=m.unit_id) for m in singers),
        runs=runs,
        published=True,
        published_at=closed_at + timedelta(minutes=30),
    )
    marks = tuple(
        (stage_id, entry_id, judge, criterion_marks)
        for stage_id, stage_marks in (("prelim", prelim_marks), ("final", final_marks))
        for entry_id, by_judge in stage_marks.items()
        for judge, criterion_marks in by_judge.items()
    )
    contest = DemoCompetition(competition, closed_at + timedelta(minutes=30), marks=marks)
    return contest, singers, (*core, prelim_only), (*core, demo_member)


def _with_competitions(
    events: tuple[Event, ...],
    units: tuple[Unit, ...],
    members: tuple[Member, ...],
    accounts: tuple[DemoAccount, ...],
    teams: tuple[Team, ...],
) -> tuple[tuple[Event, ...], _CompetitionDemo]:
    """The competitions played so far, published: the badminton team cup (groups then knockout, teams from the
    units), the athletics meet with its unit totals, and the singer contest's preliminary and final. The meet's
    athletes and the singers are registered for their events; the cup's referees and the contest's judges hold
    their roles for the event, and the demo member is a referee of the cup and a judge of the singers' final."""
    from chalicelib.domain.event_rules import ineligibility

    demo_staff_nos = {account.staff_no for account in accounts}
    by_staff_no = {member.staff_no: member for member in members}
    demo_member = by_staff_no[next(a.staff_no for a in accounts if "member" in a.role)]
    admin = next(a.staff_no for a in accounts if "union admin" in a.role)
    active = [m for m in members if m.status is MemberStatus.ACTIVE and m.staff_no not in demo_staff_nos]
    enriched, registrations, officials, competitions = [], [], [], []
    for event in events:
        eligible = [m for m in active if ineligibility(event, m) is None]
        granted_at = _at(event.starts_at.date() - timedelta(days=3), 10)
        if event.title_zh == _CUP:
            contest = _cup(event, [t for t in teams if t.event_id == event.event_id], admin)
            players = {staff_no for t in teams if t.event_id == event.event_id for staff_no in t.roster}
            referees = [m for m in eligible if m.unit_id == "pe" and m.staff_no not in players][:2]
            officials += _granted(event, [demo_member, *referees], _REFEREE, admin, granted_at)
        elif event.format is EventFormat.MEET and event.status is EventStatus.FINISHED:
            contest, athletes = _meet(event, units, eligible, admin)
            registrations += _entered(event, athletes)
            event = replace(event, confirmed_count=len(athletes))
        elif event.title_zh == _SINGER:
            contest, singers, prelim_judges, final_judges = _singer(event, eligible, demo_member, admin)
            registrations += _entered(event, singers)
            event = replace(event, confirmed_count=len(singers))
            officials += _granted(event, prelim_judges, _JUDGE, admin, granted_at)
            # The final's own judge was asked the day after the preliminary.
            asked_at = _at(event.starts_at.date() + timedelta(days=1), 10)
            officials += _granted(event, [m for m in final_judges if m not in prelim_judges], _JUDGE, admin, asked_at)
        else:
            enriched.append(event)
            continue
        competitions.append(contest)
        enriched.append(event)
    return tuple(enriched), _CompetitionDemo(tuple(registrations), tuple(officials), tuple(competitions))


def _entered(event: Event, members: Sequence[Member]) -> list[Registration]:
    """Confirmed registrations, in the order given, from the day registration opened."""
    assert event.registration_opens_at is not None
    return [
        Registration(event.event_id, SERIES, m.staff_no, m.name, m.unit_id, RegistrationState.CONFIRMED, at, at)
        for position, m in enumerate(members)
        for at in (event.registration_opens_at + timedelta(minutes=11 * position + 5),)
    ]


def build_demo_union(today: date) -> DemoUnion:
    """The demo union as it stands on ``today``; the same ``today`` always gives the same union."""
    units, members, accounts = _with_demo_roles(build_units(), _build_members(today))
    events, sessions, registrations = _with_registrations(_build_events(today), members, accounts)
    events, applications, lottery_places, draws = _with_lotteries(today, events, members, accounts, registrations)
    events, players, team_places, teams = _with_teams(events, units, members, accounts)
    events, lessons, door = _with_check_ins(today, events, members, accounts)
    events, contests = _with_competitions(events, units, members, accounts, teams)
    return DemoUnion(
        units=units,
        members=members,
        events=events,
        accounts=accounts,
        sessions=(*sessions, *lessons),
        registrations=(*registrations, *applications, *players, *door.registrations, *contests.registrations),
        unit_places=(*lottery_places, *team_places),
        draws=draws,
        teams=teams,
        check_ins=door.check_ins,
        event_roles=door.roles,
        officials=contests.officials,
        competitions=contests.competitions,
    )


def seed(store: Store, today: date) -> dict[str, int]:
    """Upsert the demo union; returns how many units, members and events were written."""
    union = build_demo_union(today)
    # Units go last: the school unit is the "already seeded" marker (see ``seed_if_empty``), so it must only
    # appear once everything else is written. A crash part-way leaves no marker and the next run seeds again;
    # every key is deterministic, so that second run overwrites what the first wrote rather than duplicate it.
    members = store.members.put_many(union.members)
    # Registrations, teams, unit places and draws before their events: the events carry the counters that must
    # match them, and a lottery event's commitment must have its sealed draw behind it.
    store.registrations.put_many(list(union.registrations), option_use(union))
    teams = store.teams.put_many(union.teams)
    store.unit_places.put_many(union.unit_places)
    # The draws' seeds were nominally sealed when the demo events were created (the instant their ids embed).
    store.draws.put_many(union.draws, created_at=_EVENT_ID_ANCHOR)
    store.sessions.put_many(list(union.sessions))
    store.check_ins.put_many(union.check_ins)
    store.event_roles.put_many(union.event_roles)
    store.event_roles.put_many(union.officials)
    for contest in union.competitions:
        setup = contest.setup
        store.competitions.put_many(
            setup.event_id,
            setup.model_dump(mode="json"),
            contest.matches,
            contest.marks,
            contest.performances,
            contest.written_at,
        )
    events = store.events.put_many(union.events)
    for account in union.accounts:
        store.accounts.set_password(account.staff_no, hash_password(account.password))
    units = store.units.put_many(union.units)
    return {
        "units": units,
        "members": members,
        "events": events,
        "accounts": len(union.accounts),
        "registrations": len(union.registrations),
        "teams": teams,
        "unit_places": len(union.unit_places),
        "draws": len(union.draws),
        "check_ins": len(union.check_ins),
        "event_roles": len(union.event_roles),
        "officials": len(union.officials),
        "competitions": len(union.competitions),
    }


def seed_if_empty(store: Store, today: date) -> dict[str, int] | None:
    """Seed unless a school union already exists; ``None`` means nothing was written."""
    if store.units.get(SCHOOL_UNIT_ID) is not None:
        return None
    return seed(store, today)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.demo_seed", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="write the demo union even if one exists")
    args = parser.parse_args(argv)

    # Imported here so that building the demo union (and its tests) never needs settings or a database.
    from chalicelib.domain.calendar import now
    from chalicelib.settings import get_settings
    from chalicelib.storage import get_store

    if get_settings().stage == "prod":
        print("拒绝在生产环境写入示范数据 / refusing to seed demo data into prod", file=sys.stderr)
        return 2
    store = get_store()
    today = now().date()
    counts = seed(store, today) if args.force else seed_if_empty(store, today)
    if counts is None:
        print("示范工会已存在，未写入 / demo union already present, nothing written (use --force to rewrite)")
        return 0
    print(
        f"已写入示范工会：{counts['units']} 个单位，{counts['members']} 名会员，{counts['events']} 项活动 / "
        f"demo union written: {counts['units']} units, {counts['members']} members, {counts['events']} events"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
