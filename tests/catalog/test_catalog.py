"""Bundled classification catalogs and the catalog API."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pytest

from juesuan.catalog.catalogs import (
    Catalog,
    CatalogEntry,
    clear_cache,
    level_of,
    load_catalogs,
    parent_codes,
    scheme_of,
    user_catalog_dir,
)
from juesuan.core.findings import JuesuanError

SHARED = Path("/work/shared/classification")

# The seed (Sichuan 2024): names from its text, codes from the 2024 catalog.
SEED_FUNCTIONAL = {
    "201": "一般公共服务支出",
    "20131": "党委办公厅（室）及相关机构事务",
    "2013101": "行政运行",
    "2013150": "事业运行",
    "2013199": "其他党委办公厅（室）及相关机构事务支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "20899": "其他社会保障和就业支出",
    "2089999": "其他社会保障和就业支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
}
SEED_ECONOMIC = {
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30112": "其他社会保障缴费",
    "30199": "其他工资福利支出",
    "30307": "医疗费补助",
    "30113": "住房公积金",
    "30201": "办公费",
    "30207": "邮电费",
    "30211": "差旅费",
    "30215": "会议费",
    "30217": "公务接待费",
    "30227": "委托业务费",
    "30226": "劳务费",
    "30228": "工会经费",
    "30229": "福利费",
    "30239": "其他交通费用",
    "30299": "其他商品和服务支出",
    "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费",
}
# Putuo finance bureau 2024: codes printed as 类/款/项 columns.
PUTUO_FUNCTIONAL = {
    "201": "一般公共服务支出",
    "20106": "财政事务",
    "2010601": "行政运行",
    "2010602": "一般行政管理事务",
    "2010607": "信息化建设",
    "2010608": "财政委托业务支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "2080599": "其他行政事业单位养老支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210203": "购房补贴",
}
# Putuo's 基本支出决算表 and the Shanghai template (the template also has 30306 救济费).
BASIC_ECONOMIC = """
301 工资福利支出|30101 基本工资|30102 津贴补贴|30103 奖金|30106 伙食补助费|30107 绩效工资|
30108 机关事业单位基本养老保险缴费|30109 职业年金缴费|30110 职工基本医疗保险缴费|
30111 公务员医疗补助缴费|30112 其他社会保障缴费|30113 住房公积金|30114 医疗费|
30199 其他工资福利支出|303 对个人和家庭的补助|30301 离休费|30302 退休费|30303 退职（役）费|
30304 抚恤金|30305 生活补助|30306 救济费|30307 医疗费补助|30308 助学金|30309 奖励金|
30310 个人农业生产补贴|30311 代缴社会保险费|30399 其他对个人和家庭的补助|302 商品和服务支出|
30201 办公费|30202 印刷费|30203 咨询费|30204 手续费|30205 水费|30206 电费|30207 邮电费|
30208 取暖费|30209 物业管理费|30211 差旅费|30212 因公出国（境）费用|30213 维修（护）费|
30214 租赁费|30215 会议费|30216 培训费|30217 公务接待费|30218 专用材料费|30224 被装购置费|
30225 专用燃料费|30226 劳务费|30227 委托业务费|30228 工会经费|30229 福利费|
30231 公务用车运行维护费|30239 其他交通费用|30240 税金及附加费用|30299 其他商品和服务支出|
310 资本性支出|31001 房屋建筑物购建|31002 办公设备购置|31003 专用设备购置|
31007 信息网络及软件购置更新|31013 公务用车购置|31019 其他交通工具购置|31021 文物和陈列品购置|
31022 无形资产购置|31099 其他资本性支出
"""
TEMPLATE_FUNCTIONAL = {
    "205": "教育支出",
    "20502": "普通教育",
    "2050203": "初中教育",
    "2050205": "高等教育",
    "207": "文化旅游体育与传媒支出",
    "20799": "其他文化旅游体育与传媒支出",
}
FUNCTIONAL_LEI_2024 = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
ECONOMIC_LEI = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}


def _basic_economic() -> dict[str, str]:
    items = [i.strip() for i in BASIC_ECONOMIC.replace("\n", "").split("|")]
    return dict(i.split(" ", 1) for i in items if i)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_HOME", str(tmp_path / "home"))
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def cat2024():
    return load_catalogs(2024)


def _write_user_catalog(year: int, scheme: str, rows: list[tuple[str, str]], complete=True):
    d = user_catalog_dir(year)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / f"{scheme}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "level", "parent", "source"])
        for code, name in rows:
            w.writerow(
                [code, name, level_of(code, scheme), code[:-2] if len(code) > 3 else "", "t"]
            )
    (d / "catalog.json").write_text(
        json.dumps({"year": year, "schemes": {scheme: {"complete": complete}}}), encoding="utf-8"
    )


# --------------------------------------------------------------------------- contents


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("functional", SEED_FUNCTIONAL),
        ("functional", PUTUO_FUNCTIONAL),
        ("functional", TEMPLATE_FUNCTIONAL),
        ("functional", FUNCTIONAL_LEI_2024),
        ("economic", SEED_ECONOMIC),
        ("economic", _basic_economic()),
        ("economic", ECONOMIC_LEI),
    ],
    ids=["seed-f", "putuo-f", "template-f", "lei-f", "seed-e", "basic-e", "lei-e"],
)
def test_bundled_names_exact(cat2024, scheme, expected):
    catalog = cat2024.by_scheme(scheme)
    wrong = {c: (catalog.name(c), n) for c, n in expected.items() if catalog.name(c) != n}
    assert wrong == {}


def test_all_lei_present_and_nothing_else_at_lei_level(cat2024):
    f_lei = {e.code for e in cat2024.functional if e.level == "类"}
    e_lei = {e.code for e in cat2024.economic if e.level == "类"}
    assert f_lei == set(FUNCTIONAL_LEI_2024)
    assert e_lei == set(ECONOMIC_LEI)
    assert len(_basic_economic()) == 65


def test_bundled_counts(cat2024):
    def count(catalog: Catalog) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in catalog:
            out[e.level] = out.get(e.level, 0) + 1
        return out

    assert count(cat2024.functional) == {"类": 29, "款": 37, "项": 66}
    assert count(cat2024.economic) == {"类": 10, "款": 61}


def test_bundled_integrity(cat2024):
    for catalog in (cat2024.functional, cat2024.economic):
        codes = [e.code for e in catalog]
        assert codes == sorted(codes)
        for e in catalog:
            assert e.level == level_of(e.code, catalog.scheme)
            assert scheme_of(e.code) == catalog.scheme
            parents = catalog.parents(e.code)
            assert e.parent == (parents[-1] if parents else None)
            assert all(p in catalog for p in parents), e.code
            assert e.name and e.name == e.name.strip()
            assert not any(ch.isspace() for ch in e.name), e.code
            assert "(" not in e.name and ")" not in e.name, e.code  # full-width only
            assert e.source


def test_sources_recorded(cat2024):
    assert "seed_8a99ebaca312e0ad" in cat2024.functional.get("2013101").source
    assert "putuo_caizhengju_2024_juesuan" in cat2024.functional.get("2010608").source
    assert "template_js_2024" in cat2024.economic.get("30306").source
    assert cat2024.functional.get("227").source == "财政部《2024年政府收支分类科目》类级名称"
    assert "tb_archive_592d" in cat2024.functional.get("2080206").source


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared classification lists not available")
@pytest.mark.parametrize(
    ("scheme", "file"),
    [
        ("functional", "functional_classification_observed.csv"),
        ("economic", "economic_classification_dept_observed.csv"),
    ],
)
def test_every_observed_code_present(cat2024, scheme, file):
    catalog = cat2024.by_scheme(scheme)
    fixed = {"20799": "其他文化旅游体育与传媒支出"}  # observed "体育与传媒支" is truncated
    with open(SHARED / file, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert catalog.name(row["code"]) == fixed.get(row["code"], row["name"]), row["code"]


def test_bundled_files_format():
    root = resources.files("juesuan") / "data" / "catalogs" / "2024"
    meta = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
    assert meta["year"] == 2024 and meta["complete"] is False and meta["note"]
    for scheme in ("functional", "economic"):
        text = (root / f"{scheme}.csv").read_text(encoding="utf-8")
        assert text.splitlines()[0] == "code,name,level,parent,source"


# --------------------------------------------------------------------------- API


def test_get_name_contains_len(cat2024):
    f = cat2024.functional
    entry = f.get("2013101")
    assert entry == CatalogEntry("2013101", "行政运行", "项", "20131", "seed_8a99ebaca312e0ad")
    assert f.name("20131") == "党委办公厅（室）及相关机构事务"
    assert "2013101" in f and "2013102" not in f and 2013101 not in f
    assert f.get("9999999") is None and f.name("9999999") is None
    assert len(f) == 132 and len(cat2024.economic) == 71
    assert f.scheme == "functional" and f.year == 2024
    assert f.complete is False and f.origin == "bundled"


def test_parents(cat2024):
    assert cat2024.functional.parents("2013101") == ["201", "20131"]
    assert cat2024.functional.parents("20131") == ["201"]
    assert cat2024.functional.parents("201") == []
    assert cat2024.economic.parents("30101") == ["301"]
    assert cat2024.economic.parents("301") == []
    assert cat2024.economic.parents("3010101") == []  # not an economic code
    assert cat2024.functional.parents("20x31") == []
    assert parent_codes("2089999", "functional") == ["208", "20899"]


def test_level_of_and_scheme_of():
    assert level_of("201", "functional") == "类"
    assert level_of("20131", "functional") == "款"
    assert level_of("2013101", "functional") == "项"
    assert level_of("301", "economic") == "类"
    assert level_of("30101", "economic") == "款"
    assert level_of("3010101", "economic") is None
    assert level_of("2013", "functional") is None
    assert level_of("２０１", "functional") is None  # full-width digits are not codes
    assert level_of("", "functional") is None
    with pytest.raises(ValueError):
        level_of("201", "revenue")
    assert scheme_of("2013101") == "functional"
    assert scheme_of("30101") == "economic"
    assert scheme_of("101") is None and scheme_of("3010101") is None and scheme_of("x") is None


def test_load_is_cached():
    assert load_catalogs(2024) is load_catalogs(2024)


# --------------------------------------------------------------------------- year choice


def test_fallback_to_nearest_year_without_user_catalogs():
    earlier = load_catalogs(2030)
    assert (earlier.year, earlier.requested_year) == (2024, 2030)
    assert earlier.functional.year == 2024 and not earlier.exact
    later = load_catalogs(2019)
    assert (later.year, later.requested_year) == (2024, 2019)
    assert load_catalogs(2024).exact


def test_user_catalog_overrides_bundled_and_fallback_prefers_earlier():
    _write_user_catalog(2024, "functional", [("201", "一般公共服务支出"), ("20101", "人大事务")])
    _write_user_catalog(2026, "functional", [("201", "一般公共服务支出")])
    c = load_catalogs(2024)
    assert c.functional.complete is True
    assert c.functional.origin == str(user_catalog_dir(2024) / "functional.csv")
    # merged over the bundled list: the user's names win, the bundled codes stay
    assert "2013101" in c.functional and c.functional.name("20101") == "人大事务"
    assert c.economic.origin == "bundled"  # only the functional scheme was replaced
    c25 = load_catalogs(2025)
    assert (c25.year, c25.functional.year, c25.economic.year) == (2024, 2024, 2024)
    c27 = load_catalogs(2027)
    assert c27.functional.year == 2026 and c27.economic.year == 2024
    assert c27.year == 2026 and not c27.exact


def test_cache_notices_new_user_catalog():
    assert load_catalogs(2024).functional.origin == "bundled"
    _write_user_catalog(2024, "functional", [("201", "一般公共服务支出")])
    assert load_catalogs(2024).functional.origin != "bundled"


def test_corrupt_user_catalog_raises_located_error():
    d = user_catalog_dir(2024)
    d.mkdir(parents=True)
    (d / "functional.csv").write_text(
        "code,name,level,parent,source\n201,一般公共服务支出,类,,x\nabc,坏,类,,x\n",
        encoding="utf-8",
    )
    with pytest.raises(JuesuanError) as info:
        load_catalogs(2024)
    finding = info.value.findings[0]
    assert finding.code == "CAT-LOAD-002"
    assert finding.location.line == 3
    assert finding.location.file.endswith("functional.csv")
