// The country overview (or, for a caller with an area scope, that area's): key indicators
// against targets, achievement over three fiscal years, alerts, complaints, budgets, live figures.
import { useMemo } from "preact/hooks";
import { LineChart } from "../chart";
import { Bar, Loading, Percent, Problem, Section, StatusBadge } from "../components";
import { DashboardHistoryDocument, DashboardOverviewDocument, type DashboardOverviewQuery } from "../gql/graphql";
import {
  areaName, formatDateTime, formatFiscalYear, formatMillions, formatNumber, formatPeriod, formatUnit,
} from "../i18n";
import { LiveFeed } from "../live";
import { href } from "../router";
import { useApp, useQuery } from "../state";

type Current = NonNullable<DashboardOverviewQuery["current"]>;

export function Overview({ areaCode }: { areaCode: string }) {
  const app = useApp();
  const { t, lang } = app;
  const { result, loading } = useQuery(DashboardOverviewDocument, { areaCode, fiscalYear: app.fiscalYear });
  const current = result?.data?.current;
  const names = useMemo(() => new Map(app.who.indicators.map((i) => [i.code, lang === "th" ? i.nameTh : i.nameEn])), [app.who, lang]);

  if (result === null || loading) return <Loading />;
  if (!current) return <Problem errors={result.errors.length ? result.errors : [{ message: t("notFound") }]} />;
  return (
    <div class="overview" data-testid="overview">
      <header class="view-head">
        <h1>{current.area.code === "TH" ? t("overview") : areaName(lang, current.area)}</h1>
        <p class="fiscal-year" data-testid="fiscal-year">{formatFiscalYear(lang, current.fiscalYear)}
</p>
      </header>
      <KeyIndicators current={current} />
      <div class="grid two">
        <Section title={t("trend")} id="trend">
          <Trend current={current} />
        </Section>
        <Section title={t("live")} id="live"><LiveFeed names={names} /></Section>
      </div>
      <div class="grid three">
        <Section title={t("alerts")} id="alerts"><Alerts alerts={current.activeAlerts} names={names} /></Section>
        <Section title={t("complaints")} id="complaints">
          {current.complaints ? <ComplaintSummary counts={current.complaints.counts} /> : <p class="muted">—</p>}
        </Section>
        <Section title={t("projects")} id="projects">
          {current.projects ? <Budget projects={current.projects} /> : <p class="muted">—</p>}
        </Section>
      </div>
      <Section title={`${t("areas")} · ${t("ranked")} ${names.get(current.rankingIndicatorCode ?? "") ?? ""}`} id="ranking">
        <ol class="ranking">
          {current.children.slice(0, 10).map((c) => (
            <li>
              <a href={href(`/areas/${c.area.code}`, { indicator: current.rankingIndicatorCode })}>{areaName(lang, c.area)}</a>{" "}
              <Bar value={c.performance.achievementPct} max={120} status={c.performance.status}
                   label={`${formatNumber(lang, c.performance.value)} (${formatNumber(lang, c.performance.achievementPct, 1)}%)`} />
              {" "}<StatusBadge status={c.performance.status} />
            </li>
          ))}
        </ol>
        <p><a href={href(`/areas/${current.area.code}`)}>{t("areas")} →</a></p>
      </Section>
    </div>
  );
}

function KeyIndicators({ current }: { current: Current }) {
  const { t, lang } = useApp();
  return (
    <Section title={t("keyIndicators")} id="indicators">
      <ul class="kpis">
        {current.indicators.map((i) => (
          <li class={`kpi ${(i.status ?? "none").toLowerCase().replace("_", "-")}`} data-indicator={i.indicator.code}>
            <h3>{lang === "th" ? i.indicator.nameTh : i.indicator.nameEn}</h3>
            <p class="kpi-value"><span data-testid="kpi-value">{formatNumber(lang, i.value)}</span> <small>{formatUnit(lang, i.indicator.unit)}</small></p>
            <p>{t("target")}: {formatNumber(lang, i.target)} · {t("achievement")}: <Percent value={i.achievementPct} /></p>
            <p><StatusBadge status={i.status} /> <span class="muted">{formatPeriod(lang, i.period)}</span></p>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function Trend({ current }: { current: Current }) {
  const { lang, t } = useApp();
  const history = useQuery(DashboardHistoryDocument, {
    areaCode: current.area.code, previousYear: current.fiscalYear - 1, yearBefore: current.fiscalYear - 2,
  }, false).result?.data; // past years: not asked again on every live update
  const years = [history?.before, history?.previous, current].filter((y) => y !== null && y !== undefined);
  const series = current.indicators.slice(0, 8).map((i) => ({
    label: lang === "th" ? i.indicator.nameTh : i.indicator.nameEn,
    values: years.map((y) => y!.indicators.find((p) => p.indicator.code === i.indicator.code)?.achievementPct ?? null),
  }));
  return <LineChart labels={years.map((y) => String(y!.fiscalYearBE))} series={series}
                    label={t("trend")} format={(v) => (v === null ? "—" : `${formatNumber(lang, v, 1)}%`)} />;
}

function Alerts({ alerts, names }: { alerts: Current["activeAlerts"]; names: Map<string, string> }) {
  const { t, lang } = useApp();
  if (alerts.length === 0) return <p class="muted">✓ {t("noAlerts")}</p>;
  return (
    <ul class="alerts" data-testid="alerts">
      {alerts.slice(0, 12).map((a) => (
        <li class={`severity ${a.severity.toLowerCase()}`}>
          <span class="severity-label">{a.severity === "CRITICAL" ? "✗" : a.severity === "WARNING" ? "!" : "i"} {a.severity}</span>{" "}
          {a.ruleName} · {names.get(a.indicatorCode) ?? a.indicatorCode} · {a.areaCode} · {formatNumber(lang, a.value)}
          <span class="muted"> ({formatPeriod(lang, a.period)}, {formatDateTime(lang, a.raisedAt)})</span>
        </li>
      ))}
      {alerts.length > 12 && <li class="muted">+{formatNumber(lang, alerts.length - 12, 0)}</li>}
    </ul>
  );
}

function ComplaintSummary({ counts }: { counts: NonNullable<Current["complaints"]>["counts"] }) {
  const { t, lang } = useApp();
  return (
    <dl class="figures" data-testid="complaints">
      <dt>{t("received")}</dt><dd>{formatNumber(lang, counts.received, 0)}</dd>
      <dt>{t("open")}</dt><dd>{formatNumber(lang, counts.open, 0)}</dd>
      <dt>{t("resolved")}</dt><dd>{formatNumber(lang, counts.resolved, 0)}</dd>
      <dt class="overdue"><span aria-hidden="true">! </span>{t("overdue")}</dt>
      <dd class="overdue" data-testid="overdue">{formatNumber(lang, counts.overdue, 0)}</dd>
      <dt>{t("medianDays")}</dt><dd>{formatNumber(lang, counts.medianDaysToResolve, 1)}</dd>
    </dl>
  );
}

function Budget({ projects }: { projects: NonNullable<Current["projects"]> }) {
  const { t, lang } = useApp();
  const allocated = Number(projects.budgetAllocated);
  return (
    <div data-testid="budget">
      <p>{t("projectCount")}: {formatNumber(lang, projects.count, 0)}</p>
      <p>{t("allocated")}: <Bar value={allocated} max={allocated} label={formatMillions(lang, projects.budgetAllocated)} /></p>
      <p>{t("disbursed")}: <Bar value={Number(projects.budgetDisbursed)} max={allocated}
            label={`${formatMillions(lang, projects.budgetDisbursed)} (${formatNumber(lang, projects.disbursementPct, 1)}%)`} /></p>
    </div>
  );
}
