"""The reference data every areagraph starts with: agencies, indicators, complaint categories."""

from __future__ import annotations

from dataclasses import dataclass, field

from areagraph.connectors.local.models import Agency, ComplaintCategory, Indicator

AGENCIES: list[Agency] = [
    Agency(code="DOPA", kind="department", name_th="กรมการปกครอง",
           name_en="Department of Provincial Administration"),
    Agency(code="CDD", kind="department", name_th="กรมการพัฒนาชุมชน",
           name_en="Community Development Department"),
    Agency(code="DDPM", kind="department", name_th="กรมป้องกันและบรรเทาสาธารณภัย",
           name_en="Department of Disaster Prevention and Mitigation"),
    Agency(code="DOL", kind="department", name_th="กรมที่ดิน", name_en="Department of Lands"),
    Agency(code="DLA", kind="department", name_th="กรมส่งเสริมการปกครองท้องถิ่น",
           name_en="Department of Local Administration"),
    Agency(code="DPT", kind="department", name_th="กรมโยธาธิการและผังเมือง",
           name_en="Department of Public Works and Town & Country Planning"),
    Agency(code="DAMRONGDHAMA", kind="centre", name_th="ศูนย์ดำรงธรรม",
           name_en="Damrongdhama Centres"),
    Agency(code="OPS", kind="office", name_th="สำนักงานปลัดกระทรวงมหาดไทย",
           name_en="Office of the Permanent Secretary for Interior"),
    Agency(code="PWA", kind="state_enterprise", name_th="การประปาส่วนภูมิภาค",
           name_en="Provincial Waterworks Authority"),
    Agency(code="MWA", kind="state_enterprise", name_th="การประปานครหลวง",
           name_en="Metropolitan Waterworks Authority"),
    Agency(code="PEA", kind="state_enterprise", name_th="การไฟฟ้าส่วนภูมิภาค",
           name_en="Provincial Electricity Authority"),
    Agency(code="MEA", kind="state_enterprise", name_th="การไฟฟ้านครหลวง",
           name_en="Metropolitan Electricity Authority"),
    Agency(code="WMA", kind="state_enterprise", name_th="องค์การจัดการน้ำเสีย",
           name_en="Wastewater Management Authority"),
    # Ministries Thai QM routes households' cases to besides the ministry's own departments.
    Agency(code="MOPH", kind="ministry", name_th="กระทรวงสาธารณสุข",
           name_en="Ministry of Public Health"),
    Agency(code="MOE", kind="ministry", name_th="กระทรวงศึกษาธิการ",
           name_en="Ministry of Education"),
    Agency(code="MSDHS", kind="ministry", name_th="กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
           name_en="Ministry of Social Development and Human Security"),
]


@dataclass(frozen=True)
class _Spec:
    code: str
    name_th: str
    name_en: str
    unit: str
    topic: str
    aggregation: str
    period_type: str
    direction: str
    agency: str
    sdg: tuple[str, ...] = ()
    dimension: str | None = None
    source: str = "local"
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None
    levels: tuple[str, ...] = field(default=("subdistrict",))
    over_time: str | None = None  # the time rule; by default a sum adds up, the rest is read last

    @property
    def time_rule(self) -> str:
        if self.over_time is not None:
            return self.over_time
        return {"sum": "sum", "ratio": "ratio"}.get(self.aggregation, "last")


_SUB_DIST = ("district", "subdistrict")
_THAIQM = (
    ("HEALTH", "health", "สุขภาพ", "health"),
    ("LIVING", "living_conditions", "ความเป็นอยู่", "living conditions"),
    ("EDUCATION", "education", "การศึกษา", "education"),
    ("INCOME", "income", "รายได้", "income"),
    ("ACCESS", "public_services", "การเข้าถึงบริการรัฐ", "access to public services"),
)

_CASE_STATUSES = (("FOUND", "พบปัญหา", "found, not yet helped"),
                  ("HELPING", "อยู่ระหว่างการช่วยเหลือ", "being helped"),
                  ("RESOLVED", "แก้ไขแล้ว", "resolved"))
_CASE_AGENCIES = ("CDD", "DLA", "DOPA", "MOE", "MOPH", "MSDHS")


def _cdd(code: str, name_th: str, name_en: str, unit: str = "households",
         direction: str = "lower", aggregation: str = "sum", sdg: tuple[str, ...] = (),
         dimension: str | None = None, numerator: str | None = None,
         denominator: str | None = None) -> _Spec:
    """A Thai QM / TPMAP figure the CDD source provides, per fiscal year."""
    return _Spec(code, name_th, name_en, unit, "poverty", aggregation, "fiscal_year", direction,
                 "CDD", sdg, dimension, "cdd", numerator, denominator, levels=())


_POVERTY: list[_Spec] = [
    *(_cdd(f"THAIQM_{key}_HH", f"ครัวเรือนเป้าหมายด้าน{th} (Thai QM)",
           f"Households in need: {en} (Thai QM)", sdg=("1.2.2",), dimension=dim)
      for key, dim, th, en in _THAIQM),
    *(_cdd(f"THAIQM_{key}_HELPED_HH", f"ครัวเรือนเป้าหมายด้าน{th}ที่ได้รับการแก้ไขแล้ว (Thai QM)",
           f"Households in need helped (case resolved): {en} (Thai QM)", direction="higher",
           sdg=("1.2.2",), dimension=dim)
      for key, dim, th, en in _THAIQM),
    _cdd("THAIQM_NEED_ANY_HH", "ครัวเรือนเป้าหมายอย่างน้อยหนึ่งด้าน (Thai QM)",
         "Households in need on at least one dimension (Thai QM)", sdg=("1.2.2",)),
    _cdd("THAIQM_NEED_SHARE_PCT", "ร้อยละของครัวเรือนที่สำรวจที่เป็นครัวเรือนเป้าหมาย",
         "Share of surveyed households in need (%)", unit="percent", aggregation="ratio",
         sdg=("1.2.2",), numerator="THAIQM_NEED_ANY_HH", denominator="BMN_HH_SURVEYED"),
    _cdd("TPMAP_TARGET_POOR", "คนจนเป้าหมาย (TPMAP)", "Target-poor persons (TPMAP)",
         unit="persons", sdg=("1.2.2",)),
    *(_cdd(f"THAIQM_CASES_{key}", f"กรณีปัญหา Thai QM: {th}", f"Thai QM cases: {en}",
           unit="cases", direction="higher" if key == "RESOLVED" else "lower")
      for key, th, en in _CASE_STATUSES),
    *(_cdd(f"THAIQM_CASES_{key}_{agency}", f"กรณีปัญหา Thai QM: {th} ({agency})",
           f"Thai QM cases: {en}, by {agency}", unit="cases",
           direction="higher" if key == "RESOLVED" else "lower")
      for key, th, en in _CASE_STATUSES for agency in _CASE_AGENCIES),
]

_SPECS: list[_Spec] = [
    _Spec("POPULATION", "จำนวนประชากร", "Population", "persons", "population", "sum",
          "fiscal_year", "higher", "DOPA"),
    _Spec("FLOOD_AFFECTED_HH", "ครัวเรือนที่ได้รับผลกระทบจากอุทกภัย",
          "Households affected by floods", "households", "flood", "sum", "month", "lower",
          "DDPM", ("1.5.1", "11.5.1", "13.1.1")),
    _Spec("DROUGHT_AFFECTED_HH", "ครัวเรือนที่ได้รับผลกระทบจากภัยแล้ง",
          "Households affected by drought", "households", "drought", "sum", "month", "lower",
          "DDPM", ("1.5.1", "11.5.1", "13.1.1")),
    _Spec("SAFE_WATER_PCT", "ร้อยละของประชากรที่ใช้น้ำดื่มที่ปลอดภัย",
          "Population using safely managed drinking water (%)", "percent", "water",
          "weighted_mean", "month", "higher", "PWA", ("6.1.1",), weight="POPULATION"),
    _Spec("SERVICE_SATISFACTION_PCT", "ร้อยละความพึงพอใจต่อบริการภาครัฐครั้งล่าสุด",
          "Satisfaction with the last public service used (%)", "percent", "governance",
          "mean", "fiscal_quarter", "higher", "OPS", ("16.6.2",), levels=_SUB_DIST),
    _Spec("FLOOD_WATER_LEVEL_M", "ระดับน้ำท่วมสูงสุดเหนือตลิ่ง", "Highest flood level above bank",
          "metres", "flood", "max", "month", "lower", "DDPM", levels=_SUB_DIST,
          over_time="max"),
    _Spec("DISASTER_LOSS_THB", "มูลค่าความเสียหายทางเศรษฐกิจจากภัยพิบัติ",
          "Direct economic loss from disasters", "THB", "disaster", "sum", "month", "lower",
          "DDPM", ("11.5.2",)),
    _Spec("DISASTER_DEATHS", "ผู้เสียชีวิตจากภัยพิบัติ", "Deaths from disasters", "persons",
          "disaster", "sum", "month", "lower", "DDPM", ("1.5.1", "11.5.1", "13.1.1")),
    _Spec("WASTEWATER_TREATED_M3", "ปริมาณน้ำเสียที่ได้รับการบำบัด", "Wastewater treated",
          "m3", "wastewater", "sum", "fiscal_quarter", "higher", "WMA", source="wma",
          levels=_SUB_DIST),
    _Spec("WASTEWATER_GENERATED_M3", "ปริมาณน้ำเสียที่เกิดขึ้น", "Wastewater generated", "m3",
          "wastewater", "sum", "fiscal_quarter", "lower", "WMA", source="wma",
          levels=_SUB_DIST),
    _Spec("WASTEWATER_TREATED_PCT", "ร้อยละของน้ำเสียที่ได้รับการบำบัดอย่างปลอดภัย",
          "Wastewater safely treated (%)", "percent", "wastewater", "ratio", "fiscal_quarter",
          "higher", "WMA", ("6.3.1",), numerator="WASTEWATER_TREATED_M3",
          denominator="WASTEWATER_GENERATED_M3", levels=()),
    _Spec("ELECTRIFICATION_PCT", "ร้อยละของประชากรที่เข้าถึงไฟฟ้า",
          "Population with access to electricity (%)", "percent", "energy", "weighted_mean",
          "fiscal_year", "higher", "PEA", ("7.1.1",), weight="POPULATION"),
    _Spec("BIRTH_REGISTRATION_PCT", "ร้อยละของเด็กอายุต่ำกว่า 5 ปีที่ได้แจ้งเกิด",
          "Children under 5 whose births were registered (%)", "percent", "population",
          "mean", "fiscal_year", "higher", "DOPA", ("16.9.1",), levels=_SUB_DIST),
    _Spec("SOCIAL_PROTECTION_PCT", "ร้อยละของประชากรที่ได้รับการคุ้มครองทางสังคม",
          "Population covered by social protection (%)", "percent", "social_protection",
          "weighted_mean", "fiscal_year", "higher", "CDD", ("1.3.1",), weight="POPULATION"),
    _Spec("POVERTY_LINE_PCT", "ร้อยละของประชากรที่อยู่ต่ำกว่าเส้นความยากจน",
          "Population below the national poverty line (%)", "percent", "poverty",
          "weighted_mean", "fiscal_year", "lower", "CDD", ("1.2.1",), weight="POPULATION"),
    _Spec("BASIC_SERVICES_PCT", "ร้อยละของครัวเรือนที่เข้าถึงบริการพื้นฐาน",
          "Households with access to basic services (%)", "percent", "poverty", "mean",
          "fiscal_year", "higher", "DLA", ("1.4.1",), levels=_SUB_DIST),
    _Spec("SANITATION_PCT", "ร้อยละของประชากรที่ใช้บริการสุขาภิบาลที่ปลอดภัย",
          "Population using safely managed sanitation (%)", "percent", "water", "mean",
          "fiscal_year", "higher", "DLA", ("6.2.1",), levels=_SUB_DIST),
    _Spec("LAO_DRR_STRATEGY_PCT", "ร้อยละของ อปท. ที่มีแผนลดความเสี่ยงจากภัยพิบัติ",
          "Local governments with disaster-risk reduction strategies (%)", "percent",
          "governance", "mean", "fiscal_year", "higher", "DLA", ("1.5.4", "11.b.2", "13.1.3"),
          levels=("province", "district")),
    _Spec("COMPLAINTS_RECEIVED", "จำนวนเรื่องร้องเรียนที่รับ", "Complaints received", "cases",
          "complaints", "sum", "month", "lower", "DAMRONGDHAMA", ("16.6.2",),
          source="damrongdhama"),
    _Spec("COMPLAINTS_OVERDUE", "จำนวนเรื่องร้องเรียนที่เกินกำหนด",
          "Complaints still open past their service level", "cases", "complaints", "sum",
          "month", "lower", "DAMRONGDHAMA", ("16.6.2",), levels=(), over_time="last"),
    _Spec("POPULATION_REGISTERED", "ประชากรตามทะเบียนราษฎร",
          "Registered population (civil registration)", "persons", "population", "sum",
          "month", "higher", "DOPA", source="dopa", levels=(), over_time="last"),
    _Spec("HOUSEHOLDS_REGISTERED", "จำนวนบ้านตามทะเบียนราษฎร", "Registered households",
          "households", "population", "sum", "month", "higher", "DOPA", source="dopa",
          levels=(), over_time="last"),
    _Spec("BMN_HH_SURVEYED", "ครัวเรือนที่สำรวจ จปฐ.",
          "Households surveyed (basic minimum needs)", "households", "poverty", "sum",
          "fiscal_year", "higher", "CDD", source="cdd", levels=()),
    *_POVERTY,
    _Spec("DISASTER_DECLARED_HH", "ครัวเรือนในพื้นที่ประกาศเขตภัยพิบัติ",
          "Households in declared disaster areas", "households", "disaster", "sum", "month",
          "lower", "DDPM", ("1.5.1", "11.5.1", "13.1.1"), source="ddpm", levels=()),
    _Spec("LAND_DISPUTES", "จำนวนเรื่องข้อพิพาทที่ดิน", "Land dispute cases", "cases", "land",
          "sum", "fiscal_year", "lower", "DOL", ("1.4.2", "16.3.3"), source="lands", levels=()),
    _Spec("WATER_COVERAGE_PCT", "ร้อยละของครัวเรือนที่มีน้ำประปาใช้",
          "Households served by piped water (%)", "percent", "water", "mean", "month",
          "higher", "PWA", ("6.1.1",), source="pwa", levels=()),
    _Spec("WATER_LOSS_PCT", "ร้อยละน้ำสูญเสีย", "Non-revenue water loss (%)", "percent",
          "water", "mean", "month", "lower", "PWA", ("6.4.1",), source="pwa", levels=(),
          over_time="mean"),
]


def indicators() -> list[Indicator]:
    """The indicator catalogue as table rows."""
    return [
        Indicator(
            code=s.code, name_th=s.name_th, name_en=s.name_en, unit=s.unit, topic=s.topic,
            sdg_codes=list(s.sdg), dimension=s.dimension, aggregation=s.aggregation,
            numerator_code=s.numerator, denominator_code=s.denominator, weight_code=s.weight,
            period_type=s.period_type, direction=s.direction, agency_code=s.agency,
            source=s.source, entry_levels=list(s.levels), time_rule=s.time_rule,
        )
        for s in _SPECS
    ]


COMPLAINT_CATEGORIES: list[ComplaintCategory] = [
    ComplaintCategory(code="land", name_th="ที่ดิน", name_en="Land", sla_days=60),
    ComplaintCategory(code="debt", name_th="หนี้สิน", name_en="Debt", sla_days=45),
    ComplaintCategory(code="nuisance", name_th="เหตุเดือดร้อนรำคาญ", name_en="Nuisance",
                      sla_days=15),
    ComplaintCategory(code="infrastructure", name_th="โครงสร้างพื้นฐาน",
                      name_en="Infrastructure", sla_days=30),
    ComplaintCategory(code="water", name_th="น้ำประปาและแหล่งน้ำ", name_en="Water", sla_days=15),
    ComplaintCategory(code="officials", name_th="พฤติกรรมเจ้าหน้าที่",
                      name_en="Officials' conduct", sla_days=30),
    ComplaintCategory(code="other", name_th="อื่น ๆ", name_en="Other", sla_days=30),
]
