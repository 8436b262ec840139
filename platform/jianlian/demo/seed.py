"""The demo province: a real-looking 浙江 with its cities, counties, medical communities, hospitals,
tenants, staff, and one sign-in per built-in role.

`seed_province("demo")` builds a small province in seconds (what `make run` seeds on first start);
`seed_province("full")` reaches the figures of seed document 004: all 11 cities, their 90 counties
(real GB/T 2260 codes), 18 provincial hospitals and 300,000 staff.

Every step first looks for what already exists, so a second run writes nothing and a larger run
tops up a smaller one (`demo`, then `full`, adds the missing cities, counties, tenants and staff).
Units are created only through `hierarchy.services.create_unit` and tenants only through
`tenants.provisioning.create_tenant`, so the seed obeys the same rules as the API and is audited.
Staff are written with COPY in batches: `User.save()` is bypassed, so the blind index of the ID
number is computed here and the number is encrypted by its own field's `get_prep_value`.
"""

from __future__ import annotations

import io
import itertools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.access.permissions import BUILTIN_BY_CODE, BUILTIN_ROLES
from jianlian.core.errors import DomainError
from jianlian.core.validators import id_number_check_char
from jianlian.hierarchy.models import AUTHORITY_LEVELS, OrgUnit, UnitType
from jianlian.hierarchy.services import create_unit
from jianlian.identity.crypto import encrypt
from jianlian.identity.models import User, UserStatus, id_number_blind_index, mobile_blind_index, mobile_suffix_indexes
from tenants.models import Tenant
from tenants.provisioning import create_tenant, ensure_template, seed_province_roles

# --- the province ---------------------------------------------------------------------------------

PROVINCE = ("330000", "浙江省")

# code, name, the city's own hospital (a standalone hospital under the city), its tenant slug
CITIES = (
    ("330100", "杭州市", "杭州市第一人民医院", "hzsy"),
    ("330200", "宁波市", "宁波市第一医院", "nbdy"),
    ("330300", "温州市", "温州市人民医院", "wzrmyy"),
    ("330400", "嘉兴市", "嘉兴市第一医院", "jxdy"),
    ("330500", "湖州市", "湖州市中心医院", "hzzx"),
    ("330600", "绍兴市", "绍兴市人民医院", "sxrmyy"),
    ("330700", "金华市", "金华市中心医院", "jhzx"),
    ("330800", "衢州市", "衢州市人民医院", "qzrmyy"),
    ("330900", "舟山市", "舟山医院", "zsyy"),
    ("331000", "台州市", "台州市中心医院", "tzzx"),
    ("331100", "丽水市", "丽水市中心医院", "lszx"),
)

# Every county-level division of Zhejiang (GB/T 2260): code, name, tenant slug of its community.
COUNTIES = (
    ("330102", "上城区", "shangcheng"), ("330105", "拱墅区", "gongshu"), ("330106", "西湖区", "xihu"),
    ("330108", "滨江区", "binjiang"), ("330109", "萧山区", "xiaoshan"), ("330110", "余杭区", "yuhang"),
    ("330111", "富阳区", "fuyang"), ("330112", "临安区", "linan"), ("330113", "临平区", "linping"),
    ("330114", "钱塘区", "qiantang"), ("330122", "桐庐县", "tonglu"), ("330127", "淳安县", "chunan"),
    ("330182", "建德市", "jiande"),
    ("330203", "海曙区", "haishu"), ("330205", "江北区", "jiangbei"), ("330206", "北仑区", "beilun"),
    ("330211", "镇海区", "zhenhai"), ("330212", "鄞州区", "yinzhou"), ("330213", "奉化区", "fenghua"),
    ("330225", "象山县", "xiangshan"), ("330226", "宁海县", "ninghai"), ("330281", "余姚市", "yuyao"),
    ("330282", "慈溪市", "cixi"),
    ("330302", "鹿城区", "lucheng"), ("330303", "龙湾区", "longwan"), ("330304", "瓯海区", "ouhai"),
    ("330305", "洞头区", "dongtou"), ("330324", "永嘉县", "yongjia"), ("330326", "平阳县", "pingyang"),
    ("330327", "苍南县", "cangnan"), ("330328", "文成县", "wencheng"), ("330329", "泰顺县", "taishun"),
    ("330381", "瑞安市", "ruian"), ("330382", "乐清市", "yueqing"), ("330383", "龙港市", "longgang"),
    ("330402", "南湖区", "nanhu"), ("330411", "秀洲区", "xiuzhou"), ("330421", "嘉善县", "jiashan"),
    ("330424", "海盐县", "haiyan"), ("330481", "海宁市", "haining"), ("330482", "平湖市", "pinghu"),
    ("330483", "桐乡市", "tongxiang"),
    ("330502", "吴兴区", "wuxing"), ("330503", "南浔区", "nanxun"), ("330521", "德清县", "deqing"),
    ("330522", "长兴县", "changxing"), ("330523", "安吉县", "anji"),
    ("330602", "越城区", "yuecheng"), ("330603", "柯桥区", "keqiao"), ("330604", "上虞区", "shangyu"),
    ("330624", "新昌县", "xinchang"), ("330681", "诸暨市", "zhuji"), ("330683", "嵊州市", "shengzhou"),
    ("330702", "婺城区", "wucheng"), ("330703", "金东区", "jindong"), ("330723", "武义县", "wuyi"),
    ("330726", "浦江县", "pujiang"), ("330727", "磐安县", "panan"), ("330781", "兰溪市", "lanxi"),
    ("330782", "义乌市", "yiwu"), ("330783", "东阳市", "dongyang"), ("330784", "永康市", "yongkang"),
    ("330802", "柯城区", "kecheng"), ("330803", "衢江区", "qujiang"), ("330822", "常山县", "changshan"),
    ("330824", "开化县", "kaihua"), ("330825", "龙游县", "longyou"), ("330881", "江山市", "jiangshan"),
    ("330902", "定海区", "dinghai"), ("330903", "普陀区", "putuo"), ("330921", "岱山县", "daishan"),
    ("330922", "嵊泗县", "shengsi"),
    ("331002", "椒江区", "jiaojiang"), ("331003", "黄岩区", "huangyan"), ("331004", "路桥区", "luqiao"),
    ("331022", "三门县", "sanmen"), ("331023", "天台县", "tiantai"), ("331024", "仙居县", "xianju"),
    ("331081", "温岭市", "wenling"), ("331082", "临海市", "linhai"), ("331083", "玉环市", "yuhuan"),
    ("331102", "莲都区", "liandu"), ("331121", "青田县", "qingtian"), ("331122", "缙云县", "jinyun"),
    ("331123", "遂昌县", "suichang"), ("331124", "松阳县", "songyang"), ("331125", "云和县", "yunhe"),
    ("331126", "庆元县", "qingyuan"), ("331127", "景宁畲族自治县", "jingning"), ("331181", "龙泉市", "longquan"),
)

_G, _TCM, _SP = UnitType.GENERAL_HOSPITAL, UnitType.TCM_HOSPITAL, UnitType.SPECIALIST_HOSPITAL
# The 18 provincial hospitals (standalone, under the province): name, tenant slug, unit type.
PROVINCIAL_HOSPITALS = (
    ("浙江大学医学院附属第一医院", "zheyi", _G), ("浙江省人民医院", "zjsrmyy", _G),
    ("浙江大学医学院附属第二医院", "zheer", _G), ("浙江大学医学院附属邵逸夫医院", "shaoyifu", _G),
    ("浙江省中医院", "zjszyy", _TCM), ("浙江省肿瘤医院", "zjszl", _SP),
    ("浙江大学医学院附属妇产科医院", "zdfk", _SP), ("浙江大学医学院附属儿童医院", "zdet", _SP),
    ("浙江大学医学院附属第四医院", "zdsy", _G), ("浙江大学医学院附属口腔医院", "zdkq", _SP),
    ("浙江医院", "zjyy", _G), ("浙江省立同德医院", "tongde", _G), ("浙江省新华医院", "xinhua", _G),
    ("浙江省中山医院", "zjzsyy", _TCM), ("浙江省皮肤病医院", "zjpfb", _SP), ("浙江省荣军医院", "rongjun", _G),
    ("温州医科大学附属第一医院", "wyfy", _G), ("温州医科大学附属第二医院", "wyey", _G),
)

# Real towns (乡镇) and sub-districts (街道) of the demo counties; other counties draw from the stems.
REAL_PLACES = {
    "330122": ("分水镇 横村镇 富春江镇 江南镇 瑶琳镇 百江镇 莪山畲族乡 钟山乡 新合乡 合村乡",
               "城南街道 旧县街道 桐君街道 凤川街道"),
    "330127": ("汾口镇 威坪镇 姜家镇 临岐镇 石林镇 文昌镇 大墅镇 中洲镇 梓桐镇 枫树岭镇 里商乡 金峰乡",
               "千岛湖镇"),
    "330182": ("梅城镇 乾潭镇 寿昌镇 大同镇 杨村桥镇 下涯镇 李家镇 航头镇 大慈岩镇 三都镇 大洋镇 钦堂乡",
               "新安江街道 洋溪街道 更楼街道"),
    "330225": ("石浦镇 西周镇 贤庠镇 定塘镇 墙头镇 泗洲头镇 涂茨镇 大徐镇 新桥镇 鹤浦镇 晓塘乡 茅洋乡",
               "丹东街道 丹西街道 爵溪街道"),
    "330226": ("长街镇 力洋镇 西店镇 深甽镇 岔路镇 前童镇 强蛟镇 一市镇 黄坛镇 桑洲镇 胡陈乡 茶院乡",
               "跃龙街道 桃源街道 梅林街道 桥头胡街道"),
}
TOWN_STEMS = tuple(
    "城关 新桥 大溪 石门 白沙 清溪 龙山 梅林 横溪 东溪 西岙 长乐 安仁 河口 高桥 三江 塘头 古城 芦浦 马屿 "
    "湖镇 溪口 枫桥 洪塘 章村 双峰 岭下 金山 南山 北岸 上塘 下陈 前仓 白塔 云峰 凤凰 石塘 大岭".split()
)
STREET_STEMS = tuple("城东 城西 城南 城北 城中 江滨 新城 东门 西门 南门".split())
VILLAGE_STEMS = tuple(
    "上方 下洋 东坞 西塘 石桥 竹林 梅岭 前山 桥头 大坪 新塘 后山 前村 青山 湖田 白石 枫树 庙前 塘坞 高岭 金竹 茶园".split()
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈"
    "钟姜崔谭陆范汪廖石金贾夏方邹熊孟秦邱侯江尹薛段雷龙史陶贺毛郝顾龚邵万钱戴严孔汤施洪章楼应俞裘翁舒柳鲍"
)
GIVEN_MALE = "伟强磊军洋勇杰涛明超斌浩鹏宇俊峰建华志刚文博辉翔晨凯平东亮鑫健林波宁海成龙飞国栋"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳颖倩洁慧佳怡萍红梅英兰琴云莉欣悦晓蕾璐瑶雯婧"
MOBILE_PREFIXES = tuple(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "177 180 181 182 183 185 186 187 188 189 198 199".split()
)

# Share of the staff per kind of unit (each unit gets at least one person).
STAFF_WEIGHTS = {
    "provincial_hospital": 40, "city_hospital": 25, UnitType.COUNTY_HOSPITAL: 12,
    UnitType.TOWNSHIP_CENTRE: 2.5, UnitType.COMMUNITY_CENTRE: 2, UnitType.VILLAGE_CLINIC: 0.2,
}


@dataclass(frozen=True)
class Scale:
    counties: frozenset | None  # division codes; None = every county
    provincial_hospitals: int
    staff: int


SCALES = {
    "demo": Scale(frozenset({"330122", "330127", "330182", "330225", "330226"}), 2, 1_000),
    "full": Scale(None, len(PROVINCIAL_HOSPITALS), 300_000),
}

# The demo accounts live in this county's community (桐庐) and its first township centre (分水镇).
ANCHOR_COUNTY = "330122"
# username, real name, role code, where the role is granted, where they work (the first is primary)
DEMO_ACCOUNTS = (
    ("province_admin", "王建国", "province_admin", "province", ()),
    ("city_supervisor", "李明华", "city_supervisor", "city", ()),
    ("county_supervisor", "张卫东", "county_supervisor", "county", ()),
    ("tonglu_admin", "陈志刚", "tenant_admin", "lead", ("lead",)),
    ("tonglu_unit_admin", "刘晓燕", "unit_admin", "township", ("township",)),
    ("tonglu_doctor", "杨文斌", "doctor", "lead", ("lead",)),
    ("fenshui_doctor", "黄丽娟", "doctor", "township", ("township",)),
    ("tonglu_staff", "赵敏", "staff", "lead", ("lead",)),
    # a county-hospital doctor sent down (下沉) to the township centre: two memberships
    ("xiaxiang_doctor", "周海峰", "doctor", "lead", ("lead", "township")),
    # receiving doctors of a provincial hospital, so a referral up from 桐庐 can be received and
    # accepted in the demo (the hospital's admin is `zjsrmyy_admin`, who can grant more)
    ("zjsrmyy_doctor", "沈建平", "doctor", "hospital", ("hospital",)),
    ("zjsrmyy_doctor2", "蒋慧敏", "doctor", "hospital", ("hospital",)),
)
# The provincial hospital whose doctors receive the demo's referrals (in every scale).
RECEIVING_HOSPITAL = "zjsrmyy"
# Roles that installed apps bring (manifest default_roles), granted to demo accounts in the tenant
# that owns the place: the community's data officer approves its members' supervision reports,
# the township centre's reports them.
DEMO_APP_GRANTS = (
    ("tonglu_admin", "supervision_officer", "lead"),
    ("tonglu_unit_admin", "supervision_officer", "township"),
    ("tonglu_admin", "approvals_admin", "lead"),
    ("tonglu_admin", "announcements_admin", "lead"),
    ("tonglu_admin", "documents_clerk", "lead"),
    ("tonglu_admin", "mailbox_admin", "lead"),
)
# The apps the province mandates for every tenant.
DEMO_MANDATES = ("referrals", "supervision", "approvals", "announcements", "documents", "mailbox")
MEDICAL_LEVELS = ("lead", "member", "hospital")
BATCH = 5_000


def ensure_not_production() -> None:
    if settings.PRODUCTION:
        raise DomainError(
            "DEMO_IN_PRODUCTION", _("生产环境（JIANLIAN_ENV=production）不能生成或显示演示数据，已拒绝执行。")
        )


# --- the plan: what the province should hold -------------------------------------------------------

@dataclass(eq=False)
class UnitSpec:
    level: str
    name: str
    unit_type: str
    short_name: str = ""
    division_code: str = ""
    weight: float = 0.0  # share of the staff
    slug: str = ""  # tenant slug, for community leads and standalone hospitals
    tenant_name: str = ""
    regions: tuple = ()  # county codes for the staff's ID numbers
    parent: UnitSpec | None = None
    children: list = field(default_factory=list)
    unit: OrgUnit | None = None  # the row, once found or created
    tenant: Tenant | None = None

    def add(self, child: UnitSpec) -> UnitSpec:
        child.parent = self
        child.regions = child.regions or self.regions
        self.children.append(child)
        return child

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def owner(self) -> UnitSpec:
        """The lead unit or hospital whose tenant holds this unit."""
        return self if self.slug else self.parent.owner


@dataclass
class Plan:
    root: UnitSpec
    places: dict  # the demo accounts' places: province, city, county, lead, township, hospital

    def units(self, *levels: str) -> list[UnitSpec]:
        return [s for s in self.root.walk() if s.level in levels]


def _pick(real: tuple, stems: tuple, suffix: str, n: int, rng: random.Random) -> list[str]:
    """n place names: the real ones first, then invented ones from the stems."""
    names = list(real[:n])
    invented = [s + suffix for s in rng.sample(stems, len(stems)) if s + suffix not in names]
    return names + invented[: n - len(names)]


def _community(county: UnitSpec, code: str, full: str, slug: str) -> tuple[UnitSpec, UnitSpec]:
    """A county's medical community: its lead hospital and 5–15 members. Returns (lead, first centre)."""
    rng = random.Random(f"jianlian-demo:{code}")
    lead = county.add(UnitSpec(
        "lead", f"{full}第一人民医院", UnitType.COUNTY_HOSPITAL, short_name=f"{county.short_name}一院",
        weight=STAFF_WEIGHTS[UnitType.COUNTY_HOSPITAL], slug=slug, tenant_name=f"{full}医共体",
    ))
    n = rng.randint(5, 15)
    n_comm = min(rng.randint(2, 4) if full.endswith("区") else rng.randint(1, 2), n - 3)
    n_village = rng.randint(1, min(4, n - n_comm - 2))
    n_town = n - n_comm - n_village
    real_towns, real_streets = (part.split() for part in REAL_PLACES.get(code, ("", "")))
    towns = _pick(tuple(real_towns), TOWN_STEMS, "镇", n_town, rng)
    members = []
    for i, town in enumerate(towns):
        kind = "中心卫生院" if i < max(1, n_town // 4) else "卫生院"
        members.append((f"{town}{kind}", UnitType.TOWNSHIP_CENTRE))
    for street in _pick(tuple(real_streets), STREET_STEMS, "街道", n_comm, rng):
        members.append((f"{street}社区卫生服务中心", UnitType.COMMUNITY_CENTRE))
    for i, village in enumerate(rng.sample(VILLAGE_STEMS, n_village)):
        members.append((f"{towns[i % n_town]}{village}村卫生室", UnitType.VILLAGE_CLINIC))
    specs = [
        lead.add(UnitSpec("member", f"{full}{short}", unit_type, short_name=short, weight=STAFF_WEIGHTS[unit_type]))
        for short, unit_type in members
    ]
    return lead, specs[0]


def _hospital(parent: UnitSpec, name: str, slug: str, unit_type: str, kind: str) -> UnitSpec:
    return parent.add(UnitSpec("hospital", name, unit_type, weight=STAFF_WEIGHTS[kind], slug=slug))


def build_plan(scale: Scale) -> Plan:
    """The units the scale asks for, as a tree of specs in the order MPTT sorts siblings."""
    hc = UnitType.HEALTH_COMMISSION
    counties = [c for c in COUNTIES if scale.counties is None or c[0] in scale.counties]
    root = UnitSpec("province", f"{PROVINCE[1]}卫生健康委员会", hc, short_name="省卫健委",
                    division_code=PROVINCE[0], regions=tuple(c[0] for c in counties))
    places = {"province": root}
    for name, slug, unit_type in PROVINCIAL_HOSPITALS[: scale.provincial_hospitals]:
        hospital = _hospital(root, name, slug, unit_type, "provincial_hospital")
        if slug == RECEIVING_HOSPITAL:
            places["hospital"] = hospital
    for city_code, city_name, hospital_name, hospital_slug in CITIES:
        mine = [c for c in counties if c[0][:4] == city_code[:4]]
        if not mine:
            continue
        city = root.add(UnitSpec("city", f"{city_name}卫生健康委员会", hc, short_name=f"{city_name}卫健委",
                                 division_code=city_code, regions=tuple(c[0] for c in mine)))
        _hospital(city, hospital_name, hospital_slug, UnitType.GENERAL_HOSPITAL, "city_hospital")
        for code, name, slug in mine:
            full = city_name + name if name.endswith("区") else name  # districts carry their city's name
            county = city.add(UnitSpec("county", f"{full}卫生健康局", hc, short_name=name,
                                       division_code=code, regions=(code,)))
            lead, centre = _community(county, code, full, slug)
            if code == ANCHOR_COUNTY:
                places.update(city=city, county=county, lead=lead, township=centre)
    for spec in root.walk():
        spec.children.sort(key=lambda s: (s.division_code, s.name))
    return Plan(root, places)


# --- people ---------------------------------------------------------------------------------------

def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` over units by weight, each unit at least one (largest remainder)."""
    rest, weight_sum = total - len(weights), sum(weights)
    shares = [rest * w / weight_sum for w in weights]
    counts = [int(s) + 1 for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] % 1, reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _random_name(rng: random.Random) -> tuple[str, bool]:
    """A real-looking name and whether it is a woman's (most health workers are)."""
    female = rng.random() < 0.6
    pool = GIVEN_FEMALE if female else GIVEN_MALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given, female


def _is_female_name(real_name: str) -> bool:
    return real_name[-1] in GIVEN_FEMALE


# --- bulk writes ----------------------------------------------------------------------------------

_ID_NUMBER_FIELD = User._meta.get_field("id_number")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.isalnum() for v in value):
        return "{" + ",".join(value) + "}"  # an array of plain tokens (blind indexes)
    raise TypeError(f"cannot COPY a {type(value).__name__}")


def copy_rows(model, rows: list[dict]) -> None:
    """Insert `rows` (attname → database-ready value, the same keys in every row) with COPY, which
    costs a fraction of bulk_create's per-field preparation at 300,000 rows. Columns a row leaves
    out get the field's default, so fields added to the model later need no change here."""
    given = rows[0].keys()
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
    defaults = {
        f.attname: _copy_text(f.get_db_prep_save(f.get_default(), connection)) for f in fields if f.attname not in given
    }
    columns = [(f.attname, defaults.get(f.attname)) for f in fields]
    data = io.StringIO()
    for row in rows:
        data.write("\t".join(_copy_text(row[name]) if default is None else default for name, default in columns))
        data.write("\n")
    data.seek(0)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN", data
        )


def insert_rows(model, rows: list[dict]) -> list[int]:
    """COPY rows of `model` with ids taken from its table's sequence (in the schema the
    connection is on); returns the ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for row, pk in zip(rows, ids):
        row[model._meta.pk.attname] = pk
    copy_rows(model, rows)
    return ids


def insert_users(rows: list[dict]) -> list[int]:
    """COPY user rows (from `_People.user`); returns the ids."""
    return insert_rows(User, rows)


class _People:
    """Makes people with unique, valid mobiles, ID numbers (GB 11643) and staff numbers, skipping
    every value already in the database. Loaded only when someone has to be created."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.mobile_indexes = set(User.objects.values_list("mobile_index", flat=True))
        self.usernames = set(User.objects.values_list("username", flat=True))
        self.id_indexes = set(User.objects.exclude(id_number_index=None).values_list("id_number_index", flat=True))
        self.staff_nos = defaultdict(set)
        for tenant_id, staff_no in Membership.objects.values_list("tenant_id", "staff_no"):
            self.staff_nos[tenant_id].add(staff_no)
        self._last_staff_no = defaultdict(int)
        self._mobile_seq = itertools.count()
        start = date(1962, 1, 1)
        self._birth_dates = [(start + timedelta(days=d)).strftime("%Y%m%d") for d in range(40 * 365)]
        self.unusable_password = make_password(None)

    def mobile(self) -> tuple[str, str]:
        """A free mobile and its blind index."""
        # i -> (prefix, 8 digits) is one-to-one: the multiplier is coprime with 10**8.
        while True:
            q, r = divmod(next(self._mobile_seq), len(MOBILE_PREFIXES))
            mobile = f"{MOBILE_PREFIXES[r]}{(q * 48271 + 20260101) % 10**8:08d}"
            index = mobile_blind_index(mobile)
            if index not in self.mobile_indexes:
                self.mobile_indexes.add(index)
                return mobile, index

    def id_number(self, region: str, female: bool) -> tuple[str, str]:
        """A GB 11643 number born in `region` (odd sequence for men) and its blind index."""
        while True:
            seq = 2 * self.rng.randrange(1, 500) + (0 if female else 1)
            first17 = f"{region}{self.rng.choice(self._birth_dates)}{seq:03d}"
            number = first17 + id_number_check_char(first17)
            index = id_number_blind_index(number)
            if index not in self.id_indexes:
                self.id_indexes.add(index)
                return number, index

    def staff_no(self, tenant: Tenant) -> str:
        """The tenant's next free staff number (its bulk staff's username is `<slug>.<number>`)."""
        taken = self.staff_nos[tenant.pk]
        n = self._last_staff_no[tenant.pk]
        while True:
            n += 1
            staff_no = f"{n:06d}"
            if staff_no not in taken and f"{tenant.slug}.{staff_no}" not in self.usernames:
                self._last_staff_no[tenant.pk] = n
                return staff_no

    def user(self, username: str, real_name: str, female: bool, region: str, password: str) -> dict:
        """An active user's row for `copy_rows` (the ID number and mobile encrypted)."""
        number, index = self.id_number(region, female)
        mobile, mobile_index = self.mobile()
        return {
            "username": username, "mobile": encrypt(mobile), "mobile_index": mobile_index, "real_name": real_name,
            "id_number": _ID_NUMBER_FIELD.get_prep_value(number), "id_number_index": index, "password": password,
            "status": UserStatus.ACTIVE, "is_active": True, "date_joined": self.now, "activated_at": self.now,
        }


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    role: str
    granted_at: UnitSpec
    works_at: tuple  # UnitSpecs, the first primary


def demo_accounts(plan: Plan) -> list[DemoAccount]:
    """The fixed sign-ins for each built-in role, then `<slug>_admin` for every other tenant."""
    p = plan.places
    accounts = [
        DemoAccount(username, real_name, role, p[where], tuple(p[w] for w in works))
        for username, real_name, role, where, works in DEMO_ACCOUNTS
    ]
    taken = {a.username for a in accounts}
    for spec in plan.root.walk():
        if spec.slug and f"{spec.slug}_admin" not in taken:
            name, _female = _random_name(random.Random(spec.slug))
            accounts.append(DemoAccount(f"{spec.slug}_admin", name, "tenant_admin", spec, (spec,)))
    return accounts


# --- the seeder -----------------------------------------------------------------------------------

class _Seeder:
    def __init__(self, plan: Plan, stdout=None):
        self.plan = plan
        self.stdout = stdout
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:6.1f} 秒] {message}\n")
            getattr(self.stdout, "flush", lambda: None)()

    @cached_property
    def people(self) -> _People:
        return _People(seed=20260101 + User.objects.count())

    def units(self) -> int:
        """Find or create every planned unit (parents before children)."""
        def key(level, code, parent_id, name):
            return (level, code) if level in AUTHORITY_LEVELS else (level, parent_id, name)

        found = {key(u.level, u.division_code, u.parent_id, u.name): u for u in OrgUnit.objects.all()}
        created = 0
        for spec in self.plan.root.walk():
            parent = spec.parent.unit if spec.parent else None
            spec.unit = found.get(key(spec.level, spec.division_code, parent.pk if parent else None, spec.name))
            if spec.unit is None:
                spec.unit = create_unit(
                    None, parent=parent, level=spec.level, name=spec.name, unit_type=spec.unit_type,
                    short_name=spec.short_name, division_code=spec.division_code,
                )
                created += 1
        if created:
            self.say(f"组织单元：新建 {created} 个。")
        return created

    def tenants(self) -> int:
        """Provision a tenant for every community lead and standalone hospital that has none."""
        by_unit = {t.org_unit_id: t for t in Tenant.objects.all()}
        todo = [s for s in self.plan.root.walk() if s.slug and s.unit.pk not in by_unit]
        if todo:
            ensure_template()
        for i, spec in enumerate(todo, 1):
            by_unit[spec.unit.pk] = create_tenant(None, spec.unit, spec.slug, name=spec.tenant_name)
            if i % 20 == 0 or i == len(todo):
                self.say(f"租户：已开通 {i}/{len(todo)} 个。")
        for spec in self.plan.root.walk():
            if spec.slug:
                spec.tenant = by_unit[spec.unit.pk]
        return len(todo)

    def apps(self) -> int:
        """The province mandates two-way referrals and supervision online for every tenant
        (installed now, and in tenants opened later); the modules' own demo data (referral desks,
        a year of indicators, approvals) follows from their manifests' `demo`."""
        from jianlian.marketplace import manifest
        from jianlian.marketplace.models import App, Mandate
        from jianlian.marketplace.services import apply_mandate, sync_catalog

        keys = [k for k in DEMO_MANDATES if manifest.get(k) is not None]
        if "referrals" not in keys:
            return 0
        sync_catalog()
        root = self.plan.root.unit
        installed = {}
        for key in keys:
            mandate = Mandate.objects.filter(app__key=key, node=root).first()
            if mandate is None:
                mandate = Mandate.objects.create(app=App.objects.get(key=key), node=root)
            installed[key] = apply_mandate(mandate.pk)["installed"]
        for key, n in installed.items():
            if n:
                self.say(f"应用：{manifest.get(key).name_zh} 已按省级要求安装到 {n} 个租户。")
        return sum(installed.values())

    def _roles(self) -> dict:
        province_wide = {r.code for r in BUILTIN_ROLES if not r.per_tenant}
        if Role.objects.filter(tenant=None, code__in=province_wide).count() < len(province_wide):
            seed_province_roles()
        return {(r.tenant_id, r.code): r for r in Role.objects.filter(is_builtin=True)}

    def accounts(self) -> int:
        """The demo sign-ins: users (one password hash for all), memberships and role grants."""
        accounts = demo_accounts(self.plan)
        users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])}
        missing = [a for a in accounts if a.username not in users]
        if missing:
            password = make_password(settings.DEMO_PASSWORD)  # Argon2 once, shared by every demo account
            insert_users([
                self.people.user(a.username, a.real_name, _is_female_name(a.real_name), a.granted_at.regions[0], password)
                for a in missing
            ])
            users.update((u.username, u) for u in User.objects.filter(username__in=[a.username for a in missing]))

        user_ids = [u.pk for u in users.values()]
        have_members = set(Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "tenant_id", "unit_id"))
        have_grants = set(RoleGrant.objects.filter(user_id__in=user_ids).values_list("user_id", "role_id", "node_id"))
        roles = self._roles()
        memberships, grants = [], []
        for a in accounts:
            user = users[a.username]
            for i, spec in enumerate(a.works_at):
                tenant = spec.owner.tenant
                if (user.pk, tenant.pk, spec.unit.pk) not in have_members:
                    # the staff number belongs to the employing (primary) unit
                    staff_no = self.people.staff_no(tenant) if i == 0 else ""
                    memberships.append(Membership(user=user, tenant=tenant, unit=spec.unit, is_primary=i == 0,
                                                  staff_no=staff_no))
            role_tenant = a.granted_at.owner.tenant if BUILTIN_BY_CODE[a.role].per_tenant else None
            role = roles[(role_tenant.pk if role_tenant else None, a.role)]
            if (user.pk, role.pk, a.granted_at.unit.pk) not in have_grants:
                grants.append(RoleGrant(user=user, role=role, node=a.granted_at.unit))
        p = self.plan.places
        app_roles = {(r.tenant_id, r.code): r for r in Role.objects.filter(code__in={c for _u, c, _w in DEMO_APP_GRANTS})}
        for username, code, where in DEMO_APP_GRANTS:
            role = app_roles.get((p[where].owner.tenant.pk, code))  # absent when the app is not installed
            if role is not None and (users[username].pk, role.pk, p[where].unit.pk) not in have_grants:
                grants.append(RoleGrant(user=users[username], role=role, node=p[where].unit))
        Membership.objects.bulk_create(memberships)
        RoleGrant.objects.bulk_create(grants)
        created = len(missing) + len(memberships) + len(grants)
        if created:
            self.say(f"演示账号：新建 {len(missing)} 个账号、{len(memberships)} 条成员关系、{len(grants)} 条授权。")
        return created

    def staff(self, total: int) -> int:
        """Top every medical unit up to its share of `total` (counting primary memberships)."""
        units = self.plan.units(*MEDICAL_LEVELS)
        if total < len(units):
            raise DomainError("STAFF_TOO_FEW", _("人员总数至少应为 %(n)s（每个单位至少一人）。") % {"n": len(units)}, "staff")
        have = dict(
            Membership.objects.filter(is_primary=True, unit_id__in=[s.unit.pk for s in units])
            .order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
        )
        todo = [(s, t - have.get(s.unit.pk, 0)) for s, t in zip(units, _apportion(total, [s.weight for s in units]))]
        wanted = sum(n for _s, n in todo if n > 0)
        if not wanted:
            return 0
        places = itertools.chain.from_iterable(itertools.repeat(s, n) for s, n in todo if n > 0)
        done = 0
        for batch in iter(lambda: list(itertools.islice(places, BATCH)), []):
            self._insert_staff(batch)
            done += len(batch)
            if done % 50_000 < BATCH or done == wanted:
                self.say(f"人员：已生成 {done}/{wanted} 人。")
        return wanted

    def organisation(self) -> int:
        """Departments and staff profiles (jianlian.org) in every tenant: the six top groups with
        departments (their first member as head), a general department per member unit, and a
        profile for every primary member who has none yet — written with COPY, like the staff."""
        from jianlian.org.models import Department, DepartmentMembership, StaffProfile
        from jianlian.org.pinyin import name_keys
        from tenants.context import tenant_context

        created, now, today = 0, timezone.now(), timezone.localdate()
        for spec in (s for s in self.plan.root.walk() if s.slug):
            members = list(
                Membership.objects.filter(tenant=spec.tenant, is_primary=True, is_active=True)
                .order_by("staff_no").values_list("user_id", "unit_id", "staff_no", "user__real_name", "user__mobile")
            )
            with tenant_context(spec.tenant):
                if not Department.objects.exists():
                    created += self._departments(spec)
                have = set(StaffProfile.objects.values_list("user_id", flat=True))
                todo = [m for m in members if m[0] not in have and m[2]]
                if not todo:
                    continue
                depts = defaultdict(list)  # unit id -> department ids, the leaves people work in
                for pk, unit_id in Department.objects.filter(kind="department").values_list("pk", "unit_id"):
                    depts[unit_id].append(pk)
                rows, places = [], []
                for i, (user_id, unit_id, staff_no, name, mobile) in enumerate(todo):
                    pinyin, initials = name_keys(name)
                    rows.append({"user_id": user_id, "staff_no": staff_no, "name": name, "name_pinyin": pinyin,
                                 "name_initials": initials, "mobile": encrypt(mobile) if mobile else "",
                                 "mobile_suffixes": mobile_suffix_indexes(mobile),
                                 "unit_id": unit_id, "status": "active", "employment_type": "own", "joined_on": today,
                                 "created_at": now, "updated_at": now})
                    choices = depts.get(unit_id) or depts[spec.unit.pk]
                    places.append(choices[i % len(choices)])
                with transaction.atomic():
                    ids = insert_rows(StaffProfile, rows)
                    copy_rows(DepartmentMembership, [{"staff_id": pk, "department_id": d, "is_primary": True}
                                                     for pk, d in zip(ids, places)])
                    heads = {}
                    for pk, d in zip(ids, places):
                        heads.setdefault(d, pk)
                    for d, pk in heads.items():
                        Department.objects.filter(pk=d, head__isnull=True).update(head_id=pk)
                created += len(rows)
        if created:
            self.say(f"组织架构：新建 {created} 个科室与人员档案。")
        return created

    def _departments(self, spec: UnitSpec) -> int:
        """Bulk-create the tenant's department trees with their MPTT fields computed here."""
        from jianlian.org.models import Department

        n = 0
        for tree_id, (top, children) in enumerate(_department_rows(spec), 1):
            root = Department.objects.bulk_create([Department(**top, tree_id=tree_id, lft=1, rght=2 * len(children) + 2, depth=0)])[0]
            Department.objects.bulk_create([
                Department(**child, parent=root, tree_id=tree_id, lft=2 + 2 * i, rght=3 + 2 * i, depth=1)
                for i, child in enumerate(children)
            ])
            n += 1 + len(children)
        return n

    def _insert_staff(self, places: list[UnitSpec]) -> None:
        people = self.people
        users, memberships = [], []
        for spec in places:
            tenant = spec.owner.tenant
            staff_no = people.staff_no(tenant)
            real_name, female = _random_name(people.rng)
            region = people.rng.choice(spec.regions)
            users.append(people.user(f"{tenant.slug}.{staff_no}", real_name, female, region, people.unusable_password))
            memberships.append({"tenant_id": tenant.pk, "unit_id": spec.unit.pk, "staff_no": staff_no,
                                "is_primary": True, "is_active": True, "joined_at": people.now})
        with transaction.atomic():
            for membership, user_id in zip(memberships, insert_users(users)):
                membership["user_id"] = user_id
            copy_rows(Membership, memberships)


# Seed 003's six top groups and the departments under them, for each tenant's lead unit or hospital.
TOP_GROUPS = (
    ("G1", "职能科室", "functional", ("院办", "医务科", "护理部", "人事科")),
    ("G2", "临床科室", "clinical", ("内科", "外科", "儿科", "妇产科", "急诊科", "全科医学科")),
    ("G3", "门诊", "outpatient", ("门诊部",)),
    ("G4", "医技科室", "medical_tech", ("放射科", "超声科", "药剂科")),
    ("G5", "医保", "insurance", ("医保办",)),
    ("G6", "检验", "laboratory", ("检验科",)),
)


def _department_rows(spec: UnitSpec) -> list[tuple[dict, list[dict]]]:
    """(top node, children) of the tenant's department trees: the six groups under its own unit,
    and one general department per member unit (its own tree)."""
    trees = []
    for code, name, category, children in TOP_GROUPS:
        top = {"unit_id": spec.unit.pk, "code": code, "name": name, "kind": "group", "category": category}
        trees.append((top, [{"unit_id": spec.unit.pk, "code": f"{code}-{i:02d}", "name": child, "kind": "department",
                             "category": category} for i, child in enumerate(children, 1)]))
    for member in spec.children:
        trees.append(({"unit_id": member.unit.pk, "code": f"M{member.unit.pk}", "name": f"{member.short_name or member.name}全科",
                       "kind": "department", "category": "clinical"}, []))
    return trees


def summary() -> dict:
    """What the province holds now."""
    levels = dict(OrgUnit.objects.order_by().values("level").annotate(n=Count("id")).values_list("level", "n"))
    return {
        "cities": levels.get("city", 0),
        "counties": levels.get("county", 0),
        "communities": levels.get("lead", 0),
        "hospitals": levels.get("hospital", 0),
        "units": sum(levels.values()),
        "tenants": Tenant.objects.count(),
        "staff": Membership.objects.filter(is_primary=True, is_active=True).count(),
    }


def seed_province(scale: str = "demo", staff_total: int | None = None, stdout=None) -> dict:
    """Seed (or top up) the demo province at `scale` ("demo" or "full") with `staff_total` staff
    (default: the scale's). Returns the province's counts, what this run created, and its seconds."""
    ensure_not_production()
    if scale not in SCALES:
        raise DomainError("INVALID_SCALE", _("规模只能是 %(names)s。") % {"names": "、".join(SCALES)}, "scale")
    started = time.monotonic()
    seeder = _Seeder(build_plan(SCALES[scale]), stdout)
    created = {"units": seeder.units(), "tenants": seeder.tenants(), "apps": seeder.apps(), "accounts": seeder.accounts()}
    created["staff"] = seeder.staff(staff_total if staff_total is not None else SCALES[scale].staff)
    created["organisation"] = seeder.organisation()
    created.update(_module_demo_data(seeder.say))
    return {**summary(), "created": created, "seconds": round(time.monotonic() - started, 2)}


def _module_demo_data(say) -> dict:
    """Each module's own demo data, as its manifest's `demo` names it (supervision: a year of
    indicators for the dashboards)."""
    from django.utils.module_loading import import_string

    from jianlian.marketplace.manifest import registry

    return {key: import_string(m.demo)(say) for key, m in registry().items() if m.demo}
