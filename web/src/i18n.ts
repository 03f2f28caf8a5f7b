// Thai first, English on request: words, numbers grouped the Thai way, Buddhist Era dates and
// the ministry's fiscal years (1 October – 30 September; FY2026 CE is ปีงบประมาณ 2569).
export type Lang = "th" | "en";

const words = {
  title: ["แดชบอร์ดกระทรวงมหาดไทย", "Ministry of Interior dashboard"],
  overview: ["ภาพรวมประเทศ", "Country overview"],
  areas: ["พื้นที่", "Areas"],
  topics: ["ประเด็น", "Topics"],
  graphiql: ["GraphiQL (สำหรับนักพัฒนา)", "GraphiQL (for developers)"],
  fiscalYear: ["ปีงบประมาณ", "Fiscal year"],
  keyIndicators: ["ตัวชี้วัดหลักเทียบเป้าหมาย", "Key indicators against targets"],
  target: ["เป้าหมาย", "Target"],
  achievement: ["ผลสัมฤทธิ์", "Achievement"],
  noTarget: ["ไม่มีเป้าหมาย", "No target"],
  onTrack: ["ตามเป้า", "On track"],
  atRisk: ["เสี่ยง", "At risk"],
  offTrack: ["ต่ำกว่าเป้า", "Off track"],
  trend: ["แนวโน้มผลสัมฤทธิ์ย้อนหลัง (ร้อยละของเป้าหมาย)", "Achievement over fiscal years (% of target)"],
  alerts: ["การแจ้งเตือนที่ยังไม่ปิด", "Active alerts"],
  noAlerts: ["ไม่มีการแจ้งเตือน", "No active alerts"],
  complaints: ["เรื่องร้องเรียนศูนย์ดำรงธรรม", "Damrongdhama complaints"],
  received: ["รับเรื่อง", "Received"],
  open: ["อยู่ระหว่างดำเนินการ", "Open"],
  resolved: ["ยุติแล้ว", "Resolved"],
  overdue: ["เกินกำหนดเวลา", "Past service level"],
  medianDays: ["มัธยฐานวันที่ใช้", "Median days to resolve"],
  projects: ["งบประมาณโครงการ", "Project budgets"],
  allocated: ["งบจัดสรร", "Allocated"],
  disbursed: ["เบิกจ่าย", "Disbursed"],
  projectCount: ["จำนวนโครงการ", "Projects"],
  millionBaht: ["ล้านบาท", "million THB"],
  live: ["ข้อมูลล่าสุดที่เข้ามา", "Latest figures arriving"],
  noLive: ["ยังไม่มีข้อมูลใหม่ตั้งแต่เปิดหน้านี้", "Nothing new since this page opened"],
  lastHeard: ["ติดต่อเกตเวย์ล่าสุด", "Last heard from the gateway"],
  never: ["ยังไม่ได้ติดต่อ", "not yet"],
  socketLive: ["เชื่อมต่อสด", "live"],
  socketConnecting: ["กำลังเชื่อมต่อ", "connecting"],
  socketDown: ["ขาดการเชื่อมต่อ", "disconnected"],
  sources: ["แหล่งข้อมูล", "Sources"],
  sourceUp: ["ปกติ", "up"],
  sourceDegraded: ["ข้อมูลอาจล้าสมัย", "stale"],
  sourceDown: ["ใช้งานไม่ได้", "down"],
  sourceUnknown: ["ยังไม่ทราบ", "unknown"],
  sourceFailed: ["แหล่งข้อมูลไม่ตอบ แสดงข้อมูลล่าสุดที่มี", "A source did not answer; showing the last data held"],
  stale: ["ข้อมูลเก่า", "stale"],
  ranked: ["จัดอันดับตาม", "Ranked by"],
  rank: ["อันดับ", "Rank"],
  area: ["พื้นที่", "Area"],
  value: ["ค่า", "Value"],
  status: ["สถานะ", "Status"],
  noChildren: ["ไม่มีพื้นที่ย่อย", "No areas below"],
  country: ["ประเทศไทย", "Thailand"],
  refused: ["คุณไม่มีสิทธิ์ดูข้อมูลของพื้นที่นี้", "You are not allowed to see this area"],
  refusedDetail: ["เกตเวย์ปฏิเสธคำขอ (FORBIDDEN) ตามบทบาทและพื้นที่ของคุณ", "The gateway refused the request (FORBIDDEN) for your role and area"],
  backHome: ["กลับไปยังภาพรวมของคุณ", "Back to your overview"],
  notFound: ["ไม่พบพื้นที่รหัสนี้", "No area has this code"],
  failed: ["โหลดข้อมูลไม่สำเร็จ", "Could not load the data"],
  loading: ["กำลังโหลด…", "Loading…"],
  noData: ["ยังไม่มีข้อมูลในปีงบประมาณนี้", "No figures in this fiscal year yet"],
  signIn: ["เข้าสู่ระบบ", "Sign in"],
  signOut: ["ออกจากระบบ", "Sign out"],
  signInProvider: ["เข้าสู่ระบบด้วยบัญชีกระทรวง", "Sign in with the ministry account"],
  devPicker: ["ทดลองใช้: เลือกบทบาทและพื้นที่", "Demo: pick a role and an area"],
  role: ["บทบาท", "Role"],
  areaCode: ["รหัสพื้นที่ (เช่น 34 = อุบลราชธานี)", "Area code (e.g. 34 = Ubon Ratchathani)"],
  agency: ["หน่วยงาน (เช่น CDD)", "Agency (e.g. CDD)"],
  topicsGranted: ["ประเด็นที่ได้รับสิทธิ์ (คั่นด้วยจุลภาค)", "Topics granted (comma-separated)"],
  noSignIn: ["เกตเวย์นี้ยังไม่ได้ตั้งค่าผู้ให้บริการยืนยันตัวตน", "This gateway names no identity provider"],
  signedInAs: ["ผู้ใช้", "Signed in as"],
  language: ["English", "ภาษาไทย"],
  poverty: ["ความยากจน (5 มิติ TPMAP)", "Poverty (5 Thai QM dimensions)"],
  flood: ["อุทกภัยและภัยแล้ง", "Flood and drought"],
  water: ["น้ำประปาและน้ำเสีย", "Water and wastewater"],
  land: ["ข้อพิพาทที่ดิน", "Land disputes"],
  complaintsTopic: ["เรื่องร้องเรียน", "Complaints"],
  projectsTopic: ["โครงการตามยุทธศาสตร์", "Projects by strategy"],
  declarations: ["การประกาศเขตภัยพิบัติ", "Disaster declarations"],
  households: ["ครัวเรือนที่ได้รับผลกระทบ", "Households affected"],
  noEvents: ["ไม่มีการประกาศในช่วงนี้", "No declarations in this period"],
  byCategory: ["แยกตามประเภท", "By category"],
  strategy: ["ยุทธศาสตร์", "Strategy"],
  dimension: ["มิติ", "Dimension"],
  indicator: ["ตัวชี้วัด", "Indicator"],
  coverage: ["พื้นที่ที่รายงาน", "Areas reporting"],
  period: ["งวด", "Period"],
  skip: ["ข้ามไปยังเนื้อหา", "Skip to content"],
} as const;

export type Word = keyof typeof words;

export function translate(lang: Lang, word: Word): string {
  return words[word][lang === "th" ? 0 : 1];
}

const LOCALE: Record<Lang, string> = { th: "th-TH-u-ca-buddhist", en: "en-GB" };

export function formatNumber(lang: Lang, value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB",
                               { maximumFractionDigits: digits }).format(value);
}

export function formatMillions(lang: Lang, baht: string | number | null | undefined): string {
  if (baht === null || baht === undefined) return "—";
  return `${formatNumber(lang, Number(baht) / 1_000_000, 1)} ${translate(lang, "millionBaht")}`;
}

export function formatDateTime(lang: Lang, value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
    second: "2-digit", timeZone: "Asia/Bangkok",
  }).format(date);
}

export function formatDate(lang: Lang, value: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { day: "numeric", month: "short", year: "numeric" })
    .format(new Date(value));
}

/** The fiscal year (CE) a date falls in: October starts the next one. */
export function fiscalYearOf(date: Date): number {
  return date.getMonth() >= 9 ? date.getFullYear() + 1 : date.getFullYear();
}

export function formatFiscalYear(lang: Lang, fiscalYearCE: number): string {
  const be = fiscalYearCE + 543;
  return lang === "th" ? `ปีงบประมาณ ${be}` : `FY ${be} BE (${fiscalYearCE - 1}–${String(fiscalYearCE).slice(2)})`;
}

/** "2026-03" → "มี.ค. 2569"; "2026-Q1", "FY2026" and others read as they come, years in BE. */
export function formatPeriod(lang: Lang, period: string | null | undefined): string {
  if (!period) return "—";
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    return new Intl.DateTimeFormat(LOCALE[lang], { month: "short", year: "numeric" })
      .format(new Date(Number(month[1]), Number(month[2]) - 1, 15));
  }
  const fiscal = /^FY(\d{4})(.*)$/.exec(period);
  if (fiscal) return `${formatFiscalYear(lang, Number(fiscal[1]))}${fiscal[2]}`;
  return period.replace(/^(\d{4})/, (year) => (lang === "th" ? String(Number(year) + 543) : year));
}

const UNITS: Record<string, [string, string]> = {
  percent: ["%", "%"], households: ["ครัวเรือน", "households"], persons: ["คน", "persons"],
  cases: ["เรื่อง", "cases"], THB: ["บาท", "THB"], m3: ["ลบ.ม.", "m³"], metres: ["เมตร", "m"],
};

export function formatUnit(lang: Lang, unit: string): string {
  return UNITS[unit]?.[lang === "th" ? 0 : 1] ?? unit;
}

export function areaName(lang: Lang, area: { nameTh: string; nameEn: string }): string {
  return lang === "th" ? area.nameTh : area.nameEn;
}
