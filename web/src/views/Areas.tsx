// Areas ranked on any indicator, with drill-down country → province → district → subdistrict.
// The URL (/dashboard/areas/<code>?indicator=<code>) says exactly what is shown.
import { Bar, Loading, Percent, Problem, Section, StatusBadge } from "../components";
import { DashboardAreaRankingDocument } from "../gql/graphql";
import { areaName, formatFiscalYear, formatMillions, formatNumber, formatPeriod, formatUnit } from "../i18n";
import { href, navigate } from "../router";
import { useApp, useQuery } from "../state";

export function Areas({ code, indicator }: { code: string; indicator: string | null }) {
  const { t, lang, fiscalYear, who } = useApp();
  const { result, loading } = useQuery(DashboardAreaRankingDocument, {
    areaCode: code, fiscalYear, indicatorCode: indicator,
  });
  if (result === null || loading) return <Loading />;
  const dashboard = result.data?.dashboard;
  if (!dashboard) {
    return <Problem errors={result.errors.length ? result.errors : [{ message: t("notFound"), extensions: { code: "NOT_FOUND" } }]} />;
  }
  const ranking = dashboard.rankingIndicatorCode;
  const rankingIndicator = who.indicators.find((i) => i.code === ranking);
  const max = Math.max(1, ...dashboard.children.map((c) => c.performance.value ?? 0));
  const trail = [...dashboard.area.ancestors, dashboard.area];
  return (
    <div class="areas" data-testid="areas" data-area={dashboard.area.code} data-level={dashboard.area.level}>
      <nav aria-label="breadcrumb" class="breadcrumb">
        <ol>
          {trail.map((a, i) => (
            <li>{i === trail.length - 1 ? <span aria-current="page">{areaName(lang, a)}</span>
              : <a href={href(`/areas/${a.code}`, { indicator })}>{a.code === "TH" ? t("country") : areaName(lang, a)}</a>}</li>
          ))}
        </ol>
      </nav>
      <header class="view-head">
        <h1 data-testid="area-name">{dashboard.area.code === "TH" ? t("country") : areaName(lang, dashboard.area)}</h1>
        <p>{formatFiscalYear(lang, fiscalYear)} · {dashboard.area.code}</p>
      </header>
      <div class="grid two">
        <Section title={t("keyIndicators")} id="area-indicators">
          <table class="table">
            <thead><tr><th scope="col">{t("indicator")}</th><th scope="col">{t("value")}</th><th scope="col">{t("target")}</th><th scope="col">{t("achievement")}</th><th scope="col">{t("status")}</th></tr></thead>
            <tbody>
              {dashboard.indicators.map((i) => (
                <tr data-indicator={i.indicator.code}>
                  <th scope="row"><a href={href(`/areas/${dashboard.area.code}`, { indicator: i.indicator.code })}>
                    {lang === "th" ? i.indicator.nameTh : i.indicator.nameEn}</a>
                    <span class="muted"> {formatPeriod(lang, i.period)}</span></th>
                  <td class="num">{formatNumber(lang, i.value)} <small>{formatUnit(lang, i.indicator.unit)}</small></td>
                  <td class="num">{formatNumber(lang, i.target)}</td>
                  <td class="num"><Percent value={i.achievementPct} /></td>
                  <td><StatusBadge status={i.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title={`${t("complaints")} · ${t("projects")}`} id="area-summary">
          <dl class="figures">
            <dt>{t("received")}</dt><dd>{formatNumber(lang, dashboard.complaints?.counts.received, 0)}</dd>
            <dt>{t("overdue")}</dt><dd>{formatNumber(lang, dashboard.complaints?.counts.overdue, 0)}</dd>
            <dt>{t("allocated")}</dt><dd>{formatMillions(lang, dashboard.projects?.budgetAllocated)}</dd>
            <dt>{t("disbursed")}</dt><dd>{formatMillions(lang, dashboard.projects?.budgetDisbursed)}</dd>
          </dl>
        </Section>
      </div>
      <Section title={`${t("ranked")}: ${rankingIndicator ? (lang === "th" ? rankingIndicator.nameTh : rankingIndicator.nameEn) : "—"}`} id="ranking">
        <label class="inline">
          {t("ranked")}{" "}
          <select value={ranking ?? ""} onChange={(e) => navigate(href(`/areas/${dashboard.area.code}`, { indicator: (e.target as HTMLSelectElement).value }))}>
            {dashboard.indicators.map((i) => <option value={i.indicator.code}>{lang === "th" ? i.indicator.nameTh : i.indicator.nameEn}</option>)}
          </select>
        </label>
        {dashboard.children.length === 0 ? <p class="muted">{t("noChildren")}</p> : (
          <table class="table ranking-table" data-testid="ranking">
            <thead><tr><th scope="col">{t("rank")}</th><th scope="col">{t("area")}</th><th scope="col">{t("value")}</th><th scope="col">{t("achievement")}</th><th scope="col">{t("status")}</th></tr></thead>
            <tbody>
              {dashboard.children.map((c) => (
                <tr data-code={c.area.code}>
                  <td class="num">{formatNumber(lang, c.rank, 0)}</td>
                  <th scope="row"><a href={href(`/areas/${c.area.code}`, { indicator: ranking })}>{areaName(lang, c.area)}</a></th>
                  <td><Bar value={c.performance.value} max={max} status={c.performance.status}
                           label={`${formatNumber(lang, c.performance.value)} ${rankingIndicator ? formatUnit(lang, rankingIndicator.unit) : ""}`} /></td>
                  <td class="num"><Percent value={c.performance.achievementPct} /></td>
                  <td><StatusBadge status={c.performance.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
