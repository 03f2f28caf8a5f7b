// Small pieces the views share. Status is always shown as a symbol and words, never colour alone.
import type { ComponentChildren } from "preact";
import { errorCode, type GraphQLError } from "./api/client";
import type { PerformanceStatus } from "./gql/graphql";
import { formatNumber } from "./i18n";
import { href } from "./router";
import { useApp } from "./state";

export function StatusBadge({ status }: { status: PerformanceStatus | null | undefined }) {
  const { t } = useApp();
  if (!status) return <span class="badge none">– {t("noTarget")}</span>;
  const [symbol, word, css] = status === "ON_TRACK" ? ["✓", t("onTrack"), "on-track"]
    : status === "AT_RISK" ? ["!", t("atRisk"), "at-risk"] : ["✗", t("offTrack"), "off-track"];
  return <span class={`badge ${css}`}><span aria-hidden="true">{symbol}</span> {word}</span>;
}

/** A bar whose length shows `value` against `max`; the number is always written beside it. */
export function Bar({ value, max, label, status }: {
  value: number | null | undefined; max: number; label: string; status?: PerformanceStatus | null;
}) {
  const width = value === null || value === undefined || max <= 0 ? 0 : Math.min(100, (value / max) * 100);
  return (
    <span class="bar-cell">
      <span class={`bar ${status ? status.toLowerCase().replace("_", "-") : ""}`} aria-hidden="true">
        <span style={{ width: `${width}%` }} />
      </span>
      <span class="bar-label">{label}</span>
    </span>
  );
}

export function Percent({ value }: { value: number | null | undefined }) {
  const { lang } = useApp();
  return <>{value === null || value === undefined ? "—" : `${formatNumber(lang, value, 1)}%`}</>;
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

/** What went wrong, in words: a refusal is said plainly, not shown as an empty page. */
export function Problem({ errors }: { errors: GraphQLError[] }) {
  const { t } = useApp();
  const code = errorCode(errors);
  if (code === "FORBIDDEN" || code === "NOT_FOUND" && errors.some((e) => /reach|scope/i.test(e.message))) {
    return (
      <div class="notice refused" role="alert" data-code="FORBIDDEN">
        <strong><span aria-hidden="true">✗ </span>{t("refused")}</strong>
        <p>{t("refusedDetail")}</p>
        <p><a href={href("/")}>{t("backHome")}</a></p>
      </div>
    );
  }
  return (
    <div class="notice failed" role="alert" data-code={code ?? "ERROR"}>
      <strong><span aria-hidden="true">! </span>{t("failed")}</strong>
      <p>{errors.map((e) => e.message).join("; ")}{code ? ` (${code})` : ""}</p>
    </div>
  );
}

export function Loading() {
  const { t } = useApp();
  return <p class="loading" aria-live="polite">{t("loading")}</p>;
}
