// The topics the ministry named, from what the schema offers: indicators of each topic against
// their targets, disaster declarations from DDPM, complaints by category, projects by strategy.
import { Bar, Loading, Percent, Problem, Section, StatusBadge } from "../components";
import {
  DashboardComplaintFiguresDocument, DashboardProjectsDocument, DashboardTopicEventsDocument,
  DashboardTopicFiguresDocument, type Dimension, type EventKind, type Topic,
} from "../gql/graphql";
import { areaName, formatDate, formatFiscalYear, formatMillions, formatNumber, formatPeriod, type Word, formatUnit } from "../i18n";
import { href, TOPICS, type TopicName } from "../router";
import { useApp, useQuery } from "../state";

const INDICATOR_TOPICS: Record<TopicName, Topic[]> = {
  poverty: ["POVERTY", "SOCIAL_PROTECTION"],
  flood: ["FLOOD", "DROUGHT", "DISASTER"],
  water: ["WATER", "WASTEWATER"],
  land: ["LAND"],
  complaints: ["COMPLAINTS"],
  projects: [],
};
const TOPIC_WORD: Record<TopicName, Word> = {
  poverty: "poverty", flood: "flood", water: "water", land: "land",
  complaints: "complaintsTopic", projects: "projectsTopic",
};
const KINDS: Partial<Record<EventKind, [string, string]>> = {
  FLOOD: ["อุทกภัย", "Flood"], DROUGHT: ["ภัยแล้ง", "Drought"], STORM: ["วาตภัย", "Storm"],
};
const DIMENSIONS: Record<Dimension, [string, string]> = {
  HEALTH: ["สุขภาพ", "Health"],
  LIVING_CONDITIONS: ["ความเป็นอยู่", "Living conditions"],
  EDUCATION: ["การศึกษา", "Education"],
  INCOME: ["รายได้", "Income"],
  PUBLIC_SERVICES: ["การเข้าถึงบริการรัฐ", "Access to public services"],
};

export function Topics({ topic, area }: { topic: TopicName; area: string }) {
  const { t } = useApp();
  return (
    <div class="topics" data-testid="topics" data-topic={topic}>
      <nav aria-label={t("topics")} class="tabs">
        <ul>{TOPICS.map((name) => (
          <li><a href={href(`/topics/${name}`, { area })} aria-current={name === topic ? "page" : undefined}>{t(TOPIC_WORD[name])}</a></li>
        ))}</ul>
      </nav>
      <h1>{t(TOPIC_WORD[topic])}</h1>
      {INDICATOR_TOPICS[topic].length > 0 && <TopicIndicators topic={topic} area={area} />}
      {topic === "flood" && <Declarations area={area} />}
      {(topic === "complaints" || topic === "land") && <ComplaintsByCategory area={area} only={topic === "land" ? "land" : null} />}
      {topic === "projects" && <Strategies area={area} />}
    </div>
  );
}

function TopicIndicators({ topic, area }: { topic: TopicName; area: string }) {
  const { t, lang, who, fiscalYear } = useApp();
  const codes = who.indicators.filter((i) => INDICATOR_TOPICS[topic].includes(i.topic)).map((i) => i.code);
  const { result, loading } = useQuery(DashboardTopicFiguresDocument, { areaCode: area, fiscalYear, indicatorCodes: codes });
  if (result === null || loading) return <Loading />;
  const dashboard = result.data?.dashboard;
  if (!dashboard) return <Problem errors={result.errors} />;
  const groups = topic === "poverty"
    ? (Object.keys(DIMENSIONS) as Dimension[]).map((d) => ({ title: DIMENSIONS[d][lang === "th" ? 0 : 1], rows: dashboard.indicators.filter((i) => i.indicator.dimension === d) }))
        .concat([{ title: lang === "th" ? "อื่น ๆ" : "Other", rows: dashboard.indicators.filter((i) => !i.indicator.dimension) }])
    : [{ title: `${areaName(lang, dashboard.area)} · ${formatFiscalYear(lang, fiscalYear)}`, rows: dashboard.indicators }];
  return (
    <>
      {result.errors.length > 0 && <Problem errors={result.errors} />}
      {groups.filter((g) => g.rows.length > 0 || topic === "poverty").map((group) => (
        <Section title={topic === "poverty" ? `${t("dimension")}: ${group.title}` : group.title}>
          {group.rows.length === 0 ? <p class="muted">—</p> : (
            <table class="table">
              <thead><tr><th scope="col">{t("indicator")}</th><th scope="col">{t("value")}</th><th scope="col">{t("target")}</th><th scope="col">{t("achievement")}</th><th scope="col">{t("status")}</th><th scope="col">{t("coverage")}</th></tr></thead>
              <tbody>{group.rows.map((i) => (
                <tr data-indicator={i.indicator.code}>
                  <th scope="row">{lang === "th" ? i.indicator.nameTh : i.indicator.nameEn} <span class="muted">{formatPeriod(lang, i.period)}</span></th>
                  <td class="num">{formatNumber(lang, i.value)} <small>{formatUnit(lang, i.indicator.unit)}</small></td>
                  <td class="num">{formatNumber(lang, i.target)}</td>
                  <td class="num"><Percent value={i.achievementPct} /></td>
                  <td><StatusBadge status={i.status} /></td>
                  <td class="num">{i.coverage ? `${formatNumber(lang, i.coverage.reported, 0)}/${formatNumber(lang, i.coverage.expected, 0)}` : "—"}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </Section>
      ))}
    </>
  );
}

function Declarations({ area }: { area: string }) {
  const { t, lang, fiscalYear } = useApp();
  const kinds: EventKind[] = ["FLOOD", "DROUGHT", "STORM"];
  const { result, loading } = useQuery(DashboardTopicEventsDocument, { areaCode: area, period: `FY${fiscalYear}`, kinds });
  if (result === null || loading) return <Loading />;
  const events = result.data?.area?.events ?? [];
  const stale = events.some((e) => e.stale);
  return (
    <Section title={t("declarations")} id="declarations">
      {result.errors.length > 0 && (
        <p class="notice stale" role="alert" data-testid="source-failed"><span aria-hidden="true">! </span>{t("sourceFailed")}
          {" "}({result.errors.map((e) => e.extensions?.source ?? e.extensions?.code).filter(Boolean).join(", ")})</p>
      )}
      {stale && <p class="notice stale" data-testid="stale"><span aria-hidden="true">! </span>{t("stale")}</p>}
      {events.length === 0 ? <p class="muted">{t("noEvents")}</p> : (
        <table class="table">
          <thead><tr><th scope="col">{t("declarations")}</th><th scope="col">{t("period")}</th><th scope="col">{t("status")}</th><th scope="col">{t("households")}</th></tr></thead>
          <tbody>{events.map((e) => (
            <tr><th scope="row">{KINDS[e.kind]?.[lang === "th" ? 0 : 1] ?? e.kind} · {e.title} {e.stale && <span class="badge at-risk">! {t("stale")}</span>}</th>
              <td>{formatDate(lang, e.startedOn)}{e.endedOn ? ` – ${formatDate(lang, e.endedOn)}` : ""}</td>
              <td>{e.status ?? "—"}</td><td class="num">{formatNumber(lang, e.householdsAffected, 0)}</td></tr>
          ))}</tbody>
        </table>
      )}
    </Section>
  );
}

function ComplaintsByCategory({ area, only }: { area: string; only: string | null }) {
  const { t, lang, who, fiscalYear } = useApp();
  const { result, loading } = useQuery(DashboardComplaintFiguresDocument, { areaCode: area, fiscalYear });
  if (result === null || loading) return <Loading />;
  const stats = result.data?.complaintStatistics;
  if (!stats) return <Problem errors={result.errors} />;
  const rows = stats.byCategory.filter((c) => only === null || c.categoryCode === only);
  const max = Math.max(1, ...rows.map((c) => c.counts.received));
  const name = (code: string) => { const c = who.complaintCategories.find((x) => x.code === code); return c ? (lang === "th" ? c.nameTh : c.nameEn) : code; };
  return (
    <Section title={`${t("complaints")} · ${t("byCategory")}`} id="complaint-categories">
      <p>{t("received")}: {formatNumber(lang, stats.counts.received, 0)} · {t("overdue")}: {formatNumber(lang, stats.counts.overdue, 0)} · {t("medianDays")}: {formatNumber(lang, stats.counts.medianDaysToResolve, 1)}</p>
      <table class="table">
        <thead><tr><th scope="col">{t("byCategory")}</th><th scope="col">{t("received")}</th><th scope="col">{t("open")}</th><th scope="col">{t("overdue")}</th></tr></thead>
        <tbody>{rows.map((c) => (
          <tr><th scope="row">{name(c.categoryCode)}</th>
            <td><Bar value={c.counts.received} max={max} label={formatNumber(lang, c.counts.received, 0)} /></td>
            <td class="num">{formatNumber(lang, c.counts.open, 0)}</td>
            <td class="num">{formatNumber(lang, c.counts.overdue, 0)}</td></tr>
        ))}</tbody>
      </table>
    </Section>
  );
}

function Strategies({ area }: { area: string }) {
  const { t, lang, fiscalYear } = useApp();
  const { result, loading } = useQuery(DashboardProjectsDocument, { areaCode: area, fiscalYear });
  if (result === null || loading) return <Loading />;
  const projects = result.data?.projects;
  if (!projects) return <Problem errors={result.errors} />;
  const byStrategy = new Map<string, { count: number; allocated: number; disbursed: number }>();
  for (const { node } of projects.edges) {
    const row = byStrategy.get(node.strategy) ?? { count: 0, allocated: 0, disbursed: 0 };
    row.count += 1; row.allocated += Number(node.budgetAllocated); row.disbursed += Number(node.budgetDisbursed);
    byStrategy.set(node.strategy, row);
  }
  const rows = [...byStrategy.entries()].sort(([a], [b]) => a.localeCompare(b, "th"));
  const max = Math.max(1, ...rows.map(([, r]) => r.allocated));
  return (
    <Section title={`${t("projectsTopic")} · ${formatFiscalYear(lang, fiscalYear)}`} id="strategies">
      <table class="table">
        <thead><tr><th scope="col">{t("strategy")}</th><th scope="col">{t("projectCount")}</th><th scope="col">{t("allocated")}</th><th scope="col">{t("disbursed")}</th></tr></thead>
        <tbody>{rows.map(([strategy, r]) => (
          <tr><th scope="row">{strategy}</th><td class="num">{formatNumber(lang, r.count, 0)}</td>
            <td><Bar value={r.allocated} max={max} label={formatMillions(lang, r.allocated)} /></td>
            <td><Bar value={r.disbursed} max={max} label={`${formatMillions(lang, r.disbursed)} (${formatNumber(lang, r.allocated ? (100 * r.disbursed) / r.allocated : null, 1)}%)`} /></td></tr>
        ))}</tbody>
      </table>
    </Section>
  );
}
